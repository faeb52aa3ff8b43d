"""The Orders page: the order list with its detail, and allocate, new, import, cancel."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import orders
from app.kernel import states
from app.kernel.states import OrderStatus, allowed
from app.orders import allocation, importers
from ui.models.orders_models import ID_ROLE, OrdersModel
from ui.ops import one_line, run_op
from ui.permits import offer
from ui.stations.orders.common import (
    STATUS_CHOICES,
    MessageLine,
    client_combo,
    fit_column_to,
    focus_field,
    show_error,
    table_view,
)
from ui.stations.orders.detail import OrderDetailPanel
from ui.stations.orders.import_dialog import ImportDialog
from ui.stations.orders.new_order import NewOrderDialog, NewOrderRequest
from ui.widgets.ask import ask_text
from ui.widgets.common import add_shortcuts, remember_divider
from ui.widgets.stray_scan import takes_scans
from ui.worker import run_task


class OrdersPage(QWidget):
    """The order list (status filter, client, search), detail, and the order actions.

    The list follows what the services say they changed (``ctx.events``): nothing here
    announces a change by hand.
    """

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.allocating = False
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.status = QComboBox()
        for label, value in STATUS_CHOICES:
            self.status.addItem(label, value)
        self.status.setToolTip("Which orders to list")
        bar.addWidget(self.status)
        self.client = client_combo(with_all=True, compact=True)
        bar.addWidget(self.client)
        self.search = QLineEdit()
        self.search.setMinimumWidth(260)
        self.search.setPlaceholderText("Search number, customer, email, tracking — Enter (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        takes_scans(self.search)  # a scanned order or tracking number is what to find
        bar.addWidget(self.search, 1)
        self.allocate_button = QPushButton("&Allocate")
        self.allocate_button.setToolTip("Reserve stock for open orders, most urgent first")
        self.new_button = QPushButton("&New order…")
        self.import_button = QPushButton("&Import…")
        self.cancel_button = QPushButton("&Cancel…")
        self.cancel_button.setEnabled(False)
        for b in (self.allocate_button, self.new_button, self.import_button, self.cancel_button):
            bar.addWidget(b)
        offer(ctx.actor, {self.allocate_button: "allocate orders", self.new_button: "create orders",
                          self.import_button: "import orders", self.cancel_button: "cancel orders"})
        layout.addLayout(bar)
        self.message = MessageLine()
        layout.addWidget(self.message)
        # the list above, the order below: every column of both fits a 1280-wide screen
        split = self.split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        self.model = OrdersModel(self)
        self.view = table_view(self.model)  # (its columns fitted to the rows read)
        # every status whole, whatever the rows shown now (New, then Partially allocated...)
        status_column = [c.header for c in self.model.columns].index("Status")
        fit_column_to(self.view, status_column, [states.label(s, OrderStatus) for s in OrderStatus])
        split.addWidget(self.view)
        self.detail = OrderDetailPanel(tabbed=True)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 440])  # the list gets the larger share; the detail's size hint would take most
        remember_divider(split, ctx.settings, "orders/list-detail")
        layout.addWidget(split, 1)

        self.status.currentIndexChanged.connect(self.apply_filter)
        self.client.currentIndexChanged.connect(self.apply_filter)
        self.search.returnPressed.connect(self.apply_filter)
        self.view.selectionModel().currentRowChanged.connect(self.on_view_row_changed)
        self.allocate_button.clicked.connect(self.on_allocate_clicked)
        self.new_button.clicked.connect(self.on_new_clicked)
        self.import_button.clicked.connect(self.on_import_clicked)
        self.cancel_button.clicked.connect(self.on_cancel_clicked)
        add_shortcuts(self, ("Ctrl+F", lambda: focus_field(self.search)), ("F5", self.reload))
        # stock arriving fills back-orders, so their status changes with stock too
        for signal in (ctx.events.orders_changed, ctx.events.stock_changed, ctx.events.picklists_changed,
                       ctx.events.packages_changed, ctx.events.shipments_changed):
            signal.connect(self.reload)

    @property
    def order_id(self) -> int | None:
        return self.detail.order_id

    def apply_filter(self) -> None:
        self.model.set_filter(status=self.status.currentData(), client=self.client.currentData(),
                              search=self.search.text().strip())
        self.select_row(0 if self.model.rowCount() else -1)

    def reload(self) -> None:
        keep = self.order_id
        self.model.reload()
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and keep is not None:  # e.g. just cancelled under "Open orders": keep showing it
            self.view.clearSelection()
            self._show(keep)
            return
        self.select_row(row if row >= 0 else (0 if self.model.rowCount() else -1))

    def select_order(self, order_id: int) -> None:
        row = self.model.row_of(order_id)
        if row < 0:  # not under the current filter: show all orders
            self.status.blockSignals(True)
            self.status.setCurrentIndex(self.status.findData(""))
            self.status.blockSignals(False)
            self.search.clear()
            self.model.set_filter(status="", client=self.client.currentData(), search=None)
            row = self.model.row_of(order_id)
        self.select_row(row)

    def select_row(self, row: int) -> None:
        if row < 0:
            self.view.clearSelection()
            self.detail.show_order(None)
            self.cancel_button.setEnabled(False)
            return
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._show(index.data(ID_ROLE))

    def on_view_row_changed(self, current, _previous) -> None:
        self._show(current.data(ID_ROLE) if current.isValid() else None)

    def _show(self, order_id: int | None) -> None:
        self.detail.show_order(order_id)
        d = self.detail.detail
        self.cancel_button.setEnabled(
            d is not None and allowed(OrderStatus, d.status, OrderStatus.CANCELLED))

    # --- actions ----------------------------------------------------------------------
    def on_allocate_clicked(self) -> None:
        if self.allocating:
            return
        self.allocating = True
        self.allocate_button.setEnabled(False)
        self.message.setText("Allocating…")
        run_task(allocation.allocate_orders, actor=self.ctx.actor, client=self.client.currentData() or None,
                 on_done=self.on_allocate_done, on_error=self.on_allocate_failed,
                 on_progress=self.on_allocate_progress)

    def on_allocate_progress(self, done: int, total: int) -> None:
        """Which step a long run is at (a backlog of many thousand orders takes seconds)."""
        if self.allocating and done < total:
            self.message.setText(f"Allocating… step {done + 1} of {total}: {allocation.ALLOCATION_STEPS[done]}")

    def on_allocate_done(self, result: allocation.AllocationResult) -> None:
        self.allocating = False
        self.allocate_button.setEnabled(True)
        self.message.setText(result.text().capitalize() + "." if result.orders else
                             "No open order waits for stock.")
        self.reload()

    def on_allocate_failed(self, exc: BaseException) -> None:
        self.allocating = False
        self.allocate_button.setEnabled(True)
        self.message.setText(one_line(exc))
        show_error(self, exc)

    def enter_order(self, req: NewOrderRequest, parent: QWidget | None = None) -> orders.OrderRef | None:
        """The service call behind the dialog's OK: the order, or None after showing why not."""
        return run_op(parent or self, orders.enter_order, req.client, req.number, req.lines,
                      actor=self.ctx.actor, **req.fields)

    def ask_new_order(self) -> orders.OrderRef | None:
        dialog = NewOrderDialog(self, settings=self.ctx.settings)
        dialog.submit = lambda req: self.enter_order(req, dialog)
        try:
            return dialog.ref if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def on_new_clicked(self) -> None:
        ref = self.ask_new_order()
        if ref is None:
            return
        self.message.setText(f"Order {ref.number} added; press Allocate to reserve stock.")
        self.select_order(ref.id)

    def ask_import(self) -> importers.ImportResult | None:
        dialog = ImportDialog(self.ctx, self)
        try:
            dialog.exec()
            return dialog.result
        finally:
            dialog.deleteLater()

    def on_import_clicked(self) -> None:
        result = self.ask_import()
        if result is not None:
            self.message.setText(result.text().capitalize() + (
                ". Press Allocate to reserve stock." if result.orders else "."))

    def ask_cancel_reason(self, number: str) -> str | None:
        return ask_text(self, "Cancel order", f"Why is order {number} cancelled?", settings=self.ctx.settings)

    def on_cancel_clicked(self) -> None:
        d = self.detail.detail
        if d is None:
            return
        reason = self.ask_cancel_reason(d.number)
        if reason is None:
            return
        ref = run_op(self, orders.cancel_order, d.id, actor=self.ctx.actor, reason=reason)
        if ref is None:
            return
        self.message.setText(f"Order {ref.number} cancelled; its stock was released." if ref.status == OrderStatus.CANCELLED
                             else f"The back-ordered rest of order {ref.number} was cancelled; the order is "
                                  "complete with what was shipped.")
        # the page shows its own action's result now; the other screens hear of it after
        # the commit, through ctx.events
        self.reload()
