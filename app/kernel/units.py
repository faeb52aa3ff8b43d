"""Weights and sizes as the warehouse reads and types them: metric (kg, cm) or US (lb, in).

The database keeps kilograms and centimetres; the `units` setting (``metric`` or ``us``)
says how every weight and size is shown, typed and printed.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

System = Literal["metric", "us"]
SYSTEMS: tuple[System, ...] = ("metric", "us")

KG_PER_LB = Decimal("0.45359237")
KG_PER_OZ = KG_PER_LB / 16
CM_PER_IN = Decimal("2.54")

_system: System = "metric"

_WEIGHT_UNITS = {"kg": Decimal(1), "g": Decimal("0.001"), "lb": KG_PER_LB, "lbs": KG_PER_LB,
                 "oz": KG_PER_OZ}
_LENGTH_UNITS = {"cm": Decimal(1), "mm": Decimal("0.1"), "m": Decimal(100), "in": CM_PER_IN,
                 '"': CM_PER_IN}
_AMOUNT = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*([a-zA-Z\"]*)\s*$")


def system_from_name(name: str) -> System:
    """``metric`` or ``us`` (also ``kg``/``cm`` and ``lb``/``in``).

    Raises:
        ValueError: anything else, in one line.
    """
    text = (name or "").strip().lower()
    if text in ("metric", "kg", "cm", "kg/cm", "si"):
        return "metric"
    if text in ("us", "imperial", "lb", "in", "lb/in"):
        return "us"
    raise ValueError(f"unknown units {name!r}: use metric (kg, cm) or us (lb, in)")


def set_system(name: str | None) -> None:
    """Show weights and sizes in ``name`` (``None``: metric)."""
    global _system
    _system = system_from_name(name) if name else "metric"


def system() -> System:
    return _system


def weight_unit() -> str:
    return "lb" if _system == "us" else "kg"


def length_unit() -> str:
    return "in" if _system == "us" else "cm"


def _dec(value: float | Decimal | int) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def weight_shown(kg: float | Decimal | int) -> Decimal:
    """A stored weight (kg) in the warehouse's unit, rounded for reading (2 decimals)."""
    value = _dec(kg)
    return _round(value / KG_PER_LB if _system == "us" else value, 2)


def length_shown(cm: float | Decimal | int) -> Decimal:
    """A stored length (cm) in the warehouse's unit (1 decimal)."""
    value = _dec(cm)
    return _round(value / CM_PER_IN if _system == "us" else value, 1)


def weight_text(kg: float | Decimal | int | None) -> str:
    """``2.20 lb`` or ``1.00 kg``; "" for no weight."""
    return "" if kg is None else f"{weight_shown(kg)} {weight_unit()}"


def length_text(cm: float | Decimal | int | None) -> str:
    return "" if cm is None else f"{length_shown(cm)} {length_unit()}"


def dimensions_text(length: float | None, width: float | None, height: float | None) -> str:
    """``12.0 x 8.0 x 4.0 in``; "" when a side is missing."""
    if length is None or width is None or height is None:
        return ""
    sides = " x ".join(str(length_shown(v)) for v in (length, width, height))
    return f"{sides} {length_unit()}"


def _parse(text: str, units: dict[str, Decimal], default: str, what: str) -> Decimal:
    match = _AMOUNT.match(text or "")
    if not match:
        raise ValueError(f"{what} {text!r} is not a number (e.g. 2.5 or 2.5 {default})")
    number, unit = match.group(1).replace(",", "."), match.group(2).lower() or default
    if unit not in units:
        raise ValueError(f"unknown {what} unit {match.group(2)!r}: use {', '.join(units)}")
    try:
        return Decimal(number) * units[unit]
    except InvalidOperation:
        raise ValueError(f"{what} {text!r} is not a number") from None


def parse_weight(text: str) -> Decimal:
    """A typed weight in kg for the database: a bare number is in the warehouse's unit;
    ``12 oz``, ``1.5 lb``, ``700 g`` or ``0.7 kg`` say their own.

    Raises:
        ValueError: not a weight, in one line.
    """
    return _parse(text, _WEIGHT_UNITS, weight_unit(), "weight")


def parse_length(text: str) -> Decimal:
    """A typed length in cm (a bare number is in the warehouse's unit)."""
    return _parse(text, _LENGTH_UNITS, length_unit(), "length")
