"""Reports tab: the figures available today — the ledger check (on a worker thread), stock
moves per kind today and orders per status."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import ledger, reports
from app.kernel import clock, states
from app.kernel.errors import PrepDeskError
from app.kernel.states import OrderStatus
from app.ledger import CheckReport
from ui.ops import one_line, run_op
from ui.stations.inventory.tab import fill_table, read_only_table
from ui.widgets.common import RefreshWhenShown, add_shortcuts
from ui.worker import run_task

log = logging.getLogger(__name__)


TILE_TIPS = {
    "in_bins": "Units on hand in all bins",
    "available": "Units in bins not reserved for an order",
    "reserved": "Units in bins reserved for open orders",
    "receiving": "Units received and waiting for putaway",
    "packing": "Units picked and waiting to be packed",
    "returns": "Units in RETURNS or QUARANTINE waiting for a decision (Returns tab)",
    "products_out": "Products that had stock but have nothing free in any bin",
}


def _figures() -> tuple[reports.StockTotals, list[reports.KindCount], list[reports.StatusCount]]:
    """The tab's figures, read together (one refusal message if the database is away)."""
    return reports.stock_totals(), reports.moves_by_kind(clock.today()), reports.orders_by_status()

class ReportsTab(RefreshWhenShown, QWidget):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.check_running = False
        self.last_check: CheckReport | None = None
        self.auto_check = True
        self._check_stale = False  # stock moved since the last check ran
        layout = QVBoxLayout(self)

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
        self.problems.setMaximumHeight(160)
        self.problems.hide()
        cl.addWidget(self.problems)
        layout.addWidget(check_box)

        tiles = QHBoxLayout()
        self.tiles: dict[str, QLabel] = {}
        for key, caption in (("in_bins", "Units in bins"), ("available", "Available"),
                             ("reserved", "Reserved"), ("receiving", "In receiving"),
                             ("packing", "In packing"), ("returns", "Returns"),
                             ("products_out", "Out of stock")):
            box = QGroupBox(caption)
            bl = QVBoxLayout(box)
            value = QLabel("–")
            value.setObjectName("BigFigure")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            bl.addWidget(value)
            self.tiles[key] = value
            box.setToolTip(TILE_TIPS[key])
            tiles.addWidget(box)
        layout.addLayout(tiles)

        figures = QHBoxLayout()
        moves_box = QGroupBox("Stock moves today (UTC)")
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

        bottom = QHBoxLayout()
        self.refresh_button = QPushButton("&Refresh figures")
        self.refresh_button.setToolTip("Count again (F5)")
        bottom.addStretch(1)
        bottom.addWidget(self.refresh_button)
        layout.addLayout(bottom)

        self.check_button.clicked.connect(self.run_check)
        self.refresh_button.clicked.connect(self.refresh)
        add_shortcuts(self, ("Ctrl+K", self.run_check), ("F5", self.refresh))
        for signal in (ctx.events.stock_changed, ctx.events.orders_changed):
            signal.connect(self.on_data_changed)
        self.refresh()

    # --- figures ---------------------------------------------------------------------
    def refresh(self) -> None:
        self._dirty = False
        figures = run_op(self, _figures, banner=self.check_result.setText)
        if figures is None:
            return
        totals, kinds, statuses = figures
        for key, label in self.tiles.items():
            label.setText(f"{getattr(totals, key):,}")
        fill_table(self.moves_table, ["Kind", "Moves", "Units"],
                   [(k.kind, f"{k.moves:,}", f"{k.units:,}") for k in kinds], {1, 2})
        self.moves_table.setVisible(bool(kinds))
        self.moves_empty.setVisible(not kinds)
        fill_table(self.orders_table, ["Status", "Orders"],
                   [(states.label(s.status, OrderStatus), f"{s.orders:,}") for s in statuses], {1})
        self.orders_table.setVisible(bool(statuses))
        self.orders_empty.setVisible(not statuses)
        for table in (self.moves_table, self.orders_table):
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

    def on_data_changed(self) -> None:
        self._check_stale = True
        self.refresh_or_defer()

    def showEvent(self, event) -> None:
        super().showEvent(event)  # a refresh first when data changed while hidden
        if (self.last_check is None or self._check_stale) and not self.check_running and self.auto_check:
            # Each look at the tab answers "is the ledger sound?" for the stock as it is now,
            # not as it was when the window opened. Only the moves since the last clean
            # check (a full one once a day, or by the button).
            self.run_check(incremental=True)

    # --- ledger check ------------------------------------------------------------------
    def run_check(self, incremental: bool = False) -> None:
        if self.check_running:
            return
        self.check_running = True
        self._check_stale = False
        self.check_button.setEnabled(False)
        self.check_result.setText("Checking the ledger…")
        self.check_result.setProperty("state", "")
        run_task(ledger.check, incremental=bool(incremental), on_done=self._on_check_done,
                 on_error=self._on_check_failed, cancellable=True)  # a read: stopped on quit

    def _on_check_done(self, report: CheckReport) -> None:
        self.check_running = False
        self.check_button.setEnabled(True)
        self.last_check = report
        if report.ok:
            since = f" ({report.new_moves:,} new since the last check)" if not report.full and report.new_moves else ""
            self.check_result.setText(f"OK — {report.moves:,} moves and {report.balances:,} "
                                      f"balances agree{since}.")
            self.check_result.setStyleSheet("color: #1b5e20; font-weight: bold;")
            self.problems.hide()
        else:
            self.check_result.setText(f"{len(report.problems)} problem(s) found in the ledger:")
            self.check_result.setStyleSheet("color: #b71c1c; font-weight: bold;")
            self.problems.setPlainText("\n".join(report.problems))
            self.problems.show()

    def _on_check_failed(self, exc: BaseException) -> None:
        self.check_running = False
        self.check_button.setEnabled(True)
        if not isinstance(exc, PrepDeskError):
            log.error("ledger check failed", exc_info=(type(exc), exc, exc.__traceback__))
        self.check_result.setText(f"The check could not run: {one_line(exc)}")
        self.check_result.setStyleSheet("color: #b71c1c; font-weight: bold;")
