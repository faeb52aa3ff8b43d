"""The packing station's warehouse settings: GS1 company prefix, SSCC numbers, typed units."""

from __future__ import annotations

from app.kernel.actor import Actor
from app.kernel.barcodes import make_sscc
from app.kernel.errors import ValidationError
from app.store import settings
from app.store.settings import Validator, get_setting, next_sequence

GS1_PREFIX_KEY = "gs1_company_prefix"
SSCC_EXTENSION_KEY = "sscc_extension_digit"
# GS1's own documentation example prefix: labels print, but they are not yours until the
# warehouse's real prefix is set (``setting set gs1_company_prefix NNNNNNN``).
DEFAULT_GS1_PREFIX = "0614141"
SSCC_SEQUENCE = "sscc"

# "allow": a unit code typed by hand verifies the unit (for a scanner so slow that the
# station takes its keys for a person's); default "refuse".
TYPED_UNITS_KEY = "packing_typed_units"


def _validate_prefix(value: str) -> str:
    value = value.strip()
    if not value.isdigit() or not 6 <= len(value) <= 12:
        raise ValidationError(f"GS1 company prefix must be 6 to 12 digits, not {value!r}")
    return value


def _validate_extension(value: str) -> str:
    value = value.strip()
    if len(value) != 1 or not value.isdigit():
        raise ValidationError(f"SSCC extension digit must be one digit 0-9, not {value!r}")
    return value


def _validate_typed_units(value: str) -> str:
    value = value.strip().lower()
    if value not in ("allow", "refuse"):
        raise ValidationError(f"{TYPED_UNITS_KEY} is 'allow' or 'refuse', not {value!r}")
    return value


SETTING_VALIDATORS: dict[str, Validator] = {
    GS1_PREFIX_KEY: _validate_prefix,
    SSCC_EXTENSION_KEY: _validate_extension,
    TYPED_UNITS_KEY: _validate_typed_units,
}


def set_setting(key: str, value: str, *, actor: Actor) -> str:
    """Set a warehouse-wide setting (supervisors only); the packing keys are validated.

    Raises:
        PermissionDenied: not a supervisor.
        ValidationError: empty key, or a value a known key does not accept.
    """
    return settings.set_setting(key, value, actor=actor, validate=SETTING_VALIDATORS.get(key.strip()))


def gs1_company_prefix() -> str:
    """The warehouse's GS1 company prefix (GS1's example prefix until one is set)."""
    return get_setting(GS1_PREFIX_KEY) or DEFAULT_GS1_PREFIX


def typed_units_allowed() -> bool:
    """Whether a unit code typed by hand verifies the unit (``packing_typed_units allow``)."""
    return get_setting(TYPED_UNITS_KEY) == "allow"


def new_sscc() -> str:
    """The next carton's SSCC (call inside the caller's transaction: it takes a number)."""
    prefix = gs1_company_prefix()
    extension = int(get_setting(SSCC_EXTENSION_KEY) or "0")
    return make_sscc(extension, prefix, next_sequence(SSCC_SEQUENCE))
