"""File → Command barcodes: each station's sheet of command barcodes, saved as PDF to print."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from app.documents.command_sheet import STATION_TITLES, station_sheet
from ui.printing import save_file, show_saved

# The window's station kinds and the sheet each uses first (a packer station picks too).
FIRST_SHEET = {"receiving": "receiving", "packer": "packing", "supervisor": "receiving"}


def add_command_sheet_menu(window: QWidget, menu: QMenu, station_kind: str) -> QMenu:
    """A 'Command barcodes' submenu, this station's sheet first."""
    sub = menu.addMenu("Command &barcodes")
    fill_command_sheet_menu(window, sub, station_kind)
    return sub


def fill_command_sheet_menu(window: QWidget, sub: QMenu, station_kind: str) -> None:
    """One entry per station's sheet in ``sub``, this station's first (the main window's
    File → Command barcodes, filled when first opened)."""
    first = FIRST_SHEET.get(station_kind, "receiving")
    for station in sorted(STATION_TITLES, key=lambda s: (s != first, s)):
        action = QAction(f"{STATION_TITLES[station]} sheet (PDF)…", window)
        action.triggered.connect(lambda _checked=False, s=station: save_sheet(window, s))
        sub.addAction(action)


def save_sheet(window: QWidget, station: str) -> str | None:
    """Ask where, save the station's command sheet there and say where it went (with an Open
    folder button: the sheet is printed from there); the path, or None."""
    path = save_file(window, station_sheet(station), f"command-sheet-{station}.pdf", "PDF files (*.pdf)")
    if path:
        show_saved(window, f"The {STATION_TITLES[station]} command sheet is saved as {path}: print it "
                           "and keep it at the station.", path)
    return path
