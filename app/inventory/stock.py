"""Stock moved by a person's decision: moves, transfers between bins, count and damage adjustments.

Stock that lands in a bin may fill orders waiting for it: each use case asks allocation
to serve the back-orders in the same transaction.
"""

from __future__ import annotations

from app.kernel.actor import Actor
from app.kernel.errors import ValidationError
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
           note: str = "", client_id: int | None = None) -> int:
    """Correct a balance after a count or damage. Supervisors only.

    Raises:
        PermissionDenied: the actor is not a supervisor.
        ValidationError: zero delta, unknown reason code, virtual location.
        OutOfStock: a negative adjustment below what is free in the location.
    """
    actor.require_to("adjust stock")
    if not isinstance(delta, int) or delta == 0:
        raise ValidationError("an adjustment needs a non-zero whole quantity")
    if reason not in ADJUST_REASONS:
        raise ValidationError(f"unknown reason {reason!r}: use one of {', '.join(ADJUST_REASONS)}")
    loc = location(location_code)
    if loc.kind == "virtual":
        raise ValidationError(f"{loc.code} is virtual; adjust a real location")
    adj = location("ADJUSTMENT")
    with db.write():
        p = find_product(product, client_id)
        src, dst = (adj.id, loc.id) if delta > 0 else (loc.id, adj.id)
        move_id = apply_move(p.id, src, dst, abs(delta), kind="adjust", actor=actor,
                             reason=f"{reason}: {note}" if note else reason,
                             doc_type="adjustment", client_id=p.client_id)
        audit.record("adjust", actor=actor, client_id=p.client_id, doc_type="adjustment",
                     detail=f"{p.sku} {loc.code} {delta:+d} {reason} {note}".strip())
        if delta > 0 and loc.kind == "bin":
            allocation.allocate_waiting({p.id}, actor=actor)
    return move_id
