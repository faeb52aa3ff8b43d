"""Rate cards: each client's price per fee from a warehouse day on, and the warehouse's own
billing settings (currency, name and address printed on statements).

A new price never overwrites history: it applies to activity from its date on, so a
statement of an earlier period still uses the price in force then. Setting a fee again for
the same date replaces that date's price (the change is audited).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from app.billing.fees import (
    CURRENCY_KEY,
    DEFAULT_CURRENCY,
    FEES,
    check_fee,
    parse_price,
    price_text,
)
from app.catalog.products import client_by_code
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import ValidationError
from app.kernel.text import check_text
from app.store import audit, db
from app.store.billing_models import Rate
from app.store.settings import get_setting, set_setting

WAREHOUSE_NAME_KEY = "warehouse_name"
WAREHOUSE_ADDRESS_KEY = "warehouse_address"


@dataclass(frozen=True)
class RateRow:
    """One price of a card: ``amount`` per unit of ``fee`` from ``effective_from`` on."""

    fee: str
    amount: Decimal
    effective_from: dt.date
    created_by: str

    @property
    def amount_text(self) -> str:
        return price_text(self.amount)


@dataclass(frozen=True)
class RateCard:
    """A client's card: the prices in force on ``day`` and every price ever set."""

    client_code: str
    client_name: str
    day: dt.date
    in_force: tuple[RateRow, ...]  # one per fee, in fee order
    history: tuple[RateRow, ...]   # every price, by fee then date


def fee_order(fee: str) -> tuple[int, str]:
    """Sort key: the standard fees in their order, then manual fees by name."""
    return (FEES.index(fee), "") if fee in FEES else (len(FEES), fee)


def parse_rate_settings(pairs: list[str] | tuple[str, ...]) -> dict[str, Decimal]:
    """``FEE=AMOUNT`` texts as a dict (a fee named twice is a mistake, not the last one wins).

    Raises:
        ValidationError: not ``FEE=AMOUNT``, a bad fee name or amount, a fee given twice.
    """
    out: dict[str, Decimal] = {}
    for pair in pairs:
        fee, sep, amount = pair.partition("=")
        if not sep or not fee.strip() or not amount.strip():
            raise ValidationError(f"--set {pair!r}: write FEE=AMOUNT, e.g. receive_unit=0.35")
        name = check_fee(fee)
        if name in out:
            raise ValidationError(f"fee {name} is given twice")
        out[name] = parse_price(amount, f"price of {name}")
    return out


def set_rates(client: str, prices: Mapping[str, Decimal | str], *, effective_from: dt.date | None = None,
              actor: Actor) -> RateCard:
    """Set prices on a client's card from ``effective_from`` (default: today in the warehouse) on.

    Raises:
        PermissionDenied: not a supervisor. NotFound: no such client.
        ValidationError: no price given, a bad fee name or price.
    """
    actor.require_to("set rates")
    if not prices:
        raise ValidationError("give at least one price: FEE=AMOUNT")
    checked = {check_fee(fee): parse_price(value, f"price of {fee}") for fee, value in prices.items()}
    day = effective_from or clock.local_today()
    with db.write():
        c = client_by_code(client)
        for fee, amount in checked.items():
            Rate.insert(client=c.id, fee=fee, amount=amount, effective_from=day, created_by=actor.name,
                        created_at=clock.now()).on_conflict(
                conflict_target=[Rate.client, Rate.fee, Rate.effective_from],
                update={Rate.amount: amount, Rate.created_by: actor.name, Rate.created_at: clock.now()},
            ).execute()
        audit.record("rates_set", actor=actor, client_id=c.id,
                     detail=f"from {day}: " + ", ".join(f"{f}={price_text(a)}" for f, a in checked.items()))
    return rate_card(client, day=day)


def rate_card(client: str, *, day: dt.date | None = None) -> RateCard:
    """The client's prices in force on ``day`` (default: today) and the card's whole history."""
    c = client_by_code(client)
    day = day or clock.local_today()
    history = sorted((RateRow(r.fee, Decimal(r.amount), _as_date(r.effective_from), r.created_by)
                      for r in Rate.select().where(Rate.client == c.id)),
                     key=lambda r: (fee_order(r.fee), r.effective_from))
    in_force: dict[str, RateRow] = {}
    for row in history:
        if row.effective_from <= day:
            in_force[row.fee] = row
    return RateCard(c.code, c.name, day, tuple(sorted(in_force.values(), key=lambda r: fee_order(r.fee))),
                    tuple(history))


def prices_by_fee(client_id: int) -> dict[str, list[tuple[dt.date, Decimal]]]:
    """Every price of the client's card, per fee, by date (for pricing a period's days)."""
    out: dict[str, list[tuple[dt.date, Decimal]]] = {}
    for fee, amount, day in db.execute(
            "SELECT fee, amount, effective_from FROM rate WHERE client_id = ? ORDER BY fee, effective_from",
            (client_id,)).fetchall():
        out.setdefault(fee, []).append((_as_date(day), Decimal(str(amount)).quantize(Decimal("0.0001"))))
    return out


def price_on(prices: list[tuple[dt.date, Decimal]], day: dt.date) -> tuple[dt.date, Decimal] | None:
    """The price in force on ``day`` (the latest set on or before it), with its date; None if none."""
    found = None
    for since, amount in prices:
        if since > day:
            break
        found = (since, amount)
    return found


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# --- the warehouse's billing settings -------------------------------------------------------


def validate_currency(value: str) -> str:
    text = value.strip().upper()
    if len(text) != 3 or not text.isascii() or not text.isalpha():
        raise ValidationError(f"currency {value!r} is a three-letter code such as USD, EUR, CAD")
    return text


def validate_warehouse_name(value: str) -> str:
    text = check_text(value.strip(), "warehouse name")
    if len(text) > 200:
        raise ValidationError("the warehouse name is at most 200 characters")
    return text


def validate_warehouse_address(value: str) -> str:
    text = check_text(value.strip(), "warehouse address", multiline=True)
    if len(text) > 500 or text.count("\n") > 5:
        raise ValidationError("the warehouse address is at most 6 lines and 500 characters")
    return text


BILLING_SETTINGS = {CURRENCY_KEY: validate_currency, WAREHOUSE_NAME_KEY: validate_warehouse_name,
                    WAREHOUSE_ADDRESS_KEY: validate_warehouse_address}


def set_billing_setting(key: str, value: str, *, actor: Actor) -> str:
    """Set ``currency``, ``warehouse_name`` or ``warehouse_address`` (a supervisor)."""
    if key not in BILLING_SETTINGS:
        raise ValidationError(f"{key!r} is not a billing setting ({', '.join(BILLING_SETTINGS)})")
    return set_setting(key, value, actor=actor, validate=BILLING_SETTINGS[key])


def currency() -> str:
    """The warehouse's currency code (``USD`` unless set; a value stored by the generic
    ``setting set`` that is no currency code reads as the default)."""
    try:
        return validate_currency(get_setting(CURRENCY_KEY) or DEFAULT_CURRENCY)
    except ValidationError:
        return DEFAULT_CURRENCY


def warehouse_identity() -> tuple[str, tuple[str, ...]]:
    """The warehouse's name and address lines as printed on a statement."""
    name = get_setting(WAREHOUSE_NAME_KEY) or "PrepDesk warehouse"
    address = tuple(line for line in (get_setting(WAREHOUSE_ADDRESS_KEY) or "").splitlines() if line.strip())
    return name, address
