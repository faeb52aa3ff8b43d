"""Packing tab: open an order (order number, tote or pick list scan), verify every unit by
scan, box it (suggested box, weight, Close box / Next box), ship it, print its papers.

The rules — what a scan means, what is refused, when a box may close, what shipping moves —
live in ``app.packing`` and ``app.shipping``. This widget keeps only what is on screen: the
open order, the queue of a pick list's orders, and whether a refused scan still waits for
the packer to acknowledge it (the red banner stays until ACK is scanned, Esc is pressed, or
the Acknowledge button is pressed with Enter/Space).

A scan's outcome is applied to the rows on screen; the order is read again only when its
shape changes (a new box, a closed or void one, another order) or another screen or
station changed it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import packing, shipping
from app.catalog import users
from app.devices import printing
from app.kernel.errors import ValidationError
from app.kernel.states import PackageStatus
from app.kernel.text import counted
from app.store import changes
from ui.ops import one_line, run_op
from ui.stations.packing import dialogs
from ui.stations.packing.commands import run_command
from ui.stations.packing.dialogs import AckButton, OverrideRequest, keeps_scan_focus
from ui.stations.packing.order_view import OrderPanel
from ui.stations.packing.panels import BoxPanel, ShipPanel
from ui.stations.packing.papers import papers, print_pdf, render_manifest, save_file
from ui.stations.packing.reprint import ReprintControl
from ui.widgets.feedback import ScanBanner
from ui.widgets.scan_field import BURST_MIN_CHARS, ScanField
from ui.worker import run_task

T = TypeVar("T")

# The document kinds whose change may alter what this screen shows.
SHOWN_KINDS = frozenset({"package", "order"})


def _station_scan(code: str, **kwargs: Any) -> packing.StationScan:
    """``packing.station_scan``; a shipped order scanned says how this station reprints it."""
    try:
        return packing.station_scan(code, **kwargs)
    except packing.AlreadyShipped as exc:
        raise exc.with_hint("Reprint… (Ctrl+R) prints its papers again") from None


def _checked_packable(order_id: int) -> bool:
    packing.check_packable(order_id)  # raises what stands in the way
    return True


class PackingTab(QWidget):
    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.order_id: int | None = None
        self.queue: list[int] = []  # the other orders of the scanned pick list / tote
        self.queue_label = ""
        self.view: packing.PackingView | None = None
        self.pending_error = ""  # a refused scan the packer has not acknowledged yet
        self._own_changes: list[changes.Changes] = []  # commits of this screen, already shown
        self._build()
        ctx.events.changed.connect(self.on_changed)
        # a bare number typed into the weight is in the warehouse's unit: name the one in force
        ctx.events.settings_changed.connect(self.weight.say_unit)
        self.refresh()

    # --- layout ----------------------------------------------------------------------------
    # A packing station is often a 1280x800 screen: the page must fit in ~650 px without
    # scrolling, so the actions sit in one column beside the order (not under it) and only
    # the scan field and the banner keep their big type.
    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(8, 6, 8, 6)
        root.setSpacing(6)
        top = QHBoxLayout()
        self.prompt = QLabel("Scan an order, tote or pick list")
        font = self.prompt.font()
        font.setPointSize(14)
        font.setBold(True)
        self.prompt.setFont(font)
        top.addWidget(self.prompt)
        self.scan_field = ScanField(self.ctx.settings)
        self.scan_field.scanned.connect(self.on_scan_field_scanned)
        top.addWidget(self.scan_field, 1)
        root.addLayout(top)

        banner_row = QHBoxLayout()
        self.banner = ScanBanner(any_key_acknowledges=False)  # only ACK/Esc/the button end an error
        self.banner.setMinimumHeight(64)
        banner_row.addWidget(self.banner, 1)
        self.ack_button = AckButton("Acknowledge\n(Esc / scan ACK)")
        self.ack_button.setMinimumHeight(64)
        self.ack_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.ack_button.clicked.connect(self.acknowledge)
        self.ack_button.setVisible(False)
        banner_row.addWidget(self.ack_button)
        root.addLayout(banner_row)

        body = QHBoxLayout()
        body.setSpacing(10)
        left = QVBoxLayout()
        left.setSpacing(4)
        self.order_panel = OrderPanel()
        self.order_title, self.progress = self.order_panel.order_title, self.order_panel.progress
        self.instructions = self.order_panel.instructions
        self.lines, self.packages = self.order_panel.lines, self.order_panel.packages
        left.addWidget(self.order_panel, 1)
        left.addLayout(self._documents())
        body.addLayout(left, 1)
        side = self._actions()
        side.setFixedWidth(430)
        body.addWidget(side)
        root.addLayout(body, 1)

    def _documents(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.slip_button = QPushButton("&Print slip")
        self.slip_button.clicked.connect(self.on_slip_clicked)
        self.label_button = QPushButton("Print &label")
        self.label_button.clicked.connect(self.on_label_clicked)
        self.manifest_button = QPushButton("&Manifest")
        self.manifest_button.clicked.connect(self.on_manifest_clicked)
        self.reprint = ReprintControl(self)
        self.reprint_button = self.reprint.button
        for button in (self.slip_button, self.label_button, self.manifest_button, self.reprint_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(button)
        self.auto_print = QCheckBox("Auto-print")
        self.auto_print.setToolTip("Print the slip and the carton labels on the station's printers the "
                                   "moment the last unit is verified")
        has_printer = bool(self.ctx.settings.label_printer or self.ctx.settings.document_printer)
        self.auto_print.setChecked(has_printer)
        self.auto_print.setEnabled(has_printer)
        self.auto_print.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row.addWidget(self.auto_print, 1)
        return row

    def _actions(self) -> QWidget:
        side = QWidget()
        side.setObjectName("PackingActions")
        side.setStyleSheet(
            "#PackingActions QGroupBox { margin-top: 12px; padding-top: 2px; }"
            "#PackingActions QPushButton { padding: 4px 6px; min-height: 30px; font-size: 13pt; }")
        v = QVBoxLayout(side)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(4)
        self.box_panel = BoxPanel()
        self.box, self.suggestion, self.weight = self.box_panel.box, self.box_panel.suggestion, self.box_panel.weight
        self.next_box_button, self.close_button, self.override_button, self.void_button = self.box_panel.buttons()
        self.box.activated.connect(lambda _i: self.scan_field.grab_focus())
        self.weight.editingFinished.connect(self._on_weight_entered)
        self.next_box_button.clicked.connect(self.on_next_box_clicked)
        self.close_button.clicked.connect(self.on_close_clicked)
        self.override_button.clicked.connect(self.on_override_clicked)
        self.void_button.clicked.connect(self.on_void_clicked)
        v.addWidget(self.box_panel)

        self.ship_panel = ShipPanel(self.ctx.settings)
        self.tracking, self.carrier = self.ship_panel.tracking, self.ship_panel.carrier
        self.service, self.cost, self.ship_button = (self.ship_panel.service, self.ship_panel.cost,
                                                     self.ship_panel.ship_button)
        self.tracking.scanned.connect(self.on_tracking_scanned)
        self.ship_button.clicked.connect(self.on_ship_clicked)
        for field in self.ship_panel.fields():
            field.returnPressed.connect(self.scan_field.grab_focus)
        v.addWidget(self.ship_panel)

        self.status = QLabel("")
        self.status.setObjectName("PackingStatus")
        self.status.setStyleSheet("QLabel#PackingStatus { font-size: 12pt; font-weight: bold; }")
        self.status.setWordWrap(True)
        v.addWidget(self.status)
        v.addStretch(1)
        return side

    def grab_focus(self) -> None:
        """The main window calls this when the tab is shown: the cursor goes to the scan field."""
        self.scan_field.grab_focus()

    def _on_weight_entered(self) -> None:
        # Enter in the weight field: the weight is taken, back to scanning.
        if self.weight.hasFocus():
            self.scan_field.grab_focus()

    # --- keys: Esc acknowledges a refused scan ---------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            if self.pending_error:
                self.acknowledge()
            else:  # Esc leaves a form field (weight, tracking, cost...) for the scan field
                self.scan_field.grab_focus()
            event.accept()
            return
        super().keyPressEvent(event)

    @keeps_scan_focus
    def acknowledge(self) -> None:
        if not self.pending_error:
            return
        self.pending_error = ""
        if self.status.text().startswith("Acknowledge the error first"):
            self.status.setText("")  # acknowledged: the hint is done
        self.banner.acknowledge()
        self.ack_button.setVisible(False)
        self.banner.show_idle("Error acknowledged: go on scanning")
        self.scan_field.grab_focus()

    def _refuse(self, message: str) -> None:
        """A refused scan: error sound, red banner that stays until acknowledged."""
        self.pending_error = message
        self.ctx.feedback.error()
        self.banner.show_error(message, sticky=True)
        self.ack_button.setVisible(True)

    def _blocked(self) -> bool:
        """While a refused scan waits for acknowledgement, nothing else may happen."""
        if self.pending_error:
            self.ctx.feedback.error()
            self.status.setText("Acknowledge the error first: scan ACK or press Esc")
            return True
        return False

    def _say_refused(self, message: str) -> None:
        """An action the service refused: say why (not sticky: no unit was mis-scanned)."""
        self.ctx.feedback.error()
        if not self.pending_error:  # the unacknowledged mis-scan keeps the banner
            self.banner.show_error(message)
        self.status.setText(message)

    def _fail(self, exc: BaseException) -> None:
        """A background task (printing) failed: one line, like a refusal."""
        self._say_refused(one_line(exc))

    def _op(self, fn: Callable[..., T], *args: Any, banner: Callable[[str], None] | None = None,
            **kwargs: Any) -> T | None:
        """Run a service call through ``run_op``; what its commit changed is this screen's own
        doing (it shows it already), so the change signals it raises do not reload the order."""
        mine: list[changes.Changes] = []
        stop = changes.listen(mine.append)
        try:
            return run_op(self, fn, *args, banner=banner or self._say_refused, **kwargs)
        finally:
            stop()
            # (bounded: a commit whose signal never comes, the window closing, is forgotten)
            self._own_changes = [*self._own_changes, *mine][-16:]

    def on_changed(self, news: changes.Changes) -> None:
        """Another screen or station changed this order or its packages: read the order again
        (a box of this order opened elsewhere names the order). Other orders' scans (another
        packer's table) leave it as drawn."""
        for i, own in enumerate(self._own_changes):
            if own is news:
                del self._own_changes[i]
                return
        if "box" in news or "setting" in news:  # box types added or retired, or sized in other units
            self.box_panel.fill_boxes(self._op(packing.list_box_types) or [])
        if not SHOWN_KINDS & news.kinds.keys():
            return
        if self.view is None or self._concerns_open_order(news):
            situation = self._situation()
            self.refresh()
            if self.status.text() == situation:  # what it said of the order: say it as it is now
                self.status.setText(self._situation())

    def _concerns_open_order(self, news: changes.Changes) -> bool:
        """Whether ``news`` names the open order or one of its packages (or does not say which)."""
        orders, packages = news.kinds.get("order"), news.kinds.get("package")
        mine = {p.id for p in self.view.packages} if self.view is not None else set()
        return ((orders is not None and (not orders or self.order_id in orders))
                or (packages is not None and (not packages or bool(packages & mine))))

    # --- scans -----------------------------------------------------------------------------
    def on_scan_field_scanned(self, code: str) -> None:
        if self.pending_error:
            if packing.is_ack_code(code):
                self.acknowledge()
            else:
                self.ctx.feedback.error()
                self.status.setText("Acknowledge the error first: scan ACK or press Esc")
            return
        # A code typed by hand (not a scanner's burst) does not verify a unit: the service
        # refuses it; short codes are let through (a burst needs 4 characters).
        keyed = not self.scan_field.last_scan_was_burst and len(code) >= BURST_MIN_CHARS
        result = self._op(_station_scan, code, order_id=self.order_id, actor=self.ctx.actor,
                          keyed=keyed, banner=self._say_refused if self.order_id is None else self._refuse)
        if result is None or result.kind == "ack":
            return
        if result.kind == "command":
            run_command(self, result.command)
            return
        if result.kind == "tracking":  # packing complete: the carrier label's barcode ships it
            tracking = self._op(shipping.check_tracking, result.tracking, banner=self._refuse)
            if tracking is not None:
                self.tracking.setText(tracking)
                self.ship_panel.guess_carrier(tracking)
                self.on_ship_clicked()
            return
        if result.kind == "open" and result.target is not None:
            self.open_target(result.target)
            return
        if result.outcome is not None:
            self._show_outcome(result.outcome)

    def _show_outcome(self, out: packing.ScanOutcome) -> None:
        view = packing.applied_to(self.view, out) if self.view is not None else None
        if view is None:
            self.refresh()  # a new box: read the order again
        else:
            self._show(view)
        if not out.accepted:
            self._refuse(out.message)
            return
        self.ctx.feedback.ok()
        self.banner.show_ok(out.message)
        self.status.setText(self._situation())  # units left to verify, or a box to close
        if out.order_complete:
            if self.auto_print.isChecked():
                self._print_all()

    def open_target(self, target: packing.PackTarget) -> None:
        left = self.view if self.view is not None and self.order_id != target.order_id else None
        left_box = left.open_package if left is not None else None
        self.order_id = target.order_id
        self.queue = list(target.order_ids[1:])
        self.queue_label = target.label if target.kind != "order" else ""
        self.refresh()
        self._prefill_shipping()
        self.status.setText(self._situation())  # what was said of the order before is not this one's
        if left is not None and left_box is not None and left_box.units:
            # Two open boxes on one table is how units end up in the wrong customer's box.
            self.ctx.feedback.warning()
            self.banner.show_warning(f"Packing order {self.view.number if self.view else target.label} — "
                                     f"order {left.number} still has box {left_box.number} open with "
                                     f"{counted(left_box.units, 'unit')}: keep it apart")
        else:
            self.ctx.feedback.ok()
            self.banner.show_ok(f"Packing order {self.view.number}" if self.view else target.label)
        self._select_suggested_box()

    def _situation(self) -> str:
        """The open order's situation in one line: units to verify, a box to close, or ready to ship."""
        view = self.view
        if view is None:
            return ""
        if view.unverified:
            return f"{view.verified} of {counted(view.picked, 'picked unit')} verified: scan each unit"
        if view.ready_to_ship:
            return "Packing complete: scan the carrier label's tracking number to ship"
        return "Every picked unit is verified: weigh the box and close it"

    def _next_in_queue(self) -> None:
        while self.queue:
            order_id = self.queue.pop(0)
            if not self._packable(order_id):
                continue
            self.order_id = order_id
            self.refresh()
            self._prefill_shipping()
            self._select_suggested_box()
            self.status.setText(f"Next order of {self.queue_label}: {self.view.number if self.view else ''}")
            return
        self.order_id = None
        self.queue_label = ""
        self.refresh()

    def _packable(self, order_id: int) -> bool:
        """Whether the queue's next order may still be packed (one finished, cancelled or
        shipped elsewhere is skipped without a word)."""
        return bool(run_op(self, _checked_packable, order_id, banner=lambda _message: None))

    def _prefill_shipping(self) -> None:
        if self.view is not None:
            self.ship_panel.prefill(self.view.carrier, self.view.service)

    # --- box, close, override, void ------------------------------------------------------
    def _select_suggested_box(self) -> None:
        if self.order_id is None:
            return
        suggestion = self._op(packing.suggest_box, self.order_id)
        if suggestion is not None:
            self.box_panel.show_suggestion(suggestion)

    def _close(self, *, final: bool, override: OverrideRequest | None = None, actor: Any = None) -> None:
        if self._blocked():
            return
        if self.order_id is None:
            self._say_refused("scan an order first")
            return
        try:
            weight_kg = self.box_panel.weight_kg()
        except ValidationError as exc:
            self._say_refused(str(exc))
            return
        result = self._op(packing.close_package, self.order_id, box=self.box_panel.box_name(),
                          weight_kg=weight_kg, final=final,
                          override_reason=override.reason if override else None,
                          estimate=self.box_panel.use_estimate.isChecked(),
                          actor=actor or self.ctx.actor)
        if result is None:
            return
        self.ctx.feedback.ok()
        pkg = result.package
        text = f"Box {pkg.number} closed: {counted(pkg.units, 'unit')}, {pkg.weight_text}"
        if result.override:
            text += " (supervisor override)"
        self.banner.show_ok(text)
        self.weight.setValue(0.0)
        self.box_panel.use_estimate.setChecked(False)
        self.status.setText("Packing complete: scan the carrier label's tracking number to ship"
                            if result.packing_complete
                            else f"{counted(result.unverified, 'unit')} still to verify into the next box")
        self.refresh()
        self._select_suggested_box()
        self.scan_field.grab_focus()  # the next unit (or box) is scanned, not typed into a button

    @keeps_scan_focus
    def on_next_box_clicked(self) -> None:
        self._close(final=False)

    @keeps_scan_focus
    def on_close_clicked(self) -> None:
        self._close(final=True)

    def ask_override(self, unverified: int) -> OverrideRequest | None:
        """Ask a supervisor to sign the override (tests replace this)."""
        return dialogs.ask_override(self, unverified, settings=self.ctx.settings)

    @keeps_scan_focus
    def on_override_clicked(self) -> None:
        if self._blocked() or self.order_id is None or self.view is None:
            return
        request = self.ask_override(self.view.unverified)
        if request is None:
            return
        supervisor = self._op(users.sign_override, request.supervisor, request.pin, actor=self.ctx.actor,
                              action="close a package with unverified units")
        if supervisor is None:
            return
        self._close(final=True, override=request, actor=supervisor)

    def ask_void(self, choices: list[int]) -> int | None:
        """Ask which package to void (tests replace this); None if cancelled."""
        if not choices:
            self._say_refused("no open or closed box to void")
            return None
        return dialogs.ask_void(self, choices)

    @keeps_scan_focus
    def on_void_clicked(self) -> None:
        if self._blocked() or self.view is None:
            return
        choices = [p.seq for p in self.view.packages if p.status in (PackageStatus.OPEN, PackageStatus.CLOSED)]
        seq = self.ask_void(choices)
        if seq is None:
            return
        if self._op(packing.void_package, self.order_id, seq=seq, reason="voided at the station",
                    actor=self.ctx.actor) is None:
            return
        self.banner.show_warning(f"Box {seq} void: scan its units again")
        self.refresh()

    # --- ship ---------------------------------------------------------------------------------
    def on_tracking_scanned(self, code: str) -> None:
        tracking = shipping.scanned_tracking(code)  # a carrier label's ship-to barcode: its number
        self.tracking.setText(tracking)
        self.ship_panel.guess_carrier(tracking)
        self.on_ship_clicked()

    @keeps_scan_focus
    def on_ship_clicked(self) -> None:
        if self._blocked():
            return
        if self.order_id is None:
            self._say_refused("scan an order first")
            return
        cost = run_op(self, self.ship_panel.cost_value, banner=self._say_refused)
        if cost is None and self.cost.text().strip():
            return
        tracking = self.tracking.text().strip()
        result = self._op(shipping.ship_order, self.order_id, tracking=tracking,
                          carrier=self.carrier.currentText(), service=self.service.text(), cost=cost,
                          actor=self.ctx.actor)
        if result is None:
            return
        self.ctx.feedback.ok()
        self.banner.show_ok(f"Order {result.number} shipped: {counted(result.units, 'unit')}, {counted(len(result.packages), 'package')}")
        self.ship_panel.clear()
        self.box.setCurrentIndex(0)
        self.suggestion.setText("")
        self.status.setText(f"Order {result.number} shipped with tracking {tracking}. Scan the next order.")
        self._next_in_queue()
        self.scan_field.grab_focus()

    # --- documents ------------------------------------------------------------------------------
    def _print_all(self) -> None:
        """Slip and labels straight to the station's printers, off the GUI thread (an
        unreachable printer takes seconds to time out; the packer keeps scanning)."""
        settings = self.ctx.settings
        self.status.setText("Printing slip and labels…")
        run_task(papers().print_documents, self.order_id, label_target=settings.label_printer,
                 document_target=settings.document_printer, label_language=settings.label_language,
                 label_dpi=settings.label_dpi, actor=self.ctx.actor,
                 on_done=self._on_printed, on_error=self._fail)

    def _on_printed(self, result: Any) -> None:  # app.packing.papers.PrintResult
        self.status.setText("Printed: " + "; ".join(result.sent) if result.sent else "Nothing to print")

    @keeps_scan_focus
    def on_slip_clicked(self) -> None:
        if self.order_id is None or self.view is None:
            return
        if self.ctx.settings.document_printer:
            self._op(papers().print_documents, self.order_id, document_target=self.ctx.settings.document_printer,
                     labels=False, actor=self.ctx.actor)
            return
        pdf = self._op(papers().render_slip, self.order_id)
        if pdf is not None:
            print_pdf(self, pdf, f"Packing slip {self.view.number}")

    def _current_seq(self) -> int | None:
        rows = self.packages.selectionModel().selectedRows() if self.packages.selectionModel() else []
        if rows and self.view is not None:
            return self.view.packages[rows[0].row()].seq
        return None

    @keeps_scan_focus
    def on_label_clicked(self) -> None:
        if self.order_id is None or self.view is None:
            return
        seq = self._current_seq()
        settings = self.ctx.settings
        if settings.label_printer:  # in the printer's language: ZPL at its density, or the PDF
            fmt = papers().carton_label_format(settings.label_language)
            data = self._op(papers().render_carton_label, self.order_id, seq=seq, fmt=fmt,
                            dpi=settings.label_dpi)
            if data is not None:
                if self._op(printing.send_labels, settings.label_printer, data, fmt) is None:
                    return
                self.status.setText(f"Label sent to {self.ctx.settings.label_printer}")
            return
        pdf = self._op(papers().render_carton_label, self.order_id, seq=seq, fmt="pdf")
        if pdf is not None:
            print_pdf(self, pdf, f"Carton label {self.view.number}")

    @keeps_scan_focus
    def on_manifest_clicked(self) -> None:
        if self.order_id is None or self.view is None:
            return
        pdf = self._op(render_manifest, self.order_id, seq=self._current_seq())
        if pdf is not None:
            save_file(self, pdf, f"manifest-{self.view.number}.pdf", "PDF files (*.pdf)")

    # --- showing the order -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the box types and the open order again and show them."""
        rows = self._op(packing.list_box_types)
        self.box_panel.fill_boxes(rows or [])
        if self.order_id is None:
            self.view = None
            self.order_panel.clear()
            self.prompt.setText("Scan an order, tote or pick list")
            if self.banner.state == "idle":  # (a "shipped" message stays until it fades)
                self.banner.show_idle("Scan an order number, a tote or a pick list to start packing")
            self._enable(False)
            return
        view = self._op(packing.packing_view, self.order_id)
        if view is not None:
            self._show(view)

    def _show(self, view: packing.PackingView) -> None:
        """Show ``view`` (plain data: no database)."""
        self.view = view
        self.order_panel.show_order(
            view, queue=f"   ({self.queue_label}: {len(self.queue)} more)" if self.queue_label else "")
        self.prompt.setText("Scan each unit" if view.unverified
                            else "Scan the tracking number" if view.ready_to_ship else "Weigh and close the box")
        self._enable(True)

    def _enable(self, on: bool) -> None:
        for w in (*self.box_panel.buttons(), self.ship_button, self.slip_button, self.label_button,
                  self.manifest_button):
            w.setEnabled(on)
