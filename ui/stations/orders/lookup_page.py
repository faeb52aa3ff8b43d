"""The Lookup page: customer service finds an order by number, name, email or tracking."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import orders
from app.kernel.text import agreeing, counted
from ui.models.orders_models import ID_ROLE, lookup_model
from ui.ops import run_op
from ui.stations.orders.common import MessageLine, focus_field, table_view
from ui.stations.orders.detail import OrderDetailPanel
from ui.widgets.common import add_shortcuts, remember_divider
from ui.widgets.stray_scan import takes_scans
from ui.widgets.tables import fit_columns_to_contents


class LookupPage(QWidget):
    """Customer service: find an order by number, name, email or tracking; see everything."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Order number, customer name, email or tracking number — Enter (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        takes_scans(self.search)  # a scanned order or tracking number is what to find
        self.search.setStyleSheet("font-size: 14pt;")
        layout.addWidget(self.search)
        self.message = MessageLine()
        layout.addWidget(self.message)
        split = QSplitter(Qt.Orientation.Vertical)
        self.model = lookup_model(self)
        self.view = table_view(self.model)
        split.addWidget(self.view)
        # Lines and timeline as full-height tabs under the orders found: stacked, each showed
        # one row at 1366x768.
        self.detail = OrderDetailPanel(tabbed=True)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.view.setMinimumHeight(4 * self.view.verticalHeader().defaultSectionSize()
                                   + self.view.horizontalHeader().sizeHint().height())
        layout.addWidget(split, 1)
        remember_divider(split, ctx.settings, "lookup/list-detail")
        self.search.returnPressed.connect(self.on_search_entered)
        self.view.selectionModel().currentRowChanged.connect(self.on_view_row_changed)
        add_shortcuts(self, ("Ctrl+F", lambda: focus_field(self.search)), ("F5", self.refresh))
        ctx.events.orders_changed.connect(self.refresh)
        ctx.events.packages_changed.connect(self.refresh)

    def on_search_entered(self) -> None:
        text = self.search.text().strip()
        rows = run_op(self, orders.search_orders, text)
        if rows is None:
            return
        self.model.set_rows(rows)
        fit_columns_to_contents(self.view)
        self.message.setText(f"{counted(len(rows), 'order')} {agreeing(len(rows), 'matches', 'match')} {text!r}"
                             if rows else f"No order matches {text!r}")
        if rows:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        else:
            self.detail.show_order(None)

    def on_view_row_changed(self, current, _previous) -> None:
        self.detail.show_order(current.data(ID_ROLE) if current.isValid() else None)

    def refresh(self) -> None:
        if self.detail.order_id is not None:
            self.detail.show_order(self.detail.order_id)
