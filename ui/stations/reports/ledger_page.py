"""The Reports tab's "Ledger & stock" page: the ledger check, the stock tiles, stock moves
today and orders by status (the widgets only; the tab fills them)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.tables import read_only_table
from ui.widgets.tiles import figure_tiles

TILE_TIPS = {
    "in_bins": "Units on hand in all bins",
    "available": "Units in bins not reserved for an order",
    "reserved": "Units in bins reserved for open orders",
    "receiving": "Units received and waiting for putaway",
    "packing": "Units picked and waiting to be packed",
    "returns": "Units in RETURNS or QUARANTINE waiting for a decision (Returns tab)",
    "products_out": "Products that had stock but have nothing free in any bin",
}
TILES = (("in_bins", "In bins"), ("available", "Available"), ("reserved", "Reserved"),
         ("receiving", "Receiving"), ("packing", "Packing"), ("returns", "Returns"),
         ("products_out", "Out of stock"))


class LedgerPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        check_box = QGroupBox("Stock ledger check")
        cl = QVBoxLayout(check_box)
        row = QHBoxLayout()
        self.check_button = QPushButton("Run &check")
        self.check_button.setToolTip("Verify the stock ledger invariants (Ctrl+K)")
        row.addWidget(self.check_button)
        self.check_result = QLabel("Not run yet.")
        self.check_result.setObjectName("CheckResult")
        self.check_result.setWordWrap(True)
        row.addWidget(self.check_result, 1)
        cl.addLayout(row)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(120)
        self.problems.hide()
        cl.addWidget(self.problems)
        layout.addWidget(check_box)

        tiles, self.tiles = figure_tiles(((key, caption, TILE_TIPS[key]) for key, caption in TILES),
                                         point_size=20)
        layout.addLayout(tiles)

        figures = QHBoxLayout()
        moves_box = QGroupBox("Stock moves today")
        ml = QVBoxLayout(moves_box)
        self.moves_table = read_only_table()
        ml.addWidget(self.moves_table, 100)  # the spacer below only fills in when it is hidden
        self.moves_empty = QLabel("No stock moved today.")
        ml.addWidget(self.moves_empty)
        ml.addStretch(1)
        figures.addWidget(moves_box, 1)
        orders_box = QGroupBox("Orders by status")
        ol = QVBoxLayout(orders_box)
        self.orders_table = read_only_table()
        ol.addWidget(self.orders_table, 100)
        self.orders_empty = QLabel("No orders in the database yet.")
        ol.addWidget(self.orders_empty)
        ol.addStretch(1)
        figures.addWidget(orders_box, 1)
        layout.addLayout(figures, 1)
