"""One working day on the floor, through the real main window, by keyboard and scanner only.

Receiving (scans, a case pack, a damaged unit), putaway by scan, orders imported and
allocated (one back-ordered), a wave picked by scans, packing by scans (one mis-scan refused
and acknowledged), boxing, shipping by a tracking scan; then more stock arrives, the
back-order fills itself and goes the same way. At the end every balance, status, timestamp,
the timeline, the ledger check and the Reports tab agree.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QTabWidget,
    QWidget,
)

from app import catalog, ledger, orders, packing, receiving, reports
from app.kernel import clock
from app.kernel.actor import Actor
from app.orders import allocation, backorders
from app.orders.importers import import_orders
from app.store import db
from app.store.models import PackScan
from tests.support.helpers import DAY_ORDERS_CSV, add_acme_and_bins
from ui.main_window import MainWindow
from ui.stations.picking.tab import WaveRequest

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier

TENT_UPC = "012345678905"
LAMP_CODE, LAMP_CASE = "LAMP-1", "LAMP-CASE-4"
CUP_CODE = "CUP-1"


@pytest.fixture
def floor(sqlite_database, frozen_clock):
    boss = Actor(None, "setup", "supervisor", "setup")
    add_acme_and_bins()
    tent = catalog.add_product("ACME", "TENT", "Tent 2p", barcodes=[TENT_UPC], actor=boss)
    lamp = catalog.add_product("ACME", "LAMP", "Headlamp", barcodes=[LAMP_CODE], actor=boss)
    catalog.link_barcode(lamp.id, LAMP_CASE, pack_qty=4, actor=boss)
    cup = catalog.add_product("ACME", "CUP", "Camp cup", barcodes=[CUP_CODE], actor=boss)
    return {"tent": tent.id, "lamp": lamp.id, "cup": cup.id, "boss": boss}


@pytest.fixture
def window(qtbot, make_ctx, floor):
    return open_station(qtbot, make_ctx("supervisor", station="supervisor", name="Sam Supervisor"))


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed on the keyboard: it goes where the cursor is; what the window still has
    to do (e.g. a deferred focus move) happens before it and after it, as between real presses."""
    QApplication.processEvents()
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    QApplication.processEvents()


def alt(qtbot, window, key) -> None:
    """Alt+key: a tab switch (Alt+1..6) or a button's or field's mnemonic."""
    press(qtbot, key, ALT)


def type_keys(qtbot, text: str) -> None:
    """A person typing (a quantity, a weight, a search) where the cursor is."""
    QApplication.processEvents()
    qtbot.keyClicks(QApplication.focusWidget(), text)
    QApplication.processEvents()


_bursts = itertools.count(0, 60_000)


def scan(qtbot, field, code: str) -> None:
    """A wedge scanner: a burst of keys 5 ms apart after a pause (the field's key clock is
    injected: a busy test machine must not make the burst look typed by hand), then Enter."""
    QApplication.processEvents()
    assert field.hasFocus(), f"the scan of {code} would not land in {field.objectName()}"
    keys = itertools.count(next(_bursts), 5)
    field.clock_ms = lambda: next(keys)
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    QApplication.processEvents()


def pick(qtbot, panel, number: str, stops) -> None:
    """Walk a pick list by scans: the list, then per stop the bin, the item (once per unit,
    or once and the quantity keyed) and the tote."""
    scan(qtbot, panel.scan_field, number)
    assert panel.step == "bin", panel.banner.text()
    for bin_code, item, totes in stops:
        assert panel.stop_bin.text() == bin_code
        scan(qtbot, panel.scan_field, bin_code)
        assert panel.step == "item", panel.banner.text()
        for tote, qty in totes:
            scan(qtbot, panel.scan_field, item)
            if qty > 2:  # many of them: key the quantity (Alt+Q, the number, Enter)
                press(qtbot, Qt.Key.Key_Q, ALT)
                assert panel.qty.hasFocus()
                type_keys(qtbot, str(qty))
                press(qtbot, Qt.Key.Key_Return)
            else:
                for _ in range(qty - 1):
                    scan(qtbot, panel.scan_field, item)
            assert panel.qty.value() == qty
            scan(qtbot, panel.scan_field, f"T{tote}")
            assert panel.banner.state == "ok", panel.banner.text()
    assert panel.stop_bin.text() == "DONE"


def all_balances() -> dict[tuple[str, str], tuple[int, int]]:
    """(sku, location) -> (on hand, reserved) for every balance row that is not zero."""
    return {(sku, code): (int(oh), int(rs)) for sku, code, oh, rs in db.execute(
        "SELECT p.sku, l.code, sl.on_hand, sl.reserved FROM stock_level sl "
        "JOIN product p ON p.id = sl.product_id JOIN location l ON l.id = sl.location_id "
        "WHERE sl.on_hand <> 0 OR sl.reserved <> 0 ORDER BY p.sku, l.code").fetchall()}


def close_box(qtbot, window, ptab, weight: str) -> None:
    """Alt+W, the weight, Alt+C: the last box of the order closes."""
    alt(qtbot, window, Qt.Key.Key_W)
    assert ptab.weight.hasFocus()
    type_keys(qtbot, weight)
    assert ptab.weight.value() == float(weight)
    alt(qtbot, window, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: "Packing complete" in ptab.status.text())
    qtbot.waitUntil(ptab.scan_field.hasFocus)


def ship(qtbot, window, ptab, tracking: str) -> None:
    """Alt+T, scan the carrier's tracking label: the order ships."""
    number = ptab.view.number
    alt(qtbot, window, Qt.Key.Key_T)
    assert ptab.tracking.hasFocus()
    scan(qtbot, ptab.tracking, tracking)
    assert f"Order {number} shipped" in ptab.banner.text(), ptab.banner.text()
    qtbot.waitUntil(ptab.scan_field.hasFocus)


def test_one_working_day_through_the_main_window(qtbot, window, floor, frozen_clock, tmp_path,
                                                  monkeypatch, message_boxes):
    w = window
    ctx = w.ctx
    # --- 09:00 the inbound shipment is announced (ASN import) --------------------------
    asn = tmp_path / "asn1.csv"
    asn.write_text("sku,qty\nTENT,4\nLAMP,8\nCUP,5\n")
    receiving.import_asn(asn, client_code="ACME", ref="ASN-1", actor=floor["boss"])
    ctx.events.shipments_changed.emit()

    # --- 09:10 receiving by scans ------------------------------------------------------
    frozen_clock.advance(minutes=10)
    alt(qtbot, w, Qt.Key.Key_4)
    assert w.current_key() == "receiving"
    rtab = w.pages["receiving"]
    qtbot.waitUntil(lambda: rtab.scan_field.hasFocus())
    scan(qtbot, rtab.scan_field, "ASN-1")
    assert rtab.shipment is not None and rtab.shipment.ref == "ASN-1"
    for _ in range(3):
        scan(qtbot, rtab.scan_field, TENT_UPC)
    press(qtbot, Qt.Key.Key_F8)  # the next unit is damaged
    assert rtab.damaged.isChecked()
    scan(qtbot, rtab.scan_field, TENT_UPC)
    assert not rtab.damaged.isChecked()
    scan(qtbot, rtab.scan_field, LAMP_CASE)
    scan(qtbot, rtab.scan_field, LAMP_CASE)
    assert rtab.banner.text().startswith("+4 LAMP")  # one case scan, four units
    assert rtab.line_values("TENT") == (4, 3, 1, 0)
    assert rtab.line_values("LAMP") == (8, 8, 0, 0)
    # a keyed quantity: Alt+Q, 5, Enter (back to the scan field), one scan of the cup
    alt(qtbot, w, Qt.Key.Key_Q)
    assert rtab.qty.hasFocus()
    type_keys(qtbot, "5")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(rtab.scan_field.hasFocus)
    scan(qtbot, rtab.scan_field, CUP_CODE)
    assert rtab.line_values("CUP") == (5, 5, 0, 0)
    assert rtab.qty.value() == 1
    # one cup scanned twice by mistake: flagged as over-receipt, Ctrl+Z takes it back
    scan(qtbot, rtab.scan_field, CUP_CODE)
    assert rtab.banner.state == "warning" and rtab.line_values("CUP") == (5, 6, 0, 0)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert rtab.line_values("CUP") == (5, 5, 0, 0)
    assert ledger.on_hand(floor["cup"], "RECEIVING") == 5
    assert ledger.on_hand(floor["tent"], "RECEIVING") == 3
    assert ledger.on_hand(floor["tent"], "QUARANTINE") == 1

    # --- 09:30 putaway by scans: product, then bin --------------------------------------
    frozen_clock.advance(minutes=20)
    press(qtbot, Qt.Key.Key_F9)
    assert rtab.putaway_mode.isChecked()
    for code, bin_code in ((TENT_UPC, "A-01-01"), (LAMP_CODE, "A-01-02"), (CUP_CODE, "A-02-01")):
        scan(qtbot, rtab.scan_field, code)
        assert rtab.banner.state == "ok", rtab.banner.text()
        scan(qtbot, rtab.scan_field, bin_code)
        assert rtab.banner.text().startswith(f"{ {TENT_UPC: 3, LAMP_CODE: 8, CUP_CODE: 5}[code]} ")
    press(qtbot, Qt.Key.Key_F9)
    assert not rtab.putaway_mode.isChecked()
    assert ledger.on_hand(floor["tent"], "A-01-01") == 3
    assert ledger.on_hand(floor["lamp"], "A-01-02") == 8
    assert ledger.on_hand(floor["cup"], "A-02-01") == 5

    # --- 09:40 the shipment is closed (Alt+L, answered Yes) ----------------------------
    frozen_clock.advance(minutes=10)
    asked = []
    monkeypatch.setattr(rtab, "confirm_close", lambda detail: asked.append(detail.ref) or True)
    alt(qtbot, w, Qt.Key.Key_L)  # a mnemonic "animates" the click: it lands ~100 ms later
    qtbot.waitUntil(lambda: rtab.shipment.status == "closed")
    assert asked == ["ASN-1"]
    assert rtab.banner.text() == "Shipment ASN-1 closed: 16 received, 1 damaged, 0 short of 17 expected"
    assert ledger.on_hand(floor["tent"], "RECEIVING") == 0

    # --- 10:00 the shops' orders come in (generic CSV) and are allocated ---------------
    frozen_clock.advance(minutes=20)
    t_import = frozen_clock.current
    csv = tmp_path / "orders.csv"
    csv.write_text(DAY_ORDERS_CSV)
    res = import_orders(csv, client_code="ACME", fmt="generic", actor=floor["boss"])
    assert (res.orders, res.lines) == (3, 6)
    ctx.events.orders_changed.emit()
    frozen_clock.advance(minutes=5)
    t_alloc = frozen_clock.current
    alt(qtbot, w, Qt.Key.Key_3)
    assert w.current_key() == "orders"
    otab = w.pages["orders"]
    alt(qtbot, w, Qt.Key.Key_A)
    page = otab.orders_page
    qtbot.waitUntil(lambda: page.message.text() != "" and not page.message.text().startswith("Allocating"))
    assert page.message.text() == ("9 units reserved for 5 lines of 2 orders; of 3 orders waiting for stock, "
                                   "2 allocated, 0 partially allocated, 1 back-ordered.")
    o1001, o1002, o1003 = (orders.find_order(n, client="ACME").id for n in ("1001", "1002", "1003"))
    assert [orders.order_detail(o).status for o in (o1001, o1002, o1003)] == [
        "allocated", "allocated", "backordered"]
    assert [b.qty_short for b in backorders.backorder_list()] == [2]
    assert otab.backorders_page.summary.text() == "1 product short by 2 units; 1 order waits"
    # to the Pick lists sub-tab by keyboard
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Tab, CTRL)
    assert otab.currentWidget() is otab.picking
    panel = otab.picking
    qtbot.waitUntil(lambda: panel.scan_field.hasFocus())
    frozen_clock.advance(minutes=15)
    t_wave = frozen_clock.current
    monkeypatch.setattr(panel, "ask_wave", lambda: WaveRequest(None, None, None, None, 10, "Pia", False))
    alt(qtbot, w, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: panel.picklist_id is not None)
    number = panel.number
    frozen_clock.advance(minutes=10)
    t_picked = frozen_clock.current
    pick(qtbot, panel, number, [("A-01-01", TENT_UPC, [(1, 2), (2, 1)]),
                                ("A-01-02", LAMP_CODE, [(1, 1), (2, 3)]),
                                ("A-02-01", CUP_CODE, [(2, 2)])])
    assert panel.title.text().startswith(f"{number} — Done, 0 of 3 stops open")
    assert [orders.order_detail(o).status for o in (o1001, o1002, o1003)] == [
        "picking", "picking", "backordered"]
    assert ledger.on_hand(floor["tent"], "PACKING") == 3

    # --- 11:00 packing -----------------------------------------------------------------
    frozen_clock.advance(minutes=30)
    alt(qtbot, w, Qt.Key.Key_5)
    assert w.current_key() == "packing"
    ptab = w.pages["packing"]
    qtbot.waitUntil(lambda: ptab.scan_field.hasFocus())
    scan(qtbot, ptab.scan_field, number)  # the printed pick list: its orders one after another
    t_opened_1001 = frozen_clock.current
    assert ptab.queue == [o1002]
    assert ptab.order_title.text().startswith("Order 1001 — Acme Outdoor Co. — Ann Archer")
    for code in (TENT_UPC, TENT_UPC, LAMP_CODE):
        scan(qtbot, ptab.scan_field, code)
        assert ptab.banner.state == "ok", ptab.banner.text()
    scan(qtbot, ptab.scan_field, CUP_CODE)  # not on the order
    assert ptab.pending_error.startswith("WRONG ITEM") and ptab.banner.sticky
    scan(qtbot, ptab.scan_field, LAMP_CODE)  # nothing is taken until the packer acknowledges
    assert "Acknowledge the error first" in ptab.status.text() and ptab.view.verified == 3
    press(qtbot, Qt.Key.Key_Escape)
    assert not ptab.pending_error and ptab.banner.state == "idle"
    frozen_clock.advance(minutes=5)
    t_packed_1001 = frozen_clock.current
    close_box(qtbot, w, ptab, "1.6")
    frozen_clock.advance(minutes=5)
    t_shipped_1001 = frozen_clock.current
    ship(qtbot, w, ptab, "1Z0000000000001001")

    # the pick list's next order, 1002, is open by itself; two boxes: Alt+X closes the first
    # and goes on in a second
    assert ptab.order_id == o1002 and ptab.view.number == "1002"
    assert ptab.status.text() == f"Next order of pick list {number} (2 orders): 1002"
    frozen_clock.advance(minutes=5)
    for code in (TENT_UPC, LAMP_CODE, LAMP_CODE, LAMP_CODE):
        scan(qtbot, ptab.scan_field, code)
        assert ptab.banner.state == "ok", ptab.banner.text()
    alt(qtbot, w, Qt.Key.Key_E)  # no scale at hand for this box: the estimate, said so
    qtbot.waitUntil(ptab.box_panel.use_estimate.isChecked)  # a mnemonic clicks after a moment
    alt(qtbot, w, Qt.Key.Key_X)
    qtbot.waitUntil(lambda: "still to verify" in ptab.status.text())
    assert ptab.banner.text().endswith(" kg est.") and not ptab.box_panel.use_estimate.isChecked()
    qtbot.waitUntil(ptab.scan_field.hasFocus)
    scan(qtbot, ptab.scan_field, CUP_CODE)
    scan(qtbot, ptab.scan_field, CUP_CODE)
    frozen_clock.advance(minutes=5)
    t_packed_1002 = frozen_clock.current
    close_box(qtbot, w, ptab, "0.8")
    assert [ptab.packages.item(r, 1).text() for r in range(2)] == ["Closed", "Closed"]
    frozen_clock.advance(minutes=5)
    t_shipped_1002 = frozen_clock.current
    # the carrier label scanned where the cursor already is: the scan field ships a packed order
    assert ptab.scan_field.hasFocus() and "tracking" in ptab.status.text()
    scan(qtbot, ptab.scan_field, "1Z0000000000001002")
    assert ptab.banner.text().startswith("Order 1002 shipped"), ptab.banner.text()

    # --- 13:00 more tents arrive: the back-order fills itself at putaway ---------------
    frozen_clock.advance(hours=1)
    asn2 = tmp_path / "asn2.csv"
    asn2.write_text("sku,qty\nTENT,2\n")
    receiving.import_asn(asn2, client_code="ACME", ref="ASN-2", actor=floor["boss"],
                         expected_date=dt.date(2026, 3, 2))
    ctx.events.shipments_changed.emit()
    # the Back-orders page already promises the tents for today
    bo = otab.backorders_page
    columns = [bo.model.headerData(c, Qt.Orientation.Horizontal) for c in range(bo.model.columnCount())]
    row = {h: bo.model.index(0, c).data() for c, h in enumerate(columns)}
    assert bo.model.rowCount() == 1 and (row["SKU"], row["Short"], row["ETA"]) == ("TENT", "2", "2026-03-02 (ASN-2)")
    frozen_clock.advance(minutes=10)
    alt(qtbot, w, Qt.Key.Key_4)
    assert w.current_key() == "receiving"
    qtbot.waitUntil(rtab.scan_field.hasFocus)
    scan(qtbot, rtab.scan_field, "ASN-2")
    assert rtab.shipment.ref == "ASN-2"
    scan(qtbot, rtab.scan_field, TENT_UPC)
    scan(qtbot, rtab.scan_field, TENT_UPC)
    assert rtab.line_values("TENT") == (2, 2, 0, 0)
    frozen_clock.advance(minutes=10)
    t_alloc_1003 = frozen_clock.current
    press(qtbot, Qt.Key.Key_F9)
    scan(qtbot, rtab.scan_field, TENT_UPC)
    scan(qtbot, rtab.scan_field, "A-01-01")
    press(qtbot, Qt.Key.Key_F9)
    assert orders.order_detail(o1003).status == "allocated"

    # the second wave: Alt+3 is still on Pick lists
    frozen_clock.advance(minutes=10)
    alt(qtbot, w, Qt.Key.Key_3)
    assert otab.currentWidget() is panel
    qtbot.waitUntil(panel.scan_field.hasFocus)
    t_wave_1003 = frozen_clock.current
    alt(qtbot, w, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: panel.number not in ("", number))
    number2 = panel.number
    frozen_clock.advance(minutes=10)
    t_picked_1003 = frozen_clock.current
    pick(qtbot, panel, number2, [("A-01-01", TENT_UPC, [(1, 2)])])

    frozen_clock.advance(minutes=10)
    alt(qtbot, w, Qt.Key.Key_5)
    qtbot.waitUntil(ptab.scan_field.hasFocus)
    scan(qtbot, ptab.scan_field, "T1")  # the tote off the cart (tote 1 of wave 1 left long ago)
    assert ptab.order_id == o1003
    t_opened_1003 = frozen_clock.current
    scan(qtbot, ptab.scan_field, TENT_UPC)
    scan(qtbot, ptab.scan_field, TENT_UPC)
    frozen_clock.advance(minutes=5)
    t_packed_1003 = frozen_clock.current
    close_box(qtbot, w, ptab, "3.2")
    printed = []
    monkeypatch.setattr("ui.stations.packing.tab.print_pdf", lambda parent, pdf, title: printed.append((title, pdf)))
    alt(qtbot, w, Qt.Key.Key_P)  # the packing slip
    qtbot.waitUntil(lambda: len(printed) == 1)
    title, pdf = printed[0]
    slip = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert title == "Packing slip 1003" and "Cy Cooper" in slip and "3 Pine Rd" in slip and "TENT" in slip
    assert ptab.scan_field.hasFocus()
    frozen_clock.advance(minutes=5)
    t_shipped_1003 = frozen_clock.current
    ship(qtbot, w, ptab, "1Z0000000000001003")

    # --- the end of the day --------------------------------------------------------------
    # every balance, exactly: what is left in the bins, the damaged tent in quarantine
    assert all_balances() == {("CUP", "A-02-01"): (3, 0), ("LAMP", "A-01-02"): (4, 0),
                              ("TENT", "QUARANTINE"): (1, 0)}
    for product, out in (("tent", 5), ("lamp", 4), ("cup", 2)):
        shipped = db.execute(
            "SELECT COALESCE(SUM(qty), 0) FROM stock_move m JOIN location l ON l.id = m.to_location_id "
            "WHERE l.code = 'CUSTOMER' AND m.product_id = ?", (floor[product],)).fetchone()[0]
        assert shipped == out, product

    # statuses and the milestone times, each the clock's time at that step
    expected = {
        o1001: (t_alloc, t_picked, t_packed_1001, t_shipped_1001),
        o1002: (t_alloc, t_picked, t_packed_1002, t_shipped_1002),
        o1003: (t_alloc_1003, t_picked_1003, t_packed_1003, t_shipped_1003),
    }
    for oid, stamps in expected.items():
        d = orders.order_detail(oid)
        assert d.status == "shipped"
        assert (d.received_at, d.allocated_at, d.picked_at, d.packed_at, d.shipped_at) == (t_import, *stamps)
        assert all(ln.qty_shipped == ln.qty_ordered for ln in d.lines)

    # the back-order's timeline tells its whole day
    t = [(e.at, e.text) for e in orders.timeline(o1003)]
    assert t == [
        (t_import, "created (New): import orders.csv"),
        (t_alloc, "New -> Back-ordered"),
        (t_alloc_1003, "Back-ordered -> Allocated"),
        (t_wave_1003, "Allocated -> Picking"),
        (t_picked_1003, "pick 2 x TENT A-01-01 -> PACKING (tote 1)"),
        (t_opened_1003, "package 1: created -> open"),
        (t_packed_1003, "Picking -> Packed"),
        (t_packed_1003, "package 1: open -> closed"),
        (t_shipped_1003, "Packed -> Shipped"),
        (t_shipped_1003, "package 1: closed -> shipped: UPS 1Z0000000000001003"),
        (t_shipped_1003, "ship 2 x TENT PACKING -> CUSTOMER (tracking 1Z0000000000001003)"),
    ]
    t = [(e.at, e.text) for e in orders.timeline(o1001) if e.kind == "status"]
    assert t == [
        (t_import, "created (New): import orders.csv"),
        (t_alloc, "New -> Allocated"),
        (t_wave, "Allocated -> Picking"),
        (t_opened_1001, "package 1: created -> open"),
        (t_packed_1001, "Picking -> Packed"),
        (t_packed_1001, "package 1: open -> closed"),
        (t_shipped_1001, "Packed -> Shipped"),
        (t_shipped_1001, "package 1: closed -> shipped: UPS 1Z0000000000001001"),
    ]
    moves = [e.text for e in orders.timeline(o1002) if e.kind == "move"]
    assert moves == [
        "pick 1 x TENT A-01-01 -> PACKING (tote 2)", "pick 3 x LAMP A-01-02 -> PACKING (tote 2)",
        "pick 2 x CUP A-02-01 -> PACKING (tote 2)",
        "ship 1 x TENT PACKING -> CUSTOMER (tracking 1Z0000000000001002)",
        "ship 3 x LAMP PACKING -> CUSTOMER (tracking 1Z0000000000001002)",
        "ship 2 x CUP PACKING -> CUSTOMER (tracking 1Z0000000000001002)",
    ]

    # nothing went wrong on the way: the only box was "print or save the receiving report?"
    assert [(kind, title) for kind, title, _text in message_boxes.boxes] == [("exec", "Receiving report")]

    # the ledger, the one refused packing scan
    assert ledger.check().ok
    assert PackScan.select().where(PackScan.result != "ok").count() == 1
    assert [(r.key, r.ok, r.wrong_item, r.over_scan) for r in packing.mis_scan_counts()] == [("ACME", 11, 1, 0)]

    # --- customer service: the Lookup page finds 1003 by its tracking number -------------
    alt(qtbot, w, Qt.Key.Key_3)
    assert otab.currentWidget() is panel
    assert panel.scan_field.hasFocus()
    press(qtbot, Qt.Key.Key_Tab, CTRL)  # the scan field lets Ctrl+Tab through: on to Orders
    assert otab.currentWidget() is otab.orders_page
    back = CTRL | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, Qt.Key.Key_Backtab, back)  # Ctrl+Shift+Tab: Pick lists, then Lookup
    press(qtbot, Qt.Key.Key_Backtab, back)
    lookup = otab.lookup_page
    assert otab.currentWidget() is lookup
    assert lookup.search.hasFocus()  # the page puts the cursor in its search box
    type_keys(qtbot, "1Z0000000000001003")
    press(qtbot, Qt.Key.Key_Return)
    assert lookup.message.text() == "1 order matches '1Z0000000000001003'"
    assert lookup.detail.title.text() == "1003  ·  Shipped"
    hm = lambda t: t.strftime("%Y-%m-%d %H:%M")  # noqa: E731
    assert (f"Received {hm(t_import)} · allocated {hm(t_alloc_1003)} · picked {hm(t_picked_1003)} · "
            f"packed {hm(t_packed_1003)} · shipped {hm(t_shipped_1003)}") in lookup.detail.info.text()
    shown = [lookup.detail.timeline_table.item(r, 1).text() for r in range(lookup.detail.timeline_table.rowCount())]
    assert shown == [e.text for e in orders.timeline(o1003)]

    # --- the Inventory tab (Alt+2) shows the same balances --------------------------------
    alt(qtbot, w, Qt.Key.Key_2)
    assert w.current_key() == "inventory"
    model = w.pages["inventory"].model
    shown = {model.index(r, 1).data(): tuple(int(model.index(r, c).data()) for c in range(3, 9))
             for r in range(model.rowCount())}
    # on hand, reserved, available, receiving, quarantine, staging
    assert shown == {"CUP": (3, 0, 3, 0, 0, 0), "LAMP": (4, 0, 4, 0, 0, 0), "TENT": (0, 0, 0, 0, 1, 0)}

    # --- the supervisor looks at the Reports tab (Alt+1) ---------------------------------
    alt(qtbot, w, Qt.Key.Key_1)
    assert w.current_key() == "reports"
    rep = w.pages["reports"]
    # the check ran when the window opened on this tab; coming back after the day's work
    # checks the ledger as it is now
    qtbot.waitUntil(lambda: not rep.check_running and rep.last_check is not None)
    assert rep.last_check.ok and rep.last_check.moves == 27  # 10 receipts, 1 undo, 4 putaways, 6 picks, 6 shipments
    assert rep.check_result.text() == f"OK — 27 moves and {rep.last_check.balances} balances agree."
    tiles = {k: label.text() for k, label in rep.tiles.items()}
    assert tiles == {"in_bins": "7", "available": "7", "reserved": "0", "receiving": "0", "packing": "0",
                     "returns": "1", "products_out": "1"}
    moves = [tuple(rep.moves_table.item(r, c).text() for c in range(3))
             for r in range(rep.moves_table.rowCount())]
    assert sorted(moves) == [("pick", "6", "11"), ("putaway", "4", "18"), ("receive", "10", "20"),
                             ("ship", "6", "11"), ("undo", "1", "1")]
    assert moves == [(k.kind, str(k.moves), str(k.units)) for k in reports.moves_by_kind(clock.local_today())]
    statuses = [tuple(rep.orders_table.item(r, c).text() for c in range(2))
                for r in range(rep.orders_table.rowCount())]
    assert statuses == [("Shipped", "3")]
    # Ctrl+K runs the check again: the same answer
    first = rep.last_check
    assert rep.isAncestorOf(QApplication.focusWidget())  # the tab's keys work at once
    press(qtbot, Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: rep.last_check is not first)
    assert rep.last_check.ok and rep.last_check.moves == first.moves


def _mnemonic(text: str) -> str | None:
    text = text.replace("&&", "")
    i = text.find("&")
    return text[i + 1].upper() if 0 <= i < len(text) - 1 else None


def test_every_alt_key_on_a_page_does_one_thing(qtbot, window):
    """A button's or field's Alt+letter must not clash with the menus (Alt+F, V, H), the tab
    switches (Alt+1..6) or another Alt+letter on the same page: Qt then only moves the focus
    between them, and the key the floor was taught does nothing."""
    menus = {_mnemonic(a.text()) for a in window.menuBar().actions()}
    assert menus == {"F", "V", "H"}
    reserved = menus | {str(i) for i in range(1, 7)}
    clashes = []
    for key, page in window.pages.items():
        groups = ([(f"{key}/{page.tabText(i)}", page.widget(i)) for i in range(page.count())]
                  if isinstance(page, QTabWidget) else [(key, page)])
        for name, group in groups:
            seen: dict[str, list[str]] = {}
            for widget in group.findChildren(QWidget):
                if isinstance(widget, QAbstractButton):
                    text = widget.text()
                elif isinstance(widget, QLabel) and widget.buddy() is not None:
                    text = widget.text()
                else:
                    continue
                letter = _mnemonic(text)
                if letter:
                    seen.setdefault(letter, []).append(text)
            for letter, texts in seen.items():
                if letter in reserved or len(texts) > 1:
                    clashes.append(f"{name}: Alt+{letter} {texts}")
    assert clashes == []


def open_station(qtbot, ctx) -> MainWindow:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def tab_key(window, key: str):
    """Alt+N of a tab in this station's order."""
    return getattr(Qt.Key, f"Key_{window.tab_keys.index(key) + 1}")


def test_a_receiver_and_a_packer_station_share_the_floor(qtbot, make_ctx, floor, frozen_clock, tmp_path,
                                                         monkeypatch, message_boxes):
    """The same work split by role: a receiver's station receives and puts away, the
    supervisor imports and allocates the orders, a packer's station picks, packs and ships;
    nobody is refused anything their job needs."""
    asn = tmp_path / "asn1.csv"
    asn.write_text("sku,qty\nTENT,3\nLAMP,8\n")
    receiving.import_asn(asn, client_code="ACME", ref="ASN-1", actor=floor["boss"])
    rw = open_station(qtbot, make_ctx("receiver", station="receiving", name="Rita Receiver"))
    assert rw.current_key() == "receiving"
    rtab = rw.pages["receiving"]
    qtbot.waitUntil(rtab.scan_field.hasFocus)
    for code in ("ASN-1", TENT_UPC, TENT_UPC, TENT_UPC, LAMP_CASE, LAMP_CASE):
        scan(qtbot, rtab.scan_field, code)
    press(qtbot, Qt.Key.Key_F9)
    for code, bin_code in ((TENT_UPC, "A-01-01"), (LAMP_CODE, "A-01-02")):
        scan(qtbot, rtab.scan_field, code)
        scan(qtbot, rtab.scan_field, bin_code)
        assert rtab.banner.state == "ok", rtab.banner.text()
    rw.close()

    csv = tmp_path / "orders.csv"
    csv.write_text(DAY_ORDERS_CSV.replace("1002,CUP,2,,,,,,\n", ""))
    import_orders(csv, client_code="ACME", fmt="generic", actor=floor["boss"])
    frozen_clock.advance(minutes=30)
    result = allocation.allocate_orders(actor=floor["boss"])
    assert (result.allocated, result.partial, result.backordered) == (2, 0, 1)
    pw = open_station(qtbot, make_ctx("packer", station="packer", name="Pat Packer"))
    assert pw.current_key() == "packing"
    alt(qtbot, pw, tab_key(pw, "orders"))
    otab = pw.pages["orders"]
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Tab, CTRL)
    panel = otab.picking
    assert otab.currentWidget() is panel and not panel.exceptions.isVisible()  # supervisor's list
    monkeypatch.setattr(panel, "ask_wave", lambda: WaveRequest(None, None, None, None, 10, "Pat", False))
    alt(qtbot, pw, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: panel.picklist_id is not None)
    pick(qtbot, panel, panel.number, [("A-01-01", TENT_UPC, [(1, 2), (2, 1)]),
                                      ("A-01-02", LAMP_CODE, [(1, 1), (2, 3)])])
    alt(qtbot, pw, tab_key(pw, "packing"))
    ptab = pw.pages["packing"]
    qtbot.waitUntil(ptab.scan_field.hasFocus)
    for tote, codes, tracking in (("T1", (TENT_UPC, TENT_UPC, LAMP_CODE), "1Z-PAT-1"),
                                  ("T2", (TENT_UPC, LAMP_CODE, LAMP_CODE, LAMP_CODE), "1Z-PAT-2")):
        scan(qtbot, ptab.scan_field, tote)
        for code in codes:
            scan(qtbot, ptab.scan_field, code)
            assert ptab.banner.state == "ok", ptab.banner.text()
        close_box(qtbot, pw, ptab, "1.5")
        ship(qtbot, pw, ptab, tracking)
    assert [orders.order_detail(orders.find_order(n, client="ACME").id).status for n in ("1001", "1002", "1003")] == [
        "shipped", "shipped", "backordered"]
    assert all_balances() == {("LAMP", "A-01-02"): (4, 0)}
    assert message_boxes.boxes == []
    assert {who for who, in db.execute("SELECT DISTINCT user_name FROM stock_move").fetchall()} == {
        "Rita Receiver", "Pat Packer"}
