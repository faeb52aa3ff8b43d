"""The Back-orders page: what waits for stock, per product, and the customer notices."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.kernel.text import agreeing, counted
from app.orders import backorders
from ui.models.orders_models import backorders_model
from ui.ops import run_op
from ui.printing import save_file
from ui.stations.orders.common import client_combo, table_view
from ui.widgets.common import add_shortcuts
from ui.widgets.file_dialog import ask_folder
from ui.widgets.tables import fit_columns_to_contents


class BackordersPage(QWidget):
    """What waits for stock, per product, and the notices that tell the customers."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.client = client_combo(with_all=True, compact=True)
        bar.addWidget(self.client)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        bar.addWidget(self.summary, 1)
        self.refresh_button = QPushButton("&Refresh")
        self.csv_button = QPushButton("&List CSV…")
        self.notices_button = QPushButton("&Notices CSV…")
        self.messages_button = QPushButton("&Messages…")
        for b in (self.refresh_button, self.csv_button, self.notices_button, self.messages_button):
            bar.addWidget(b)
        layout.addLayout(bar)
        self.model = backorders_model(parent=self)
        self.view = table_view(self.model)
        layout.addWidget(self.view, 1)
        self.client.currentIndexChanged.connect(self.reload)
        self.refresh_button.clicked.connect(self.reload)
        self.csv_button.clicked.connect(self.on_csv_clicked)
        self.notices_button.clicked.connect(self.on_notices_clicked)
        self.messages_button.clicked.connect(self.on_messages_clicked)
        add_shortcuts(self, ("F5", self.reload))
        for signal in (ctx.events.orders_changed, ctx.events.stock_changed, ctx.events.shipments_changed):
            signal.connect(self.reload)
        self.reload()

    def _client(self) -> str | None:
        return self.client.currentData() or None

    def reload(self) -> None:
        rows = run_op(self, backorders.backorder_list, client=self._client())
        rows = rows or []
        self.model.set_rows(rows)
        fit_columns_to_contents(self.view)
        units = sum(r.qty_short for r in rows)
        orders_waiting = len({n for r in rows for n in r.orders})
        self.summary.setText(f"{counted(len(rows), 'product')} short by {counted(units, 'unit')}; "
                             f"{counted(orders_waiting, 'order')} {agreeing(orders_waiting, 'waits', 'wait')}"
                             if rows else "No back-orders.")
        for b in (self.csv_button, self.notices_button, self.messages_button):
            b.setEnabled(bool(rows))

    def save(self, data: bytes, name: str) -> str | None:
        return save_file(self, data, name, "CSV files (*.csv)")

    def on_csv_clicked(self) -> None:
        rows = run_op(self, backorders.backorder_list, client=self._client())
        if rows is None:
            return
        self.save(backorders.backorders_csv(rows).encode("utf-8"), f"backorders-{dt.date.today()}.csv")

    def on_notices_clicked(self) -> None:
        notices = run_op(self, backorders.customer_notices, client=self._client())
        if notices:
            self.save(backorders.notices_csv(notices).encode("utf-8"), f"backorder-notices-{dt.date.today()}.csv")

    def ask_messages_folder(self) -> str | None:
        return ask_folder(self, "Folder for the messages")

    def on_messages_clicked(self) -> None:
        folder = self.ask_messages_folder()
        if not folder:
            return
        notices = run_op(self, backorders.customer_notices, client=self._client()) or []
        files = run_op(self, backorders.write_messages, notices, folder + "/")
        if files is not None:
            no_email = [n.order_number for n in notices if not n.has_email]
            self.summary.setText(f"{counted(len(files), 'message')} written to {folder}" + (
                f"; {len(no_email)} without an email address (tell them another way): " + " ".join(no_email[:5])
                + (" ..." if len(no_email) > 5 else "") if no_email else ""))
