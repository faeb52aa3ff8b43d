"""Returns of a product with lots: each returned unit comes back under the lot shipped to the
customer (a GS1 scan names it; else the lot with most units shipped and not yet returned, the
earlier expiry on a tie), keeps it through its disposition, and a restocked lot is given out
first expired, first out with its own expiry (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest

from app import ledger, orders, packing, picking, returns, shipping
from app.kernel.actor import Actor
from app.kernel.errors import ValidationError
from app.orders import allocation
from app.returns import RmaRequestLine
from app.store import db
from app.store.models import StockMove
from tests.support.packing import make_products
from tests.support.returns import shipped_order

GTIN = "00000000100014"
GS = "\x1d"
SOON, LATE = dt.date(2026, 5, 31), dt.date(2026, 9, 30)
RECEIVER = Actor(None, "rita-receiver", "receiver", "returns-1")
SHIP_TO = dict(customer_name="Jane Doe", address1="1 Elm St", city="Boston", province="MA", zip="02134",
               country="US")


def gs1(lot: str, expiry: dt.date) -> str:
    return f"]C101{GTIN}10{lot}{GS}17{expiry:%y%m%d}"


def balances(product_id: int) -> dict[tuple[str, str], tuple[int, int]]:
    """{(location, lot): (on hand, reserved)} of every real balance of the product."""
    rows = db.execute("SELECT l.code, sl.lot, sl.on_hand, sl.reserved FROM stock_level sl "
                      "JOIN location l ON l.id = sl.location_id WHERE sl.product_id = ? AND "
                      "(sl.on_hand <> 0 OR sl.reserved <> 0)", (product_id,)).fetchall()
    return {(code, lot): (int(oh), int(rs)) for code, lot, oh, rs in rows}


def return_moves() -> list[tuple[str, str, str, int]]:
    """(kind, from, to, lot, qty) of the moves of returns, in order."""
    return [(m.kind, m.from_location.code, m.to_location.code, m.lot, m.qty)
            for m in StockMove.select().where(StockMove.doc_type == "return").order_by(StockMove.id)]


@pytest.fixture
def shipped(world, frozen_clock):
    """Today is 2026-03-02. VITAMIN-C (lots with expiry): 2 of lot SOON in A-02-01, 5 of lot
    LATE in A-01-01. Order 5001 for 3 took both SOON units and 1 LATE (FEFO) and shipped."""
    vit = world.product("VITAMIN-C", barcode=GTIN, track_lot=True, track_expiry=True).id
    with db.write():
        for lot, expiry, bin_code, qty in (("SOON", SOON, "A-02-01", 2), ("LATE", LATE, "A-01-01", 5)):
            ledger.register_lot(vit, lot, expiry)
            ledger.apply_move(vit, ledger.location("SUPPLIER").id, ledger.location(bin_code).id, qty,
                              kind="receive", actor=world.actor, reason="test stock", lot=lot)
    ref = orders.create_order("ACME", "5001", [("VITAMIN-C", 3)], actor=world.actor, **SHIP_TO)
    allocation.allocate_orders(actor=world.actor, order_ids=[ref.id])
    pl = picking.create_picklist(actor=world.actor)
    while (stop := picking.next_stop(pl.id)) is not None:
        picking.confirm_pick(pl.id, bin_code=stop.bin_code, scan_code=GTIN, qty=stop.remaining, tote=1,
                             actor=world.actor)
    packing.pack(ref.id, scans=[GTIN] * 3, close="last", actor=world.actor)
    shipping.ship_order(ref.id, tracking="1Z999AA10123456784", carrier="UPS", actor=world.actor)
    shipped_lots = sorted((m.lot, m.qty) for m in StockMove.select().where(StockMove.kind == "ship"))
    assert shipped_lots == [("LATE", 1), ("SOON", 2)]
    return world, vit


def test_returned_units_come_back_under_their_shipped_lot_and_restock_fefo(shipped):
    world, vit = shipped
    rma = returns.create_rma("5001", [RmaRequestLine("VITAMIN-C", 3, "unwanted")], actor=RECEIVER)

    # a GS1 scan names its lot
    first = returns.receive_unit(rma.number, gs1("LATE", LATE), actor=RECEIVER)
    assert first.message == f"VITAMIN-C (lot LATE EXP 09-30-2026): 1 of 3 received on {rma.number}"
    # every LATE unit shipped is back now: another one cannot be of this order
    before = StockMove.select().count()
    with pytest.raises(ValidationError) as refused:
        returns.receive_unit(rma.number, gs1("LATE", LATE), actor=RECEIVER)
    assert str(refused.value) == ("lot LATE of VITAMIN-C was not shipped on this order (or all of it came "
                                  "back): it shipped lot SOON")
    with pytest.raises(ValidationError, match="lot OTHER of VITAMIN-C was not shipped on this order"):
        returns.receive_unit(rma.number, gs1("OTHER", LATE), actor=RECEIVER)
    assert StockMove.select().count() == before

    # a plain scan: the lot with most units shipped and not yet returned (SOON: 2)
    second = returns.receive_unit(rma.number, GTIN, actor=RECEIVER)
    assert second.message == f"VITAMIN-C (lot SOON EXP 05-31-2026): 2 of 3 received on {rma.number}"
    assert balances(vit)[("RETURNS", "LATE")] == (1, 0)
    assert balances(vit)[("RETURNS", "SOON")] == (1, 0)

    # the bin's label restocks both lots, each under its own lot
    done = returns.desk_scan("A-01-02", rma=rma.number, actor=RECEIVER)
    assert done.message == "2 x VITAMIN-C -> A-01-02"
    assert balances(vit)[("A-01-02", "LATE")] == (1, 0)
    assert balances(vit)[("A-01-02", "SOON")] == (1, 0)

    # the last unit (plain scan): SOON again; quarantined under its lot
    third = returns.receive_unit(rma.number, GTIN, actor=RECEIVER)
    assert third.message == f"VITAMIN-C (lot SOON EXP 05-31-2026): 3 of 3 received on {rma.number}"
    returns.dispose(rma.number, GTIN, "quarantine", actor=RECEIVER)
    assert return_moves() == [
        ("return", "CUSTOMER", "RETURNS", "LATE", 1),
        ("return", "CUSTOMER", "RETURNS", "SOON", 1),
        ("restock", "RETURNS", "A-01-02", "LATE", 1),
        ("restock", "RETURNS", "A-01-02", "SOON", 1),
        ("return", "CUSTOMER", "RETURNS", "SOON", 1),
        ("quarantine", "RETURNS", "QUARANTINE", "SOON", 1),
    ]
    assert balances(vit) == {("A-01-01", "LATE"): (4, 0), ("A-01-02", "LATE"): (1, 0),
                             ("A-01-02", "SOON"): (1, 0), ("QUARANTINE", "SOON"): (1, 0)}
    assert ledger.check().ok

    # the restocked SOON unit is the first to go, with its own expiry
    again = orders.create_order("ACME", "6001", [("VITAMIN-C", 1)], actor=world.actor, **SHIP_TO)
    allocation.allocate_orders(actor=world.actor, order_ids=[again.id])
    assert [(a.bin_code, a.lot, a.qty) for a in orders.allocations_for(order_id=again.id)] == [
        ("A-01-02", "SOON", 1)]
    assert ledger.lot_expiry(vit, "SOON") == SOON
    assert ledger.check().ok


def test_receive_and_dispose_in_one_go_keep_the_lot_and_an_expired_lot_is_not_restocked(shipped, frozen_clock):
    world, vit = shipped
    rma = returns.create_rma("5001", [RmaRequestLine("VITAMIN-C", 2, "damaged")], actor=RECEIVER)
    # the command line's receive: the unit received is the unit restocked
    done = returns.receive(rma.number, gs1("SOON", SOON), disposition="restock", bin_code="A-02-01",
                           actor=RECEIVER)
    assert done.message == (f"VITAMIN-C (lot SOON EXP 05-31-2026): 1 of 2 received on {rma.number}, "
                            "1 -> A-02-01")
    assert balances(vit)[("A-02-01", "SOON")] == (1, 0)

    # June: lot SOON has expired; its returned unit goes to QUARANTINE, never to a bin
    frozen_clock.advance(days=92)  # 2026-06-02
    returns.receive_unit(rma.number, GTIN, actor=RECEIVER)  # SOON: 1 left of 2 shipped, LATE 1: tie
    assert balances(vit)[("RETURNS", "SOON")] == (1, 0)
    before = StockMove.select().count()
    with pytest.raises(ValidationError) as refused:
        returns.desk_scan("A-01-02", rma=rma.number, actor=RECEIVER)
    assert str(refused.value) == ("lot SOON of VITAMIN-C expired on 05-31-2026: send it to QUARANTINE or "
                                  "SCRAP, not to a bin")
    assert StockMove.select().count() == before
    result = returns.desk_scan("QUARANTINE", rma=rma.number, actor=RECEIVER)
    assert result.message == f"1 x VITAMIN-C -> QUARANTINE; {rma.number} closed"
    assert balances(vit)[("QUARANTINE", "SOON")] == (1, 0)
    assert ledger.check().ok


def test_a_product_without_lots_comes_back_without_one(world, frozen_clock):
    prods = make_products(world, [("TENT", "TENT-1")])
    shipped_order(world, "1001", [("TENT", 1)], products=prods, barcodes={"TENT": "TENT-1"})
    rma = returns.create_rma("1001", [RmaRequestLine("TENT", 1, "unwanted")], actor=RECEIVER)
    scan = returns.receive_unit(rma.number, "TENT-1", actor=RECEIVER)
    assert scan.message == f"TENT: 1 of 1 received on {rma.number}"
    assert return_moves() == [("return", "CUSTOMER", "RETURNS", "", 1)]
