"""Orders & Picking tab: the Orders, Back-orders and Lookup pages, and the picking station's
Pick lists panel.

Every rule lives in ``app.orders`` (entry, status, allocation, back-orders, import); the pages
only gather input, call the services and show what they answered. Slow work (allocation,
import and its preview) runs on ``ui.worker.run_task``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from ui.stations.orders.backorders_page import BackordersPage
from ui.stations.orders.lookup_page import LookupPage
from ui.stations.orders.orders_page import OrdersPage
from ui.stations.picking.tab import PickingPanel
from ui.widgets.common import focus_into


class OrdersTab(QTabWidget):
    """Orders & Picking: Orders, Back-orders, Lookup and Pick lists."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.orders_page = OrdersPage(ctx)
        self.addTab(self.orders_page, "Orders")
        self.backorders_page = BackordersPage(ctx)
        self.addTab(self.backorders_page, "Back-orders")
        self.lookup_page = LookupPage(ctx)
        self.addTab(self.lookup_page, "Lookup")
        self.picking = PickingPanel(ctx)
        self.addTab(self.picking, "Pick lists")
        # A page chosen with the mouse takes the cursor from the tab bar: its keys work at once.
        self.currentChanged.connect(lambda index: focus_into(self.widget(index)))

    def grab_focus(self) -> None:
        """The cursor on the page shown (the pick lists' scan field, another page's control)."""
        focus_into(self.currentWidget())
