"""Looking orders up: an order's detail, find by number, lists and search, timeline, counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.kernel.errors import NotFound, ValidationError
from app.kernel.states import OrderStatus
from app.kernel.states import label as state_label
from app.orders.status import OPEN_STATUSES, STATUSES, LineQty, marks, short_sql
from app.store import db
from app.store.db import as_date, as_datetime

# --- Results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderRef:
    """An order named by its id and number, with its status."""

    id: int
    number: str
    status: OrderStatus


@dataclass(frozen=True)
class OrderLineRow:
    """One line of an order with its quantities."""

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
    """An order's fields, milestone times and lines."""

    id: int
    client_id: int
    client_code: str
    number: str
    status: OrderStatus
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
    status: OrderStatus
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
    """One thing that happened to an order (a status change, a stock move, an event)."""

    at: dt.datetime
    kind: str  # status, move, event
    text: str
    who: str
    station: str



def _stamp(value: object) -> dt.datetime:
    """A NOT NULL timestamp column (created_at) read by raw SQL."""
    at = as_datetime(value)
    if at is None:
        raise ValueError(f"missing timestamp: {value!r}")
    return at



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
    values[4] = OrderStatus(values[4])
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
    oid, found, status = rows[0]
    return OrderRef(oid, found, OrderStatus(status))


# Orders whose lines wait for nothing any more: they show no back-ordered units.
_NOTHING_SHORT = ", ".join(f"'{s}'" for s in (OrderStatus.CANCELLED, OrderStatus.SHIPPED,
                                               OrderStatus.PACKED))
_LIST_SELECT = (
    'SELECT o.id, c.code, o.number, o.status, o.customer_name, o.email, o.city, o.country, '
    'o.priority, o.ship_by, o.received_at, '
    '(SELECT COUNT(*) FROM order_line ol WHERE ol.order_id = o.id), '
    '(SELECT COALESCE(SUM(ol.qty_ordered - ol.qty_cancelled), 0) FROM order_line ol WHERE ol.order_id = o.id), '
    '(SELECT COALESCE(SUM(CASE WHEN {short} > 0 THEN {short} ELSE 0 END), 0) FROM order_line ol '
    "WHERE ol.order_id = o.id AND o.status NOT IN ({done})) "
    'FROM "order" o JOIN client c ON c.id = o.client_id'
)


def _order_rows(where: list[str], params: list[object], *, limit: int, offset: int = 0,
                order: str = "o.id DESC") -> list[OrderRow]:
    sql = _LIST_SELECT.format(short=short_sql("ol"), done=_NOTHING_SHORT)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order} LIMIT {int(limit)} OFFSET {int(offset)}"
    if db.is_postgres():
        sql = sql.replace(" LIKE ", " ILIKE ")
    out = []
    for r in db.execute(sql, params).fetchall():
        r = list(r)
        r[3] = OrderStatus(r[3])
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
    if status:
        # a code ("backordered") or its words as the screens show them ("Back-ordered")
        status = status.strip().lower().replace("-", "").replace(" ", "_")
    if status == "open":
        where.append(f"o.status IN ({marks(len(OPEN_STATUSES))})")
        params += list(OPEN_STATUSES)
    elif status:
        if status not in STATUSES:
            raise ValidationError(f"unknown order status {status!r}: one of open, {', '.join(STATUSES)}")
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


# SQLite's LIKE folds the case of ASCII letters only ("åsa" would miss "Åsa"), where
# PostgreSQL's ILIKE folds every letter. A search with other letters compares both sides in
# lower case through this function on SQLite; an ASCII search keeps SQLite's own LIKE.
_LOWER = "unicode_lower"


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _search_where(text: str) -> tuple[str, list[object]]:
    """The WHERE clause of a search: the exact number or tracking number (indexed), or a part
    of the number, customer or parcel name, email or tracking number in any letter case."""
    term = text.lstrip("#")
    like = _like(term)
    col = "{}"
    if not term.isascii() and db.is_sqlite():
        db.database.register_function(_unicode_lower, _LOWER, 1, deterministic=True)
        like, col = like.lower(), f"{_LOWER}({{}})"
    number, customer, ship, email, tracking = (col.format(c) for c in (
        "o.number", "o.customer_name", "o.ship_name", "o.email", "pk.tracking"))
    return (
        f"(o.number = ? OR {number} LIKE ? OR {customer} LIKE ? OR {ship} LIKE ? "
        f"OR {email} LIKE ? OR o.id IN (SELECT pk.order_id FROM package pk WHERE pk.tracking = ? "
        f"OR (pk.tracking <> '' AND {tracking} LIKE ?)))",
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
        text = f"{state_label(old, OrderStatus)} -> {state_label(new, OrderStatus)}"
        if not old:
            text = f"created ({state_label(new, OrderStatus)})"
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
    """How many orders (of one client) are in each status; every status is listed."""
    sql = 'SELECT o.status, COUNT(*) FROM "order" o'
    params: list[object] = []
    if client:
        sql += " JOIN client c ON c.id = o.client_id WHERE c.code = ?"
        params.append(client.strip().upper())
    sql += " GROUP BY o.status"
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    counts.update({s: int(n) for s, n in db.execute(sql, params).fetchall()})
    return counts
