"""Return authorisation (RMA): what a shipped order may send back, and the RMA with its exchange.

An RMA names per line the product, the units (never more than shipped minus what earlier
RMAs already take), the reason and what the customer wants. An exchange RMA also names the
replacements: they become a linked order ``<order>-X1`` for the same customer and address,
released to allocation at once or when the returned units are in (``exchange_release``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from app.catalog.scan import find_product_code
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import NotFound, ValidationError
from app.kernel.states import OrderStatus, ReturnStatus
from app.kernel.text import counted
from app.orders import allocation
from app.orders.entry import create_order
from app.orders.queries import order_detail
from app.returns.common import (
    DEFAULT_EXCHANGE_RELEASE,
    EXCHANGE_RELEASE_KEY,
    EXCHANGE_RELEASES,
    REASONS,
    REPLACEMENT,
    RMA_SEQUENCE,
    WANTS,
    RmaHead,
    check_choice,
    returned_so_far,
    rma_awaiting,
)
from app.store import audit, changes, db
from app.store.settings import get_setting, next_sequence

MAX_NOTE = 2000
# The order states whose shipped units may come back.
_SHIPPED_STATES = (OrderStatus.SHIPPED, OrderStatus.PICKING, OrderStatus.PACKED,
                   OrderStatus.PARTIALLY_ALLOCATED, OrderStatus.ALLOCATED, OrderStatus.BACKORDERED)


@dataclass(frozen=True)
class RmaRequestLine:
    """One line asked for: the product (SKU or barcode), units, reason, refund or exchange."""

    sku: str
    qty: int
    reason: str
    wants: str = "refund"
    note: str = ""


@dataclass(frozen=True)
class RmaRef:
    """A created RMA."""

    id: int
    number: str
    order_number: str
    units: int
    exchange_order: str  # "" without one (or until it is released on receipt)


@dataclass(frozen=True)
class ReturnableLine:
    """A shipped order line and what may still come back of it."""

    order_line_id: int
    product_id: int
    sku: str
    name: str
    shipped: int
    returned: int

    @property
    def left(self) -> int:
        return self.shipped - self.returned


@dataclass(frozen=True)
class OrderHit:
    """A shipped order found for a return."""

    id: int
    client_code: str
    number: str
    customer_name: str
    email: str
    shipped_at: str
    awaiting: str = ""  # a unit's orders: the order's open RMA that waits for the unit, if any


def exchange_release() -> str:
    """When an exchange's replacement order is released: ``advance`` or ``on_receipt``."""
    value = get_setting(EXCHANGE_RELEASE_KEY, DEFAULT_EXCHANGE_RELEASE) or DEFAULT_EXCHANGE_RELEASE
    return value if value in EXCHANGE_RELEASES else DEFAULT_EXCHANGE_RELEASE


def check_exchange_release(value: str) -> str:
    """The ``exchange_release`` setting's check (for ``settings.set_setting``)."""
    return check_choice("exchange release", value, EXCHANGE_RELEASES)


def returnable(order_id: int) -> list[ReturnableLine]:
    """The order's shipped lines with what earlier RMAs already take."""
    rows = db.execute(
        "SELECT ol.id, ol.product_id, p.sku, COALESCE(NULLIF(ol.name, ''), p.name), ol.qty_shipped "
        "FROM order_line ol JOIN product p ON p.id = ol.product_id WHERE ol.order_id = ? AND ol.qty_shipped > 0 "
        "ORDER BY ol.line_no, ol.id", (order_id,)).fetchall()
    return [ReturnableLine(int(i), int(pid), sku, name, int(shipped), returned_so_far(int(i)))
            for i, pid, sku, name, shipped in rows]


_HIT_COLUMNS = ('o.id, c.code, o.number, o.customer_name, o.email, o.shipped_at FROM "order" o '
                "JOIN client c ON c.id = o.client_id ")
_HIT = "SELECT DISTINCT " + _HIT_COLUMNS


def find_orders(text: str, *, client: str | None = None, limit: int = 20) -> list[OrderHit]:
    """Shipped orders matching an order number (or its scanned barcode) or a package's tracking
    number exactly, or part of a customer's name, the ship-to name or an e-mail address in any
    case; exact matches first, then the newest.

    Raises:
        ValidationError: nothing typed.
    """
    text = unicodedata.normalize("NFC", (text or "").strip())
    if not text:
        raise ValidationError("type or scan an order number, customer, e-mail or tracking number")
    bare = text.lstrip("#")  # a shop's "#1001", scanned or typed with or without its "#"
    like = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    exact = ("o.number IN (?, ?) OR EXISTS (SELECT 1 FROM package pk WHERE pk.order_id = o.id "
             "AND pk.tracking = ?)")
    sql = ("SELECT " + _HIT_COLUMNS + f"WHERE o.shipped_at IS NOT NULL AND ({exact} "
           "OR LOWER(o.customer_name) LIKE ? ESCAPE '\\' OR LOWER(o.ship_name) LIKE ? ESCAPE '\\' "
           "OR LOWER(o.email) LIKE ? ESCAPE '\\')")
    params: list[object] = [bare, "#" + bare, text, like, like, like]
    if client:
        sql += " AND c.code = ?"
        params.append(client.strip().upper())
    rows = db.execute(sql + f" ORDER BY CASE WHEN {exact} THEN 0 ELSE 1 END, o.shipped_at DESC, o.id DESC LIMIT ?",
                      [*params, bare, "#" + bare, text, limit]).fetchall()
    return [OrderHit(int(i), c, n, cn or "", em or "", str(at or "")) for i, c, n, cn, em, at in rows]


def parcel_orders(code: str, *, limit: int = 10) -> list[OrderHit]:
    """The shipped orders a scanned order barcode or tracking number names exactly (several
    only when clients share an order number), newest first."""
    text = (code or "").strip()
    bare = text.lstrip("#")  # a shop's "#1001", scanned or typed with or without its "#"
    rows = db.execute(
        _HIT + "WHERE o.shipped_at IS NOT NULL AND o.number IN (?, ?) "
        "OR o.shipped_at IS NOT NULL AND o.id IN (SELECT pk.order_id FROM package pk WHERE pk.tracking = ?) "
        "ORDER BY o.shipped_at DESC, o.id DESC LIMIT ?", (bare, "#" + bare, text, limit)).fetchall()
    return [OrderHit(int(i), c, n, cn or "", em or "", str(at or "")) for i, c, n, cn, em, at in rows]


def orders_for_unit(code: str, *, limit: int = 10) -> list[OrderHit]:
    """A parcel without an RMA: the client's recent shipped orders that contain the scanned
    product, those with an open RMA waiting for it first (each hit names that RMA)."""
    hit = find_product_code(code)
    if hit is None:
        raise NotFound(f"{code} is no product we know")
    rows = db.execute(
        _HIT + "JOIN order_line ol ON ol.order_id = o.id WHERE ol.product_id = ? AND ol.qty_shipped > 0 "
        "ORDER BY o.shipped_at DESC, o.id DESC LIMIT ?", (hit.id, limit)).fetchall()
    hits = [OrderHit(int(i), c, n, cn or "", em or "", str(at or ""), rma_awaiting(int(i), hit.id) or "")
            for i, c, n, cn, em, at in rows]
    return sorted(hits, key=lambda h: not h.awaiting)


def _order_id(order: int | str, client: str | None) -> int:
    if isinstance(order, int):
        return order
    hits = [h for h in find_orders(order, client=client) if h.number.lstrip("#") == order.strip().lstrip("#")]
    if not hits:
        raise NotFound(f"no shipped order {order!r}" + (f" for {client}" if client else ""))
    if len({h.id for h in hits}) > 1:
        raise ValidationError(f"several clients have an order {order}: name the client")
    return hits[0].id


def _qty(value: object, what: str) -> int:
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise ValidationError(f"quantity {value!r} for {what} is not a whole number") from None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(f"quantity for {what} must be a positive whole number, not {value!r}")
    return value


_Wanted = tuple[str, int, str, str, str]  # SKU as typed, units, reason, wish, note
_Row = tuple[int, int, int, str, str, str]  # order line, product, units, reason, wish, note


def _rma_rows(order_id: int, client_id: int, order_number: str, wanted: list[_Wanted]) -> list[_Row]:
    """The RMA's lines: each product asked for spread over the order lines that shipped it.
    A product asked for on several lines counts once, all its units together, and lines that
    say the same (reason, wish, note) become one.

    Raises:
        ValidationError: a product not shipped on the order, or more of it than is left to return.
    """
    left = returnable(order_id)
    asked: dict[int, tuple[str, list[int]]] = {}  # product: the SKU first typed, the units of each line
    products: list[int] = []
    for sku, qty, *_ in wanted:
        match = find_product_code(sku, client_id=client_id)
        if match is None or not any(ln.product_id == match.id for ln in left):
            raise ValidationError(f"{sku} was not shipped on order {order_number}")
        asked.setdefault(match.id, (sku, []))[1].append(qty)
        products.append(match.id)
    for product_id, (sku, units) in asked.items():
        lines = [ln for ln in left if ln.product_id == product_id]
        total, avail, shipped = sum(units), sum(ln.left for ln in lines), sum(ln.shipped for ln in lines)
        if total > avail:
            what = f"{total} to return" + (f" ({' + '.join(map(str, units))} on {counted(len(units), 'line')})"
                                           if len(units) > 1 else "")
            if avail == shipped:
                raise ValidationError(f"{sku}: {what} but {shipped} {'was' if shipped == 1 else 'were'} "
                                      f"shipped on order {order_number}")
            raise ValidationError(f"{sku}: {what} but only {avail} of the {shipped} shipped on order "
                                  f"{order_number} {'is' if avail == 1 else 'are'} left to return")
    taken: dict[int, int] = {}
    rows: dict[tuple[int, str, str, str], list[int]] = {}  # (order line, reason, wish, note): product, units
    for product_id, (_sku, qty, reason, wants, line_note) in zip(products, wanted, strict=True):
        need = qty
        for ln in (ln for ln in left if ln.product_id == product_id):
            part = min(ln.left - taken.get(ln.order_line_id, 0), need)
            if part > 0:
                taken[ln.order_line_id] = taken.get(ln.order_line_id, 0) + part
                rows.setdefault((ln.order_line_id, reason, wants, line_note), [product_id, 0])[1] += part
                need -= part
    return [(line_id, pid, qty, reason, wants, note) for (line_id, reason, wants, note), (pid, qty) in rows.items()]


def create_rma(order: int | str, lines: Sequence[RmaRequestLine], *, actor: Actor, client: str | None = None,
               exchange: Sequence[tuple[str, int | str]] = (), note: str = "") -> RmaRef:
    """Authorise a return for a shipped order (found by id or number).

    Raises:
        NotFound: no such shipped order.
        ValidationError: no lines, a product not shipped on the order, more units than are
            left to return, an unknown reason or wish, replacements without an exchange line.
    """
    actor.require_to("authorise returns")
    if not lines:
        raise ValidationError("a return needs at least one line")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(f"a note has at most {MAX_NOTE} characters")
    wanted = [(ln.sku.strip(), _qty(ln.qty, ln.sku), check_choice("reason", ln.reason, REASONS),
               check_choice("wish", ln.wants, WANTS), (ln.note or "").strip()[:MAX_NOTE]) for ln in lines]
    swaps = [(sku.strip(), _qty(qty, sku)) for sku, qty in exchange]
    if swaps and not any(w == "exchange" for *_, w, _ in wanted):
        wanted = [(s, q, r, "exchange", n) for s, q, r, _, n in wanted]
    if any(w == "exchange" for *_, w, _ in wanted) and not swaps:
        raise ValidationError("an exchange needs the replacement lines (SKU=QTY)")
    with db.write():
        order_id = _order_id(order, client)
        detail = order_detail(order_id)
        if detail.status not in _SHIPPED_STATES or detail.shipped_at is None:
            raise ValidationError(f"order {detail.number} has shipped nothing to return")
        rows = _rma_rows(order_id, detail.client_id, detail.number, wanted)
        number = f"RMA{next_sequence(RMA_SEQUENCE):06d}"
        rma_id = int(db.execute(
            'INSERT INTO "return" (number, client_id, order_id, status, reason, created_at, note) '
            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (number, detail.client_id, order_id, ReturnStatus.OPEN, ", ".join(sorted({r[3] for r in rows})),
             clock.now(), note)).fetchone()[0])
        db.executemany(
            "INSERT INTO return_line (rma_id, product_id, order_line_id, qty_expected, qty_received, disposition, "
            "reason, wants, note, qty_restocked, qty_quarantined, qty_scrapped) "
            "VALUES (?, ?, ?, ?, 0, '', ?, ?, ?, 0, 0, 0)",
            [(rma_id, pid, line_id, qty, reason, wants, line_note) for line_id, pid, qty, reason, wants, line_note in rows])
        for sku, qty in swaps:
            match = find_product_code(sku, client_id=detail.client_id)
            if match is None:
                raise ValidationError(f"{detail.client_code} has no product {sku!r} to send in exchange")
            db.execute("INSERT INTO return_line (rma_id, product_id, qty_expected, qty_received, disposition, "
                       "reason, wants, note, qty_restocked, qty_quarantined, qty_scrapped) "
                       f"VALUES (?, ?, ?, 0, '', '', '{REPLACEMENT}', '', 0, 0, 0)", (rma_id, match.id, qty))
        audit.transition(ReturnStatus, rma_id, "", ReturnStatus.OPEN, actor=actor, client_id=detail.client_id,
                         note=note, write=False, label=number)
        units = sum(r[2] for r in rows)
        what = ", ".join(f"{q} x {_sku(p)} ({r}, {w})" for _, p, q, r, w, _ in rows)
        audit.record("return_authorised", actor=actor, client_id=detail.client_id, doc_type="order",
                     doc_id=order_id, detail=f"{number}: {what}")
        exchange_number = ""
        if swaps and exchange_release() == "advance":
            exchange_number = release_exchange(rma_id, actor=actor)
        changes.changed("order", order_id)
    return RmaRef(rma_id, number, detail.number, units, exchange_number)


# The note on the lines of an RMA made at the returns desk for a parcel that came without one.
PARCEL_NOTE = "arrived without an RMA"


def is_parcel_rma(rma_id: int) -> bool:
    """Whether the RMA was made at the desk for a parcel without one (every line says so)."""
    notes = {str(n) for (n,) in db.execute("SELECT note FROM return_line WHERE rma_id = ? AND wants <> ?",
                                           (rma_id, REPLACEMENT)).fetchall()}
    return notes == {PARCEL_NOTE}


def authorise_parcel_unit(head: RmaHead, product_id: int, sku: str, *, actor: Actor) -> None:
    """One more unit of a product found in a parcel without an RMA, on the RMA the desk made for
    it (inside the caller's transaction): as far as the order shipped it and earlier returns
    left it to return.

    Raises:
        ValidationError: none of it is left to return on the order.
    """
    actor.require_to("authorise returns")
    left = [ln for ln in returnable(head.order_id) if ln.product_id == product_id and ln.left > 0] \
        if head.order_id is not None else []
    if not left:
        raise ValidationError(f"{sku}: nothing more of it shipped on this order is left to return")
    line = left[0]
    row = db.execute("SELECT id FROM return_line WHERE rma_id = ? AND order_line_id = ?",
                     (head.id, line.order_line_id)).fetchone()
    if row is not None:
        db.execute("UPDATE return_line SET qty_expected = qty_expected + 1 WHERE id = ?", (row[0],))
    else:
        db.execute("INSERT INTO return_line (rma_id, product_id, order_line_id, qty_expected, qty_received, "
                   "disposition, reason, wants, note, qty_restocked, qty_quarantined, qty_scrapped) "
                   "VALUES (?, ?, ?, 1, 0, '', 'other', 'refund', ?, 0, 0, 0)",
                   (head.id, product_id, line.order_line_id, PARCEL_NOTE))
    audit.record("return_authorised", actor=actor, client_id=head.client_id, doc_type="order",
                 doc_id=head.order_id, detail=f"{head.number}: 1 x {sku} (other, refund) more in the parcel")


def _sku(product_id: int) -> str:
    return str(db.execute("SELECT sku FROM product WHERE id = ?", (product_id,)).fetchone()[0])


def unreleased_replacements(rma_id: int) -> tuple[tuple[str, int], ...]:
    """An exchange's replacement units (SKU, units) while its order is not released yet; ()
    once it is, or for an RMA without replacements."""
    return tuple((str(sku), int(qty)) for sku, qty in db.execute(
        'SELECT p.sku, x.qty_expected FROM return_line x JOIN "return" r ON r.id = x.rma_id '
        "JOIN product p ON p.id = x.product_id WHERE x.rma_id = ? AND x.wants = ? "
        "AND r.exchange_order_id IS NULL ORDER BY x.id", (rma_id, REPLACEMENT)).fetchall())


def release_exchange(rma_id: int, *, actor: Actor) -> str:
    """Create the RMA's replacement order and allocate it (inside the caller's transaction);
    returns its number ("" if the RMA has no replacements or already has its order)."""
    row = db.execute('SELECT number, order_id, exchange_order_id FROM "return" WHERE id = ?', (rma_id,)).fetchone()
    rma_number, order_id, existing = row
    swaps = db.execute("SELECT p.sku, x.qty_expected FROM return_line x JOIN product p ON p.id = x.product_id "
                       "WHERE x.rma_id = ? AND x.wants = ? ORDER BY x.id", (rma_id, REPLACEMENT)).fetchall()
    if existing is not None or not swaps or order_id is None:
        return ""
    base = order_detail(int(order_id))
    n = 1
    while db.execute('SELECT 1 FROM "order" WHERE client_id = ? AND number = ?',
                     (base.client_id, f"{base.number}-X{n}")).fetchone():
        n += 1
    number = f"{base.number}-X{n}"
    fields = {key: getattr(base, key) for key in (
        "customer_name", "email", "phone", "ship_name", "ship_company", "address1", "address2", "city",
        "province", "zip", "country", "carrier", "service")}
    ref = create_order(base.client_code, number, [(sku, int(qty)) for sku, qty in swaps], actor=actor,
                       channel="exchange", notes=f"exchange for {base.number} ({rma_number})", **fields)
    db.execute('UPDATE "return" SET exchange_order_id = ? WHERE id = ?', (ref.id, rma_id))
    allocation.allocate_orders(actor=actor, order_ids=[ref.id])
    audit.record("exchange_order", actor=actor, client_id=base.client_id, doc_type="order", doc_id=base.id,
                 detail=f"{rma_number}: replacement order {number}")
    return number
