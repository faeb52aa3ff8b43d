"""Returns tab: the returns desk (RMA, units and their disposition, by scanner alone) and,
beside it, the units waiting in RETURNS and QUARANTINE staging, which a supervisor restocks to
a bin or scraps."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import inventory, reports
from app.inventory import LotChoice
from app.ledger import locations
from app.reports.today import StagedStock
from ui.ops import permitted, run_op
from ui.permits import offer
from ui.stations.returns.desk import ReturnsDesk
from ui.widgets.common import RefreshWhenShown, add_shortcuts, ok_cancel_buttons
from ui.widgets.scan_field import ScanBurstGuard
from ui.widgets.tables import fill_table, read_only_table


@dataclass(frozen=True)
class RestockRequest:
    to_bin: str
    qty: int
    lot: str = ""  # "" for a product without lots


@dataclass(frozen=True)
class ScrapRequest:
    qty: int
    reason: str


def _free_units_spin(row: StagedStock) -> QSpinBox:
    """A quantity from 1 to the row's free units, all of them to start with."""
    spin = QSpinBox()
    free = max(1, row.on_hand - row.reserved)
    spin.setRange(1, free)
    spin.setValue(free)
    return spin


class RestockDialog(QDialog):
    """A bin and a quantity (and, for a product with lots, which of the lots waiting there)."""

    def __init__(self, row: StagedStock, parent: QWidget | None = None, *,
                 lots: list[LotChoice] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Restock {row.sku} from {row.location}")
        self.setMinimumWidth(480)
        form = QFormLayout(self)
        self._lots = [x for x in lots or [] if x.free > 0]
        self.lot: QComboBox | None = None
        if lots is not None:  # a product with lots: the lot waiting, its expiry and units
            self.lot = QComboBox()
            for choice in self._lots:
                self.lot.addItem(choice.text(), choice.lot)
            chosen = self.lot.findData(row.lot)  # the lot of the row picked in the list
            if chosen >= 0:
                self.lot.setCurrentIndex(chosen)
            label = QLabel("L&ot")
            label.setBuddy(self.lot)
            form.addRow(label, self.lot)
        self.target = QComboBox()
        self.target.setEditable(True)
        self.target.addItems([loc.code for loc in locations.list_locations(kind="bin")])
        self.target.setCurrentText("")
        form.addRow("To &bin", self.target)
        self.qty = _free_units_spin(row)
        form.addRow("&Quantity", self.qty)
        form.addRow(ok_cancel_buttons(self))
        # A bin's label scanned here is the bin to go to (in any field); the scan's Enter
        # restocks nothing before the quantity was seen.
        self.guard = ScanBurstGuard(self, on_scan=self.on_scan).watch_dialog(self)
        if self.lot is not None:
            self.lot.currentIndexChanged.connect(lambda _i: self._lot_qty())
            self._lot_qty()
        self.target.setFocus()

    def on_scan(self, code: str) -> None:
        self.target.setCurrentText(code.upper())
        self.qty.setFocus()
        self.qty.selectAll()

    def _lot_qty(self) -> None:
        """From 1 to the chosen lot's free units, all of them to start with."""
        index = self.lot.currentIndex() if self.lot is not None else -1
        if 0 <= index < len(self._lots):
            self.qty.setRange(1, max(1, self._lots[index].free))
            self.qty.setValue(self._lots[index].free)

    def request(self) -> RestockRequest:
        lot = str(self.lot.currentData() or "") if self.lot is not None else ""
        return RestockRequest(self.target.currentText().strip().upper(), self.qty.value(), lot)


class ScrapDialog(QDialog):
    def __init__(self, row: StagedStock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        what = f"{row.sku} lot {row.lot}" if row.lot else row.sku
        self.setWindowTitle(f"Scrap {what} from {row.location}")
        self.setMinimumWidth(480)
        form = QFormLayout(self)
        self.qty = _free_units_spin(row)
        form.addRow("&Quantity", self.qty)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. damaged in transit, opened, expired")
        form.addRow("&Reason", self.reason)
        form.addRow(ok_cancel_buttons(self))
        # A unit's scan landing here must not scrap anything with its code as the reason:
        # a burst ending in Enter is taken back out and shown as not taken.
        self.guard = ScanBurstGuard(self).watch(self.reason).watch_dialog(self)  # (the quantity too)
        self.reason.setFocus()

    def request(self) -> ScrapRequest:
        return ScrapRequest(self.qty.value(), self.reason.text().strip())


class ReturnsTab(RefreshWhenShown, QWidget):
    HEADERS = ["Staging", "Client", "SKU", "Name", "Lot", "Units"]

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[StagedStock] = []
        # The desk and the staged stock side by side, so the tab fits a 1366x768 screen.
        outer = QHBoxLayout(self)
        self.desk = ReturnsDesk(ctx)
        outer.addWidget(self.desk, 3)
        staged = QWidget()
        layout = QVBoxLayout(staged)
        layout.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(staged, 2)
        heading = QLabel("Returned and quarantined stock waiting for a decision")
        heading.setObjectName("Heading")
        layout.addWidget(heading)
        heading.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = read_only_table()
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.restock_button = QPushButton("&Restock to bin…")
        self.restock_button.setToolTip("Put the units back into a bin as sellable stock (Ctrl+R)")
        self.scrap_button = QPushButton("&Scrap…")
        self.scrap_button.setToolTip("Dispose of the units: a scrap move, supervisor only (Ctrl+D)")
        self.refresh_button = QPushButton("R&efresh")  # Alt+F is the File menu
        self.refresh_button.setToolTip("Read the staging areas again (F5)")
        for b in (self.restock_button, self.scrap_button):
            buttons.addWidget(b)
        offer(ctx.actor, {self.restock_button: "transfer stock", self.scrap_button: "scrap stock"})
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout.addLayout(buttons)
        self.message = QLabel("")
        self.message.setObjectName("StatusText")
        layout.addWidget(self.message)

        self.restock_button.clicked.connect(self.restock_selected)
        self.scrap_button.clicked.connect(self.scrap_selected)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        add_shortcuts(self, ("Ctrl+R", self.restock_selected), ("Ctrl+D", self.scrap_selected),
                      ("F5", self.refresh))
        ctx.events.stock_changed.connect(self.refresh_or_defer)
        self.refresh()

    def grab_focus(self) -> None:
        """Showing the tab puts the cursor in the desk's scan field (a click on the list below
        picks a row for Ctrl+R / Ctrl+D)."""
        self.desk.scan_field.grab_focus()

    def refresh(self) -> None:
        self.rows = run_op(self, reports.staged_stock, banner=self.message.setText) or []
        fill_table(self.table, self.HEADERS,
                   [(r.location, r.client, r.sku, r.name, r.lot_text, r.on_hand) for r in self.rows], {5},
                   stretch=3)
        units = {}
        for r in self.rows:
            units[r.location] = units.get(r.location, 0) + r.on_hand
        parts = [f"{code}: {units.get(code, 0):,} unit{'' if units.get(code, 0) == 1 else 's'}"
                 for code in reports.STAGING_FOR_DISPOSITION]
        self.summary.setText("   ·   ".join(parts) + ("" if self.rows else "  —  nothing waiting"))
        if self.rows:
            self.table.selectRow(0)
        self._update_buttons()
        self._dirty = False

    def selected(self) -> StagedStock | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def select(self, location: str, sku: str, lot: str | None = None) -> bool:
        for i, r in enumerate(self.rows):
            if r.location == location and r.sku == sku and (lot is None or r.lot == lot):
                self.table.selectRow(i)
                return True
        return False

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.restock_button.setEnabled(has)
        self.scrap_button.setEnabled(has)

    def ask_restock(self, row: StagedStock) -> RestockRequest | None:
        lots = None
        if run_op(self, inventory.tracks_lots, row.product_id, banner=self.message.setText):
            lots = run_op(self, inventory.lot_choices, row.product_id, row.location,
                          banner=self.message.setText) or []
        dialog = RestockDialog(row, self, lots=lots)
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_scrap(self, row: StagedStock) -> ScrapRequest | None:
        dialog = ScrapDialog(row, self)
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def restock_selected(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        if not permitted(self, self.ctx.actor, action="transfer stock"):
            return False
        req = self.ask_restock(row)
        if req is None:
            return False
        if run_op(self, inventory.transfer, row.product_id, row.location, req.to_bin, req.qty,
                  actor=self.ctx.actor, lot=req.lot or None) is None:
            return False
        what = f"{row.sku} lot {req.lot}" if req.lot else row.sku
        self._done(f"Restocked {req.qty} × {what} from {row.location} to {req.to_bin}.")
        return True

    def scrap_selected(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        if not permitted(self, self.ctx.actor, action="scrap stock"):
            return False
        req = self.ask_scrap(row)
        if req is None:
            return False
        if run_op(self, reports.scrap_staged, row.product_id, row.location, req.qty,
                  actor=self.ctx.actor, reason=req.reason, lot=row.lot or None) is None:
            return False
        what = f"{row.sku} lot {row.lot}" if row.lot else row.sku
        self._done(f"Scrapped {req.qty} × {what} from {row.location}.")
        return True

    def _done(self, text: str) -> None:
        # The move's commit reaches every screen through AppEvents.stock_changed; a hidden
        # tab refreshes now so it is right when shown.
        if not self.isVisible():
            self.refresh()
        self.message.setText(text)
        self.table.setFocus()
