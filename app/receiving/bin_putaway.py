"""Putaway: from RECEIVING into a bin, with the bin to suggest; waiting back-orders fill at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app import ledger
from app.catalog.scan import ScanMatch, find_product_code
from app.kernel.actor import Actor
from app.kernel.barcodes import clean_scan
from app.kernel.errors import NotFound, UnknownBarcode, ValidationError
from app.ledger.lots import LotBalance, lots_in, require_lot_date
from app.orders.allocation import allocate_waiting
from app.receiving.shipments import (
    DOC_TYPE,
    MAX_CODE_LENGTH,
    check_qty,
    scanned_code,
    shipment_ref,
    shown,
)
from app.store import db
from app.store.places import require_open_bin


@dataclass(frozen=True)
class PutawaySuggestion:
    product_id: int
    sku: str
    name: str
    client_id: int
    in_receiving: int
    bin_code: str | None
    reason: str  # "holds N already", "empty bin in zone A", "" when none


@dataclass(frozen=True)
class PutawayResult:
    move_id: int
    product_id: int
    sku: str
    units: int
    bin_code: str
    left_in_receiving: int
    suggested_bin: str | None
    lot: str = ""  # the one lot a GS1 scan put away ("" for every lot waiting, or none)

    @property
    def message(self) -> str:
        lot = f" lot {self.lot}" if self.lot else ""
        return (f"{self.units} {self.sku}{lot} -> {self.bin_code} "
                f"({self.left_in_receiving} left in RECEIVING)")



def _product_for_putaway(code: str, client_id: int | None) -> ScanMatch:
    code = scanned_code(code)
    match = find_product_code(code, client_id=client_id)
    if match is None:
        raise UnknownBarcode(code, f"unknown product barcode {shown(code)}")
    return match


def _product_by_id(product_id: int) -> ScanMatch:
    row = db.execute("SELECT sku, client_id FROM product WHERE id = ?", (product_id,)).fetchone()
    if row is None:
        raise NotFound(f"no product #{product_id}")
    return ScanMatch("product", product_id, row[0], row[0], row[1], 1)


def suggest_bin(product_id: int) -> tuple[str | None, str]:
    """Where to put a product: the bin already holding it, else an empty bin in its zone."""
    row = db.execute(
        "SELECT l.code, sl.on_hand FROM stock_level sl JOIN location l ON l.id = sl.location_id "
        "WHERE sl.product_id = ? AND l.kind = 'bin' AND l.active = ? AND sl.on_hand > 0 "
        "ORDER BY sl.on_hand DESC, l.pick_seq, l.code LIMIT 1", (product_id, True)).fetchone()
    if row:
        return row[0], f"holds {row[1]} already"
    zone = db.execute("SELECT zone FROM product WHERE id = ?", (product_id,)).fetchone()[0] or ""
    empty = ("SELECT l.code, l.zone FROM location l WHERE l.kind = 'bin' AND l.active = ? {zone} "
             "AND NOT EXISTS (SELECT 1 FROM stock_level sl WHERE sl.location_id = l.id "
             "AND sl.on_hand > 0) ORDER BY l.pick_seq, l.code LIMIT 1")
    if zone:
        row = db.execute(empty.format(zone="AND l.zone = ?"), (True, zone)).fetchone()
        if row:
            return row[0], f"empty bin in zone {zone}"
        return None, f"no empty bin left in zone {zone}"
    row = db.execute(empty.format(zone=""), (True,)).fetchone()
    if row:
        return row[0], "empty bin"
    return None, "no empty bin"


def _put_lots(match: ScanMatch, src_id: int, dest_id: int, units: int, actor: Actor,
              doc: dict[str, Any]) -> int:
    """Move ``units`` lot by lot (the scanned GS1 lot only, else first to expire first);
    returns the first move's id. A product without lots has the one lot ""."""
    lots = [b for b in lots_in(match.id, src_id) if not match.lot or b.lot == match.lot]
    if not lots or units > sum(b.on_hand for b in lots):
        # More than waits: apply_move words the refusal (OutOfStock) and nothing is written.
        lots = lots[:1] or [LotBalance(match.lot, None, 0, 0)]
        return ledger.apply_move(match.id, src_id, dest_id, units, kind="putaway", actor=actor,
                                 client_id=match.client_id, lot=lots[0].lot, **doc)
    first: int | None = None
    left = units
    for balance in lots:
        take = min(left, balance.on_hand)
        if take <= 0:
            break
        move_id = ledger.apply_move(match.id, src_id, dest_id, take, kind="putaway", actor=actor,
                                    client_id=match.client_id, lot=balance.lot, **doc)
        first = move_id if first is None else first
        left -= take
    assert first is not None  # units > 0 and the lots hold them
    return first


def putaway_suggestion(code: str, *, client_id: int | None = None,
                       require_waiting: bool = False) -> PutawaySuggestion:
    """What a scanned product is, how many wait in RECEIVING and where they should go.

    Raises:
        UnknownBarcode: the code matches no product.
        ValidationError: ``require_waiting`` and none of it waits in RECEIVING.
    """
    match = _product_for_putaway(code, client_id)
    waiting = ledger.on_hand(match.id, "RECEIVING")
    if require_waiting and waiting <= 0:
        raise ValidationError(f"no {match.label} waits in RECEIVING")
    bin_code, reason = suggest_bin(match.id)
    row = db.execute("SELECT name FROM product WHERE id = ?", (match.id,)).fetchone()
    return PutawaySuggestion(match.id, match.label, row[0], match.client_id or 0, waiting,
                             bin_code, reason)


def putaway(code: str, bin_code: str, *, actor: Actor, qty: int | None = None,
            client_id: int | None = None, product_id: int | None = None,
            shipment_id: int | None = None) -> PutawayResult:
    """Move a product from RECEIVING to a bin (all of it waiting there unless ``qty``).

    Back-orders waiting for the product are allocated in the same transaction. The desk,
    which resolved the scan already (``putaway_suggestion``), passes ``product_id`` so the
    product cannot change between the two scans. ``shipment_id`` (the shipment the units
    came in with) is recorded on the move as its document.

    Raises:
        UnknownBarcode: the product code matches nothing.
        NotFound: no such bin.
        ValidationError: the location is not a bin, or nothing waits in RECEIVING.
        OutOfStock: fewer than ``qty`` wait in RECEIVING.
    """
    actor.require_to("put stock away")
    if qty is not None:
        check_qty(qty)
    match = _product_for_putaway(code, client_id) if product_id is None else _product_by_id(product_id)
    bin_code = clean_scan(bin_code or "").upper()
    if not bin_code or len(bin_code) > MAX_CODE_LENGTH:
        raise ValidationError(f"scan or type a bin, not {shown(bin_code)}")
    dest = ledger.location(bin_code)
    if dest.kind != "bin":
        raise ValidationError(f"{dest.code} is not a bin: put stock away into a bin")
    src = ledger.location("RECEIVING")
    doc: dict[str, Any] = {}
    if shipment_id is not None:
        ship = shipment_ref(shipment_id)
        if match.client_id is not None and ship.client_id != match.client_id:
            raise ValidationError(f"{match.label} is not {ship.client_code}'s: it did not come in "
                                  f"with shipment {ship.ref}")
        doc = dict(doc_type=DOC_TYPE, doc_id=ship.id, doc_ref=ship.ref)
    with db.write():
        require_open_bin(dest)
        waiting = db.execute("SELECT lot, on_hand FROM stock_level WHERE product_id = ? AND location_id = ?"
                             + db.for_update(), (match.id, src.id)).fetchall()
        waiting_qty = sum(int(r[1]) for r in waiting if not match.lot or r[0] == match.lot)
        lot = f" lot {match.lot}" if match.lot else ""
        if waiting_qty <= 0:
            raise ValidationError(f"no {match.label}{lot} waits in RECEIVING")
        if match.lot:
            require_lot_date(match.id, match.lot, match.expiry)
        units = waiting_qty if qty is None else qty
        suggested, _ = suggest_bin(match.id)
        move_id = _put_lots(match, src.id, dest.id, units, actor, doc)
        # The units are pickable now: back-orders waiting for them take them in this transaction.
        allocate_waiting({match.id}, actor=actor)
    # What is left of the product in RECEIVING, every lot of it (a lot put away is not all).
    left = sum(int(r[1]) for r in waiting) - units
    return PutawayResult(move_id, match.id, match.label, units, dest.code, left, suggested, match.lot)
