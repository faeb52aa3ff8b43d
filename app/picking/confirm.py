"""Confirming a pick: units from the current stop's bin into a tote, scan by scan."""

from __future__ import annotations

from dataclasses import dataclass

from app import ledger
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, InvalidTransition, ValidationError
from app.kernel.states import PickListStatus
from app.picking.cancel import after_conflict
from app.picking.lines import (
    check_lot,
    consume_allocation,
    current_lines,
    describe_scan,
    match_item,
    scanned_bin,
)
from app.picking.picklist import (
    OPEN_STATUSES,
    WrongScan,
    list_row,
    maybe_complete,
    parse_tote,
    positive,
    recompute,
    set_status,
)
from app.picking.view import Stop, stop_pair_at
from app.store import changes, db


@dataclass(frozen=True)
class PickResult:
    """One confirmed pick: what went into which tote, the stop as it now is, and the next one."""

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
    stop: Stop  # the picked stop after the pick (the screen redraws that row only)


def confirm_pick(picklist: int | str, *, bin_code: str, scan_code: str, qty: int | None = None,
                 tote: int | str, actor: Actor) -> PickResult:
    """The picker took units from the current stop's bin and put them in a tote.

    The bin must be the current stop's (the first open one on the walk), the item one of the
    products to take there (any barcode or the SKU; a case-pack code counts its pack size;
    a GS1 code's lot must be the lot allocated, a plain code takes the allocated lot), and
    the tote one whose order still needs it here. ``qty`` is how many scans that were
    (keyed instead of scanning each unit). Stock moves bin -> PACKING consuming the
    reservation; allocation, order line and pick line follow in the same transaction.

    Raises:
        WrongScan: wrong bin, item or tote (nothing changed); WrongLot: a GS1 code of
            another lot than the one allocated (nothing changed).
        ValidationError: more than the tote needs here; bad quantity.
        InvalidTransition: the pick list is finished or cancelled.
    """
    actor.require_to("pick")
    code = (scan_code or "").strip()
    if not code:
        raise ValidationError("scan the item")
    count = 1 if qty is None else positive(qty, "quantity")
    tote_no = parse_tote(tote)
    loc = scanned_bin(bin_code)
    try:
        return _confirm_pick(picklist, loc, code, count, tote_no, actor=actor)
    except Conflict as exc:
        after_conflict(picklist, exc, actor=actor)
        raise


def _confirm_pick(picklist: int | str, loc: ledger.LocationRef, code: str, count: int, tote_no: int, *,
                  actor: Actor) -> PickResult:
    with db.write():
        pl = list_row(picklist, lock=True)
        if pl.status not in OPEN_STATUSES:
            raise InvalidTransition(f"pick list {pl.number} is {pl.status}")
        here = current_lines(pl.id)  # the current stop's bin's open lines
        if not here:
            raise InvalidTransition(f"pick list {pl.number} has nothing left to pick")
        if loc.id != here[0].location_id:
            first = here[0]
            raise WrongScan(f"wrong bin {loc.code}: go to {first.bin_code} for {first.sku}")
        item = match_item(code, {ln.product_id for ln in here}, {ln.product_id: ln.sku for ln in here})
        if item is None:
            wanted = ", ".join(sorted({ln.sku for ln in here}))
            raise WrongScan(f"wrong item {describe_scan(code)}: take {wanted} from {loc.code}")
        product_id, pack_qty = item.product_id, item.pack_qty
        check_lot(here, item, loc.code)
        units = count * pack_qty
        mine = [ln for ln in here if ln.product_id == product_id and ln.tote == tote_no
                and (item.lot is None or not ln.lot or ln.lot == item.lot)]
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
        per_lot: dict[str, int] = {}
        # The reservation rows first: one gone (released elsewhere) is a Conflict, not OutOfStock.
        for ln in mine:
            take = min(ln.remaining, left)
            if not take:
                continue
            consume_allocation(ln.order_line_id, loc.id, take, ln.lot)
            db.execute("UPDATE order_line SET qty_allocated = qty_allocated - ?, qty_picked = qty_picked + ? "
                       "WHERE id = ?", (take, take, ln.order_line_id))
            if ln.picked + take + ln.short >= ln.qty:  # the line is done
                db.execute("UPDATE pick_line SET qty_picked = qty_picked + ?, status = ?, picked_at = ? "
                           "WHERE id = ?", (take, "short" if ln.short else "picked", now, ln.id))
            else:  # still open: its status (indexed) is left as it is
                db.execute("UPDATE pick_line SET qty_picked = qty_picked + ?, picked_at = ? WHERE id = ?",
                           (take, now, ln.id))
            per_lot[ln.lot] = per_lot.get(ln.lot, 0) + take
            left -= take
            if not left:
                break
        packing = ledger.location("PACKING").id
        for lot, qty_lot in per_lot.items():  # one move per lot taken (the allocated lot's units)
            ledger.apply_move(
                product_id, loc.id, packing, qty_lot, kind="pick", actor=actor,
                reason=f"tote {tote_no}", doc_type="picklist", doc_id=pl.id, doc_ref=pl.number,
                client_id=mine[0].client_id, consume_reserved=qty_lot, lot=lot,
            )
        # The picked stop and the next open one (none: nothing is left, the list is done).
        stop, nxt = stop_pair_at(pl.id, mine[0].walk_seq)
        if pl.status == PickListStatus.OPEN:
            pl = set_status(pl, PickListStatus.PICKING, actor=actor)
        pl = maybe_complete(pl, actor=actor, any_open=nxt is not None)
        changes.changed("picklist", pl.id)
        if pl.status in OPEN_STATUSES:  # (a finished list's orders were all looked at again)
            orders = {ln.order_id for ln in mine}
            # Still open, the list holds its orders (a line of theirs was open on it).
            recompute(orders, actor=actor, on_open_list=orders)
    assert stop is not None
    return PickResult(
        picklist_id=pl.id, number=pl.number, bin_code=loc.code, sku=sku, name=stop.name, tote=tote_no,
        qty=units, order_numbers=tuple(sorted({ln.order_number for ln in mine})),
        stop_remaining=stop.remaining, next_stop=nxt, picklist_status=pl.status, stop=stop,
    )
