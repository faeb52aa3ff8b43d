"""A supervisor's lot swap: the picker holds another lot than the one allocated, and it is taken instead."""

from __future__ import annotations

from dataclasses import dataclass

from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, InvalidTransition, NotFound, ValidationError
from app.ledger.lots import check_lot as clean_lot
from app.ledger.lots import lot_text
from app.orders import allocation
from app.picking.lines import (
    consume_allocation,
    match_item,
    release_reserved,
    scanned_bin,
)
from app.picking.picklist import OPEN_STATUSES, list_row, parse_tote
from app.store import audit, changes, db


@dataclass(frozen=True)
class SwapResult:
    """What ``swap_lot`` did: units of a pick line that now come from another lot."""

    picklist: str
    bin_code: str
    sku: str
    old_lot: str
    new_lot: str
    qty: int
    line_id: int  # the pick line holding the new lot

    def message(self) -> str:
        return (f"{self.qty} × {self.sku} in {self.bin_code} now from lot {self.new_lot} "
                f"(was lot {self.old_lot})")


def swap_lot(line: int, new_lot: str, *, actor: Actor) -> SwapResult:
    """Take another lot of the same product in the same bin for a pick line's open units.

    The reservation moves from the allocated lot to ``new_lot`` (only what is free of it in
    that bin: all the line's open units when there are that many, else as many as are free,
    the rest stays on the allocated lot); the pick line is split when part of it was picked
    already. The allocated lot's freed units go to waiting back-orders. Recorded in the audit
    trail with both lots. Supervisors only (as resolving a pick exception).

    Raises:
        PermissionDenied: not a supervisor.
        NotFound: no such pick line.
        InvalidTransition: the line is not open, or its pick list is finished.
        ValidationError: the product has no lots, the lot is the same, unknown or expired.
        Conflict: nothing of that lot is free in the bin.
    """
    actor.require_to("resolve pick exceptions")
    lot = clean_lot(new_lot or "")
    if not lot:
        raise ValidationError("name the lot to take instead")
    with db.write():
        row = db.execute(
            "SELECT pl.picklist_id, pl.order_line_id, pl.product_id, pl.location_id, pl.tote, pl.qty, "
            "pl.qty_picked, pl.qty_short, pl.status, pl.lot, pl.walk_seq, p.sku, l.code, p.client_id "
            "FROM pick_line pl JOIN product p ON p.id = pl.product_id JOIN location l ON l.id = pl.location_id "
            "WHERE pl.id = ?" + db.for_update(), (line,)).fetchone()
        if row is None:
            raise NotFound(f"no pick line #{line}")
        (pl_id, ol_id, pid, loc_id, tote, qty, picked, short, status, old, walk_seq, sku, bin_code,
         client_id) = row
        plist = list_row(int(pl_id), lock=True)
        if plist.status not in OPEN_STATUSES or status != "open":
            raise InvalidTransition(f"nothing of {sku} is left to pick on that line of {plist.number}")
        if not old:
            raise ValidationError(f"{sku} is not tracked by lot")
        if lot == old:
            raise ValidationError(f"lot {lot} is the lot allocated already")
        found = db.execute("SELECT expiry FROM lot WHERE product_id = ? AND lot = ?", (pid, lot)).fetchone()
        if found is None:
            raise ValidationError(f"{sku} has no lot {lot}")
        expiry = db.as_date(found[0])
        if expiry is not None and expiry < clock.local_today():
            raise ValidationError(f"lot {lot} of {sku} expired on {expiry:%m-%d-%Y}: it goes to QUARANTINE")
        balance = db.execute("SELECT on_hand - reserved FROM stock_level WHERE product_id = ? AND location_id = ? "
                             "AND lot = ?" + db.for_update(), (pid, loc_id, lot)).fetchone()
        free = int(balance[0]) if balance else 0
        remaining = int(qty) - int(picked) - int(short)
        n = min(remaining, free)
        if n <= 0:
            raise Conflict(f"no unit of lot {lot} of {sku} is free in {bin_code}: take lot {old}")
        # the allocated lot gives its reservation up, the new lot takes it
        consume_allocation(ol_id, loc_id, n, old)
        release_reserved(pid, loc_id, n, old)
        cur = db.execute("UPDATE stock_level SET reserved = reserved + ? WHERE product_id = ? AND location_id = ? "
                         "AND lot = ? AND on_hand - reserved >= ?", (n, pid, loc_id, lot, n))
        if cur.rowcount != 1:
            raise Conflict(f"lot {lot} of {sku} in {bin_code} changed meanwhile: try again")
        db.execute("INSERT INTO allocation (order_line_id, product_id, location_id, lot, qty, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?)", (ol_id, pid, loc_id, lot, n, clock.now()))
        if n == remaining and not picked and not short:
            db.execute("UPDATE pick_line SET lot = ? WHERE id = ?", (lot, line))
            new_line = line
        else:  # the picked (or still allocated) part stays on the old lot's line
            kept = int(qty) - n
            closed = kept <= int(picked) + int(short)
            db.execute("UPDATE pick_line SET qty = ?, status = ? WHERE id = ?",
                       (kept, ("short" if short else "picked") if closed else "open", line))
            new_line = int(db.execute(
                "INSERT INTO pick_line (picklist_id, order_line_id, product_id, location_id, tote, qty, "
                "qty_picked, qty_short, short_reason, status, walk_seq, lot) "
                "VALUES (?, ?, ?, ?, ?, ?, 0, 0, '', 'open', ?, ?) RETURNING id",
                (pl_id, ol_id, pid, loc_id, tote, n, walk_seq, lot)).fetchone()[0])
        audit.record("lot_swapped", actor=actor, doc_type="picklist", doc_id=plist.id, client_id=client_id,
                     detail=f"{plist.number} {bin_code} {sku} tote {tote}: {n} from lot {lot} instead of "
                            f"lot {old} ({lot_text(lot, expiry)})")
        changes.changed("picklist", plist.id)
        # the old lot's units are free again: waiting back-orders may take them
        allocation.allocate_waiting({pid}, actor=actor)
    return SwapResult(plist.number, bin_code, sku, old, lot, n, new_line)


def swap_lot_at(picklist: int | str, *, bin_code: str, code: str, new_lot: str = "",
                tote: int | str | None = None, actor: Actor) -> SwapResult:
    """``swap_lot`` for the open line of a pick list that takes a product from a bin (the
    command line's way: the list, the bin and the item, rather than a line's id).

    ``code`` is the item's barcode, SKU or GS1 scan; a GS1 scan's lot is the lot to take
    when ``new_lot`` is not given. When several totes take the product there, ``tote`` says
    which one's line.

    Raises:
        NotFound: no open line of that item in that bin on the list.
        ValidationError: no lot named, the tote not named where several could be meant.
        (and what ``swap_lot`` raises)
    """
    actor.require_to("resolve pick exceptions")
    plist = list_row(picklist)
    loc = scanned_bin(bin_code)
    rows = db.execute("SELECT id, product_id, tote, lot FROM pick_line WHERE picklist_id = ? AND location_id = ? "
                      "AND status = 'open' ORDER BY walk_seq, tote, id", (plist.id, loc.id)).fetchall()
    item = match_item((code or "").strip(), {int(r[1]) for r in rows}) if rows and (code or "").strip() else None
    if item is None:
        raise NotFound(f"{plist.number} has nothing left to pick of {(code or '').strip()!r} in {loc.code}")
    lot = clean_lot(new_lot or item.lot or "")
    if not lot:
        raise ValidationError("name the lot to take instead (or scan the unit's GS1 code)")
    lines = [r for r in rows if int(r[1]) == item.product_id and str(r[3]) != lot]
    if tote is not None:
        wanted = parse_tote(tote)
        lines = [r for r in lines if int(r[2]) == wanted]
    if not lines:
        raise ValidationError(f"lot {lot} is the lot allocated already" + (f" for tote {tote}" if tote else ""))
    totes = sorted({int(r[2]) for r in lines})
    if len(totes) > 1:
        raise ValidationError(f"totes {', '.join(f'T{t}' for t in totes)} take it in {loc.code}: name the tote")
    return swap_lot(int(lines[0][0]), lot, actor=actor)
