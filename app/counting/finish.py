"""Finishing a count: differences become adjustments, large ones wait for a supervisor.

A line's difference is what was counted minus what the ledger held when the bin's count
began; moves made since then are already in the balance, so the adjustment is that
difference. A shortage of reserved stock first takes the reservation back from the least
urgent orders (they are back-ordered, or served from other bins), all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.counting.tasks import TaskRow, approve_units, new_task, require_status, task_row
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, NotFound, ValidationError
from app.kernel.states import CountStatus
from app.ledger.moves import apply_move, sku_of
from app.orders import allocation
from app.orders.status import recompute_many
from app.store import audit, db
from app.store.places import location, location_by_id

REASON = "count"
# Least urgent first: the reverse of allocation's URGENCY.
_LEAST_URGENT = ("o.priority, CASE WHEN o.ship_by IS NULL THEN 0 ELSE 1 END, o.ship_by DESC, "
                 "COALESCE(o.ordered_at, o.received_at) DESC, o.id DESC, ol.id DESC")


@dataclass(frozen=True)
class FinishResult:
    number: str
    status: str
    adjusted: int  # lines whose difference went to the ledger
    pending: int   # lines waiting for approval
    orders_released: tuple[int, ...]  # orders that lost reserved stock to a shortage

    def message(self) -> str:
        text = f"{self.number} {self.status.replace('_', ' ')}: {self.adjusted} line(s) adjusted"
        return text + (f", {self.pending} wait for approval" if self.pending else "")


@dataclass(frozen=True)
class RecountResult:
    number: str
    status: str
    new_number: str
    bin_code: str


def _line_rows(task_id: int, status: str, line_ids: Iterable[int] | None = None) -> list[tuple[int, ...]]:
    rows = db.execute("SELECT id, location_id, product_id, expected_at_start, counted FROM count_line "
                      "WHERE task_id = ? AND status = ? ORDER BY location_id, product_id",
                      (task_id, status)).fetchall()
    if line_ids is None:
        return [tuple(int(x) for x in r) for r in rows]
    wanted = set(line_ids)
    found = [tuple(int(x) for x in r) for r in rows if int(r[0]) in wanted]
    missing = wanted - {r[0] for r in found}
    if missing:
        raise NotFound(f"no line {', '.join(map(str, sorted(missing)))} waits for approval")
    return found


def finish(task: int | str, *, actor: Actor) -> FinishResult:
    """Close the counting: small differences are adjusted now, large ones wait for approval.

    Raises:
        InvalidTransition: the task is not being counted.
        ValidationError: a bin of the task was not counted (scan it, or count it empty).
        Conflict: a shortage is reserved for a pick list in progress.
    """
    with db.write():
        t = task_row(task, lock=True)
        if t.status == CountStatus.OPEN:
            raise ValidationError(f"nothing was counted in {t.number} yet")
        require_status(t, CountStatus.COUNTING)
        waiting = [c for (c,) in db.execute(
            "SELECT l.code FROM count_bin cb JOIN location l ON l.id = cb.location_id "
            "WHERE cb.task_id = ? AND cb.status = 'open' ORDER BY l.pick_seq, l.code", (t.id,)).fetchall()]
        if waiting:
            more = f" and {len(waiting) - 5} more" if len(waiting) > 5 else ""
            raise ValidationError(f"not counted yet: {', '.join(waiting[:5])}{more} (scan them or count them empty)")
        db.execute("UPDATE count_bin SET status = 'counted' WHERE task_id = ? AND status = 'counting'", (t.id,))
        limit = approve_units()
        adjusted = pending = 0
        released: set[int] = set()
        for line_id, loc_id, product_id, expected, counted in _line_rows(t.id, "open"):
            diff = counted - expected
            if diff == 0:
                db.execute("UPDATE count_line SET status = 'ok' WHERE id = ?", (line_id,))
            elif abs(diff) > limit:
                db.execute("UPDATE count_line SET status = 'pending' WHERE id = ?", (line_id,))
                pending += 1
            else:
                released |= _adjust(t, line_id, loc_id, product_id, diff, "adjusted", actor=actor)
                adjusted += 1
        new = CountStatus.AWAITING_APPROVAL if pending else CountStatus.FINISHED
        db.execute("UPDATE count_task SET finished_at = ? WHERE id = ?", (clock.now(), t.id))
        audit.transition(CountStatus, t.id, t.status, new, actor=actor, client_id=t.client_id,
                         note=f"{adjusted} adjusted, {pending} for approval", label=f"count {t.number}")
    return FinishResult(t.number, new, adjusted, pending, tuple(sorted(released)))


def approve(task: int | str, *, lines: Iterable[int] | None = None, actor: Actor) -> FinishResult:
    """A supervisor accepts the differences waiting for approval (all, or the lines named).

    Raises:
        PermissionDenied: not a supervisor.
        InvalidTransition: nothing of the task waits for approval.
        NotFound: a named line does not wait for approval.
    """
    actor.require(action="approve count differences")
    with db.write():
        t = task_row(task, lock=True)
        require_status(t, CountStatus.AWAITING_APPROVAL)
        released: set[int] = set()
        rows = _line_rows(t.id, "pending", None if lines is None else [int(x) for x in lines])
        for line_id, loc_id, product_id, expected, counted in rows:
            released |= _adjust(t, line_id, loc_id, product_id, counted - expected, "approved", actor=actor)
        status = _settle(t, actor=actor)
    left = len(_line_rows(t.id, "pending")) if status == CountStatus.AWAITING_APPROVAL else 0
    return FinishResult(t.number, status, len(rows), left, tuple(sorted(released)))


def recount(task: int | str, *, bin_code: str, actor: Actor) -> RecountResult:
    """Instead of approving a bin's differences, count the bin again: a new blind count of it.

    Raises:
        PermissionDenied: not a supervisor.
        InvalidTransition: nothing of the task waits for approval.
        ValidationError: no difference of that bin waits for approval.
    """
    actor.require(action="ask for a recount")
    loc = location(bin_code.strip())
    with db.write():
        t = task_row(task, lock=True)
        require_status(t, CountStatus.AWAITING_APPROVAL)
        cur = db.execute("UPDATE count_line SET status = 'recount' WHERE task_id = ? AND location_id = ? "
                         "AND status = 'pending'", (t.id, loc.id))
        if cur.rowcount < 1:
            raise ValidationError(f"no difference in {loc.code} waits for approval in {t.number}")
        db.execute("UPDATE count_bin SET status = 'recount' WHERE task_id = ? AND location_id = ?",
                   (t.id, loc.id))
        created = new_task(f"recount of {loc.code} ({t.number})", [(loc.id, loc.code)],
                           client_id=t.client_id, actor=actor, recount_of=t.id)
        status = _settle(t, actor=actor)
    return RecountResult(t.number, status, created.number, loc.code)


def _settle(t: TaskRow, *, actor: Actor) -> str:
    """Once nothing waits for approval the task is approved (something was) or closed."""
    if db.execute("SELECT 1 FROM count_line WHERE task_id = ? AND status = 'pending'", (t.id,)).fetchone():
        return t.status
    some = db.execute("SELECT 1 FROM count_line WHERE task_id = ? AND status = 'approved'", (t.id,)).fetchone()
    new = CountStatus.APPROVED if some else CountStatus.CLOSED
    audit.transition(CountStatus, t.id, t.status, new, actor=actor, client_id=t.client_id,
                     label=f"count {t.number}")
    return new


def _adjust(t: TaskRow, line_id: int, loc_id: int, product_id: int, diff: int, status: str, *,
            actor: Actor) -> set[int]:
    """Put a line's difference on the ledger (ADJUSTMENT <-> bin, reason 'count'); returns the
    orders whose reservation a shortage took."""
    adj = location("ADJUSTMENT").id
    client_id = int(db.execute("SELECT client_id FROM product WHERE id = ?", (product_id,)).fetchone()[0])

    def move(src: int, dst: int, qty: int) -> None:
        apply_move(product_id, src, dst, qty, kind="adjust", actor=actor, reason=REASON, doc_type="count",
                   doc_id=t.id, doc_ref=t.number, client_id=client_id)

    released: set[int] = set()
    applied = diff
    if diff > 0:
        move(adj, loc_id, diff)
    else:
        row = db.execute("SELECT on_hand, reserved FROM stock_level WHERE product_id = ? AND location_id = ?"
                         + db.for_update(), (product_id, loc_id)).fetchone()
        on_hand, reserved = (int(row[0]), int(row[1])) if row else (0, 0)
        # Units picked since the count began left with the ledger's blessing: the bin cannot
        # lose more than it still holds.
        take = min(-diff, on_hand)
        if take > on_hand - reserved:
            released = _release(t, product_id, loc_id, take - (on_hand - reserved), actor=actor)
        if take:
            move(loc_id, adj, take)
        applied = -take
    db.execute("UPDATE count_line SET status = ?, adjusted = ? WHERE id = ?", (status, applied, line_id))
    audit.record("count_adjust", actor=actor, doc_type="count", doc_id=t.id, client_id=client_id,
                 detail=f"{t.number} {location_by_id(loc_id).code} {sku_of(product_id)} {applied:+d}")
    # Found stock may fill back-orders; orders that lost theirs may be served from other bins.
    allocation.allocate_waiting({product_id}, actor=actor)
    return released


def _release(t: TaskRow, product_id: int, loc_id: int, qty: int, *, actor: Actor) -> set[int]:
    """Take ``qty`` reserved units of a bin back from the least urgent orders, which become
    back-ordered. Units reserved on a pick list being picked are not taken."""
    rows = db.execute(
        "SELECT a.id, a.qty, ol.order_id FROM allocation a JOIN order_line ol ON ol.id = a.order_line_id "
        'JOIN "order" o ON o.id = ol.order_id WHERE a.product_id = ? AND a.location_id = ? '
        "AND NOT EXISTS (SELECT 1 FROM pick_line pk JOIN pick_list pl ON pl.id = pk.picklist_id "
        "WHERE pk.order_line_id = a.order_line_id AND pk.location_id = a.location_id "
        "AND pk.status = 'open' AND pl.status IN ('open', 'picking')) "
        f"ORDER BY {_LEAST_URGENT}", (product_id, loc_id)).fetchall()
    left = qty
    orders: set[int] = set()
    for alloc_id, alloc_qty, order_id in rows:
        n = min(left, int(alloc_qty))
        allocation.release_allocation(int(alloc_id), n, actor=actor)
        orders.add(int(order_id))
        left -= n
        if not left:
            break
    if left:
        raise Conflict(f"{left} of {sku_of(product_id)} in {location_by_id(loc_id).code} are reserved "
                       "for a pick list being picked: finish or short-pick it, then finish the count")
    recompute_many(orders, actor=actor, note=f"count {t.number}: stock short in {location_by_id(loc_id).code}")
    return orders
