"""The warehouse's time zone and units, read from its settings when a database opens.

Both are warehouse-wide settings (``timezone``: an IANA name, unset = the computer's zone;
``units``: ``metric`` or ``us``), applied to the kernel's clock and units so that every
screen, document and day boundary of this process uses them.
"""

from __future__ import annotations

import datetime as dt

from app.kernel import clock, units
from app.kernel.errors import ValidationError
from app.store.connection import execute

TIMEZONE_KEY = "timezone"
UNITS_KEY = "units"
CUTOFF_KEY = "cutoff"
DEFAULT_CUTOFF = "14:00"


def validate_timezone(value: str) -> str:
    text = value.strip()
    if text == "":
        return ""  # the computer's own zone
    try:
        clock.zone_from_name(text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
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
