"""Instant feedback for a scan: a success/error sound and a big coloured banner.

Sound goes through QtMultimedia's QSoundEffect when it imports (on Linux it needs the
system library libpulse0); when the import or playback fails we log one warning and stay
silent, never crash: the banner is the feedback that always works. QtMultimedia is imported
with the first sound (or ``Feedback.prepare``, once the window is up), not with the window.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QWidget

from resources import resource_path
from ui import lazy, pyside_setup

log = logging.getLogger(__name__)

# QtMultimedia needs a system library (libpulse0 on Linux) that a station may lack: the one
# optional import of the program. Without it the station runs silently, and the first sound
# asked for logs why (the banner is the feedback that always works). It is imported when the
# sounds are first loaded (≈9 ms with QtNetwork under it, off the way to the window).
_NOT_YET = object()
QSoundEffect: Any = _NOT_YET  # the class once imported; None when QtMultimedia does not load
SOUND_UNAVAILABLE = ""


def _sound_effect_class() -> Any:
    global QSoundEffect, SOUND_UNAVAILABLE
    if QSoundEffect is _NOT_YET:
        try:
            QSoundEffect = lazy.attribute("PySide6.QtMultimedia:QSoundEffect")
        except ImportError as exc:  # libpulse0 missing, or a broken plugin: said at the first sound
            QSoundEffect, SOUND_UNAVAILABLE = None, str(exc)
    return QSoundEffect

SOUNDS = {"ok": resource_path("success.wav"), "error": resource_path("error.wav")}

def sound_problem() -> str:
    """Why the station cannot play its sounds ("" when QtMultimedia imports)."""
    return "" if _sound_effect_class() is not None else (SOUND_UNAVAILABLE or "QtMultimedia does not load")


class Feedback:
    """The station's two sounds. ``settings.sound_enabled`` is read at each play."""

    def __init__(self, settings=None) -> None:
        self._settings = settings
        self._effects: dict[str, object] | None = None  # built on first use
        self.played: list[str] = []  # what was asked for (tests read it; silent or not)
        self.problem = ""  # why the station is silent, once known (a few words; the log has more)
        self.on_problem: Callable[[str], None] | None = None  # the window shows it once

    def _trouble(self, short: str, detail: str, *args: object) -> None:
        """Sound failed: ``detail`` (``%`` ``args``) logged, ``short`` shown once to the person
        at the station (a silent station must say it is silent; the file paths and library
        names are for whoever reads the log)."""
        if self.problem:
            return
        self.problem = short
        log.warning("no sound: %s", detail % args if args else detail)
        if self.on_problem is not None:
            self.on_problem(self.problem)

    def prepare(self) -> None:
        """Load the sounds now (QtMultimedia and the two files) rather than at the first scan."""
        if not self.muted_by_environment():
            self._load()

    def _load(self) -> dict[str, object]:
        if self._effects is not None:
            return self._effects
        self._effects = {}
        sound_effect = _sound_effect_class()
        if sound_effect is None:
            self._trouble("sound support is not installed",
                          "QtMultimedia does not load (%s); install libpulse0", SOUND_UNAVAILABLE)
            return self._effects
        for name, path in SOUNDS.items():
            if not path.is_file():
                self._trouble("a sound file is missing", "sound file missing: %s", path)
                continue
            try:
                effect = sound_effect()
                effect.setSource(QUrl.fromLocalFile(str(path)))
                effect.setVolume(0.9)
                self._effects[name] = effect
            except Exception as exc:
                self._trouble("the sounds do not load", "cannot load %s (%s)", path, exc)
        return self._effects

    @staticmethod
    def muted_by_environment() -> bool:
        """``PREPDESK_SOUND=off`` silences every station sound (tests, shared offices)."""
        return os.environ.get("PREPDESK_SOUND", "").strip().lower() in ("0", "off", "no", "false")

    def _play(self, name: str) -> None:
        self.played.append(name)
        if self._settings is not None and not self._settings.sound_enabled:
            return
        if self.muted_by_environment():
            return
        try:
            effect = self._load().get(name)
            if effect is None:
                return
            if effect.status() == effect.Status.Error:
                # e.g. no audio device or sound server: the banner still shows the result
                self._trouble("no audio device", "%s cannot be played on this machine's audio device",
                              effect.source().toLocalFile())
                return
            effect.play()
        except Exception as exc:  # noqa: BLE001 - never let a beep break a scan
            self._trouble("playback failed", "playback failed: %s", exc)

    def ok(self) -> None:
        self._play("ok")

    def error(self) -> None:
        self._play("error")

    def warning(self) -> None:
        # A warning is something to look at, not a failure: the success beep is wrong,
        # the error buzz too alarming; the amber banner carries it.
        self.played.append("warning")


# Colours chosen for contrast at arm's length (WCAG AA or better with the text colour).
STYLES = {
    "idle": "background:#eceff1; color:#263238; border: 2px dashed #90a4ae;",
    "ok": "background:#1b5e20; color:#ffffff;",
    "warning": "background:#ffb300; color:#000000;",
    "error": "background:#b71c1c; color:#ffffff;",
}


class ScanBanner(QLabel):
    """A big coloured line saying what the last scan did.

    ``show_ok``/``show_warning`` flash and fade back to neutral after a few seconds;
    ``show_error(text, sticky=True)`` stays red until a key press anywhere in the
    application or ``acknowledge()`` (the key press is not swallowed: the next scan
    both acknowledges the error and is taken). With ``any_key_acknowledges=False`` only
    ``acknowledge()`` ends it (packing: a stray key or the next scan must not clear a
    wrong-item error; an error that vanishes by itself gets wrong orders shipped).
    """

    acknowledged = Signal()

    FADE_MS = {"ok": 2500, "warning": 4000, "error": 5000}

    def __init__(self, parent: QWidget | None = None, *, any_key_acknowledges: bool = True) -> None:
        super().__init__(parent)
        self.any_key_acknowledges = any_key_acknowledges
        self.setObjectName("ScanBanner")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumHeight(72)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        font = self.font()
        font.setPointSize(22)
        font.setBold(True)
        self.setFont(font)
        self._state = "idle"
        self._sticky = False
        self._filter_installed = False
        self._fade = QTimer(self)
        self._fade.setSingleShot(True)
        self._fade.timeout.connect(self._on_fade_timeout)
        self._apply("idle")

    # --- public API ---------------------------------------------------------------
    @property
    def state(self) -> str:
        return self._state

    @property
    def sticky(self) -> bool:
        return self._sticky

    def show_ok(self, text: str) -> None:
        self._show("ok", text, sticky=False)

    def show_warning(self, text: str) -> None:
        self._show("warning", text, sticky=False)

    def show_error(self, text: str, sticky: bool = False) -> None:
        self._show("error", text, sticky=sticky)

    def show_idle(self, text: str = "") -> None:
        if self._sticky:
            return
        self._fade.stop()
        self.setText(text)
        self._apply("idle")

    def acknowledge(self) -> None:
        """End a sticky error (the user saw it)."""
        was_sticky = self._sticky
        self._sticky = False
        self._remove_filter()
        if was_sticky:
            self._apply("idle")
            self.acknowledged.emit()

    # --- internals ------------------------------------------------------------------
    def _show(self, state: str, text: str, *, sticky: bool) -> None:
        if self._sticky:
            # A new message replaces a sticky error only if the user acknowledged it.
            self.acknowledge()
        self.setText(text)
        self._apply(state)
        self._fade.stop()
        self._sticky = sticky
        if sticky and self.any_key_acknowledges:
            self._install_filter()
        else:
            self._fade.start(self.FADE_MS.get(state, 3000))

    def _apply(self, state: str) -> None:
        self._state = state
        self.setProperty("state", state)
        # The font size goes in the style sheet too: an application style sheet's
        # font-size would otherwise win over setFont().
        self.setStyleSheet(f"QLabel#ScanBanner {{ {STYLES[state]} padding: 10px; border-radius: 6px; "
                           "font-size: 24pt; font-weight: bold; }")

    def _on_fade_timeout(self) -> None:
        if not self._sticky:
            self._apply("idle")

    def _install_filter(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._filter_installed:
            pyside_setup.create_style_types()  # before Qt's own objects reach a Python filter
            app.installEventFilter(self)
            self._filter_installed = True

    def _remove_filter(self) -> None:
        app = QApplication.instance()
        if app is not None and self._filter_installed:
            app.removeEventFilter(self)
        self._filter_installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._sticky and event.type() == QEvent.Type.KeyPress:
            self.acknowledge()  # not swallowed: the key still reaches its widget
        return False

    def keyPressEvent(self, event) -> None:
        if self._sticky and self.any_key_acknowledges:
            self.acknowledge()
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:
        self._remove_filter()
        super().closeEvent(event)
