"""Manual charges: work a supervisor bills by hand (a pallet rewrapped, a rush fee, a credit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from app.billing.fees import check_fee, line_amount, parse_price, price_text
from app.billing.rates import price_on, prices_by_fee
from app.catalog.products import client_by_code
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import ValidationError
from app.kernel.text import check_int, check_text
from app.store import audit, db
from app.store.billing_models import Charge


@dataclass(frozen=True)
class ChargeRow:
    id: int
    client_code: str
    fee: str
    qty: int
    rate: Decimal
    amount: Decimal
    note: str
    day: dt.date
    user_name: str

    @property
    def rate_text(self) -> str:
        return price_text(self.rate)


def add_charge(client: str, fee: str, qty: int, *, amount: Decimal | str | None = None, note: str = "",
               actor: Actor) -> ChargeRow:
    """Bill ``qty`` of ``fee`` to a client today (warehouse day), at ``amount`` each or, without
    it, at the client's card price for that fee. A negative ``amount`` is a credit.

    Raises:
        PermissionDenied: not a supervisor. NotFound: no such client.
        ValidationError: bad fee name, quantity, amount or note; no amount and no card price.
    """
    actor.require_to("add charges")
    name = check_fee(fee)
    if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
        raise ValidationError(f"quantity must be a positive whole number, not {qty!r}")
    check_int(qty, "quantity")
    note = check_text((note or "").strip(), "note", multiline=True)
    if len(note) > 500:
        raise ValidationError("the note is at most 500 characters")
    price = None if amount is None or (isinstance(amount, str) and not amount.strip()) else \
        parse_price(amount, "amount", negative=True)
    day = clock.local_today()
    with db.write():
        c = client_by_code(client)
        if price is None:
            found = price_on(prices_by_fee(c.id).get(name, []), day)
            if found is None:
                raise ValidationError(f"{c.code} has no price for {name}: give --amount or set the rate")
            price = found[1]
        row = Charge.create(client=c.id, fee=name, qty=qty, rate=price, note=note, day=day,
                            user_name=actor.name, station=actor.station, created_at=clock.now())
        audit.record("charge_added", actor=actor, client_id=c.id, doc_type="charge", doc_id=row.id,
                     detail=f"{qty} x {name} at {price_text(price)}" + (f": {note}" if note else ""))
    return ChargeRow(row.id, c.code, name, qty, price, line_amount(qty, price), note, day, actor.name)


def charges_between(client_id: int, first: dt.date, last: dt.date) -> list[tuple[dt.date, str, int, Decimal]]:
    """The client's manual charges on the days ``first`` to ``last``: (day, fee, qty, rate)."""
    rows = db.execute("SELECT day, fee, qty, rate FROM charge WHERE client_id = ? AND day >= ? AND day <= ? "
                      "ORDER BY day, id", (client_id, first, last)).fetchall()
    return [(_day(d), fee, int(q), Decimal(str(r)).quantize(Decimal("0.0001"))) for d, fee, q, r in rows]


def _day(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    return dt.date.fromisoformat(str(value)[:10])
