"""The supervisor figures and staging queries of app/reports.py, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from app import inventory, ledger, reports
from app.kernel.actor import Actor
from app.kernel.errors import OutOfStock, PermissionDenied, ValidationError


def arrive(world, product_id, location, qty, *, source="CUSTOMER", kind="return"):
    from app.store import db

    with db.write():
        ledger.apply_move(product_id, ledger.location(source).id,
                             ledger.location(location).id, qty, kind=kind, actor=world.actor)


def test_moves_by_kind_counts_one_day(world, frozen_clock):
    p = world.product("TENT")
    world.stock(p.id, "A-01-01", 10)
    inventory.transfer(p.id, "A-01-01", "A-01-02", 3, actor=world.actor)
    inventory.transfer(p.id, "A-01-02", "A-02-01", 1, actor=world.actor)
    frozen_clock.advance(days=1)
    inventory.transfer(p.id, "A-01-01", "B-01-01", 2, actor=world.actor)
    yesterday = reports.moves_by_kind(dt.date(2026, 3, 2))  # the frozen clock's first day
    assert yesterday == [reports.KindCount("transfer", 2, 4), reports.KindCount("receive", 1, 10)]
    assert reports.moves_by_kind() == [reports.KindCount("transfer", 1, 2)]


def test_a_los_angeles_report_day_ends_at_local_midnight(world, frozen_clock):
    """PST is UTC-8: a move at 07:59 UTC on the 5th is 23:59 on the 4th in the warehouse,
    one at 08:00 UTC is 00:00 on the 5th; "today" is the warehouse's day, not UTC's."""
    from app.kernel import clock
    from app.store import settings

    settings.set_setting("timezone", "America/Los_Angeles", actor=world.actor)
    p = world.product("TENT")
    frozen_clock.current = dt.datetime(2026, 12, 4, 8, 0)  # 00:00 on the 4th, Pacific
    world.stock(p.id, "A-01-01", 10)
    frozen_clock.current = dt.datetime(2026, 12, 5, 7, 59)  # 23:59 on the 4th
    inventory.transfer(p.id, "A-01-01", "A-01-02", 3, actor=world.actor)
    frozen_clock.current = dt.datetime(2026, 12, 5, 8, 0)  # 00:00 on the 5th
    inventory.transfer(p.id, "A-01-01", "A-02-01", 2, actor=world.actor)
    assert reports.day_bounds(dt.date(2026, 12, 4)) == (dt.datetime(2026, 12, 4, 8, 0),
                                                       dt.datetime(2026, 12, 5, 8, 0))
    assert reports.moves_by_kind(dt.date(2026, 12, 4)) == [reports.KindCount("receive", 1, 10),
                                                           reports.KindCount("transfer", 1, 3)]
    assert reports.moves_by_kind(dt.date(2026, 12, 5)) == [reports.KindCount("transfer", 1, 2)]
    frozen_clock.current = dt.datetime(2026, 12, 5, 7, 0)  # 23:00 on the 4th: UTC says the 5th
    assert clock.local_today() == dt.date(2026, 12, 4)
    assert reports.moves_by_kind() == [reports.KindCount("receive", 1, 10),
                                       reports.KindCount("transfer", 1, 3)]


def test_orders_by_status_empty_and_counted(world):
    from app.store.models import Client, Order

    assert reports.orders_by_status() == []
    acme = Client.get(Client.code == "ACME")
    for number, status in (("1", "new"), ("2", "shipped"), ("3", "new")):
        Order.create(client=acme, number=number, status=status)
    assert reports.orders_by_status() == [reports.StatusCount("new", 2),
                                          reports.StatusCount("shipped", 1)]


def test_staged_stock_and_totals(world):
    p, q = world.product("TENT"), world.product("LAMP")
    world.stock(p.id, "A-01-01", 10)
    arrive(world, p.id, "RETURNS", 2)
    arrive(world, q.id, "QUARANTINE", 1)
    arrive(world, q.id, "RECEIVING", 5, source="SUPPLIER", kind="receive")
    arrive(world, p.id, "PACKING", 4, source="SUPPLIER", kind="receive")
    rows = reports.staged_stock()
    assert [(r.location, r.sku, r.on_hand) for r in rows] == [("QUARANTINE", "LAMP", 1),
                                                              ("RETURNS", "TENT", 2)]
    assert rows[0].client == "ACME"
    totals = reports.stock_totals()
    assert totals == reports.StockTotals(in_bins=10, reserved=0, available=10, receiving=5,
                                         returns=3, packing=4, products_out=1)  # LAMP: none in bins


def test_scrap_staged(world):
    p = world.product("TENT")
    arrive(world, p.id, "RETURNS", 3)
    packer = Actor(None, "Pat", "packer", "pack-1")
    with pytest.raises(PermissionDenied):
        reports.scrap_staged(p.id, "RETURNS", 1, actor=packer)
    with pytest.raises(ValidationError):
        reports.scrap_staged(p.id, "A-01-01", 1, actor=world.actor)
    with pytest.raises(OutOfStock):
        reports.scrap_staged(p.id, "RETURNS", 4, actor=world.actor)
    assert ledger.on_hand(p.id, "RETURNS") == 3
    reports.scrap_staged(p.id, "returns", 2, actor=world.actor, reason="torn")
    assert ledger.on_hand(p.id, "RETURNS") == 1
    move = ledger.moves_for(product_id=p.id, limit=1)[0]
    assert (move.from_location, move.to_location, move.kind, move.reason) == (
        "RETURNS", "SCRAP", "scrap", "torn")
