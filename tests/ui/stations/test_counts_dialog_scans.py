"""The counts window scanned into away from its scan field: a code scanned in QTY is a scan at
the station (of the QTY typed there), never a quantity; no Enter presses a button."""

from __future__ import annotations

from app import counting
from tests.support.qt import keys
from tests.ui.stations import test_counts_station as counts_tests
from ui.stations.counting.tab import CountsDialog

counted_shelf, scan = counts_tests.counted_shelf, counts_tests.scan  # (fixture, helper)
TENT = "00012345678905"


def counted(number: str) -> list[tuple[str, str, int]]:
    return [(b.code, b.status, b.counted) for b in counting.counter_view(number).bins]


def test_a_scan_in_qty_counts_the_units_and_enter_presses_no_button(qtbot, make_ctx, counted_shelf):
    _product_id, number = counted_shelf
    dialog = CountsDialog(make_ctx("supervisor"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    station = dialog.station
    scan(qtbot, station.scan_field, number)
    scan(qtbot, station.scan_field, "A-01-01")
    start = counted(number)
    # The counter keys a QTY with Enter: nothing is pressed (no "bin empty", no "finish").
    keys(qtbot, station.qty_guard, station.qty_field, "5", 150)
    assert station.qty_field.text() == "5" and counted(number) == start
    assert dialog.isVisible() and dialog.result() == 0
    # ...then scans the unit with the cursor still in QTY: five are counted, QTY is back to empty.
    keys(qtbot, station.qty_guard, station.qty_field, TENT, 5)
    assert station.banner.text() == "A-01-01: TENT +5 (counted 5)"
    assert station.qty_field.text() == "" and counted(number) == [("A-01-01", start[0][1], 5)]
    # A scan with the cursor on a button or a list: a scan at the station, the button not pressed.
    for widget in (station.finish_button, station.empty_button, dialog.approvals.approve_button, station.bins):
        keys(qtbot, dialog.guard, widget, TENT, 5)
    assert station.banner.text() == "A-01-01: TENT +1 (counted 9)"
    assert counted(number) == [("A-01-01", start[0][1], 9)]
    assert counting.counter_view(number).status == "counting" and dialog.isVisible() and dialog.result() == 0
