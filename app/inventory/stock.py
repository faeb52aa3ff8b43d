"""Stock moved by a person's decision: moves, transfers between bins, count and damage adjustments.

Stock that lands in a bin may fill orders waiting for it: each use case asks allocation
to serve the back-orders in the same transaction.
"""

from __future__ import annotations

from app.kernel.actor import Actor
from app.kernel.errors import ValidationError
from app.ledger.lots import check_lot, register_lot
from app.ledger.moves import apply_move, find_product
from app.orders import allocation
from app.store import audit, db
from app.store.places import location

ADJUST_REASONS = ("count", "damaged", "found", "lost", "correction", "expired", "sample")


def move(product: int | str, from_code: str, to_code: str, qty: int, *, actor: Actor,
         kind: str = "transfer", reason: str = "", client_id: int | None = None) -> int:
    """Move stock between any two locations in one transaction; returns the move id."""
    with db.write():
        actor.require_to("move stock")
        p = find_product(product, client_id)
        src, dst = location(from_code), location(to_code)
        move_id = apply_move(p.id, src.id, dst.id, qty, kind=kind, actor=actor, reason=reason,
                             client_id=p.client_id)
        if dst.kind == "bin" and src.kind != "bin":
            allocation.allocate_waiting({p.id}, actor=actor)
    return move_id


def transfer(product: int | str, from_bin: str, to_bin: str, qty: int, *, actor: Actor,
             client_id: int | None = None) -> int:
    """Move free stock from one real location to another (bin to bin, staging to bin)."""
    actor.require_to("transfer stock")
    src, dst = location(from_bin), location(to_bin)
    for loc in (src, dst):
        if loc.kind == "virtual":
            raise ValidationError(f"{loc.code} is not a real location; transfers are between bins")
    return move(product, from_bin, to_bin, qty, actor=actor, kind="transfer", client_id=client_id)


def adjust(product: int | str, location_code: str, delta: int, *, reason: str, actor: Actor,
           note: str = "", client_id: int | None = None, lot: str | None = None) -> int:
    """Correct a balance after a count or damage. Supervisors only.

    A product with lots names the lot (it may be left out when the location holds one lot of
    it). A shortage of units reserved for orders (not yet on a pick list being picked) takes
    the reservation back from the least urgent orders first, which are back-ordered and then
    served from other bins or lots if any are free: all in this one transaction.

    Raises:
        PermissionDenied: the actor is not a supervisor.
        ValidationError: zero delta, unknown reason code, virtual location, lot missing.
        OutOfStock: a negative adjustment of more than is on hand.
        Conflict: the shortage is reserved for a pick list being picked.
    """
    actor.require_to("adjust stock")
    if not isinstance(delta, int) or isinstance(delta, bool) or delta == 0:
        raise ValidationError("an adjustment needs a non-zero whole quantity")
    if reason not in ADJUST_REASONS:
        raise ValidationError(f"unknown reason {reason!r}: use one of {', '.join(ADJUST_REASONS)}")
    loc = location(location_code)
    if loc.kind == "virtual":
        raise ValidationError(f"{loc.code} is virtual; adjust a real location")
    adj = location("ADJUSTMENT")
    with db.write():
        p = find_product(product, client_id)
        lot_code = _lot_for(p.id, p.sku, bool(p.track_lot or p.track_expiry), loc.id, lot, found=delta > 0)
        src, dst = (adj.id, loc.id) if delta > 0 else (loc.id, adj.id)
        taken: set[int] = set()
        if delta < 0:
            taken = allocation.release_short(p.id, loc.id, -delta, lot=lot_code, actor=actor,
                                  note=f"adjustment of {p.sku} in {loc.code}")
        move_id = apply_move(p.id, src, dst, abs(delta), kind="adjust", actor=actor,
                             reason=f"{reason}: {note}" if note else reason,
                             doc_type="adjustment", client_id=p.client_id, lot=lot_code)
        what = f"{p.sku} lot {lot_code}" if lot_code else p.sku
        audit.record("adjust", actor=actor, client_id=p.client_id, doc_type="adjustment",
                     detail=f"{what} {loc.code} {delta:+d} {reason} {note}".strip())
        if (delta > 0 or taken) and loc.kind == "bin":
            allocation.allocate_waiting({p.id}, actor=actor)
    return move_id


def _lot_for(product_id: int, sku: str, tracked: bool, location_id: int, lot: str | None, *,
             found: bool) -> str:
    """The lot an adjustment changes: "" for a product without lots; for one with lots the
    lot named, or the location's only lot of it."""
    if not tracked:
        if lot:
            raise ValidationError(f"{sku} is not tracked by lot")
        return ""
    if lot:
        text = check_lot(lot)
        if found:
            register_lot(product_id, text, None)
        return text
    held = [x for (x,) in db.execute("SELECT lot FROM stock_level WHERE product_id = ? AND location_id = ? "
                                     "AND on_hand > 0 AND lot <> '' ORDER BY lot", (product_id, location_id))]
    if len(held) == 1:
        return str(held[0])
    raise ValidationError(f"{sku} is tracked by lot: name the lot"
                          + (f" ({', '.join(held)})" if held else ""))
