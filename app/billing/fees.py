"""The fees a client is billed, and money: prices to four decimals, amounts to cents.

A statement line's amount is its quantity times its price, rounded to two decimals half up;
the statement's total is the sum of its lines. Prices may have up to four decimals (storage
per unit and day is often a fraction of a cent).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from app.kernel.errors import ValidationError

# Fees counted from what the warehouse records, in the order a statement lists them.
RECEIVE_UNIT = "receive_unit"
ORDER = "order"
ORDER_EXTRA_UNIT = "order_extra_unit"
PACKAGE = "package"
RETURN_UNIT = "return_unit"
STORAGE_UNIT_DAY = "storage_unit_day"
STORAGE_BIN_DAY = "storage_bin_day"
# A product's prep services (``product.prep_services``) -> the fee billed per unit shipped.
PREP_FEES: dict[str, str] = {
    "label": "label_unit",
    "polybag": "polybag_unit",
    "bubble_wrap": "bubble_wrap_unit",
    "insert": "insert_unit",
    "bundle": "bundle",
}
FEES: tuple[str, ...] = (RECEIVE_UNIT, ORDER, ORDER_EXTRA_UNIT, PACKAGE, RETURN_UNIT, STORAGE_UNIT_DAY,
                         STORAGE_BIN_DAY, *PREP_FEES.values())
FEE_WORDS: dict[str, str] = {
    RECEIVE_UNIT: "units received (good and damaged)",
    ORDER: "orders shipped",
    ORDER_EXTRA_UNIT: "units of an order after its first",
    PACKAGE: "packages shipped",
    RETURN_UNIT: "units returned",
    STORAGE_UNIT_DAY: "units in stock at the end of each day",
    STORAGE_BIN_DAY: "bins holding stock at the end of each day",
    "label_unit": "units labelled",
    "polybag_unit": "units polybagged",
    "bubble_wrap_unit": "units bubble-wrapped",
    "insert_unit": "units with an insert",
    "bundle": "bundles",
}

# How a fee reads on the invoice and on the screen (the CSV keeps the codes, for machines).
FEE_TITLES: dict[str, str] = {
    RECEIVE_UNIT: "Receiving, per unit",
    ORDER: "Order handling, per order",
    ORDER_EXTRA_UNIT: "Pick and pack, per unit after an order's first",
    PACKAGE: "Packages shipped",
    RETURN_UNIT: "Returns processing, per unit",
    STORAGE_UNIT_DAY: "Storage, per unit per day",
    STORAGE_BIN_DAY: "Storage, per bin per day",
    "label_unit": "Labelling, per unit",
    "polybag_unit": "Polybagging, per unit",
    "bubble_wrap_unit": "Bubble wrap, per unit",
    "insert_unit": "Inserts, per unit",
    "bundle": "Bundling, per bundle",
}


def fee_title(fee: str) -> str:
    """A fee as people read it: its title, or a manual fee's name in words ("pallet_wrap" ->
    "Pallet wrap")."""
    return FEE_TITLES.get(fee) or fee.replace("_", " ").capitalize()


CURRENCY_KEY = "currency"
DEFAULT_CURRENCY = "USD"
CENT = Decimal("0.01")
PRICE_PLACES = Decimal("0.0001")
MAX_PRICE = Decimal("100000000")  # below 10^8 per unit: NUMERIC(14, 4)
_FEE_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
# An amount as people write it: digits with a decimal point, a minus sign at most (never
# the underscores, exponents or other scripts' digits Python's Decimal also reads).
_AMOUNT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
# What a missing value turns into when made text: never a fee's name.
_NO_NAMES = frozenset({"none", "null"})


def check_fee(name: str) -> str:
    """A fee's name: one of ``FEES`` or a manual fee's own word (lower case, digits, ``_``)."""
    text = (name if isinstance(name, str) else "").strip().lower()
    if not _FEE_NAME.fullmatch(text) or text in _NO_NAMES:
        raise ValidationError(f"fee {name!r} is not a fee name: one word of letters, digits and _ "
                              f"(at most 40), e.g. {', '.join(FEES[:3])}")
    if text == "total":
        raise ValidationError("'total' is not a fee name: a statement's last line is its total")
    return text


def parse_price(text: str | Decimal | int, what: str = "price", *, negative: bool = False) -> Decimal:
    """A price as typed (``0.35``, ``12``, ``0.0125``): at most four decimals, below 10^8.

    Raises:
        ValidationError: not a plain amount (digits, a point, a minus sign), more than four
            decimals, negative (unless allowed).
    """
    raw = text if isinstance(text, Decimal) else str(text).strip()
    if isinstance(raw, str) and not _AMOUNT.fullmatch(raw):
        raise ValidationError(f"{what} {str(text)!r} is not an amount (e.g. 0.35)")
    value = Decimal(raw)  # a plain amount by now: Decimal cannot refuse it
    if not value.is_finite():
        raise ValidationError(f"{what} {str(text)!r} is not an amount (e.g. 0.35)")
    if value != value.quantize(PRICE_PLACES, rounding=ROUND_HALF_UP):
        raise ValidationError(f"{what} {str(text)!r} has more than four decimals")
    if value < 0 and not negative:
        raise ValidationError(f"{what} {str(text)!r} is negative")
    if abs(value) >= MAX_PRICE:
        raise ValidationError(f"{what} {str(text)!r} is too large")
    return _unsigned_zero(value.quantize(PRICE_PLACES))


def _unsigned_zero(value: Decimal) -> Decimal:
    """``value``, with a zero never negative (``-0`` would show as ``-0.00``)."""
    return value.copy_abs() if value.is_zero() else value


def line_amount(qty: int, price: Decimal) -> Decimal:
    """``qty`` times ``price``, rounded to cents half up (per statement line)."""
    return (Decimal(qty) * price).quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(value: Decimal) -> str:
    """An amount with two decimals: ``12.30``."""
    return f"{_unsigned_zero(value.quantize(CENT, rounding=ROUND_HALF_UP)):.2f}"


def price_text(value: Decimal) -> str:
    """A price with two to four decimals, as typed: ``0.35``, ``0.0125``, ``2.00``."""
    text = f"{_unsigned_zero(value.quantize(PRICE_PLACES)):.4f}"
    while text.endswith("0") and len(text.split(".")[1]) > 2:
        text = text[:-1]
    return text
