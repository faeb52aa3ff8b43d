"""The one clock every service reads, so tests can set the time instead of sleeping."""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tzlocal

from app.kernel.errors import ValidationError

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


@contextlib.contextmanager
def running_on(fn: Callable[[], _dt.datetime]) -> Iterator[None]:
    """Within the block ``fn`` is the clock (a demo's history at its times of day); the clock
    in force before comes back afterwards, whatever it was."""
    global _now
    before = _now
    _now = fn
    try:
        yield
    finally:
        _now = before


class FrozenClock:
    """A clock for tests: stands still until told to move."""

    def __init__(self, start: _dt.datetime) -> None:
        self.current = start

    def __call__(self) -> _dt.datetime:
        return self.current

    def advance(self, **delta: float) -> _dt.datetime:
        self.current = self.current + _dt.timedelta(**delta)
        return self.current


# --- The warehouse's time zone -------------------------------------------------------------
# The database keeps naive UTC; everything a person reads, and every day boundary ("today",
# a report's period, a storage day, a back-order's ETA), is in the warehouse's zone: the
# `timezone` setting, or the computer's own zone when it is unset.

_zone: ZoneInfo | None = None


def computer_zone_name() -> str:
    """The IANA name of this computer's time zone ("Etc/UTC" when it cannot be told)."""
    try:
        name = tzlocal.get_localzone_name()
    except (ValueError, LookupError, OSError):  # an unreadable or odd system setting
        return "Etc/UTC"
    return name or "Etc/UTC"


def zone_from_name(name: str) -> ZoneInfo:
    """The zone for an IANA name such as ``America/Los_Angeles``.

    Raises:
        ValueError: an unknown or malformed name, in one line for the person who typed it.
    """
    text = (name or "").strip()
    if not text:
        raise ValueError("time zone is empty; give an IANA name such as America/Los_Angeles")
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone {text!r}; give an IANA name such as "
                         "America/Los_Angeles or Europe/Berlin") from None


def set_zone(name: str | None) -> None:
    """Use ``name`` as the warehouse's zone (``None`` or empty: the computer's zone)."""
    global _zone
    _zone = zone_from_name(name) if name else None


def zone() -> ZoneInfo:
    """The warehouse's time zone."""
    if _zone is not None:
        return _zone
    try:
        return ZoneInfo(computer_zone_name())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo("Etc/UTC")


def to_local(value: _dt.datetime) -> _dt.datetime:
    """A stored (naive UTC) time as an aware time in the warehouse's zone."""
    aware = value if value.tzinfo else value.replace(tzinfo=_dt.UTC)
    return aware.astimezone(zone())


def to_utc(value: _dt.datetime) -> _dt.datetime:
    """A warehouse-local time (naive = in the warehouse's zone) as naive UTC for the database."""
    aware = value if value.tzinfo else value.replace(tzinfo=zone())
    return aware.astimezone(_dt.UTC).replace(tzinfo=None)


def local_now() -> _dt.datetime:
    return to_local(now())


def local_today() -> _dt.date:
    """Today in the warehouse (not the UTC date: a Pacific shift's day ends at local midnight)."""
    return local_now().date()


# The dates a period, a report day or a statement may name: a typing slip such as 9999-12-31
# cannot be turned into a UTC instant (the day after it, or its midnight in a zone ahead of
# UTC, is past the calendar's end), so it is refused in words instead.
FIRST_DAY = _dt.date(1900, 1, 1)
LAST_DAY = _dt.date(2999, 12, 31)


def until_next_day() -> _dt.timedelta:
    """How long until the warehouse's next local midnight (a DST day is 23 or 25 hours)."""
    return day_start(local_today() + _dt.timedelta(days=1)) - now()


def check_period(first: _dt.date, last: _dt.date) -> None:
    """Refuse a period that ends before it starts or names a day outside the warehouse's range.

    Raises:
        ValidationError: in one line naming the day refused.
    """
    for day in (first, last):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(f"{day} is out of range: dates run from {FIRST_DAY} to {LAST_DAY}")
    if last < first:
        raise ValidationError(f"the period ends ({last}) before it starts ({first})")


def day_start(day: _dt.date) -> _dt.datetime:
    """Local midnight at the start of ``day``, as naive UTC (DST days are 23 or 25 hours).

    ``day`` may be the day after ``LAST_DAY`` (the end of the last day).

    Raises:
        ValidationError: ``day`` outside the warehouse's range.
    """
    if day != LAST_DAY + _dt.timedelta(days=1):
        check_period(day, day)
    return to_utc(_dt.datetime.combine(day, _dt.time()))


def period(first: _dt.date, last: _dt.date) -> tuple[_dt.datetime, _dt.datetime]:
    """``first`` 00:00 to ``last`` 24:00 in the warehouse's zone, as naive UTC [start, end).

    Raises:
        ValidationError: ``last`` before ``first``, or a day outside the warehouse's range.
    """
    check_period(first, last)
    return day_start(first), day_start(last + _dt.timedelta(days=1))


def local_day(value: _dt.datetime) -> _dt.date:
    """The warehouse day a stored (naive UTC) time falls on."""
    return to_local(value).date()


_CLOCK_FIELDS = ("%H", "%I", "%M", "%S", "%X", "%c", "%T", "%R")


def local_text(value: _dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time as the warehouse reads it ("" for none).

    In the hour a DST change repeats, the same wall time comes twice: a time of day shown
    there names its zone's abbreviation ("2026-11-01 01:50 EDT", then "01:10 EST"), so the
    two read in their real order. Any other time stays short.
    """
    if not value:
        return ""
    local = to_local(value)
    if _repeated(local) and "%Z" not in fmt and any(f in fmt for f in _CLOCK_FIELDS):
        fmt += " %Z"
    return local.strftime(fmt)


def _repeated(local: _dt.datetime) -> bool:
    """Whether the wall time of ``local`` comes twice in its zone (the hour a DST change repeats)."""
    return local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()
