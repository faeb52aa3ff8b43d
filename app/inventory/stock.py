"""Stock moved by a person's decision: moves, transfers between bins, count and damage adjustments.

Stock that lands in a bin may fill orders waiting for it: each use case asks allocation
to serve the back-orders in the same transaction. A product with lots moves one lot at a
time: the lot is named (or read from a GS1 scan given as the product), or it is the only
lot of the product in the source location.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.catalog.scan import find_product_code
from app.kernel.actor import Actor
from app.kernel.errors import NotFound, ValidationError
from app.kernel.gs1 import looks_gs1
from app.ledger.lots import (
    FEFO_ORDER,
    LotBalance,
    check_lot,
    expiry_text,
    lots_in,
    register_lot,
    require_lot_date,
)
from app.ledger.moves import apply_move, find_product
from app.orders import allocation
from app.store import audit, db
from app.store.db import as_date
from app.store.models import Product
from app.store.places import LocationRef, location, require_open_bin

ADJUST_REASONS = ("count", "damaged", "found", "lost", "correction", "expired", "sample")


@dataclass(frozen=True)
class LotChoice(LotBalance):
    """One lot of a product in one location, as a person chooses it."""

    def text(self) -> str:
        """'SOON  EXP 05-31-2026  3 on hand, 1 free' ('(no lot)' for units received before
        the product kept lots)."""
        parts = [self.lot or "(no lot)"]
        if self.expiry is not None:
            parts.append(expiry_text(self.expiry))
        parts.append(f"{self.on_hand} on hand" + (f", {self.free} free" if self.reserved else ""))
        return "  ".join(parts)


@dataclass(frozen=True)
class PlaceLot:
    """Units of a product in one real location and lot ("" for a product without lots)."""

    location: str
    kind: str
    lot: str
    expiry: dt.date | None
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def where_it_is(product: int | str, *, client_id: int | None = None) -> list[PlaceLot]:
    """Every real location and lot holding a product: in walk order, each place's lots first
    to expire first."""
    p = find_product(product, client_id)
    rows = db.execute(
        "SELECT l.code, l.kind, sl.lot, t.expiry, sl.on_hand, sl.reserved FROM stock_level sl "
        "JOIN location l ON l.id = sl.location_id "
        "LEFT JOIN lot t ON t.product_id = sl.product_id AND t.lot = sl.lot "
        "WHERE sl.product_id = ? AND sl.on_hand > 0 "
        f"ORDER BY l.kind, l.pick_seq, l.code, {FEFO_ORDER}", (p.id,)).fetchall()
    return [PlaceLot(code, kind, lot, as_date(exp), int(oh), int(rs)) for code, kind, lot, exp, oh, rs in rows]


def tracks_lots(product: int | str, client_id: int | None = None) -> bool:
    """Whether a product keeps lots (or expiry dates): its moves then name their lot."""
    return _tracked(find_product(product, client_id))


def lot_choices(product: int | str, location_code: str, *, client_id: int | None = None) -> list[LotChoice]:
    """A product's lots holding stock in one location, first to expire first ([] for a
    product without lots, or a location holding none of it)."""
    p = find_product(product, client_id)
    if not _tracked(p):
        return []
    code = (location_code or "").strip().upper()
    if not code:
        return []
    try:
        loc = location(code)
    except NotFound:
        return []
    return [LotChoice(x.lot, x.expiry, x.on_hand, x.reserved) for x in lots_in(p.id, loc.id)]


def what_moved(move_id: int) -> tuple[str, str]:
    """(SKU, lot) of a move ("" lot for a product without lots)."""
    row = db.execute("SELECT p.sku, m.lot FROM stock_move m JOIN product p ON p.id = m.product_id "
                     "WHERE m.id = ?", (move_id,)).fetchone()
    if row is None:
        raise NotFound(f"no stock move #{move_id}")
    return str(row[0]), str(row[1])


def move(product: int | str, from_code: str, to_code: str, qty: int, *, actor: Actor,
         kind: str = "transfer", reason: str = "", client_id: int | None = None,
         lot: str | None = None, expiry: dt.date | None = None) -> int:
    """Move stock between any two locations in one transaction; returns the move id.

    ``product`` is an id, a SKU or a GS1 scan (whose lot is taken when ``lot`` is not given).
    A product with lots moves the lot named, or the source's only lot of it; the lot keeps
    its expiry date wherever it goes. From a virtual location (SUPPLIER, ADJUSTMENT) the lot
    must be named, and a new lot of a product with expiry dates needs its ``expiry`` (or the
    GS1 scan's).

    Raises:
        ValidationError: a lot for a product without lots, no lot named where several (or
            none) could be meant, a GS1 lot or expiry that differs from ``lot`` or ``expiry``,
            an expiry not the lot's recorded one, a new lot without its expiry.
        OutOfStock: fewer free units of that lot in the source.
    """
    with db.write():
        actor.require_to("move stock")
        p, lot, expiry = _product_and_lot(product, client_id, lot, expiry)
        src, dst = location(from_code), location(to_code)
        lot_code = _lot_for(p, src, lot, arriving=src.kind == "virtual", expiry=expiry)
        move_id = apply_move(p.id, src.id, dst.id, qty, kind=kind, actor=actor, reason=reason,
                             client_id=p.client_id, lot=lot_code)
        if dst.kind == "bin" and src.kind != "bin":
            allocation.allocate_waiting({p.id}, actor=actor)
    return move_id


def transfer(product: int | str, from_bin: str, to_bin: str, qty: int, *, actor: Actor,
             client_id: int | None = None, lot: str | None = None) -> int:
    """Move free stock from one real location to another (bin to bin, staging to bin).

    A product with lots moves one lot (``lot``, or the source's only lot of it), which keeps
    its lot and expiry in the new place.
    """
    actor.require_to("transfer stock")
    src, dst = location(from_bin), location(to_bin)
    for loc in (src, dst):
        if loc.kind == "virtual":
            raise ValidationError(f"{loc.code} is not a real location; transfers are between bins")
    with db.write():  # (the move's own transaction, nested: the bin stays open under it)
        require_open_bin(dst)
        return move(product, from_bin, to_bin, qty, actor=actor, kind="transfer", client_id=client_id, lot=lot)


def adjust(product: int | str, location_code: str, delta: int, *, reason: str, actor: Actor,
           note: str = "", client_id: int | None = None, lot: str | None = None,
           expiry: dt.date | None = None) -> int:
    """Correct a balance after a count or damage. Supervisors only.

    A product with lots names the lot (it may be left out when the location holds one lot of
    it; a GS1 scan given as ``product`` names it too). Units of a new lot of a product with
    expiry dates need the lot's ``expiry`` (or the GS1 scan's), which is recorded, so they are
    given out and listed by it; an expiry that is not the lot's recorded one is refused. A shortage of units reserved for orders
    (not yet on a pick list being picked) takes the reservation back from the least urgent
    orders first, which are back-ordered and then served from other bins or lots if any are
    free: all in this one transaction.

    Raises:
        PermissionDenied: the actor is not a supervisor.
        ValidationError: zero delta, unknown reason code, virtual location, lot missing, a
            new lot's expiry missing, an expiry not the lot's.
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
        p, lot, expiry = _product_and_lot(product, client_id, lot, expiry)
        lot_code = _lot_for(p, loc, lot, arriving=delta > 0, expiry=expiry)
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


def _tracked(p: Product) -> bool:
    return bool(p.track_lot or p.track_expiry)


def _product_and_lot(product: int | str, client_id: int | None, lot: str | None,
                     expiry: dt.date | None) -> tuple[Product, str | None, dt.date | None]:
    """The product, and the lot and expiry named or carried by a GS1 scan given as the product."""
    if isinstance(product, str) and looks_gs1(product.strip()):
        hit = find_product_code(product.strip(), client_id=client_id)
        if hit is None:
            raise NotFound(f"no product for the scan {product.strip()[:40]!r}")
        if hit.lot and lot and check_lot(lot) != hit.lot:
            raise ValidationError(f"the scan is lot {hit.lot}, not lot {check_lot(lot)}")
        if hit.expiry and expiry and hit.expiry != expiry:
            raise ValidationError(f"the scan expires on {hit.expiry.isoformat()}, not {expiry.isoformat()}")
        return find_product(hit.id), lot or hit.lot or None, expiry or hit.expiry
    return find_product(product, client_id), lot, expiry


def _lot_for(p: Product, loc: LocationRef, lot: str | None, *, arriving: bool,
             expiry: dt.date | None = None) -> str:
    """The lot a move changes: "" for a product without lots; for one with lots the lot
    named (a lot arriving is recorded with ``expiry``), or the only lot of the product in
    ``loc`` when units leave it. An expiry given must be the lot's recorded one."""
    if not _tracked(p):
        if lot and lot.strip():
            raise ValidationError(f"{p.sku} is not tracked by lot")
        if expiry is not None:
            raise ValidationError(f"{p.sku} keeps no expiry dates")
        return ""
    if lot and lot.strip():
        text = check_lot(lot)
        if arriving:
            _arriving_lot(p, text, expiry)
        elif expiry is not None:
            require_lot_date(p.id, text, expiry)
        return text
    if expiry is not None and arriving:
        raise ValidationError(f"{p.sku} is tracked by lot: name the lot expiring on {expiry.isoformat()}")
    if loc.kind == "virtual":
        raise ValidationError(f"{p.sku} is tracked by lot: name the lot")
    held = [x for (x,) in db.execute("SELECT lot FROM stock_level WHERE product_id = ? AND location_id = ? "
                                     "AND on_hand > 0 ORDER BY lot", (p.id, loc.id))]
    if len(held) == 1:
        if expiry is not None:
            require_lot_date(p.id, str(held[0]), expiry)
        return str(held[0])
    named = [str(x) or "(no lot)" for x in held]
    raise ValidationError(f"{p.sku} is tracked by lot: name the lot"
                          + (f" ({', '.join(named)})" if named else f" (none in {loc.code})"))


def _arriving_lot(p: Product, lot: str, expiry: dt.date | None) -> None:
    """Record a lot units arrive in: a new lot of a product with expiry dates needs its date
    (its units are otherwise never given out first nor listed as expiring); a known lot keeps
    its date, which a different one given contradicts."""
    known = db.execute("SELECT 1 FROM lot WHERE product_id = ? AND lot = ?", (p.id, lot)).fetchone()
    if known is None and expiry is None and p.track_expiry:
        raise ValidationError(f"lot {lot} of {p.sku} is new: give its expiry date")
    register_lot(p.id, lot, expiry)
