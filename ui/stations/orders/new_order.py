"""The new-order dialog: manual order entry (client, number, customer, address, lines)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import orders
from app.catalog import scan
from ui.ops import run_op
from ui.stations.orders.common import client_combo
from ui.widgets.common import ok_cancel_buttons
from ui.widgets.scan_field import ScanBurstGuard, ScanNote


@dataclass(frozen=True)
class NewOrderRequest:
    client: str
    number: str
    lines: list[tuple[str, int]]
    fields: dict = field(default_factory=dict)


class NewOrderDialog(QDialog):
    """Manual order entry: client, number, customer and address, ship-by, priority, lines."""

    # Who and where (left column); Alt+letters unique within the dialog.
    TEXT_FIELDS = (("customer_name", "Customer na&me"), ("email", "&Email"), ("phone", "&Phone"),
                   ("address1", "&Address"), ("address2", "Address &2"), ("city", "Ci&ty"),
                   ("province", "State / pro&vince"), ("zip", "&Zip"), ("country", "Countr&y"))
    # How (right column, under the lines).
    SHIPPING_FIELDS = (("carrier", "&Carrier"), ("service", "&Service"), ("notes", "N&otes"))

    def __init__(self, parent: QWidget | None = None, *,
                 submit: Callable[[NewOrderRequest], orders.OrderRef | None] | None = None,
                 settings=None) -> None:
        super().__init__(parent)
        self.submit = submit  # called on OK; None (refused, message shown) keeps the dialog open
        self.ref: orders.OrderRef | None = None
        self.setWindowTitle("New order")
        outer = QVBoxLayout(self)
        columns = QHBoxLayout()
        outer.addLayout(columns, 1)
        left = QFormLayout()
        columns.addLayout(left, 1)
        self.client = client_combo(with_all=False)
        left.addRow("C&lient", self.client)
        self.number = QLineEdit()
        left.addRow("Order &number", self.number)
        self.edits: dict[str, QLineEdit] = {}
        for key, label in self.TEXT_FIELDS:
            self.edits[key] = QLineEdit()
            left.addRow(label, self.edits[key])
        right = QVBoxLayout()
        columns.addLayout(right, 1)
        lines_label = QLabel("L&ines (SKU, quantity)")
        right.addWidget(lines_label)
        self.lines = QTableWidget(8, 2)
        lines_label.setBuddy(self.lines)
        self.lines.setHorizontalHeaderLabels(["SKU", "Qty"])
        self.lines.setToolTip("Type a SKU, Tab, the quantity; Ctrl+Tab leaves the table")
        self.lines.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        right.addWidget(self.lines, 1)
        more = QPushButton("A&dd line")
        more.clicked.connect(lambda: self.lines.setRowCount(self.lines.rowCount() + 1))
        right.addWidget(more)
        how = QFormLayout()
        right.addLayout(how)
        self.ship_by = QLineEdit()
        self.ship_by.setPlaceholderText("YYYY-MM-DD (optional)")
        how.addRow("Ship &by", self.ship_by)
        self.priority = QSpinBox()
        self.priority.setRange(orders.MIN_PRIORITY, orders.MAX_PRIORITY)
        self.priority.setToolTip("Higher is more urgent: allocated first")
        how.addRow("P&riority", self.priority)
        for key, label in self.SHIPPING_FIELDS:
            self.edits[key] = QLineEdit()
            how.addRow(label, self.edits[key])
        self.note = ScanNote("scan products into the lines")
        outer.addWidget(self.note)
        outer.addWidget(ok_cancel_buttons(self))
        self.resize(980, 560)  # fits a 1280 x 800 screen
        # A product scanned in the lines is a line of it (one more unit, or a case's); a scan
        # anywhere else is taken back out with a note. No scan's Enter enters the order.
        self.guard = ScanBurstGuard(self, on_ignored=self.note.ignored, settings=settings).watch_dialog(
            self, but=(self.lines,))
        self.lines_guard = ScanBurstGuard(self, on_scan=self.add_scanned, settings=settings)
        self.lines_guard.watch_editors(self.lines).watch_keys(self.lines)

    def add_scanned(self, code: str) -> None:
        """A product scanned in the lines: one more of it (a case's units for a case code) on
        its line, or a new line on the first empty row."""
        editor = self.focusWidget()
        if isinstance(editor, QLineEdit) and editor.parent() is self.lines.viewport():
            self.lines.commitData(editor)  # (what the cell held before the scan stays)
            self.lines.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        client = self.client.currentData()
        if not client:
            self.note.setText("Choose the client, then scan its products.")
            return
        found = run_op(self, scan.client_product, client, code, banner=self.note.setText)
        if found is None:
            return
        sku, units = found
        rows = [self._cell(r, 0) for r in range(self.lines.rowCount())]
        if sku in rows:
            row = rows.index(sku)
            qty = self._cell(row, 1) or "1"  # (an empty quantity is 1)
            if not qty.isdigit():  # typed, and no number: OK's check says so
                self.note.setText(f"{sku}: the line's quantity {qty!r} is not a number; not added.")
                return
            units += int(qty)
        else:
            row = rows.index("") if "" in rows else len(rows)
        self.set_line(row, sku, units)
        self.lines.setCurrentCell(row, 1)
        self.note.setText(f"Scanned {code}: {sku} × {units}.")

    def _cell(self, row: int, column: int) -> str:
        item = self.lines.item(row, column)
        return item.text().strip() if item else ""

    def accept(self) -> None:
        """Enter the order; if the service refuses it, say why and keep everything typed."""
        if self.submit is not None:
            ref = self.submit(self.request())
            if ref is None:
                return
            self.ref = ref
        super().accept()

    def set_line(self, row: int, sku: str, qty: int | str) -> None:
        if row >= self.lines.rowCount():
            self.lines.setRowCount(row + 1)
        self.lines.setItem(row, 0, QTableWidgetItem(sku))
        self.lines.setItem(row, 1, QTableWidgetItem(str(qty)))

    def request(self) -> NewOrderRequest:
        lines: list[tuple[str, int]] = []
        for r in range(self.lines.rowCount()):
            sku_item, qty_item = self.lines.item(r, 0), self.lines.item(r, 1)
            sku = sku_item.text().strip() if sku_item else ""
            qty = qty_item.text().strip() if qty_item else ""
            if sku or qty:
                lines.append((sku, qty or "1"))  # the service checks the quantity text
        fields = {key: edit.text().strip() for key, edit in self.edits.items()}
        fields["ship_name"] = fields["customer_name"]
        fields["ship_by"] = self.ship_by.text().strip()
        fields["priority"] = self.priority.value()
        return NewOrderRequest(self.client.currentData() or "", self.number.text().strip(), lines, fields)

