"""What the supervisor figures mean: when an order is due, shipped complete, on time.

Times are stored as naive UTC; days, the cut-off and working days are the warehouse's
(setting ``timezone``). The functions here are plain and small so the reports, the screen
and the tests agree on one meaning.

- An order is **received** when it entered PrepDesk (import or manual entry).
- It is **due** at the end of its ship-by date; without one, at the end of the day it was
  received when that is a working day (Monday to Friday) and it came before the cut-off
  (setting ``cutoff``, default 14:00), else at the end of the next working day.
- **Shipped complete**: every ordered unit shipped, at or before the period's end (or now,
  if earlier). **On time**: shipped complete at or before due.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_right
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from app.kernel import clock
from app.store import locale

RATE = Decimal("0.0001")
HOURS = Decimal("0.01")

DEFINITIONS = (
    "Period: the first day 00:00 to the last day 24:00 in the warehouse's time zone.",
    "Received: the order entered PrepDesk (import or manual entry) in the period; "
    "cancelled orders are listed and left out of every rate.",
    "Due: the end of the ship-by date; without one, the end of the day received when it came on a "
    "working day before the cut-off, else the end of the next working day (Monday to Friday).",
    "Shipped complete: every ordered unit shipped by the period's end (or now, if earlier). "
    "On time: shipped complete at or before due.",
    "Fulfillment rate = shipped complete / counted; on-time rate = shipped on time / counted; "
    "line fill = lines fully shipped / lines; unit fill = units shipped / units ordered.",
    "Processing times: orders shipped complete, received to shipped and per stage; median, "
    "90th percentile (nearest rank) and maximum, in hours.",
)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday."""
    return day.weekday() < 5


def next_working_day(day: dt.date) -> dt.date:
    """The first working day after ``day``."""
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def day_end(day: dt.date) -> dt.datetime:
    """The end of a warehouse day (its 24:00) as naive UTC; a stored date outside the
    warehouse's dates (a ship-by typed as 9999-12-31) counts as the first or last of them."""
    day = min(max(day, clock.FIRST_DAY), clock.LAST_DAY)
    return clock.day_start(day + dt.timedelta(days=1))


def due_at(received_at: dt.datetime, ship_by: dt.date | None, *, cutoff: dt.time | None = None) -> dt.datetime:
    """When an order is due, as naive UTC.

    Args:
        received_at: when it entered PrepDesk (naive UTC).
        ship_by: its ship-by date, if it has one.
        cutoff: the daily cut-off in warehouse time (default: the setting).
    """
    if ship_by is not None:
        return day_end(ship_by)
    local = clock.to_local(received_at).replace(tzinfo=None)
    cut = cutoff if cutoff is not None else locale.cutoff()
    if is_working_day(local.date()) and local.time() < cut:
        return day_end(local.date())
    return day_end(next_working_day(local.date()))


def next_cutoff(now: dt.datetime, *, cutoff: dt.time | None = None) -> dt.datetime:
    """The next cut-off after ``now`` on a working day, as naive UTC."""
    cut = cutoff if cutoff is not None else locale.cutoff()
    day = clock.to_local(now).date()
    while True:
        at = clock.to_utc(dt.datetime.combine(day, cut))
        if is_working_day(day) and at > now:
            return at
        day += dt.timedelta(days=1)


def late_horizon(now: dt.datetime, *, cutoff: dt.time | None = None) -> dt.datetime:
    """Orders due before this (naive UTC) need to leave with the next cut-off: the end of the
    warehouse day of the next cut-off."""
    return day_end(clock.local_day(next_cutoff(now, cutoff=cutoff)))


class DayTerms(NamedTuple):
    """One warehouse day as naive UTC: its start, cut-off and end, and when an order received
    that day is due if it came before the cut-off or after it. A day off has its cut-off at
    its start."""

    day: dt.date
    start: dt.datetime
    cut: dt.datetime
    end: dt.datetime
    due_in: dt.datetime
    due_out: dt.datetime


def day_terms(days: Sequence[dt.date], *, cutoff: dt.time | None = None) -> list[DayTerms]:
    """The terms of each of ``days``, for reports that work out "due" in SQL."""
    cut = cutoff if cutoff is not None else locale.cutoff()
    out = []
    for day in days:
        lo, hi = clock.day_start(day), day_end(day)
        at = clock.to_utc(dt.datetime.combine(day, cut)) if is_working_day(day) else lo
        out.append(DayTerms(day, lo, at, hi, hi, day_end(next_working_day(day))))
    return out


class Dues:
    """``due_at`` and the warehouse day for many orders at once: each day's bounds and cut-off
    are worked out once (no time-zone conversion per order)."""

    def __init__(self, *, cutoff: dt.time | None = None) -> None:
        self.cutoff = cutoff if cutoff is not None else locale.cutoff()
        self._days: list[dt.date] = []
        self._starts: list[dt.datetime] = []
        self._terms: list[DayTerms] = []
        self._ship_by: dict[dt.date, dt.datetime] = {}

    def _index(self, at: dt.datetime) -> int:
        if not self._days or at < self._starts[0] or at >= self._terms[-1].end:
            day = clock.local_day(at)
            first, last = (min(day, self._days[0]), max(day, self._days[-1])) if self._days else (day, day)
            self._days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
            self._terms = day_terms(self._days, cutoff=self.cutoff)
            self._starts = [t.start for t in self._terms]
        return bisect_right(self._starts, at) - 1

    def day(self, at: dt.datetime) -> dt.date:
        """The warehouse day of a stored (naive UTC) time."""
        i = self._index(at)  # first: it may extend the days
        return self._days[i]

    def due(self, received_at: dt.datetime, ship_by: dt.date | None) -> dt.datetime:
        """The same as ``due_at(received_at, ship_by)``."""
        if ship_by is not None:
            if ship_by not in self._ship_by:
                self._ship_by[ship_by] = day_end(ship_by)
            return self._ship_by[ship_by]
        i = self._index(received_at)
        t = self._terms[i]
        return t.due_in if received_at < t.cut else t.due_out


def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a fraction with 4 decimals (None when ``whole`` is 0)."""
    if whole <= 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATE, ROUND_HALF_UP)


def hours(seconds: float | Decimal) -> Decimal:
    """Seconds as hours with 2 decimals."""
    return (Decimal(seconds) / Decimal(3600)).quantize(HOURS, ROUND_HALF_UP)


def median(sorted_values: Sequence[float]) -> float:
    """The median of sorted values (the mean of the middle two for an even count)."""
    n = len(sorted_values)
    mid = n // 2
    return sorted_values[mid] if n % 2 else (sorted_values[mid - 1] + sorted_values[mid]) / 2


def nearest_rank(sorted_values: Sequence[float], pct: int) -> float:
    """The ``pct``-th percentile by nearest rank: the value at rank ceil(pct/100 * n)."""
    n = len(sorted_values)
    return sorted_values[max(1, math.ceil(pct * n / 100)) - 1]
