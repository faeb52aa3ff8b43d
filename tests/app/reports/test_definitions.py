"""When an order is due (cut-off, weekend, ship-by date, another time zone), the rates' and
hours' rounding, the percentiles, and a period in America/Los_Angeles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app import orders
from app.kernel import clock
from app.kernel.errors import ValidationError
from app.reports import definitions as d
from app.reports import trends
from app.reports.fulfillment import fulfillment
from app.reports.late import late
from app.reports.processing import processing_times
from app.reports.table import Period
from app.store import db, locale, settings

CUT = dt.time(14, 0)


def test_before_the_cut_off_an_order_is_due_at_the_end_of_that_day():
    # Monday 2026-03-02, UTC warehouse.
    assert d.due_at(dt.datetime(2026, 3, 2, 13, 59), None, cutoff=CUT) == dt.datetime(2026, 3, 3)
    assert d.due_at(dt.datetime(2026, 3, 2, 14, 0), None, cutoff=CUT) == dt.datetime(2026, 3, 4)


def test_after_friday_s_cut_off_or_on_a_weekend_it_is_due_on_monday_night():
    monday_night = dt.datetime(2026, 3, 10)
    assert d.due_at(dt.datetime(2026, 3, 6, 15, 0), None, cutoff=CUT) == monday_night  # Friday after
    assert d.due_at(dt.datetime(2026, 3, 7, 9, 0), None, cutoff=CUT) == monday_night   # Saturday morning
    assert d.due_at(dt.datetime(2026, 3, 8, 23, 0), None, cutoff=CUT) == monday_night  # Sunday night
    assert d.due_at(dt.datetime(2026, 3, 6, 13, 0), None, cutoff=CUT) == dt.datetime(2026, 3, 7)


def test_a_ship_by_date_decides_whatever_the_time_received():
    assert d.due_at(dt.datetime(2026, 3, 6, 15, 0), dt.date(2026, 3, 12)) == dt.datetime(2026, 3, 13)


def test_the_cut_off_setting_is_used_when_none_is_given(database, supervisor):
    settings.set_setting(locale.CUTOFF_KEY, "10:30", actor=supervisor)
    assert d.due_at(dt.datetime(2026, 3, 2, 10, 29), None) == dt.datetime(2026, 3, 3)
    assert d.due_at(dt.datetime(2026, 3, 2, 10, 30), None) == dt.datetime(2026, 3, 4)


def test_due_in_the_warehouse_s_zone():
    clock.set_zone("America/Los_Angeles")
    # 21:59 UTC is 13:59 PST: due at the end of Monday in Los Angeles, 08:00 UTC on Tuesday.
    assert d.due_at(dt.datetime(2026, 3, 2, 21, 59), None, cutoff=CUT) == dt.datetime(2026, 3, 3, 8, 0)
    # 23:00 UTC Friday is 15:00 PST: Monday 24:00 PDT (clocks go forward on 03-08) is 07:00 UTC.
    assert d.due_at(dt.datetime(2026, 3, 6, 23, 0), None, cutoff=CUT) == dt.datetime(2026, 3, 10, 7, 0)


def test_next_cut_off_and_the_late_horizon():
    assert d.next_cutoff(dt.datetime(2026, 3, 2, 10, 0), cutoff=CUT) == dt.datetime(2026, 3, 2, 14, 0)
    assert d.next_cutoff(dt.datetime(2026, 3, 6, 15, 0), cutoff=CUT) == dt.datetime(2026, 3, 9, 14, 0)
    assert d.late_horizon(dt.datetime(2026, 3, 6, 15, 0), cutoff=CUT) == dt.datetime(2026, 3, 10)


def test_rates_hours_and_percentiles():
    assert d.rate(7, 9) == Decimal("0.7778")
    assert d.rate(5, 9) == Decimal("0.5556")
    assert d.rate(1, 0) is None
    assert d.hours(22 * 3600 + 60) == Decimal("22.02")
    assert d.hours(90) == Decimal("0.03")   # 1.5 min rounds half up
    values = list(range(1, 11))
    assert d.median(values) == 5.5
    assert d.nearest_rank(values, 90) == 9
    assert d.nearest_rank([1, 2, 3, 4, 5, 6, 7], 90) == 7
    assert d.nearest_rank([4], 90) == 4


@pytest.fixture
def pacific(world, frozen_clock):
    """A Los Angeles warehouse: three orders around Monday 2026-03-02 local midnight."""
    settings.set_setting("timezone", "America/Los_Angeles", actor=world.actor)
    clock.set_zone("America/Los_Angeles")
    world.product("LA-1")
    for number, utc in (("LA1", dt.datetime(2026, 3, 2, 7, 59)),    # Sunday 23:59 PST
                        ("LA2", dt.datetime(2026, 3, 2, 8, 0)),     # Monday 00:00 PST
                        ("LA3", dt.datetime(2026, 3, 3, 7, 30))):   # Monday 23:30 PST
        frozen_clock.current = utc
        orders.create_order("ACME", number, [("LA-1", 1)], actor=world.actor)
    frozen_clock.current = dt.datetime(2026, 3, 4, 20, 0)
    return world


def test_a_period_in_los_angeles_counts_its_own_days(pacific):
    monday = Period.of(dt.date(2026, 3, 2))
    assert (monday.start, monday.end) == (dt.datetime(2026, 3, 2, 8, 0), dt.datetime(2026, 3, 3, 8, 0))
    assert fulfillment(monday).rows[-1][:4] == ("ALL", 2, 0, 2)
    days = trends.daily_trend(Period.of(dt.date(2026, 3, 1), dt.date(2026, 3, 3)))
    assert [(x.day.day, x.received) for x in days] == [(1, 1), (2, 2), (3, 0)]


def test_a_ship_by_date_past_the_calendar_s_reach_is_due_at_the_end_of_the_range(pacific):
    """A ship-by of 9999-12-31 (refused at entry now, stored by an older version) still lets
    the reports read: due at the range's end."""
    far = dt.date(9999, 12, 31)
    assert d.due_at(dt.datetime(2026, 3, 2, 9, 0), far) == dt.datetime(3000, 1, 1, 8, 0)
    assert d.due_at(dt.datetime(2026, 3, 2, 9, 0), dt.date(1, 1, 1)) == dt.datetime(1900, 1, 2, 8, 0)
    with pytest.raises(ValidationError, match="ship-by date 9999-12-31 is out of range"):
        orders.create_order("ACME", "FAR1", [("LA-1", 1)], actor=pacific.actor, ship_by=far)
    order = orders.create_order("ACME", "FAR1", [("LA-1", 1)], actor=pacific.actor)
    db.execute('UPDATE "order" SET ship_by = ? WHERE id = ?', (far, order.id))
    today = Period.of(dt.date(2026, 3, 4))
    assert fulfillment(today).rows[-1][:6] == ("ALL", 1, 0, 1, 0, 0)
    assert "FAR1" not in [r[1] for r in late(today).rows]
    assert {r[2] for r in processing_times(today).rows} == {0}  # nothing shipped yet


@pytest.mark.parametrize("zone", ["Etc/UTC", "America/Los_Angeles", "Asia/Kolkata"])
def test_dues_for_many_orders_agree_with_due_at(zone):
    """Every 37 minutes over three weeks around a daylight-saving change, in any order."""
    clock.set_zone(zone)
    dues = d.Dues(cutoff=CUT)
    times = [dt.datetime(2026, 2, 25) + dt.timedelta(minutes=37 * i) for i in range(820)]
    for at in times[::-1] + times:
        assert dues.due(at, None) == d.due_at(at, None, cutoff=CUT)
        assert dues.day(at) == clock.local_day(at)
    assert dues.due(times[0], dt.date(2026, 3, 9)) == d.day_end(dt.date(2026, 3, 9))
