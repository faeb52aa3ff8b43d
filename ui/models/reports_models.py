"""Qt item model over a report ``Table``: each cell and header in the words the reports
service gives them (``catalog.cell_words``, ``catalog.header_words``), numbers right-aligned,
the totals row in bold."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.reports import catalog
from app.reports.table import Table

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

class ReportTableModel(QAbstractTableModel):
    """Read-only: a new ``Table`` replaces the whole content (``set_table``)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.table: Table | None = None

    def set_table(self, table: Table | None) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def text(self, row: int, column: int) -> str:
        assert self.table is not None
        return catalog.cell_words(self.table.columns[column], self.table.rows[row][column])

    def rows_text(self) -> list[list[str]]:
        """Every cell as shown (the PDF prints the same words as the screen)."""
        return [[self.text(r, c) for c in range(self.columnCount())] for r in range(self.rowCount())]

    def headers(self) -> list[str]:
        return [catalog.header_words(c) for c in self.table.columns] if self.table else []

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if self.table is None or not index.isValid() or not 0 <= index.row() < len(self.table.rows):
            return None
        value = self.table.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = value is None or (isinstance(value, int | Decimal) and not isinstance(value, bool))
            horizontal = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.table.rows[index.row()][0] == "ALL":
            bold = QFont()
            bold.setBold(True)  # the totals row
            return bold
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or self.table is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return catalog.header_words(self.table.columns[section])
        return None
