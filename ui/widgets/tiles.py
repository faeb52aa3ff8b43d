"""A row of headline figures read at arm's length: a captioned box each, the figure large."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QVBoxLayout


def figure_tiles(items: Iterable[tuple[str, str, str]], *, point_size: int,
                 top_margin: int = 2) -> tuple[QHBoxLayout, dict[str, QLabel]]:
    """A row of tiles for ``(key, caption, tool tip)`` items; each figure's label by key
    (showing "–" until it is set)."""
    row = QHBoxLayout()
    figures: dict[str, QLabel] = {}
    for key, caption, tip in items:
        box = QGroupBox(caption)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(4, top_margin, 4, 2)
        value = QLabel("–")
        value.setObjectName("BigFigure")
        value.setStyleSheet(f"font-size: {point_size}pt;")
        value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        inner.addWidget(value)
        box.setToolTip(tip)
        figures[key] = value
        row.addWidget(box)
    return row, figures
