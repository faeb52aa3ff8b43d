"""Orders and their lines: entry, status derived from line quantities, cancel, lookup and timeline.

An order's status is never set by hand (except ``cancelled``): it follows from its lines'
quantities through one pure function, :func:`derive_status`. Whoever changes line
quantities (allocation, picking, packing, shipping) calls :func:`recompute_status`, which
writes the new status, stamps the milestone timestamps the first time they are reached and
records a StatusChange row for every change.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from peewee import IntegrityError

from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, NotFound, ValidationError
from app.store import audit, db
from app.store.db import as_date, as_datetime

NEW = "new"
PARTIALLY_ALLOCATED = "partially_allocated"
ALLOCATED = "allocated"
BACKORDERED = "backordered"
PICKING = "picking"
PACKED = "packed"
SHIPPED = "shipped"
CANCELLED = "cancelled"

STATUSES = (NEW, PARTIALLY_ALLOCATED, ALLOCATED, BACKORDERED, PICKING, PACKED, SHIPPED, CANCELLED)
# Orders that may still receive stock (allocation looks only at these).
OPEN_STATUSES = (NEW, PARTIALLY_ALLOCATED, ALLOCATED, BACKORDERED, PICKING)
STATUS_LABELS = {
    NEW: "New", PARTIALLY_ALLOCATED: "Partially allocated", ALLOCATED: "Allocated",
    BACKORDERED: "Back-ordered", PICKING: "Picking", PACKED: "Packed", SHIPPED: "Shipped",
    CANCELLED: "Cancelled",
}

# Manual transitions only (the derived ones follow from the lines); cancelling is allowed
# until the first unit is picked: after that the goods must be put back first.
MANUAL = audit.StateMachine("order", {
    NEW: {CANCELLED},
    PARTIALLY_ALLOCATED: {CANCELLED},
    ALLOCATED: {CANCELLED},
    BACKORDERED: {CANCELLED},
})

MILESTONES = ("allocated", "picked", "packed", "shipped")

ORDER_FIELDS = (
    "channel", "customer_name", "email", "phone", "ship_name", "ship_company", "address1",
    "address2", "city", "province", "zip", "country", "ship_by", "priority", "carrier",
    "service", "notes", "packing_instructions", "ordered_at", "import_ref",
)
# Bounds that keep a typo (or a spreadsheet's 1E+15) out of the database with a clear message
# instead of an integer overflow (SQLite) or an out-of-range error (PostgreSQL).
MAX_LINE_QTY = 100_000
MIN_PRIORITY, MAX_PRIORITY = 0, 99
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --- The status derivation (pure) ------------------------------------------------------


@dataclass(frozen=True)
class LineQty:
    """The quantities of one order line that decide the order's status."""

    ordered: int
    allocated: int = 0  # reserved in bins, not yet picked
    picked: int = 0
    packed: int = 0
    shipped: int = 0
    cancelled: int = 0

    @property
    def need(self) -> int:
        return max(self.ordered - self.cancelled, 0)

    @property
    def packed_total(self) -> int:  # units packed or further along
        return max(self.packed, self.shipped)

    @property
    def picked_total(self) -> int:  # units picked or further along
        return max(self.picked, self.packed, self.shipped)

    @property
    def short(self) -> int:
        """Units neither reserved nor picked yet: the back-ordered rest of the line."""
        return max(self.need - self.allocated - self.picked_total, 0)


def derive_status(lines: Iterable[LineQty], *, cancelled: bool = False, attempted: bool = False,
                  on_picklist: bool = False) -> str:
    """The order status that follows from its lines.

    Args:
        lines: the order's line quantities.
        cancelled: the order was cancelled (a manual, final state).
        attempted: allocation has run for the order at least once (``new`` vs ``backordered``).
        on_picklist: the order is on an open pick list.
    """
    if cancelled:
        return CANCELLED
    all_lines = list(lines)
    live = [ln for ln in all_lines if ln.need > 0]
    if not live:
        return CANCELLED if all_lines else NEW
    if all(ln.shipped >= ln.need for ln in live):
        return SHIPPED
    if all(ln.packed_total >= ln.need for ln in live):
        return PACKED
    # Work on the floor: on an open pick list, or picked units not yet shipped.
    if on_picklist or any(ln.picked_total > ln.shipped for ln in live):
        return PICKING
    # What remains is what has not been picked yet (after a partial shipment: the back-order).
    rest = [ln for ln in live if ln.need > ln.picked_total]
    if all(ln.allocated >= ln.need - ln.picked_total for ln in rest):
        return ALLOCATED
    if any(ln.allocated > 0 for ln in rest):
        return PARTIALLY_ALLOCATED
    return BACKORDERED if attempted or any(ln.shipped > 0 for ln in live) else NEW


def milestones(lines: Iterable[LineQty]) -> set[str]:
    """Which milestones (allocated, picked, packed, shipped) every live line has reached."""
    live = [ln for ln in lines if ln.need > 0]
    if not live:
        return set()
    reached = set()
    if all(ln.allocated + ln.picked_total >= ln.need for ln in live):
        reached.add("allocated")
    if all(ln.picked_total >= ln.need for ln in live):
        reached.add("picked")
    if all(ln.packed_total >= ln.need for ln in live):
        reached.add("packed")
    if all(ln.shipped >= ln.need for ln in live):
        reached.add("shipped")
    return reached


# --- Results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderRef:
    id: int
    number: str
    status: str


@dataclass(frozen=True)
class OrderLineRow:
    id: int
    line_no: int
    product_id: int
    sku: str
    name: str
    qty_ordered: int
    qty_allocated: int
    qty_picked: int
    qty_packed: int
    qty_shipped: int
    qty_cancelled: int

    @property
    def qty_short(self) -> int:
        return LineQty(self.qty_ordered, self.qty_allocated, self.qty_picked, self.qty_packed,
                       self.qty_shipped, self.qty_cancelled).short


@dataclass(frozen=True)
class OrderDetail:
    id: int
    client_id: int
    client_code: str
    number: str
    status: str
    channel: str
    customer_name: str
    email: str
    phone: str
    ship_name: str
    ship_company: str
    address1: str
    address2: str
    city: str
    province: str
    zip: str
    country: str
    ship_by: dt.date | None
    priority: int
    carrier: str
    service: str
    notes: str
    packing_instructions: str
    ordered_at: dt.datetime | None
    received_at: dt.datetime | None
    allocated_at: dt.datetime | None
    picked_at: dt.datetime | None
    packed_at: dt.datetime | None
    shipped_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    lines: tuple[OrderLineRow, ...]

    @property
    def units(self) -> int:
        return sum(ln.qty_ordered - ln.qty_cancelled for ln in self.lines)

    @property
    def units_short(self) -> int:
        return sum(ln.qty_short for ln in self.lines)


@dataclass(frozen=True)
class OrderRow:
    """One order in a list (the Orders page, customer-service search)."""

    id: int
    client_code: str
    number: str
    status: str
    customer_name: str
    email: str
    city: str
    country: str
    priority: int
    ship_by: dt.date | None
    received_at: dt.datetime | None
    lines: int
    units: int
    units_short: int


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # status, move, event
    text: str
    who: str
    station: str


# --- Value helpers ----------------------------------------------------------------------


def _stamp(value: object) -> dt.datetime:
    """A NOT NULL timestamp column (created_at) read by raw SQL."""
    at = as_datetime(value)
    if at is None:
        raise ValueError(f"missing timestamp: {value!r}")
    return at


def parse_ship_by(value: object) -> dt.date | None:
    """``YYYY-MM-DD`` (or a date) as a date; empty is None.

    Raises:
        ValidationError: not a date.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"ship-by date {value!r} is not YYYY-MM-DD") from None


def _greatest(*cols: str) -> str:
    fn = "MAX" if db.is_sqlite() else "GREATEST"
    return f"{fn}({', '.join(cols)})"


def picked_total_sql(alias: str = "ol") -> str:
    """SQL for a line's units picked or further along (picked, packed or shipped)."""
    return _greatest(f"{alias}.qty_picked", f"{alias}.qty_packed", f"{alias}.qty_shipped")


def short_sql(alias: str = "ol") -> str:
    """SQL for a line's back-ordered units: needed, neither reserved nor picked."""
    return (f"({alias}.qty_ordered - {alias}.qty_cancelled - {alias}.qty_allocated - "
            f"{picked_total_sql(alias)})")


_T = TypeVar("_T")


def chunks(items: Sequence[_T], size: int = 900) -> Iterable[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def marks(n: int) -> str:
    return ", ".join("?" * n)


# --- Entry --------------------------------------------------------------------------


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
            limit = _max_length(key)
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


@functools.cache
def _max_length(key: str) -> int | None:
    from app.store.models import Order

    return getattr(Order._meta.fields.get(key), "max_length", None)


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
    from app.catalog.products import client_by_code

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
            try:
                qty = int(qty.strip())
            except ValueError:
                raise ValidationError(f"quantity {qty!r} for {sku} is not a whole number") from None
        if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
            raise ValidationError(f"quantity for {sku} must be a positive whole number, not {qty!r}")
        if qty > MAX_LINE_QTY:
            raise ValidationError(f"quantity for {sku} is {qty:,}: at most {MAX_LINE_QTY:,} units a line")
        parsed.append((sku, qty))
    with db.write():
        client = client_by_code(client_code)
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
        audit.status_changed("order", order_id, "", NEW, actor=actor, client_id=client.id,
                             note=clean.get("channel", ""))
        audit.record("order_created", actor=actor, client_id=client.id, doc_type="order",
                     doc_id=order_id, detail=f"{number}: {len(parsed)} line{'' if len(parsed) == 1 else 's'}")
    return OrderRef(order_id, number, NEW)


def insert_order(client_id: int, number: str, clean: dict[str, Any], *, received_at: dt.datetime | None = None) -> int:
    """Insert one order row from cleaned fields; returns its id (inside the caller's transaction)."""
    values = {key: clean.get(key, _FIELD_DEFAULTS[key]) for key in ORDER_FIELDS}
    cols = ["client_id", "number", "status", "received_at", *ORDER_FIELDS]
    params = [client_id, number, NEW, received_at or clock.now(), *(values[k] for k in ORDER_FIELDS)]
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


# --- Status -------------------------------------------------------------------------


def recompute_status(order_id: int, *, actor: Actor, note: str = "") -> str:
    """Derive the order's status from its lines, stamp milestones, record the change.

    Call it (inside your transaction) after changing any line quantity.

    Returns:
        The order's status now.

    Raises:
        NotFound: no such order.
    """
    with db.write():
        result = recompute_many([order_id], actor=actor, note=note)
    if order_id not in result:
        raise NotFound(f"no order #{order_id}")
    return result[order_id]


def recompute_many(order_ids: Iterable[int], *, actor: Actor, attempted: bool = False,
                   note: str = "") -> dict[int, str]:
    """Set-based recompute_status for many orders (inside the caller's transaction).

    ``attempted`` says allocation just ran for these orders, so nothing reserved means
    back-ordered rather than new.
    """
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    heads: dict[int, tuple[Any, ...]] = {}
    lines: dict[int, list[LineQty]] = {}
    on_list: set[int] = set()
    for part in chunks(ids):
        m = marks(len(part))
        for row in db.execute(
            f'SELECT id, client_id, status, allocated_at, picked_at, packed_at, shipped_at '
            f'FROM "order" WHERE id IN ({m})', list(part)).fetchall():
            heads[row[0]] = row
        for oid, *q in db.execute(
            f"SELECT order_id, qty_ordered, qty_allocated, qty_picked, qty_packed, qty_shipped, "
            f"qty_cancelled FROM order_line WHERE order_id IN ({m})", list(part)).fetchall():
            lines.setdefault(oid, []).append(LineQty(*q))
        for (oid,) in db.execute(
            f"SELECT plo.order_id FROM pick_list_order plo JOIN pick_list pl ON pl.id = plo.picklist_id "
            f"WHERE pl.status IN ('open', 'picking') AND plo.order_id IN ({m})", list(part)).fetchall():
            on_list.add(oid)
    now = clock.now()
    updates, changes, result = [], [], {}
    for oid, (_, client_id, status, *stamps) in heads.items():
        qty = lines.get(oid, [])
        new = derive_status(qty, cancelled=status == CANCELLED, attempted=attempted or status != NEW,
                            on_picklist=oid in on_list)
        result[oid] = new
        reached = milestones(qty) if new != CANCELLED else set()
        stamp = [now if (name in reached and stamps[i] is None) else None
                 for i, name in enumerate(MILESTONES)]
        if new != status or any(s is not None for s in stamp):
            updates.append((new, *stamp, oid))
        if new != status:
            changes.append((oid, client_id, status, new))
    db.executemany(
        'UPDATE "order" SET status = ?, allocated_at = COALESCE(allocated_at, ?), '
        "picked_at = COALESCE(picked_at, ?), packed_at = COALESCE(packed_at, ?), "
        "shipped_at = COALESCE(shipped_at, ?) WHERE id = ?", updates)
    db.executemany(
        "INSERT INTO status_change (doc_type, doc_id, client_id, from_status, to_status, user_id, "
        "user_name, station, note, created_at) VALUES ('order', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(oid, cid, old, new, actor.user_id, actor.name, actor.station, note, now)
         for oid, cid, old, new in changes])
    return result


# --- Cancel ---------------------------------------------------------------------------


def cancel_order(order_id: int, *, actor: Actor, reason: str) -> OrderRef:
    """Cancel an order that has not been picked yet and release its reservations.

    Freed stock goes straight to waiting back-orders (same transaction). After a partial
    shipment this cancels the back-ordered rest: the order ends ``shipped`` (with what the
    customer received), not ``cancelled``.

    Raises:
        PermissionDenied: only a supervisor cancels orders.
        ValidationError: no reason given.
        NotFound: no such order.
        InvalidTransition: the order is picking, packed, shipped or cancelled already.
    """
    from app.orders import allocation

    actor.require(action="cancel orders")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("say why the order is cancelled")
    with db.write():
        row = db.execute(f'SELECT id, client_id, number, status FROM "order" WHERE id = ?{db.for_update()}',
                         (order_id,)).fetchone()
        if row is None:
            raise NotFound(f"no order #{order_id}")
        _, client_id, number, status = row
        MANUAL.guard(status, CANCELLED, label=number)
        products = allocation.release_order(order_id, actor=actor)
        picked = _greatest("qty_picked", "qty_packed", "qty_shipped")
        db.execute(f"UPDATE order_line SET qty_cancelled = qty_ordered - {picked} WHERE order_id = ?",
                   (order_id,))
        now = clock.now()
        # Part of it shipped already (the rest was back-ordered): cancelling the rest completes
        # the order as shipped -- the customer did get a parcel -- rather than calling it cancelled.
        last_parcel = None
        if db.execute("SELECT 1 FROM order_line WHERE order_id = ? AND qty_shipped > 0", (order_id,)).fetchone():
            last_parcel = as_datetime(db.execute(
                "SELECT MAX(sc.created_at) FROM status_change sc JOIN package pk ON pk.id = sc.doc_id "
                "WHERE sc.doc_type = 'package' AND sc.to_status = 'shipped' AND pk.order_id = ?",
                (order_id,)).fetchone()[0]) or now
        final = SHIPPED if last_parcel else CANCELLED
        db.execute('UPDATE "order" SET status = ?, cancelled_at = COALESCE(cancelled_at, ?), '
                   "shipped_at = COALESCE(shipped_at, ?) WHERE id = ?", (final, now, last_parcel, order_id))
        audit.status_changed("order", order_id, status, final, actor=actor, client_id=client_id,
                             note=reason if final == CANCELLED else f"rest cancelled: {reason}")
        audit.record("order_cancelled", actor=actor, client_id=client_id, doc_type="order",
                     doc_id=order_id, detail=f"{number}: {reason}")
        if products:
            allocation.allocate_waiting(products, actor=actor)
    return OrderRef(order_id, number, final)


# --- Queries --------------------------------------------------------------------------

_DETAIL_COLS = (
    "o.id, o.client_id, c.code, o.number, o.status, o.channel, o.customer_name, o.email, o.phone, "
    "o.ship_name, o.ship_company, o.address1, o.address2, o.city, o.province, o.zip, o.country, "
    "o.ship_by, o.priority, o.carrier, o.service, o.notes, o.packing_instructions, o.ordered_at, "
    "o.received_at, o.allocated_at, o.picked_at, o.packed_at, o.shipped_at, o.cancelled_at"
)


def order_detail(order_id: int) -> OrderDetail:
    """An order with its lines (plain data for screens, documents and other services).

    Raises:
        NotFound: no such order.
    """
    row = db.execute(f'SELECT {_DETAIL_COLS} FROM "order" o JOIN client c ON c.id = o.client_id '
                     "WHERE o.id = ?", (order_id,)).fetchone()
    if row is None:
        raise NotFound(f"no order #{order_id}")
    lines = tuple(OrderLineRow(*r) for r in db.execute(
        "SELECT ol.id, ol.line_no, ol.product_id, p.sku, COALESCE(NULLIF(ol.name, ''), p.name), "
        "ol.qty_ordered, ol.qty_allocated, ol.qty_picked, ol.qty_packed, ol.qty_shipped, ol.qty_cancelled "
        "FROM order_line ol JOIN product p ON p.id = ol.product_id WHERE ol.order_id = ? "
        "ORDER BY ol.line_no, ol.id", (order_id,)).fetchall())
    values = list(row)
    values[17] = as_date(values[17])
    for i in range(23, 30):
        values[i] = as_datetime(values[i])
    values.append(lines)
    return OrderDetail(*values)


def find_order(number: str, *, client: str | None = None) -> OrderRef:
    """An order by its number (and client, when several clients use the same number).

    Raises:
        NotFound: no such order.
        ValidationError: several clients have an order with this number and none was named.
    """
    number = (number or "").strip()
    sql = 'SELECT o.id, o.number, o.status FROM "order" o JOIN client c ON c.id = o.client_id WHERE o.number = ?'
    params: list[object] = [number]
    if client:
        sql += " AND c.code = ?"
        params.append(client.strip().upper())
    rows = db.execute(sql, params).fetchall()
    if not rows and number:  # Shopify names orders "#1001"; people type "1001" (or the reverse)
        other = number[1:] if number.startswith("#") else "#" + number
        params[0] = other
        rows = db.execute(sql, params).fetchall()
    if not rows:
        raise NotFound(f"no order {number!r}" + (f" for {client}" if client else ""))
    if len(rows) > 1:
        raise ValidationError(f"several clients have an order {number}: name the client")
    return OrderRef(*rows[0])


_LIST_SELECT = (
    'SELECT o.id, c.code, o.number, o.status, o.customer_name, o.email, o.city, o.country, '
    'o.priority, o.ship_by, o.received_at, '
    '(SELECT COUNT(*) FROM order_line ol WHERE ol.order_id = o.id), '
    '(SELECT COALESCE(SUM(ol.qty_ordered - ol.qty_cancelled), 0) FROM order_line ol WHERE ol.order_id = o.id), '
    '(SELECT COALESCE(SUM(CASE WHEN {short} > 0 THEN {short} ELSE 0 END), 0) FROM order_line ol '
    "WHERE ol.order_id = o.id AND o.status NOT IN ('cancelled', 'shipped', 'packed')) "
    'FROM "order" o JOIN client c ON c.id = o.client_id'
)


def _order_rows(where: list[str], params: list[object], *, limit: int, offset: int = 0,
                order: str = "o.id DESC") -> list[OrderRow]:
    sql = _LIST_SELECT.format(short=short_sql("ol"))
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order} LIMIT {int(limit)} OFFSET {int(offset)}"
    if db.is_postgres():
        sql = sql.replace(" LIKE ", " ILIKE ")
    out = []
    for r in db.execute(sql, params).fetchall():
        r = list(r)
        r[9], r[10] = as_date(r[9]), as_datetime(r[10])
        r[11], r[12], r[13] = int(r[11]), int(r[12]), int(r[13])
        out.append(OrderRow(*r))
    return out


def _like(text: str) -> str:
    return "%" + text.replace("\\", "").replace("%", "").replace("_", "") + "%"


def list_orders(*, status: str | None = None, client: str | None = None, search: str | None = None,
                limit: int = 500, offset: int = 0) -> list[OrderRow]:
    """Orders newest first (latest entered), filtered by status (or ``open``), client and text."""
    where: list[str] = []
    params: list[object] = []
    if status == "open":
        where.append(f"o.status IN ({marks(len(OPEN_STATUSES))})")
        params += list(OPEN_STATUSES)
    elif status:
        if status not in STATUSES:
            raise ValidationError(f"unknown order status {status!r}")
        where.append("o.status = ?")
        params.append(status)
    if client:
        where.append("c.code = ?")
        params.append(client.strip().upper())
    if search and search.strip():
        w, p = _search_where(search.strip())
        where.append(w)
        params += p
    return _order_rows(where, params, limit=limit, offset=offset)


def _search_where(text: str) -> tuple[str, list[object]]:
    term = text.lstrip("#")
    like = _like(term)
    return (
        "(o.number = ? OR o.number LIKE ? OR o.customer_name LIKE ? OR o.ship_name LIKE ? "
        "OR o.email LIKE ? OR o.id IN (SELECT pk.order_id FROM package pk WHERE pk.tracking = ? "
        "OR (pk.tracking <> '' AND pk.tracking LIKE ?)))",
        [term, like, like, like, like, term, like],
    )


def search_orders(text: str, *, limit: int = 200) -> list[OrderRow]:
    """Customer service: orders whose number, customer name, email or tracking number matches.

    Exact number and tracking matches come first, then the newest.
    """
    text = (text or "").strip()
    if len(text) < 2:
        raise ValidationError("type at least two characters to search")
    where, params = _search_where(text)
    term = text.lstrip("#")
    order = "CASE WHEN o.number = ? THEN 0 ELSE 1 END, o.id DESC"
    # the ORDER BY parameter comes after the WHERE parameters
    rows = _order_rows([where], params + [term], limit=limit, order=order)
    return rows


# Audit events that only repeat a status change already in the timeline (with its note).
_SAID_BY_STATUS = {"order_created", "order_cancelled"}


def timeline(order_id: int) -> list[TimelineEntry]:
    """Everything that happened to an order, oldest first: status changes, stock moves of its
    lines (order, pick list and package documents) and audit events."""
    detail = order_detail(order_id)
    entries: list[TimelineEntry] = []
    for at, old, new, who, station, note in db.execute(
        "SELECT created_at, from_status, to_status, user_name, station, note FROM status_change "
        "WHERE doc_type = 'order' AND doc_id = ? ORDER BY id", (order_id,)).fetchall():
        text = f"{STATUS_LABELS.get(old, old)} -> {STATUS_LABELS.get(new, new)}"
        if not old:
            text = f"created ({STATUS_LABELS.get(new, new)})"
        if note:
            text += f": {note}"
        entries.append(TimelineEntry(_stamp(at), "status", text, who, station))
    for at, seq, old, new, who, station, note in db.execute(
        "SELECT sc.created_at, pk.seq, sc.from_status, sc.to_status, sc.user_name, sc.station, sc.note "
        "FROM status_change sc JOIN package pk ON pk.id = sc.doc_id "
        "WHERE sc.doc_type = 'package' AND pk.order_id = ? ORDER BY sc.id", (order_id,)).fetchall():
        text = f"package {seq}: {old or 'created'} -> {new}" + (f": {note}" if note else "")
        entries.append(TimelineEntry(_stamp(at), "status", text, who, station))
    products = sorted({ln.product_id for ln in detail.lines}) or [0]
    pm = marks(len(products))
    # A wave's pick moves say which tote they went to: keep only this order's tote (and the
    # wave's other moves of its products, e.g. a short pick's write-off). Three indexed
    # selects (doc_type, doc_id) rather than one OR that would scan the whole ledger.
    sel = "SELECT m.id, m.created_at, p.sku, lf.code, lt.code, m.qty, m.kind, m.reason, m.user_name, m.station "
    joins = ("JOIN product p ON p.id = m.product_id JOIN location lf ON lf.id = m.from_location_id "
             "JOIN location lt ON lt.id = m.to_location_id ")
    # CROSS JOIN keeps SQLite's planner starting from the order's few pick lists and
    # packages instead of every 'package' move of the ledger.
    rows = db.execute(
        sel + "FROM stock_move m " + joins + "WHERE m.doc_type = 'order' AND m.doc_id = ? UNION ALL "
        + sel + "FROM pick_list_order plo CROSS JOIN stock_move m " + joins
        + f"WHERE plo.order_id = ? AND m.doc_type = 'picklist' AND m.doc_id = plo.picklist_id "
        f"AND m.product_id IN ({pm}) "
        "AND (m.reason NOT LIKE ? OR m.reason = ('tote ' || CAST(plo.tote AS TEXT))) UNION ALL "
        + sel + "FROM package pk CROSS JOIN stock_move m " + joins
        + "WHERE pk.order_id = ? AND m.doc_type = 'package' AND m.doc_id = pk.id",
        [order_id, order_id, *products, "tote %", order_id]).fetchall()
    for _, at, sku, src, dst, qty, kind, reason, who, station in sorted(rows, key=lambda r: r[0]):
        text = f"{kind} {qty} x {sku} {src} -> {dst}" + (f" ({reason})" if reason else "")
        entries.append(TimelineEntry(_stamp(at), "move", text, who, station))
    events = db.execute(
        "SELECT id, created_at, kind, detail, user_name, station FROM audit_event "
        "WHERE doc_type = 'order' AND doc_id = ? UNION ALL "
        "SELECT a.id, a.created_at, a.kind, a.detail, a.user_name, a.station FROM package pk "
        "CROSS JOIN audit_event a WHERE pk.order_id = ? AND a.doc_type = 'package' AND a.doc_id = pk.id",
        (order_id, order_id)).fetchall()
    for _, at, kind, detail_text, who, station in sorted(events, key=lambda r: r[0]):
        if kind in _SAID_BY_STATUS:
            continue
        label = kind.replace("_", " ").capitalize()
        entries.append(TimelineEntry(_stamp(at), "event", f"{label}: {detail_text}".strip(": "),
                                     who, station))
    order = {"status": 0, "move": 1, "event": 2}
    entries.sort(key=lambda e: (e.at, order[e.kind]))
    return entries


def status_counts(*, client: str | None = None) -> dict[str, int]:
    sql = 'SELECT o.status, COUNT(*) FROM "order" o'
    params: list[object] = []
    if client:
        sql += " JOIN client c ON c.id = o.client_id WHERE c.code = ?"
        params.append(client.strip().upper())
    sql += " GROUP BY o.status"
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({s: int(n) for s, n in db.execute(sql, params).fetchall()})
    return counts
