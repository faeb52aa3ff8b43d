"""Pick lists: waves of allocated orders walked in bin order, confirmed scan by scan.

A wave takes allocated orders (filters: client, carrier/service, ship-by, cart size) and
gives each a tote. Its PickLines are the orders' Allocation rows, one per allocation;
the picker sees them consolidated into stops per (bin, product) in walk order
(``Location.pick_seq``). A confirmed pick moves the units bin -> PACKING, consuming the
reservation; a short pick writes off what the ledger wrongly claims, re-routes the line
to another bin with free stock or sends it back to back-order. Scans run on raw SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app import ledger
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.barcodes import normalize_code
from app.kernel.errors import Conflict, InvalidTransition, NotFound, ValidationError
from app.store import audit, db

OPEN_STATUSES = ("open", "picking")
DEFAULT_MAX_ORDERS = 24  # a cart's totes
WAVE_LOCK_KEY = 815005  # PostgreSQL advisory lock serialising wave creation

PICKLIST_STATES = audit.StateMachine("picklist", {
    "": {"open"},
    "open": {"picking", "done", "cancelled"},
    "picking": {"done", "cancelled"},
})

# Why a picker could not take what the list said, and what that means for the ledger:
#   empty   - the bin holds none of it: everything free there is written off
#   short   - fewer than needed: the shortage is written off
#   damaged - units there but unsellable: the shortage goes to QUARANTINE
#   blocked - bin cannot be reached: no stock move, the line is re-routed or back-ordered
SHORT_REASONS = ("empty", "short", "damaged", "blocked")
WRITE_OFF_REASON = "short pick"


class WrongScan(ValidationError):  # noqa: N818 - named like NotFound, OutOfStock
    """A scan that does not fit the current stop (wrong bin, item or tote): nothing changed."""


class LinesDropped(Conflict):  # noqa: N818 - named like Conflict
    """The scanned stop's reservation is gone (the order was shipped early or its stock released
    at another station): its open lines were closed, the picker goes on to the next stop."""


# --- Results ------------------------------------------------------------------------


@dataclass(frozen=True)
class PickListRef:
    id: int
    number: str
    orders: int
    lines: int
    units: int


@dataclass(frozen=True)
class ToteSplit:
    tote: int
    order_number: str
    qty: int
    picked: int
    short: int

    @property
    def remaining(self) -> int:
        return self.qty - self.picked - self.short


@dataclass(frozen=True)
class Stop:
    """One place on the walk: take ``qty`` of a product from a bin, split over totes."""

    index: int  # 1-based position on the walk
    location_id: int
    bin_code: str
    pick_seq: int
    product_id: int
    sku: str
    name: str
    packing_instructions: str
    qty: int
    picked: int
    short: int
    totes: tuple[ToteSplit, ...]

    @property
    def remaining(self) -> int:
        return self.qty - self.picked - self.short

    @property
    def done(self) -> bool:
        return self.remaining <= 0

    def split_text(self) -> str:
        """'T1 x2, T3 x1' - how the stop's units go into the totes."""
        return ", ".join(f"T{t.tote} x{t.qty}" for t in self.totes)


@dataclass(frozen=True)
class ToteOrder:
    tote: int
    order_id: int
    order_number: str
    client: str
    customer: str


@dataclass(frozen=True)
class PickListView:
    id: int
    number: str
    status: str
    client: str  # client code when the wave was filtered by one, else ""
    picker: str
    created_by: str
    created_at: dt.datetime
    orders: tuple[ToteOrder, ...]
    stops: tuple[Stop, ...]

    @property
    def units(self) -> int:
        return sum(s.qty for s in self.stops)

    @property
    def next_stop(self) -> Stop | None:
        return next((s for s in self.stops if not s.done), None)

    @property
    def open_stops(self) -> int:
        return sum(1 for s in self.stops if not s.done)


@dataclass(frozen=True)
class PickListSummary:
    id: int
    number: str
    status: str
    client: str
    picker: str
    created_at: dt.datetime
    orders: int
    lines_open: int
    lines_total: int


@dataclass(frozen=True)
class PickResult:
    picklist_id: int
    number: str
    bin_code: str
    sku: str
    name: str
    tote: int
    qty: int
    order_numbers: tuple[str, ...]
    stop_remaining: int
    next_stop: Stop | None
    picklist_status: str


@dataclass(frozen=True)
class Reroute:
    bin_code: str
    tote: int
    qty: int


@dataclass(frozen=True)
class ShortResult:
    picklist_id: int
    number: str
    bin_code: str
    sku: str
    qty_short: int
    written_off: int
    quarantined: int
    rerouted: tuple[Reroute, ...]
    backordered: int
    next_stop: Stop | None
    picklist_status: str

    def message(self) -> str:
        """What the picker is told to do next."""
        parts = []
        if self.rerouted:
            where = ", ".join(f"{r.qty} from {r.bin_code} for tote {r.tote}" for r in self.rerouted)
            parts.append(f"take {where}")
        if self.backordered:
            parts.append(f"{self.backordered} of {self.sku} back-ordered")
        return f"short {self.qty_short} of {self.sku} in {self.bin_code}: " + ("; ".join(parts) or "recorded")


@dataclass(frozen=True)
class PickExceptionRow:
    id: int
    created_at: dt.datetime
    picklist: str
    order_number: str
    client: str
    sku: str
    name: str
    bin_code: str
    qty: int
    reason: str
    outcome: str
    user_name: str
    resolved: bool


# --- Helpers ------------------------------------------------------------------------


@dataclass(frozen=True)
class _ListRow:
    id: int
    number: str
    status: str
    client_id: int | None
    picker: str


def _list_row(picklist: int | str, *, lock: bool = False) -> _ListRow:
    """A pick list by id or number ('PL000123', '123'); row-locked on PostgreSQL if ``lock``."""
    suffix = db.for_update() if lock else ""
    cols = "SELECT id, number, status, client_id, picker FROM pick_list"
    if isinstance(picklist, int) and not isinstance(picklist, bool):
        row = db.execute(cols + " WHERE id = ?" + suffix, (picklist,)).fetchone()
        label = f"#{picklist}"
    else:
        text = str(picklist).strip().upper()
        if not text:
            raise ValidationError("name the pick list (e.g. PL000123)")
        if text.isdigit():
            text = format_number(int(text))
        row = db.execute(cols + " WHERE number = ?" + suffix, (text,)).fetchone()
        label = text
    if row is None:
        raise NotFound(f"no pick list {label}")
    return _ListRow(int(row[0]), row[1], row[2], row[3], row[4] or "")


def format_number(value: int) -> str:
    return f"PL{value:06d}"


def _next_number() -> str:
    row = db.execute(
        'INSERT INTO "sequence" (name, value) VALUES (?, 1) ON CONFLICT (name) '
        'DO UPDATE SET value = "sequence".value + 1 RETURNING value', ("picklist",),
    ).fetchone()
    return format_number(int(row[0]))


def _set_status(pl: _ListRow, to_status: str, *, actor: Actor, note: str = "") -> None:
    PICKLIST_STATES.guard(pl.status, to_status, label=pl.number)
    now = clock.now()
    extra = {"picking": ", started_at = ?", "done": ", completed_at = ?",
             "cancelled": ", completed_at = ?"}.get(to_status, "")
    params: list[object] = [to_status, *([now] if extra else []), pl.id]
    db.execute(f"UPDATE pick_list SET status = ?{extra} WHERE id = ?", params)
    audit.status_changed("picklist", pl.id, pl.status, to_status, actor=actor,
                         client_id=pl.client_id, note=note)


def _recompute(order_ids: Iterable[int], *, actor: Actor) -> None:
    from app import orders

    ids = sorted(set(order_ids))
    many = getattr(orders, "recompute_many", None)
    if many is not None:  # set-based: one query per 900 orders
        many(ids, actor=actor)
        return
    for order_id in ids:
        orders.recompute_status(order_id, actor=actor)


def _parse_tote(tote: int | str) -> int:
    """3, '3', 'T3', 'T-03', 'TOTE3', 'TOTE-03' (what tote labels carry) -> 3."""
    text = str(tote).strip().upper()
    for prefix in ("TOTE", "T"):
        if text.startswith(prefix):
            text = text[len(prefix):].lstrip("-_ ")
            break
    if not text.isdigit() or int(text) <= 0:
        raise ValidationError(f"tote must be a number like 3 or T3, not {tote!r}")
    return int(text)


def _positive(qty: object, what: str) -> int:
    if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
        raise ValidationError(f"{what} must be a positive whole number, not {qty!r}")
    return qty


# --- Waves --------------------------------------------------------------------------


def _wave_filter(*, client: str | None, carrier: str | None, service: str | None,
                 ship_by: dt.date | None, include_partial: bool) -> tuple[list[str], list[object], int | None]:
    """WHERE terms (on ``"order" o``), their parameters and the client id of a wave's filters."""
    statuses = ["allocated"] + (["partially_allocated"] if include_partial else [])
    # 'picking' orders off any open list with stock reserved: a back-ordered rest that was
    # allocated after an earlier wave.
    where = [f"(o.status IN ({', '.join('?' for _ in statuses)}) OR (o.status = 'picking' AND EXISTS "
             "(SELECT 1 FROM order_line ol JOIN allocation a ON a.order_line_id = ol.id "
             "WHERE ol.order_id = o.id AND a.qty > 0)))"]
    params: list[object] = list(statuses)
    client_id = None
    if client:
        row = db.execute("SELECT id FROM client WHERE code = ?", (client.strip().upper(),)).fetchone()
        if row is None:
            raise NotFound(f"no client {client!r}")
        client_id = int(row[0])
        where.append("o.client_id = ?")
        params.append(client_id)
    if carrier:
        where.append("lower(o.carrier) = ?")
        params.append(carrier.strip().lower())
    if service:
        where.append("lower(o.service) = ?")
        params.append(service.strip().lower())
    if ship_by is not None:
        where.append("o.ship_by <= ?")
        params.append(ship_by)
    where.append(
        "NOT EXISTS (SELECT 1 FROM pick_list_order plo JOIN pick_list pl ON pl.id = plo.picklist_id "
        "WHERE plo.order_id = o.id AND pl.status IN ('open', 'picking'))"
    )
    return where, params, client_id


def waiting_orders(*, client: str | None = None, carrier: str | None = None, service: str | None = None,
                   ship_by: dt.date | None = None, include_partial: bool = False) -> int:
    """How many orders a wave with these filters could take now (for the wave dialog).

    Raises:
        NotFound: unknown client.
    """
    if ship_by is not None and not isinstance(ship_by, dt.date):
        raise ValidationError(f"ship-by must be a date, not {ship_by!r}")
    where, params, _ = _wave_filter(client=client, carrier=carrier, service=service, ship_by=ship_by,
                                    include_partial=include_partial)
    return int(db.execute('SELECT COUNT(*) FROM "order" o WHERE ' + " AND ".join(where), params).fetchone()[0])


def create_picklist(*, actor: Actor, client: str | None = None, carrier: str | None = None,
                    service: str | None = None, ship_by: dt.date | None = None,
                    max_orders: int | None = DEFAULT_MAX_ORDERS, include_partial: bool = False,
                    picker: str = "") -> PickListRef:
    """Create a wave: allocated orders not on any open pick list, most urgent first.

    Args:
        client: only this client's orders (code).
        carrier, service: only orders shipping with this carrier / service (case-insensitive).
        ship_by: only orders due on or before this date.
        max_orders: how many totes the cart holds (None: no limit); each order gets tote 1..N.
        include_partial: also pick orders only partly allocated (ship what is there).
        picker: who will walk it (printed on the list).

    Returns:
        The new list's id, number and size.

    Raises:
        ValidationError: bad filter, or no order matches (nothing is created).
        NotFound: unknown client.
    """
    actor.require("packer", action="create pick lists")
    if max_orders is not None:
        _positive(max_orders, "max orders")
    if ship_by is not None and not isinstance(ship_by, dt.date):
        raise ValidationError(f"ship-by must be a date, not {ship_by!r}")
    where, params, client_id = _wave_filter(client=client, carrier=carrier, service=service,
                                            ship_by=ship_by, include_partial=include_partial)
    sql = (
        'SELECT o.id FROM "order" o WHERE ' + " AND ".join(where)
        + " ORDER BY o.priority DESC, CASE WHEN o.ship_by IS NULL THEN 1 ELSE 0 END, o.ship_by, "
        "o.received_at, o.id"
    )
    if max_orders is not None:
        sql += f" LIMIT {int(max_orders)}"
    if db.is_postgres():
        sql += " FOR UPDATE OF o"
    now = clock.now()
    with db.write():
        if db.is_postgres():
            # Two stations making waves at once: the second chooses after the first committed,
            # so its statement sees the first's totes (SQLite: the IMMEDIATE write lock).
            db.execute("SELECT pg_advisory_xact_lock(?)", (WAVE_LOCK_KEY,))
        order_ids = [int(r[0]) for r in db.execute(sql, params).fetchall()]
        if not order_ids:
            raise ValidationError("no allocated orders match these filters (or all are on open pick lists)")
        number = _next_number()
        cur = db.execute(
            "INSERT INTO pick_list (number, client_id, status, picker, created_by, created_at) "
            "VALUES (?, ?, 'open', ?, ?, ?) RETURNING id",
            (number, client_id, picker.strip(), actor.name, now),
        )
        pl_id = int(cur.fetchone()[0])
        _insert_many(
            "INSERT INTO pick_list_order (picklist_id, order_id, tote) VALUES ",
            [(pl_id, oid, tote) for tote, oid in enumerate(order_ids, start=1)],
        )
        # One PickLine per allocation, set-based.
        db.execute(
            "INSERT INTO pick_line (picklist_id, order_line_id, product_id, location_id, tote, qty, "
            "qty_picked, qty_short, short_reason, status) "
            "SELECT plo.picklist_id, a.order_line_id, a.product_id, a.location_id, plo.tote, a.qty, "
            "0, 0, '', 'open' FROM pick_list_order plo "
            "JOIN order_line ol ON ol.order_id = plo.order_id "
            "JOIN allocation a ON a.order_line_id = ol.id "
            "WHERE plo.picklist_id = ? AND a.qty > 0 ORDER BY plo.tote, ol.line_no, a.id",
            (pl_id,),
        )
        lines, units = db.execute(
            "SELECT COUNT(*), COALESCE(SUM(qty), 0) FROM pick_line WHERE picklist_id = ?", (pl_id,)
        ).fetchone()
        if not lines:
            raise ValidationError("the matching orders have no reserved stock to pick")
        audit.status_changed("picklist", pl_id, "", "open", actor=actor, client_id=client_id,
                             note=f"{len(order_ids)} orders")
        _recompute(order_ids, actor=actor)
    return PickListRef(pl_id, number, len(order_ids), int(lines), int(units))


def _insert_many(prefix: str, rows: list[tuple[Any, ...]]) -> None:
    """A multi-row INSERT in chunks (one statement per 300 rows)."""
    for i in range(0, len(rows), 300):
        chunk = rows[i : i + 300]
        width = len(chunk[0])
        values = ", ".join("(" + ", ".join("?" * width) + ")" for _ in chunk)
        db.execute(prefix + values, [v for row in chunk for v in row])


# --- Queries ------------------------------------------------------------------------


_LINES_SQL = (
    "SELECT pl.location_id, l.code, l.pick_seq, pl.product_id, p.sku, p.name, p.packing_instructions, "
    "pl.tote, o.number, pl.qty, pl.qty_picked, pl.qty_short "
    "FROM pick_line pl JOIN location l ON l.id = pl.location_id "
    "JOIN product p ON p.id = pl.product_id "
    "JOIN order_line ol ON ol.id = pl.order_line_id "
    'JOIN "order" o ON o.id = ol.order_id '
    "WHERE pl.picklist_id = ? AND pl.status <> 'cancelled' "
    "ORDER BY l.pick_seq, l.code, p.sku, pl.tote"
)


_WALK_SQL = (
    "SELECT pl.location_id, pl.product_id, SUM(pl.qty - pl.qty_picked - pl.qty_short) "
    "FROM pick_line pl JOIN location l ON l.id = pl.location_id JOIN product p ON p.id = pl.product_id "
    "WHERE pl.picklist_id = ? AND pl.status <> 'cancelled' "
    "GROUP BY pl.location_id, pl.product_id, l.pick_seq, l.code, p.sku ORDER BY l.pick_seq, l.code, p.sku"
)


def _stop_pair(picklist_id: int, key: tuple[int, int]) -> tuple[Stop | None, Stop | None]:
    """(the stop ``key`` = (location, product), the next open stop) without building the whole
    list: what a scan answers with, cheaply on a long wave."""
    walk = db.execute(_WALK_SQL, (picklist_id,)).fetchall()
    index = {(r[0], r[1]): i for i, r in enumerate(walk, start=1)}
    nxt = next(((r[0], r[1]) for r in walk if r[2] > 0), None)
    keys = [k for k in {key, nxt} if k is not None and k in index]
    if not keys:
        return None, None
    where = " OR ".join("(pl.location_id = ? AND pl.product_id = ?)" for _ in keys)
    sql = _LINES_SQL.replace("WHERE pl.picklist_id = ? ", f"WHERE pl.picklist_id = ? AND ({where}) ")
    built = {(st.location_id, st.product_id): st
             for st in _stops(picklist_id, sql=sql, params=[picklist_id, *[v for k in keys for v in k]],
                              index=index)}
    return built.get(key), built.get(nxt) if nxt is not None else None


def _stops(picklist_id: int, *, sql: str = _LINES_SQL, params: list[object] | None = None,
           index: dict[tuple[int, int], int] | None = None) -> tuple[Stop, ...]:
    groups: dict[tuple[int, int], list[Any]] = {}  # [loc, code, seq, pid, sku, name, instr, {tote: [...]}]
    for loc_id, code, seq, pid, sku, name, instr, tote, onum, qty, picked, short in db.execute(
        sql, params if params is not None else (picklist_id,)
    ).fetchall():
        g = groups.get((loc_id, pid))
        if g is None:
            g = groups[(loc_id, pid)] = [loc_id, code, seq, pid, sku, name, instr or "", {}]
        totes = g[7]
        t = totes.get(tote)
        if t is None:
            totes[tote] = [onum, qty, picked, short]
        else:
            t[1] += qty
            t[2] += picked
            t[3] += short
    stops = []
    for i, (loc_id, code, seq, pid, sku, name, instr, totes) in enumerate(groups.values(), start=1):
        splits = tuple(ToteSplit(t, v[0], v[1], v[2], v[3]) for t, v in sorted(totes.items()))
        stops.append(Stop(
            index=index[(loc_id, pid)] if index is not None else i, location_id=loc_id, bin_code=code, pick_seq=seq, product_id=pid, sku=sku,
            name=name, packing_instructions=instr, qty=sum(s.qty for s in splits),
            picked=sum(s.picked for s in splits), short=sum(s.short for s in splits), totes=splits,
        ))
    return tuple(stops)


def picklist_view(picklist: int | str) -> PickListView:
    """Everything the screen and the printed list show: header, totes and stops in walk order.

    Raises:
        NotFound: no such pick list.
    """
    pl = _list_row(picklist)
    head = db.execute(
        "SELECT pl.created_by, pl.created_at, c.code FROM pick_list pl "
        "LEFT JOIN client c ON c.id = pl.client_id WHERE pl.id = ?", (pl.id,),
    ).fetchone()
    orders = tuple(
        ToteOrder(int(tote), int(oid), number, ccode, customer or "")
        for tote, oid, number, ccode, customer in db.execute(
            'SELECT plo.tote, o.id, o.number, c.code, o.customer_name FROM pick_list_order plo '
            'JOIN "order" o ON o.id = plo.order_id JOIN client c ON c.id = o.client_id '
            "WHERE plo.picklist_id = ? ORDER BY plo.tote", (pl.id,),
        ).fetchall()
    )
    created_at = head[1]
    if isinstance(created_at, str):
        created_at = dt.datetime.fromisoformat(created_at)
    return PickListView(pl.id, pl.number, pl.status, head[2] or "", pl.picker, head[0] or "",
                        created_at, orders, _stops(pl.id))


def next_stop(picklist: int | str) -> Stop | None:
    """The first stop on the walk that still has something to pick (None when all done)."""
    return picklist_view(picklist).next_stop


def open_picklists(*, include_done: bool = False, limit: int = 200) -> list[PickListSummary]:
    """Pick lists for the screen's list: open and in progress first, newest first."""
    where = "" if include_done else "WHERE pl.status IN ('open', 'picking')"
    rows = db.execute(
        "SELECT pl.id, pl.number, pl.status, COALESCE(c.code, ''), pl.picker, pl.created_at, "
        "(SELECT COUNT(*) FROM pick_list_order plo WHERE plo.picklist_id = pl.id), "
        "(SELECT COUNT(*) FROM pick_line x WHERE x.picklist_id = pl.id AND x.status = 'open'), "
        "(SELECT COUNT(*) FROM pick_line x WHERE x.picklist_id = pl.id AND x.status <> 'cancelled') "
        f"FROM pick_list pl LEFT JOIN client c ON c.id = pl.client_id {where} "
        f"ORDER BY pl.id DESC LIMIT {int(limit)}"
    ).fetchall()
    out = []
    for r in rows:
        created = r[5]
        if isinstance(created, str):
            created = dt.datetime.fromisoformat(created)
        out.append(PickListSummary(int(r[0]), r[1], r[2], r[3], r[4] or "", created, int(r[6]),
                                   int(r[7]), int(r[8])))
    return out


def exceptions_list(*, include_resolved: bool = False, limit: int = 500) -> list[PickExceptionRow]:
    """Short picks for the supervisor, newest first: what was short, where, and what became of it."""
    where = "" if include_resolved else "WHERE e.resolved_at IS NULL"
    rows = db.execute(
        "SELECT e.id, e.created_at, pl.number, o.number, c.code, p.sku, p.name, l.code, e.qty, "
        "e.reason, e.outcome, e.user_name, e.resolved_at FROM pick_exception e "
        "JOIN pick_list pl ON pl.id = e.picklist_id JOIN order_line ol ON ol.id = e.order_line_id "
        'JOIN "order" o ON o.id = ol.order_id JOIN client c ON c.id = o.client_id '
        "JOIN product p ON p.id = e.product_id JOIN location l ON l.id = e.location_id "
        f"{where} ORDER BY e.id DESC LIMIT {int(limit)}"
    ).fetchall()
    out = []
    for r in rows:
        created = r[1]
        if isinstance(created, str):
            created = dt.datetime.fromisoformat(created)
        out.append(PickExceptionRow(int(r[0]), created, r[2], r[3], r[4], r[5], r[6], r[7], int(r[8]),
                                    r[9], r[10], r[11], r[12] is not None))
    return out


def resolve_exception(exception_id: int, *, actor: Actor, note: str = "") -> None:
    """The supervisor has dealt with a short pick (counted the bin, told the client...)."""
    actor.require(action="resolve pick exceptions")
    with db.write():
        cur = db.execute("UPDATE pick_exception SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL",
                         (clock.now(), exception_id))
        if cur.rowcount != 1:
            raise NotFound(f"no open pick exception #{exception_id}")
        audit.record("pick_exception_resolved", actor=actor, doc_type="pick_exception",
                     doc_id=exception_id, detail=note)


# --- Picking ------------------------------------------------------------------------


@dataclass(frozen=True)
class _OpenLine:
    id: int
    order_line_id: int
    order_id: int
    order_number: str
    location_id: int
    bin_code: str
    product_id: int
    client_id: int
    sku: str
    tote: int
    qty: int
    picked: int
    short: int

    @property
    def remaining(self) -> int:
        return self.qty - self.picked - self.short


def _current_location(picklist_id: int) -> tuple[int, str] | None:
    """(id, code) of the current stop's bin: the first open line on the walk."""
    row: tuple[int, str] | None = db.execute(
        "SELECT pl.location_id, l.code FROM pick_line pl JOIN location l ON l.id = pl.location_id "
        "JOIN product p ON p.id = pl.product_id WHERE pl.picklist_id = ? AND pl.status = 'open' "
        "ORDER BY l.pick_seq, l.code, p.sku LIMIT 1", (picklist_id,),
    ).fetchone()
    return row


def _open_lines(picklist_id: int, location_id: int) -> list[_OpenLine]:
    """Open pick lines of one bin, in walk order (SKU, then tote)."""
    rows = db.execute(
        "SELECT pl.id, pl.order_line_id, ol.order_id, o.number, pl.location_id, l.code, pl.product_id, "
        "p.client_id, p.sku, pl.tote, pl.qty, pl.qty_picked, pl.qty_short "
        "FROM pick_line pl JOIN location l ON l.id = pl.location_id "
        "JOIN product p ON p.id = pl.product_id JOIN order_line ol ON ol.id = pl.order_line_id "
        'JOIN "order" o ON o.id = ol.order_id '
        "WHERE pl.picklist_id = ? AND pl.location_id = ? AND pl.status = 'open' "
        "ORDER BY p.sku, pl.tote, pl.id", (picklist_id, location_id),
    ).fetchall()
    return [_OpenLine(*r) for r in rows]


def _bin(bin_code: str) -> ledger.LocationRef:
    code = (bin_code or "").strip().upper()
    if not code:
        raise ValidationError("scan the bin")
    try:
        return ledger.location(code)
    except NotFound:
        raise WrongScan(f"{code} is not a bin") from None


def _match_product(code: str, product_ids: set[int]) -> tuple[int, int] | None:
    """(product id, units per scan) when ``code`` is a barcode or SKU of one of these products."""
    ids = sorted(product_ids)
    marks = ", ".join("?" for _ in ids)
    row = db.execute(
        f"SELECT product_id, pack_qty FROM product_barcode WHERE code = ? AND product_id IN ({marks}) "
        "ORDER BY id LIMIT 1", [normalize_code(code), *ids],
    ).fetchone()
    if row:
        return int(row[0]), int(row[1] or 1)
    row = db.execute(f"SELECT id FROM product WHERE sku = ? AND id IN ({marks}) LIMIT 1",
                     [code, *ids]).fetchone()
    if row is None:
        row = db.execute(f"SELECT id FROM product WHERE upper(sku) = ? AND id IN ({marks}) LIMIT 1",
                         [code.upper(), *ids]).fetchone()
    return (int(row[0]), 1) if row else None


def _describe_scan(code: str) -> str:
    from app.catalog import scan

    try:
        hit = scan.find_product_code(code)
    except ValidationError:
        hit = None
    return f"{code} ({hit.label})" if hit else f"{code} (unknown)"


def _consume_allocation(order_line_id: int, location_id: int, qty: int) -> None:
    """Lower the reservation rows of one order line in one bin by ``qty`` (the caller keeps
    StockLevel.reserved equal: apply_move's consume_reserved, or _release_reserved)."""
    rows = db.execute(
        "SELECT id, qty FROM allocation WHERE order_line_id = ? AND location_id = ? AND qty > 0 "
        "ORDER BY id" + db.for_update(), (order_line_id, location_id),
    ).fetchall()
    if sum(q for _, q in rows) < qty:
        raise Conflict("the reservation for this pick is gone (released elsewhere?): ask the supervisor")
    left = qty
    for alloc_id, aqty in rows:
        take = min(aqty, left)
        if take == aqty:
            db.execute("DELETE FROM allocation WHERE id = ?", (alloc_id,))
        else:
            db.execute("UPDATE allocation SET qty = qty - ? WHERE id = ?", (take, alloc_id))
        left -= take
        if not left:
            break


@dataclass(frozen=True)
class ItemMatch:
    stop: Stop
    pack_qty: int  # units one scan of that code stands for


def check_bin(picklist: int | str, bin_code: str) -> Stop:
    """The scanned bin is the current stop's (read-only; the screen's first step).

    Raises:
        WrongScan: another bin, or not a bin at all.
        InvalidTransition: the list is finished or cancelled.
    """
    return _check_bin(picklist_view(picklist), bin_code)


def _check_bin(view: PickListView, bin_code: str) -> Stop:
    loc = _bin(bin_code)
    if view.status not in OPEN_STATUSES:
        raise InvalidTransition(f"pick list {view.number} is {view.status}")
    current = view.next_stop
    if current is None:
        raise InvalidTransition(f"pick list {view.number} has nothing left to pick")
    if loc.id != current.location_id:
        raise WrongScan(f"wrong bin {loc.code}: go to {current.bin_code} for {current.sku}")
    return current


def check_item(picklist: int | str, *, bin_code: str, scan_code: str) -> ItemMatch:
    """The scanned item is one to take from this (current) bin (read-only; the second step).

    Raises:
        WrongScan: wrong bin or item.
    """
    code = (scan_code or "").strip()
    if not code:
        raise ValidationError("scan the item")
    view = picklist_view(picklist)
    current = _check_bin(view, bin_code)
    here = [s for s in view.stops if s.location_id == current.location_id and not s.done]
    match = _match_product(code, {s.product_id for s in here})
    if match is None:
        wanted = ", ".join(sorted({s.sku for s in here}))
        raise WrongScan(f"wrong item {_describe_scan(code)}: take {wanted} from {current.bin_code}")
    return ItemMatch(next(s for s in here if s.product_id == match[0]), match[1])


def confirm_pick(picklist: int | str, *, bin_code: str, scan_code: str, qty: int | None = None,
                 tote: int | str, actor: Actor) -> PickResult:
    """The picker took units from the current stop's bin and put them in a tote.

    The bin must be the current stop's (the first open one on the walk), the item one of the
    products to take there (any barcode or the SKU; a case-pack code counts its pack size),
    and the tote one whose order still needs it here. ``qty`` is how many scans that were
    (keyed instead of scanning each unit). Stock moves bin -> PACKING consuming the
    reservation; allocation, order line and pick line follow in the same transaction.

    Raises:
        WrongScan: wrong bin, item or tote (nothing changed).
        ValidationError: more than the tote needs here; bad quantity.
        InvalidTransition: the pick list is finished or cancelled.
    """
    actor.require("packer", action="pick")
    code = (scan_code or "").strip()
    if not code:
        raise ValidationError("scan the item")
    count = 1 if qty is None else _positive(qty, "quantity")
    tote_no = _parse_tote(tote)
    loc = _bin(bin_code)
    try:
        return _confirm_pick(picklist, loc, code, count, tote_no, actor=actor)
    except Conflict as exc:
        _after_conflict(picklist, exc, actor=actor)
        raise


def _confirm_pick(picklist: int | str, loc: ledger.LocationRef, code: str, count: int, tote_no: int, *,
                  actor: Actor) -> PickResult:
    with db.write():
        pl = _list_row(picklist, lock=True)
        if pl.status not in OPEN_STATUSES:
            raise InvalidTransition(f"pick list {pl.number} is {pl.status}")
        current = _current_location(pl.id)
        if current is None:
            raise InvalidTransition(f"pick list {pl.number} has nothing left to pick")
        if loc.id != current[0]:
            first = _open_lines(pl.id, current[0])[0]
            raise WrongScan(f"wrong bin {loc.code}: go to {first.bin_code} for {first.sku}")
        here = _open_lines(pl.id, loc.id)
        match = _match_product(code, {ln.product_id for ln in here})
        if match is None:
            wanted = ", ".join(sorted({ln.sku for ln in here}))
            raise WrongScan(f"wrong item {_describe_scan(code)}: take {wanted} from {loc.code}")
        product_id, pack_qty = match
        units = count * pack_qty
        mine = [ln for ln in here if ln.product_id == product_id and ln.tote == tote_no]
        sku = next(ln.sku for ln in here if ln.product_id == product_id)
        if not mine:
            totes = db.execute("SELECT 1 FROM pick_list_order WHERE picklist_id = ? AND tote = ?",
                               (pl.id, tote_no)).fetchone()
            if totes is None:
                raise WrongScan(f"tote {tote_no} is not on pick list {pl.number}")
            need = ", ".join(f"T{ln.tote}" for ln in here if ln.product_id == product_id)
            raise WrongScan(f"tote {tote_no} needs no {sku} here: put it in {need}")
        need_here = sum(ln.remaining for ln in mine)
        if units > need_here:
            if pack_qty > 1 and need_here % pack_qty:
                raise ValidationError(f"tote {tote_no} needs {need_here} of {sku} here, not {units} "
                                      f"(cases of {pack_qty}): open the case and scan single units")
            raise ValidationError(f"tote {tote_no} needs {need_here} of {sku} here, not {units}")
        now = clock.now()
        left = units
        # The reservation rows first: one gone (released elsewhere) is a Conflict, not OutOfStock.
        for ln in mine:
            take = min(ln.remaining, left)
            if not take:
                continue
            _consume_allocation(ln.order_line_id, loc.id, take)
            db.execute("UPDATE order_line SET qty_allocated = qty_allocated - ?, qty_picked = qty_picked + ? "
                       "WHERE id = ?", (take, take, ln.order_line_id))
            closed = ln.picked + take + ln.short >= ln.qty
            status = ("short" if ln.short else "picked") if closed else "open"
            db.execute("UPDATE pick_line SET qty_picked = qty_picked + ?, status = ?, picked_at = ? "
                       "WHERE id = ?", (take, status, now, ln.id))
            left -= take
            if not left:
                break
        ledger.apply_move(
            product_id, loc.id, ledger.location("PACKING").id, units, kind="pick", actor=actor,
            reason=f"tote {tote_no}", doc_type="picklist", doc_id=pl.id, doc_ref=pl.number,
            client_id=mine[0].client_id, consume_reserved=units,
        )
        if pl.status == "open":
            _set_status(pl, "picking", actor=actor)
            pl = _ListRow(pl.id, pl.number, "picking", pl.client_id, pl.picker)
        status = _maybe_complete(pl, actor=actor)
        _recompute({ln.order_id for ln in mine}, actor=actor)
        stop, nxt = _stop_pair(pl.id, (loc.id, product_id))
    assert stop is not None
    return PickResult(
        picklist_id=pl.id, number=pl.number, bin_code=loc.code, sku=sku, name=stop.name, tote=tote_no,
        qty=units, order_numbers=tuple(sorted({ln.order_number for ln in mine})),
        stop_remaining=stop.remaining, next_stop=nxt, picklist_status=status,
    )


def _maybe_complete(pl: _ListRow, *, actor: Actor) -> str:
    """Finish the list when no line is open; returns its status."""
    row = db.execute("SELECT 1 FROM pick_line WHERE picklist_id = ? AND status = 'open' LIMIT 1",
                     (pl.id,)).fetchone()
    if row is None:
        _set_status(pl, "done", actor=actor)
        audit.record("picklist_done", actor=actor, doc_type="picklist", doc_id=pl.id,
                     client_id=pl.client_id, detail=pl.number)
        return "done"
    return pl.status


def _release_reserved(product_id: int, location_id: int, qty: int) -> None:
    cur = db.execute("UPDATE stock_level SET reserved = reserved - ? WHERE product_id = ? "
                     "AND location_id = ? AND reserved >= ?", (qty, product_id, location_id, qty))
    if cur.rowcount != 1:
        raise Conflict("the bin's reservation does not match the pick list: run check")


def short_pick(picklist: int | str, *, bin_code: str, product: int | str, qty_short: int,
               reason: str, actor: Actor) -> ShortResult:
    """The bin could not give what the list says: record it and find the units elsewhere.

    The short quantity is taken from the open lines of that bin and product (highest tote,
    i.e. least urgent order, first) and their reservation released. The ledger is then made
    truthful: for ``empty`` everything free in the bin is written off (bin -> ADJUSTMENT,
    kind 'adjust', reason 'short pick'), for ``short`` the shortage, for ``damaged`` the
    shortage goes to QUARANTINE, for ``blocked`` nothing moves. Each shorted line is then
    re-reserved from other bins with free stock (walk order; new pick lines tell the picker
    where to go) or, when there is none, left back-ordered; every case is a PickException
    for the supervisor.

    Raises:
        ValidationError: unknown reason, bad quantity, more than is open at that stop.
        WrongScan: the bin or item is not an open stop of this list.
    """
    actor.require("packer", action="record a short pick")
    reason = (reason or "").strip().lower()
    if reason not in SHORT_REASONS:
        raise ValidationError(f"reason must be one of {', '.join(SHORT_REASONS)}, not {reason!r}")
    qty_short = _positive(qty_short, "short quantity")
    loc = _bin(bin_code)
    try:
        return _short_pick(picklist, loc, product, qty_short, reason, actor=actor)
    except Conflict as exc:
        _after_conflict(picklist, exc, actor=actor)
        raise


def _short_pick(picklist: int | str, loc: ledger.LocationRef, product: int | str, qty_short: int,
                reason: str, *, actor: Actor) -> ShortResult:
    with db.write():
        pl = _list_row(picklist, lock=True)
        if pl.status not in OPEN_STATUSES:
            raise InvalidTransition(f"pick list {pl.number} is {pl.status}")
        here = _open_lines(pl.id, loc.id)
        if not here:
            raise WrongScan(f"pick list {pl.number} has nothing open in {loc.code}")
        if isinstance(product, int) and not isinstance(product, bool):
            product_id = product if any(ln.product_id == product for ln in here) else None
        else:
            m = _match_product(str(product).strip(), {ln.product_id for ln in here})
            product_id = m[0] if m else None
        if product_id is None:
            raise WrongScan(f"{product} is not picked from {loc.code} on {pl.number}")
        lines = sorted((ln for ln in here if ln.product_id == product_id),
                       key=lambda ln: (-ln.tote, -ln.id))
        sku, client_id = lines[0].sku, lines[0].client_id
        open_qty = sum(ln.remaining for ln in lines)
        if qty_short > open_qty:
            raise ValidationError(f"only {open_qty} of {sku} are still to pick in {loc.code}")
        now = clock.now()
        shorted: list[tuple[_OpenLine, int]] = []
        left = qty_short
        for ln in lines:
            n = min(ln.remaining, left)
            if not n:
                continue
            _consume_allocation(ln.order_line_id, loc.id, n)
            _release_reserved(product_id, loc.id, n)
            db.execute("UPDATE order_line SET qty_allocated = qty_allocated - ? WHERE id = ?",
                       (n, ln.order_line_id))
            closed = ln.picked + ln.short + n >= ln.qty
            db.execute("UPDATE pick_line SET qty_short = qty_short + ?, short_reason = ?, status = ? "
                       "WHERE id = ?", (n, reason, "short" if closed else "open", ln.id))
            shorted.append((ln, n))
            left -= n
            if not left:
                break
        written_off, quarantined = _fix_ledger(pl, product_id, loc, qty_short, reason, client_id,
                                               actor=actor)
        reroutes: list[Reroute] = []
        backordered = 0
        for ln, n in sorted(shorted, key=lambda x: x[0].tote):
            got = _reroute(pl, ln, n, exclude=loc.id, now=now)
            for bin_code_to, k in got:
                reroutes.append(Reroute(bin_code_to, ln.tote, k))
                _exception(pl, ln, loc.id, k, f"{reason}; take from {bin_code_to}", "rerouted", actor, now)
            missing = n - sum(k for _, k in got)
            if missing:
                backordered += missing
                _exception(pl, ln, loc.id, missing, reason, "backordered", actor, now)
        audit.record("short_pick", actor=actor, doc_type="picklist", doc_id=pl.id, client_id=client_id,
                     detail=f"{pl.number} {loc.code} {sku} short {qty_short} ({reason}); "
                            f"rerouted {sum(r.qty for r in reroutes)}, back-ordered {backordered}, "
                            f"written off {written_off}, quarantined {quarantined}")
        if pl.status == "open":
            _set_status(pl, "picking", actor=actor)
            pl = _ListRow(pl.id, pl.number, "picking", pl.client_id, pl.picker)
        status = _maybe_complete(pl, actor=actor)
        _recompute({ln.order_id for ln, _ in shorted}, actor=actor)
        _, nxt = _stop_pair(pl.id, (loc.id, product_id))
    return ShortResult(pl.id, pl.number, loc.code, sku, qty_short, written_off, quarantined,
                       tuple(reroutes), backordered, nxt, status)


def _after_conflict(picklist: int | str, exc: Conflict, *, actor: Actor) -> None:
    """A scan hit a line whose reservation is gone: close such lines (own transaction, the
    scan's was rolled back) and raise LinesDropped saying where to go instead."""
    dropped = drop_unreserved_lines(picklist, actor=actor)
    if not dropped:
        return  # another conflict: the caller re-raises it
    nxt = next_stop(picklist)
    then = f"go to {nxt.bin_code} for {nxt.sku}" if nxt is not None else "nothing left to pick"
    raise LinesDropped(f"order {', '.join(dropped)} lost reserved stock meanwhile (shipped or released "
                       f"elsewhere): nothing picked, the list is updated; {then}") from exc


def _unreserved_changes(picklist_id: int) -> tuple[list[tuple[int, str, int]], dict[int, str]]:
    """Open lines whose reservation is (partly) gone: [(new qty, new status, line id)] (the
    UPDATE's parameters) and the orders affected {id: number}."""
    rows = db.execute(
        "SELECT pl.id, pl.order_line_id, pl.location_id, pl.qty, pl.qty_picked, pl.qty_short, "
        "o.id, o.number FROM pick_line pl JOIN order_line ol ON ol.id = pl.order_line_id "
        'JOIN "order" o ON o.id = ol.order_id WHERE pl.picklist_id = ? AND pl.status = \'open\' '
        "ORDER BY pl.tote, pl.id", (picklist_id,)).fetchall()
    reserved: dict[tuple[int, int], int] = {}
    for olid, loc_id, qty in db.execute(
        "SELECT a.order_line_id, a.location_id, SUM(a.qty) FROM allocation a WHERE a.order_line_id IN "
        "(SELECT order_line_id FROM pick_line WHERE picklist_id = ? AND status = 'open') "
        "GROUP BY a.order_line_id, a.location_id", (picklist_id,)).fetchall():
        reserved[(int(olid), int(loc_id))] = int(qty)
    changes: list[tuple[int, str, int]] = []
    affected: dict[int, str] = {}
    for line_id, olid, loc_id, qty, picked, short, order_id, number in rows:
        remaining = qty - picked - short
        have = reserved.get((olid, loc_id), 0)
        keep = min(remaining, have)
        reserved[(olid, loc_id)] = have - keep
        if keep == remaining:
            continue
        status = "open" if keep else ("short" if short else "picked" if picked else "cancelled")
        changes.append((qty - (remaining - keep), status, int(line_id)))
        affected[int(order_id)] = number
    return changes, affected


def drop_unreserved_lines(picklist: int | str, *, actor: Actor) -> tuple[str, ...]:
    """Close the open pick lines whose reservation is gone, so the walk does not wait for them.

    An order can lose its reservation while on a wave (shipped early with what was picked,
    stock released by a supervisor). Such a line shrinks to what is still reserved, or to what
    was already picked or short (closed, or cancelled when nothing was), and the list finishes
    when nothing stays open. Cheap to call when opening a list: it reads first and takes the
    write lock only when there is something to change.

    Returns:
        The numbers of the orders affected (none: nothing changed).
    """
    pl = _list_row(picklist)
    if pl.status not in OPEN_STATUSES or not _unreserved_changes(pl.id)[0]:
        return ()
    with db.write():
        pl = _list_row(pl.id, lock=True)
        if pl.status not in OPEN_STATUSES:
            return ()
        changes, affected = _unreserved_changes(pl.id)
        if not changes:
            return ()
        db.executemany("UPDATE pick_line SET qty = ?, status = ? WHERE id = ?", changes)
        audit.record("picklist_lines_dropped", actor=actor, doc_type="picklist", doc_id=pl.id,
                     client_id=pl.client_id,
                     detail=f"{pl.number}: reservation gone for {', '.join(sorted(affected.values()))}")
        _maybe_complete(pl, actor=actor)
        _recompute(affected, actor=actor)
    return tuple(sorted(affected.values()))


def _fix_ledger(pl: _ListRow, product_id: int, loc: ledger.LocationRef, qty_short: int,
                reason: str, client_id: int, *, actor: Actor) -> tuple[int, int]:
    """Take off the books what the picker found missing (only what the ledger claims is there
    and is not reserved for others, so reserved <= on hand holds). Returns (written off, quarantined)."""
    if reason == "blocked":
        return 0, 0
    row = db.execute("SELECT on_hand, reserved FROM stock_level WHERE product_id = ? AND location_id = ?"
                     + db.for_update(), (product_id, loc.id)).fetchone()
    free = max(0, int(row[0]) - int(row[1])) if row else 0
    qty = min(free, qty_short) if reason != "empty" else free
    if qty <= 0:
        return 0, 0
    if reason == "damaged":
        ledger.apply_move(product_id, loc.id, ledger.location("QUARANTINE").id, qty,
                             kind="transfer", actor=actor, reason="short pick: damaged",
                             doc_type="picklist", doc_id=pl.id, doc_ref=pl.number, client_id=client_id)
        return 0, qty
    ledger.apply_move(product_id, loc.id, ledger.location("ADJUSTMENT").id, qty, kind="adjust",
                         actor=actor, reason=WRITE_OFF_REASON, doc_type="picklist", doc_id=pl.id,
                         doc_ref=pl.number, client_id=client_id)
    return qty, 0


def _reroute(pl: _ListRow, ln: _OpenLine, qty: int, *, exclude: int,
             now: dt.datetime) -> list[tuple[str, int]]:
    """Reserve up to ``qty`` for the line in other bins with free stock (walk order) and add
    pick lines there. Returns [(bin code, qty)]."""
    lock = "" if db.is_sqlite() else " FOR UPDATE OF sl"
    bins = db.execute(
        "SELECT sl.location_id, l.code, sl.on_hand - sl.reserved FROM stock_level sl "
        "JOIN location l ON l.id = sl.location_id WHERE sl.product_id = ? AND l.kind = 'bin' "
        "AND l.active = ? AND sl.location_id <> ? AND sl.on_hand > sl.reserved "
        "ORDER BY l.pick_seq, l.code" + lock, (ln.product_id, True, exclude),
    ).fetchall()
    got: list[tuple[str, int]] = []
    left = qty
    for loc_id, code, free in bins:
        k = min(int(free), left)
        if k <= 0:
            continue
        cur = db.execute("UPDATE stock_level SET reserved = reserved + ? WHERE product_id = ? AND "
                         "location_id = ? AND on_hand - reserved >= ?", (k, ln.product_id, loc_id, k))
        if cur.rowcount != 1:
            continue
        db.execute("INSERT INTO allocation (order_line_id, product_id, location_id, qty, created_at) "
                   "VALUES (?, ?, ?, ?, ?)", (ln.order_line_id, ln.product_id, loc_id, k, now))
        db.execute("UPDATE order_line SET qty_allocated = qty_allocated + ? WHERE id = ?",
                   (k, ln.order_line_id))
        db.execute("INSERT INTO pick_line (picklist_id, order_line_id, product_id, location_id, tote, qty, "
                   "qty_picked, qty_short, short_reason, status) VALUES (?, ?, ?, ?, ?, ?, 0, 0, '', 'open')",
                   (pl.id, ln.order_line_id, ln.product_id, loc_id, ln.tote, k))
        got.append((code, k))
        left -= k
        if not left:
            break
    return got


def _exception(pl: _ListRow, ln: _OpenLine, location_id: int, qty: int, reason: str, outcome: str,
               actor: Actor, now: dt.datetime) -> None:
    db.execute("INSERT INTO pick_exception (picklist_id, order_line_id, product_id, location_id, qty, "
               "reason, outcome, user_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (pl.id, ln.order_line_id, ln.product_id, location_id, qty, reason[:200], outcome,
                actor.name, now))


def cancel_picklist(picklist: int | str, *, actor: Actor, reason: str = "") -> None:
    """Give a wave up: its open lines are dropped (reservations stay with the orders, which
    can go on a new wave); what was picked stays picked in PACKING."""
    actor.require(action="cancel pick lists")
    with db.write():
        pl = _list_row(picklist, lock=True)
        PICKLIST_STATES.guard(pl.status, "cancelled", label=pl.number)
        db.execute("UPDATE pick_line SET status = 'cancelled' WHERE picklist_id = ? AND status = 'open'",
                   (pl.id,))
        _set_status(pl, "cancelled", actor=actor, note=reason)
        order_ids = [int(r[0]) for r in db.execute(
            "SELECT order_id FROM pick_list_order WHERE picklist_id = ?", (pl.id,)).fetchall()]
        _recompute(order_ids, actor=actor)


def remove_order(picklist: int | str, order_number: str, *, actor: Actor, reason: str) -> int:
    """Take one order off a wave (the customer cancelled, the address is wrong...): its open
    lines are dropped, its reservations stay with the order, which leaves the list unless
    something of it was already picked (then it is packed or put back as usual).

    Returns:
        Units no longer to be picked for it.

    Raises:
        PermissionDenied: supervisors only.
        ValidationError: no reason given.
        NotFound: the order is not on this list.
        InvalidTransition: the list is finished or cancelled.
    """
    actor.require(action="take orders off pick lists")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("say why the order comes off the pick list")
    with db.write():
        pl = _list_row(picklist, lock=True)
        if pl.status not in OPEN_STATUSES:
            raise InvalidTransition(f"pick list {pl.number} is {pl.status}")
        row = db.execute(
            'SELECT o.id, o.number FROM pick_list_order plo JOIN "order" o ON o.id = plo.order_id '
            "WHERE plo.picklist_id = ? AND upper(o.number) = ?", (pl.id, str(order_number).strip().upper()),
        ).fetchone()
        if row is None:
            raise NotFound(f"order {order_number} is not on pick list {pl.number}")
        order_id, number = int(row[0]), row[1]
        lines = "order_line_id IN (SELECT id FROM order_line WHERE order_id = ?)"
        units = int(db.execute(
            f"SELECT COALESCE(SUM(qty - qty_picked - qty_short), 0) FROM pick_line WHERE picklist_id = ? "
            f"AND status = 'open' AND {lines}", (pl.id, order_id)).fetchone()[0])
        db.execute(f"UPDATE pick_line SET qty = qty_picked + qty_short, status = CASE WHEN qty_short > 0 "
                   f"THEN 'short' WHEN qty_picked > 0 THEN 'picked' ELSE 'cancelled' END "
                   f"WHERE picklist_id = ? AND status = 'open' AND {lines}", (pl.id, order_id))
        picked = db.execute(f"SELECT 1 FROM pick_line WHERE picklist_id = ? AND qty_picked > 0 AND {lines} "
                            "LIMIT 1", (pl.id, order_id)).fetchone()
        if picked is None:
            db.execute("DELETE FROM pick_list_order WHERE picklist_id = ? AND order_id = ?", (pl.id, order_id))
        audit.record("picklist_order_removed", actor=actor, doc_type="picklist", doc_id=pl.id,
                     client_id=pl.client_id, detail=f"{pl.number}: {number} ({units} units): {reason}")
        _maybe_complete(pl, actor=actor)
        _recompute([order_id], actor=actor)
    return units


def render_pdf(picklist: int | str, *, page_size: str = "letter") -> bytes:
    """The printed pick list (see app.documents.picklist_pdf)."""
    from app.documents.picklist_pdf import render_picklist

    return render_picklist(picklist_view(picklist), page_size=page_size, printed_at=clock.now())
