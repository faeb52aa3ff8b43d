"""The Inventory tab's near-expiry list: lots expiring within N days, per client and bin."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import reports
from ui.ops import run_op
from ui.widgets.tables import fit_columns_to_contents

HEADERS = ["Client", "Bin", "SKU", "Lot", "Expiry", "Days left", "On hand"]


class ExpiringBox(QGroupBox):
    """Stock whose lot expires within the days chosen (expired lots first)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Expiring soon", parent)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        label = QLabel("Within &days")
        self.days = QSpinBox()
        self.days.setRange(0, reports.MAX_DAYS)
        self.days.setValue(30)
        label.setBuddy(self.days)
        bar.addWidget(label)
        bar.addWidget(self.days)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.client: str | None = None
        self.days.valueChanged.connect(lambda _v: self.reload(self.client))

    def reload(self, client: str | None) -> None:
        """List the lots expiring within the chosen days (one client's, or every client's)."""
        self.client = client
        rows = run_op(self, reports.expiring_within, self.days.value(), client=client) or []
        self.table.clear()
        self.table.setColumnCount(len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setRowCount(len(rows))
        for n, r in enumerate(rows):
            cells = (r.client, r.location, r.sku, r.lot, r.expiry.isoformat(), r.days_left, r.on_hand)
            for c, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(n, c, item)
        fit_columns_to_contents(self.table)
