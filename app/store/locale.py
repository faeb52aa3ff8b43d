"""The warehouse's time zone and units, read from its settings when a database opens.

Both are warehouse-wide settings (``timezone``: an IANA name, unset = the computer's zone;
``units``: ``metric`` or ``us``), applied to the kernel's clock and units so that every
screen, document and day boundary of this process uses them.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from app.kernel import clock, units
from app.kernel.errors import ValidationError
from app.store.connection import execute

TIMEZONE_KEY = "timezone"
UNITS_KEY = "units"
CUTOFF_KEY = "cutoff"
DEFAULT_CUTOFF = "14:00"


# Files of the zone database that are not zones a warehouse is in: "localtime" is each
# computer's own setting, "Factory" a placeholder, posix*/right/* copies for other uses.
_NOT_ZONES = ("Factory", "localtime")
_NOT_ZONE_PREFIXES = ("posix", "right/")


@functools.cache
def timezone_names() -> frozenset[str]:
    """The IANA zone names the ``timezone`` setting accepts (the same on every computer)."""
    return frozenset(name for name in zoneinfo.available_timezones()
                     if name not in _NOT_ZONES and not name.startswith(_NOT_ZONE_PREFIXES))


def validate_timezone(value: str) -> str:
    """An IANA zone name as typed ("" for the computer's own zone).

    Raises:
        ValidationError: not a zone name of the IANA database, in one line.
    """
    text = value.strip()
    if text == "":
        return ""  # the computer's own zone
    try:
        clock.zone_from_name(text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if text not in timezone_names():
        raise ValidationError(f"{text!r} is not an IANA time zone name; give one such as "
                              "America/Los_Angeles or Europe/Berlin")
    return text


def validate_units(value: str) -> str:
    try:
        return units.system_from_name(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


def validate_cutoff(value: str) -> str:
    text = value.strip()
    try:
        parsed = dt.datetime.strptime(text, "%H:%M").time()
    except ValueError:
        raise ValidationError(f"cut-off {value!r} is a time of day as HH:MM, e.g. 14:00") from None
    return parsed.strftime("%H:%M")


VALIDATORS = {TIMEZONE_KEY: validate_timezone, UNITS_KEY: validate_units,
              CUTOFF_KEY: validate_cutoff}


def apply(key: str, value: str | None) -> None:
    """Put a changed locale setting into force in this process (other keys: nothing)."""
    if key == TIMEZONE_KEY:
        try:
            clock.set_zone(value or None)
        except ValueError:  # a value stored by an older version; fall back to the computer's
            clock.set_zone(None)
    elif key == UNITS_KEY:
        try:
            units.set_system(value or None)
        except ValueError:
            units.set_system(None)


def default_text(key: str) -> str | None:
    """What a locale setting is while it is not set (None for other keys): the computer's
    zone, metric units, the 14:00 cut-off."""
    return {TIMEZONE_KEY: clock.computer_zone_name(), UNITS_KEY: units.SYSTEMS[0],
            CUTOFF_KEY: DEFAULT_CUTOFF}.get(key)


def load() -> None:
    """Read the warehouse's zone and units from the open database."""
    rows = dict(execute("SELECT key, value FROM setting WHERE key IN (?, ?)",
                        (TIMEZONE_KEY, UNITS_KEY)).fetchall())
    for key in (TIMEZONE_KEY, UNITS_KEY):
        apply(key, rows.get(key))


def cutoff() -> dt.time:
    """The daily order cut-off (setting ``cutoff``, default 14:00) in warehouse time."""
    row = execute("SELECT value FROM setting WHERE key = ?", (CUTOFF_KEY,)).fetchone()
    try:
        return dt.datetime.strptime(row[0] if row else DEFAULT_CUTOFF, "%H:%M").time()
    except ValueError:
        return dt.time(14, 0)
