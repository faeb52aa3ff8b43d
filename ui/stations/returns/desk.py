"""The returns desk: scan the RMA, then each unit, then where the units go (a bin's label, or
the QUARANTINE / SCRAP barcodes of the desk's sheet). Every decision is made by
``app.returns.desk_scan``; this widget shows the RMA and keeps a refused scan on screen until
it is acknowledged (ACK scanned, Esc, or the button), as at packing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import returns
from app.kernel import clock
from app.kernel.states import ReturnStatus, label
from app.kernel.text import counted
from app.store.db import as_datetime
from ui import printing as ui_printing
from ui.ops import run_op
from ui.stations.packing.dialogs import AckButton
from ui.stations.returns.new_rma import NewRmaDialog
from ui.widgets.feedback import ScanBanner
from ui.widgets.scan_field import ScanField
from ui.widgets.tables import fill_table, read_only_table


class ReturnsDesk(QWidget):
    """Scan-only receiving of customer returns."""

    HEADERS = ["SKU", "Reason", "Wants", "Expected", "Received", "Restocked", "Quarantined", "Scrapped"]

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rma = ""  # the RMA on the desk
        self.pending_error = ""  # a refused scan not yet acknowledged
        self.unit_code = ""  # a unit without an RMA, while its order is chosen
        self.parcel_order: int | None = None  # the order a parcel without an RMA came from
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scan_field = ScanField(ctx.settings)
        self.scan_field.setPlaceholderText("Scan the RMA (or order, tracking), then each unit, then the bin…")
        self.scan_field.scanned.connect(self.on_scan)
        layout.addWidget(self.scan_field)
        row = QHBoxLayout()
        self.banner = ScanBanner(any_key_acknowledges=False)
        self.banner.setMinimumHeight(48)
        row.addWidget(self.banner, 1)
        self.ack_button = AckButton("Acknowledge\n(Esc / scan ACK)")
        self.ack_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.ack_button.clicked.connect(self.acknowledge)
        self.ack_button.setVisible(False)
        row.addWidget(self.ack_button)
        layout.addLayout(row)
        self.title = QLabel("No RMA open")
        self.title.setObjectName("Heading")
        self.title.setWordWrap(True)  # a long customer name wraps; it never narrows the staged list
        layout.addWidget(self.title)  # a line of its own: the buttons below leave it the width
        head = QHBoxLayout()
        head.addStretch(1)
        self.new_rma_button = QPushButton("&New RMA…")
        self.new_rma_button.setToolTip("Authorise a return before the parcel comes: refund or exchange")
        self.new_rma_button.clicked.connect(self.new_rma)
        head.addWidget(self.new_rma_button)
        self.pdf_button = QPushButton("RMA &PDF…")
        self.pdf_button.setToolTip("Save the RMA on the desk as a PDF for the customer")
        self.pdf_button.clicked.connect(self.save_rma_pdf)
        head.addWidget(self.pdf_button)
        self.sheet_button = QPushButton("Print &disposition sheet…")
        self.sheet_button.setToolTip("The QUARANTINE and SCRAP barcodes to keep at the desk")
        self.sheet_button.clicked.connect(self.print_sheet)
        head.addWidget(self.sheet_button)
        layout.addLayout(head)
        self.lines = read_only_table()
        layout.addWidget(self.lines, 1)
        self.orders = QListWidget()
        self.orders.setVisible(False)
        self.orders.itemActivated.connect(self.on_order_chosen)
        layout.addWidget(self.orders)
        self.banner.show_idle("Scan an RMA, the order's barcode or the return tracking number")

    # --- acknowledging a refused scan ------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape and self.pending_error:
            self.acknowledge()
            event.accept()
            return
        super().keyPressEvent(event)

    def acknowledge(self) -> None:
        if not self.pending_error:
            return
        self.pending_error = ""
        self.banner.acknowledge()
        self.ack_button.setVisible(False)
        self.banner.show_idle("Error acknowledged: go on scanning")
        self.scan_field.grab_focus()

    def _refuse(self, message: str) -> None:
        self.pending_error = message
        self.ctx.feedback.error()
        self.banner.show_error(message, sticky=True)
        self.ack_button.setVisible(True)

    # --- scans -----------------------------------------------------------------------------
    def on_scan(self, code: str) -> None:
        if self.pending_error:
            if code.strip().upper() in returns.ACK_CODES:
                self.acknowledge()
            else:
                self.ctx.feedback.error()
            return
        result = run_op(self, returns.desk_scan, code, rma=self.rma or None, actor=self.ctx.actor,
                        order=self.parcel_order, banner=self._refuse)
        if result is not None:
            self._show(result)

    def on_order_chosen(self, item: QListWidgetItem) -> None:
        order_id = int(item.data(Qt.ItemDataRole.UserRole))
        if not self.unit_code:  # the parcel's order, chosen among several: now its first unit
            self.parcel_order = order_id
            self.orders.setVisible(False)
            self.banner.show_warning(f"Order {item.data(Qt.ItemDataRole.UserRole + 1)} has no RMA: scan a unit "
                                     "from the parcel to start its return")
            self.scan_field.grab_focus()
            return
        result = run_op(self, returns.return_from_order, order_id, self.unit_code, actor=self.ctx.actor,
                        banner=self._refuse)
        if result is not None:
            self._show(result)
        self.scan_field.grab_focus()

    def _show(self, result: returns.DeskScan) -> None:
        if result.kind == "ack":
            return
        if result.kind == "order" and len(result.orders) == 1:  # the parcel's order: its units next
            self.parcel_order, self.unit_code = result.orders[0].id, ""
            self.orders.setVisible(False)
            self.ctx.feedback.warning()
            self.banner.show_warning(result.message)
            return
        if result.kind in ("choose_order", "order"):
            self.unit_code, self.parcel_order = result.code, None
            self.orders.clear()
            for hit in result.orders:
                item = QListWidgetItem(f"{hit.client_code}  {hit.number}  {hit.customer_name}  {hit.email}  "
                                       f"shipped {clock.local_text(as_datetime(hit.shipped_at), '%Y-%m-%d')}"
                                       + (f"  ({hit.awaiting} waits for it)" if hit.awaiting else ""))
                item.setData(Qt.ItemDataRole.UserRole, hit.id)
                item.setData(Qt.ItemDataRole.UserRole + 1, hit.number)
                self.orders.addItem(item)
            self.orders.setVisible(True)
            self.orders.setCurrentRow(0)
            self.ctx.feedback.warning()
            self.banner.show_warning(result.message)
            return
        self.orders.setVisible(False)
        self.unit_code, self.parcel_order = "", None
        shown = result.rma or self.rma
        self.rma = result.rma
        self.ctx.feedback.ok()
        self.banner.show_ok(result.message)
        self.show_rma(shown)

    def show_rma(self, number: str) -> None:
        detail = run_op(self, returns.rma_detail, number, banner=self._refuse) if number else None
        if detail is None:
            self.title.setText("No RMA open")
            fill_table(self.lines, self.HEADERS, [], {3, 4, 5, 6, 7})
            return
        words = f"{detail.number} - order {detail.order_number} - {detail.customer_name} - {label(detail.status, ReturnStatus)}"
        if detail.exchange_order:
            words += f" - exchange {detail.exchange_order}"
        elif detail.replacement_state:
            words += f" - replacement {detail.replacement_state}"
        self.title.setText(words)
        fill_table(self.lines, self.HEADERS,
                   [(ln.sku, ln.reason, ln.wants, ln.expected, ln.received, ln.restocked, ln.quarantined,
                     ln.scrapped) for ln in detail.lines], {3, 4, 5, 6, 7})

    def new_rma(self) -> None:
        """A return authorised at the desk (the customer called); it is then on the desk."""
        dialog = NewRmaDialog(self.ctx, self)
        try:
            if dialog.exec() == NewRmaDialog.DialogCode.Accepted and dialog.created is not None:
                ref = dialog.created
                self.rma, self.unit_code, self.parcel_order = ref.number, "", None
                self.banner.show_ok(f"{ref.number} created for order {ref.order_number}: {counted(ref.units, 'unit')} to "
                                    "come back" + (f"; exchange order {ref.exchange_order}" if ref.exchange_order
                                                   else ""))
                self.show_rma(ref.number)
        finally:
            dialog.deleteLater()
        self.scan_field.grab_focus()

    def save_rma_pdf(self) -> None:
        if not self.rma:
            self._refuse("no RMA on the desk: scan one first")
            return
        data = run_op(self, returns.render_rma_pdf, self.rma, banner=self._refuse)
        if data is not None:
            ui_printing.save_file(self, data, f"{self.rma}.pdf", "PDF files (*.pdf)")
        self.scan_field.grab_focus()

    def print_sheet(self) -> None:
        data = run_op(self, returns.disposition_sheet, banner=self._refuse)
        if data is not None:
            ui_printing.save_file(self, data, "returns-dispositions.pdf", "PDF files (*.pdf)")
        self.scan_field.grab_focus()
