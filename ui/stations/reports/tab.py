"""Reports tab: the supervisor's screen.

A period (today ... last 30 days, or from/to) and a client at the top; the period's headline
figures in large type; a list of sections: the trend charts, every catalog report as a table
(exportable to CSV, Ctrl+E), the audit log, and the ledger check with the stock overview. The
whole screen prints to PDF (Ctrl+P). Queries run on a worker thread; the tab reads again by
itself when another station changes data (debounced, and only while it is visible).
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import ledger, reports
from app.documents.report_pdf import PdfSection, render_report_pdf
from app.kernel import clock, states
from app.kernel.errors import PrepDeskError
from app.kernel.states import OrderStatus
from app.kernel.text import counted
from app.ledger import CheckReport
from app.reports import catalog, trends
from app.reports.table import Period, Table
from ui.ops import one_line, run_op
from ui.printing import save_file
from ui.stations.reports.charts import TrendCharts
from ui.stations.reports.ledger_page import LedgerPage
from ui.stations.reports.period_bar import PeriodBar
from ui.stations.reports.sections import AuditSection, ReportSection
from ui.widgets.common import RefreshWhenShown, add_shortcuts
from ui.widgets.tables import fill_table
from ui.widgets.tiles import figure_tiles
from ui.worker import run_task

log = logging.getLogger(__name__)

DEBOUNCE_MS = 400  # changes from other stations arrive in bursts: read once they settle
AFTER_MIDNIGHT_MS = 2000  # the day's figures are read this long after the warehouse's midnight
MAX_TIMER_MS = 26 * 3600 * 1000  # a timer is re-armed at least this often (a 25-hour DST day fits)
HEADLINE = (
    ("fulfillment_rate", "Fulfillment", "Orders shipped complete / orders received in the period "
                                             "(cancelled ones left out)"),
    ("on_time_rate", "On time", "Orders shipped complete by their due time / orders received"),
    ("median_processing_hours", "Median time", "Median hours from received to shipped, orders "
                                                     "shipped complete"),
    ("late_now", "Late now", "Open orders past their due time now"),
    ("backordered_units", "Units back-ordered", "Units short of open orders now (not orders)"),
)
TRENDS, AUDIT, LEDGER = "trends", "audit", "ledger"


def headline_text(key: str, value: object) -> str:
    """A tile's figure: rates as percentages and hours, with 2 decimals; counts with separators."""
    if value is None or key.endswith("_rate"):
        return catalog.cell_display(key, Decimal(str(value)) if value is not None else None)
    if key.endswith("_hours"):
        return f"{Decimal(str(value)):.2f} h"
    return f"{int(str(value)):,}"


def _figures() -> tuple[reports.StockTotals, list[reports.KindCount], list[reports.StatusCount]]:
    """The ledger page's figures, read together (one refusal message if the database is away)."""
    return reports.stock_totals(), reports.moves_by_kind(clock.local_today()), reports.orders_by_status()


def _overview(period: Period, client: str | None) -> tuple[Any, list[Any], list[Any]]:
    """Worker: the headline, the per-day figures and the back-order aging of the period."""
    head, days = trends.overview(period, client=client)
    return head, days, trends.backorder_aging(period, client=client)


def _all_tables(period: Period, client: str | None, options: dict[str, dict[str, object]]) -> list[Table]:
    """Worker: every catalog report of the period (for the printout)."""
    return [catalog.run(name, period, client=client, **options.get(name, {})) for name in catalog.names()]


class ReportsTab(RefreshWhenShown, QWidget):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.check_running = False
        self.last_check: CheckReport | None = None
        self.auto_check = True
        self._check_stale = False  # stock moved since the last check ran
        self.loading = 0           # report queries running on the worker
        self.printing = False
        self._generation = 0       # answers of an older period or client are dropped
        self._day = clock.local_today()  # the warehouse day the figures were read on
        self.last_saved = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)

        self.period_bar = PeriodBar()
        layout.addWidget(self.period_bar)

        tiles, self.headline_tiles = figure_tiles(HEADLINE, point_size=24, top_margin=0)
        layout.addLayout(tiles)

        body = QHBoxLayout()
        side = QVBoxLayout()
        sections_label = QLabel("&Sections")
        self.section_list = QListWidget()
        self.section_list.setFixedWidth(210)
        self.section_list.setStyleSheet("font-size: 13pt;")
        sections_label.setBuddy(self.section_list)
        side.addWidget(sections_label)
        side.addWidget(self.section_list, 1)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setToolTip("Read the figures again (F5)")
        side.addWidget(self.refresh_button)
        self.export_button = QPushButton("&Export CSV")
        self.export_button.setToolTip("Save the table shown as CSV (Ctrl+E)")
        self.print_button = QPushButton("Pri&nt PDF")
        self.print_button.setToolTip("Save the whole screen as a PDF: figures, charts, every report (Ctrl+P)")
        side.addWidget(self.export_button)
        side.addWidget(self.print_button)
        body.addLayout(side)
        self.stack = QStackedWidget()
        body.addWidget(self.stack, 1)
        layout.addLayout(body, 1)
        self.status = QLabel("")
        self.status.setObjectName("StatusText")
        self.status.setStyleSheet("font-size: 12pt;")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)

        self.keys: list[str] = []
        self.charts = TrendCharts()
        self._add_section(TRENDS, "Trends (charts)", self.charts)
        self.report_sections: dict[str, ReportSection] = {}
        for name, entry in catalog.REPORTS.items():
            section = ReportSection(name, entry.description[:1].upper() + entry.description[1:])
            section.setToolTip(entry.description)
            self.report_sections[name] = section
            self._add_section(name, catalog.header_words(name.replace("-", "_")), section)
            if section.days is not None:
                section.days.valueChanged.connect(lambda _v, n=name: self._load_section(n))
        self.audit = AuditSection()
        self._add_section(AUDIT, "Audit log", self.audit)
        self.ledger_page = LedgerPage()
        self._add_section(LEDGER, "Ledger & stock", self.ledger_page)
        # The ledger page's widgets, under the names the rest of the window knows.
        lp = self.ledger_page
        self.check_button, self.check_result, self.problems = lp.check_button, lp.check_result, lp.problems
        self.tiles, self.moves_table, self.moves_empty = lp.tiles, lp.moves_table, lp.moves_empty
        self.orders_table, self.orders_empty = lp.orders_table, lp.orders_empty
        self.section_list.setCurrentRow(0)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.load_reports)
        self.section_list.currentRowChanged.connect(self._on_section)
        self.period_bar.changed.connect(self.load_reports)
        self.check_button.clicked.connect(self.run_check)
        self.refresh_button.clicked.connect(self.refresh_now)
        self.export_button.clicked.connect(self.export_csv)
        self.print_button.clicked.connect(self.print_pdf)
        add_shortcuts(self, ("Ctrl+K", self.run_check), ("F5", self.refresh_now),
                      ("Ctrl+E", self.export_csv), ("Ctrl+P", self.print_pdf))
        for signal in (ctx.events.stock_changed, ctx.events.orders_changed, ctx.events.packages_changed,
                       ctx.events.picklists_changed, ctx.events.shipments_changed):
            signal.connect(self.on_data_changed)
        # a new zone moves "today" and every local hour and time the figures show
        ctx.events.settings_changed.connect(self.refresh_or_defer)
        # Left on screen overnight, "today" moves on at the warehouse's midnight by itself.
        self._midnight = QTimer(self)
        self._midnight.setSingleShot(True)
        self._midnight.timeout.connect(self._new_day)
        ctx.events.settings_changed.connect(self._arm_midnight)  # (a new zone, a new midnight)
        self._arm_midnight()
        self.refresh()

    def _add_section(self, key: str, title: str, widget: QWidget) -> None:
        self.keys.append(key)
        self.section_list.addItem(title)
        self.stack.addWidget(widget)

    # --- what is shown ---------------------------------------------------------------
    def current_key(self) -> str:
        return self.keys[max(0, self.stack.currentIndex())]

    def show_section(self, key: str) -> None:
        self.section_list.setCurrentRow(self.keys.index(key))

    def _on_section(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        key = self.keys[row]
        if key in self.report_sections and self.report_sections[key].stale:
            self._load_section(key)
        elif key == AUDIT and self.audit.stale:
            self.audit.load(self.audit.page)

    # --- figures ---------------------------------------------------------------------
    def refresh(self) -> None:
        """The ledger page now (small, fast queries); the period's reports a moment later on
        the worker (a burst of changes reads once)."""
        self._dirty = False
        self._day = clock.local_today()
        self.period_bar.refresh_days()  # a named period shows its new days at once
        figures = run_op(self, _figures, banner=self.check_result.setText)
        if figures is not None:
            self._show_ledger_figures(*figures)
        self._debounce.start()

    def refresh_now(self) -> None:
        self.period_bar.load_clients()
        self.refresh()
        self._debounce.stop()
        self.load_reports()

    def _show_ledger_figures(self, totals: reports.StockTotals, kinds: list[reports.KindCount],
                             statuses: list[reports.StatusCount]) -> None:
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

    def load_reports(self) -> None:
        """Read the headline, the charts and the section shown for the chosen period."""
        self._generation += 1
        self.period_bar.refresh_days()  # "today" moves on at midnight
        try:
            period, client = self.period_bar.period(), self.period_bar.client_code()
        except PrepDeskError as exc:
            self.status.setText(one_line(exc))
            return
        for section in self.report_sections.values():
            section.stale = True
        self.audit.stale = True
        generation = self._generation
        self.loading += 1
        self.status.setText(f"Reading {self.period_bar.describe()}…")
        run_task(_overview, period, client, on_done=lambda r: self._overview_done(generation, r),
                 on_error=self._failed)
        key = self.current_key()
        if key in self.report_sections:
            self._load_section(key)
        elif key == AUDIT:
            self.audit.load(self.audit.page)

    def _load_section(self, name: str) -> None:
        try:
            period, client = self.period_bar.period(), self.period_bar.client_code()
        except PrepDeskError as exc:
            self.status.setText(one_line(exc))
            return
        generation = self._generation
        self.loading += 1
        run_task(catalog.run, name, period, client=client, **self.report_sections[name].options(),
                 on_done=lambda t: self._section_done(generation, name, t), on_error=self._failed)

    def _overview_done(self, generation: int, result: tuple[Any, list[Any], list[Any]]) -> None:
        if not shiboken6.isValid(self):
            return  # the window closed while the worker read
        self.loading -= 1
        if generation != self._generation:
            return
        head, days, aging = result
        for key, label in self.headline_tiles.items():
            label.setText(headline_text(key, getattr(head, key)))
        self.charts.show_days(days)
        self.charts.show_aging(aging)
        self.status.setText(f"Showing {self.period_bar.describe()} · read at "
                            f"{clock.local_text(clock.now(), '%H:%M:%S')}")

    def _section_done(self, generation: int, name: str, table: Table) -> None:
        if not shiboken6.isValid(self):
            return  # the window closed while the worker read
        self.loading -= 1
        if generation == self._generation:
            self.report_sections[name].show_table(table)

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return  # the window closed while the worker read
        self.loading = max(0, self.loading - 1)
        if not isinstance(exc, PrepDeskError):
            log.error("report failed", exc_info=(type(exc), exc, exc.__traceback__))
        self.status.setText(f"The figures could not be read: {one_line(exc)}")

    def _print_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return  # the window closed while the worker read
        self.printing = False
        if not isinstance(exc, PrepDeskError):
            log.error("printing the reports failed", exc_info=(type(exc), exc, exc.__traceback__))
        self.status.setText(f"The PDF could not be made: {one_line(exc)}")

    def _arm_midnight(self) -> None:
        """The timer for the warehouse's next midnight (a moment after it)."""
        wait = clock.until_next_day().total_seconds() * 1000 + AFTER_MIDNIGHT_MS
        self._midnight.start(int(min(max(wait, AFTER_MIDNIGHT_MS), MAX_TIMER_MS)))

    def _new_day(self) -> None:
        if self._day != clock.local_today():
            self.refresh_or_defer()  # on screen: the new day at once; hidden: when next shown
        self._arm_midnight()

    def on_data_changed(self) -> None:
        self._check_stale = True
        self.refresh_or_defer()

    def showEvent(self, event) -> None:
        super().showEvent(event)  # a refresh first when data changed while hidden
        if self._day != clock.local_today():  # shown on another day: "today" has moved on
            self.refresh()
        if (self.last_check is None or self._check_stale) and not self.check_running and self.auto_check:
            # Each look at the tab answers "is the ledger sound?" for the stock as it is now,
            # not as it was when the window opened. Only the moves since the last clean
            # check (a full one once a day, or by the button).
            self.run_check(incremental=True)

    # --- export and print ------------------------------------------------------------
    def export_csv(self) -> str | None:
        """Save the table shown as CSV (through the catalog, as the command line writes it)."""
        key = self.current_key()
        table: Table | None = None
        if key in self.report_sections:
            if self.report_sections[key].stale:
                self.status.setText("The table is still being read: export it in a moment.")
                return None
            table = self.report_sections[key].model.table
        elif key == AUDIT:
            table = self.audit.model.table
        if table is None:
            self.status.setText("Choose a report section to export its table (the charts print with Ctrl+P).")
            return None
        try:
            p = self.period_bar.period()
        except PrepDeskError as exc:
            self.status.setText(one_line(exc))
            return None
        path = save_file(self, catalog.to_csv(table).encode("utf-8"),
                         f"{table.name}-{p.first.isoformat()}-{p.last.isoformat()}.csv", "CSV files (*.csv)")
        if path:
            self.last_saved = path
            self.status.setText(f"Saved {table.title} as {path}")
        return path

    def print_pdf(self) -> None:
        """Every report of the period, read on the worker, then the PDF with the figures and charts."""
        if self.printing:
            return
        try:
            period, client = self.period_bar.period(), self.period_bar.client_code()
        except PrepDeskError as exc:
            self.status.setText(one_line(exc))
            return
        self.printing = True
        self.status.setText("Preparing the PDF…")
        options = {name: s.options() for name, s in self.report_sections.items()}
        run_task(_all_tables, period, client, options, on_done=self._tables_for_pdf, on_error=self._print_failed)

    def _tables_for_pdf(self, tables: list[Table]) -> None:
        if not shiboken6.isValid(self):
            return  # the window closed while the worker read
        sections = [PdfSection(t.title, [catalog.header_words(c) for c in t.columns],
                               [[catalog.cell_words(c, v) for c, v in zip(t.columns, row, strict=True)] for row in t.rows],
                               t.notes, [any(isinstance(r[i], int | Decimal) for r in t.rows)
                                         for i in range(len(t.columns))])
                    for t in tables]
        figures = [(caption, self.headline_tiles[key].text()) for key, caption, _tip in HEADLINE]
        charts = [_png(view) for view in (self.charts.rates_view, self.charts.median_view,
                                          self.charts.volume_view, self.charts.aging_view)]
        run_task(render_report_pdf, "Supervisor reports", self.period_bar.describe(), figures, sections,
                 charts=charts, made=clock.local_text(clock.now()), on_done=self._pdf_done,
                 on_error=self._print_failed)

    def _pdf_done(self, pdf: bytes) -> None:
        if not shiboken6.isValid(self):
            return  # the window closed while the worker read
        self.printing = False
        try:
            p = self.period_bar.period()
        except PrepDeskError as exc:
            self.status.setText(one_line(exc))
            return
        path = save_file(self, pdf, f"reports-{p.first.isoformat()}-{p.last.isoformat()}.pdf", "PDF files (*.pdf)")
        if path:
            self.last_saved = path
            self.status.setText(f"Saved the reports as {path}")
        else:
            self.status.setText("The PDF was not saved.")

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
            self.check_result.setText(f"{counted(len(report.problems), 'problem')} found in the ledger:")
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


def _png(widget: QWidget) -> bytes:
    """A widget as it looks now, as PNG bytes."""
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buf, "PNG")
    buf.close()
    return bytes(data.data())
