"""The receiving desk's dialogs: settle an unknown barcode, a new shipment, labels to print."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.catalog.scan import ScanMatch
from app.devices.printing import label_format
from app.documents import label_data as label_docs
from app.kernel import clock
from app.kernel.errors import PrepDeskError
from app.kernel.gs1 import looks_gs1
from ui.ops import one_line
from ui.widgets.ask import guard_letters
from ui.widgets.common import ok_cancel_buttons
from ui.widgets.file_dialog import ask_open_path
from ui.widgets.scan_field import ScanBurstGuard, ScanNote

# --- Answers the dialogs give (tests monkeypatch the ask_* methods to return these) ------------


@dataclass(frozen=True)
class LinkAnswer:
    """Link the unknown barcode to an existing product of the shipment's client."""

    product_id: int
    pack_qty: int = 1


@dataclass(frozen=True)
class CreateAnswer:
    """Create a new product carrying the unknown barcode."""

    sku: str
    name: str


@dataclass(frozen=True)
class NewShipmentRequest:
    client_code: str
    ref: str
    expected_date: dt.date | None
    carrier: str
    tracking: str
    csv_path: str  # import from this file, or
    lines_text: str  # these typed lines


@dataclass(frozen=True)
class LabelRequest:
    kind: str  # "unit", "shipment" (every good unit received on the open shipment) or "bin"
    sku: str
    count: int
    first_bin: str
    last_bin: str
    fmt: str  # sheet, thermal, zpl
    destination: str  # "dialog", "save", "printer"
    lot: str = ""  # unit labels: the units' lot (a product that keeps lots)
    expiry: dt.date | None = None  # the lot's expiry a unit's GS1 scan carried


# --- Dialogs ---------------------------------------------------------------------------------


class UnknownBarcodeDialog(QDialog):
    """A scan matched nothing: link it to one of the client's products, or create one."""

    def __init__(self, code: str, client_code: str, products: list[tuple[int, str, str]],
                 parent: QWidget | None = None, *, find=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Unknown barcode {code}")
        self.setMinimumWidth(560)
        outer = QVBoxLayout(self)
        intro = QLabel(f"<b>{escape(code)}</b> is not a barcode of any {escape(client_code)} product. "
                       "Link it to the product in your hand, or create that product.")
        intro.setWordWrap(True)
        outer.addWidget(intro)
        form = QFormLayout()
        outer.addLayout(form)
        self.link = QRadioButton("&Link it to an existing product")
        self.create = QRadioButton("&Create a new product with this barcode")
        group = QButtonGroup(self)
        group.addButton(self.link)
        group.addButton(self.create)
        self.link.setChecked(bool(products))
        self.create.setChecked(not products)
        form.addRow(self.link)
        self.product = QComboBox()
        self.product.setEditable(True)
        self.product.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Sized by a sensible width, not by the longest of 5,000 product names.
        self.product.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.product.setMinimumContentsLength(32)
        for pid, sku, name in products:
            self.product.addItem(f"{sku} — {name}", pid)
        # Typing part of a SKU or of a name finds the product (not only a prefix).
        completer = self.product.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(completer.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.product.setCurrentIndex(-1 if products else 0)
        self.product.lineEdit().setPlaceholderText("type part of the SKU or name")
        form.addRow("&Product", self.product)
        self.product.setToolTip("Type part of its SKU or name, or scan a barcode the product "
                                "already has (e.g. the unit's UPC when the unknown code is its case)")
        self.pack = QSpinBox()
        self.pack.setRange(1, 10_000)
        self.pack.setToolTip("A case or inner-pack barcode counts this many units per scan")
        form.addRow("&Units per scan", self.pack)
        self._find = find  # code -> product id of this client, or None
        form.addRow(self.create)
        self.sku = QLineEdit()
        form.addRow("New &SKU", self.sku)
        self.name = QLineEdit()
        form.addRow("New product &name", self.name)
        # Typing in a field chooses its option: no mouse trip to the radio buttons.
        self.product.lineEdit().textEdited.connect(lambda _t: self.link.setChecked(True))
        self.sku.textEdited.connect(lambda _t: self.create.setChecked(True))
        self.name.textEdited.connect(lambda _t: self.create.setChecked(True))
        # What a scan in the dialog did (not a link: a scan is only ever a question).
        self.note = QLabel("")
        self.note.setWordWrap(True)
        outer.addWidget(self.note)
        outer.addWidget(ok_cancel_buttons(self))
        (self.product if products else self.sku).setFocus()
        self.code = code
        self._names = {pid: f"{sku} — {name}" for pid, sku, name in products}
        # The clerk scanning the next unit while this is open must not settle it: a burst
        # with its Enter is taken out of the field and only asks "link X to Y?", No first.
        self.guard = ScanBurstGuard(self, on_scan=self.on_scan).watch_dialog(self)

    def on_scan(self, scanned: str) -> None:
        """A scan arrived while the dialog is open: ask before linking to its product."""
        pid = self._find(scanned) if self._find is not None else None
        if pid is None:
            self.note.setText(f"Scanned {scanned}: no product of this client has it. "
                              "Choose the product or create it, then OK.")
            return
        named = self._names.get(pid, f"product #{pid}")
        if not self.confirm_link(named):
            self.note.setText(f"Scanned {scanned} ({named}): not linked.")
            return
        index = self.product.findData(pid)
        if index < 0:
            self.product.addItem(named, pid)
            index = self.product.count() - 1
        self.link.setChecked(True)
        self.product.setCurrentIndex(index)
        self.accept()

    def link_box(self, named: str) -> QMessageBox:
        """The question a scan asks; No is the default (a person's Enter), and a further scan,
        its letters and its Enter, answers nothing."""
        box = QMessageBox(QMessageBox.Icon.Question, "Link barcode?",
                          f"Link {self.code} to {named}?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        return guard_letters(box)  # a scanned Y ("TOY-1") is no Yes

    def confirm_link(self, named: str) -> bool:
        return self.link_box(named).exec() == QMessageBox.StandardButton.Yes

    def answer(self) -> LinkAnswer | CreateAnswer | None:
        if self.link.isChecked():
            text = self.product.currentText().strip()
            index = self.product.findText(text)
            if index >= 0:
                return LinkAnswer(int(self.product.itemData(index)), self.pack.value())
            found = self._find(text) if (self._find is not None and text) else None
            return LinkAnswer(found, self.pack.value()) if found is not None else None
        if self.create.isChecked():
            return CreateAnswer(self.sku.text().strip(), self.name.text().strip())
        return None


class NewShipmentDialog(QDialog):
    """A new inbound shipment: typed lines, or an ASN CSV file (sku,qty[,barcode,name])."""

    def __init__(self, clients: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New inbound shipment")
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        self.client = QComboBox()
        self.client.addItems(clients)
        form.addRow("&Client", self.client)
        self.ref = QLineEdit()
        form.addRow("&Reference", self.ref)
        self.has_date = QCheckBox("&Expected on")
        soon = clock.local_today() + dt.timedelta(days=3)  # the warehouse's date, not the PC's
        self.date = QDateEdit(QDate(soon.year, soon.month, soon.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        row = QHBoxLayout()
        row.addWidget(self.has_date)
        row.addWidget(self.date)
        form.addRow("Expected date", row)
        self.carrier = QLineEdit()
        form.addRow("C&arrier", self.carrier)
        self.tracking = QLineEdit()
        form.addRow("&Tracking", self.tracking)
        self.csv = QLineEdit()
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.csv)
        row.addWidget(browse)
        form.addRow("ASN CSV file", row)
        self.lines = QPlainTextEdit()
        self.lines.setPlaceholderText("or type the lines: SKU quantity, one a line")
        form.addRow("&Lines", self.lines)
        form.addRow(ok_cancel_buttons(self))
        # A reference or tracking barcode scanned into its field is its value; a scan anywhere
        # else is taken back out. No scan's Enter creates the shipment.
        self.field_scans = [ScanBurstGuard(self, on_scan=field.setText).watch(field)
                            for field in (self.ref, self.tracking)]
        self.guard = ScanBurstGuard(self).watch_dialog(self, but=(self.ref, self.tracking))

    def _browse(self) -> None:
        path = ask_open_path(self, "ASN file", "CSV files (*.csv);;All files (*)")
        if path:
            self.csv.setText(path)

    def request(self) -> NewShipmentRequest:
        d = self.date.date()
        return NewShipmentRequest(
            self.client.currentText(), self.ref.text().strip(),
            dt.date(d.year(), d.month(), d.day()) if self.has_date.isChecked() else None,
            self.carrier.text(), self.tracking.text(), self.csv.text().strip(),
            self.lines.toPlainText())


class LabelDialog(QDialog):
    """Unit labels for a product or bin labels for a range; sheet, thermal or ZPL.

    Opened from a receipt line it proposes that line's good units as the count, and with a
    label printer configured it proposes sending straight to it in the printer's language.
    A product's barcode scanned into Product SKU (any of its codes, a GS1 code too) is that
    product, found by ``find_product`` (code -> ``ScanMatch`` or None); a product that keeps
    lots needs the lot of the units, which a unit's GS1 code gives with its expiry.
    """

    def __init__(self, sku: str, printer: str = "", parent: QWidget | None = None, *,
                 count: int = 1, shipment: str = "", shipment_units: int = 0,
                 language: str = "zpl", find_product: Callable[[str], ScanMatch | None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Print labels")
        self._find = find_product
        self.tracks = 0  # the product's lot and expiry flags (ScanMatch.tracks), once known
        self.expiry: dt.date | None = None  # the lot's expiry a GS1 scan carried
        form = QFormLayout(self)
        self.kind = QComboBox()
        self.kind.addItem("Unit labels for a product", "unit")
        if shipment:
            self.kind.addItem(f"Unit labels for all {shipment_units} good units of {shipment}", "shipment")
        self.kind.addItem("Bin labels for a range", "bin")
        form.addRow("&What", self.kind)
        self.sku = QLineEdit(sku)
        self.sku.setPlaceholderText("type the SKU or scan the product")
        form.addRow("Product &SKU", self.sku)
        self.lot = QLineEdit()
        self.lot.setPlaceholderText("scan a unit's GS1 code")
        self.lot.setToolTip("The lot of the units, for a product that keeps lots: its expiry prints on them")
        self.expiry_note = QLabel("")
        lot_row = QHBoxLayout()
        lot_row.addWidget(self.lot, 1)
        lot_row.addWidget(self.expiry_note)
        lot_label = QLabel("&Lot")
        lot_label.setBuddy(self.lot)
        form.addRow(lot_label, lot_row)
        self.count = QSpinBox()
        self.count.setRange(1, label_docs.MAX_LABELS)
        self.count.setValue(max(1, min(count, label_docs.MAX_LABELS)))
        form.addRow("&Count", self.count)
        self.first = QLineEdit()
        self.last = QLineEdit()
        form.addRow("Fi&rst bin", self.first)
        form.addRow("Las&t bin", self.last)
        self.fmt = QComboBox()
        self.fmt.addItem('Avery 5160 sheet (30 a page)', "sheet")
        self.fmt.addItem('Thermal 2.25" x 1.25" (PDF)', "thermal")
        self.fmt.addItem("Thermal as ZPL", "zpl")
        form.addRow("&Format", self.fmt)
        self.dest = QComboBox()
        self.dest.addItem("Print dialog (preview)", "dialog")
        self.dest.addItem("Save to a file", "save")
        if printer:
            self.dest.addItem(f"Straight to the label printer ({printer})", "printer")
            self.dest.setCurrentIndex(2)
            fmt = ("zpl" if printer.startswith("zpl") else "thermal" if printer.startswith("printer")
                   else label_format(language))  # a cups:// queue takes what its printer speaks
            self.fmt.setCurrentIndex(self.fmt.findData(fmt))
        form.addRow("Sen&d to", self.dest)
        self.note = ScanNote("scan a product into Product SKU, a unit's code into Lot, a bin into a bin field")
        form.addRow(self.note)
        form.addRow(ok_cancel_buttons(self))
        # A bin's label scanned into First or Last bin is that bin, a product's barcode into
        # Product SKU that product, a unit's code into Lot its lot; a scan anywhere else is
        # taken back out. No scan's Enter prints.
        self.field_scans = [ScanBurstGuard(self, on_scan=lambda code, f=field: f.setText(code.upper())).watch(field)
                            for field in (self.first, self.last)]
        self.sku_scan = ScanBurstGuard(self, on_scan=self.product_scanned).watch(self.sku)
        self.lot_scan = ScanBurstGuard(self, on_scan=self.lot_scanned).watch(self.lot)
        self.guard = ScanBurstGuard(self, on_ignored=lambda note: self._say(note, ignored=True)).watch_dialog(
            self, but=(self.first, self.last, self.sku, self.lot))
        self.lot.textEdited.connect(lambda _text: self._scanned_expiry(None))
        self.sku.editingFinished.connect(lambda: self._learn(self.sku.text().strip()))
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self._on_kind_changed()
        if sku:
            self._learn(sku)

    def _on_kind_changed(self, *_args) -> None:
        kind = self.kind.currentData()
        for widget in (self.sku, self.count, self.lot):
            widget.setEnabled(kind == "unit")
        for widget in (self.first, self.last):
            widget.setEnabled(kind == "bin")

    def _lookup(self, code: str) -> ScanMatch | None:
        """The product ``code`` names (None, said in the note, when none or it cannot be told)."""
        if not code:
            return None
        try:
            match = self._find(code) if self._find is not None else None
        except PrepDeskError as exc:
            self._say(one_line(exc))
            return None
        if match is None:
            self._say(f"No product has the code {code}.")
        return match

    def _learn(self, sku: str) -> None:
        """Whether the product typed (or proposed) keeps lots."""
        match = self._lookup(sku) if sku else None
        self.tracks = match.tracks if match is not None else 0

    def product_scanned(self, code: str) -> None:
        """A product's barcode scanned into Product SKU: that product (and, from a unit's GS1
        code, the lot of the units and its expiry)."""
        match = self._lookup(code)
        if match is None:
            return
        self.sku.setText(match.label)
        self.tracks = match.tracks
        if match.lot:
            self.lot.setText(match.lot)
            self._scanned_expiry(match.expiry)
        elif self.tracks and not self.lot.text().strip():
            self._say(f"{match.label} keeps lots: scan a unit's GS1 code into Lot, or type the lot.")
            self.lot.setFocus()
            return
        self._say(f"Scanned {match.label}" + (f", lot {match.lot}." if match.lot else "."))
        self.count.setFocus()

    def lot_scanned(self, code: str) -> None:
        """A scan into Lot: a unit's GS1 code gives its product, lot and expiry; any other code
        is the lot."""
        if looks_gs1(code):
            self.product_scanned(code)
            return
        self.lot.setText(code)
        self._scanned_expiry(None)
        self.count.setFocus()

    def _say(self, text: str, *, ignored: bool = False) -> None:
        """A line under the fields; the dialog grows to show it whole."""
        if ignored:
            self.note.ignored(text)
        else:
            self.note.setText(text)
        QTimer.singleShot(0, self, self._fit)

    def _fit(self) -> None:
        height = self.heightForWidth(self.width())  # (-1: no line wraps)
        if height > self.height():
            self.resize(self.width(), height)

    def _scanned_expiry(self, expiry: dt.date | None) -> None:
        self.expiry = expiry
        self.expiry_note.setText(f"EXP {expiry:%Y-%m-%d}" if expiry else "")

    def accept(self) -> None:
        """Print, unless unit labels of a product that keeps lots have no lot."""
        if self.kind.currentData() == "unit" and self.tracks and not self.lot.text().strip():
            self._say(f"{self.sku.text().strip()} keeps lots: scan a unit's GS1 code into Lot, or type the lot.")
            self.lot.setFocus()
            return
        super().accept()

    def request(self) -> LabelRequest:
        unit = self.kind.currentData() == "unit"
        return LabelRequest(self.kind.currentData(), self.sku.text().strip(), self.count.value(),
                            self.first.text().strip(), self.last.text().strip(),
                            self.fmt.currentData(), self.dest.currentData(),
                            lot=self.lot.text().strip() if unit else "", expiry=self.expiry if unit else None)
