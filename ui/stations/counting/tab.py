"""The counts station: a counter counts bins blind by scanner (task, bin, units, a keyed
quantity), and a supervisor's list of the differences waiting for approval.

The counter's side never shows what the ledger expects in a bin: it gets only what it
counted. A refused scan stays red until acknowledged (scan ACK, Esc or the button), as at
the packing station. The rules live in ``app.counting``.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app import counting
from app.kernel.text import counted
from app.store.changes import Changes
from ui.ops import run_op
from ui.stations.counting.new_count import NewCountDialog
from ui.stations.packing.dialogs import AckButton
from ui.widgets.common import add_shortcuts, enter_presses_nothing
from ui.widgets.feedback import ScanBanner
from ui.widgets.scan_field import ScanBurstGuard, ScanField
from ui.widgets.tables import fill_table, read_only_table

ACK_CODES = ("ACK", "ACKNOWLEDGE")
# Command barcodes on the station's card, so the counter never lets go of the scanner.
FINISH_CODE = "FINISH"
EMPTY_CODE = "EMPTY"
# What the window asks for; it is kept inside the screen's available area.
WINDOW_SIZE = (1280, 720)
BANNER_LINES = 3  # the longest station message, at the window's width


class CountBanner(ScanBanner):
    """The station's banner, always tall enough for its message wrapped at its width (and
    for three lines, so the screen does not jump when a long message comes)."""

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's name
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        self.ensurePolished()
        margins = self.contentsMargins().top() + self.contentsMargins().bottom()
        lines = BANNER_LINES * self.fontMetrics().lineSpacing() + margins + 2 * self.margin()
        needed = max(lines, self.heightForWidth(self.width()))
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)


def show_rows(table: QTableWidget, rows: int) -> None:
    """At least ``rows`` rows of ``table`` stay in view, whatever else the window holds."""
    table.ensurePolished()
    header = table.horizontalHeader().sizeHint().height()
    table.setMinimumHeight(header + rows * table.verticalHeader().defaultSectionSize() + 2 * table.frameWidth())


class CountsStation(QWidget):
    """The counter's screen, driven by the scanner alone."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task: str | None = None
        self.bin_code: str | None = None
        self.pending_error = ""
        root = QVBoxLayout(self)
        self.where = QLabel("Scan a count task (CNT...)")
        self.where.setObjectName("CountWhere")
        root.addWidget(self.where)
        banner_row = QHBoxLayout()
        self.banner = CountBanner(any_key_acknowledges=False)
        banner_row.addWidget(self.banner, 1)
        self.ack_button = AckButton("Acknowledge\n(Esc / scan ACK)")
        self.ack_button.setEnabled(False)
        self.ack_button.clicked.connect(self.acknowledge)
        banner_row.addWidget(self.ack_button)
        root.addLayout(banner_row)
        scan_row = QHBoxLayout()
        scan_label = QLabel("&Scan")
        scan_row.addWidget(scan_label)
        self.scan_field = ScanField(ctx.settings)
        scan_label.setBuddy(self.scan_field)
        scan_row.addWidget(self.scan_field, 3)
        qty_label = QLabel("&QTY")
        self.qty_field = QLineEdit()
        self.qty_field.setPlaceholderText("1")
        self.qty_field.setMaximumWidth(90)
        self.qty_field.setToolTip("Units of the next scanned item (then back to 1)")
        self.qty_field.returnPressed.connect(self.scan_field.grab_focus)
        qty_label.setBuddy(self.qty_field)
        scan_row.addWidget(qty_label)
        scan_row.addWidget(self.qty_field)
        root.addLayout(scan_row)
        self.scan_field.scanned.connect(self.on_scanned)
        # A code scanned while the cursor is in QTY is a scan at the station (of the units the
        # QTY counts), not a quantity: the burst is taken back out and the code counted.
        self.qty_guard = ScanBurstGuard(self, on_scan=self.on_scanned, settings=ctx.settings).watch(self.qty_field)
        # The bins and, beside them, the buttons: the rows of the table get the height.
        table_row = QHBoxLayout()
        self.bins = read_only_table()
        show_rows(self.bins, 3)
        table_row.addWidget(self.bins, 1)
        buttons = QVBoxLayout()
        self.empty_button = QPushButton("Bin &empty (scan EMPTY)")
        self.empty_button.clicked.connect(self.count_empty)
        self.finish_button = QPushButton("&Finish count (scan FINISH)")
        self.finish_button.clicked.connect(self.finish)
        buttons.addWidget(self.empty_button)
        buttons.addWidget(self.finish_button)
        buttons.addStretch(1)
        table_row.addLayout(buttons)
        root.addLayout(table_row, 1)
        add_shortcuts(self, ("Ctrl+E", self.count_empty), ("Ctrl+F", self.finish))
        self._show_task()

    def grab_focus(self) -> None:
        self.scan_field.grab_focus()

    # --- acknowledging a refused scan ------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape and self.pending_error:
            self.acknowledge()
            return
        super().keyPressEvent(event)

    def acknowledge(self) -> None:
        if not self.pending_error:
            return
        self.pending_error = ""
        self.banner.acknowledge()
        self.ack_button.setEnabled(False)
        self.banner.show_idle("Error acknowledged: go on scanning")
        self.grab_focus()

    def _refuse(self, message: str) -> None:
        self.pending_error = message
        self.ack_button.setEnabled(True)
        self.banner.show_error(message, sticky=True)

    # --- scans -----------------------------------------------------------------------------
    def on_scanned(self, code: str) -> None:
        if self.pending_error:
            if code.strip().upper() in ACK_CODES:
                self.acknowledge()
            return  # nothing is counted while an error waits to be seen
        command = code.strip().upper()
        if command == FINISH_CODE:
            self.finish()
            return
        if command == EMPTY_CODE:
            self.count_empty()
            return
        qty_text = self.qty_field.text().strip()
        if qty_text and not qty_text.isdigit():
            self._refuse(f"QTY must be a whole number, not {qty_text!r}")
            return
        qty = int(qty_text) if qty_text else 1
        result = run_op(self, counting.station_scan, code, task=self.task, bin_code=self.bin_code, qty=qty,
                        actor=self.ctx.actor, banner=self._refuse)
        if result is None:
            return
        if result.kind == "task":
            self.task, self.bin_code = result.number, None
        elif result.kind == "bin":
            self.bin_code = result.bin_code
        else:
            self.qty_field.clear()
        self.banner.show_ok(result.message)
        self._show_task()

    def open_task(self, created: counting.CreatedTask) -> None:
        """A count just asked for at this station: on the screen, waiting for its first bin."""
        if self.pending_error:
            self.acknowledge()
        self.task, self.bin_code = created.number, None
        self.banner.show_ok(f"{created.number}: {counted(len(created.bins), 'bin')} to count — scan the first bin")
        self._show_task()

    def count_empty(self) -> None:
        if not (self.task and self.bin_code) and not self.pending_error:
            self._refuse("scan a count task and a bin first")
        elif self.task and self.bin_code and not self.pending_error:
            r = run_op(self, counting.count_empty, self.task, bin_code=self.bin_code, actor=self.ctx.actor,
                       banner=self._refuse)
            if r is not None:
                self.banner.show_ok(r.message())
                self.bin_code = None
                self._show_task()
        self.grab_focus()

    def finish(self) -> None:
        if not self.task and not self.pending_error:
            self._refuse("scan a count task first")
        elif self.task and not self.pending_error:
            r = run_op(self, counting.finish, self.task, actor=self.ctx.actor, banner=self._refuse)
            if r is not None:
                self.task = self.bin_code = None  # the station is ready for the next task
                self.banner.show_ok(r.message())
                self._show_task()
        self.grab_focus()

    def _show_task(self) -> None:
        if self.task is None:
            self.where.setText("Scan a count task (CNT...)")
            fill_table(self.bins, ["Bin", "State", "Counted"], [], {2})
            return
        view = run_op(self, counting.counter_view, self.task, banner=self._refuse)
        if view is None:
            return
        self.where.setText(f"Count {view.number}" + (f" — bin {self.bin_code}" if self.bin_code else
                                                       " — scan a bin"))
        fill_table(self.bins, ["Bin", "State", "Counted"],
                   [(b.code, b.status, b.counted) for b in view.bins], {2})


class CountApprovals(QWidget):
    """The supervisor's list: counts whose differences wait for approval, and their lines.

    The list follows every count's changes (a count finished in this window or at another
    station), keeping the count that was selected.
    """

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        root = QVBoxLayout(self)
        root.addWidget(QLabel("Counts waiting for approval"))
        tables = QHBoxLayout()
        self.tasks = read_only_table()
        self.tasks.itemSelectionChanged.connect(self._show_lines)
        tables.addWidget(self.tasks, 3)
        self.lines: QTableWidget = read_only_table()
        tables.addWidget(self.lines, 5)
        for table in (self.tasks, self.lines):
            show_rows(table, 4)
        root.addLayout(tables, 1)
        row = QHBoxLayout()
        self.new_button = QPushButton("&New count…")
        self.new_button.setToolTip("Ask for a blind count: a bin, a zone, a product's bins, or bins not "
                                   "counted for a while")
        row.addWidget(self.new_button)
        self.approve_button = QPushButton("&Approve all")
        self.approve_button.clicked.connect(self.approve)
        self.recount_button = QPushButton("&Recount bin")
        self.recount_button.clicked.connect(self.recount)
        row.addWidget(self.approve_button)
        row.addWidget(self.recount_button)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        # A long message wraps in the room left; it never widens the window.
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.message, 1)
        root.addLayout(row)
        ctx.events.changed.connect(self._on_changes)
        self.refresh()

    def _on_changes(self, news: Changes) -> None:
        if "count" in news:
            self.refresh()

    def refresh(self) -> None:
        """Read the list again; the count selected stays selected while it still waits."""
        keep = self._task()
        rows = run_op(self, counting.task_list, status="awaiting_approval") or []
        self.tasks.blockSignals(True)
        # The scope takes the room the other columns leave (a long one is cut, whole in its tip):
        # the count's number and its figures stay in view beside the difference lines.
        fill_table(self.tasks, ["Count", "Scope", "Bins", "Waiting"],
                   [(t.number, t.scope, t.bins, t.pending) for t in rows], {2, 3}, stretch=1)
        for r, t in enumerate(rows):
            self.tasks.item(r, 1).setToolTip(t.scope)
        numbers = [t.number for t in rows]
        if rows:
            self.tasks.selectRow(numbers.index(keep) if keep in numbers else 0)
        self.tasks.blockSignals(False)
        self._show_lines()

    def _task(self) -> str | None:
        item = self.tasks.item(self.tasks.currentRow(), 0) if self.tasks.currentRow() >= 0 else None
        return item.text() if item else None

    def _show_lines(self) -> None:
        task = self._task()
        diffs = (run_op(self, counting.differences, task, actor=self.ctx.actor, only_open=True) or []) if task else []
        fill_table(self.lines, ["Line", "Bin", "SKU", "Expected", "Counted", "Difference", "Lot"],
                   [(d.line, d.bin_code, d.sku, d.expected, d.counted, f"{d.difference:+d}", d.lot) for d in diffs],
                   {0, 3, 4, 5})

    def _nothing_chosen(self) -> str:
        return "Select a count in the list first" if self.tasks.rowCount() else "No count is waiting for approval"

    def approve(self) -> None:
        task = self._task()
        if not task:
            self.message.setText(self._nothing_chosen())
            return
        r = run_op(self, counting.approve, task, actor=self.ctx.actor)
        if r is not None:
            self.message.setText(f"{r.number} {r.status.replace('_', ' ')}: {counted(r.adjusted, 'line')} adjusted")
            self.refresh()

    def recount(self) -> None:
        task, row = self._task(), self.lines.currentRow()
        item = self.lines.item(row, 1) if row >= 0 else None
        if not task:
            self.message.setText(self._nothing_chosen())
        elif not item:
            self.message.setText(f"Select the line of {task} whose bin is to be counted again")
        else:
            r = run_op(self, counting.recount, task, bin_code=item.text(), actor=self.ctx.actor)
            if r is not None:
                self.message.setText(f"{r.new_number}: recount of {r.bin_code}")
                self.refresh()


class CountsDialog(QDialog):
    """The counts station (and, for a supervisor, the approvals) in a window of its own."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Counts")
        # Gone once closed: it no longer follows the counts' changes in the background.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._fit_to_screen()
        layout = QVBoxLayout(self)
        self.station = CountsStation(ctx)
        self.station.layout().setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.station, 4)
        self.approvals: CountApprovals | None = None
        if ctx.actor.role == "supervisor":
            self.approvals = CountApprovals(ctx)
            self.approvals.layout().setContentsMargins(0, 0, 0, 0)
            self.approvals.new_button.clicked.connect(self.new_count)
            layout.addWidget(self.approvals, 3)
        # The counter's Enter (a scanner ends every code with it) never presses a button: the
        # buttons have their keys and scan codes. A code scanned with the cursor anywhere but
        # the scan field (a table, a button) is a scan at the station all the same.
        enter_presses_nothing(self)
        self.guard = ScanBurstGuard(self, on_scan=self.station.on_scanned, settings=ctx.settings).watch_dialog(
            self, but=(self.station.scan_field, self.station.qty_field))
        self.station.grab_focus()

    def _fit_to_screen(self) -> None:
        """The window's size, within the screen's available area (its frame included)."""
        screen = self.screen()
        if screen is None:
            self.resize(*WINDOW_SIZE)
            return
        room: QRect = screen.availableGeometry()
        self.resize(min(WINDOW_SIZE[0], room.width() - 40), min(WINDOW_SIZE[1], room.height() - 40))

    def new_count(self) -> None:
        """Ask for a count; the new task is then the one on the station, ready for its first bin."""
        dialog = NewCountDialog(self.station.ctx, self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.created is not None:
                self.station.open_task(dialog.created)
        finally:
            dialog.deleteLater()
        self.station.grab_focus()
