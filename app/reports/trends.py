"""The figures the Reports tab shows above its tables: headline tiles for a period, one point
per day for the trend charts, and the back-order aging bars."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from app.reports import cohort
from app.reports.backorders import AgeBucket, backorder_aging, backordered_products
from app.reports.definitions import hours, median, rate
from app.reports.fulfillment import counts
from app.reports.late import late_orders
from app.reports.processing import durations
from app.reports.table import Period
from app.store import db

__all__ = ["AgeBucket", "DayFigures", "Headline", "backorder_aging", "daily_trend", "headline"]


@dataclass(frozen=True)
class Headline:
    """The period's tiles. Rates are fractions with 4 decimals (None: no order counted)."""

    fulfillment_rate: Decimal | None
    on_time_rate: Decimal | None
    median_processing_hours: Decimal | None  # received to shipped, orders shipped complete
    late_now: int                            # open orders past due now
    backordered_units: int                   # units short of open orders now


@dataclass(frozen=True)
class DayFigures:
    """One warehouse day of the period: the orders received that day and how they went by the
    period's end (or now)."""

    day: dt.date
    received: int
    shipped_complete: int
    fulfillment_rate: Decimal | None
    on_time_rate: Decimal | None
    median_hours: Decimal | None  # received to shipped


def headline(period: Period, *, client: str | None = None) -> Headline:
    """The tiles for ``period`` (late and back-ordered: open orders received by its end, now).

    Raises:
        NotFound: unknown client.
    """
    total = counts(period, client=client)[-1]
    spans = sorted(s for lists in durations(period, client=client).values() for s in lists[0])
    late = sum(1 for o in late_orders(period, client=client) if o.past_due)
    short = sum(p.units_short for p in backordered_products(period, client=client))
    return Headline(total.fulfillment_rate, total.on_time_rate,
                    hours(Decimal(median(spans))) if spans else None, late, short)


def daily_trend(period: Period, *, client: str | None = None) -> list[DayFigures]:
    """One entry per day of the period, first day first (days without orders included).

    Raises:
        NotFound: unknown client.
    """
    cid = cohort.client_id(client)
    c = cohort.received(period, cid)
    per: dict[dt.date, tuple[int, int, int, int]] = {}
    spans: dict[dt.date, list[int]] = {}
    for day, n, cancelled, complete, on_time in db.execute(
            c.sql + f"SELECT rc.day, COUNT(*), SUM(CASE WHEN rc.status = '{cohort.CANCELLED}' THEN 1 ELSE 0 END), "
            "SUM(rc.complete), SUM(CASE WHEN rc.complete = 1 AND rc.shipped_at <= rc.due THEN 1 ELSE 0 END) "
            "FROM rc GROUP BY rc.day", c.params).fetchall():
        d = db.as_date(day)
        assert d is not None
        per[d] = (int(n), int(cancelled or 0), int(complete or 0), int(on_time or 0))
    for day, secs in db.execute(
            c.sql + f"SELECT rc.day, {cohort.seconds('rc.shipped_at', 'rc.received_at')} FROM rc "
            "WHERE rc.complete = 1", c.params).fetchall():
        d = db.as_date(day)
        assert d is not None
        spans.setdefault(d, []).append(int(secs))
    out = []
    for day in period.days():
        n, cancelled, complete, on_time = per.get(day, (0, 0, 0, 0))
        values = sorted(spans.get(day, []))
        out.append(DayFigures(day, n, complete, rate(complete, n - cancelled), rate(on_time, n - cancelled),
                              hours(Decimal(median(values))) if values else None))
    return out
