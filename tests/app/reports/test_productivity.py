"""Report ``productivity``: per user and hour of the warehouse day, over the known floor history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app import ledger, receiving
from app.kernel import clock
from app.kernel.actor import Actor
from app.reports import productivity
from app.reports.table import Period
from tests.support import floor_history

MONDAY = Period.of(dt.date(2026, 3, 2))
BOTH = Period.of(dt.date(2026, 3, 2), dt.date(2026, 3, 3))


@pytest.fixture
def history(world, frozen_clock):
    return floor_history.build(world, frozen_clock)


def test_productivity_per_user_and_hour(history):
    table = productivity.productivity(BOTH)
    assert table.columns == ("user", "hour", "received", "put_away", "picked", "packed", "orders_shipped",
                             "mis_scans", "mis_scans_per_1000", "short_picks")
    assert table.rows == [
        ("pat", "10:00", 0, 0, 0, 5, 0, 2, Decimal("400.00"), 0),
        ("pat", "14:00", 0, 0, 0, 1, 0, 0, Decimal("0.00"), 0),
        ("pat", "all", 0, 0, 0, 6, 0, 2, Decimal("333.33"), 0),
        ("pia", "09:00", 0, 0, 5, 0, 0, 0, None, 0),
        ("pia", "11:00", 0, 0, 1, 0, 0, 0, None, 1),
        ("pia", "14:00", 0, 0, 1, 0, 0, 0, None, 0),
        ("pia", "all", 0, 0, 7, 0, 0, 0, None, 1),
        ("rita", "08:00", 14, 14, 0, 0, 0, 0, None, 0),
        ("rita", "11:00", 1, 0, 0, 0, 0, 0, None, 0),
        ("rita", "all", 15, 14, 0, 0, 0, 0, None, 0),
        ("sam", "10:00", 0, 0, 0, 0, 1, 0, None, 0),
        ("sam", "11:00", 0, 0, 0, 0, 1, 0, None, 0),
        ("sam", "15:00", 0, 0, 0, 0, 1, 0, None, 0),
        ("sam", "all", 0, 0, 0, 0, 3, 0, None, 0),
        ("ALL", "all", 15, 14, 7, 6, 3, 2, Decimal("333.33"), 1),
    ]


def test_productivity_of_one_day_and_one_client(history):
    rows = productivity.productivity(MONDAY, client="BETA").rows
    assert rows == [
        ("pat", "10:00", 0, 0, 0, 2, 0, 1, Decimal("500.00"), 0),
        ("pat", "all", 0, 0, 0, 2, 0, 1, Decimal("500.00"), 0),
        ("pia", "09:00", 0, 0, 2, 0, 0, 0, None, 0),
        ("pia", "all", 0, 0, 2, 0, 0, 0, None, 0),
        ("rita", "08:00", 4, 4, 0, 0, 0, 0, None, 0),
        ("rita", "all", 4, 4, 0, 0, 0, 0, None, 0),
        ("sam", "11:00", 0, 0, 0, 0, 1, 0, None, 0),
        ("sam", "all", 0, 0, 0, 0, 1, 0, None, 0),
        ("ALL", "all", 4, 4, 2, 2, 1, 1, Decimal("500.00"), 0),
    ]


def test_hours_are_the_warehouse_zones_even_half_an_hour_off_utc(history):
    # Kolkata is UTC+5:30: rita's 08:10 receipt is 13:40 there, her 08:40 putaway 14:10.
    clock.set_zone("Asia/Kolkata")
    rows = {(r[0], r[1]): r for r in productivity.productivity(BOTH).rows}
    assert rows[("rita", "13:00")][2:4] == (14, 0)
    assert rows[("rita", "14:00")][2:4] == (0, 14)
    assert rows[("rita", "17:00")][2:4] == (1, 0)   # 11:30 UTC
    assert rows[("pat", "15:00")][5] == 3           # 10:15 UTC
    assert rows[("pat", "16:00")][5] == 2           # 10:30 UTC
    assert ("pat", "10:00") not in rows


def test_an_empty_period_has_only_the_total_row(history):
    assert productivity.productivity(Period.of(dt.date(2026, 2, 1))).rows == [
        ("ALL", "all", 0, 0, 0, 0, 0, 0, None, 0)]


def test_a_receiving_scan_undone_is_not_counted_as_received(world, frozen_clock):
    """Rita receives 5 TENT, 2 damaged LAMP and 3 MUG, then takes the MUG scan back: the
    receipt says 7 units and so does her productivity (before, the undone 3 counted: 10)."""
    rita = Actor(None, "rita", "receiver", "desk-1")
    for sku in ("TENT", "LAMP", "MUG"):
        world.product(sku, barcode=f"BC-{sku}")
    ship = receiving.create_shipment("ACME", "ASN-P1", [("TENT", 5), ("LAMP", 2), ("MUG", 3)],
                                     actor=world.actor)
    frozen_clock.current = dt.datetime(2026, 3, 2, 10, 5)
    receiving.receive_scan(ship.id, "BC-TENT", qty=5, actor=rita)
    receiving.receive_scan(ship.id, "BC-LAMP", qty=2, damaged=True, actor=rita)
    receiving.receive_scan(ship.id, "BC-MUG", qty=3, actor=rita)
    frozen_clock.current = dt.datetime(2026, 3, 2, 11, 40)
    assert receiving.undo_receipt(ship.id, actor=rita).units == 3
    assert sum(ln.received + ln.damaged for ln in receiving.shipment_detail(ship.id).lines) == 7
    rows = productivity.productivity(MONDAY).rows
    assert rows == [("rita", "10:00", 7, 0, 0, 0, 0, 0, None, 0), ("rita", "all", 7, 0, 0, 0, 0, 0, None, 0),
                    ("ALL", "all", 7, 0, 0, 0, 0, 0, None, 0)]
    assert ledger.check().ok
