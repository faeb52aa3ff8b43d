"""What every supervisor report returns: a titled table of plain rows over a period.

The Reports tab and ``main.py report NAME`` call the same report function and show or write
the same ``Table``; CSV is written from it (formula-safe) by the caller.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from app.kernel import clock

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Period:
    """``first`` 00:00 to ``last`` 24:00 in the warehouse's zone; ``start``/``end`` are naive
    UTC for queries (``start`` <= created_at < ``end``)."""

    first: dt.date
    last: dt.date
    start: dt.datetime
    end: dt.datetime

    @classmethod
    def of(cls, first: dt.date, last: dt.date | None = None) -> Period:
        """The period from ``first`` to ``last`` (default: the same day).

        Raises:
            ValidationError: ``last`` before ``first``, or a day outside the warehouse's dates.
        """
        last = last or first
        start, end = clock.period(first, last)
        return cls(first, last, start, end)

    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range((self.last - self.first).days + 1)]


@dataclass(frozen=True)
class Table:
    """One report: ``columns`` are the CSV header, ``rows`` hold plain values (rates as
    ``Decimal`` fractions, hours as ``Decimal`` with 2 decimals)."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    notes: tuple[str, ...] = field(default=())  # definitions shown under the table
