"""Returns tab with a product with lots: the desk receives a scanned unit under the lot shipped
(the banner names it) and restocks it under that lot; restocking quarantined units takes the
lot chosen (the lots waiting there, with expiry and units, Alt+O), which keeps its lot."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from app import catalog, ledger, orders, packing, picking, returns, shipping
from app.orders import allocation
from app.store import db
from tests.support.qt import KeyClock
from ui.stations.returns.tab import RestockDialog, ReturnsTab, ScrapDialog

SOON, LATE = dt.date(2026, 5, 31), dt.date(2026, 9, 30)
GTIN = "00000000100014"
SHIP_TO = dict(customer_name="Jane Doe", address1="1 Elm St", city="Boston", province="MA", zip="02134",
               country="US")


def lot_rows(product_id: int) -> list[tuple[str, str, int]]:
    rows = db.execute("SELECT l.code, sl.lot, sl.on_hand FROM stock_level sl JOIN location l "
                      "ON l.id = sl.location_id WHERE sl.product_id = ? AND sl.on_hand <> 0 ORDER BY l.code, sl.lot",
                      (product_id,)).fetchall()
    return [(str(c), str(lot), int(n)) for c, lot, n in rows]


def scan(qtbot, field, code: str) -> None:
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_the_desk_receives_and_restocks_a_unit_under_its_shipped_lot(qtbot, ui_ctx, small_world, frozen_clock):
    vit = catalog.add_product("ACME", "VITAMIN-C", "Vitamin C", barcodes=[GTIN], track_lot=True,
                              track_expiry=True, actor=small_world).id
    with db.write():
        for lot, expiry, bin_code in (("SOON", SOON, "A-02-01"), ("LATE", LATE, "A-01-01")):
            ledger.register_lot(vit, lot, expiry)
            ledger.apply_move(vit, ledger.location("SUPPLIER").id, ledger.location(bin_code).id, 1,
                              kind="receive", actor=small_world, reason="test stock", lot=lot)
    ref = orders.create_order("ACME", "5001", [("VITAMIN-C", 2)], actor=small_world, **SHIP_TO)
    allocation.allocate_orders(actor=small_world, order_ids=[ref.id])
    pl = picking.create_picklist(actor=small_world)
    while (stop := picking.next_stop(pl.id)) is not None:
        picking.confirm_pick(pl.id, bin_code=stop.bin_code, scan_code=GTIN, qty=stop.remaining, tote=1,
                             actor=small_world)
    packing.pack(ref.id, scans=[GTIN] * 2, close="last", actor=small_world)
    shipping.ship_order(ref.id, tracking="1Z999AA10123456784", carrier="UPS", actor=small_world)
    rma = returns.create_rma("5001", [returns.RmaRequestLine("VITAMIN-C", 1, "unwanted")], actor=small_world)

    tab = ReturnsTab(ui_ctx)
    qtbot.addWidget(tab)
    field = tab.desk.scan_field
    scan(qtbot, field, rma.number)
    scan(qtbot, field, f"]C101{GTIN}17260930" + "10LATE")  # the unit's GS1 code: lot LATE
    assert tab.desk.banner.text() == (f"VITAMIN-C (lot LATE EXP 09-30-2026): 1 of 1 received on {rma.number}: "
                                      "scan the bin, QUARANTINE or SCRAP")
    scan(qtbot, field, "A-01-02")
    assert lot_rows(vit) == [("A-01-02", "LATE", 1)]
    assert ledger.check().ok


def test_restock_of_one_of_two_quarantined_lots(qtbot, ui_ctx, small_world, monkeypatch, message_boxes):
    vit = catalog.add_product("ACME", "VITAMIN-C", "Vitamin C", track_lot=True, track_expiry=True,
                              actor=small_world).id
    with db.write():
        for lot, expiry, qty in (("SOON", SOON, 1), ("LATE", LATE, 2)):
            ledger.register_lot(vit, lot, expiry)
            ledger.apply_move(vit, ledger.location("CUSTOMER").id, ledger.location("QUARANTINE").id, qty,
                              kind="return", actor=small_world, reason="test return", lot=lot)
    tab = ReturnsTab(ui_ctx)
    qtbot.addWidget(tab)
    assert tab.select("QUARANTINE", "VITAMIN-C")
    seen: dict[str, object] = {}

    def clerk(dialog):
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        seen["lots"] = [dialog.lot.itemText(i) for i in range(dialog.lot.count())]
        qtbot.keyClicks(dialog.target.lineEdit(), "A-01-02")
        qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClick(dialog.lot, Qt.Key.Key_Down)  # LATE
        seen["qty"] = dialog.qty.value()
        qtbot.keyClick(dialog.qty, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(RestockDialog, "exec", clerk)
    assert tab.restock_selected()
    assert seen == {"lots": ["SOON  EXP 05-31-2026  1 on hand", "LATE  EXP 09-30-2026  2 on hand"], "qty": 2}
    assert message_boxes.boxes == []
    assert tab.message.text() == "Restocked 2 × VITAMIN-C lot LATE from QUARANTINE to A-01-02."
    rows = db.execute("SELECT l.code, sl.lot, sl.on_hand FROM stock_level sl JOIN location l "
                      "ON l.id = sl.location_id WHERE sl.product_id = ? AND sl.on_hand <> 0 ORDER BY l.code",
                      (vit,)).fetchall()
    assert [tuple(r) for r in rows] == [("A-01-02", "LATE", 2), ("QUARANTINE", "SOON", 1)]
    assert ledger.check().ok


def test_the_staged_list_names_each_lot_and_scrap_takes_the_row_s_lot(qtbot, ui_ctx, small_world, monkeypatch,
                                                                       message_boxes):
    vit = catalog.add_product("ACME", "VITAMIN-C", "Vitamin C", track_lot=True, track_expiry=True,
                              actor=small_world).id
    with db.write():
        for lot, expiry, qty in (("SOON", SOON, 1), ("LATE", LATE, 2)):
            ledger.register_lot(vit, lot, expiry)
            ledger.apply_move(vit, ledger.location("CUSTOMER").id, ledger.location("QUARANTINE").id, qty,
                              kind="return", actor=small_world, reason="test return", lot=lot)
    tab = ReturnsTab(ui_ctx)
    qtbot.addWidget(tab)
    shown = [[tab.table.item(r, c).text() for c in (0, 2, 4, 5)] for r in range(tab.table.rowCount())]
    assert shown == [["QUARANTINE", "VITAMIN-C", "SOON EXP 05-31-2026", "1"],
                     ["QUARANTINE", "VITAMIN-C", "LATE EXP 09-30-2026", "2"]]
    assert tab.select("QUARANTINE", "VITAMIN-C", lot="LATE")

    def supervisor(dialog):
        dialog.show()
        dialog.guard.clock_ms = KeyClock(5)  # a unit scanned into the reason: not taken
        qtbot.keyClicks(dialog.reason, "00000000100014")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        assert dialog.isVisible() and dialog.reason.text() == ""
        assert dialog.guard.last_ignored
        dialog.guard.clock_ms = KeyClock(150)  # the supervisor types
        qtbot.keyClicks(dialog.reason, "opened")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(ScrapDialog, "exec", supervisor)
    assert tab.scrap_selected()
    assert tab.message.text() == "Scrapped 2 × VITAMIN-C lot LATE from QUARANTINE."
    assert lot_rows(vit) == [("QUARANTINE", "SOON", 1)]
    moved = db.execute("SELECT m.lot, m.qty FROM stock_move m JOIN location l ON l.id = m.to_location_id "
                       "WHERE m.product_id = ? AND l.code = 'SCRAP'", (vit,)).fetchall()
    assert [tuple(r) for r in moved] == [("LATE", 2)]
    assert ledger.check().ok
