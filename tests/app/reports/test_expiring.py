"""Near-expiry stock per client and bin, through the service and `stock --expiring-within`;
balances per lot hold the ledger check, and lot-tracked stock is allocated first expired first."""

from __future__ import annotations

import datetime as dt

import pytest

from app import ledger, orders, reports
from app.cli import main
from app.kernel.errors import ValidationError
from app.store import db


def put(world, product_id, bin_code, qty, lot, expiry):
    with db.write():
        ledger.register_lot(product_id, lot, expiry)
        ledger.apply_move(product_id, ledger.location("SUPPLIER").id, ledger.location(bin_code).id, qty,
                          kind="receive", actor=world.actor, reason="test stock", lot=lot)


@pytest.fixture
def lots(world, frozen_clock):
    """Today is 2026-03-02. VITAMIN-C: lot A expires in 10 days, lot B in 200; one expired lot."""
    vit = world.product("VITAMIN-C", track_lot=True, track_expiry=True)
    put(world, vit.id, "A-01-01", 4, "A", dt.date(2026, 3, 12))
    put(world, vit.id, "A-01-01", 6, "B", dt.date(2026, 9, 18))
    put(world, vit.id, "A-01-02", 2, "OLD", dt.date(2026, 2, 20))
    spoon = world.product("SPOON-1")
    world.stock(spoon.id, "A-01-02", 5)
    return world, vit, spoon


def test_expiring_within_lists_lots_soonest_first(lots):
    world, vit, spoon = lots
    rows = reports.expiring_within(30)
    assert [(r.client, r.location, r.sku, r.lot, r.expiry, r.days_left, r.on_hand) for r in rows] == [
        ("ACME", "A-01-02", "VITAMIN-C", "OLD", dt.date(2026, 2, 20), -10, 2),
        ("ACME", "A-01-01", "VITAMIN-C", "A", dt.date(2026, 3, 12), 10, 4),
    ]
    assert [r.lot for r in reports.expiring_within(365)] == ["OLD", "A", "B"]
    assert reports.expiring_within(0, client="acme")[0].lot == "OLD"
    assert reports.expiring_within(30, client="NOBODY") == []
    with pytest.raises(ValidationError, match="days must be a whole number"):
        reports.expiring_within(-1)
    # balances per lot: the check holds them lot by lot
    assert [(b.lot, b.on_hand) for b in ledger.lots_in(vit.id, ledger.location("A-01-01").id)] == [
        ("A", 4), ("B", 6)]
    assert ledger.on_hand(vit.id, "A-01-01") == 10
    assert ledger.check().ok


def test_cli_stock_expiring_within(lots, capsys):
    world, vit, spoon = lots
    url = world.db.url
    assert main(["--db", url, "stock", "--expiring-within", "30", "--csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["client,location,sku,name,lot,expiry,days_left,on_hand,reserved",
                   "ACME,A-01-02,VITAMIN-C,Product VITAMIN-C,OLD,2026-02-20,-10,2,0",
                   "ACME,A-01-01,VITAMIN-C,Product VITAMIN-C,A,2026-03-12,10,4,0"]
    assert main(["--db", url, "stock", "--expiring-within", "30"]) == 0
    assert "6 units in 2 lot balances expire within 30 days" in capsys.readouterr().out
    assert main(["--db", url, "stock", "--expiring-within", "soon"]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "number of days" in err
    db.connect(url, migrate=False)


def test_lot_tracked_stock_is_allocated_first_expired_first_never_expired(lots):
    world, vit, spoon = lots
    order = orders.create_order("ACME", "9001", [("VITAMIN-C", 2), ("SPOON-1", 1)], actor=world.actor)
    orders.allocate_orders(actor=world.actor, order_ids=[order.id])
    assert ledger.reserved(spoon.id, "A-01-02") == 1
    # lot A (10 days left) before lot B; the expired lot OLD in A-01-02 is never given out
    assert [(a.bin_code, a.lot, a.qty) for a in orders.allocations_for(order_id=order.id)
            if a.product_id == vit.id] == [("A-01-01", "A", 2)]
    assert ledger.reserved(vit.id, "A-01-02") == 0
    assert ledger.check().ok
