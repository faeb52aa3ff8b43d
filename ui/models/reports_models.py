"""Qt item model over a report ``Table`` (app/reports/table.py): headers in words, rates as
percentages, hours and money with 2 decimals, statuses in words, numbers right-aligned."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.kernel import states
from app.reports import catalog
from app.reports.table import Table

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

# Column names whose words are not the name with its underscores as spaces.
HEADERS = {
    "sku": "SKU", "p90_hours": "90th pct hours", "mis_scans_per_1000": "Mis-scans per 1,000",
    "on_hand": "On hand", "put_away": "Put away", "at_reorder_point": "At reorder point",
    "eta": "ETA", "cost_per_package": "Cost / package", "mis_scans": "Mis-scans",
}


def header_text(column: str) -> str:
    """``shipped_on_time`` -> ``Shipped on time``."""
    return HEADERS.get(column, column.replace("_", " ").capitalize())


def cell_text(column: str, value: object) -> str:
    """How a cell reads on screen: rates as percentages (2 decimals) and ``None`` as a dash, as
    ``report NAME`` prints them;
    whole numbers with thousands separators, statuses in words."""
    if value is None or (isinstance(value, Decimal) and catalog.is_rate(column)):
        return catalog.cell_display(column, value)  # as the command line shows it
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int):
        return f"{value:,}" if column not in ("hour", "year") else str(value)
    text = str(value)
    if column == "status" or column.endswith("_status"):
        return states.label(text, states.OrderStatus)
    return text


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
        return cell_text(self.table.columns[column], self.table.rows[row][column])

    def rows_text(self) -> list[list[str]]:
        """Every cell as shown (the PDF prints the same words as the screen)."""
        return [[self.text(r, c) for c in range(self.columnCount())] for r in range(self.rowCount())]

    def headers(self) -> list[str]:
        return [header_text(c) for c in self.table.columns] if self.table else []

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
            return header_text(self.table.columns[section])
        return None
