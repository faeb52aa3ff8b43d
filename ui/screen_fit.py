"""The window on the station's screen: inside the available area, where it was last left at
this station, and its text at the station's size (floor screens are read at arm's length)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from resources import resource_path

log = logging.getLogger(__name__)

STYLE_SHEET = resource_path("style.qss")
TEXT_SIZES = (100, 200)  # percent, the Settings range
PREFERRED = (1500, 920)  # what the window asks for when the screen has room
_PT = re.compile(r"(\d+(?:\.\d+)?)pt\b")


def scaled_style(qss: str, percent: int) -> str:
    """The style sheet with every point size scaled by ``percent``."""
    if percent == 100:
        return qss
    return _PT.sub(lambda m: f"{float(m.group(1)) * percent / 100:g}pt", qss)


def auto_text_size(available_height: int) -> int:
    """Text size when the station chose none: larger type on a tall (1080p+) screen."""
    return 125 if available_height >= 1000 else 100


def text_size_for(settings, screen_height: int | None = None) -> int:
    """The station's text size in percent (its setting, else sized to the screen)."""
    chosen = int(getattr(settings, "text_size", 0) or 0)
    if chosen:
        return max(TEXT_SIZES[0], min(TEXT_SIZES[1], chosen))
    if screen_height is None:
        screen = QGuiApplication.primaryScreen()
        screen_height = screen.availableGeometry().height() if screen is not None else 768
    return auto_text_size(screen_height)


def apply_text_size(app: QApplication, percent: int) -> None:
    """Load the app's style sheet at ``percent`` of its type sizes."""
    try:
        app.setStyleSheet(scaled_style(Path(STYLE_SHEET).read_text(encoding="utf-8"), percent))
    except OSError as exc:
        log.warning("style sheet not loaded: %s", exc)


def fitted(wanted: QRect, available: QRect) -> QRect:
    """``wanted`` moved and shrunk until it lies inside ``available``."""
    width = min(wanted.width(), available.width())
    height = min(wanted.height(), available.height())
    left = min(max(wanted.left(), available.left()), available.right() - width + 1)
    top = min(max(wanted.top(), available.top()), available.bottom() - height + 1)
    return QRect(left, top, width, height)


def place_window(window: QWidget, saved: bytes | None) -> None:
    """Put ``window`` where it was at this station (``saved`` geometry), else centred at its
    preferred size; either way inside the screen's available area (taskbar excluded)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    available = screen.availableGeometry() if screen is not None else QRect(0, 0, *PREFERRED)
    if saved and window.restoreGeometry(saved):
        wanted = window.geometry()
    else:
        wanted = QRect(0, 0, *PREFERRED)
        wanted.moveCenter(available.center())
    window.setGeometry(fitted(wanted, available))
