"""Receiving tab: open an inbound shipment, scan units in (damaged, keyed quantity, undo),
link or create unknown barcodes on the spot, close with a report, put away, print labels.

Everything works from the scanner and the keyboard. The rules live in ``app.receiving``:
what a scan means is decided by its ``station_scan``; this tab shows the outcome (the one
line a scan changed), and refusals go through ``ui.ops.run_op`` to the scan banner.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QBrush, QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import ledger, receiving
from app.catalog import scan
from app.kernel import states
from app.kernel.barcodes import clean_scan
from app.kernel.errors import PrepDeskError
from app.kernel.states import ShipmentStatus
from ui import lazy
from ui.ops import run_op
from ui.stations.receiving import lot_dialog
from ui.stations.receiving.commands import run_command
from ui.stations.receiving.dialogs import (
    CreateAnswer,
    LinkAnswer,
    UnknownBarcodeDialog,
)
from ui.stations.receiving.label_printing import PRINTING, LabelPrinting
from ui.stations.receiving.new_shipment import NewShipment
from ui.widgets.ask import guard_letters
from ui.widgets.feedback import ScanBanner
from ui.widgets.open_folder import OpenFolderButton
from ui.widgets.scan_field import ScanField
from ui.widgets.tables import fill_table, read_only_table
from ui.worker import Task

log = logging.getLogger(__name__)

LINE_HEADERS = ["SKU", "Product", "Expected", "Received", "Damaged", "Remaining", "Note"]
# Row tints: a line that is complete, and one that needs a look (over, not on the ASN).
DONE_TINT, ATTENTION_TINT = QColor("#dcedc8"), QColor("#ffe0b2")
CHOOSER_REFRESH_MS = 400  # the chooser's counts follow the scans, a moment later
REPORT = "app.documents.receiving_report:render_receiving_report"  # ReportLab: on first print
DAMAGED_KEY = "F8"
PUTAWAY_KEY = "F9"


# --- The tab ---------------------------------------------------------------------------------


class ReceivingTab(NewShipment, LabelPrinting, QWidget):
    """The receiving desk. Scan a shipment reference to open it, then scan units."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.shipment: receiving.ShipmentRef | None = None
        self.detail: receiving.ShipmentDetail | None = None
        self.putaway_product: receiving.PutawaySuggestion | None = None
        self.scan_context: receiving.DeskContext | None = None
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
        self.open_folder = OpenFolderButton()  # shown once labels or a report were saved
        keys.addWidget(self.open_folder)
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
        self._chooser_timer.timeout.connect(self.catch_up)
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
            self.chooser.addItem(f"{s.ref}  ({s.client_code}, {states.label(s.status)}, {s.arrived}/{s.expected}, {eta})", s.id)
        index = self.chooser.findData(current) if current is not None else 0
        self.chooser.setCurrentIndex(max(index, 0))
        self.chooser.blockSignals(False)

    def catch_up(self) -> None:
        """The chooser's counts, and the open shipment as other stations left it."""
        self.refresh_chooser()
        self.refresh_open_shipment()

    def refresh_open_shipment(self) -> None:
        """Show the open shipment's lines and status as they are now: other desks scan into
        it, and a shipment closed elsewhere takes no more units here either. The table is
        rebuilt only when something changed, and keeps its selected line."""
        if self.shipment is None or self.putaway_mode.isChecked():
            return
        detail = run_op(self, receiving.shipment_detail, self.shipment.id, banner=self._error)
        if detail is None or detail == self.detail:
            return
        was_active = self.shipment.status in receiving.ACTIVE_STATUSES
        selected = self._selected_sku
        self.shipment = replace(self.shipment, status=detail.status)
        self.refresh_lines(detail)
        if selected:
            self._select_sku(selected)
        self._update_buttons()
        if was_active and detail.status not in receiving.ACTIVE_STATUSES:
            self.banner.show_idle(f"Shipment {detail.ref} was {states.label(detail.status).lower()} "
                                  "at another station: nothing more can be received")

    def refresh_lines(self, detail: receiving.ShipmentDetail | None = None) -> None:
        """Rebuild the open shipment's table (from ``detail`` when it was just read)."""
        self._line_rows: dict[str, int] = {}
        self._lines_by_sku: dict[str, receiving.LineRow] = {}
        if self.shipment is None:
            self.detail = None
            fill_table(self.lines, LINE_HEADERS, [], set())
            self.header.setText("No shipment open: scan or choose its reference")
            return
        self.detail = detail or receiving.shipment_detail(self.shipment.id)
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
        self.header.setText(f"<b>{d.ref}</b> — {d.client_code} {d.client_name} — {states.label(d.status)} — "
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
        if self.detail is not None:  # what is drawn: the catch-up after a pause rebuilds for others' work only
            self.detail = replace(self.detail, lines=tuple(ln if x.sku == ln.sku else x for x in self.detail.lines))
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
        # Every scan (here or at another desk) says shipments changed: the chooser's counts
        # and the open shipment catch up once the burst of scans pauses, so a scan's own
        # feedback never waits for those queries.
        self._chooser_timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.scan_field.grab_focus()

    # --- opening a shipment -------------------------------------------------------------
    def open_shipment(self, shipment_id: int) -> bool:
        ref = run_op(self, receiving.shipment_ref, shipment_id, banner=self._error)
        if ref is None:
            return False
        self._show_shipment(ref)
        return True

    def _show_shipment(self, ref: receiving.ShipmentRef) -> None:
        self.shipment = ref
        self.refresh_lines()
        self.refresh_chooser()
        self._update_buttons()
        if ref.status in receiving.ACTIVE_STATUSES:
            self.banner.show_ok(f"Shipment {ref.ref} open: scan units")
        else:  # grey, not green: a closed shipment takes no more units
            self.banner.show_idle(f"Shipment {ref.ref} {states.label(ref.status).lower()}: "
                                  "nothing more can be received")

    def _on_chooser_activated(self, index: int) -> None:
        sid = self.chooser.itemData(index)
        if sid is not None:
            self.open_shipment(int(sid))
        self.scan_field.grab_focus()

    # --- scanning -------------------------------------------------------------------------
    def _keyed_qty(self) -> int | None:
        qty = self.qty.value()
        if self.putaway_mode.isChecked() and self.putaway_product is not None:
            return qty  # putaway moves exactly what the box shows (all that waits, or less)
        return qty if qty > 1 else None

    def on_scan_field_scanned(self, code: str) -> None:
        """Ask the desk's scan router what the scan means, then show what it did."""
        context = receiving.DeskContext(
            self.ctx.actor, self.shipment, putaway=self.putaway_mode.isChecked(),
            pending=self.putaway_product, qty=self._keyed_qty(), damaged=self.damaged.isChecked())
        self.scan_context = context  # a lot asked for afterwards scans again with the same
        outcome = run_op(self, receiving.station_scan, code, context, banner=self._error)
        if outcome is not None:
            self.apply(outcome)

    def apply(self, outcome: receiving.Outcome) -> None:
        """Show one scan's outcome: the one line it changed, the shipment it opened..."""
        if outcome.kind == "open" and outcome.shipment is not None:
            self._show_shipment(outcome.shipment)
        elif outcome.kind == "received" and outcome.received is not None:
            self._show_received(outcome.received)
        elif outcome.kind == "unknown":
            self._settle_unknown(outcome.code)
        elif outcome.kind == "product" and outcome.suggestion is not None:
            self._show_putaway_product(outcome.suggestion)
        elif outcome.kind == "put_away" and outcome.put_away is not None:
            self._show_put_away(outcome.put_away)
        elif outcome.kind in ("lot_needed", "short_dated"):
            lot_dialog.settle(self, self, outcome)
        elif outcome.kind == "command":
            run_command(self, outcome.code)

    def _show_received(self, result: receiving.ReceiveResult) -> None:
        assert self.shipment is not None
        self.qty.setValue(1)
        if result.damaged:
            self.damaged.setChecked(False)
        if result.first_scan:
            self.shipment = replace(self.shipment, status=ShipmentStatus.RECEIVING)
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

    # --- unknown barcodes -------------------------------------------------------------------
    def client_products(self) -> list[tuple[int, str, str]]:
        assert self.shipment is not None
        return [(r.product_id, r.sku, r.name)
                for r in ledger.stock_rows(client=self.shipment.client_code, limit=5000)]

    def ask_unknown_barcode(self, code: str) -> LinkAnswer | CreateAnswer | None:
        """Ask how to handle an unknown barcode (tests monkeypatch this)."""
        assert self.shipment is not None
        client_id = self.shipment.client_id

        def find(text: str) -> int | None:  # a barcode or SKU the product already has
            try:
                match = scan.find_product_code(clean_scan(text), client_id=client_id)
            except PrepDeskError:  # not a code at all: nothing found, the clerk types on
                return None
            return match.id if match is not None else None

        dialog = UnknownBarcodeDialog(code, self.shipment.client_code, self.client_products(), self,
                                      find=find)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()

    def _settle_unknown(self, code: str) -> None:
        """Link the code to a product of this client or create one, and receive the scan:
        one service call, one transaction (a refused link receives nothing)."""
        assert self.shipment is not None
        self.ctx.feedback.error()
        self.banner.show_error(f"Unknown barcode {code}", sticky=True)
        answer = self.ask_unknown_barcode(code)
        self.banner.acknowledge()
        if isinstance(answer, LinkAnswer):
            result = run_op(self, receiving.receive_unknown, self.shipment.id, code,
                            actor=self.ctx.actor, link_to=answer.product_id, pack_qty=answer.pack_qty,
                            qty=self._keyed_qty(), damaged=self.damaged.isChecked(), banner=self._error)
        elif isinstance(answer, CreateAnswer):
            result = run_op(self, receiving.receive_unknown, self.shipment.id, code,
                            actor=self.ctx.actor, new_sku=answer.sku, new_name=answer.name,
                            qty=self._keyed_qty(), damaged=self.damaged.isChecked(), banner=self._error)
        else:
            self.banner.show_error(f"Unknown barcode {code}: not received", sticky=True)
            result = None
        self.scan_field.grab_focus()
        if result is not None:
            self._show_received(result)

    # --- undo, damaged, close ---------------------------------------------------------------
    def undo_last(self) -> receiving.UndoResult | None:
        if self.shipment is None or self.putaway_mode.isChecked():
            return None
        result = run_op(self, receiving.undo_receipt, self.shipment.id, actor=self.ctx.actor,
                        banner=self._error)
        if result is None:
            return None
        # the one line the undo changed; an extra line that went away takes the table with it
        if result.line is None or not self._update_line(result.line):
            self.refresh_lines()
        self.ctx.feedback.warning()
        self.banner.show_warning(result.message)
        self.scan_field.grab_focus()
        return result

    def _on_damaged_toggled(self, on: bool) -> None:
        if on:
            self.banner.show_warning("Next scan is DAMAGED: it goes to QUARANTINE")
        self.scan_field.grab_focus()

    def close_box(self, detail: receiving.ShipmentDetail) -> QMessageBox:
        """'Close this shipment?', No by default: a scan (its Y, its Enter) answers nothing and
        the box says it was ignored; Y typed on its own or Alt+Y closes the shipment."""
        short = detail.total_remaining
        text = (f"Close shipment {detail.ref}? {detail.total_received} received, "
                f"{detail.total_damaged} damaged" + (f", {short} still missing." if short else "."))
        box = QMessageBox(QMessageBox.Icon.Question, "Close shipment", text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        return guard_letters(box)  # a scanned Y ("TOY-1") is no Yes

    def confirm_close(self, detail: receiving.ShipmentDetail) -> bool:
        return self.close_box(detail).exec() == QMessageBox.StandardButton.Yes

    def report_action(self) -> str:
        """What to do with the receiving report: "print", "save" or "none" (tests monkeypatch)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Receiving report",
                          "The shipment is closed. Print or save the receiving report?", parent=self)
        printing = box.addButton("&Print…", QMessageBox.ButtonRole.AcceptRole)
        saving = box.addButton("&Save…", QMessageBox.ButtonRole.ActionRole)
        box.addButton("&Not now", QMessageBox.ButtonRole.RejectRole)
        guard_letters(box).exec()  # a scanned P or S prints or saves nothing
        clicked = box.clickedButton()
        return "print" if clicked is printing else "save" if clicked is saving else "none"

    def close_shipment(self) -> receiving.CloseResult | None:
        if self.shipment is None:
            return None
        detail = run_op(self, receiving.shipment_detail, self.shipment.id)
        if detail is None:
            return None
        confirmed = self.confirm_close(detail)
        self.scan_field.grab_focus()
        if not confirmed:
            return None
        result = run_op(self, receiving.close_shipment, self.shipment.id, actor=self.ctx.actor)
        if result is None:
            return None
        self.last_report_pdf = lazy.attribute(REPORT)(receiving.shipment_detail(self.shipment.id))
        self.shipment = receiving.shipment_ref(self.shipment.id)
        self.refresh_lines()
        self._update_buttons()
        self.banner.show_ok(f"Shipment {result.message}")
        self.refresh_chooser()
        action = self.report_action()
        self._deliver_pdf(self.last_report_pdf, f"receiving-report-{result.ref}", action)
        self.scan_field.grab_focus()
        return result

    def _deliver_pdf(self, pdf: bytes, name: str, action: str) -> None:
        if action == "print":  # straight to the station's document printer when one is set
            lazy.load(PRINTING).print_on(self, pdf, name, self.ctx.settings.document_printer)
        elif action == "save":
            lazy.load(PRINTING).save_file(self, pdf, f"{name}.pdf", "PDF files (*.pdf)")

    # --- putaway ---------------------------------------------------------------------------
    def _on_putaway_toggled(self, on: bool) -> None:
        self.putaway_product = None
        self.qty.setValue(1)
        self.putaway_hint.setVisible(on)
        self.putaway_hint.setText("Putaway: scan a product from RECEIVING" if on else "")
        if on:
            self.banner.show_ok("Putaway mode: scan a product, then its bin")
        self._update_buttons()
        self.scan_field.grab_focus()

    def _show_putaway_product(self, s: receiving.PutawaySuggestion) -> None:
        self.putaway_product = s
        # All that waits goes by default, shown in the box so the clerk can key fewer.
        self.qty.setValue(max(1, min(s.in_receiving, self.qty.maximum())))
        self.qty.setToolTip(f"Units to put away ({s.in_receiving} wait in RECEIVING)")
        where = f"suggested bin {s.bin_code} ({s.reason})" if s.bin_code else s.reason or "no suggestion"
        self.putaway_hint.setText(f"{s.sku} — {s.in_receiving} in RECEIVING — {where}: "
                                  f"Qty {self.qty.value()}, scan the bin")
        self.ctx.feedback.ok()
        self.banner.show_ok(f"{s.sku}: scan bin" + (f" {s.bin_code}" if s.bin_code else ""))

    def _show_put_away(self, result: receiving.PutawayResult) -> None:
        self.qty.setValue(1)
        self.putaway_product = None
        self.putaway_hint.setText(f"Put away {result.message}. Scan the next product")
        if result.suggested_bin and result.suggested_bin != result.bin_code:
            self.ctx.feedback.warning()
            self.banner.show_warning(f"{result.message} (suggested {result.suggested_bin})")
        else:
            self.ctx.feedback.ok()
            self.banner.show_ok(result.message)

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

    # --- helpers -------------------------------------------------------------------------------
    def _error(self, text: str) -> None:
        self.ctx.feedback.error()
        self.banner.show_error(text, sticky=True)
        self.scan_field.grab_focus()
