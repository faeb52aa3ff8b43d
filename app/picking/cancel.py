"""Giving up pick lines or parts of them: a whole wave, one order, lines whose reservation is gone."""

from __future__ import annotations

from app.kernel.actor import Actor
from app.kernel.errors import Conflict, InvalidTransition, NotFound, ValidationError
from app.kernel.states import PickListStatus
from app.kernel.text import counted
from app.picking.picklist import (
    OPEN_STATUSES,
    LinesDropped,
    list_row,
    maybe_complete,
    recompute,
    set_status,
)
from app.picking.view import next_stop
from app.store import audit, changes, db


def after_conflict(picklist: int | str, exc: Conflict, *, actor: Actor) -> None:
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
        "SELECT pl.id, pl.order_line_id, pl.location_id, pl.lot, pl.qty, pl.qty_picked, pl.qty_short, "
        "o.id, o.number FROM pick_line pl JOIN order_line ol ON ol.id = pl.order_line_id "
        'JOIN "order" o ON o.id = ol.order_id WHERE pl.picklist_id = ? AND pl.status = \'open\' '
        "ORDER BY pl.tote, pl.id", (picklist_id,)).fetchall()
    reserved: dict[tuple[int, int, str], int] = {}
    for olid, loc_id, lot, qty in db.execute(
        "SELECT a.order_line_id, a.location_id, a.lot, SUM(a.qty) FROM allocation a WHERE a.order_line_id IN "
        "(SELECT order_line_id FROM pick_line WHERE picklist_id = ? AND status = 'open') "
        "GROUP BY a.order_line_id, a.location_id, a.lot", (picklist_id,)).fetchall():
        reserved[(int(olid), int(loc_id), lot)] = int(qty)
    changes: list[tuple[int, str, int]] = []
    affected: dict[int, str] = {}
    for line_id, olid, loc_id, lot, qty, picked, short, order_id, number in rows:
        remaining = qty - picked - short
        have = reserved.get((olid, loc_id, lot), 0)
        keep = min(remaining, have)
        reserved[(olid, loc_id, lot)] = have - keep
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
    pl = list_row(picklist)
    if pl.status not in OPEN_STATUSES or not _unreserved_changes(pl.id)[0]:
        return ()
    with db.write():
        pl = list_row(pl.id, lock=True)
        if pl.status not in OPEN_STATUSES:
            return ()
        updates, affected = _unreserved_changes(pl.id)
        if not updates:
            return ()
        db.executemany("UPDATE pick_line SET qty = ?, status = ? WHERE id = ?", updates)
        audit.record("picklist_lines_dropped", actor=actor, doc_type="picklist", doc_id=pl.id,
                     client_id=pl.client_id,
                     detail=f"{pl.number}: reservation gone for {', '.join(sorted(affected.values()))}")
        changes.changed("picklist", pl.id)
        maybe_complete(pl, actor=actor)
        recompute(affected, actor=actor)
    return tuple(sorted(affected.values()))


def cancel_picklist(picklist: int | str, *, actor: Actor, reason: str = "") -> None:
    """Give a wave up: its open lines are dropped (reservations stay with the orders, which
    can go on a new wave); what was picked stays picked in PACKING."""
    actor.require_to("cancel pick lists")
    with db.write():
        pl = list_row(picklist, lock=True)
        set_status(pl, PickListStatus.CANCELLED, actor=actor, note=reason)
        db.execute("UPDATE pick_line SET status = 'cancelled' WHERE picklist_id = ? AND status = 'open'",
                   (pl.id,))
        order_ids = [int(r[0]) for r in db.execute(
            "SELECT order_id FROM pick_list_order WHERE picklist_id = ?", (pl.id,)).fetchall()]
        recompute(order_ids, actor=actor)


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
    actor.require_to("take orders off pick lists")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("say why the order comes off the pick list")
    with db.write():
        pl = list_row(picklist, lock=True)
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
                     client_id=pl.client_id, detail=f"{pl.number}: {number} ({counted(units, 'unit')}): {reason}")
        changes.changed("picklist", pl.id)
        maybe_complete(pl, actor=actor)
        recompute([order_id], actor=actor)
    return units

