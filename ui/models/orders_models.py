"""Table models of the Orders & Picking tab: orders (paged), back-orders, import preview.

They hold plain rows from ``app`` services (dataclasses), never peewee objects; the orders
list is paged from the database (canFetchMore/fetchMore).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app import orders
from app.kernel import clock
from app.kernel.states import OrderStatus, label
from app.orders.backorders import BackorderRow
from app.orders.importers import ImportPreview
from app.orders.queries import OrderRow

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
ID_ROLE = Qt.ItemDataRole.UserRole + 1
_WARN = QBrush(QColor("#b71c1c"))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], object]
    numeric: bool = False
    tip: str = ""


def _date(value) -> str:
    return value.isoformat() if value else ""


def _when(value) -> str:
    """A stored (UTC) time in the warehouse's zone."""
    return clock.local_text(value)


ORDER_COLUMNS: tuple[Column, ...] = (
    Column("Client", lambda r: r.client_code),
    Column("Order", lambda r: r.number),
    Column("Status", lambda r: label(r.status, OrderStatus)),
    Column("Customer", lambda r: r.customer_name),
    Column("Email", lambda r: r.email),
    Column("City", lambda r: r.city),
    Column("Country", lambda r: r.country),
    Column("Priority", lambda r: r.priority, True, "Higher is more urgent"),
    Column("Ship by", lambda r: _date(r.ship_by)),
    Column("Received", lambda r: _when(r.received_at)),
    Column("Lines", lambda r: r.lines, True),
    Column("Units", lambda r: r.units, True),
    Column("Short", lambda r: r.units_short, True, "Units not reserved yet (back-ordered once allocated)"),
)

BACKORDER_COLUMNS: tuple[Column, ...] = (
    Column("Client", lambda r: r.client),
    Column("SKU", lambda r: r.sku),
    Column("Name", lambda r: r.name),
    Column("Short", lambda r: r.qty_short, True, "Units the waiting orders still need"),
    Column("Available", lambda r: r.qty_available, True, "Free units in bins"),
    Column("ETA", lambda r: r.eta, False,
           "When enough is on its way for every waiting order (RECEIVING, then open inbound shipments)"),
    Column("Oldest", lambda r: r.age_text, False, "Age of the oldest waiting order"),
    Column("Orders", lambda r: len(r.orders), True, "Orders waiting"),
    Column("Waiting", lambda r: " ".join(r.orders), False, "Waiting orders, oldest first"),  # last: long
)


@dataclass(frozen=True)
class PreviewRow:
    number: str
    customer: str
    ship_to: str
    sku: str
    name: str
    qty: int


PREVIEW_COLUMNS: tuple[Column, ...] = (
    Column("Order", lambda r: r.number),
    Column("Customer", lambda r: r.customer),
    Column("SKU", lambda r: r.sku),
    Column("Qty", lambda r: r.qty, True),
    Column("Name", lambda r: r.name),
    Column("Ship to", lambda r: r.ship_to),  # last: the long one takes what width is left
)


PREVIEW_LIMIT = 2_000  # lines shown: enough to check a file, cheap even for a 50,000-line export


def preview_rows(preview: ImportPreview, *, limit: int = PREVIEW_LIMIT) -> list[PreviewRow]:
    """One row per line (the first ``limit`` lines); the order's own fields on its first line."""
    rows: list[PreviewRow] = []
    for o in preview.orders:
        if len(rows) >= limit:
            break
        for i, ln in enumerate(o.lines[:limit - len(rows)]):
            rows.append(PreviewRow(o.number if i == 0 else "", o.customer_name if i == 0 else "",
                                   o.ship_to if i == 0 else "", ln.sku, ln.name, ln.qty))
    return rows


class RowsModel(QAbstractTableModel):
    """A read-only table of plain rows described by ``columns``."""

    def __init__(self, columns: Sequence[Column], rows: Sequence[Any] = (), *,
                 row_id: Callable[[Any], object] | None = None, warn: Callable[[Any], bool] | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list[Any] = list(rows)
        self._row_id = row_id
        self._warn = warn

    @property
    def rows(self) -> list[Any]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.value(row)
            return f"{value:,}" if col.numeric and isinstance(value, int) else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col.numeric else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole and self._warn is not None and self._warn(row):
            return _WARN
        if role == ID_ROLE and self._row_id is not None:
            return self._row_id(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            value = col.value(row)
            return str(value) if value not in ("", None) and not col.numeric else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].tip or None
        return None


def _short(row: OrderRow) -> bool:
    return row.units_short > 0 and row.status not in (OrderStatus.NEW, OrderStatus.CANCELLED)


class OrdersModel(RowsModel):
    """Orders newest first, ``PAGE`` at a time, filtered by status, client and search text."""

    PAGE = 200

    def __init__(self, parent=None) -> None:
        super().__init__(ORDER_COLUMNS, row_id=lambda r: r.id, warn=_short, parent=parent)
        self.status: str | None = "open"
        self.client: str | None = None
        self.search: str | None = None
        self._more = False
        self.reload()

    def set_filter(self, *, status: str | None, client: str | None, search: str | None) -> None:
        self.status, self.client, self.search = status or None, client or None, search or None
        self.reload()

    def _page(self, offset: int) -> list[OrderRow]:
        return orders.list_orders(status=self.status, client=self.client, search=self.search,
                                  limit=self.PAGE, offset=offset)

    def reload(self) -> None:
        page = self._page(0)
        self._more = len(page) == self.PAGE
        self.set_rows(page)

    def canFetchMore(self, parent: Index = _ROOT) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = _ROOT) -> None:
        if parent.isValid() or not self._more:
            return
        page = self._page(len(self._rows))
        self._more = len(page) == self.PAGE
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def row_of(self, order_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.id == order_id:
                return i
        return -1


def backorders_model(rows: Sequence[BackorderRow] = (), parent=None) -> RowsModel:
    return RowsModel(BACKORDER_COLUMNS, rows, row_id=lambda r: r.product_id,
                     warn=lambda r: r.qty_available == 0 and r.eta == "unknown", parent=parent)


def lookup_model(parent=None) -> RowsModel:
    return RowsModel(ORDER_COLUMNS, (), row_id=lambda r: r.id, warn=_short, parent=parent)


def preview_model(parent=None) -> RowsModel:
    return RowsModel(PREVIEW_COLUMNS, (), parent=parent)
