"""First expired, first out: two lots of one product, allocation, the pick list, a wrong-lot
scan refused, a supervisor's swap, packing and shipping per lot, and shortages of a reserved
lot (adjustment and count) re-back-ordering the order that held it (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from app import counting, inventory, ledger, orders, packing, picking, shipping
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, PermissionDenied, ValidationError
from app.orders import allocation
from app.store import db
from app.store.models import AuditEvent, PickLine, Product, StatusChange, StockMove

GTIN = "00000000100014"
GS = "\x1d"
PACKER = Actor(None, "pat-packer", "packer", "pick-1")
COUNTER = Actor(None, "cy-counter", "packer", "count-1")
SOON, LATE = dt.date(2026, 5, 31), dt.date(2026, 9, 30)


def gs1(lot: str, expiry: dt.date) -> str:
    """What a scanner sends for a unit of a lot: AIM ]C1, GTIN, lot, GS, expiry."""
    return f"]C101{GTIN}10{lot}{GS}17{expiry:%y%m%d}"


def put(world, product_id: int, bin_code: str, qty: int, lot: str, expiry: dt.date) -> None:
    with db.write():
        ledger.register_lot(product_id, lot, expiry)
        ledger.apply_move(product_id, ledger.location("SUPPLIER").id, ledger.location(bin_code).id, qty,
                          kind="receive", actor=world.actor, reason="test stock", lot=lot)


def balances(product_id: int) -> dict[tuple[str, str], tuple[int, int]]:
    """{(location, lot): (on hand, reserved)} of every real balance of the product."""
    rows = db.execute("SELECT l.code, sl.lot, sl.on_hand, sl.reserved FROM stock_level sl "
                      "JOIN location l ON l.id = sl.location_id WHERE sl.product_id = ? AND "
                      "(sl.on_hand <> 0 OR sl.reserved <> 0)", (product_id,)).fetchall()
    return {(code, lot): (int(oh), int(rs)) for code, lot, oh, rs in rows}


def held(order_id: int) -> list[tuple[str, str, int]]:
    return [(a.bin_code, a.lot, a.qty) for a in orders.allocations_for(order_id=order_id)]


def status(order_id: int) -> str:
    return str(db.execute('SELECT status FROM "order" WHERE id = ?', (order_id,)).fetchone()[0])


@pytest.fixture
def fefo(world, frozen_clock):
    """Today is 2026-03-02. VITAMIN-C (GTIN, lots with expiry): lot LATE (received first,
    expires 2026-09-30) 5 in A-01-01 and 4 in A-02-01; lot SOON (expires 2026-05-31) 3 in
    A-02-01. A-01-01 comes first on the walk, LATE is the older lot: FEFO still takes SOON."""
    vit = world.product("VITAMIN-C", barcode=GTIN, track_lot=True, track_expiry=True)
    put(world, vit.id, "A-01-01", 5, "LATE", LATE)
    put(world, vit.id, "A-02-01", 4, "LATE", LATE)
    put(world, vit.id, "A-02-01", 3, "SOON", SOON)
    spoon = world.product("SPOON-1", barcode="SPOON-1-BC")
    world.stock(spoon.id, "A-01-02", 5)
    return world, vit.id, spoon.id


def order(world, number: str, lines, **fields) -> int:
    ref = orders.create_order("ACME", number, lines, actor=world.actor, **fields)
    allocation.allocate_orders(actor=world.actor, order_ids=[ref.id])
    return ref.id


def test_allocation_takes_the_earliest_expiring_lot_then_the_next(fefo):
    world, vit, _ = fefo
    first = order(world, "5001", [("VITAMIN-C", 2)])
    assert held(first) == [("A-02-01", "SOON", 2)]
    second = order(world, "5002", [("VITAMIN-C", 3)])
    # one SOON left, then LATE: the same lot's bins in walk order
    assert held(second) == [("A-01-01", "LATE", 2), ("A-02-01", "SOON", 1)]
    assert balances(vit) == {("A-01-01", "LATE"): (5, 2), ("A-02-01", "LATE"): (4, 0),
                             ("A-02-01", "SOON"): (3, 3)}
    assert ledger.check().ok


def test_back_orders_fill_themselves_first_expired_first(fefo):
    world, vit, _ = fefo
    big = order(world, "5001", [("VITAMIN-C", 15)])
    assert status(big) == "partially_allocated"
    assert sum(q for _, _, q in held(big)) == 12
    waiting = order(world, "5002", [("VITAMIN-C", 1)])
    assert status(waiting) == "backordered"
    inventory.adjust(vit, "A-01-02", 4, reason="found", lot="EARLY", expiry=dt.date(2026, 4, 30),
                     actor=world.actor)
    # found stock of a new lot (its expiry given, as a new lot's must be) fills the oldest waiting order first
    assert ("A-01-02", "EARLY", 3) in held(big)
    assert held(waiting) == [("A-01-02", "EARLY", 1)]
    assert ledger.check().ok


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_wrong_lot_scan_is_refused_the_supervisor_swaps_and_the_lot_is_shipped(fefo, supervisor):
    world, vit, _ = fefo
    oid = order(world, "5001", [("VITAMIN-C", 2)], customer_name="Jane Doe", address1="1 Elm St",
                city="Boston", province="MA", zip="02134", country="US")
    pl = picking.create_picklist(actor=world.actor)
    stop = picking.next_stop(pl.id)
    assert (stop.bin_code, stop.sku, stop.remaining, stop.lot_text()) == (
        "A-02-01", "VITAMIN-C", 2, "lot SOON EXP 05-31-2026")
    assert [(x.lot, x.expiry, x.remaining) for x in stop.lots] == [("SOON", SOON, 2)]
    assert "lot SOON EXP 05-31-2026" in _pdf_text(picking.render_pdf(pl.id))
    moves_before = StockMove.select().count()

    with pytest.raises(picking.WrongLot) as refused:
        picking.confirm_pick(pl.id, bin_code="A-02-01", scan_code=gs1("LATE", LATE), tote=1, actor=PACKER)
    assert str(refused.value) == "wrong lot LATE of VITAMIN-C: take lot SOON EXP 05-31-2026 from A-02-01"
    assert "\n" not in str(refused.value)
    # the station's item step says the same, before any tote is scanned
    view = picking.picklist_view(pl.id)
    with pytest.raises(picking.WrongLot, match="wrong lot LATE of VITAMIN-C: take lot SOON"):
        picking.station_scan(gs1("LATE", LATE), picking.ScanContext("item", view, bin_code="A-02-01"),
                             actor=PACKER)
    assert StockMove.select().count() == moves_before
    assert balances(vit)[("A-02-01", "SOON")] == (3, 2)
    line = PickLine.get_by_id(refused.value.line_id)
    assert (line.lot, line.qty_picked, line.status) == ("SOON", 0, "open")

    with pytest.raises(PermissionDenied):
        picking.swap_lot(refused.value.line_id, "LATE", actor=PACKER)
    with pytest.raises(ValidationError, match="has no lot NOPE"):
        picking.swap_lot(refused.value.line_id, "NOPE", actor=supervisor)
    swapped = picking.swap_lot(refused.value.line_id, "LATE", actor=supervisor)
    assert swapped.message() == "2 × VITAMIN-C in A-02-01 now from lot LATE (was lot SOON)"
    assert held(oid) == [("A-02-01", "LATE", 2)]
    assert balances(vit) == {("A-01-01", "LATE"): (5, 0), ("A-02-01", "LATE"): (4, 2),
                             ("A-02-01", "SOON"): (3, 0)}
    event = AuditEvent.get(AuditEvent.kind == "lot_swapped")
    assert (event.user_name, event.detail) == (
        "test-supervisor", f"{pl.number} A-02-01 VITAMIN-C tote 1: 2 from lot LATE instead of lot SOON "
                           "(lot LATE EXP 09-30-2026)")
    assert picking.next_stop(pl.id).lot_text() == "lot LATE EXP 09-30-2026"

    done = picking.confirm_pick(pl.id, bin_code="A-02-01", scan_code=gs1("LATE", LATE), qty=2, tote=1,
                                actor=PACKER)
    assert (done.qty, done.picklist_status) == (2, "done")
    assert balances(vit)[("PACKING", "LATE")] == (2, 0)
    assert ledger.check().ok

    # packing: a unit of another lot than was picked is refused, the picked lot verified
    refused_pack = packing.verify_scan(oid, gs1("SOON", SOON), actor=PACKER)
    assert (refused_pack.accepted, refused_pack.result) == (False, "wrong_lot")
    assert refused_pack.message == ("WRONG LOT: VITAMIN-C lot SOON — order 5001 was picked from lot LATE: "
                                    "take it out")
    packing.pack(oid, scans=[gs1("LATE", LATE), GTIN], close="last", actor=PACKER)
    shipping.ship_order(oid, tracking="1Z999AA10123456784", actor=PACKER)
    shipped = [(m.lot, m.qty) for m in StockMove.select().where(StockMove.kind == "ship")]
    assert shipped == [("LATE", 2)]
    assert balances(vit) == {("A-01-01", "LATE"): (5, 0), ("A-02-01", "LATE"): (2, 0),
                             ("A-02-01", "SOON"): (3, 0)}
    assert ledger.check().ok


def test_a_plain_scan_takes_the_allocated_lot(fefo):
    world, vit, _ = fefo
    order(world, "5001", [("VITAMIN-C", 2)])
    pl = picking.create_picklist(actor=world.actor)
    picking.confirm_pick(pl.id, bin_code="A-02-01", scan_code=GTIN, qty=1, tote=1, actor=PACKER)
    picking.confirm_pick(pl.id, bin_code="A-02-01", scan_code=gs1("SOON", SOON), qty=1, tote=1,
                         actor=PACKER)
    assert balances(vit)[("PACKING", "SOON")] == (2, 0)
    assert balances(vit)[("A-02-01", "SOON")] == (1, 0)
    assert ledger.check().ok


def test_a_short_pick_reroutes_to_the_next_expiring_lot(fefo):
    world, vit, _ = fefo
    oid = order(world, "5001", [("VITAMIN-C", 2)])
    pl = picking.create_picklist(actor=world.actor)
    result = picking.short_pick(pl.id, bin_code="A-02-01", product="VITAMIN-C", qty_short=2, reason="short",
                                actor=PACKER)
    assert (result.written_off, result.backordered) == (2, 0)
    assert balances(vit)[("A-02-01", "SOON")] == (1, 0)
    assert held(oid) == [("A-01-01", "LATE", 2)]
    nxt = picking.next_stop(pl.id)
    assert (nxt.bin_code, nxt.lot_text()) == ("A-01-01", "lot LATE EXP 09-30-2026")
    assert ledger.check().ok


def test_an_adjustment_short_on_a_reserved_lot_re_back_orders_the_order_that_held_it(fefo):
    world, vit, spoon = fefo
    first = order(world, "5001", [("VITAMIN-C", 2)])
    other = order(world, "5003", [("SPOON-1", 1)])
    assert held(first) == [("A-02-01", "SOON", 2)]
    # the 3 SOON units are damaged: 1 was free, 2 were 5001's
    inventory.adjust(vit, "A-02-01", -3, reason="damaged", lot="SOON", actor=world.actor)
    assert held(first) == [("A-01-01", "LATE", 2)]  # re-allocated from the other lot at once
    assert status(first) == "allocated"
    moves = [s.to_status for s in StatusChange.select().where(StatusChange.doc_type == "order",
                                                               StatusChange.doc_id == first)
             .order_by(StatusChange.id)]
    assert moves[-2:] == ["backordered", "allocated"]
    assert held(other) == [("A-01-02", "", 1)] and status(other) == "allocated"
    assert balances(vit) == {("A-01-01", "LATE"): (5, 2), ("A-02-01", "LATE"): (4, 0)}
    assert AuditEvent.get(AuditEvent.kind == "reservation_taken_back").detail == (
        "VITAMIN-C lot SOON in A-02-01: 2 units from order 5001 (adjustment of VITAMIN-C in A-02-01)")
    assert ledger.check().ok


def test_an_adjustment_short_with_no_other_lot_free_leaves_the_order_back_ordered(fefo):
    world, vit, _ = fefo
    first = order(world, "5001", [("VITAMIN-C", 2)])
    hog = order(world, "5009", [("VITAMIN-C", 10)])  # the rest: 1 SOON and all 9 LATE
    assert sum(q for _, _, q in held(hog)) == 10
    inventory.adjust(vit, "A-02-01", -3, reason="lost", lot="SOON", actor=world.actor)
    # least urgent first: 5009 (newer) gives its SOON unit back, then 5001 its two
    assert held(first) == [] and status(first) == "backordered"
    assert held(hog) == [("A-01-01", "LATE", 5), ("A-02-01", "LATE", 4)]
    assert status(hog) == "partially_allocated"
    assert ledger.check().ok


def test_an_adjustment_refuses_units_on_a_pick_list_being_picked_and_needs_the_lot(fefo):
    world, vit, _ = fefo
    order(world, "5001", [("VITAMIN-C", 3)])  # all 3 SOON
    picking.create_picklist(actor=world.actor)
    before = StockMove.select().count()
    with pytest.raises(Conflict, match="2 of VITAMIN-C lot SOON in A-02-01 are reserved for a pick list"):
        inventory.adjust(vit, "A-02-01", -2, reason="lost", lot="SOON", actor=world.actor)
    with pytest.raises(ValidationError, match="VITAMIN-C is tracked by lot: name the lot"):
        inventory.adjust(vit, "A-02-01", -1, reason="lost", actor=world.actor)
    assert StockMove.select().count() == before
    assert balances(vit)[("A-02-01", "SOON")] == (3, 3)
    assert ledger.check().ok


def test_a_count_short_on_a_reserved_lot_re_back_orders_the_order_that_held_it(fefo):
    world, vit, _ = fefo
    first = order(world, "5001", [("VITAMIN-C", 2)])
    t = counting.create_task(bin_code="A-02-01", actor=world.actor)
    counting.scan(t.number, bin_code="A-02-01", code=gs1("LATE", LATE), qty=4, actor=COUNTER)
    with pytest.raises(ValidationError, match="VITAMIN-C is counted by lot: scan the GS1 code"):
        counting.scan(t.number, bin_code="A-02-01", code=GTIN, actor=COUNTER)
    done = counting.finish(t.number, actor=COUNTER)  # no SOON found: 3 short
    assert (done.adjusted, done.pending, done.orders_released) == (1, 0, (first,))
    assert [(d.lot, d.expected, d.counted) for d in counting.differences(t.number, actor=world.actor)] == [
        ("LATE", 4, 4), ("SOON", 3, 0)]
    assert held(first) == [("A-01-01", "LATE", 2)]
    assert balances(vit) == {("A-01-01", "LATE"): (5, 2), ("A-02-01", "LATE"): (4, 0)}
    assert ledger.check().ok


def test_count_differences_worth_more_than_the_value_limit_wait_for_approval(fefo, supervisor):
    world, vit, spoon = fefo
    Product.update(unit_cost="12.50").where(Product.id == spoon).execute()
    assert counting.approve_value() is None
    assert counting.set_approve_value("20", actor=supervisor) == pytest.approx(20)
    with pytest.raises(ValidationError, match="must be an amount"):
        counting.set_approve_value("lots", actor=supervisor)
    t = counting.create_task(bin_code="A-01-02", actor=world.actor)
    counting.scan(t.number, bin_code="A-01-02", code="SPOON-1-BC", qty=3, actor=COUNTER)  # 2 short: 25.00
    done = counting.finish(t.number, actor=COUNTER)
    assert (done.adjusted, done.pending) == (0, 1)
    t2 = counting.create_task(bin_code="A-01-01", actor=world.actor)
    counting.scan(t2.number, bin_code="A-01-01", code=gs1("LATE", LATE), qty=4, actor=COUNTER)
    assert counting.finish(t2.number, actor=COUNTER).adjusted == 1  # no unit cost: units only
    counting.approve(t.number, actor=supervisor)
    assert balances(spoon) == {("A-01-02", ""): (3, 0)}
    assert ledger.check().ok
