"""The one clock every service reads, so tests can set the time instead of sleeping."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

_now: Callable[[], _dt.datetime] | None = None


def now() -> _dt.datetime:
    """Current time as a naive UTC datetime (how the database stores it)."""
    if _now is not None:
        return _now()
    return _dt.datetime.now(_dt.UTC).replace(tzinfo=None)


def today() -> _dt.date:
    return now().date()


def set_clock(fn: Callable[[], _dt.datetime] | None) -> None:
    """Replace the clock (tests); ``None`` restores the system clock."""
    global _now
    _now = fn


class FrozenClock:
    """A clock for tests: stands still until told to move."""

    def __init__(self, start: _dt.datetime) -> None:
        self.current = start

    def __call__(self) -> _dt.datetime:
        return self.current

    def advance(self, **delta: float) -> _dt.datetime:
        self.current = self.current + _dt.timedelta(**delta)
        return self.current
