"""Clients tab (supervisor): the client list and the editor of one client's account — address,
contact, logo, returns note, packing instructions, defaults — saved with Ctrl+S."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.catalog import clients
from app.catalog.clients import ClientSummary
from app.store.changes import Changes
from ui.ops import run_op
from ui.permits import offer
from ui.stations.clients.editor import ClientEditor
from ui.widgets.common import RefreshWhenShown, add_shortcuts
from ui.widgets.tables import fill_table, read_only_table

log = logging.getLogger(__name__)

LIST_WIDTH = 300


class ClientsTab(RefreshWhenShown, QWidget):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[ClientSummary] = []

        outer = QHBoxLayout(self)
        side = QVBoxLayout()
        self.table: QTableWidget = read_only_table()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setToolTip("Clients (Ctrl+F); the editor shows the one selected")
        side.addWidget(self.table, 1)
        self.show_inactive = QCheckBox("Show &deactivated")
        side.addWidget(self.show_inactive)
        self.new_button = QPushButton("Ne&w client")
        self.new_button.setToolTip("An empty form for a new client (Ctrl+N)")
        side.addWidget(self.new_button)
        holder = QWidget()
        holder.setLayout(side)
        holder.setFixedWidth(LIST_WIDTH)
        outer.addWidget(holder)
        self.editor = ClientEditor(ctx, self)
        outer.addWidget(self.editor, 1)
        offer(ctx.actor, {self.new_button: "edit clients", self.editor.save_button: "edit clients",
                          self.editor.logo_button: "edit clients", self.editor.remove_logo_button: "edit clients"})

        self.table.currentCellChanged.connect(self._on_current_changed)
        self.show_inactive.toggled.connect(lambda _on: self.refresh())
        self.new_button.clicked.connect(self.new_client)
        self.editor.saved.connect(self._after_save)
        ctx.events.changed.connect(self._on_changes)
        add_shortcuts(self, ("Ctrl+S", self.editor.save), ("Ctrl+N", self.new_client), ("F5", self.refresh),
                      ("Ctrl+I", self.editor.import_products),
                      ("Ctrl+F", self.table.setFocus))
        self.setTabOrder(self.table, self.show_inactive)
        self.setTabOrder(self.show_inactive, self.new_button)
        self.setTabOrder(self.new_button, self.editor.code)
        self.refresh()

    def grab_focus(self) -> None:
        QTimer.singleShot(0, self, self.table.setFocus)

    def _on_changes(self, news: Changes) -> None:
        if "client" in news:
            self.refresh_or_defer()

    def refresh(self, keep: str | None = None) -> None:
        """Read the list again, keeping the selected client (or ``keep``)."""
        keep = keep or (self.editor.detail.code if self.editor.detail else None)
        rows = run_op(self, clients.list_clients, include_inactive=self.show_inactive.isChecked(),
                      banner=lambda m: self.editor.say(m, error=True))
        self._dirty = False
        if rows is None:
            return
        self.rows = rows
        codes = [r.code for r in rows]
        typing_a_new_one = self.editor.detail is None and bool(self.editor.code.text().strip())
        shown = keep if keep in codes else (codes[0] if codes and not typing_a_new_one else None)
        self.table.blockSignals(True)  # the one client to show is shown once, below
        try:
            fill_table(self.table, ["Code", "Name"],
                       [(r.code, r.name if r.active else f"{r.name} (inactive)") for r in rows], set(), stretch=1)
            if shown is not None:
                self.table.setCurrentCell(codes.index(shown), 0)
        finally:
            self.table.blockSignals(False)
        if shown is not None:
            self.show_client(shown)

    def _on_current_changed(self, row: int, _col: int, _prev_row: int, _prev_col: int) -> None:
        if not 0 <= row < len(self.rows):
            return
        code = self.rows[row].code
        shown = self.editor.detail.code if self.editor.detail is not None else None
        if code != shown and not self.editor.may_leave():
            self._select(shown)  # kept: the person went back to the form
            return
        self._select(code)  # (a save in between read the list again)
        self.show_client(code)

    def _select(self, code: str | None) -> None:
        """Select ``code``'s row (none: no row) without showing it again."""
        codes = [r.code for r in self.rows]
        self.table.blockSignals(True)
        try:
            if code in codes:
                self.table.setCurrentCell(codes.index(code), 0)
            else:
                self.table.clearSelection()
                self.table.setCurrentCell(-1, -1)
        finally:
            self.table.blockSignals(False)

    def show_client(self, code: str) -> None:
        """Show a client's account; the one being edited keeps what was typed and not saved yet
        (another station's change to it shows after Save or when another client was shown)."""
        if self.editor.detail is not None and self.editor.detail.code == code and self.editor.typed():
            return
        detail = run_op(self, clients.client_detail, code, banner=lambda m: self.editor.say(m, error=True))
        if detail is not None:
            self.editor.load(detail)

    def new_client(self) -> None:
        """An empty form, once what the form holds unsaved is saved or discarded."""
        if not self.editor.may_leave():
            return
        self._select(None)
        self.editor.load(None)
        self.editor.code.setFocus()

    def _after_save(self, code: str) -> None:
        self.refresh(keep=code)
        self.editor.say(f"Saved {code}.")
