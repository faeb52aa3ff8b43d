"""The figures the Reports tab shows above its tables: headline tiles for a period, one point
per day for the trend charts, and the back-order aging bars."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from app.reports import cohort
from app.reports.backorders import AgeBucket, backorder_aging, units_short
from app.reports.definitions import hours, median, rate
from app.reports.late import past_due_count
from app.reports.table import Period
from app.store import db

__all__ = ["AgeBucket", "DayFigures", "Headline", "backorder_aging", "daily_trend", "headline", "overview"]


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


def _shipped_spans(c: cohort.Cohort) -> dict[dt.date, list[int]]:
    """Per day received, the seconds from received to shipped of the cohort's orders shipped
    complete, sorted."""
    rows = db.execute(c.sql + f"SELECT rc.day, {cohort.seconds('rc.shipped_at', 'rc.received_at')} FROM rc "
                      "WHERE rc.complete = 1", c.params).fetchall()
    if not rows:
        return {}
    days, spans = (list(col) for col in zip(*rows, strict=True))
    # The rows come day by day (the query walks the days): take each run as a slice.
    runs: dict[object, list[int]] = {}
    start = 0
    for i in range(1, len(days) + 1):
        if i == len(days) or days[i] != days[start]:
            runs.setdefault(days[start], []).extend(spans[start:i])
            start = i
    out: dict[dt.date, list[int]] = {}
    for day, values in runs.items():
        d = db.as_date(day)
        assert d is not None
        out[d] = sorted(values)
    return out


def _median_hours(values: list[int]) -> Decimal | None:
    """``values`` sorted."""
    return hours(Decimal(median(values))) if values else None


def headline(period: Period, *, client: str | None = None) -> Headline:
    """The tiles for ``period`` (late and back-ordered: open orders received by its end, now).

    Raises:
        NotFound: unknown client.
    """
    return overview(period, client=client)[0]


def _per_day(c: cohort.Cohort) -> dict[dt.date, tuple[int, int, int, int]]:
    """Per day received: (orders, cancelled, shipped complete, shipped on time)."""
    per: dict[dt.date, tuple[int, int, int, int]] = {}
    for day, n, cancelled, complete, on_time in db.execute(
            c.sql + f"SELECT rc.day, COUNT(*), SUM(CASE WHEN rc.status = '{cohort.CANCELLED}' THEN 1 ELSE 0 END), "
            "SUM(rc.complete), SUM(CASE WHEN rc.complete = 1 AND rc.shipped_at <= rc.due THEN 1 ELSE 0 END) "
            "FROM rc GROUP BY rc.day", c.params).fetchall():
        d = db.as_date(day)
        assert d is not None
        per[d] = (int(n), int(cancelled or 0), int(complete or 0), int(on_time or 0))
    return per


def _days(period: Period, per: dict[dt.date, tuple[int, int, int, int]],
          spans: dict[dt.date, list[int]]) -> list[DayFigures]:
    out = []
    for day in period.days():
        n, cancelled, complete, on_time = per.get(day, (0, 0, 0, 0))
        out.append(DayFigures(day, n, complete, rate(complete, n - cancelled), rate(on_time, n - cancelled),
                              _median_hours(spans.get(day, []))))
    return out


def daily_trend(period: Period, *, client: str | None = None) -> list[DayFigures]:
    """One entry per day of the period, first day first (days without orders included).

    Raises:
        NotFound: unknown client.
    """
    c = cohort.received(period, cohort.client_id(client))
    return _days(period, _per_day(c), _shipped_spans(c))


def overview(period: Period, *, client: str | None = None) -> tuple[Headline, list[DayFigures]]:
    """``headline`` and ``daily_trend`` together, as the Reports tab shows them: the period's
    orders are read twice (per day, and their times to shipping) instead of four times; the
    period's figures are the days' added up, its median that of all the days' times.

    Raises:
        NotFound: unknown client.
    """
    c = cohort.received(period, cohort.client_id(client))
    per, spans = _per_day(c), _shipped_spans(c)
    n, cancelled, complete, on_time = (sum(figures[i] for figures in per.values()) for i in range(4))
    everything = sorted(value for values in spans.values() for value in values)
    head = Headline(rate(complete, n - cancelled), rate(on_time, n - cancelled), _median_hours(everything),
                    past_due_count(period, client=client), units_short(period, client=client))
    return head, _days(period, per, spans)
