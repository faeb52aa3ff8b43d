"""The counts station driven by a scanner: task, bin, units, a keyed quantity, finish; the
expected quantity never appears on the counter's screen; refused scans wait for ACK."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QTableWidget,
    QWidget,
)

from app import catalog, counting, ledger
from tests.support.qt import put_stock, shown
from ui.stations.counting.tab import CountApprovals, CountsDialog, CountsStation
from ui.stations.inventory.tab import InventoryTab

EXPECTED = 37  # in A-01-01 when the count begins: a number nothing else on screen holds


def scan(qtbot, field, code: str) -> None:
    """A scanner: the whole code in one burst (the field's key clock stands still)."""
    field.clock_ms = lambda: 0
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def texts(widget: QWidget) -> list[str]:
    """Every text a person could read on the widget and its children (tooltips too)."""
    out = [widget.windowTitle(), widget.toolTip()]
    for w in [widget, *widget.findChildren(QWidget)]:
        out.append(w.toolTip())
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        if isinstance(w, QLineEdit):
            out += [w.text(), w.placeholderText()]
        if isinstance(w, QTableWidget):
            for r in range(w.rowCount()):
                out += [w.item(r, c).text() for c in range(w.columnCount()) if w.item(r, c)]
            out += [w.horizontalHeaderItem(c).text() for c in range(w.columnCount())]
    return out


@pytest.fixture
def counted_shelf(small_world):
    p = catalog.add_product("ACME", "TENT", "Tent", barcodes=["00012345678905"], actor=small_world)
    put_stock(p.id, "A-01-01", EXPECTED, actor=small_world)
    task = counting.create_task(bin_code="A-01-01", actor=small_world)
    return p.id, task.number


def test_a_blind_count_by_scanner_never_shows_the_expected_quantity(qtbot, make_ctx, counted_shelf):
    product_id, number = counted_shelf
    station = CountsStation(make_ctx("receiver", station="receiving"))
    qtbot.addWidget(station)
    station.show()
    field = station.scan_field
    seen: list[str] = []
    scan(qtbot, field, number)
    seen += texts(station)
    assert station.banner.text() == f"count {number}: scan a bin"
    scan(qtbot, field, "A-01-01")
    seen += texts(station)
    qtbot.keyClicks(station.qty_field, "4")
    qtbot.keyClick(station.qty_field, Qt.Key.Key_Return)
    scan(qtbot, field, "00012345678905")
    assert station.banner.text() == "A-01-01: TENT +4 (counted 4)"
    assert station.qty_field.text() == ""  # the keyed quantity was for that one scan
    seen += texts(station)
    scan(qtbot, field, "00012345678905")
    assert station.banner.text() == "A-01-01: TENT +1 (counted 5)"
    seen += texts(station)
    # a refused scan stays until acknowledged, and nothing is counted meanwhile
    scan(qtbot, field, "NO-SUCH-CODE")
    assert station.banner.state == "error" and "unknown barcode 'NO-SUCH-CODE': not a product" in station.banner.text()
    scan(qtbot, field, "00012345678905")
    assert station.banner.state == "error" and station.pending_error
    scan(qtbot, field, "ACK")
    assert not station.pending_error
    seen += texts(station)
    scan(qtbot, field, "FINISH")
    assert station.banner.text() == f"{number} awaiting approval: 0 lines adjusted, 1 wait for approval"
    seen += texts(station)
    assert not [t for t in seen if str(EXPECTED) in t]
    assert ledger.on_hand(product_id, "A-01-01") == EXPECTED  # the difference waits for approval


def test_the_supervisor_approves_the_difference(qtbot, make_ctx, counted_shelf, small_world):
    product_id, number = counted_shelf
    counting.scan(number, bin_code="A-01-01", code="TENT", qty=30, actor=small_world)
    counting.finish(number, actor=small_world)
    panel = CountApprovals(make_ctx("supervisor"))
    qtbot.addWidget(panel)
    assert panel.tasks.item(0, 0).text() == number
    assert [panel.lines.item(0, c).text() for c in range(1, 6)] == ["A-01-01", "TENT", "37", "30", "-7"]
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    assert panel.message.text() == f"{number} approved: 1 line adjusted"
    assert panel.tasks.rowCount() == 0
    assert ledger.on_hand(product_id, "A-01-01") == 30


def test_the_inventory_tab_opens_the_counts_station(qtbot, make_ctx, counted_shelf, message_boxes):
    tab = InventoryTab(make_ctx("supervisor"))
    qtbot.addWidget(tab)
    qtbot.mouseClick(tab.counts_button, Qt.MouseButton.LeftButton)
    assert message_boxes.dialogs == ["CountsDialog"]
    assert tab.counts_button.text() == "Cou&nts…"  # Alt+N reaches it


# --- the supervisor's Counts window: counting, finishing and approving in one window -------

def alt(qtbot, key, approvals: CountApprovals, says: str) -> None:
    """Alt+``key`` pressed where the cursor is, as a person at the keyboard would; a mnemonic
    "animates" its button, whose click follows ~100 ms later and is read in the message."""
    qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: approvals.message.text() == says)


def counts_window(qtbot, ctx) -> CountsDialog:
    dialog = shown(qtbot, CountsDialog(ctx))
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def rows_in_view(table: QTableWidget) -> int:
    return table.viewport().height() // table.verticalHeader().defaultSectionSize()


def test_a_count_finished_in_the_window_is_approved_there(qtbot, make_ctx, counted_shelf):
    """Finishing puts the count in the approval list at once; Alt+A approves it."""
    product_id, number = counted_shelf
    dialog = counts_window(qtbot, make_ctx("supervisor"))
    station, approvals = dialog.station, dialog.approvals
    assert approvals is not None and approvals.tasks.rowCount() == 0
    width = dialog.width()
    scan(qtbot, station.scan_field, number)
    scan(qtbot, station.scan_field, "A-01-01")
    qtbot.keyClicks(station.qty_field, "30")
    qtbot.keyClick(station.qty_field, Qt.Key.Key_Return)
    scan(qtbot, station.scan_field, "00012345678905")
    scan(qtbot, station.scan_field, "FINISH")
    assert station.banner.text() == f"{number} awaiting approval: 0 lines adjusted, 1 wait for approval"
    assert station.where.text() == "Scan a count task (CNT...)"  # the finished task is no longer on screen
    qtbot.waitUntil(lambda: approvals.tasks.rowCount() == 1)
    assert approvals.tasks.item(0, 0).text() == number
    assert [approvals.lines.item(0, c).text() for c in range(1, 6)] == ["A-01-01", "TENT", "37", "30", "-7"]
    alt(qtbot, Qt.Key.Key_A, approvals, f"{number} approved: 1 line adjusted")
    assert approvals.tasks.rowCount() == 0
    assert [t.status for t in counting.task_list() if t.number == number] == ["approved"]
    assert ledger.on_hand(product_id, "A-01-01") == 30
    qtbot.wait(0)
    assert dialog.width() == width  # the message wraps in the room it has
    assert ledger.check().ok


def test_approve_all_with_nothing_to_approve_says_so(qtbot, make_ctx, counted_shelf):
    product_id, number = counted_shelf
    dialog = counts_window(qtbot, make_ctx("supervisor"))
    alt(qtbot, Qt.Key.Key_A, dialog.approvals, "No count is waiting for approval")
    dialog.approvals.message.clear()
    alt(qtbot, Qt.Key.Key_R, dialog.approvals, "No count is waiting for approval")
    assert [t.status for t in counting.task_list() if t.number == number] == ["open"]
    assert ledger.on_hand(product_id, "A-01-01") == EXPECTED
    assert ledger.check().ok


def test_a_count_finished_at_another_station_joins_the_list(qtbot, make_ctx, counted_shelf, small_world):
    """The list follows the counts' changes and keeps the count the supervisor selected."""
    product_id, first = counted_shelf
    counting.scan(first, bin_code="A-01-01", code="TENT", qty=30, actor=small_world)
    counting.finish(first, actor=small_world)
    other = catalog.add_product("ACME", "LAMP", "Lamp", barcodes=["00012345678912"], actor=small_world)
    put_stock(other.id, "B-01-01", 20, actor=small_world)
    second = counting.create_task(bin_code="B-01-01", actor=small_world).number
    dialog = counts_window(qtbot, make_ctx("supervisor"))
    approvals = dialog.approvals
    assert approvals.tasks.item(0, 0).text() == first
    counting.scan(second, bin_code="B-01-01", code="LAMP", qty=2, actor=small_world)
    counting.finish(second, actor=small_world)
    qtbot.waitUntil(lambda: approvals.tasks.rowCount() == 2)
    assert [approvals.tasks.item(r, 0).text() for r in range(2)] == [second, first]
    assert approvals.tasks.currentRow() == 1  # still the count the supervisor was looking at
    assert [approvals.lines.item(0, c).text() for c in range(1, 6)] == ["A-01-01", "TENT", "37", "30", "-7"]
    alt(qtbot, Qt.Key.Key_A, approvals, f"{first} approved: 1 line adjusted")
    assert ledger.on_hand(product_id, "A-01-01") == 30
    assert ledger.on_hand(other.id, "B-01-01") == 20  # the other count still waits
    assert ledger.check().ok


def test_the_counts_window_shows_its_messages_and_lines_whole(qtbot, make_ctx, counted_shelf, small_world):
    """A three-line message fits in the banner; the difference lines show several rows."""
    product_id, number = counted_shelf
    catalog.add_product("ACME", "LAMP", "Lamp", barcodes=["00012345678912"], actor=small_world)
    catalog.add_product("ACME", "PEG", "Peg", barcodes=["00012345678929"], actor=small_world)
    dialog = counts_window(qtbot, make_ctx("supervisor"))
    station = dialog.station
    scan(qtbot, station.scan_field, number)
    scan(qtbot, station.scan_field, "A-01-01")
    for code in ("LAMP", "PEG"):
        qtbot.keyClicks(station.qty_field, "9")
        qtbot.keyClick(station.qty_field, Qt.Key.Key_Return)
        scan(qtbot, station.scan_field, code)
    scan(qtbot, station.scan_field, "FINISH")
    banner = station.banner
    assert banner.text() == f"{number} awaiting approval: 0 lines adjusted, 3 wait for approval"
    qtbot.wait(0)
    assert banner.height() >= banner.heightForWidth(banner.width())  # no line of it is cut
    qtbot.waitUntil(lambda: dialog.approvals.lines.rowCount() == 3)
    assert rows_in_view(dialog.approvals.lines) >= 3  # every line of this count
    assert ledger.on_hand(product_id, "A-01-01") == EXPECTED
    assert ledger.check().ok


def test_the_waiting_counts_show_their_number_and_figures_whole(qtbot, make_ctx, counted_shelf, small_world,
                                                                 styled):
    """At the stations' type sizes, in the window a 1366x768 screen gives it, the list of
    counts waiting shows each count's number, bins and lines waiting whole (the scope takes
    what is left, whole in its tip) beside the difference lines: no column off to the side."""
    product_id, bin_count = counted_shelf
    counting.cancel_task(bin_count, actor=small_world)
    family = catalog.add_product("ACME", "TENT-4P-FAMILY-GRN", "Family tent", barcodes=["00012345678936"],
                                 actor=small_world)
    put_stock(family.id, "A-01-01", 2, actor=small_world)
    task = counting.create_task(product="TENT-4P-FAMILY-GRN", actor=small_world)
    dialog = counts_window(qtbot, make_ctx("supervisor"))
    dialog.resize(1280, 720)
    station, approvals = dialog.station, dialog.approvals
    assert approvals is not None
    scan(qtbot, station.scan_field, task.number)
    scan(qtbot, station.scan_field, "A-01-01")
    scan(qtbot, station.scan_field, "EMPTY")
    scan(qtbot, station.scan_field, "FINISH")
    qtbot.waitUntil(lambda: approvals.tasks.rowCount() == 1)
    qtbot.wait(0)
    tasks = approvals.tasks
    assert [tasks.item(0, c).text() for c in range(4)] == [task.number, "product TENT-4P-FAMILY-GRN", "1", "1"]
    assert tasks.horizontalScrollBar().maximum() == 0
    header = tasks.horizontalHeader()
    right = header.sectionViewportPosition(3) + header.sectionSize(3)
    assert right <= tasks.viewport().width()
    for c in (0, 2, 3):  # each as wide as its widest text
        assert header.sectionSize(c) >= tasks.sizeHintForColumn(c), tasks.horizontalHeaderItem(c).text()
    assert tasks.item(0, 1).toolTip() == "product TENT-4P-FAMILY-GRN"
    assert ledger.on_hand(product_id, "A-01-01") == EXPECTED  # waiting: nothing adjusted yet
    assert ledger.check().ok
