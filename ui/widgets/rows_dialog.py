"""The frame of a supervisor's list dialog (users, bins, box types): the rows on the left, one of
them selected, with the scan note and a line saying what the last action did; what to do on
the right, ending in Close window. No Enter presses a button (a scanner ends every code with
one); a scanner's burst in any field goes to the dialog's ``on_scan``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.common import enter_presses_nothing, message_line
from ui.widgets.scan_field import ScanBurstGuard, ScanNote
from ui.widgets.tables import fill_table, read_only_table

R = TypeVar("R")


class RowsDialog(QDialog, Generic[R]):
    """Subclasses fill ``self.right``, call ``finish``, and give ``key`` (a row's name or code),
    ``refresh`` (``show_rows``) and ``show_selected``."""

    def __init__(self, title: str, parent: QWidget | None = None, *, width: int, split: tuple[int, int] = (3, 2)
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.rows: list[R] = []
        self._outer = QHBoxLayout(self)
        self.left = QVBoxLayout()
        self.table = read_only_table()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.currentCellChanged.connect(lambda *_: self.show_selected())
        self.left.addWidget(self.table, 1)
        self.note = ScanNote()
        self.message = message_line()
        self.right = QVBoxLayout()
        self._split = split

    def finish(self, *, settings: Any = None) -> None:
        """Lay the two sides out, guard every field, read the rows."""
        self.left.addWidget(self.note)
        self.left.addWidget(self.message)
        self.right.addStretch(1)
        close = QPushButton("Close window")
        close.clicked.connect(self.accept)
        self.right.addWidget(close)
        self._outer.addLayout(self.left, self._split[0])
        self._outer.addLayout(self.right, self._split[1])
        enter_presses_nothing(self)
        self.guard = ScanBurstGuard(self, on_scan=self.on_scan, settings=settings).watch_dialog(self)
        self.refresh()

    # --- to give -------------------------------------------------------------------------------
    def key(self, row: R) -> str:
        raise NotImplementedError

    def refresh(self, keep: str | None = None) -> None:
        raise NotImplementedError

    def show_selected(self) -> None:
        raise NotImplementedError

    def on_scan(self, code: str) -> None:
        raise NotImplementedError

    # --- given ---------------------------------------------------------------------------------
    def show_rows(self, rows: list[R], cells: Sequence[tuple[Any, ...]], numeric: set[int],
                  headers: list[str], keep: str | None) -> None:
        """Show ``rows`` (their ``cells``), the one ``keep`` names selected again (else the first)."""
        self.rows = rows
        fill_table(self.table, headers, list(cells), numeric)
        self.select(keep)

    def selected(self) -> R | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def selected_key(self) -> str | None:
        row = self.selected()
        return None if row is None else self.key(row)

    def select(self, key: str | None) -> bool:
        """Select the row ``key`` names (True), else keep a row selected (the first)."""
        keys = [self.key(r) for r in self.rows]
        if key in keys:
            self.table.setCurrentCell(keys.index(key), 0)
            self.table.scrollToItem(self.table.item(keys.index(key), 0))
        elif keys and self.table.currentRow() < 0:
            self.table.setCurrentCell(0, 0)
        self.show_selected()
        return key in keys

    def say(self, text: str) -> None:
        self.message.setText(text[:1].upper() + text[1:])
