"""The stock table: one row per product, paged from the database, sorted and filtered there."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app import ledger
from app.ledger import StockRow

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str        # StockRow attribute, and the sort key understood by ledger.stock_rows
    header: str
    numeric: bool = False
    tip: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("client", "Client"),
    Column("sku", "SKU"),
    Column("name", "Name"),
    Column("on_hand", "On hand", True, "Units in bins"),
    Column("reserved", "Reserved", True, "Units in bins reserved for orders"),
    Column("available", "Available", True, "On hand minus reserved"),
    Column("receiving", "Receiving", True, "Received, waiting for putaway"),
    Column("quarantine", "Quarantine", True, "Held in quarantine"),
    Column("elsewhere", "Staging", True, "In packing or returns staging"),
)

PRODUCT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_LOW = QBrush(QColor("#b71c1c"))
_ROOT = QModelIndex()  # the (invalid) root index: a table has no children


class StockModel(QAbstractTableModel):
    """Loads ``PAGE`` rows at a time (canFetchMore/fetchMore); 100,000 products stay fast
    because only what the view scrolls to is ever read."""

    PAGE = 200
    KEEP_MAX = 2000  # a refresh re-reads at most this many rows to keep the scroll position

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[StockRow] = []
        self._total = 0
        self._client: str | None = None
        self._search: str | None = None
        self._sort = "sku"
        self._descending = False
        self.reload()

    # --- what the view shows -------------------------------------------------------
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = getattr(row, col.key)
            return f"{value:,}" if col.numeric else value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.numeric:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col.key == "available" and row.available <= 0:
            return _LOW
        if role == PRODUCT_ID_ROLE:
            return row.product_id
        if role == Qt.ItemDataRole.ToolTipRole and col.key == "name":
            return row.name
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].header
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section].tip or None
        return None

    # --- paging ----------------------------------------------------------------------
    def canFetchMore(self, parent: Index = _ROOT) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = _ROOT) -> None:
        if parent.isValid() or len(self._rows) >= self._total:
            return
        page = self._query(offset=len(self._rows), limit=self.PAGE)
        if not page:
            # Rows vanished since we counted: stop asking for more.
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # --- sorting and filtering (by the database) ---------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = key, descending
        self.reload()

    def set_filter(self, *, search: str | None = None, client: str | None = None) -> None:
        search = (search or "").strip() or None
        client = client or None
        if (search, client) == (self._search, self._client):
            return
        self._search, self._client = search, client
        self.reload()

    def reload(self, *, keep_loaded: bool = False) -> None:
        """Read the first page again (or as many rows as are loaded, to keep the scroll)."""
        want = min(max(self.PAGE, len(self._rows)), self.KEEP_MAX) if keep_loaded else self.PAGE
        self.beginResetModel()
        self._total = ledger.stock_count(client=self._client, search=self._search)
        self._rows = self._query(offset=0, limit=want)
        self.endResetModel()

    def _query(self, *, offset: int, limit: int) -> list[StockRow]:
        return ledger.stock_rows(client=self._client, search=self._search, sort=self._sort,
                                    descending=self._descending, offset=offset, limit=limit)

    # --- for the tab -----------------------------------------------------------------
    @property
    def total(self) -> int:
        """Rows matching the filter (loaded or not)."""
        return self._total

    @property
    def sort_key(self) -> tuple[str, bool]:
        return self._sort, self._descending

    def row_at(self, row: int) -> StockRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of_product(self, product_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.product_id == product_id:
                return i
        return -1
