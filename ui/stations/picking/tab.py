"""The picking panel (sub-tab of Orders & Picking): waves made, opened and walked scan by scan.

Each stop: scan the bin, the item (or key a quantity), then the tote. ``app.picking.station_scan``
decides what a scan means at the picker's step; this panel keeps the step and the list as shown
and applies the outcome (a confirmed pick redraws its row and the next stop, not the walk).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import catalog, picking
from app.kernel import clock, states
from app.kernel.text import counted
from app.store.changes import Changes
from ui.ops import run_op
from ui.printing import print_pdf, send_to_station_printer
from ui.stations.picking.commands import run_command
from ui.stations.picking.desk_layout import OPEN_LISTS_WIDTH, fit_panes
from ui.stations.picking.dialogs import ShortDialog, ShortRequest, WaveDialog, WaveRequest
from ui.stations.picking.lot_swap import SwapRequest, ask_swap, offer_swap
from ui.stations.picking.next_stop import NextStopCard, big_label, step_prompt
from ui.widgets.ask import ask_item, ask_text
from ui.widgets.feedback import ScanBanner
from ui.widgets.scan_field import ScanField
from ui.widgets.tables import fill_table, read_only_table, set_row

log = logging.getLogger(__name__)

LIST_HEADERS = ["Pick list", "Status", "Open lines", "Orders", "Picker", "Created"]
STOP_HEADERS = ["#", "Bin", "SKU", "Name", "Qty", "Picked", "Short", "Totes", "Lot / expiry"]
EXCEPTION_HEADERS = ["When", "Pick list", "Order", "SKU", "Bin", "Qty", "Reason", "Outcome", "By"]

# The table of lists catches up this long after the last change (a scan's own feedback never
# waits for that query while the picker scans on).
LISTS_REFRESH_MS = 800


def _stop_cells(s: picking.Stop) -> tuple[object, ...]:
    """One row of the walk table."""
    return (s.index, s.bin_code, s.sku, s.name, s.qty, s.picked, s.short or "", s.split_text(), s.lot_text())


class PickingPanel(QWidget):
    """Open pick lists, the next stop shown large, and the bin -> item -> tote scan flow."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.picklist_id: int | None = None
        self.number = ""
        self.view: picking.PickListView | None = None
        self.step = "list"
        self.bin_code = ""
        self.item_code = ""
        self.item: picking.ItemMatch | None = None

        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.new_button = QPushButton("&New wave…")
        self.new_button.clicked.connect(self.new_wave)
        self.open_button = QPushButton("&Open")
        self.open_button.clicked.connect(self._open_selected)
        self.print_button = QPushButton("&Print")
        self.print_button.clicked.connect(self.print_list)
        self.page_size = QComboBox()
        self.page_size.addItem("Letter", "letter")
        self.page_size.addItem("A4", "a4")
        # the paper in the station's printer: letter where US units are used, A4 elsewhere
        if QLocale().measurementSystem() != QLocale.MeasurementSystem.ImperialUSSystem:
            self.page_size.setCurrentIndex(1)
        self.short_button = QPushButton("&Short pick…")  # Alt+H is the Help menu
        self.short_button.clicked.connect(self.short_current)
        self.remove_button = QPushButton("&Take order off…")  # Alt+F is the File menu
        self.remove_button.setToolTip("Take one order off this list (e.g. the customer cancelled)")
        self.remove_button.clicked.connect(self.remove_order)
        self.close_button = QPushButton("&Close list")
        self.close_button.clicked.connect(self.close_list)
        for w in (self.new_button, self.open_button, self.print_button, self.page_size, self.short_button,
                  self.remove_button, self.close_button):
            bar.addWidget(w)
        bar.addStretch(1)
        outer.addLayout(bar)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter = splitter
        self.lists = read_only_table()
        self.lists.doubleClicked.connect(lambda _index: self._open_selected())
        splitter.addWidget(self.lists)

        work = QWidget()
        wl = QVBoxLayout(work)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.setSpacing(3)  # every pixel goes to the next stop, the banner and the walk
        self.title = QLabel("No pick list open")
        self.title.setObjectName("Heading")
        wl.addWidget(self.title)
        self.stop_frame = NextStopCard()
        card = self.stop_frame
        self.stop_bin, self.stop_sku, self.stop_qty, self.stop_totes = card.bin, card.sku, card.qty, card.totes
        wl.addWidget(self.stop_frame)
        self.prompt = big_label("prompt")
        wl.addWidget(self.prompt)
        row = QHBoxLayout()
        self.scan_field = ScanField(ctx.settings)
        self.scan_field.scanned.connect(self.on_scan_field_scanned)
        row.addWidget(self.scan_field, 1)
        self.qty = QSpinBox()
        self.qty.setRange(1, 9999)
        self.qty.setMinimumHeight(52)
        self.qty.setToolTip("How many scans of the item (Alt+Q, type, Enter): instead of scanning each unit")
        self.qty.editingFinished.connect(self.scan_field.grab_focus)
        self.qty.valueChanged.connect(lambda _v: self._update_prompt() if self.step == "tote" else None)
        qty_label = QLabel("&Qty")
        qty_label.setBuddy(self.qty)
        row.addWidget(qty_label)
        row.addWidget(self.qty)
        wl.addLayout(row)
        self.banner = ScanBanner()
        wl.addWidget(self.banner)
        self.stops = read_only_table()
        wl.addWidget(self.stops, 1)
        splitter.addWidget(work)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([OPEN_LISTS_WIDTH, 1000])

        supervisor = ctx.actor.role == "supervisor"
        if supervisor:
            vertical = QSplitter(Qt.Orientation.Vertical)
            self.vertical: QSplitter | None = vertical
            vertical.addWidget(splitter)
            box = QWidget()
            bl = QVBoxLayout(box)
            bl.setContentsMargins(0, 4, 0, 0)
            head = QHBoxLayout()
            self.exceptions_label = QLabel("Short picks to resolve")
            self.exceptions_label.setObjectName("Heading")
            head.addWidget(self.exceptions_label)
            head.addStretch(1)
            self.resolve_button = QPushButton("Mark exception &resolved")
            self.resolve_button.clicked.connect(self.resolve_selected_exception)
            head.addWidget(self.resolve_button)
            bl.addLayout(head)
            self.exceptions = read_only_table()
            bl.addWidget(self.exceptions, 1)
            # Short picks are desk work: while a list is walked the pane gives its height to
            # the next stop (a 1280x800 screen has none to spare) and comes back on Close list.
            self.exceptions_box: QWidget | None = box
            vertical.addWidget(box)
            vertical.setStretchFactor(0, 4)
            vertical.setStretchFactor(1, 1)
            outer.addWidget(vertical, 1)
        else:
            outer.addWidget(splitter, 1)
            self.vertical = None
            self.exceptions_box = None
            self.exceptions_label = QLabel("")
            self.exceptions = read_only_table()
            self.resolve_button = QPushButton("")
            for w in (self.exceptions_label, self.exceptions, self.resolve_button):
                w.setVisible(False)
        self.remove_button.setVisible(supervisor)

        # Esc: the picker put the item back / scanned the wrong thing: start this stop over.
        restart = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        restart.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        restart.activated.connect(self.restart_stop)

        # A pick this screen has drawn already needs no reload of the walk when its commit is
        # announced; anything else (another station, a short pick) reloads the open list.
        self._drawn_commits = 0
        self._view_current = False
        # The walk as drawn: its next open stop and how many stops are open, kept up to date
        # pick by pick (a pick redraws one row, it does not go over the whole walk).
        self._next: picking.Stop | None = None
        self._open_stops = 0
        self._lists_timer = QTimer(self)
        self._lists_timer.setSingleShot(True)
        self._lists_timer.setInterval(LISTS_REFRESH_MS)
        self._lists_timer.timeout.connect(lambda: self.refresh(reload_view=False))
        ctx.events.changed.connect(self.on_changes)
        ctx.events.picklists_changed.connect(self.on_picklists_changed)
        self._list_rows: list[picking.PickListSummary] = []
        self._exception_rows: list[picking.PickExceptionRow] = []
        self._laid_out_open: bool | None = None  # the layout last fitted: a list open or not
        self.refresh()
        self._show_step("list")
        self._show_layout_for(None)  # no list open yet: no empty stop card taking the height

    # --- lists -----------------------------------------------------------------------------
    def refresh(self, *, reload_view: bool = True) -> None:
        self._list_rows = run_op(self, picking.open_picklists) or []
        fill_table(self.lists, LIST_HEADERS, [
            (r.number, states.label(r.status), f"{r.lines_open}/{r.lines_total}", r.orders, r.picker,
             clock.local_text(r.created_at))
            for r in self._list_rows], numeric={2, 3})
        if self.ctx.actor.role == "supervisor":
            self._exception_rows = run_op(self, picking.exceptions_list) or []
            fill_table(self.exceptions, EXCEPTION_HEADERS, [
                (clock.local_text(e.created_at), e.picklist, f"{e.client} {e.order_number}", e.sku,
                 e.bin_code, e.qty, e.reason, e.outcome_text, e.user_name) for e in self._exception_rows],
                numeric={5})
            self.exceptions_label.setText(f"Short picks to resolve: {len(self._exception_rows)}")
        if self.picklist_id is not None and reload_view:
            self._reload_view()

    def on_changes(self, news: Changes) -> None:
        ids = news.kinds.get("picklist")
        own = self._drawn_commits > 0 and ids == frozenset({self.picklist_id})
        if own:
            self._drawn_commits -= 1
        # Another list's commit (another picker's scan) leaves this walk as drawn: only the
        # table of lists refreshes, not a reload of the whole view per scan elsewhere.
        self._view_current = own or bool(ids and self.picklist_id not in ids)

    def on_picklists_changed(self) -> None:
        current, self._view_current = self._view_current, False
        if current:  # this screen's own pick, drawn already: the table of lists once scanning pauses
            self._lists_timer.start()
        else:  # elsewhere: the lists now, and the open walk too if it is the list changed
            self._lists_timer.stop()
            self.refresh(reload_view=True)

    def grab_focus(self) -> None:
        """The cursor in the scan field (the page chosen; the field's own show puts it back too)."""
        self.scan_field.grab_focus()

    def _open_selected(self) -> None:
        row = self.lists.currentRow()
        if 0 <= row < len(self._list_rows):
            self.open_list(self._list_rows[row].number)
        self.scan_field.grab_focus()

    def open_list(self, number: str) -> bool:
        # Orders shipped early or released since the list was made: their lines go first, so
        # the screen never sends the picker to a stop nobody needs.
        dropped = run_op(self, picking.drop_unreserved_lines, number, actor=self.ctx.actor)
        view = run_op(self, picking.picklist_view, number)
        if view is None:
            return False
        self.picklist_id, self.number, self.view = view.id, view.number, view
        self._render_view()
        if view.status in picking.OPEN_STATUSES and view.next_stop is not None:
            self._show_step("bin")
            if dropped:
                self.banner.show_warning(f"{view.number}: order {', '.join(dropped)} lost reserved stock "
                                         f"meanwhile, the list is updated. Go to {view.next_stop.bin_code}")
            else:
                self.banner.show_ok(f"{view.number} open: go to {view.next_stop.bin_code}")
        else:
            self._show_step("list")
            self.banner.show_warning(f"{view.number} is {states.label(view.status).lower()}: nothing to pick")
        return True

    def close_list(self) -> None:
        self.picklist_id, self.number, self.view = None, "", None
        self._next, self._open_stops = None, 0
        self._render_view()
        self._show_step("list")
        self.scan_field.grab_focus()

    def _reload_view(self) -> None:
        if self.picklist_id is None:
            return
        picklist_id = self.picklist_id
        view = run_op(self, picking.picklist_view, picklist_id,
                      banner=lambda message: log.info("pick list %s gone: %s", picklist_id, message))
        if view is None:
            self.close_list()
            return
        self.view = view
        self._render_view()
        self._follow_walk()

    def _follow_walk(self) -> None:
        """After the walk was read again (another picker on the same list): the prompt names
        the stop now next; a stop in hand that was finished elsewhere is put down."""
        if self.step in ("item", "tote") and self.view is not None and not any(
                not s.done and s.bin_code == self.bin_code for s in self.view.stops):
            gone = self.bin_code
            self._show_step("bin" if self.current_stop is not None else "list")
            if self.banner.state != "error":  # a refusal just shown (a scan of this screen's) stays
                self.banner.show_warning(f"{gone} was picked at another station: nothing was picked here, "
                                         "put the units back and scan the next bin")
        else:
            self._update_prompt()

    def _render_view(self) -> None:
        view = self.view
        if view is None:
            self.title.setText("No pick list open")
            self.stop_frame.show_stop(None, stops=0, done_text="")
            fill_table(self.stops, STOP_HEADERS, [], numeric=set())
            self._show_layout_for(None)
            self._update_buttons()
            return
        fill_table(self.stops, STOP_HEADERS, [_stop_cells(s) for s in view.stops], numeric={0, 4, 5, 6})
        for r, s in enumerate(view.stops):  # finished stops greyed: the eye goes to what is left
            if s.done:
                self._grey_row(r)
        self._next, self._open_stops = view.next_stop, view.open_stops
        self._render_next_stop(view)

    def _render_next_stop(self, view: picking.PickListView) -> None:
        """The title, the next stop shown large and highlighted in the walk, the buttons."""
        self.title.setText(f"{view.number} — {states.label(view.status)}, {self._open_stops} of {len(view.stops)} "
                           f"stops open, {counted(len(view.orders), 'tote')}")
        stop = self._next
        self.stop_frame.show_stop(stop, stops=len(view.stops))
        self._show_layout_for(view)
        if stop is not None:  # the current stop highlighted in the walk
            self.stops.selectRow(stop.index - 1)
            self.stops.scrollToItem(self.stops.item(stop.index - 1, 0))
        self._update_buttons()

    def _grey_row(self, row: int) -> None:
        for c in range(self.stops.columnCount()):
            self.stops.item(row, c).setForeground(QColor("#78909c"))

    def _apply_pick(self, result: picking.PickResult) -> None:
        """Draw a confirmed pick: the picked stop's row and the next stop. The whole list is
        read again only when it moved otherwise meanwhile (another picker on the same list)."""
        view, stop = self.view, result.stop
        i = stop.index - 1
        if (view is None or not 0 <= i < len(view.stops) or self.stops.rowCount() != len(view.stops)
                or (view.stops[i].location_id, view.stops[i].product_id) != (stop.location_id, stop.product_id)):
            self._reload_view()
            return
        open_stops = self._open_stops + (not stop.done) - (not view.stops[i].done)
        view = replace(view, status=result.picklist_status, stops=(*view.stops[:i], stop, *view.stops[i + 1:]))
        nxt = result.next_stop
        j = nxt.index - 1 if nxt is not None else -1
        # The next stop as the service sees it must be the one drawn there, unchanged, and
        # the open count must agree: else the walk moved otherwise (read it again).
        if (nxt is None) != (open_stops == 0) or (nxt is not None and not (
                0 <= j < len(view.stops) and view.stops[j] == nxt and not nxt.done)):
            self._reload_view()
            return
        self.view, self._next, self._open_stops = view, nxt, open_stops
        self._drawn_commits += 1
        set_row(self.stops, i, _stop_cells(stop))
        if stop.done:
            self._grey_row(i)
        self._render_next_stop(view)

    def _show_layout_for(self, view: picking.PickListView | None) -> None:
        """A list open: the next stop, no short-picks pane. No list: the pane, no empty stop."""
        opened = view is not None
        self.stop_frame.setVisible(opened)
        if self.exceptions_box is not None:
            self.exceptions_box.setVisible(not opened)
        if opened != self._laid_out_open:  # only when a list opens or closes, never per pick
            self._laid_out_open = opened
            fit_panes(self.splitter, self.vertical, self.lists, opened=opened)

    def _update_buttons(self) -> None:
        open_ = self.view is not None and self.view.status in picking.OPEN_STATUSES
        self.print_button.setEnabled(self.view is not None)
        self.short_button.setEnabled(open_ and self._next is not None)
        self.remove_button.setEnabled(open_)
        self.close_button.setEnabled(self.view is not None)

    @property
    def current_stop(self) -> picking.Stop | None:
        return self._next if self.view is not None else None

    # --- the scan flow -----------------------------------------------------------------------
    def _show_step(self, step: str) -> None:
        self.step = step
        if step in ("list", "bin"):
            self.bin_code = ""
            self.item, self.item_code = None, ""
            self.qty.setValue(1)
        self._update_prompt()

    def _update_prompt(self) -> None:
        self.prompt.setText(step_prompt(self.step, self.current_stop,
                                        self.item.pack_qty if self.item is not None else None, self.qty.value()))

    def restart_stop(self) -> None:
        """Back to 'scan the bin' for the current stop (nothing was confirmed)."""
        if self.picklist_id is not None and self.step in ("item", "tote") and self.current_stop is not None:
            self._show_step("bin")
            self.banner.show_warning("Stop started over: nothing picked")
        self.scan_field.grab_focus()

    def on_scan_field_scanned(self, code: str) -> None:
        """What the code means at this step is app.picking's decision; the screen applies it."""
        context = picking.ScanContext(step=self.step if self.picklist_id is not None else "list", view=self.view,
                                      bin_code=self.bin_code, item_code=self.item_code, qty=self.qty.value())
        wrong_lot: list[picking.WrongLot] = []

        def station_scan() -> picking.PickScan:
            try:
                return picking.station_scan(code, context, actor=self.ctx.actor)
            except picking.WrongLot as exc:  # refused like any wrong scan; then a swap is offered
                wrong_lot.append(exc)
                raise

        outcome = run_op(self, station_scan, banner=self._error)
        if outcome is not None:
            self._apply(outcome, code.strip())
        elif wrong_lot:
            self.offer_swap(wrong_lot[0], code)
        self.scan_field.grab_focus()

    def ask_swap(self, refusal: picking.WrongLot) -> SwapRequest | None:
        """Ask whether a supervisor takes the scanned lot instead (tests replace this)."""
        return ask_swap(self, refusal, signed=self.ctx.actor.may("resolve pick exceptions"))

    def offer_swap(self, refusal: picking.WrongLot, code: str) -> picking.SwapResult | None:
        return offer_swap(self, refusal, code)

    def _apply(self, outcome: picking.PickScan, code: str) -> None:
        if outcome.kind == "command":
            run_command(self, outcome.message)
        elif outcome.kind == "open":
            if self.open_list(outcome.number):
                self.ctx.feedback.ok()
        elif outcome.kind == "bin" and outcome.stop is not None:
            self.bin_code = outcome.stop.bin_code
            self.ctx.feedback.ok()
            self.banner.show_ok(outcome.message)
            self._show_step("item")
        elif outcome.kind == "item" and outcome.item is not None:
            self.item, self.item_code = outcome.item, code
            self.qty.setValue(1)
            self.ctx.feedback.ok()
            self.banner.show_ok(outcome.message)
            self._show_step("tote")
        elif outcome.kind == "more":
            self.qty.setValue(self.qty.value() + 1)
            self.ctx.feedback.ok()
            self._update_prompt()
        elif outcome.kind == "dropped":  # the walk changed under the picker: start the stop over
            self._error(outcome.message)
            self._show_step("bin" if self.current_stop is not None else "list")
        elif outcome.kind == "picked" and outcome.pick is not None and outcome.in_hand:
            # units still in hand for the stop's other totes: stay at the tote step
            self.ctx.feedback.ok()
            self.banner.show_ok(outcome.message)
            self._apply_pick(outcome.pick)
            self.qty.setValue(outcome.in_hand)
            self._update_prompt()
        elif outcome.kind == "picked" and outcome.pick is not None:
            self._picked(outcome.pick, outcome.message)

    def _picked(self, result: picking.PickResult, message: str) -> None:
        self.ctx.feedback.ok()
        self.banner.show_ok(message)
        bin_code = self.bin_code
        self._apply_pick(result)
        nxt = result.next_stop
        if nxt is not None and nxt.bin_code == bin_code:  # more to take here: next item
            self.item, self.item_code = None, ""
            self.qty.setValue(1)
            self._show_step("item")
        elif nxt is not None:
            self._show_step("bin")
        else:
            self._show_step("list")

    def _error(self, text: str) -> None:
        self.ctx.feedback.error()
        self.banner.show_error(text, sticky=True)
        if self.picklist_id is not None:
            # Another picker on the same list may have moved the walk on: show the truth, and
            # if this stop is gone start over at the bin the list now wants.
            self._reload_view()
            stop = self.current_stop
            if self.step in ("item", "tote") and (stop is None or stop.bin_code != self.bin_code):
                self._show_step("bin" if stop is not None else "list")

    # --- buttons ---------------------------------------------------------------------------------
    def ask_wave(self) -> WaveRequest | None:
        dialog = WaveDialog([c.code for c in catalog.list_clients()], self, count=lambda c, ca, s, by, p: (
            picking.waiting_orders(client=c, carrier=ca, service=s, ship_by=by, include_partial=p)))
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def new_wave(self) -> picking.PickListRef | None:
        req = self.ask_wave()
        if req is None:
            return None
        ref = run_op(self, picking.create_picklist, actor=self.ctx.actor, client=req.client, carrier=req.carrier,
                     service=req.service, ship_by=req.ship_by, max_orders=req.max_orders,
                     include_partial=req.include_partial, picker=req.picker)
        self.scan_field.grab_focus()
        if ref is None:
            return None
        self.refresh(reload_view=False)
        self.open_list(ref.number)
        self.banner.show_ok(f"{ref.number}: {counted(ref.orders, 'order')}, {counted(ref.units, 'unit')} — go to "
                            f"{self.current_stop.bin_code if self.current_stop else '-'}")
        return ref

    def ask_short(self, stop: picking.Stop) -> ShortRequest | None:
        dialog = ShortDialog(stop, self)
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def short_current(self) -> picking.ShortResult | None:
        """Short the product in hand (item scanned), else the current stop."""
        stop = self.item.stop if self.item is not None else self.current_stop
        if stop is None or self.picklist_id is None:
            return None
        at_bin = self.bin_code
        req = self.ask_short(stop)
        self.scan_field.grab_focus()
        if req is None:
            return None
        result = run_op(self, picking.short_pick, self.picklist_id, bin_code=stop.bin_code,
                        product=stop.product_id, qty_short=req.qty, reason=req.reason, actor=self.ctx.actor)
        if result is None:
            self._reload_view()
            return None
        self.ctx.feedback.warning()
        self.refresh()  # re-routes add stops: the walk is read again
        self.banner.show_warning(result.message())
        nxt = self.current_stop
        if nxt is not None and at_bin and nxt.bin_code == at_bin:  # more to take in this bin
            self.item, self.item_code = None, ""
            self.qty.setValue(1)
            self._show_step("item")
        else:
            self._show_step("bin" if nxt is not None else "list")
        return result

    def print_list(self) -> bool:
        if self.picklist_id is None:
            return False
        pdf = run_op(self, picking.render_pdf, self.picklist_id, page_size=self.page_size.currentData())
        target = self.ctx.settings.document_printer  # set: straight to it, no dialog
        title = f"Pick list {self.number}"
        if pdf is None:
            printed = False
        elif target:
            printed = send_to_station_printer(self, target, pdf, title)
        else:
            printed = bool(print_pdf(self, pdf, title))
        self.scan_field.grab_focus()
        return printed

    def resolve_selected_exception(self) -> None:
        row = self.exceptions.currentRow()
        if not 0 <= row < len(self._exception_rows):
            self.banner.show_warning("Select the short pick to mark resolved")
            self.scan_field.grab_focus()
            return
        exc = self._exception_rows[row]
        note = self.ask_note(exc)
        if note is not None:
            run_op(self, picking.resolve_exception, exc.id, actor=self.ctx.actor, note=note)
            self.refresh()
        self.scan_field.grab_focus()

    def ask_note(self, exc: picking.PickExceptionRow) -> str | None:
        what = f"{exc.qty} × {exc.sku} short in {exc.bin_code} ({exc.order_number}, {exc.outcome_text.lower()})."
        text = ask_text(self, "Resolve short pick", what + "\nWhat was done (e.g. bin counted, client told)?",
                        settings=self.ctx.settings)
        return text.strip() if text is not None else None

    def ask_remove(self) -> tuple[str, str] | None:
        orders = [f"{o.order_number}" for o in self.view.orders] if self.view is not None else []
        number = ask_item(self, "Take order off the list", "Order", orders)
        if not number:
            return None
        reason = ask_text(self, "Take order off the list", f"Why does {number} come off?",
                          settings=self.ctx.settings)
        return (number, reason) if reason is not None else None

    def remove_order(self) -> int | None:
        """Supervisor: take one order off the open list (its lines drop; it can then be cancelled)."""
        if self.picklist_id is None:
            return None
        req = self.ask_remove()
        self.scan_field.grab_focus()
        if req is None:
            return None
        units = run_op(self, picking.remove_order, self.picklist_id, req[0], actor=self.ctx.actor, reason=req[1])
        if units is None:
            return None
        self.refresh()
        self.banner.show_warning(f"Order {req[0]} taken off {self.number}: {counted(units, 'unit')} no longer to pick")
        self._show_step("bin" if self.current_stop is not None else "list")
        return units
