"""Billing tab (supervisor): a client's statement for a period (lines, total), saved as PDF or
CSV; the client's rate card with a date prices apply from; manual charges.

The statement is computed and the PDF rendered on a worker thread (a long period reads many
moves); the tab only shows what ``app.billing`` returns.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import billing, catalog
from app.kernel.errors import PrepDeskError
from ui.ops import one_line, run_op, show_warning
from ui.printing import save_file
from ui.stations.billing.panels import ChargePanel, RatePanel, date_edit, today
from ui.widgets.common import add_shortcuts
from ui.widgets.file_dialog import ask_save_path
from ui.widgets.tables import fill_table, read_only_table
from ui.worker import run_task

log = logging.getLogger(__name__)


class BillingTab(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.shown: billing.Statement | None = None
        self.busy = False
        layout = QHBoxLayout(self)

        left = QVBoxLayout()
        # The client on a row of its own (its code and whole name), the period and Show below.
        who, picks = QHBoxLayout(), QHBoxLayout()
        self.client_box = QComboBox()
        self.client_box.setMinimumContentsLength(8)
        self.client_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        yesterday = today().addDays(-1)  # the last day that has ended: a statement bills finished days
        self.first = date_edit(yesterday.addDays(1 - yesterday.day()))
        self.last = date_edit(yesterday)
        for row, caption, widget in ((who, "&Client", self.client_box), (picks, "Fr&om", self.first),
                                     (picks, "&To", self.last)):
            label = QLabel(caption)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget, 1 if widget is self.client_box else 0)
        self.show_button = QPushButton("&Show")
        self.show_button.setToolTip("Compute the statement of the period (F5)")
        picks.addWidget(self.show_button)
        picks.addStretch(1)
        left.addLayout(who)
        left.addLayout(picks)
        self.table = read_only_table()
        left.addWidget(self.table, 1)
        self.total = QLabel("Total: –")
        self.total.setObjectName("Heading")
        left.addWidget(self.total)
        self.status = QLabel("Pick a client and a period, then Show (F5).")
        self.status.setWordWrap(True)
        left.addWidget(self.status)
        saves = QHBoxLayout()
        self.pdf_button = QPushButton("Save P&DF…")
        self.pdf_button.setToolTip("Issue the statement (it gets the next number) and save it as a PDF invoice")
        self.csv_button = QPushButton("E&xport CSV…")
        self.csv_button.setToolTip("Save the lines as CSV: fee,quantity,rate,amount and the total")
        for button in (self.pdf_button, self.csv_button):
            button.setEnabled(False)
            saves.addWidget(button)
        self.saved = QLabel("")
        self.saved.setWordWrap(True)
        saves.addWidget(self.saved, 1)
        left.addLayout(saves)
        layout.addLayout(left, 3)

        side = QGroupBox("Client account")
        sl = QVBoxLayout(side)
        self.pages = QTabWidget()
        self.rates = RatePanel(self.client, self.refresh_if_shown, lambda: self.ctx.actor)
        self.charges = ChargePanel(self.client, self.refresh_if_shown, lambda: self.ctx.actor)
        self.pages.addTab(self.rates, "Rate card")
        self.pages.addTab(self.charges, "Manual charge")
        sl.addWidget(self.pages)
        layout.addWidget(side, 2)

        self.show_button.clicked.connect(self.refresh)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.csv_button.clicked.connect(self.save_csv)
        self.client_box.currentIndexChanged.connect(self._client_changed)
        add_shortcuts(self, ("F5", self.refresh))
        self.load_clients()

    # --- the client and period ---------------------------------------------------------------
    def load_clients(self) -> None:
        clients = run_op(self, catalog.list_clients, banner=self.status.setText) or []
        self.client_box.blockSignals(True)
        self.client_box.clear()
        for c in clients:
            self.client_box.addItem(f"{c.code} — {c.name}", c.code)
        self.client_box.blockSignals(False)
        self._client_changed()

    def client(self) -> str:
        return str(self.client_box.currentData() or "")

    def period(self) -> tuple[dt.date, dt.date]:
        return self.first.date().toPython(), self.last.date().toPython()

    def set_period(self, first: dt.date, last: dt.date) -> None:
        self.first.setDate(QDate(first.year, first.month, first.day))
        self.last.setDate(QDate(last.year, last.month, last.day))

    def _client_changed(self) -> None:
        self.shown = None
        self._show_lines(None)
        self.rates.refresh()

    # --- the statement ------------------------------------------------------------------------
    def refresh_if_shown(self) -> None:
        if self.shown is not None:
            self.refresh()

    def refresh(self) -> None:
        if self.busy or not self.client():
            return
        first, last = self.period()
        self.busy = True
        self.show_button.setEnabled(False)
        self.status.setText(f"Counting {self.client()}'s activity from {first} to {last}…")
        run_task(billing.statement, self.client(), first, last, on_done=self._on_statement,
                 on_error=self._on_failed)

    def _on_statement(self, st: billing.Statement) -> None:
        self.busy = False
        self.show_button.setEnabled(True)
        self.shown = st
        self._show_lines(st)

    def _on_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.show_button.setEnabled(True)
        self.pdf_button.setEnabled(self.shown is not None)
        if not isinstance(exc, PrepDeskError):
            log.error("billing task failed", exc_info=(type(exc), exc, exc.__traceback__))
        self.status.setText(one_line(exc))

    def _show_lines(self, st: billing.Statement | None) -> None:
        rows = [] if st is None else [(billing.fee_title(ln.fee), f"{ln.quantity:,}", ln.rate_text, ln.amount_text)
                                      for ln in st.lines]
        fill_table(self.table, ["Fee", "Quantity", "Rate", "Amount"], rows, {1, 2, 3}, stretch=0)
        self.total.setText("Total: –" if st is None else f"Total: {st.total_text} {st.currency}")
        for button in (self.pdf_button, self.csv_button):
            button.setEnabled(st is not None)
        if st is None:
            self.status.setText("Pick a client and a period, then Show (F5).")
            return
        notes = [f"{st.unit_days:,} unit-days and {st.bin_days:,} bin-days of storage."]
        notes += [f"Not billed: {qty:,} of {billing.fee_title(fee)} (no price on the card)." for fee, qty in st.unpriced]
        so_far = f" ({st.so_far_text})" if st.so_far else ""
        self.status.setText(f"{st.client_code}, {st.first} to {st.last}{so_far}: " + " ".join(notes))

    # --- saving ------------------------------------------------------------------------------
    def save_csv(self) -> None:
        if self.shown is None:
            return
        st = self.shown
        name = f"statement-{st.client_code}-{st.first}-{st.last}.csv"
        path = save_file(self, billing.statement_csv(st).encode("utf-8"), name, "CSV files (*.csv)")
        if path:
            self.saved.setText(f"Saved {path}")

    def save_pdf(self) -> None:
        if self.shown is None or self.busy:
            return
        st = self.shown
        try:  # a period not yet ended is refused before a file is asked for
            billing.check_issuable(st.first, st.last)
        except PrepDeskError as exc:
            show_warning(self, one_line(exc))
            self.status.setText(one_line(exc))
            return
        path = ask_save_path(self, "Save statement", f"statement-{st.client_code}-{st.first}-{st.last}.pdf",
                             "PDF files (*.pdf)")
        if not path:
            return
        try:  # a file that cannot be written is refused before the statement takes its number
            billing.pdf_destination(path)
        except PrepDeskError as exc:
            show_warning(self, one_line(exc))
            return
        self.busy = True
        self.pdf_button.setEnabled(False)
        self.status.setText("Issuing the statement…")
        run_task(billing.save_statement_pdf, st.client_code, st.first, st.last, path, actor=self.ctx.actor,
                 on_done=lambda issued: self._pdf_saved(issued.number, path), on_error=self._pdf_failed)

    def _pdf_saved(self, number: str, path: str) -> None:
        self.busy = False
        self.pdf_button.setEnabled(True)
        self.status.setText(f"Statement {number} issued.")
        self.saved.setText(f"Saved {path}")

    def _pdf_failed(self, exc: BaseException) -> None:
        """An issued statement whose file failed is offered to be saved elsewhere."""
        if not isinstance(exc, billing.StatementNotSaved):
            self._on_failed(exc)
            return
        self.busy = False
        self.pdf_button.setEnabled(True)
        show_warning(self, f"Statement {exc.number} was issued but cannot be saved to {exc.path}: {exc.reason}. "
                     "Choose another place to save it.")
        path = save_file(self, exc.pdf, exc.path.name, "PDF files (*.pdf)")
        if path:
            self._pdf_saved(exc.number, path)
        else:
            self.status.setText(one_line(exc))
