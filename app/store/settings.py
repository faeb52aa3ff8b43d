"""Warehouse-wide settings and named counters, shared by every station."""

from __future__ import annotations

from collections.abc import Callable

from app.kernel.actor import Actor
from app.kernel.errors import ValidationError
from app.store import audit, changes, db, locale
from app.store.models import Setting

# A validator takes the typed value and returns the one to store (or raises ValidationError).
Validator = Callable[[str], str]

BACKUP_KEEP_DAYS_KEY = "backup_keep_days"
MAX_KEEP_DAYS = 3650


def validate_keep_days(value: str) -> str:
    """``backup_keep_days``: how many days of daily copies are kept, 1 to 3650."""
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_KEEP_DAYS:
        raise ValidationError(f"backup keep days must be a whole number of days from 1 to {MAX_KEEP_DAYS}, "
                              f"not {text[:24]!r}")
    return str(int(text))


# The keys the store itself owns (time zone, units, cut-off, backups), checked whoever sets them.
STORE_VALIDATORS: dict[str, Validator] = {**locale.VALIDATORS, BACKUP_KEEP_DAYS_KEY: validate_keep_days}


def get_setting(key: str, default: str | None = None) -> str | None:
    """A warehouse-wide setting (shared by every station), or ``default`` if unset."""
    row = db.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_setting(key: str, value: str, *, actor: Actor, validate: Validator | None = None) -> str:
    """Set a warehouse-wide setting (supervisors only).

    Args:
        key: one word of at most 100 characters.
        value: the new value (stripped unless ``validate`` says otherwise).
        actor: who changes it (a supervisor).
        validate: the area's check of this key's values, if it has one.

    Returns:
        The value stored.

    Raises:
        PermissionDenied: not a supervisor.
        ValidationError: empty key, or a value ``validate`` does not accept.
    """
    actor.require_to("change warehouse settings")
    key = key.strip()
    if not key or len(key) > 100 or any(ch.isspace() for ch in key):
        raise ValidationError(f"setting name {key!r} must be one word of at most 100 characters")
    validate = validate or STORE_VALIDATORS.get(key)
    value = validate(value) if validate else value.strip()
    with db.write():
        old = get_setting(key)
        Setting.insert(key=key, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}).execute()
        audit.record("setting_changed", actor=actor, detail=f"{key}: {old!r} -> {value!r}")
        changes.changed("setting")  # every station's screens: the zone and units now in force
    locale.apply(key, value)
    return value


def next_sequence(name: str) -> int:
    """The next value of a named counter (call inside the caller's transaction)."""
    db.execute('INSERT INTO "sequence" (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING', (name,))
    row = db.execute('UPDATE "sequence" SET value = value + 1 WHERE name = ? RETURNING value',
                     (name,)).fetchone()
    return int(row[0])

