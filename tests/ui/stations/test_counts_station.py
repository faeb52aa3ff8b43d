"""The counts station driven by a scanner: task, bin, units, a keyed quantity, finish; the
expected quantity never appears on the counter's screen; refused scans wait for ACK."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QTableWidget, QWidget

from app import catalog, counting, ledger
from tests.support.qt import put_stock
from ui.stations.counting.tab import CountApprovals, CountsStation
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
    assert station.banner.text() == f"{number} awaiting approval: 0 line(s) adjusted, 1 wait for approval"
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
    assert panel.message.text() == f"{number} approved: 1 line(s) adjusted"
    assert panel.tasks.rowCount() == 0
    assert ledger.on_hand(product_id, "A-01-01") == 30


def test_the_inventory_tab_opens_the_counts_station(qtbot, make_ctx, counted_shelf, message_boxes):
    tab = InventoryTab(make_ctx("supervisor"))
    qtbot.addWidget(tab)
    qtbot.mouseClick(tab.counts_button, Qt.MouseButton.LeftButton)
    assert message_boxes.dialogs == ["CountsDialog"]
    assert tab.counts_button.text() == "Cou&nts…"  # Alt+N reaches it
