"""An "Open folder" button that shows where a file was just saved (the file manager opens it)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QPushButton, QWidget


class OpenFolderButton(QPushButton):
    """Hidden until ``show_for(path)``; a click opens the folder holding that file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("&Open folder", parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.folder = ""
        self.setVisible(False)
        self.clicked.connect(self.open_folder)

    def show_for(self, path: str) -> None:
        self.folder = str(Path(path).parent)
        self.setToolTip(self.folder)
        self.setVisible(True)

    def open_folder(self) -> bool:
        return bool(self.folder) and QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder))
