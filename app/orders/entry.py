"""Entering orders: the order fields and their checks, creating an order with its lines."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from peewee import IntegrityError

from app.catalog.products import active_client
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, ValidationError
from app.kernel.states import OrderStatus
from app.orders.queries import OrderRef
from app.orders.status import marks
from app.store import audit, db
from app.store.models import Order

ORDER_FIELDS = (
    "channel", "customer_name", "email", "phone", "ship_name", "ship_company", "address1",
    "address2", "city", "province", "zip", "country", "ship_by", "priority", "carrier",
    "service", "notes", "packing_instructions", "ordered_at", "import_ref",
)
# Bounds that keep a typo (or a spreadsheet's 1E+15) out of the database with a clear message
# instead of an integer overflow (SQLite) or an out-of-range error (PostgreSQL).
MAX_LINE_QTY = 100_000
# A quantity typed or read from a file is plain digits: int() would also take "1_000", "+3"
# or digits of other scripts.
QTY_DIGITS = re.compile("[0-9]+")
MIN_PRIORITY, MAX_PRIORITY = 0, 99
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The database's column widths: a text longer than its column is refused with a clear message.
_MAX_LENGTHS: dict[str, int] = {
    key: length for key in ORDER_FIELDS
    if isinstance(length := getattr(Order._meta.fields.get(key), "max_length", None), int)
}


def qty_value(digits: str) -> int:
    """The number ``digits`` (matched by QTY_DIGITS) says; a run of digits far too long for a
    line reads as just over MAX_LINE_QTY (int() refuses thousands of digits)."""
    return int(digits) if len(digits.lstrip("0")) <= 12 else MAX_LINE_QTY + 1


def parse_ship_by(value: object) -> dt.date | None:
    """``YYYY-MM-DD`` (or a date) as a date; empty is None.

    Raises:
        ValidationError: not a date.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(f"ship-by date {value!r} is not YYYY-MM-DD") from None
    if not clock.FIRST_DAY <= day <= clock.LAST_DAY:  # a typing slip such as 9999-12-31
        raise ValidationError(f"ship-by date {day} is out of range: dates run from "
                              f"{clock.FIRST_DAY} to {clock.LAST_DAY}")
    return day


def clean_fields(fields: dict[str, Any], *, require_address: bool = False) -> dict[str, Any]:
    """Validate and normalise the order-level fields of a new order.

    Raises:
        ValidationError: an unknown field, a bad date, priority, email, or (when required)
            a missing name or address.
    """
    unknown = set(fields) - set(ORDER_FIELDS)
    if unknown:
        raise ValidationError(f"unknown order fields: {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "ship_by":
            out[key] = parse_ship_by(value)
        elif key == "priority":
            if value is None or value == "":
                out[key] = 0
                continue
            try:
                out[key] = int(value)
            except (TypeError, ValueError):
                raise ValidationError(f"priority {value!r} is not a whole number") from None
            if not MIN_PRIORITY <= out[key] <= MAX_PRIORITY:
                raise ValidationError(f"priority must be from {MIN_PRIORITY} to {MAX_PRIORITY}, not {out[key]}")
        elif key == "ordered_at":
            if value is not None and not isinstance(value, dt.datetime):
                raise ValidationError("ordered_at must be a datetime")
            out[key] = value
        else:
            text = "" if value is None else str(value).strip()
            limit = _MAX_LENGTHS.get(key)
            if limit and len(text) > limit:
                raise ValidationError(f"{key.replace('_', ' ')} is longer than {limit} characters")
            out[key] = text
    email = out.get("email", "")
    if email and not _EMAIL.match(email):
        raise ValidationError(f"email {email!r} is not an email address")
    if require_address:
        missing = [label for key, label in (("address1", "address"), ("city", "city"),
                                            ("country", "country"))
                   if not out.get(key)]
        if not (out.get("ship_name") or out.get("customer_name")):
            missing.insert(0, "name")
        if missing:
            raise ValidationError(f"the order needs a shipping {', '.join(missing)}")
    if not out.get("ship_name") and out.get("customer_name"):
        out["ship_name"] = out["customer_name"]
    return out


def create_order(client_code: str, number: str, lines: Sequence[tuple[str, int | str]], *, actor: Actor,
                 require_address: bool = False, **fields: object) -> OrderRef:
    """Create one order with its lines (status ``new``; run allocation to reserve stock).

    Args:
        client_code: the client (seller) the order belongs to.
        number: the order number, unique per client.
        lines: (SKU, quantity) pairs.
        require_address: manual entry insists on a name and a shipping address.
        **fields: order fields (see ``ORDER_FIELDS``), e.g. ``customer_name``, ``ship_by``.

    Raises:
        NotFound: unknown client.
        ValidationError: no lines, unknown SKU, bad quantity or field.
        Conflict: the client already has an order with this number.
    """
    actor.require_to("create orders")
    number = (number or "").strip()
    if not number:
        raise ValidationError("an order needs a number")
    if len(number) > 60:
        raise ValidationError("an order number has at most 60 characters")
    if not lines:
        raise ValidationError(f"order {number} has no lines")
    clean = clean_fields(fields, require_address=require_address)
    parsed: list[tuple[str, int]] = []
    for sku, qty in lines:
        sku = (sku or "").strip()
        if not sku:
            raise ValidationError("an order line needs a SKU")
        if isinstance(qty, str):
            digits = qty.strip()
            if not QTY_DIGITS.fullmatch(digits):
                raise ValidationError(f"quantity {qty!r} for {sku} is not a whole number")
            qty = qty_value(digits)
        if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
            raise ValidationError(f"quantity for {sku} must be a positive whole number, not {qty!r}")
        if qty > MAX_LINE_QTY:
            raise ValidationError(f"quantity for {sku} is {qty:,}: at most {MAX_LINE_QTY:,} units a line")
        parsed.append((sku, qty))
    with db.write():
        client = active_client(client_code)
        if db.execute('SELECT 1 FROM "order" WHERE client_id = ? AND number = ?',
                      (client.id, number)).fetchone():
            raise Conflict(f"{client.code} already has order {number}")
        products = {}
        for sku, _ in parsed:
            if sku not in products:
                row = db.execute("SELECT id, name FROM product WHERE client_id = ? AND sku = ?",
                                 (client.id, sku)).fetchone()
                if row is None:
                    raise ValidationError(f"{client.code} has no product with SKU {sku!r}")
                products[sku] = row
        try:
            with db.write():  # a savepoint: PostgreSQL stays usable after the duplicate
                order_id = insert_order(client.id, number, clean)
        except IntegrityError:  # another station entered the same number just now
            raise Conflict(f"{client.code} already has order {number}") from None
        db.executemany(
            "INSERT INTO order_line (order_id, line_no, product_id, qty_ordered, qty_allocated, "
            "qty_picked, qty_packed, qty_shipped, qty_cancelled, name) VALUES (?, ?, ?, ?, 0, 0, 0, 0, 0, ?)",
            [(order_id, i + 1, products[sku][0], qty, products[sku][1])
             for i, (sku, qty) in enumerate(parsed)],
        )
        # the INSERT wrote the status: the transition only checks and records it
        audit.transition(OrderStatus, order_id, "", OrderStatus.NEW, actor=actor, client_id=client.id,
                         note=clean.get("channel", ""), write=False, label=f"order {number}")
        audit.record("order_created", actor=actor, client_id=client.id, doc_type="order",
                     doc_id=order_id, detail=f"{number}: {len(parsed)} line{'' if len(parsed) == 1 else 's'}")
    return OrderRef(order_id, number, OrderStatus.NEW)


def insert_order(client_id: int, number: str, clean: dict[str, Any], *, received_at: dt.datetime | None = None) -> int:
    """Insert one order row from cleaned fields; returns its id (inside the caller's transaction)."""
    values = {key: clean.get(key, _FIELD_DEFAULTS[key]) for key in ORDER_FIELDS}
    cols = ["client_id", "number", "status", "received_at", *ORDER_FIELDS]
    params = [client_id, number, OrderStatus.NEW, received_at or clock.now(), *(values[k] for k in ORDER_FIELDS)]
    cur = db.execute(f'INSERT INTO "order" ({", ".join(cols)}) VALUES ({marks(len(cols))}) RETURNING id',
                     params)
    return int(cur.fetchone()[0])


_FIELD_DEFAULTS: dict[str, Any] = {key: "" for key in ORDER_FIELDS}
_FIELD_DEFAULTS.update(ship_by=None, priority=0, ordered_at=None)


def enter_order(client_code: str, number: str, lines: Sequence[tuple[str, int | str]], *, actor: Actor,
                **fields: object) -> OrderRef:
    """Manual order entry (GUI, ``order add``): like create_order, with a shipping address required."""
    fields.setdefault("channel", "manual")
    return create_order(client_code, number, lines, actor=actor, require_address=True, **fields)

