"""One order on screen: who and where, its lines with their quantities, its timeline."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import orders
from app.kernel.states import OrderStatus, label
from ui.ops import run_op
from ui.stations.orders.common import when
from ui.widgets.tables import fill_table, read_only_table

# A line's short units, once allocation has run: red.
_SHORT = QBrush(QColor("#b71c1c"))
# No allocation yet (New) or nothing to wait for (Cancelled): short units are no news.
_NO_SHORTAGE = (OrderStatus.NEW, OrderStatus.CANCELLED)


def _order_and_timeline(order_id: int) -> tuple[orders.OrderDetail, list[orders.TimelineEntry]]:
    return orders.order_detail(order_id), orders.timeline(order_id)


class OrderDetailPanel(QWidget):
    """One order: who and where, its lines with their quantities, and its full timeline.

    ``tabbed`` shows lines and timeline as two full-width tabs (under the order list, where
    height is short); otherwise they are stacked (customer-service lookup).
    """

    LINE_HEADERS = ["#", "SKU", "Name", "Ordered", "Alloc.", "Picked", "Packed", "Shipped", "Short"]
    LINE_TIPS = {4: "Reserved in bins, not picked yet", 8: "Back-ordered: neither reserved nor picked"}
    TIMELINE_HEADERS = ["When", "What", "Who @ station"]

    def __init__(self, parent: QWidget | None = None, *, tabbed: bool = False) -> None:
        super().__init__(parent)
        self.order_id: int | None = None
        self.detail: orders.OrderDetail | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("Select an order")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        layout.addWidget(self.title)
        self.info = QLabel("")
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.info)
        self.lines_table = read_only_table()
        self.timeline_table = read_only_table()
        self.tabs: QTabWidget | None = None
        if tabbed:
            self.tabs = QTabWidget()
            self.tabs.addTab(self.lines_table, "&Lines")
            self.tabs.addTab(self.timeline_table, "&Timeline")
            layout.addWidget(self.tabs, 1)
            return
        for title, table, stretch in (("Lines", self.lines_table, 2), ("Timeline", self.timeline_table, 3)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(table)
            layout.addWidget(box, stretch)

    def show_order(self, order_id: int | None) -> None:
        self.order_id = order_id
        if order_id is None:
            self.detail = None
            self.title.setText("Select an order")
            self.info.setText("")
            fill_table(self.lines_table, self.LINE_HEADERS, [], set())
            fill_table(self.timeline_table, self.TIMELINE_HEADERS, [], set())
            return
        # a refusal (the order is gone) is said in the title, where the order would be
        found = run_op(self, _order_and_timeline, order_id, banner=self.title.setText)
        if found is None:
            return
        d, events = found
        self.detail = d
        self.title.setText(f"{d.number}  ·  {label(d.status, OrderStatus)}")
        ship = ", ".join(x for x in (d.ship_name, d.ship_company, d.address1, d.address2, d.zip, d.city,
                                     d.province, d.country) if x)
        # shop data is text, never markup: "Tom & Jerry <b>" must show as typed
        e = html.escape
        who = " · ".join(x for x in (f"<b>{e(d.client_code)}</b>", e(d.customer_name),
                                     f"&lt;{e(d.email)}&gt;" if d.email else "", e(d.phone)) if x)
        urgency = " · ".join(x for x in (f"priority {d.priority}" if d.priority else "",
                                         f"ship by {d.ship_by}" if d.ship_by else "",
                                         e(f"{d.carrier} {d.service}".strip())) if x)
        stamps = (f"Received {when(d.received_at)} · allocated {when(d.allocated_at)} · picked "
                  f"{when(d.picked_at)} · packed {when(d.packed_at)} · shipped {when(d.shipped_at)}"
                  + (f" · cancelled {when(d.cancelled_at)}" if d.cancelled_at else ""))
        parts = [who + (f" · <b>{urgency}</b>" if urgency else ""), f"Ship to: {e(ship) or '-'}", stamps]
        if d.notes:
            parts.append(f"Notes: {e(d.notes)}")
        self.info.setText("<br>".join(p.replace("\n", " ") for p in parts))
        fill_table(self.lines_table, self.LINE_HEADERS,
                   [(ln.line_no, ln.sku, ln.name, ln.qty_ordered, ln.qty_allocated, ln.qty_picked,
                     ln.qty_packed, ln.qty_shipped, ln.qty_short) for ln in d.lines],
                   {0, 3, 4, 5, 6, 7, 8}, stretch=2)
        for col, tip in self.LINE_TIPS.items():
            self.lines_table.horizontalHeaderItem(col).setToolTip(tip)
        for row, ln in enumerate(d.lines):
            if ln.qty_short and d.status not in _NO_SHORTAGE:
                self.lines_table.item(row, 8).setForeground(_SHORT)
        fill_table(self.timeline_table, self.TIMELINE_HEADERS,
                   [(when(e.at), e.text, f"{e.who} @ {e.station}" if e.station else e.who)
                    for e in events], set(), stretch=1)
        if self.tabs is not None:
            n = len(events)
            self.tabs.setTabText(1, f"&Timeline ({n})")
            short = d.units_short if d.status not in _NO_SHORTAGE else 0
            self.tabs.setTabText(0, f"&Lines ({len(d.lines)})" + (f" · {short} short" if short else ""))
        # the newest event is what customer service asks about first
        self.timeline_table.scrollToBottom()
