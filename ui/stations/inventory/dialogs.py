"""The Inventory tab's correction dialogs: adjust a balance, transfer free stock.

A product with lots shows a lot choice: the lots in the chosen bin, with their expiry and
quantity (Alt+O), and the adjustment an expiry date for a new lot (Alt+X); a product without
lots shows neither. A scan in either dialog is a bin (where to) or a unit of the product (its
lot and expiry), never text in a field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.catalog.scan import ScanMatch
from app.inventory import ADJUST_REASONS, LotChoice
from app.ledger import BinBalance, locations
from ui.ops import run_op
from ui.widgets.common import ok_cancel_buttons
from ui.widgets.scan_field import ScanBurstGuard

# The lots of the product in a location (the tab asks the service; [] when none).
LotsIn = Callable[[str], list[LotChoice]]
# What a scan is: the product scanned (a GS1 code's lot and expiry with it) or a bin; the tab
# asks the catalog, which raises UnknownBarcode for anything else.
ReadScan = Callable[[str], ScanMatch]


@dataclass(frozen=True)
class AdjustRequest:
    location: str
    delta: int
    reason: str
    note: str
    lot: str = ""  # "" for a product without lots
    expiry: dt.date | None = None  # a new lot's expiry date (None: none given)


@dataclass(frozen=True)
class TransferRequest:
    from_bin: str
    to_bin: str
    qty: int
    lot: str = ""  # "" for a product without lots


def _bin_codes() -> list[str]:
    return [loc.code for loc in locations.list_locations(kind="bin")]


def _free_by_location(bins: list[BinBalance]) -> dict[str, int]:
    """Free units per location (a location holding several lots is one entry)."""
    free: dict[str, int] = {}
    for b in bins:
        free[b.location] = free.get(b.location, 0) + b.available
    return free


def _lot_combo(dialog: QDialog, form: QFormLayout, *, editable: bool) -> QComboBox:
    combo = QComboBox(dialog)
    combo.setEditable(editable)
    combo.setMinimumContentsLength(28)
    combo.setToolTip("The lot: its expiry date and the units it has here"
                     + ("; type a new lot for units found" if editable else ""))
    label = QLabel("L&ot", dialog)
    label.setBuddy(combo)
    form.addRow(label, combo)
    return combo


def _fill_lots(combo: QComboBox, lots: list[LotChoice]) -> None:
    combo.blockSignals(True)
    try:
        combo.clear()
        for choice in lots:
            combo.addItem(choice.text(), choice.lot)
        combo.setCurrentIndex(0 if lots else -1)
    finally:
        combo.blockSignals(False)


def _message(dialog: QDialog, form: QFormLayout) -> QLabel:
    label = QLabel("", dialog)
    label.setObjectName("ErrorText")
    label.setWordWrap(True)
    form.addRow(label)
    return label


def _say(label: QLabel, text: str, *, error: bool = True) -> None:
    label.setObjectName("ErrorText" if error else "StatusText")
    label.style().unpolish(label)  # the object name picks the style sheet's colour
    label.style().polish(label)
    label.setText(text)


def _choose_lot(combo: QComboBox, lot: str) -> bool:
    """Choose ``lot`` in the list; False when the list does not have it."""
    for index in range(combo.count()):
        if combo.itemData(index) == lot:
            combo.setCurrentIndex(index)
            return True
    return False


def _chosen_lot(combo: QComboBox | None) -> str:
    """The lot chosen from the list, or typed (an editable choice)."""
    if combo is None:
        return ""
    index = combo.currentIndex()
    if index >= 0 and combo.currentText() == combo.itemText(index):
        return str(combo.itemData(index) or "")
    return combo.currentText().strip()


class AdjustDialog(QDialog):
    """Count correction: location, (lot), signed quantity, reason code and a note."""

    def __init__(self, sku: str, bins: list[BinBalance], parent: QWidget | None = None, *,
                 lots_in: LotsIn | None = None, read_scan: ReadScan | None = None,
                 product_id: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Adjust stock — {sku}")
        self.setMinimumWidth(520)
        self._sku, self._product_id = sku, product_id
        self._lots_in = lots_in
        self._read_scan = read_scan
        form = QFormLayout(self)
        self.location = QComboBox()
        self.location.setEditable(True)
        held = list(dict.fromkeys(b.location for b in bins if b.kind != "virtual"))
        for code in held + [c for c in _bin_codes() if c not in held]:
            self.location.addItem(code)
        form.addRow("&Location", self.location)
        # A product with lots: the lot to change (a new one may be typed for units found).
        self.lot: QComboBox | None = None
        self.expiry: QLineEdit | None = None
        if lots_in is not None:
            self.lot = _lot_combo(self, form, editable=True)
            self.expiry = QLineEdit(self)
            self.expiry.setPlaceholderText("YYYY-MM-DD, for units of a new lot")
            self.expiry.setToolTip("The expiry date of a new lot (a unit's GS1 scan fills it); "
                                   "a known lot keeps its own")
            label = QLabel("E&xpiry", self)
            label.setBuddy(self.expiry)
            form.addRow(label, self.expiry)
            self.location.currentTextChanged.connect(lambda _t: self._load_lots())
            self._load_lots()
        self.delta = QSpinBox()
        self.delta.setRange(-1_000_000, 1_000_000)
        self.delta.setValue(0)
        self.delta.setToolTip("Positive adds units (found), negative removes them (lost, damaged)")
        form.addRow("&Change (+/−)", self.delta)
        self.reason = QComboBox()
        self.reason.addItems(list(ADJUST_REASONS))
        form.addRow("&Reason", self.reason)
        self.note = QLineEdit()
        form.addRow("&Note", self.note)
        self.message = _message(self, form)
        # A scan landing in the note books nothing: its burst and Enter are taken back out (a
        # unit's scan chooses its lot and expiry, a bin's the location).
        self.guard = ScanBurstGuard(self, on_scan=self.on_scan if read_scan else None).watch(self.note)
        buttons = ok_cancel_buttons(self)
        form.addRow(buttons)
        # Nothing to book until a change is typed (0 would only earn an error box).
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.delta.valueChanged.connect(lambda v: self.ok_button.setEnabled(v != 0))
        self.ok_button.setEnabled(False)
        # ... nor in the change (which has the cursor first), a list or a button.
        self.guard.watch_dialog(self)
        self.delta.setFocus()
        self.delta.selectAll()

    def _load_lots(self) -> None:
        if self.lot is not None and self._lots_in is not None:
            _fill_lots(self.lot, self._lots_in(self.location.currentText().strip().upper()))

    def say(self, text: str, *, error: bool = True) -> None:
        _say(self.message, text, error=error)

    def on_scan(self, code: str) -> None:
        """A bin's scan is the location; a unit's (its GS1 code) chooses its lot and expiry."""
        if self._read_scan is None:
            return
        hit = run_op(self, self._read_scan, code, banner=self.say)
        if hit is None:
            return
        if hit.kind == "location":
            self.location.setCurrentText(hit.label)
            self.say(f"Location {hit.label}.", error=False)
        elif hit.id != self._product_id:
            self.say(f"{code} is {hit.label}, not {self._sku}: scan a unit of {self._sku} or a bin")
        elif self.lot is not None and hit.lot:
            if not _choose_lot(self.lot, hit.lot):
                self.lot.setCurrentText(hit.lot)
            if self.expiry is not None and hit.expiry is not None:
                self.expiry.setText(hit.expiry.isoformat())
            self.say(f"Lot {hit.lot} from the scan.", error=False)
        else:
            self.say(f"{code} is {self._sku}: type the change, or scan a bin", error=False)
        self.delta.setFocus()
        self.delta.selectAll()

    def expiry_date(self) -> dt.date | None:
        """The expiry typed (None when none was); ValueError when it is not a date."""
        text = self.expiry.text().strip() if self.expiry is not None else ""
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"expiry {text!r} is not a date (YYYY-MM-DD)") from None

    def accept(self) -> None:
        try:
            self.expiry_date()
        except ValueError as exc:
            self.say(str(exc))
            if self.expiry is not None:
                self.expiry.setFocus()
            return
        super().accept()

    def request(self) -> AdjustRequest:
        return AdjustRequest(self.location.currentText().strip().upper(), self.delta.value(),
                             self.reason.currentText(), self.note.text().strip(), _chosen_lot(self.lot),
                             self.expiry_date())


class TransferDialog(QDialog):
    """Move free stock from one bin (or staging area) to another bin; a product with lots
    moves one lot, chosen among the source's."""

    def __init__(self, sku: str, bins: list[BinBalance], parent: QWidget | None = None, *,
                 lots_in: LotsIn | None = None, read_scan: ReadScan | None = None,
                 product_id: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Transfer stock — {sku}")
        self.setMinimumWidth(520)
        self._sku, self._product_id = sku, product_id
        self._lots_in = lots_in
        self._read_scan = read_scan
        self._lots: list[LotChoice] = []
        form = QFormLayout(self)
        self.source = QComboBox()
        self._free = _free_by_location(bins)
        for code, free in self._free.items():
            if free > 0:
                self.source.addItem(f"{code}  ({free} free)", code)
        form.addRow("&From", self.source)
        self.lot: QComboBox | None = None
        if lots_in is not None:
            self.lot = _lot_combo(self, form, editable=False)
        self.target = QComboBox()
        self.target.setEditable(True)
        self._bins = _bin_codes()
        self.target.addItems(self._bins)
        self.target.setCurrentText("")
        form.addRow("&To bin", self.target)
        self.qty = QSpinBox()
        self.qty.setRange(1, 1_000_000)
        form.addRow("&Quantity", self.qty)
        self.source.currentIndexChanged.connect(lambda _i: self._source_changed())
        if self.lot is not None:
            self.lot.currentIndexChanged.connect(lambda _i: self._default_qty())
        self._source_changed()
        self.message = _message(self, form)
        # A scanned bin fills "To bin" and moves on to the quantity: the scanner's Enter
        # must not commit a transfer before the quantity was seen. A unit's scan chooses its lot.
        self.guard = ScanBurstGuard(self, on_scan=self.on_scan).watch(self.target.lineEdit())
        buttons = ok_cancel_buttons(self)
        form.addRow(buttons)
        # A transfer needs free stock somewhere (of a lot, for a product with lots) and a bin to go to.
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.target.currentTextChanged.connect(lambda _t: self._update_ok())
        self._update_ok()
        if self.source.count() == 0:
            self.source.addItem("no free stock to move", "")
            self.source.setEnabled(False)
        self.guard.watch_dialog(self)  # a scan in any field is the bin to go to, too
        self.target.setFocus()

    def _source_changed(self) -> None:
        if self.lot is not None and self._lots_in is not None:
            code = str(self.source.currentData() or "")
            self._lots = [x for x in self._lots_in(code) if x.free > 0] if code else []
            _fill_lots(self.lot, self._lots)
        self._default_qty()
        if hasattr(self, "ok_button"):
            self._update_ok()

    def _default_qty(self) -> None:
        """All that is free in the source bin (of the lot chosen), editable before OK."""
        if self.lot is not None:
            index = self.lot.currentIndex()
            free = self._lots[index].free if 0 <= index < len(self._lots) else 0
        else:
            free = self._free.get(str(self.source.currentData() or ""), 0)
        self.qty.setValue(max(1, free))

    def say(self, text: str, *, error: bool = True) -> None:
        _say(self.message, text, error=error)

    def on_scan(self, code: str) -> None:
        """A bin's scan is where to go; a unit's (its GS1 code) chooses its lot; anything else
        is refused here, the fields as they were."""
        if self._read_scan is None:
            self._go_to(code.upper())
            return
        hit = run_op(self, self._read_scan, code, banner=self.say)
        if hit is None:
            return
        if hit.kind == "location":
            self._go_to(hit.label)
        elif hit.id != self._product_id:
            self.say(f"{code} is {hit.label}, not {self._sku}: scan a bin to go to")
        elif self.lot is not None and hit.lot:
            source = str(self.source.currentData() or "")
            if _choose_lot(self.lot, hit.lot):
                self.say(f"Lot {hit.lot} from the scan.", error=False)
                self.qty.setFocus()
                self.qty.selectAll()
            else:
                self.say(f"lot {hit.lot} has no free units in {source or 'the bin chosen'}")
        else:
            self.say(f"{code} is {self._sku}: scan a bin to go to")

    def _go_to(self, code: str) -> None:
        self.target.setCurrentText(code)
        self.say("")
        self.qty.setFocus()
        self.qty.selectAll()

    def accept(self) -> None:
        """OK only for a bin to go to: anything else is said here and the dialog stays."""
        target = self.target.currentText().strip().upper()
        if target not in self._bins:
            self.say(f"no bin {target!r}: scan or type the bin to go to")
            self.target.setFocus()
            return
        super().accept()

    def _update_ok(self) -> None:
        has_lot = self.lot is None or self.lot.currentIndex() >= 0
        self.ok_button.setEnabled(bool(self.source.currentData()) and has_lot
                                  and bool(self.target.currentText().strip()))

    def request(self) -> TransferRequest:
        return TransferRequest(str(self.source.currentData() or ""),
                               self.target.currentText().strip().upper(), self.qty.value(),
                               _chosen_lot(self.lot))
