"""The demo's open orders: ship-by dates one to four warehouse days ahead, whatever the UTC day."""

from __future__ import annotations

import datetime as dt

from app import ledger
from app.demo import orders as demo_orders
from app.kernel import clock
from app.store import db
from tests.support.packing import stock_in


def test_ship_by_dates_count_from_the_warehouse_day(world, frozen_clock):
    # 00:30 on Monday 2026-03-09 in Auckland is still Sunday 11:30 in UTC
    clock.set_zone("Pacific/Auckland")
    frozen_clock.current = dt.datetime(2026, 3, 8, 11, 30)
    assert clock.local_today() == dt.date(2026, 3, 9)
    stock_in(world, world.product("TENT").id, 100)
    demo_orders.add_demo_documents(actor=world.actor, count=10)
    ship_by = db.execute("SELECT number, ship_by FROM \"order\" WHERE ship_by IS NOT NULL ORDER BY number").fetchall()
    assert [(n, str(d)[:10]) for n, d in ship_by] == [
        ("AC-1001", "2026-03-10"), ("AC-1004", "2026-03-13"), ("AC-1007", "2026-03-12"), ("AC-1010", "2026-03-11")]
    assert ledger.check().ok
