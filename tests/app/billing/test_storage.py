"""Storage from the ledger: unit-days and bin-days per warehouse day in a zone that is not UTC,
across the spring-forward day (a 23-hour day), with moves just before and after midnight."""

from __future__ import annotations

import datetime as dt

from app import billing, catalog, inventory
from app.catalog.products import client_by_code
from app.kernel import clock


def _local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return clock.to_utc(dt.datetime(2026, 3, day, hour, minute))


def test_unit_days_and_bin_days_by_new_york_days(world, frozen_clock):
    clock.set_zone("America/New_York")  # 2026-03-08 is 23 hours long there
    p = world.product("TENT")
    q = world.product("LAMP")
    frozen_clock.current = _local(6, 12)
    world.stock(q.id, "B-01-01", 2)                       # before the period: stays throughout
    frozen_clock.current = _local(7, 23, 30)               # 04:30 UTC on the 8th: still the 7th here
    world.stock(p.id, "A-01-01", 10)
    frozen_clock.current = _local(8, 0, 30)
    inventory.transfer(p.id, "A-01-01", "A-01-02", 4, actor=world.actor)
    frozen_clock.current = _local(8, 23, 59)               # 03:59 UTC on the 9th (EDT)
    inventory.adjust(p.id, "A-01-01", -3, reason="count", actor=world.actor)
    frozen_clock.current = _local(9, 0, 1)
    inventory.transfer(p.id, "A-01-02", "A-01-01", 4, actor=world.actor)
    frozen_clock.current = _local(10, 0, 10)               # after the period
    world.stock(p.id, "A-02-01", 5)
    billing_days = billing.Days.of(dt.date(2026, 3, 7), dt.date(2026, 3, 9))
    assert billing_days.bounds[1] - billing_days.bounds[0] == dt.timedelta(hours=24)
    assert billing_days.bounds[2] - billing_days.bounds[1] == dt.timedelta(hours=23)
    got = billing.storage_days(client_by_code("ACME").id, billing_days)
    assert got.units == (12, 9, 9)
    assert got.bins == (2, 3, 2)
    assert (got.unit_days, got.bin_days) == (30, 7)
    # The same moves read by UTC days would differ: the zone decides.
    clock.set_zone("Etc/UTC")
    utc = billing.storage_days(client_by_code("ACME").id, billing.Days.of(dt.date(2026, 3, 7), dt.date(2026, 3, 9)))
    assert utc.units != got.units


def test_another_clients_stock_is_not_billed(world, frozen_clock):
    catalog.add_client("OTHER", "Other Co.")
    mine = world.product("TENT")
    theirs = world.product("TENT", client="OTHER")
    frozen_clock.current = dt.datetime(2026, 3, 2, 9)
    world.stock(mine.id, "A-01-01", 3)
    world.stock(theirs.id, "A-01-01", 50)
    world.stock(theirs.id, "A-01-02", 50)
    frozen_clock.current = dt.datetime(2026, 3, 4, 9)  # both days have ended
    days = billing.Days.of(dt.date(2026, 3, 2), dt.date(2026, 3, 3))
    got = billing.storage_days(client_by_code("ACME").id, days)
    assert (got.units, got.bins) == ((3, 3), (1, 1))
    other = billing.storage_days(client_by_code("OTHER").id, days)
    assert (other.units, other.bins) == ((100, 100), (2, 2))
