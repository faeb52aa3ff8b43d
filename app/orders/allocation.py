"""Allocation: reserving free bin stock for open order lines, most urgent first, and releasing it.

Set-based: one query reads (and on PostgreSQL row-locks) the free balances of every product
concerned, one query reads the lines that wait for stock in urgency order, the matching is
done in memory, and the results are written with a few bulk statements. ``StockLevel.reserved``
always equals the sum of the Allocation rows of its product and bin; both are changed in
the same transaction, the balance through a guarded UPDATE that can never reserve more
than is on hand.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from psycopg2.extras import execute_values

from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, NotFound, ValidationError
from app.kernel.states import OrderStatus
from app.orders.status import (
    OPEN_STATUSES,
    marks,
    recompute_many,
    short_sql,
)
from app.store import audit, changes, db

log = logging.getLogger(__name__)

# The oldest order is the one the customer placed first (the shop's order time), else the one
# the warehouse received first: a shop export lists the newest order first, so the import
# order (ids, received_at of one file) says nothing about who waited longest.
PLACED = "COALESCE(o.ordered_at, o.received_at)"
# Most urgent first: priority, then ship-by (no date last), then the oldest order.
# Stock arriving for waiting back-orders follows the same order as an allocation run.
URGENCY = ("o.priority DESC, CASE WHEN o.ship_by IS NULL THEN 1 ELSE 0 END, o.ship_by, "
           f"{PLACED}, o.id, ol.id")


@dataclass(frozen=True)
class AllocationResult:
    orders: int = 0        # orders that were waiting for stock
    lines: int = 0         # their lines that were short
    units: int = 0         # units reserved by this run
    allocated: int = 0     # orders now fully allocated
    partial: int = 0       # orders now partially allocated
    backordered: int = 0   # orders with nothing reserved
    statuses: dict[int, OrderStatus] = field(default_factory=dict, compare=False)

    def text(self) -> str:
        return (f"{self.units} units reserved for {self.lines} lines of {self.orders} orders: "
                f"{self.allocated} allocated, {self.partial} partially allocated, "
                f"{self.backordered} back-ordered")


@dataclass(frozen=True)
class AllocationRow:
    id: int
    order_line_id: int
    product_id: int
    sku: str
    location_id: int
    bin_code: str
    pick_seq: int
    qty: int


def allocate_orders(*, actor: Actor, client: str | None = None,
                    order_ids: Iterable[int] | None = None) -> AllocationResult:
    """Reserve free bin stock for open order lines, most urgent first; the rest is back-ordered.

    Args:
        actor: who runs it.
        client: only this client's orders (code).
        order_ids: only these orders.

    Raises:
        NotFound: unknown client.
    """
    actor.require_to("allocate orders")
    where = [f"o.status IN ({marks(len(OPEN_STATUSES))})"]
    params: list[object] = list(OPEN_STATUSES)
    if client:
        row = db.execute("SELECT id FROM client WHERE code = ?", (client.strip().upper(),)).fetchone()
        if row is None:
            raise NotFound(f"no client {client!r}")
        where.append("o.client_id = ?")
        params.append(row[0])
    if order_ids is not None:
        ids = sorted({int(i) for i in order_ids})
        if not ids:
            return AllocationResult()
        where.append(f"o.id IN ({marks(len(ids))})")
        params += ids
    # Two stations allocating the same products while a third puts stock away can make
    # PostgreSQL pick one of them as a deadlock victim; a run of our own is simply repeated.
    attempts = 1 if db.database.obj.in_transaction() else RETRIES
    for attempt in range(attempts):
        try:
            with db.write():
                result = _allocate(where, params, order_by=URGENCY, actor=actor, attempted=True)
                if result.orders:
                    audit.record("allocate", actor=actor, detail=result.text())
            return result
        except Exception as exc:
            if attempt + 1 < attempts and retryable(exc):
                log.info("allocation was a deadlock victim; trying again (%s)", attempt + 1)
                continue
            raise
    raise AssertionError("unreachable")


RETRIES = 3


def retryable(exc: BaseException) -> bool:
    """A PostgreSQL deadlock or serialization failure: the whole transaction may be repeated."""
    for candidate in (exc, *getattr(exc, "args", ())[:1], exc.__cause__):
        if getattr(candidate, "pgcode", None) in ("40P01", "40001"):
            return True
    return False


def allocate_waiting(product_ids: Iterable[int], *, actor: Actor) -> int:
    """Stock of these products arrived in bins: fill their waiting back-orders, most urgent
    first, exactly as ``allocate_orders`` does (priority, then ship-by, then the oldest).

    The one entry point for "stock arrived, serve who waits": every service that puts free
    stock into a bin (a receipt's putaway, an adjustment, a restock, a cancelled order's
    released reservation) calls it inside its own transaction, after the stock move, so the
    reservation and the arrival commit or roll back together. Orders never allocated yet
    (status ``new``) are left for the next allocation run. The orders it serves are moved
    through ``recompute_many`` (status, milestones, change notes).

    Args:
        product_ids: the products whose free bin stock grew (duplicates are fine).
        actor: who made the stock arrive.

    Returns:
        Units reserved.
    """
    ids = sorted({int(i) for i in product_ids})
    if not ids:
        return 0
    waiting = [s for s in OPEN_STATUSES if s != OrderStatus.NEW]
    where = [f"o.status IN ({marks(len(waiting))})", f"ol.product_id IN ({marks(len(ids))})"]
    with db.write():
        result = _allocate(where, [*waiting, *ids], order_by=URGENCY, actor=actor, attempted=False)
    return result.units


def _bins() -> dict[int, tuple[int, str]]:
    return {loc_id: (seq, code) for loc_id, seq, code in db.execute(
        "SELECT id, pick_seq, code FROM location WHERE kind = 'bin' AND active = ?", (True,)).fetchall()}


def _allocate(where: list[str], params: list[object], *, order_by: str, actor: Actor,
              attempted: bool) -> AllocationResult:
    base = ('FROM order_line ol JOIN "order" o ON o.id = ol.order_id WHERE '
            + " AND ".join(where) + f" AND {short_sql('ol')} > 0")
    # Lock the free balances first (PostgreSQL; SQLite holds the write lock already), in one
    # fixed order so that two stations allocating at once cannot deadlock. The lines are read
    # afterwards, so they show whatever a competing allocation committed meanwhile.
    stock = db.execute(
        "SELECT sl.product_id, sl.location_id, sl.on_hand - sl.reserved FROM stock_level sl "
        # Lot-tracked stock is not allocated yet (picking and shipping move lot "" only).
        "WHERE sl.on_hand > sl.reserved AND sl.lot = '' "
        "AND sl.location_id IN (SELECT id FROM location WHERE kind = 'bin' AND active = ?) "
        f"AND sl.product_id IN (SELECT ol.product_id {base}) "
        f"ORDER BY sl.product_id, sl.location_id{db.for_update()}",
        [True, *params]).fetchall()
    lines = db.execute(
        f"SELECT ol.id, ol.order_id, ol.product_id, {short_sql('ol')}, ol.qty_allocated {base} "
        f"ORDER BY {order_by}", params).fetchall()
    if not lines:
        return AllocationResult()
    bins = _bins()
    free: dict[int, list[list[int]]] = {}
    for pid, loc, qty in stock:
        if loc in bins:
            free.setdefault(pid, []).append([loc, qty])
    for bin_slots in free.values():
        bin_slots.sort(key=lambda s: bins[s[0]])
    cursor: dict[int, int] = {}
    per_line_bin: dict[tuple[int, int], int] = {}
    per_balance: dict[tuple[int, int], int] = {}
    per_line: dict[int, int] = {}
    line_info: dict[int, tuple[int, int]] = {}
    units = 0
    for line_id, _order_id, pid, short, prev in lines:
        slots = free.get(pid)
        if not slots:
            continue
        i = cursor.get(pid, 0)
        while short > 0 and i < len(slots):
            loc, qty = slots[i]
            take = min(short, qty)
            slots[i][1] -= take
            short -= take
            per_line_bin[(line_id, loc)] = per_line_bin.get((line_id, loc), 0) + take
            per_balance[(pid, loc)] = per_balance.get((pid, loc), 0) + take
            per_line[line_id] = per_line.get(line_id, 0) + take
            line_info[line_id] = (pid, prev)
            units += take
            if slots[i][1] == 0:
                i += 1
        cursor[pid] = i
    if units:
        _write(per_line_bin, per_balance, per_line, line_info)
    statuses = recompute_many({r[1] for r in lines}, actor=actor, attempted=attempted)
    values = list(statuses.values())
    return AllocationResult(
        orders=len(statuses), lines=len(lines), units=units, allocated=values.count(OrderStatus.ALLOCATED),
        partial=values.count(OrderStatus.PARTIALLY_ALLOCATED),
        backordered=values.count(OrderStatus.BACKORDERED),
        statuses=statuses,
    )


def _write(per_line_bin: dict[tuple[int, int], int], per_balance: dict[tuple[int, int], int],
           per_line: dict[int, int], line_info: dict[int, tuple[int, int]]) -> None:
    changed = _reserve([(pid, loc, qty) for (pid, loc), qty in per_balance.items()])
    if changed != len(per_balance):
        raise Conflict("stock changed while allocating; nothing was reserved, try again")
    existing: dict[tuple[int, int], int] = {}
    topped = sorted(line for line, (_, prev) in line_info.items() if prev > 0)
    for start in range(0, len(topped), 900):
        part = topped[start:start + 900]
        for alloc_id, line, loc in db.execute(
            f"SELECT id, order_line_id, location_id FROM allocation WHERE order_line_id IN ({marks(len(part))})",
            part).fetchall():
            existing[(line, loc)] = alloc_id
    now = clock.now()
    inserts, updates = [], []
    for (line, loc), qty in per_line_bin.items():
        alloc_id = existing.get((line, loc))
        if alloc_id is None:
            inserts.append((line, line_info[line][0], loc, qty, now))
        else:
            updates.append((qty, alloc_id))
    db.executemany("INSERT INTO allocation (order_line_id, product_id, location_id, qty, created_at) "
                "VALUES (?, ?, ?, ?, ?)", inserts)
    db.executemany("UPDATE allocation SET qty = qty + ? WHERE id = ?", updates)
    db.executemany("UPDATE order_line SET qty_allocated = qty_allocated + ? WHERE id = ?",
                [(qty, line) for line, qty in per_line.items()])
    # reserved stock is no longer free: stock screens look again
    changes.changed("stock", *sorted({pid for pid, _ in per_balance}))


def _reserve(rows: list[tuple[int, int, int]]) -> int:
    """Raise reserved by qty where at least qty is free; returns how many balances changed."""
    if not rows:
        return 0
    obj = db.database.obj
    if db.is_sqlite(obj):
        cur = obj.cursor()
        cur.executemany("UPDATE stock_level SET reserved = reserved + ? WHERE product_id = ? "
                        "AND location_id = ? AND lot = '' AND on_hand - reserved >= ?",
                        [(q, p, loc, q) for p, loc, q in rows])
        changed: int = cur.rowcount
        return changed
    done = execute_values(
        obj.cursor(),
        "UPDATE stock_level sl SET reserved = sl.reserved + v.q FROM (VALUES %s) AS v(p, l, q) "
        "WHERE sl.product_id = v.p AND sl.location_id = v.l AND sl.lot = '' AND sl.on_hand - sl.reserved >= v.q "
        "RETURNING sl.id", rows, template="(%s::int, %s::int, %s::int)", page_size=1000, fetch=True)
    return len(done)


# --- Release ------------------------------------------------------------------------------


def _release(rows: list[tuple[int, int, int, int, int, int]]) -> int:
    """Release (allocation id, line id, product id, bin id, allocated qty, qty to release) rows."""
    rows = [r for r in rows if r[5] > 0]
    if not rows:
        return 0
    per_balance: dict[tuple[int, int], int] = {}
    per_line: dict[int, int] = {}
    deletes, updates = [], []
    for alloc_id, line, pid, loc, qty, take in rows:
        per_balance[(pid, loc)] = per_balance.get((pid, loc), 0) + take
        per_line[line] = per_line.get(line, 0) + take
        (deletes.append((alloc_id,)) if take >= qty else updates.append((take, alloc_id)))
    for (pid, loc), take in sorted(per_balance.items()):
        cur = db.execute("UPDATE stock_level SET reserved = reserved - ? WHERE product_id = ? "
                         "AND location_id = ? AND lot = '' AND reserved >= ?", (take, pid, loc, take))
        if cur.rowcount != 1:
            raise Conflict("the reservation changed meanwhile; nothing was released, try again")
    db.executemany("DELETE FROM allocation WHERE id = ?", deletes)
    db.executemany("UPDATE allocation SET qty = qty - ? WHERE id = ?", updates)
    db.executemany("UPDATE order_line SET qty_allocated = qty_allocated - ? WHERE id = ?",
                [(take, line) for line, take in per_line.items()])
    changes.changed("stock", *sorted({pid for pid, _ in per_balance}))
    return sum(per_line.values())


def _lock_balances(product_ids: Iterable[int]) -> None:
    if db.is_sqlite():
        return
    ids = sorted(set(product_ids))
    if ids:
        db.execute(f"SELECT id FROM stock_level WHERE product_id IN ({marks(len(ids))}) "
                   f"ORDER BY product_id, location_id{db.for_update()}", ids).fetchall()


_ALLOC_SELECT = (
    "SELECT a.id, a.order_line_id, a.product_id, a.location_id, a.qty FROM allocation a "
    "JOIN location l ON l.id = a.location_id "
)


def release_order(order_id: int, *, actor: Actor) -> set[int]:
    """Release every reservation of an order (inside the caller's transaction, e.g. a cancel).

    Returns:
        The products whose stock became free.
    """
    with db.write():
        actor.require_to("release orders")
        products = [pid for (pid,) in db.execute(
            "SELECT DISTINCT product_id FROM order_line WHERE order_id = ?", (order_id,)).fetchall()]
        _lock_balances(products)
        rows = db.execute(_ALLOC_SELECT + "JOIN order_line ol ON ol.id = a.order_line_id "
                          "WHERE ol.order_id = ? ORDER BY a.id", (order_id,)).fetchall()
        _release([(*r, r[4]) for r in rows])
    return {r[2] for r in rows}


def release_line(order_line_id: int, qty: int | None = None, *, actor: Actor,
                 location_id: int | None = None) -> int:
    """Give back up to ``qty`` reserved units of an order line (all when None).

    A short pick releases what the bin did not have: pass ``location_id`` to release from
    that bin first; otherwise the bins latest on the walk path go first. The released units
    become back-ordered; the caller recomputes the order's status (``orders.recompute_status``).

    Returns:
        Units released.

    Raises:
        ValidationError: qty not a positive whole number.
        NotFound: no such order line.
    """
    if qty is not None and (isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0):
        raise ValidationError(f"quantity to release must be a positive whole number, not {qty!r}")
    with db.write():
        actor.require_to("release reservations")
        line = db.execute("SELECT product_id, order_id FROM order_line WHERE id = ?",
                          (order_line_id,)).fetchone()
        if line is None:
            raise NotFound(f"no order line #{order_line_id}")
        _lock_balances([line[0]])
        rows = db.execute(_ALLOC_SELECT + "WHERE a.order_line_id = ? ORDER BY l.pick_seq DESC, a.id DESC",
                          (order_line_id,)).fetchall()
        if location_id is not None:
            rows.sort(key=lambda r: r[3] != location_id)
        left = sum(r[4] for r in rows) if qty is None else qty
        plan = []
        for r in rows:
            take = min(left, r[4])
            plan.append((*r, take))
            left -= take
        released = _release(plan)
        if released:
            audit.record("allocation_released", actor=actor, doc_type="order", doc_id=line[1],
                         detail=f"line #{order_line_id}: {released} units")
    return released


def release_allocation(allocation_id: int, qty: int | None = None, *, actor: Actor) -> int:
    """Give back up to ``qty`` units (all when None) of one Allocation row; returns units released."""
    if qty is not None and (isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0):
        raise ValidationError(f"quantity to release must be a positive whole number, not {qty!r}")
    with db.write():
        actor.require_to("release reservations")
        row = db.execute("SELECT product_id FROM allocation WHERE id = ?", (allocation_id,)).fetchone()
        if row is None:
            raise NotFound(f"no allocation #{allocation_id}")
        _lock_balances([row[0]])
        r = db.execute(_ALLOC_SELECT + "WHERE a.id = ?", (allocation_id,)).fetchone()
        if r is None:
            return 0
        released = _release([(*r, r[4] if qty is None else min(qty, r[4]))])
        order_id = db.execute("SELECT order_id FROM order_line WHERE id = ?", (r[1],)).fetchone()[0]
        audit.record("allocation_released", actor=actor, doc_type="order", doc_id=order_id,
                     detail=f"allocation #{allocation_id}: {released} units")
    return released


def allocations_for(*, order_id: int | None = None, order_line_id: int | None = None) -> list[AllocationRow]:
    """Reservations of an order (or one line), in walk order."""
    where, params = [], []
    if order_id is not None:
        where.append("ol.order_id = ?")
        params.append(order_id)
    if order_line_id is not None:
        where.append("a.order_line_id = ?")
        params.append(order_line_id)
    if not where:
        raise ValidationError("name an order or an order line")
    rows = db.execute(
        "SELECT a.id, a.order_line_id, a.product_id, p.sku, a.location_id, l.code, l.pick_seq, a.qty "
        "FROM allocation a JOIN order_line ol ON ol.id = a.order_line_id "
        "JOIN product p ON p.id = a.product_id JOIN location l ON l.id = a.location_id "
        f"WHERE {' AND '.join(where)} ORDER BY l.pick_seq, l.code, a.id", params).fetchall()
    return [AllocationRow(*r) for r in rows]
