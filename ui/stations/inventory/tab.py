"""Inventory tab: the searchable, sortable stock table, a product's bins and moves, and the
supervisor's corrections (adjust with a reason code, transfer between bins; a product with lots
shows its lots and expiry in each bin and is corrected one lot at a time)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import catalog, inventory, ledger
from app.catalog.scan import ScanMatch, resolve
from app.inventory import LotChoice, PlaceLot
from app.kernel import clock, units
from app.kernel.barcodes import clean_scan
from app.ledger import BinBalance, MoveRow
from app.store.db import as_datetime
from ui.models.stock_model import COLUMNS, StockModel
from ui.ops import permitted, run_op
from ui.permits import offer
from ui.stations.counting.tab import CountsDialog
from ui.stations.inventory.bins import BinsDialog
from ui.stations.inventory.dialogs import (
    AdjustDialog,
    AdjustRequest,
    TransferDialog,
    TransferRequest,
)
from ui.stations.inventory.expiring import ExpiringBox
from ui.stations.inventory.product_editor import ProductEditor
from ui.widgets.common import RefreshWhenShown, add_shortcuts, remember_divider
from ui.widgets.stray_scan import takes_scans
from ui.widgets.tables import fill_table, read_only_table

log = logging.getLogger(__name__)


MOVE_HEADERS = ["When", "From", "To", "Qty", "Kind", "Who", "Why"]
BIN_HEADERS = ["Location", "On hand", "Reserved", "Available"]
LOT_BIN_HEADERS = ["Location", "Lot", "Expiry", "On hand", "Reserved", "Available"]
# Re-exported: the dialogs and what they return are part of the tab's interface.
__all__ = ["AdjustDialog", "AdjustRequest", "InventoryTab", "TransferDialog", "TransferRequest", "fill_table",
           "read_only_table"]


def _size_text(info: catalog.ProductInfo) -> str:
    """The product's weight and size in the warehouse's units ("" when not recorded)."""
    parts = [units.weight_text(info.weight_kg)] if info.weight_kg else []
    if info.length_cm and info.width_cm and info.height_cm:
        parts.append(units.dimensions_text(info.length_cm, info.width_cm, info.height_cm))
    return "   " + " · ".join(parts) if parts else ""


def _product_details(product_id: int) -> tuple[catalog.ProductInfo, list[BinBalance], list[MoveRow], bool,
                                                list[PlaceLot]]:
    """A product, where it is (per lot for a product with lots), and its latest moves."""
    return (catalog.product_info(product_id), ledger.balances(product_id),
            ledger.moves_for(product_id=product_id, limit=50), inventory.tracks_lots(product_id),
            inventory.where_it_is(product_id))


def _bin_rows(tracked: bool, places: list[PlaceLot]) -> list[tuple]:
    if not tracked:
        return [(x.location, x.on_hand, x.reserved, x.available) for x in places]
    return [(x.location, x.lot or "(no lot)", f"{x.expiry:%m-%d-%Y}" if x.expiry else "", x.on_hand,
             x.reserved, x.available) for x in places]


class InventoryTab(RefreshWhenShown, QWidget):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._product_id: int | None = None
        self._product_sku = ""
        self._balances: list[BinBalance] = []
        self._tracked = False

        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        outer.addLayout(bar)
        self.search = QLineEdit()
        self.search.setObjectName("BigInput")
        self.search.setPlaceholderText("Search SKU, name or scan a barcode  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        takes_scans(self.search)  # a scanned barcode is what to search for
        bar.addWidget(self.search, 3)
        self.client = QComboBox()
        self.client.setToolTip("Show one client's products (Alt+L)")
        self._load_clients()
        client_label = QLabel("C&lient")
        client_label.setBuddy(self.client)
        bar.addWidget(client_label)
        bar.addWidget(self.client, 1)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setToolTip("Read the stock again (F5)")
        bar.addWidget(self.refresh_button)
        self.counts_button = QPushButton("Cou&nts…")
        self.counts_button.setToolTip("Blind cycle counts by scanner (Alt+N)")
        self.counts_button.clicked.connect(self.open_counts)
        bar.addWidget(self.counts_button)
        self.bins_button = QPushButton("&Bins…")
        self.bins_button.setToolTip("The bins: add one, close or open one, import them from CSV (supervisor)")
        self.bins_button.clicked.connect(self.open_bins)
        bar.addWidget(self.bins_button)
        if not ctx.actor.may("add locations"):  # (hidden, never shown: it has no window of its own yet)
            self.bins_button.hide()

        # The table gets the full width (nine columns in a big font); the detail sits below.
        split = QSplitter(Qt.Orientation.Vertical)
        outer.addWidget(split, 1)

        top = QWidget()
        top_l = QVBoxLayout(top)
        top_l.setContentsMargins(0, 0, 0, 0)
        self.model = StockModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        # Fixed row heights: the view never measures 100,000 rows.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        bold = QFont(header.font())
        bold.setPointSize(13)
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        widths = {"client": 110, "sku": 190, "name": 320}
        for i, col in enumerate(COLUMNS):
            # never clip a header: at least as wide as its title in the big bold font
            header.resizeSection(i, max(widths.get(col.key, 0), metrics.horizontalAdvance(col.header) + 40))
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        top_l.addWidget(self.table, 1)
        self.count_label = QLabel()
        top_l.addWidget(self.count_label)
        split.addWidget(top)

        # Below: the selected product and its actions in one row across the width, then where
        # it is, its recent moves and what expires soon side by side (at 768 px high the bins
        # must not share a narrow column with a three-line heading and the buttons).
        bottom = QWidget()
        bottom_v = QVBoxLayout(bottom)
        bottom_v.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.title = QLabel("Select a product")
        self.title.setObjectName("Heading")
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)
        actions = QHBoxLayout()
        self.adjust_button = QPushButton("&Adjust…")
        self.adjust_button.setToolTip("Correct a balance with a reason code (supervisor) — Ctrl+J"
                                      if ctx.actor.role == "supervisor" else
                                      "Only a supervisor can adjust stock")
        self.transfer_button = QPushButton("&Transfer…")
        self.transfer_button.setToolTip("Move free stock to another bin — Ctrl+T")
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setToolTip("Edit the product: name, barcodes, weight, size, prep (supervisor) — F2")
        actions.addWidget(self.adjust_button)
        actions.addWidget(self.transfer_button)
        actions.addWidget(self.edit_button)
        offer(ctx.actor, {self.adjust_button: "adjust stock", self.transfer_button: "transfer stock",
                          self.edit_button: "edit products"})
        head.addLayout(actions)
        bottom_v.addLayout(head)
        bottom_l = QHBoxLayout()
        bottom_v.addLayout(bottom_l, 1)
        product = QWidget()
        product_l = QVBoxLayout(product)
        product_l.setContentsMargins(0, 0, 0, 0)
        bins_box = QGroupBox("Where it is")
        bl = QVBoxLayout(bins_box)
        self.bins_table = read_only_table()
        bl.addWidget(self.bins_table)
        product_l.addWidget(bins_box, 1)
        self.message = QLabel("")
        self.message.setObjectName("StatusText")
        self.message.setWordWrap(True)
        product_l.addWidget(self.message)
        bottom_l.addWidget(product, 2)
        # The product's recent moves and the stock expiring soon share the width left of the
        # bins (side by side at 1366x768 each was too narrow for its columns).
        self.side_tabs = QTabWidget()
        self.moves_table = read_only_table()
        self.side_tabs.addTab(self.moves_table, "Recent &moves")
        self.expiring = ExpiringBox(self)
        self.expiring.setTitle("")
        self.expiring.setFlat(True)  # the tab is its frame
        self.side_tabs.addTab(self.expiring, "E&xpiring soon")
        bottom_l.addWidget(self.side_tabs, 3)
        split.addWidget(bottom)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([440, 460])  # the bins and moves of the product picked matter as much as the list
        split.setChildrenCollapsible(False)
        remember_divider(split, ctx.settings, "inventory/list-detail")

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(300)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.on_search_entered)
        self.client.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.refresh_button.clicked.connect(self.refresh)
        self.adjust_button.clicked.connect(self.adjust_selected)
        self.transfer_button.clicked.connect(self.transfer_selected)
        self.edit_button.clicked.connect(self.edit_selected)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        ctx.events.stock_changed.connect(self.refresh_or_defer)
        ctx.events.changed.connect(self._on_changes)

        add_shortcuts(self, ("Ctrl+F", self.focus_search), ("F5", self.refresh),
                      ("Ctrl+J", self.adjust_selected), ("Ctrl+T", self.transfer_selected),
                      ("F2", self.edit_selected))

        self.setTabOrder(self.search, self.client)
        self.setTabOrder(self.client, self.refresh_button)
        self.setTabOrder(self.refresh_button, self.table)
        self.setTabOrder(self.table, self.adjust_button)
        self.setTabOrder(self.adjust_button, self.transfer_button)
        self.setTabOrder(self.transfer_button, self.edit_button)
        self._update_count()
        self._show_product(None)
        self.expiring.reload(self.client.currentData())  # shown filled, not only after a refresh

    # --- list ------------------------------------------------------------------------
    def grab_focus(self) -> None:
        """Showing the tab puts the cursor in the search box (a scanner can type there)."""
        QTimer.singleShot(0, self, self.focus_search)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _load_clients(self) -> None:
        """(Re)fill the client filter, keeping the chosen client."""
        chosen = self.client.currentData()
        self.client.blockSignals(True)
        try:
            self.client.clear()
            self.client.addItem("All clients", None)
            clients = run_op(self, catalog.list_clients,
                             banner=lambda message: log.warning("cannot list clients: %s", message))
            for c in clients or []:
                self.client.addItem(f"{c.code} — {c.name}", c.code)
        finally:
            index = self.client.findData(chosen)
            self.client.setCurrentIndex(max(0, index))
            self.client.blockSignals(False)

    def on_search_entered(self) -> None:
        # A scanner may type into the search box too: drop its prefix/suffix and control chars.
        settings = self.ctx.settings
        cleaned = clean_scan(self.search.text(), prefix=settings.scanner_prefix,
                             suffix=settings.scanner_suffix)
        if cleaned != self.search.text():
            self.search.blockSignals(True)
            self.search.setText(cleaned)
            self.search.blockSignals(False)
        self.apply_filter()

    def _on_changes(self, news) -> None:
        if "product" in news:  # a product's name or codes changed (here or at another station)
            self.refresh_or_defer()

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(search=self.search.text(), client=self.client.currentData())
        self.expiring.reload(self.client.currentData())
        if self.model.rowCount() == 1:
            self.select_row(0)
        elif self._product_id is not None:
            self._reselect()

    def refresh(self) -> None:
        self._load_clients()
        self.model.reload(keep_loaded=True)
        self.expiring.reload(self.client.currentData())
        self._reselect()
        self._dirty = False

    def _update_count(self, *_args) -> None:
        total, loaded = self.model.total, self.model.rowCount()
        more = f" (showing {loaded:,}; scroll for more)" if loaded < total else ""
        self.count_label.setText(f"{total:,} products{more}")

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def select_product(self, product_id: int) -> bool:
        row = self.model.row_of_product(product_id)
        if row < 0:
            return False
        self.select_row(row)
        return True

    def _reselect(self) -> None:
        if self._product_id is None:
            return
        if not self.select_product(self._product_id):
            self._show_product(self._product_id)  # not in the loaded rows: keep the detail

    def _on_current_changed(self, current, _previous) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        self._show_product(row.product_id if row else None)

    # --- detail ----------------------------------------------------------------------
    @property
    def product_id(self) -> int | None:
        return self._product_id

    def _show_product(self, product_id: int | None) -> None:
        self._product_id = product_id
        enabled = product_id is not None
        self.adjust_button.setEnabled(enabled)
        self.transfer_button.setEnabled(enabled)
        self.edit_button.setEnabled(enabled and self.ctx.actor.may("edit products"))
        if product_id is None:
            self.title.setText("Select a product")
            self._balances = []
            self._tracked = False
            fill_table(self.bins_table, BIN_HEADERS, [], set())
            fill_table(self.moves_table, MOVE_HEADERS, [], set())
            return
        details = run_op(self, _product_details, product_id, banner=self.title.setText)
        if details is None:
            return
        info, self._balances, moves, self._tracked, places = details
        self._product_sku = info.sku
        self.title.setText(f"{info.client_code}  {info.sku}  {info.name}{_size_text(info)}")  # one line if it fits
        headers = LOT_BIN_HEADERS if self._tracked else BIN_HEADERS
        fill_table(self.bins_table, headers, _bin_rows(self._tracked, places),
                   set(range(len(headers) - 3, len(headers))))
        fill_table(self.moves_table, MOVE_HEADERS, [self._move_cells(m) for m in moves], {3})

    @staticmethod
    def _move_cells(m: MoveRow) -> tuple:
        when = clock.local_text(as_datetime(m.created_at), "%m-%d %H:%M")  # the warehouse's time
        why = m.reason or m.doc_ref
        return (when, m.from_location, m.to_location, m.qty, m.kind, m.user_name, why)

    # --- actions ---------------------------------------------------------------------
    def _lots_in(self, location_code: str) -> list[LotChoice]:
        """The selected product's lots in a location, for the dialogs' lot choice."""
        if self._product_id is None or not location_code:
            return []
        return run_op(self, inventory.lot_choices, self._product_id, location_code,
                      banner=self.message.setText) or []

    @staticmethod
    def _read_scan(code: str) -> ScanMatch:
        """What a scan in the dialogs is: a product (a GS1 code's lot and expiry with it) or a bin."""
        return resolve(code, kinds=("product", "location"))

    def ask_adjust(self) -> AdjustRequest | None:
        dialog = AdjustDialog(self._product_sku, self._balances, self,
                              lots_in=self._lots_in if self._tracked else None, read_scan=self._read_scan,
                              product_id=self._product_id)
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_transfer(self) -> TransferRequest | None:
        dialog = TransferDialog(self._product_sku, self._balances, self,
                                lots_in=self._lots_in if self._tracked else None, read_scan=self._read_scan,
                                product_id=self._product_id)
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def open_counts(self) -> None:
        """The counts station in a window of its own (a counter keeps it open while scanning)."""
        CountsDialog(self.ctx, self).exec()

    def open_bins(self) -> None:
        """The supervisor's list of bins; the stock shown is read again afterwards (a closed bin's
        units are no longer available)."""
        dialog = BinsDialog(self.ctx.actor, self, settings=self.ctx.settings)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
        self.refresh()

    def adjust_selected(self) -> bool:
        if self._product_id is None:
            return False
        if not permitted(self, self.ctx.actor, action="adjust stock"):
            return False
        req = self.ask_adjust()
        if req is None:
            return False
        move_id = run_op(self, inventory.adjust, self._product_id, req.location, req.delta,
                         reason=req.reason, note=req.note, actor=self.ctx.actor, lot=req.lot or None,
                         expiry=req.expiry)
        if move_id is None:
            self.table.setFocus()
            return False
        self._done(f"Adjusted {self._what(req.lot)} in {req.location} by {req.delta:+d} ({req.reason}).")
        return True

    def transfer_selected(self) -> bool:
        if self._product_id is None:
            return False
        if not permitted(self, self.ctx.actor, action="transfer stock"):
            return False
        req = self.ask_transfer()
        if req is None:
            return False
        move_id = run_op(self, inventory.transfer, self._product_id, req.from_bin, req.to_bin,
                         req.qty, actor=self.ctx.actor, lot=req.lot or None)
        if move_id is None:
            self.table.setFocus()
            return False
        self._done(f"Moved {req.qty} × {self._what(req.lot)} from {req.from_bin} to {req.to_bin}.")
        return True

    def edit_selected(self) -> bool:
        """The product editor for the selected product (F2)."""
        if self._product_id is None:
            return False
        if not permitted(self, self.ctx.actor, action="edit products"):
            return False
        dialog = ProductEditor(self.ctx, self._product_id, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.detail is None:
            self.table.setFocus()
            return False
        self._done(f"Saved {dialog.detail.sku}.")
        self.refresh()
        return True

    def _what(self, lot: str) -> str:
        return f"{self._product_sku} lot {lot}" if lot else self._product_sku

    def _done(self, text: str) -> None:
        self.message.setText(text)
        # The move's commit reaches every screen through AppEvents.stock_changed; a hidden
        # tab refreshes now so it is right when shown.
        if not self.isVisible():
            self.refresh()
        self.table.setFocus()
