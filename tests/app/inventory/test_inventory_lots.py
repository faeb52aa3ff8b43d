"""Transfers, moves and adjustments of a product with lots: one lot at a time, named (or read
from a GS1 scan), the lot and its expiry kept wherever the units go (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest

from app import inventory, ledger, orders
from app.kernel.errors import OutOfStock, ValidationError
from app.orders import allocation
from app.store import db
from app.store.models import StockMove

GTIN = "00000000100014"
GS = "\x1d"
SOON, LATE = dt.date(2026, 5, 31), dt.date(2026, 9, 30)


def gs1(lot: str, expiry: dt.date) -> str:
    return f"]C101{GTIN}10{lot}{GS}17{expiry:%y%m%d}"


def balances(product_id: int) -> dict[tuple[str, str], tuple[int, int]]:
    rows = db.execute("SELECT l.code, sl.lot, sl.on_hand, sl.reserved FROM stock_level sl "
                      "JOIN location l ON l.id = sl.location_id WHERE sl.product_id = ? AND "
                      "(sl.on_hand <> 0 OR sl.reserved <> 0)", (product_id,)).fetchall()
    return {(code, lot): (int(oh), int(rs)) for code, lot, oh, rs in rows}


def put(world, product_id: int, bin_code: str, qty: int, lot: str, expiry: dt.date) -> None:
    with db.write():
        ledger.register_lot(product_id, lot, expiry)
        ledger.apply_move(product_id, ledger.location("SUPPLIER").id, ledger.location(bin_code).id, qty,
                          kind="receive", actor=world.actor, reason="test stock", lot=lot)


@pytest.fixture
def two_lots(world, frozen_clock):
    """A-02-01 holds VITAMIN-C lot SOON (3, expires 2026-05-31) and lot LATE (4, 2026-09-30);
    SPOON-1 (no lots) has 5 in A-01-02."""
    vit = world.product("VITAMIN-C", barcode=GTIN, track_lot=True, track_expiry=True)
    put(world, vit.id, "A-02-01", 3, "SOON", SOON)
    put(world, vit.id, "A-02-01", 4, "LATE", LATE)
    spoon = world.product("SPOON-1", barcode="SPOON-1-BC")
    world.stock(spoon.id, "A-01-02", 5)
    return world, vit.id, spoon.id


def test_a_transfer_moves_the_lot_named_and_keeps_its_expiry(two_lots):
    world, vit, _ = two_lots
    before = StockMove.select().count()
    with pytest.raises(ValidationError) as refused:
        inventory.transfer(vit, "A-02-01", "A-01-01", 2, actor=world.actor)
    assert str(refused.value) == "VITAMIN-C is tracked by lot: name the lot (LATE, SOON)"
    with pytest.raises(OutOfStock):
        inventory.transfer(vit, "A-02-01", "A-01-01", 4, lot="SOON", actor=world.actor)
    assert StockMove.select().count() == before

    move_id = inventory.transfer(vit, "A-02-01", "A-01-01", 2, lot="SOON", actor=world.actor)
    assert inventory.what_moved(move_id) == ("VITAMIN-C", "SOON")
    assert balances(vit) == {("A-02-01", "SOON"): (1, 0), ("A-02-01", "LATE"): (4, 0),
                             ("A-01-01", "SOON"): (2, 0)}
    assert ledger.lot_expiry(vit, "SOON") == SOON
    # a GS1 scan given as the product names its lot
    inventory.transfer(gs1("LATE", LATE), "A-02-01", "A-01-01", 3, actor=world.actor)
    assert balances(vit)[("A-01-01", "LATE")] == (3, 0)
    with pytest.raises(ValidationError, match="the scan is lot LATE, not lot SOON"):
        inventory.transfer(gs1("LATE", LATE), "A-02-01", "A-01-01", 1, lot="SOON", actor=world.actor)
    # a place holding one lot of the product: its lot needs no name
    inventory.transfer(vit, "A-01-01", "B-01-01", 3, actor=world.actor, lot="LATE")
    inventory.transfer(vit, "B-01-01", "A-01-02", 3, actor=world.actor)
    assert balances(vit) == {("A-02-01", "SOON"): (1, 0), ("A-02-01", "LATE"): (1, 0),
                             ("A-01-01", "SOON"): (2, 0), ("A-01-02", "LATE"): (3, 0)}
    assert ledger.check().ok

    # the transferred SOON units are given out first, with their expiry
    ref = orders.create_order("ACME", "7001", [("VITAMIN-C", 3)], actor=world.actor)
    allocation.allocate_orders(actor=world.actor, order_ids=[ref.id])
    assert [(a.bin_code, a.lot, a.qty) for a in orders.allocations_for(order_id=ref.id)] == [
        ("A-01-01", "SOON", 2), ("A-02-01", "SOON", 1)]


def test_an_adjustment_of_one_of_two_lots(two_lots):
    world, vit, _ = two_lots
    with pytest.raises(ValidationError, match=r"name the lot \(LATE, SOON\)"):
        inventory.adjust(vit, "A-02-01", -1, reason="damaged", actor=world.actor)
    inventory.adjust(vit, "A-02-01", -1, reason="damaged", lot="LATE", actor=world.actor)
    inventory.adjust(gs1("SOON", SOON), "A-02-01", 2, reason="found", actor=world.actor)
    assert balances(vit) == {("A-02-01", "SOON"): (5, 0), ("A-02-01", "LATE"): (3, 0)}
    assert [(m.kind, m.lot, m.qty) for m in StockMove.select().where(StockMove.kind == "adjust")
            .order_by(StockMove.id)] == [("adjust", "LATE", 1), ("adjust", "SOON", 2)]
    assert ledger.check().ok


def test_lot_choices_and_products_without_lots(two_lots):
    world, vit, spoon = two_lots
    assert inventory.tracks_lots(vit) and not inventory.tracks_lots(spoon)
    assert [c.text() for c in inventory.lot_choices(vit, "a-02-01")] == [
        "SOON  EXP 05-31-2026  3 on hand", "LATE  EXP 09-30-2026  4 on hand"]
    assert inventory.lot_choices(vit, "A-01-01") == []
    assert inventory.lot_choices(vit, "NO-SUCH-BIN") == []
    assert inventory.lot_choices(spoon, "A-01-02") == []
    with pytest.raises(ValidationError, match="SPOON-1 is not tracked by lot"):
        inventory.transfer(spoon, "A-01-02", "A-01-01", 1, lot="X", actor=world.actor)
    # stock arriving from outside names its lot
    with pytest.raises(ValidationError, match="VITAMIN-C is tracked by lot: name the lot"):
        inventory.move(vit, "SUPPLIER", "A-01-01", 1, kind="receive", actor=world.actor)
    # ... and a new lot of a product with expiry dates its date
    with pytest.raises(ValidationError, match="^lot NEW of VITAMIN-C is new: give its expiry date$"):
        inventory.move(vit, "SUPPLIER", "A-01-01", 1, kind="receive", actor=world.actor, lot="NEW")
    inventory.move(vit, "SUPPLIER", "A-01-01", 1, kind="receive", actor=world.actor, lot="NEW",
                   expiry=dt.date(2027, 1, 31))
    inventory.transfer(spoon, "A-01-02", "A-01-01", 2, actor=world.actor)
    assert balances(spoon) == {("A-01-02", ""): (3, 0), ("A-01-01", ""): (2, 0)}
    assert balances(vit)[("A-01-01", "NEW")] == (1, 0)
    assert ledger.lot_expiry(vit, "NEW") == dt.date(2027, 1, 31)
    assert ledger.check().ok


def test_a_new_lot_adjusted_in_needs_its_expiry_and_keeps_it(two_lots):
    world, vit, _ = two_lots
    with pytest.raises(ValidationError, match="^lot LOTC of VITAMIN-C is new: give its expiry date$"):
        inventory.adjust(vit, "A-02-01", 5, reason="found", lot="LOTC", actor=world.actor)
    with pytest.raises(ValidationError, match="^lot SOON of VITAMIN-C expires on 2026-05-31, not 2026-09-30$"):
        inventory.adjust(gs1("SOON", LATE), "A-02-01", -1, reason="damaged", actor=world.actor)
    with pytest.raises(ValidationError, match="^the scan expires on 2027-01-31, not 2027-02-01$"):
        inventory.adjust(gs1("LOTD", dt.date(2027, 1, 31)), "A-02-01", 2, reason="found", actor=world.actor,
                         expiry=dt.date(2027, 2, 1))
    assert balances(vit) == {("A-02-01", "SOON"): (3, 0), ("A-02-01", "LATE"): (4, 0)}
    inventory.adjust(vit, "A-02-01", 5, reason="found", lot="LOTC", expiry=dt.date(2026, 3, 20), actor=world.actor)
    inventory.adjust(gs1("LOTD", dt.date(2027, 1, 31)), "A-02-01", 2, reason="found", actor=world.actor)
    inventory.adjust(vit, "A-02-01", 1, reason="found", lot="LOTC", actor=world.actor)  # a known lot: its date
    assert (ledger.lot_expiry(vit, "LOTC"), ledger.lot_expiry(vit, "LOTD")) == (dt.date(2026, 3, 20),
                                                                                dt.date(2027, 1, 31))
    assert [c.text() for c in inventory.lot_choices(vit, "A-02-01")] == [
        "LOTC  EXP 03-20-2026  6 on hand", "SOON  EXP 05-31-2026  3 on hand", "LATE  EXP 09-30-2026  4 on hand",
        "LOTD  EXP 01-31-2027  2 on hand"]
    assert ledger.check().ok
