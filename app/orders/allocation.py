"""Allocation: reserving free bin stock for open order lines, most urgent first, and releasing it.

Set-based: one query reads (and on PostgreSQL row-locks) the free balances of every product
concerned, one query reads the lines that wait for stock in urgency order, the matching is
done in memory, and the results are written with a few bulk statements. Stock is given out
first-expired-first-out: per product the lot that expires first (then the lot received
first, then the bin first on the walk); expired lots are never given out. ``StockLevel.reserved``
always equals the sum of the Allocation rows of its product, bin and lot; both are changed in
the same transaction, the balance through a guarded UPDATE that can never reserve more
than is on hand.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from psycopg2.extras import execute_values

from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, NotFound, ValidationError
from app.kernel.states import OrderStatus
from app.kernel.text import counted
from app.orders.status import (
    OPEN_STATUSES,
    marks,
    recompute_many,
    short_sql,
)
from app.store import audit, changes, db
from app.store.db import as_date

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
    lines_served: int = 0  # lines that received stock in this run
    orders_served: int = 0  # their orders

    def text(self) -> str:
        """What the run reserved and for whom, then where the waiting orders now stand, e.g.
        '11 units reserved for 2 lines of 1 order; of 8 orders waiting for stock, 1 allocated, ...'."""
        reserved = (f"{counted(self.units, 'unit')} reserved for {counted(self.lines_served, 'line')} of "
                    f"{counted(self.orders_served, 'order')}" if self.units else "no stock reserved")
        return (f"{reserved}; of {counted(self.orders, 'order')} waiting for stock, {self.allocated:,} allocated, "
                f"{self.partial:,} partially allocated, {self.backordered:,} back-ordered")


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
    lot: str = ""


# The steps of a run, in order, for its progress (done, of how many): a big backlog takes
# seconds (100,000 orders: ≈15 s on SQLite), in one transaction.
ALLOCATION_STEPS = ("reading the waiting orders and the free stock", "reserving stock",
                    "updating the orders")


def allocate_orders(*, actor: Actor, client: str | None = None, order_ids: Iterable[int] | None = None,
                    progress: Callable[[int, int], None] | None = None) -> AllocationResult:
    """Reserve free bin stock for open order lines, most urgent first; the rest is back-ordered.

    Args:
        actor: who runs it.
        client: only this client's orders (code).
        order_ids: only these orders.
        progress: called with (steps done, ``len(ALLOCATION_STEPS)``) as the run goes on.

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
                result = _allocate(where, params, order_by=URGENCY, actor=actor, attempted=True,
                                   progress=progress)
                if result.orders:
                    audit.record("allocate", actor=actor, detail=result.text())
            if progress is not None:
                progress(len(ALLOCATION_STEPS), len(ALLOCATION_STEPS))
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


# Free balances in active bins, each with its lot's expiry and age (lot id) and the bin's
# place on the walk; the caller adds its product filter and ORDER BY.
_FREE_SQL = (
    "SELECT sl.product_id, sl.location_id, sl.lot, sl.on_hand - sl.reserved, t.expiry, t.id, "
    "l.pick_seq, l.code FROM stock_level sl JOIN location l ON l.id = sl.location_id "
    "LEFT JOIN lot t ON t.product_id = sl.product_id AND t.lot = sl.lot "
    "WHERE sl.on_hand > sl.reserved AND l.kind = 'bin' AND l.active = ?"
)
FreeSlot = tuple[int, int, str, int, dt.date | None, int | None, int, str]


def _lock_sl() -> str:
    """Row-lock the balances read (PostgreSQL; not the lot rows of the outer join)."""
    return "" if db.is_sqlite() else " FOR UPDATE OF sl"


def fefo(rows: Iterable[tuple[Any, ...]]) -> list[FreeSlot]:
    """Free balances (rows of ``_FREE_SQL``) in the order stock is given out: per product,
    the earliest expiry first (a lot without a date after the dated ones), then the oldest
    lot (received first), then the bin's place on the walk. Expired lots are never given
    out (they wait for QUARANTINE or SCRAP)."""
    today = clock.local_today()
    out: list[FreeSlot] = []
    for row in rows:
        pid, loc, lot, qty, expiry, lot_id, seq, code = row
        exp = as_date(expiry)
        if exp is not None and exp < today:
            continue
        out.append((pid, loc, lot, qty, exp, lot_id, seq, code))
    out.sort(key=lambda r: (r[0], r[4] is None, r[4] or dt.date.min, r[5] or 0, r[6], r[7], r[2]))
    return out


def free_stock(product_id: int, *, exclude_location: int | None = None) -> list[FreeSlot]:
    """A product's free bin balances in FEFO order (locked on PostgreSQL): (product, bin, lot,
    free, expiry, lot id, pick seq, bin code)."""
    sql, params = f"{_FREE_SQL} AND sl.product_id = ?", [True, product_id]
    if exclude_location is not None:
        sql += " AND sl.location_id <> ?"
        params.append(exclude_location)
    return fefo(db.execute(sql + f" ORDER BY sl.location_id, sl.lot{_lock_sl()}", params).fetchall())


def _allocate(where: list[str], params: list[object], *, order_by: str, actor: Actor,
              attempted: bool, progress: Callable[[int, int], None] | None = None) -> AllocationResult:
    def step(done: int) -> None:
        if progress is not None:
            progress(done, len(ALLOCATION_STEPS))

    step(0)
    base = ('FROM order_line ol JOIN "order" o ON o.id = ol.order_id WHERE '
            + " AND ".join(where) + f" AND {short_sql('ol')} > 0")
    # Lock the free balances first (PostgreSQL; SQLite holds the write lock already), in one
    # fixed order so that two stations allocating at once cannot deadlock. The lines are read
    # afterwards, so they show whatever a competing allocation committed meanwhile.
    stock = db.execute(
        f"{_FREE_SQL} AND sl.product_id IN (SELECT ol.product_id {base}) "
        f"ORDER BY sl.product_id, sl.location_id, sl.lot{_lock_sl()}",
        [True, *params]).fetchall()
    lines = db.execute(
        f"SELECT ol.id, ol.order_id, ol.product_id, {short_sql('ol')}, ol.qty_allocated {base} "
        f"ORDER BY {order_by}", params).fetchall()
    if not lines:
        return AllocationResult()
    step(1)
    free: dict[int, list[tuple[int, str]]] = {}  # per product: (bin, lot) in FEFO order
    left: dict[tuple[int, int, str], int] = {}
    for pid, loc, lot, qty, _expiry, _lot_id, _seq, _code in fefo(stock):
        free.setdefault(pid, []).append((loc, lot))
        left[(pid, loc, lot)] = qty
    cursor: dict[int, int] = {}
    per_line_bin: dict[tuple[int, int, str], int] = {}
    per_balance: dict[tuple[int, int, str], int] = {}
    per_line: dict[int, int] = {}
    line_info: dict[int, tuple[int, int]] = {}
    units = 0
    for line_id, _order_id, pid, short, prev in lines:
        slots = free.get(pid)
        if not slots:
            continue
        i = cursor.get(pid, 0)
        while short > 0 and i < len(slots):
            loc, lot = slots[i]
            qty = left[(pid, loc, lot)]
            take = min(short, qty)
            left[(pid, loc, lot)] = qty - take
            short -= take
            per_line_bin[(line_id, loc, lot)] = per_line_bin.get((line_id, loc, lot), 0) + take
            per_balance[(pid, loc, lot)] = per_balance.get((pid, loc, lot), 0) + take
            per_line[line_id] = per_line.get(line_id, 0) + take
            line_info[line_id] = (pid, prev)
            units += take
            if qty == take:
                i += 1
        cursor[pid] = i
    if units:
        _write(per_line_bin, per_balance, per_line, line_info)
    step(2)
    statuses = recompute_many({r[1] for r in lines}, actor=actor, attempted=attempted)
    values = list(statuses.values())
    return AllocationResult(
        orders=len(statuses), lines=len(lines), units=units, allocated=values.count(OrderStatus.ALLOCATED),
        partial=values.count(OrderStatus.PARTIALLY_ALLOCATED),
        backordered=values.count(OrderStatus.BACKORDERED),
        statuses=statuses, lines_served=len(per_line), orders_served=len({r[1] for r in lines if r[0] in per_line}),
    )


def _write(per_line_bin: dict[tuple[int, int, str], int], per_balance: dict[tuple[int, int, str], int],
           per_line: dict[int, int], line_info: dict[int, tuple[int, int]]) -> None:
    changed = _reserve([(pid, loc, lot, qty) for (pid, loc, lot), qty in per_balance.items()])
    if changed != len(per_balance):
        raise Conflict("stock changed while allocating; nothing was reserved, try again")
    existing: dict[tuple[int, int, str], int] = {}
    topped = sorted(line for line, (_, prev) in line_info.items() if prev > 0)
    for start in range(0, len(topped), 900):
        part = topped[start:start + 900]
        for alloc_id, line, loc, lot in db.execute(
            "SELECT id, order_line_id, location_id, lot FROM allocation "
            f"WHERE order_line_id IN ({marks(len(part))})", part).fetchall():
            existing[(line, loc, lot)] = alloc_id
    now = clock.now()
    inserts, updates = [], []
    for (line, loc, lot), qty in per_line_bin.items():
        alloc_id = existing.get((line, loc, lot))
        if alloc_id is None:
            inserts.append((line, line_info[line][0], loc, lot, qty, now))
        else:
            updates.append((qty, alloc_id))
    db.executemany("INSERT INTO allocation (order_line_id, product_id, location_id, lot, qty, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)", inserts)
    db.executemany("UPDATE allocation SET qty = qty + ? WHERE id = ?", updates)
    db.executemany("UPDATE order_line SET qty_allocated = qty_allocated + ? WHERE id = ?",
                [(qty, line) for line, qty in per_line.items()])
    # reserved stock is no longer free: stock screens look again
    changes.changed("stock", *sorted({pid for pid, _, _ in per_balance}))


def _reserve(rows: list[tuple[int, int, str, int]]) -> int:
    """Raise reserved by qty where at least qty is free; returns how many balances changed."""
    if not rows:
        return 0
    obj = db.database.obj
    if db.is_sqlite(obj):
        cur = obj.cursor()
        cur.executemany("UPDATE stock_level SET reserved = reserved + ? WHERE product_id = ? "
                        "AND location_id = ? AND lot = ? AND on_hand - reserved >= ?",
                        [(q, p, loc, lot, q) for p, loc, lot, q in rows])
        changed: int = cur.rowcount
        return changed
    done = execute_values(
        obj.cursor(),
        "UPDATE stock_level sl SET reserved = sl.reserved + v.q FROM (VALUES %s) AS v(p, l, t, q) "
        "WHERE sl.product_id = v.p AND sl.location_id = v.l AND sl.lot = v.t AND sl.on_hand - sl.reserved >= v.q "
        "RETURNING sl.id", rows, template="(%s::int, %s::int, %s::varchar, %s::int)", page_size=1000,
        fetch=True)
    return len(done)


# --- Release ------------------------------------------------------------------------------


def _release(rows: list[tuple[int, int, int, int, int, str, int]]) -> int:
    """Release (allocation id, line id, product id, bin id, allocated qty, lot, qty to release) rows."""
    rows = [r for r in rows if r[6] > 0]
    if not rows:
        return 0
    per_balance: dict[tuple[int, int, str], int] = {}
    per_line: dict[int, int] = {}
    deletes, updates = [], []
    for alloc_id, line, pid, loc, qty, lot, take in rows:
        per_balance[(pid, loc, lot)] = per_balance.get((pid, loc, lot), 0) + take
        per_line[line] = per_line.get(line, 0) + take
        (deletes.append((alloc_id,)) if take >= qty else updates.append((take, alloc_id)))
    for (pid, loc, lot), take in sorted(per_balance.items()):
        cur = db.execute("UPDATE stock_level SET reserved = reserved - ? WHERE product_id = ? "
                         "AND location_id = ? AND lot = ? AND reserved >= ?", (take, pid, loc, lot, take))
        if cur.rowcount != 1:
            raise Conflict("the reservation changed meanwhile; nothing was released, try again")
    db.executemany("DELETE FROM allocation WHERE id = ?", deletes)
    db.executemany("UPDATE allocation SET qty = qty - ? WHERE id = ?", updates)
    db.executemany("UPDATE order_line SET qty_allocated = qty_allocated - ? WHERE id = ?",
                [(take, line) for line, take in per_line.items()])
    changes.changed("stock", *sorted({pid for pid, _, _ in per_balance}))
    return sum(per_line.values())


def _lock_balances(product_ids: Iterable[int]) -> None:
    if db.is_sqlite():
        return
    ids = sorted(set(product_ids))
    if ids:
        db.execute(f"SELECT id FROM stock_level WHERE product_id IN ({marks(len(ids))}) "
                   f"ORDER BY product_id, location_id{db.for_update()}", ids).fetchall()


_ALLOC_SELECT = (
    "SELECT a.id, a.order_line_id, a.product_id, a.location_id, a.qty, a.lot FROM allocation a "
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
                 location_id: int | None = None, lot: str | None = None) -> int:
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
            rows.sort(key=lambda r: (r[3] != location_id, lot is not None and r[5] != lot))
        left = sum(r[4] for r in rows) if qty is None else qty
        plan = []
        for r in rows:
            take = min(left, r[4])
            plan.append((*r, take))
            left -= take
        released = _release(plan)
        if released:
            audit.record("allocation_released", actor=actor, doc_type="order", doc_id=line[1],
                         detail=f"line #{order_line_id}: {counted(released, 'unit')}")
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
                     detail=f"allocation #{allocation_id}: {counted(released, 'unit')}")
    return released


# Least urgent first: the reverse of URGENCY.
LEAST_URGENT = ("o.priority, CASE WHEN o.ship_by IS NULL THEN 0 ELSE 1 END, o.ship_by DESC, "
                f"{PLACED} DESC, o.id DESC, ol.id DESC")


def release_short(product_id: int, location_id: int, qty: int, *, lot: str = "", actor: Actor,
                  note: str) -> set[int]:
    """Before ``qty`` units of a lot leave a location by a count or an adjustment (the one
    service both use): what of them is reserved (more than is free there) is taken back from
    the least urgent orders, which are back-ordered (``take_back``). Inside the caller's
    transaction; the caller then moves the stock and lets ``allocate_waiting`` serve those
    orders from other bins or lots.

    Returns:
        The orders that lost reserved units.

    Raises:
        Conflict: the units are reserved for a pick list being picked.
    """
    _lock_balances([product_id])
    row = db.execute("SELECT on_hand, reserved FROM stock_level WHERE product_id = ? AND location_id = ? "
                     "AND lot = ?", (product_id, location_id, lot)).fetchone()
    on_hand, reserved = (int(row[0]), int(row[1])) if row else (0, 0)
    need = min(qty, on_hand) - (on_hand - reserved)
    if need <= 0:
        return set()
    return take_back(product_id, location_id, need, lot=lot, actor=actor, note=note)


def take_back(product_id: int, location_id: int, qty: int, *, lot: str = "", actor: Actor,
              note: str) -> set[int]:
    """A bin lost ``qty`` reserved units of a product's lot (a count or an adjustment came up
    short): take the reservation back from the least urgent orders, which are back-ordered
    again (status, history with ``note``). Units reserved for a pick line of a pick list that
    is open or being picked are never taken. Call inside the caller's transaction, before the
    stock move; afterwards ``allocate_waiting`` may serve those orders from other bins or lots.

    Returns:
        The orders that lost reserved units.

    Raises:
        Conflict: fewer than ``qty`` units are reserved outside pick lists in progress.
    """
    _lock_balances([product_id])
    rows = db.execute(
        _ALLOC_SELECT + "JOIN order_line ol ON ol.id = a.order_line_id "
        'JOIN "order" o ON o.id = ol.order_id WHERE a.product_id = ? AND a.location_id = ? AND a.lot = ? '
        "AND NOT EXISTS (SELECT 1 FROM pick_line pk JOIN pick_list pl ON pl.id = pk.picklist_id "
        "WHERE pk.order_line_id = a.order_line_id AND pk.location_id = a.location_id AND pk.lot = a.lot "
        "AND pk.status = 'open' AND pl.status IN ('open', 'picking')) "
        f"ORDER BY {LEAST_URGENT}", (product_id, location_id, lot)).fetchall()
    left = qty
    plan = []
    for r in rows:
        take = min(left, int(r[4]))
        if take:
            plan.append((*r, take))
            left -= take
    place = db.execute("SELECT code FROM location WHERE id = ?", (location_id,)).fetchone()[0]
    what = db.execute("SELECT sku FROM product WHERE id = ?", (product_id,)).fetchone()[0]
    what += f" lot {lot}" if lot else ""
    if left:
        raise Conflict(f"{left} of {what} in {place} are reserved for a pick list being picked: "
                       "finish or short-pick it first")
    released = _release(plan)
    line_ids = sorted({int(r[1]) for r in plan})
    orders: set[int] = set()
    if line_ids:
        found = db.execute('SELECT DISTINCT o.id, o.number FROM order_line ol JOIN "order" o ON o.id = ol.order_id '
                           f"WHERE ol.id IN ({marks(len(line_ids))}) ORDER BY o.number", line_ids).fetchall()
        orders = {int(o) for o, _ in found}
        recompute_many(orders, actor=actor, attempted=True, note=note)
        audit.record("reservation_taken_back", actor=actor, doc_type="stock",
                     detail=f"{what} in {place}: {counted(released, 'unit')} from order "
                            + ", ".join(n for _, n in found) + f" ({note})")
    return orders


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
        "SELECT a.id, a.order_line_id, a.product_id, p.sku, a.location_id, l.code, l.pick_seq, a.qty, a.lot "
        "FROM allocation a JOIN order_line ol ON ol.id = a.order_line_id "
        "JOIN product p ON p.id = a.product_id JOIN location l ON l.id = a.location_id "
        f"WHERE {' AND '.join(where)} ORDER BY l.pick_seq, l.code, a.id", params).fetchall()
    return [AllocationRow(*r) for r in rows]
