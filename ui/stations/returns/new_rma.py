"""A return authorised before the parcel comes (Returns → New RMA…), as ``return create`` does
it: the shipped order (its slip's barcode scanned, or its number, tracking number, the
customer's name or e-mail typed; several matches are offered to choose from), how many of each shipped line come back and why, and what the customer wants: a refund, the
same items again, or other items (an exchange order is made). A scan names the order; no
scan says OK."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import returns
from app.kernel import clock
from app.kernel.errors import ValidationError
from app.kernel.text import counted
from app.store.db import as_datetime
from ui.ops import run_op
from ui.widgets.common import enter_presses_nothing, ok_cancel_buttons
from ui.widgets.scan_field import ScanBurstGuard, ScanNote
from ui.widgets.tables import fit_columns_to_contents

HEADERS = ["SKU", "Product", "Shipped", "Back already", "Coming back", "Why"]
WISHES = (("refund", "A refund"), ("same", "The same items again"), ("other", "Other items (below)"))


def parse_items(text: str) -> list[tuple[str, int]]:
    """``SKU=QTY, SKU=QTY`` (or one a line) → pairs.

    Raises:
        ValidationError: a part that is not SKU=QTY with a whole number.
    """
    pairs: list[tuple[str, int]] = []
    for part in filter(None, (p.strip() for p in text.replace("\n", ",").split(","))):
        sku, sep, qty = part.rpartition("=")
        if not sep or not sku.strip() or not qty.strip().isdigit() or int(qty) <= 0:
            raise ValidationError(f"items to send: write SKU=QTY, e.g. TENT-2=1, not {part!r}")
        pairs.append((sku.strip(), int(qty)))
    return pairs


class NewRmaDialog(QDialog):
    """``created`` is the RMA once Create succeeded."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.created: returns.RmaRef | None = None
        self.hits: list[returns.OrderHit] = []
        self.lines: list[returns.ReturnableLine] = []
        self.setWindowTitle("New RMA")
        self.setMinimumWidth(1000)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.order = QLineEdit()
        self.order.setPlaceholderText("scan the slip's order barcode, or type the order or tracking number, "
                                      "the customer's name or e-mail")
        self.order.returnPressed.connect(self.find)
        order_label = QLabel("&Order")
        order_label.setBuddy(self.order)
        row.addWidget(order_label)
        row.addWidget(self.order, 1)
        self.find_button = QPushButton("&Find")
        self.find_button.clicked.connect(self.find)
        row.addWidget(self.find_button)
        layout.addLayout(row)
        self.choice = QComboBox()  # when clients share an order number
        self.choice.currentIndexChanged.connect(lambda _i: self._show_lines())
        self.choice.setVisible(False)
        layout.addWidget(self.choice)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)  # Tab goes through each line's quantity and reason
        fit_columns_to_contents(self.table)  # the headings whole before an order's lines fill it
        layout.addWidget(self.table, 1)
        form = QFormLayout()
        self.wish = QComboBox()
        for key, words in WISHES:
            self.wish.addItem(words, key)
        wish_label = QLabel("The customer &wants")
        wish_label.setBuddy(self.wish)
        form.addRow(wish_label, self.wish)
        self.send = QLineEdit()
        self.send.setPlaceholderText("SKU=QTY, e.g. TENT-2=1 (for other items)")
        send_label = QLabel("&Items to send")
        send_label.setBuddy(self.send)
        form.addRow(send_label, self.send)
        self.note = QLineEdit()
        self.note.setMaxLength(500)
        note_label = QLabel("No&te")
        note_label.setBuddy(self.note)
        form.addRow(note_label, self.note)
        layout.addLayout(form)
        self.message = ScanNote()
        layout.addWidget(self.message)
        self.buttons = ok_cancel_buttons(self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Create RMA")  # Alt+C; Enter finds
        layout.addWidget(self.buttons)
        self.wish.currentIndexChanged.connect(lambda _i: self.send.setEnabled(self.wish.currentData() == "other"))
        self.send.setEnabled(False)
        self.guard = ScanBurstGuard(self, on_scan=self.on_scan, settings=ctx.settings).watch_dialog(self)
        self.order.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)  # the button box makes Create the default button as it shows:
        enter_presses_nothing(self)  # Enter finds the order typed, it never creates the RMA

    # --- the order ---------------------------------------------------------------------------
    def on_scan(self, code: str) -> None:
        """A scan anywhere is the order's barcode (or a tracking number): that order is found."""
        self.order.setText(code)
        self.find()

    def find(self) -> None:
        text = self.order.text().strip()
        if not text:
            self.say("Scan or type the order first")
            return
        self.hits = run_op(self, returns.find_orders, text, banner=self.say) or []
        self.choice.blockSignals(True)
        self.choice.clear()
        for hit in self.hits:
            shipped = clock.local_text(as_datetime(hit.shipped_at), "%Y-%m-%d")
            self.choice.addItem(f"{hit.client_code}  {hit.number}  {hit.customer_name}  {hit.email}  "
                                f"shipped {shipped}", hit.id)
        self.choice.blockSignals(False)
        self.choice.setVisible(len(self.hits) > 1)
        if not self.hits:
            self.say(f"No shipped order matches {text}")
        self._show_lines()

    def order_id(self) -> int | None:
        return self.choice.currentData() if self.hits else None

    def _show_lines(self) -> None:
        order_id = self.order_id()
        self.lines = (run_op(self, returns.returnable, order_id, banner=self.say) or []) if order_id else []
        self.table.setRowCount(len(self.lines))
        for r, ln in enumerate(self.lines):
            for c, text in enumerate((ln.sku, ln.name, str(ln.shipped), str(ln.returned))):
                self.table.setItem(r, c, QTableWidgetItem(text))
            qty = QSpinBox()
            qty.setRange(0, max(0, ln.left))
            self.table.setCellWidget(r, 4, qty)
            why = QComboBox()
            for reason in returns.REASONS:
                why.addItem(reason.replace("_", " "), reason)
            self.table.setCellWidget(r, 5, why)
        fit_columns_to_contents(self.table)
        self.table.resizeRowsToContents()  # each row as tall as its quantity box and reason list
        if self.lines:
            hit = self.hits[max(0, self.choice.currentIndex())]
            others = f"{counted(len(self.hits), 'order')} match: the one chosen above, " if len(self.hits) > 1 else ""
            self.say(f"{others}order {hit.number} ({hit.client_code}): how many of each come back, and why")
            self.guard.watch_dialog(self)  # the new spin boxes and lists too
            first = self.table.cellWidget(0, 4)
            first.setFocus()
            first.selectAll()  # a number typed replaces the 0

    # --- creating it -------------------------------------------------------------------------
    def request(self) -> tuple[list[returns.RmaRequestLine], list[tuple[str, int]]]:
        """The lines coming back and the items to send (an exchange), as typed."""
        wants = "refund" if self.wish.currentData() == "refund" else "exchange"
        lines: list[returns.RmaRequestLine] = []
        for r, ln in enumerate(self.lines):
            qty = self.table.cellWidget(r, 4).value()
            if qty:
                lines.append(returns.RmaRequestLine(ln.sku, qty, self.table.cellWidget(r, 5).currentData(), wants))
        if not lines:
            raise ValidationError("say how many of which item come back")
        if self.wish.currentData() == "same":
            return lines, [(x.sku, x.qty) for x in lines]
        if self.wish.currentData() == "other":
            send = parse_items(self.send.text())
            if not send:
                raise ValidationError("items to send: write SKU=QTY, e.g. TENT-2=1")
            return lines, send
        return lines, []

    def accept(self) -> None:
        order_id = self.order_id()
        if order_id is None:
            self.say("Find the shipped order first")
            return
        try:
            lines, send = self.request()
        except ValidationError as exc:
            self.say(str(exc))
            return
        created = run_op(self, returns.create_rma, order_id, lines, exchange=send, note=self.note.text(),
                         actor=self.ctx.actor, banner=self.say)
        if created is not None:
            self.created = created
            super().accept()

    def say(self, text: str) -> None:
        self.message.setText(text[:1].upper() + text[1:])
