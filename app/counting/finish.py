"""Finishing a count: differences become adjustments, large ones wait for a supervisor.

A line's difference is what was counted minus what the ledger held when the bin's count
began; moves made since then are already in the balance, so the adjustment is that
difference, lot by lot. A difference waits for approval when it is more units than
``count_approve_units`` or worth more than ``count_approve_value`` (units x the product's
unit cost). A shortage of reserved stock first takes the reservation back from the least
urgent orders (``orders.allocation.release_short``, as an adjustment does: they are
back-ordered, or served from other bins or lots), all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from app.counting.tasks import (
    TaskRow,
    approve_units,
    approve_value,
    new_task,
    require_status,
    task_row,
)
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import NotFound, ValidationError
from app.kernel.states import CountStatus
from app.kernel.text import counted
from app.ledger.moves import apply_move, sku_of
from app.orders import allocation
from app.store import audit, db
from app.store.places import location, location_by_id

REASON = "count"


@dataclass(frozen=True)
class FinishResult:
    number: str
    status: str
    adjusted: int  # lines whose difference went to the ledger
    pending: int   # lines waiting for approval
    orders_released: tuple[int, ...]  # orders that lost reserved stock to a shortage

    def message(self) -> str:
        text = f"{self.number} {self.status.replace('_', ' ')}: {counted(self.adjusted, 'line')} adjusted"
        return text + (f", {self.pending} wait for approval" if self.pending else "")


@dataclass(frozen=True)
class RecountResult:
    number: str
    status: str
    new_number: str
    bin_code: str


_Line = tuple[int, int, int, int, int, str]  # id, bin, product, expected, counted, lot


def _line_rows(task_id: int, status: str, line_ids: Iterable[int] | None = None) -> list[_Line]:
    rows: list[_Line] = [
        (int(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]), str(r[5])) for r in db.execute(
            "SELECT id, location_id, product_id, expected_at_start, counted, lot FROM count_line "
            "WHERE task_id = ? AND status = ? ORDER BY location_id, product_id, lot", (task_id, status)).fetchall()]
    if line_ids is None:
        return rows
    wanted = set(line_ids)
    found = [r for r in rows if r[0] in wanted]
    missing = wanted - {r[0] for r in found}
    if missing:
        raise NotFound(f"no line {', '.join(map(str, sorted(missing)))} waits for approval")
    return found


def finish(task: int | str, *, actor: Actor) -> FinishResult:
    """Close the counting: small differences are adjusted now, large ones wait for approval.

    Raises:
        PermissionDenied: the actor may not finish counts (automation: it never adjusts).
        InvalidTransition: the task is not being counted.
        ValidationError: a bin of the task was not counted (scan it, or count it empty).
        Conflict: a shortage is reserved for a pick list in progress.
    """
    actor.require_to("finish counts")
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
        limit, value_limit = approve_units(), approve_value()
        rows = _line_rows(t.id, "open")
        costs = _unit_costs({r[2] for r in rows}) if value_limit is not None else {}
        adjusted = pending = 0
        released: set[int] = set()
        for line_id, loc_id, product_id, expected, counted, lot in rows:
            diff = counted - expected
            cost = costs.get(product_id)
            if diff == 0:
                db.execute("UPDATE count_line SET status = 'ok' WHERE id = ?", (line_id,))
            elif abs(diff) > limit or (value_limit is not None and cost is not None
                                       and cost * abs(diff) > value_limit):
                db.execute("UPDATE count_line SET status = 'pending' WHERE id = ?", (line_id,))
                pending += 1
            else:
                released |= _adjust(t, line_id, loc_id, product_id, diff, "adjusted", actor=actor, lot=lot)
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
    actor.require_to("approve count differences")
    with db.write():
        t = task_row(task, lock=True)
        require_status(t, CountStatus.AWAITING_APPROVAL)
        released: set[int] = set()
        rows = _line_rows(t.id, "pending", None if lines is None else [int(x) for x in lines])
        for line_id, loc_id, product_id, expected, counted, lot in rows:
            released |= _adjust(t, line_id, loc_id, product_id, counted - expected, "approved", actor=actor,
                                lot=lot)
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
    actor.require_to("ask for recounts")
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


def _unit_costs(product_ids: set[int]) -> dict[int, Decimal]:
    """The value of one unit of each product that has one (``product.unit_cost``)."""
    ids = sorted(product_ids)
    out: dict[int, Decimal] = {}
    for start in range(0, len(ids), 900):
        part = ids[start:start + 900]
        for pid, cost in db.execute(f"SELECT id, unit_cost FROM product WHERE unit_cost IS NOT NULL AND id IN "
                                    f"({', '.join('?' * len(part))})", part).fetchall():
            out[int(pid)] = Decimal(str(cost))
    return out


def _adjust(t: TaskRow, line_id: int, loc_id: int, product_id: int, diff: int, status: str, *,
            actor: Actor, lot: str = "") -> set[int]:
    """Put a line's difference on the ledger (ADJUSTMENT <-> bin, reason 'count', the line's
    lot); returns the orders whose reservation a shortage took."""
    adj = location("ADJUSTMENT").id
    client_id = int(db.execute("SELECT client_id FROM product WHERE id = ?", (product_id,)).fetchone()[0])

    def move(src: int, dst: int, qty: int) -> None:
        apply_move(product_id, src, dst, qty, kind="adjust", actor=actor, reason=REASON, doc_type="count",
                   doc_id=t.id, doc_ref=t.number, client_id=client_id, lot=lot)

    released: set[int] = set()
    applied = diff
    place = location_by_id(loc_id).code
    if diff > 0:
        move(adj, loc_id, diff)
    else:
        row = db.execute("SELECT on_hand FROM stock_level WHERE product_id = ? AND location_id = ? AND lot = ?"
                         + db.for_update(), (product_id, loc_id, lot)).fetchone()
        on_hand = int(row[0]) if row else 0
        # Units picked since the count began left with the ledger's blessing: the bin cannot
        # lose more than it still holds.
        take = min(-diff, on_hand)
        released = allocation.release_short(product_id, loc_id, take, lot=lot, actor=actor,
                                            note=f"count {t.number}: stock short in {place}")
        if take:
            move(loc_id, adj, take)
        applied = -take
    db.execute("UPDATE count_line SET status = ?, adjusted = ? WHERE id = ?", (status, applied, line_id))
    what = sku_of(product_id) + (f" lot {lot}" if lot else "")
    audit.record("count_adjust", actor=actor, doc_type="count", doc_id=t.id, client_id=client_id,
                 detail=f"{t.number} {place} {what} {applied:+d}")
    # Found stock may fill back-orders; orders that lost theirs may be served from other bins or lots.
    allocation.allocate_waiting({product_id}, actor=actor)
    return released
