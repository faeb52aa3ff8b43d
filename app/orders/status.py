"""An order's status: derived from its lines' quantities, with its milestones, and recorded.

An order's status is never set by hand (except by cancelling): it follows from its lines'
quantities through one pure function, :func:`derive_status`. Whoever changes line
quantities (allocation, picking, packing, shipping) calls :func:`recompute_status`, which
moves the order through ``audit.transition`` (only the moves ``kernel.states`` allows),
stamps the milestone timestamps the first time they are reached and notes the change.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import NotFound
from app.kernel.states import LABELS, OrderStatus, PickListStatus
from app.store import audit, changes, db

# Kept for the other areas (and SQL parameters), which still name statuses this way.
NEW = OrderStatus.NEW
PARTIALLY_ALLOCATED = OrderStatus.PARTIALLY_ALLOCATED
ALLOCATED = OrderStatus.ALLOCATED
BACKORDERED = OrderStatus.BACKORDERED
PICKING = OrderStatus.PICKING
PACKED = OrderStatus.PACKED
SHIPPED = OrderStatus.SHIPPED
CANCELLED = OrderStatus.CANCELLED

STATUSES = tuple(OrderStatus)
# Orders that may still receive stock (allocation looks only at these).
OPEN_STATUSES = (NEW, PARTIALLY_ALLOCATED, ALLOCATED, BACKORDERED, PICKING)
STATUS_LABELS: dict[str, str] = {s: LABELS[s] for s in OrderStatus}

MILESTONES = ("allocated", "picked", "packed", "shipped")


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
                  on_picklist: bool = False) -> OrderStatus:
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



# --- SQL pieces the areas share ------------------------------------------------------------


def greatest(*cols: str) -> str:
    """SQL for the largest of these columns (SQLite's MAX, PostgreSQL's GREATEST)."""
    fn = "MAX" if db.is_sqlite() else "GREATEST"
    return f"{fn}({', '.join(cols)})"


def picked_total_sql(alias: str = "ol") -> str:
    """SQL for a line's units picked or further along (picked, packed or shipped)."""
    return greatest(f"{alias}.qty_picked", f"{alias}.qty_packed", f"{alias}.qty_shipped")


def short_sql(alias: str = "ol") -> str:
    """SQL for a line's back-ordered units: needed, neither reserved nor picked."""
    return (f"({alias}.qty_ordered - {alias}.qty_cancelled - {alias}.qty_allocated - "
            f"{picked_total_sql(alias)})")


_T = TypeVar("_T")


def chunks(items: Sequence[_T], size: int = 900) -> Iterable[Sequence[_T]]:
    """``items`` in slices small enough for one ``IN (...)`` list."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def marks(n: int) -> str:
    """``n`` SQL parameter marks: ``?, ?, ?``."""
    return ", ".join("?" * n)


# --- Status -------------------------------------------------------------------------


def recompute_status(order_id: int, *, actor: Actor, note: str = "") -> OrderStatus:
    """Derive the order's status from its lines, stamp milestones, record the change.

    Call it (inside your transaction) after changing any line quantity.

    Returns:
        The order's status now.

    Raises:
        NotFound: no such order.
        InvalidTransition: the lines say a status the order may not move to from where it is.
        Conflict: another station moved the order meanwhile.
    """
    with db.write():
        result = recompute_many([order_id], actor=actor, note=note)
    if order_id not in result:
        raise NotFound(f"no order #{order_id}")
    return result[order_id]


def recompute_many(order_ids: Iterable[int], *, actor: Actor, attempted: bool = False,
                   note: str = "", on_picklist: Iterable[int] = ()) -> dict[int, OrderStatus]:
    """Set-based recompute_status for many orders (inside the caller's transaction).

    Every status change goes through ``audit.transition_many`` (checked against
    ``kernel.states``, compare-and-set, recorded, in bulk); every order read is noted as changed.

    Args:
        order_ids: the orders whose lines changed.
        actor: who changed them.
        attempted: allocation just ran for these orders, so nothing reserved means
            back-ordered rather than new.
        note: said with each status change.
        on_picklist: those of the orders the caller knows to be on an open pick list (a pick
            on that list, in this transaction): not looked up again.

    Returns:
        Each existing order's status now.
    """
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    heads: dict[int, tuple[Any, ...]] = {}
    lines: dict[int, list[LineQty]] = {}
    unstamped: set[int] = set()  # orders with a line that may reach a milestone not yet stamped
    on_list: set[int] = set(on_picklist).intersection(ids)
    due = _stamp_due_case(db.is_sqlite())
    for part in chunks(ids):
        m = marks(len(part))
        for row in db.execute(
            f'SELECT o.id, o.client_id, o.status, o.allocated_at, o.picked_at, o.packed_at, o.shipped_at, '
            f"ol.id, ol.qty_ordered, ol.qty_allocated, ol.qty_picked, ol.qty_packed, ol.qty_shipped, "
            f"ol.qty_cancelled, {due} "
            f'FROM "order" o LEFT JOIN order_line ol ON ol.order_id = o.id WHERE o.id IN ({m}) ORDER BY o.id',
                list(part)).fetchall():
            oid = row[0]
            heads[oid] = row[:7]
            if row[7] is None:  # an order without lines
                continue
            lines.setdefault(oid, []).append(LineQty(*row[8:14]))
            if row[14]:
                unstamped.add(oid)
        rest = [oid for oid in part if oid not in on_list]
        if rest:
            for (oid,) in db.execute(
                f"SELECT plo.order_id FROM pick_list_order plo JOIN pick_list pl ON pl.id = plo.picklist_id "
                f"WHERE pl.status IN (?, ?) AND plo.order_id IN ({marks(len(rest))})",
                [PickListStatus.OPEN, PickListStatus.PICKING, *rest]).fetchall():
                on_list.add(oid)
    now = clock.now()
    stamped: list[tuple[Any, ...]] = []
    moves: list[tuple[int, int, OrderStatus, OrderStatus]] = []
    result: dict[int, OrderStatus] = {}
    for oid, (_, client_id, status, *stamps) in heads.items():
        qty = lines.get(oid, [])
        new = derive_status(qty, cancelled=status == CANCELLED, attempted=attempted or status != NEW,
                            on_picklist=oid in on_list)
        result[oid] = new
        reached = milestones(qty) if new != CANCELLED else set()
        stamp = [now if (name in reached and stamps[i] is None) else None
                 for i, name in enumerate(MILESTONES)]
        if any(s is not None for s in stamp):
            stamped.append((*stamp, oid))
        if new != status:
            moves.append((oid, client_id, OrderStatus(status), new))
    db.executemany(
        'UPDATE "order" SET allocated_at = COALESCE(allocated_at, ?), '
        "picked_at = COALESCE(picked_at, ?), packed_at = COALESCE(packed_at, ?), "
        "shipped_at = COALESCE(shipped_at, ?) WHERE id = ?", stamped)
    _stamp_lines([oid for oid, st in result.items() if st != CANCELLED and oid in unstamped], now)
    audit.transition_many(OrderStatus, moves, actor=actor, note=note)
    # Line quantities changed even where the status stayed: screens showing them look again.
    changes.changed("order", *heads)
    return result


def _line_stamps(alias: str = "") -> tuple[str, dict[str, str]]:
    """SQL for a line's need and, per milestone, the units that count towards it."""
    p = f"{alias}." if alias else ""
    picked = greatest(f"{p}qty_picked", f"{p}qty_packed", f"{p}qty_shipped")
    packed = greatest(f"{p}qty_packed", f"{p}qty_shipped")
    need = f"({p}qty_ordered - {p}qty_cancelled)"
    return need, {"allocated": f"{p}qty_allocated + {picked}", "picked": picked, "packed": packed,
                  "shipped": f"{p}qty_shipped"}


@functools.lru_cache(maxsize=2)
def _stamp_due_case(sqlite: bool) -> str:
    """SQL for 1 when ``_stamp_lines`` has a stamp to set on order line ``ol`` (its WHERE, and
    one of its CASEs that sets a value), else 0. ``sqlite``: the backend (``greatest`` differs)."""
    need, reached = _line_stamps("ol")
    due = " OR ".join(f"(ol.{m}_at IS NULL AND {reached[m]} >= {need})" for m in MILESTONES)
    return f"CASE WHEN {need} > 0 AND ol.shipped_at IS NULL AND ({due}) THEN 1 ELSE 0 END"


def _stamp_lines(order_ids: Sequence[int], now: Any) -> None:
    """Stamp each line's own milestones the first time the whole line reaches them, so a
    partly shipped order keeps the stage times of the lines that went ahead."""
    if not order_ids:
        return
    need, reached = _line_stamps()
    sets = ", ".join(f"{m}_at = CASE WHEN {m}_at IS NULL AND {reached[m]} >= {need} THEN ? ELSE {m}_at END"
                     for m in MILESTONES)
    for part in chunks(order_ids):
        db.execute(f"UPDATE order_line SET {sets} WHERE order_id IN ({marks(len(part))}) AND {need} > 0 "
                   "AND shipped_at IS NULL", [now] * len(MILESTONES) + list(part))
