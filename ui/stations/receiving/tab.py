"""Receiving tab: open an inbound shipment, scan units in (damaged, keyed quantity, undo),
link or create unknown barcodes on the spot, close with a report, put away, print labels.

Everything works from the scanner and the keyboard. The rules live in ``app.receiving``;
this tab only turns scans and keys into service calls and shows what they returned.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace
from html import escape

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QBrush, QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import catalog, receiving
from app.catalog import scan
from app.documents import labels as label_docs
from app.kernel.barcodes import clean_scan
from app.kernel.errors import ImportRejected, NotFound, PrepDeskError, UnknownBarcode
from ui.ops import one_line, run_op, show_warning
from ui.stations.inventory.tab import fill_table, read_only_table
from ui.widgets.common import ok_cancel_buttons
from ui.widgets.feedback import ScanBanner
from ui.widgets.scan_field import ScanField
from ui.worker import Task, run_task

log = logging.getLogger(__name__)

LINE_HEADERS = ["SKU", "Product", "Expected", "Received", "Damaged", "Remaining", "Note"]
# Row tints: a line that is complete, and one that needs a look (over, not on the ASN).
DONE_TINT, ATTENTION_TINT = QColor("#dcedc8"), QColor("#ffe0b2")
CHOOSER_REFRESH_MS = 400  # the chooser's counts follow the scans, a moment later
DAMAGED_KEY = "F8"
PUTAWAY_KEY = "F9"


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


def _render_labels(labs: list[label_docs.Label], fmt: str, target: str, progress=None) -> bytes:
    """Worker-thread job: render the labels and, with a ``target``, send them to the printer."""
    data = label_docs.render(labs, fmt, progress=progress)
    if target:
        from app.devices import printing

        printing.send_labels(target, data, fmt)
    return data


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
        outer.addWidget(ok_cancel_buttons(self))
        (self.product if products else self.sku).setFocus()

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
        self.date = QDateEdit(QDate.currentDate().addDays(3))
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

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "ASN file", "", "CSV files (*.csv);;All files (*)")
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
    """

    def __init__(self, sku: str, printer: str = "", parent: QWidget | None = None, *,
                 count: int = 1, shipment: str = "", shipment_units: int = 0) -> None:
        super().__init__(parent)
        self.setWindowTitle("Print labels")
        form = QFormLayout(self)
        self.kind = QComboBox()
        self.kind.addItem("Unit labels for a product", "unit")
        if shipment:
            self.kind.addItem(f"Unit labels for all {shipment_units} good units of {shipment}", "shipment")
        self.kind.addItem("Bin labels for a range", "bin")
        form.addRow("&What", self.kind)
        self.sku = QLineEdit(sku)
        form.addRow("Product &SKU", self.sku)
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
            self.fmt.setCurrentIndex(self.fmt.findData("zpl" if printer.startswith("zpl") else "thermal"))
        form.addRow("Sen&d to", self.dest)
        form.addRow(ok_cancel_buttons(self))
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self._on_kind_changed()

    def _on_kind_changed(self, *_args) -> None:
        kind = self.kind.currentData()
        for widget in (self.sku, self.count):
            widget.setEnabled(kind == "unit")
        for widget in (self.first, self.last):
            widget.setEnabled(kind == "bin")

    def request(self) -> LabelRequest:
        return LabelRequest(self.kind.currentData(), self.sku.text().strip(), self.count.value(),
                            self.first.text().strip(), self.last.text().strip(),
                            self.fmt.currentData(), self.dest.currentData())


# --- The tab ---------------------------------------------------------------------------------


class ReceivingTab(QWidget):
    """The receiving desk. Scan a shipment reference to open it, then scan units."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.shipment: receiving.ShipmentRef | None = None
        self.detail: receiving.ShipmentDetail | None = None
        self.putaway_product: receiving.PutawaySuggestion | None = None
        self.last_report_pdf: bytes | None = None
        self.label_jobs_done = 0  # finished label jobs (a count: the bytes are not kept)
        self._selected_sku = ""

        top = QHBoxLayout()
        top.addWidget(QLabel("&Shipment"))
        self.chooser = QComboBox()
        self.chooser.setMinimumWidth(400)  # ref, client, counts and the expected date
        self.chooser.activated.connect(self._on_chooser_activated)
        top.itemAt(0).widget().setBuddy(self.chooser)
        top.addWidget(self.chooser)
        self.new_button = QPushButton("&New shipment…")
        self.new_button.clicked.connect(self.new_shipment)
        top.addWidget(self.new_button)
        self.header = QLabel("No shipment open: scan or choose its reference")
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.header.setWordWrap(True)  # a long shipment header must not widen the window
        top.addWidget(self.header, 1)

        self.scan_field = ScanField(settings=ctx.settings)
        self.scan_field.scanned.connect(self.on_scan_field_scanned)
        self.banner = ScanBanner()

        keys = QHBoxLayout()
        keys.addWidget(QLabel("&Qty"))
        self.qty = QSpinBox()
        self.qty.setRange(1, receiving.MAX_UNITS_PER_SCAN)
        self.qty.setToolTip("Keyed quantity for the next scan (back to 1 afterwards)")
        keys.itemAt(0).widget().setBuddy(self.qty)
        keys.addWidget(self.qty)
        self.damaged = QPushButton(f"&Damaged ({DAMAGED_KEY})")
        self.damaged.setCheckable(True)
        self.damaged.setToolTip("The next scan goes to QUARANTINE as damaged")
        self.damaged.toggled.connect(self._on_damaged_toggled)
        keys.addWidget(self.damaged)
        self.putaway_mode = QPushButton(f"&Putaway ({PUTAWAY_KEY})")
        self.putaway_mode.setCheckable(True)
        self.putaway_mode.toggled.connect(self._on_putaway_toggled)
        keys.addWidget(self.putaway_mode)
        self.undo_button = QPushButton("&Undo scan (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo_last)
        keys.addWidget(self.undo_button)
        self.close_button = QPushButton("C&lose…")
        self.close_button.clicked.connect(self.close_shipment)
        keys.addWidget(self.close_button)
        self.labels_button = QPushButton("La&bels… (Ctrl+L)")
        self.labels_button.clicked.connect(self.print_labels)
        keys.addWidget(self.labels_button)
        keys.addStretch(1)

        self.putaway_hint = QLabel("")
        font = self.putaway_hint.font()
        font.setPointSize(14)
        self.putaway_hint.setFont(font)
        self.putaway_hint.setVisible(False)

        # Labels render on a worker thread (1,000 take a second or more): the desk keeps
        # scanning while this bar fills.
        self.label_progress = QProgressBar()
        self.label_progress.setFormat("Labels: %v of %m")
        self.label_progress.setVisible(False)
        self.label_job: Task | None = None
        self.import_job: Task | None = None

        self.lines = read_only_table()
        self.lines.itemSelectionChanged.connect(self._on_line_selected)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scan_field)
        layout.addWidget(self.banner)
        layout.addLayout(keys)
        layout.addWidget(self.putaway_hint)
        layout.addWidget(self.label_progress)
        layout.addWidget(self.lines, 1)

        for keyseq, slot in ((QKeySequence.StandardKey.Undo, self.undo_last),
                             (QKeySequence(DAMAGED_KEY), self.damaged.toggle),
                             (QKeySequence(PUTAWAY_KEY), self.putaway_mode.toggle),
                             (QKeySequence("Ctrl+L"), self.print_labels)):
            action = QAction(self)
            action.setShortcut(keyseq)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

        # QLineEdit and QSpinBox take Ctrl+Z for their own text undo: at the desk it means
        # "undo the last scan", so it is caught before they see it.
        self.scan_field.installEventFilter(self)
        self.qty.installEventFilter(self)

        self._chooser_timer = QTimer(self)
        self._chooser_timer.setSingleShot(True)
        self._chooser_timer.setInterval(CHOOSER_REFRESH_MS)
        self._chooser_timer.timeout.connect(self.refresh_chooser)
        self._line_rows: dict[str, int] = {}
        self._lines_by_sku: dict[str, receiving.LineRow] = {}
        ctx.events.shipments_changed.connect(self.on_shipments_changed)
        self.refresh_chooser()
        self._update_buttons()

    # --- state shown ---------------------------------------------------------------------
    def refresh_chooser(self) -> None:
        rows = run_op(self, receiving.list_shipments) or []
        current = self.shipment.id if self.shipment else None
        self.chooser.blockSignals(True)
        self.chooser.clear()
        self.chooser.addItem("— choose a shipment —", None)
        for s in rows:
            eta = s.expected_date.isoformat() if s.expected_date else "no date"
            self.chooser.addItem(f"{s.ref}  ({s.client_code}, {s.status}, {s.arrived}/{s.expected}, {eta})", s.id)
        index = self.chooser.findData(current) if current is not None else 0
        self.chooser.setCurrentIndex(max(index, 0))
        self.chooser.blockSignals(False)

    def refresh_lines(self) -> None:
        self._line_rows: dict[str, int] = {}
        self._lines_by_sku: dict[str, receiving.LineRow] = {}
        if self.shipment is None:
            self.detail = None
            fill_table(self.lines, LINE_HEADERS, [], set())
            self.header.setText("No shipment open: scan or choose its reference")
            return
        self.detail = receiving.shipment_detail(self.shipment.id)
        d = self.detail
        rows = [self._line_cells(ln) for ln in d.lines]
        rows.append(("TOTAL", "", d.total_expected, d.total_received, d.total_damaged,
                     d.total_remaining, ""))
        fill_table(self.lines, LINE_HEADERS, rows, {2, 3, 4, 5}, stretch=1)
        for r, ln in enumerate(d.lines):
            self._line_rows[ln.sku] = r
            self._lines_by_sku[ln.sku] = ln
            self._tint_row(r, ln)
        total_font = self.lines.item(len(d.lines), 0).font()
        total_font.setBold(True)
        for c in range(len(LINE_HEADERS)):
            self.lines.item(len(d.lines), c).setFont(total_font)
        eta = d.expected_date.isoformat() if d.expected_date else "-"
        self.header.setText(f"<b>{d.ref}</b> — {d.client_code} {d.client_name} — {d.status} — "
                            f"expected {eta}")

    @staticmethod
    def _line_cells(ln: receiving.LineRow) -> tuple:
        note = "NOT ON ASN" if ln.is_extra else (f"OVER by {ln.over}" if ln.over else
                                                 ("complete" if not ln.remaining else ""))
        return (ln.sku, ln.name, ln.expected, ln.received, ln.damaged, ln.remaining, note)

    def _tint_row(self, r: int, ln: receiving.LineRow) -> None:
        tint = ATTENTION_TINT if (ln.is_extra or ln.over) else DONE_TINT if not ln.remaining else None
        brush = QBrush(tint) if tint is not None else QBrush()
        for c in range(len(LINE_HEADERS)):
            self.lines.item(r, c).setBackground(brush)

    def _update_line(self, ln: receiving.LineRow) -> bool:
        """Show one scanned line's new counts and the totals without rebuilding the table
        (a scan must feel instant on a 500-line ASN); False if the line is not shown yet."""
        r = self._line_rows.get(ln.sku)
        if r is None or self.lines.item(r, 0) is None or self.lines.item(r, 0).text() != ln.sku:
            return False
        old = self._lines_by_sku[ln.sku]
        self._lines_by_sku[ln.sku] = ln
        for c, value in enumerate(self._line_cells(ln)[2:], start=2):
            self.lines.item(r, c).setText(str(value))
        self._tint_row(r, ln)
        total_row = len(self._lines_by_sku)
        for c, before, after in ((2, old.expected, ln.expected), (3, old.received, ln.received),
                                 (4, old.damaged, ln.damaged), (5, old.remaining, ln.remaining)):
            if after != before:
                item = self.lines.item(total_row, c)
                item.setText(str(int(item.text()) + after - before))
        return True

    def line_values(self, sku: str) -> tuple[int, int, int, int] | None:
        """(expected, received, damaged, remaining) as shown in the table for ``sku``."""
        for r in range(self.lines.rowCount()):
            if self.lines.item(r, 0).text() == sku:
                return tuple(int(self.lines.item(r, c).text()) for c in (2, 3, 4, 5))  # type: ignore[return-value]
        return None

    def _update_buttons(self) -> None:
        active = self.shipment is not None and self.shipment.status in receiving.ACTIVE_STATUSES
        self.undo_button.setEnabled(active and not self.putaway_mode.isChecked())
        self.close_button.setEnabled(active)
        self.damaged.setEnabled(not self.putaway_mode.isChecked())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.qty and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            # Quantity keyed: Enter goes back to the scan field for the scan it applies to.
            self.qty.interpretText()
            self.scan_field.grab_focus()
            return True
        if isinstance(event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Undo):
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()
                return True
            if event.type() == QEvent.Type.KeyPress:
                self.undo_last()
                return True
        return super().eventFilter(watched, event)

    def on_shipments_changed(self) -> None:
        # Every scan says shipments changed: the chooser's counts catch up once the burst
        # of scans pauses, so a scan's own feedback never waits for that query.
        self._chooser_timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.scan_field.grab_focus()

    # --- opening a shipment -------------------------------------------------------------
    def open_shipment(self, shipment_id: int) -> bool:
        try:
            self.shipment = receiving.shipment_ref(shipment_id)
        except PrepDeskError as exc:
            self._error(one_line(exc))
            return False
        self.refresh_lines()
        self.refresh_chooser()
        self._update_buttons()
        self.banner.show_ok(f"Shipment {self.shipment.ref} open: scan units")
        return True

    def open_ref(self, ref: str) -> bool:
        try:
            found = receiving.find_shipment(ref)
        except PrepDeskError as exc:
            self._error(one_line(exc))
            return False
        return self.open_shipment(found.id)

    def _on_chooser_activated(self, index: int) -> None:
        sid = self.chooser.itemData(index)
        if sid is not None:
            self.open_shipment(int(sid))
        self.scan_field.grab_focus()

    # --- scanning -------------------------------------------------------------------------
    def on_scan_field_scanned(self, code: str) -> None:
        if self.putaway_mode.isChecked():
            self._putaway_scan(code)
        elif self.shipment is None:
            self.open_ref(code)
        elif self.shipment.status not in receiving.ACTIVE_STATUSES:
            # A closed shipment takes no units: the next scan can only open another one.
            if self._is_other_shipment(code):
                self.open_ref(code)
            else:
                self._error(f"shipment {self.shipment.ref} is {self.shipment.status}: "
                            "scan or choose another shipment")
        else:
            self.receive(code)

    def receive(self, code: str, *, retry: bool = True) -> receiving.ReceiveResult | None:
        """Receive one scan into the open shipment (keyed quantity and damaged toggle apply)."""
        assert self.shipment is not None
        qty = self.qty.value()
        damaged = self.damaged.isChecked()
        try:
            result = receiving.receive_scan(self.shipment.id, code, actor=self.ctx.actor,
                                            qty=qty if qty > 1 else None, damaged=damaged)
        except UnknownBarcode as exc:
            if len(code) > receiving.MAX_CODE_LENGTH:
                self._error(one_line(exc))  # garbage (a jammed key, a mis-set scanner): no dialog
                return None
            if self._is_other_shipment(code):
                self.open_ref(code)
                return None
            self.ctx.feedback.error()
            self.banner.show_error(f"Unknown barcode {code}", sticky=True)
            if retry and self.resolve_unknown(code):
                return self.receive(code, retry=False)
            return None
        except PrepDeskError as exc:
            self._error(one_line(exc))
            return None
        self.qty.setValue(1)
        if damaged:
            self.damaged.setChecked(False)
        if result.first_scan:
            self.shipment = replace(self.shipment, status="receiving")
            self._update_buttons()
        if result.first_scan or not self._update_line(result.line):
            self.refresh_lines()
        self._select_sku(result.sku)
        # What was scanned, by name too: the clerk checks the carton in hand against it.
        said = f"{result.message}  {result.name}" if result.name else result.message
        if result.warning:
            self.ctx.feedback.warning()
            self.banner.show_warning(f"{said} — {result.warning}")
        elif result.damaged:  # accepted, but not sellable: amber, so it is not mistaken for a good unit
            self.ctx.feedback.ok()
            self.banner.show_warning(said)
        else:
            self.ctx.feedback.ok()
            self.banner.show_ok(said)
        self.ctx.events.stock_changed.emit()
        self.ctx.events.shipments_changed.emit()
        return result

    def _is_other_shipment(self, code: str) -> bool:
        try:
            other = receiving.find_shipment(code)
        except PrepDeskError:
            return False
        return self.shipment is None or other.id != self.shipment.id

    # --- unknown barcodes -------------------------------------------------------------------
    def client_products(self) -> list[tuple[int, str, str]]:
        assert self.shipment is not None
        from app.ledger.moves import stock_rows

        return [(r.product_id, r.sku, r.name) for r in stock_rows(client=self.shipment.client_code, limit=5000)]

    def ask_unknown_barcode(self, code: str) -> LinkAnswer | CreateAnswer | None:
        """Ask how to handle an unknown barcode (tests monkeypatch this)."""
        assert self.shipment is not None
        client_id = self.shipment.client_id

        def find(text: str) -> int | None:  # a barcode or SKU the product already has
            try:
                match = scan.find_product_code(clean_scan(text), client_id=client_id)
            except PrepDeskError:
                return None
            return match.id if match is not None else None

        dialog = UnknownBarcodeDialog(code, self.shipment.client_code, self.client_products(), self,
                                      find=find)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()

    def resolve_unknown(self, code: str) -> bool:
        """Link the code to a product of this client or create one; True if it now resolves."""
        assert self.shipment is not None
        answer = self.ask_unknown_barcode(code)
        self.banner.acknowledge()
        try:
            if isinstance(answer, LinkAnswer):
                catalog.link_barcode(answer.product_id, code, pack_qty=answer.pack_qty,
                                     actor=self.ctx.actor)
            elif isinstance(answer, CreateAnswer):
                catalog.add_product(self.shipment.client_code, answer.sku, answer.name,
                                    barcodes=[code], actor=self.ctx.actor)
            else:
                self.banner.show_error(f"Unknown barcode {code}: not received", sticky=True)
                self.scan_field.grab_focus()
                return False
        except PrepDeskError as exc:
            self._error(one_line(exc))
            return False
        self.scan_field.grab_focus()
        return self._resolves(code)

    def _resolves(self, code: str) -> bool:
        assert self.shipment is not None
        return scan.find_product_code(code, client_id=self.shipment.client_id) is not None

    # --- undo, damaged, close ---------------------------------------------------------------
    def undo_last(self) -> receiving.UndoResult | None:
        if self.shipment is None or self.putaway_mode.isChecked():
            return None
        try:
            result = receiving.undo_receipt(self.shipment.id, actor=self.ctx.actor)
        except PrepDeskError as exc:
            self._error(one_line(exc))
            return None
        self.refresh_lines()
        self.ctx.feedback.warning()
        self.banner.show_warning(result.message)
        self.ctx.events.stock_changed.emit()
        self.ctx.events.shipments_changed.emit()
        self.scan_field.grab_focus()
        return result

    def _on_damaged_toggled(self, on: bool) -> None:
        if on:
            self.banner.show_warning("Next scan is DAMAGED: it goes to QUARANTINE")
        self.scan_field.grab_focus()

    def close_box(self, detail: receiving.ShipmentDetail) -> QMessageBox:
        """The 'close this shipment?' question, No by default: a scanner's Enter (the clerk
        scanning on while the box pops up) must not close the shipment; Y or Alt+Y does."""
        short = detail.total_remaining
        text = (f"Close shipment {detail.ref}? {detail.total_received} received, "
                f"{detail.total_damaged} damaged" + (f", {short} still missing." if short else "."))
        box = QMessageBox(QMessageBox.Icon.Question, "Close shipment", text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        return box

    def confirm_close(self, detail: receiving.ShipmentDetail) -> bool:
        return self.close_box(detail).exec() == QMessageBox.StandardButton.Yes

    def report_action(self) -> str:
        """What to do with the receiving report: "print", "save" or "none" (tests monkeypatch)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Receiving report",
                          "The shipment is closed. Print or save the receiving report?", parent=self)
        printing = box.addButton("&Print…", QMessageBox.ButtonRole.AcceptRole)
        saving = box.addButton("&Save…", QMessageBox.ButtonRole.ActionRole)
        box.addButton("&Not now", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        return "print" if clicked is printing else "save" if clicked is saving else "none"

    def close_shipment(self) -> receiving.CloseResult | None:
        if self.shipment is None:
            return None
        detail = receiving.shipment_detail(self.shipment.id)
        confirmed = self.confirm_close(detail)
        self.scan_field.grab_focus()
        if not confirmed:
            return None
        result = run_op(self, receiving.close_shipment, self.shipment.id, actor=self.ctx.actor)
        if result is None:
            return None
        from app.documents.receiving_report import render_receiving_report

        self.last_report_pdf = render_receiving_report(receiving.shipment_detail(self.shipment.id))
        self.shipment = receiving.shipment_ref(self.shipment.id)
        self.refresh_lines()
        self._update_buttons()
        self.banner.show_ok(f"Shipment {result.ref} closed: {result.received} received, "
                            f"{result.damaged} damaged, {result.short} short")
        self.ctx.events.shipments_changed.emit()
        self.refresh_chooser()
        action = self.report_action()
        self._deliver_pdf(self.last_report_pdf, f"receiving-report-{result.ref}", action)
        self.scan_field.grab_focus()
        return result

    def _deliver_pdf(self, pdf: bytes, name: str, action: str) -> None:
        from ui import printing as ui_printing

        if action == "print":
            ui_printing.print_pdf(self, pdf, name)
        elif action == "save":
            ui_printing.save_file(self, pdf, f"{name}.pdf", "PDF files (*.pdf)")

    # --- putaway ---------------------------------------------------------------------------
    def _on_putaway_toggled(self, on: bool) -> None:
        self.putaway_product = None
        self.putaway_hint.setVisible(on)
        self.putaway_hint.setText("Putaway: scan a product from RECEIVING" if on else "")
        if on:
            self.banner.show_ok("Putaway mode: scan a product, then its bin")
        self._update_buttons()
        self.scan_field.grab_focus()

    def _putaway_scan(self, code: str) -> None:
        if self._is_bin(code):
            if self.putaway_product is None:
                self._error(f"{code} is a bin: scan the product first, then its bin")
            else:
                self.putaway_to(code)
            return
        client_id = self.shipment.client_id if self.shipment else None
        try:
            s = receiving.putaway_suggestion(code, client_id=client_id, require_waiting=True)
        except PrepDeskError as exc:
            self._error(one_line(exc))
            return
        self.putaway_product = s
        where = f"suggested bin {s.bin_code} ({s.reason})" if s.bin_code else s.reason or "no suggestion"
        self.putaway_hint.setText(f"{s.sku} — {s.in_receiving} in RECEIVING — {where}: scan the bin")
        self.ctx.feedback.ok()
        self.banner.show_ok(f"{s.sku}: scan bin" + (f" {s.bin_code}" if s.bin_code else ""))

    def _putaway_shipment(self, s: receiving.PutawaySuggestion) -> int | None:
        """The open shipment, as the putaway's document, when the product came in with it."""
        if self.shipment is not None and s.sku in self._lines_by_sku:
            return self.shipment.id
        return None

    def _is_bin(self, code: str) -> bool:
        try:
            return scan.resolve(code, kinds=("location",)).kind == "location"
        except (UnknownBarcode, NotFound):
            return False

    def putaway_to(self, bin_code: str) -> receiving.PutawayResult | None:
        s = self.putaway_product
        if s is None:
            return None
        qty = self.qty.value()
        try:
            result = receiving.putaway(s.sku, bin_code, actor=self.ctx.actor,
                                       qty=qty if qty > 1 else None, client_id=s.client_id,
                                       product_id=s.product_id, shipment_id=self._putaway_shipment(s))
        except PrepDeskError as exc:
            self._error(one_line(exc))
            return None
        self.qty.setValue(1)
        self.putaway_product = None
        self.putaway_hint.setText(f"Put away {result.message}. Scan the next product")
        if result.suggested_bin and result.suggested_bin != result.bin_code:
            self.ctx.feedback.warning()
            self.banner.show_warning(f"{result.message} (suggested {result.suggested_bin})")
        else:
            self.ctx.feedback.ok()
            self.banner.show_ok(result.message)
        self.ctx.events.stock_changed.emit()
        return result

    # --- labels --------------------------------------------------------------------------------
    def _on_line_selected(self) -> None:
        row = self.lines.currentRow()
        item = self.lines.item(row, 0) if row >= 0 else None
        if item is not None and item.text() != "TOTAL":
            self._selected_sku = item.text()

    def _select_sku(self, sku: str) -> None:
        r = self._line_rows.get(sku)
        if r is not None:
            self.lines.selectRow(r)
            self._selected_sku = sku

    def ask_labels(self) -> LabelRequest | None:
        line = self._lines_by_sku.get(self._selected_sku)
        dialog = LabelDialog(self._selected_sku, self.ctx.settings.label_printer or "", self,
                             count=line.received if line else 1,
                             shipment=self.shipment.ref if self.shipment else "",
                             shipment_units=sum(x.received for x in self._lines_by_sku.values()))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.request()

    def print_labels(self) -> bool:
        """Ask what to print, then render (and send) on a worker thread with a progress bar.

        Returns True when a job started; the result arrives in ``_on_labels_done``.
        """
        if self.label_job is not None and not self.label_job.done:
            self._error("labels are still being prepared: wait for the bar to finish")
            return False
        req = self.ask_labels()
        self.scan_field.grab_focus()
        if req is None:
            return False
        client = self.shipment.client_code if self.shipment else None
        if req.kind == "unit":
            labs = run_op(self, label_docs.unit_labels, req.sku, req.count, client_code=client)
        elif req.kind == "shipment" and self.shipment is not None:
            labs = run_op(self, label_docs.shipment_labels, self.shipment.id)
        else:
            labs = run_op(self, label_docs.bin_labels, req.first_bin, req.last_bin)
        if not labs:
            return False
        target = ""
        if req.destination == "printer":
            from app.devices import printing

            try:
                target = printing.check_target(self.ctx.settings.label_printer)
            except PrepDeskError as exc:
                self._error(one_line(exc))
                return False
        self.label_progress.setRange(0, len(labs))
        self.label_progress.setValue(0)
        self.label_progress.setVisible(True)
        self.labels_button.setEnabled(False)
        self.banner.show_ok(f"Preparing {len(labs)} label(s)…")
        self.label_job = run_task(
            _render_labels, labs, req.fmt, target,
            on_done=lambda data: self._on_labels_done(req, labs, target, data),
            on_error=self._on_labels_failed,
            on_progress=self._on_labels_progress)
        return True

    def _on_labels_progress(self, done: int, total: int) -> None:
        self.label_progress.setMaximum(total)
        self.label_progress.setValue(done)

    def _labels_finished(self) -> None:
        self.label_progress.setVisible(False)
        self.labels_button.setEnabled(True)

    def _on_labels_failed(self, exc: BaseException) -> None:
        self._labels_finished()
        if not isinstance(exc, PrepDeskError):
            log.error("labels failed", exc_info=(type(exc), exc, exc.__traceback__))
        self._error(one_line(exc))

    def _on_labels_done(self, req: LabelRequest, labs: list, target: str, data: bytes) -> None:
        self._labels_finished()
        if target:
            self.ctx.feedback.ok()
            self.banner.show_ok(f"{len(labs)} label(s) sent to {target}")
        else:
            name = f"labels-{self.shipment.ref if req.kind == 'shipment' and self.shipment else req.sku or req.first_bin}"
            self.banner.show_ok(f"{len(labs)} label(s) ready")
            from ui import printing as ui_printing

            if req.destination == "save" or req.fmt == "zpl":
                ext, filt = ("zpl", "ZPL files (*.zpl)") if req.fmt == "zpl" else ("pdf", "PDF files (*.pdf)")
                ui_printing.save_file(self, data, f"{name}.{ext}", filt)
            else:
                self._deliver_pdf(data, name, "print")
        self.label_jobs_done += 1
        self.scan_field.grab_focus()

    # --- new shipment --------------------------------------------------------------------------
    def ask_new_shipment(self) -> NewShipmentRequest | None:
        dialog = NewShipmentDialog([c.code for c in catalog.list_clients()], self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.request()

    def new_shipment(self) -> receiving.ShipmentRef | None:
        """Create a shipment from typed lines (at once), or import an ASN file on a worker
        thread (a big file takes seconds; the desk keeps scanning): the new shipment opens
        when the import is done. Returns the typed shipment, None for a file or a refusal."""
        req = self.ask_new_shipment()
        self.scan_field.grab_focus()
        if req is None:
            return None
        if req.csv_path:
            self.new_button.setEnabled(False)
            self.banner.show_ok(f"Importing {req.csv_path}…")
            self.import_job = run_task(
                receiving.import_asn, req.csv_path, client_code=req.client_code, ref=req.ref,
                actor=self.ctx.actor, expected_date=req.expected_date, carrier=req.carrier,
                tracking=req.tracking, on_done=self._on_asn_imported, on_error=self._on_asn_failed)
            return None
        lines = run_op(self, receiving.parse_lines, req.lines_text)
        ref = None
        if lines is not None:
            ref = run_op(self, receiving.create_shipment, req.client_code, req.ref, lines,
                         actor=self.ctx.actor, expected_date=req.expected_date,
                         carrier=req.carrier, tracking=req.tracking)
        if ref is None:
            return None
        self.ctx.events.shipments_changed.emit()
        self.open_shipment(ref.id)
        return ref

    def _on_asn_imported(self, res: receiving.ImportAsnResult) -> None:
        self.new_button.setEnabled(True)
        self.ctx.events.shipments_changed.emit()
        self.open_shipment(res.shipment.id)
        created = f", {res.products_created} new products" if res.products_created else ""
        self.banner.show_ok(f"Shipment {res.shipment.ref} imported: {res.lines} lines, "
                            f"{res.units} units{created} — scan units")
        self.scan_field.grab_focus()

    def _on_asn_failed(self, exc: BaseException) -> None:
        self.new_button.setEnabled(True)
        if isinstance(exc, ImportRejected):
            # every line-numbered reason, so the file can be fixed in one go
            shown = exc.errors[:25]
            more = f"\n… and {len(exc.errors) - 25} more" if len(exc.errors) > 25 else ""
            show_warning(self, "ASN file rejected, nothing imported:\n" + "\n".join(shown) + more)
        elif not isinstance(exc, PrepDeskError):
            log.error("ASN import failed", exc_info=(type(exc), exc, exc.__traceback__))
        self._error(one_line(exc))

    # --- helpers -------------------------------------------------------------------------------
    def _error(self, text: str) -> None:
        self.ctx.feedback.error()
        self.banner.show_error(text, sticky=True)
        self.scan_field.grab_focus()
