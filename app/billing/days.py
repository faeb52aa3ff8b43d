"""The warehouse days of a billing period and the UTC instants that separate them."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from app.kernel import clock
from app.kernel.errors import ValidationError

MAX_DAYS = 3660  # a statement covers at most about ten years


@dataclass(frozen=True)
class Days:
    """``first`` to ``last`` in the warehouse's zone. ``bounds[k]`` is the start of day ``k``
    as naive UTC and ``bounds[-1]`` the end of the last day (DST days are 23 or 25 hours)."""

    first: dt.date
    last: dt.date
    bounds: tuple[dt.datetime, ...]

    @classmethod
    def of(cls, first: dt.date, last: dt.date) -> Days:
        """Raises ValidationError when ``last`` is before ``first``, a day is outside the
        warehouse's dates or the period is too long."""
        clock.check_period(first, last)
        count = (last - first).days + 1
        if count > MAX_DAYS:
            raise ValidationError(f"a statement covers at most {MAX_DAYS} days, not {count}")
        bounds = tuple(clock.day_start(first + dt.timedelta(days=k)) for k in range(count + 1))
        return cls(first, last, bounds)

    @property
    def start(self) -> dt.datetime:
        return self.bounds[0]

    @property
    def end(self) -> dt.datetime:
        return self.bounds[-1]

    def __len__(self) -> int:
        return len(self.bounds) - 1

    def ended(self) -> int:
        """How many of the days have ended by now (the warehouse's clock): 0 to ``len(self)``."""
        return max(0, bisect.bisect_right(self.bounds, clock.now()) - 1)

    def day(self, index: int) -> dt.date:
        return self.first + dt.timedelta(days=index)

    def index_of(self, when: object) -> int:
        """The day a stored time (naive UTC, as a datetime or the text SQLite returns) falls on."""
        value = when if isinstance(when, dt.datetime) else dt.datetime.fromisoformat(str(when))
        return bisect.bisect_right(self.bounds, value) - 1
