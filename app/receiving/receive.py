"""Receiving scans: each scan counts units into the open shipment; undo takes this desk's last one back.

Each scan is one committed transaction: a SUPPLIER -> RECEIVING move (QUARANTINE for a
damaged unit) and the receipt line's counts, written together. The scan path uses raw SQL
(it runs for every unit on the desk).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app import catalog, ledger
from app.catalog.owners import refuse_foreign
from app.catalog.scan import find_product_code, product_code
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import (
    InvalidTransition,
    NotFound,
    OutOfStock,
    UnknownBarcode,
    ValidationError,
)
from app.kernel.states import ShipmentStatus
from app.receiving.lots import SHORT_REFUSE, decide_lot
from app.receiving.shipments import (
    ACTIVE_STATUSES,
    DOC_TYPE,
    LINE_SELECT,
    LineRow,
    check_qty,
    line_from,
    lock_shipment,
    scanned_code,
    shown,
)
from app.store import audit, changes, db


@dataclass(frozen=True)
class ReceiveResult:
    move_id: int
    shipment_id: int
    ref: str
    product_id: int
    sku: str
    name: str
    units: int
    damaged: bool
    location: str  # RECEIVING or QUARANTINE
    line: LineRow
    extra: bool  # product not on the ASN: accepted as an extra line
    over_receipt: bool  # more arrived than the ASN announced
    first_scan: bool
    lot: str = ""
    expiry: dt.date | None = None
    quarantine_reason: str = ""  # expired or short-dated units sent to QUARANTINE

    @property
    def warning(self) -> str:
        if self.extra:
            return f"{self.sku} is not on shipment {self.ref}: received as an extra line"
        if self.over_receipt:
            return (f"over-receipt: {self.line.arrived} of {self.sku} arrived, "
                    f"{self.line.expected} expected")
        return ""

    @property
    def message(self) -> str:
        where = " DAMAGED to QUARANTINE" if self.damaged else ""
        if self.quarantine_reason:
            where = f" to QUARANTINE ({self.quarantine_reason})"
        lot = f" lot {self.lot}" if self.lot else ""
        return f"+{self.units} {self.sku}{lot}{where} ({self.line.arrived}/{self.line.expected})"


@dataclass(frozen=True)
class UndoResult:
    move_id: int  # the reversing move
    undone_move_id: int
    sku: str
    units: int
    damaged: bool  # the units had gone to QUARANTINE (damaged, expired or short-dated)
    line: LineRow | None  # None when an extra line went away entirely
    reason: str = ""  # why they had gone there ("damaged", "expired 2026-02-01", ...)

    @property
    def message(self) -> str:
        return f"undone: -{self.units} {self.sku}" + (f" ({self.reason or 'damaged'})" if self.damaged else "")




def receive_scan(shipment_id: int, code: str, *, actor: Actor, qty: int | None = None,
                 damaged: bool = False, lot: str | None = None, expiry: dt.date | None = None,
                 short_shelf_life: str = SHORT_REFUSE) -> ReceiveResult:
    """One scan at the receiving desk, committed before it returns.

    The scanned code counts one unit, a case-pack code its pack quantity; a keyed ``qty``
    multiplies that. Good units go SUPPLIER -> RECEIVING, damaged ones -> QUARANTINE. A
    product of the client that is not on the ASN becomes an extra line (``result.extra``);
    more than expected sets ``result.over_receipt``.

    A lot- or expiry-tracked product takes its lot and expiry from the GS1 scan, or from
    ``lot`` and ``expiry`` (which win). Expired units go to QUARANTINE; units with less
    shelf life left than the client's minimum are refused, or quarantined when
    ``short_shelf_life`` is "quarantine".

    Raises:
        UnknownBarcode: the code is none of this client's products (offer link/create).
        LotRequired: the product needs a lot or expiry the scan did not carry.
        ShortShelfLife: short-dated units refused.
        InvalidTransition: the shipment is closed or cancelled.
        ValidationError: bad quantity.
    """
    actor.require_to("receive goods")
    count = 1 if qty is None else check_qty(qty)
    code = scanned_code(code)
    with db.write():
        return _receive(_lock_active(shipment_id), code, count, damaged, actor,
                        lot=lot, expiry=expiry, short_shelf_life=short_shelf_life)


def receive_unknown(shipment_id: int, code: str, *, actor: Actor, link_to: int | None = None,
                    pack_qty: int = 1, new_sku: str = "", new_name: str = "",
                    qty: int | None = None, damaged: bool = False) -> ReceiveResult:
    """An unknown scan, settled at the desk: link the code to a product of the shipment's
    client (``link_to``, a case code counting ``pack_qty``) or create the product carrying
    it (``new_sku``, ``new_name``), and receive the scan, all in one transaction. A GS1 code
    links its GTIN, and the units received carry its lot and expiry.

    Raises:
        ValidationError: neither a product to link nor a new product given; bad quantity.
        UnknownBarcode: the linked product is not the shipment's client's.
        Conflict: the code or SKU belongs to another product already, or the code is a
            barcode of another client's product (the message names it).
        InvalidTransition: the shipment is closed or cancelled.
    """
    actor.require_to("receive goods")
    count = 1 if qty is None else check_qty(qty)
    code = scanned_code(code)
    if link_to is None and not (new_sku.strip() and new_name.strip()):
        raise ValidationError(f"link {shown(code)} to a product or name the new product")
    linked = product_code(code)  # a GS1 scan links its GTIN; its lot and expiry are the units'
    with db.write():
        shipment = _lock_active(shipment_id)
        client_code = db.execute("SELECT code FROM client WHERE id = ?", (shipment[2],)).fetchone()[0]
        refuse_foreign(linked, client_id=shipment[2], client_code=client_code)
        if link_to is not None:
            catalog.link_barcode(link_to, linked, pack_qty=pack_qty, actor=actor)
        else:
            catalog.add_product(client_code, new_sku, new_name, barcodes=[linked], actor=actor)
        # a product of another client keeps its code unknown here: the link is rolled back
        return _receive(shipment, code, count, damaged, actor)


def _lock_active(shipment_id: int) -> tuple[int, str, int, str]:
    sid, ref, client_id, status = lock_shipment(shipment_id)
    if status not in ACTIVE_STATUSES:
        raise InvalidTransition(f"shipment {ref} is {status}: nothing more can be received")
    return sid, ref, client_id, status


def _receive(shipment: tuple[int, str, int, str], code: str, count: int, damaged: bool,
             actor: Actor, *, lot: str | None = None, expiry: dt.date | None = None,
             short_shelf_life: str = SHORT_REFUSE) -> ReceiveResult:
    """The scan's move and counts for a locked, active shipment, in the caller's transaction."""
    sid, ref, client_id, status = shipment
    match = find_product_code(code, client_id=client_id)
    if match is None:
        raise UnknownBarcode(code, f"unknown barcode {shown(code)} for this client")
    units = check_qty(count * match.pack_qty, "received quantity")
    decided = decide_lot(match, lot=lot, expiry=expiry, short_shelf_life=short_shelf_life)
    # Expired or short-dated units are counted like damaged ones: held in QUARANTINE.
    held = damaged or bool(decided.quarantine_reason)
    dest = ledger.location("QUARANTINE" if held else "RECEIVING")
    move_id = ledger.apply_move(
        match.id, ledger.location("SUPPLIER").id, dest.id, units, kind="receive", actor=actor,
        reason="damaged" if damaged else decided.quarantine_reason, doc_type=DOC_TYPE, doc_id=sid,
        doc_ref=ref, client_id=client_id, lot=decided.lot,
    )
    column = "damaged_qty" if held else "received_qty"
    cur = db.execute(f"UPDATE receipt_line SET {column} = {column} + ? "
                     "WHERE shipment_id = ? AND product_id = ?", (units, sid, match.id))
    if cur.rowcount == 0:
        db.execute(
            "INSERT INTO receipt_line (shipment_id, product_id, expected_qty, received_qty, "
            "damaged_qty, is_extra) VALUES (?, ?, 0, ?, ?, ?)",
            (sid, match.id, 0 if held else units, units if held else 0, True))
    first = status == ShipmentStatus.OPEN
    if first:
        audit.transition(ShipmentStatus, sid, status, ShipmentStatus.RECEIVING, actor=actor,
                         client_id=client_id, label=f"shipment {ref}")
        db.execute("UPDATE inbound_shipment SET first_received_at = ? WHERE id = ?", (clock.now(), sid))
    else:
        changes.changed(DOC_TYPE, sid)  # the line's counts (the first scan's transition notes it)
    row = db.execute(LINE_SELECT + "WHERE l.shipment_id = ? AND l.product_id = ?",
                     (sid, match.id)).fetchone()
    line = line_from(row)
    return ReceiveResult(
        move_id, sid, ref, match.id, line.sku, line.name, units, damaged, dest.code, line,
        extra=line.is_extra, over_receipt=line.arrived > line.expected, first_scan=first,
        lot=decided.lot, expiry=decided.expiry, quarantine_reason=decided.quarantine_reason,
    )


def undo_receipt(shipment_id: int, *, actor: Actor, move_id: int | None = None) -> UndoResult:
    """Undo this desk's last receiving scan of a shipment (or a given one) with a reversing move.

    "Last" is the last scan by the same user at the same station: when two desks receive
    one large shipment, Ctrl+Z at one desk must not take back the other desk's unit.

    Raises:
        NotFound: nothing of this desk's left to undo.
        InvalidTransition: the shipment is closed.
        OutOfStock: the units were put away already.
    """
    actor.require_to("undo receiving scans")
    with db.write():
        sid, ref, client_id, status = lock_shipment(shipment_id)
        if status not in ACTIVE_STATUSES:
            raise InvalidTransition(f"shipment {ref} is {status}: its scans cannot be undone")
        sql = ("SELECT m.id, m.product_id, m.to_location_id, m.qty, m.reason FROM stock_move m "
               "WHERE m.doc_type = ? AND m.doc_id = ? AND m.kind = 'receive' AND NOT EXISTS "
               "(SELECT 1 FROM stock_move u WHERE u.reverses_id = m.id)")
        params: list[object] = [DOC_TYPE, sid]
        if move_id is not None:
            sql += " AND m.id = ?"
            params.append(move_id)
        else:
            sql += " AND m.user_name = ? AND m.station = ?"
            params += [actor.name, actor.station or ""]
        row = db.execute(sql + " ORDER BY m.id DESC LIMIT 1", params).fetchone()
        if row is None:
            mine = "" if move_id is not None else f" by {actor.name} at {actor.station or 'this station'}"
            raise NotFound(f"nothing to undo on shipment {ref}{mine}")
        undone, product_id, to_id, units, reason = row
        damaged = to_id == ledger.location("QUARANTINE").id
        try:
            rev = ledger.reverse_move_in_tx(undone, actor=actor, reason=f"undo scan on {ref}")
        except OutOfStock:
            sku = db.execute("SELECT sku FROM product WHERE id = ?", (product_id,)).fetchone()[0]
            raise OutOfStock(f"the {units} {sku} of that scan are no longer in "
                             f"{'QUARANTINE' if damaged else 'RECEIVING'} (put away?): "
                             "cannot undo") from None
        column = "damaged_qty" if damaged else "received_qty"
        db.execute(f"UPDATE receipt_line SET {column} = {column} - ? "
                   "WHERE shipment_id = ? AND product_id = ?", (units, sid, product_id))
        row = db.execute(LINE_SELECT + "WHERE l.shipment_id = ? AND l.product_id = ?",
                         (sid, product_id)).fetchone()
        found = line_from(row)
        sku = found.sku
        line: LineRow | None = found
        if found.is_extra and found.arrived == 0:
            db.execute("DELETE FROM receipt_line WHERE id = ?", (found.line_id,))
            line = None
        changes.changed(DOC_TYPE, sid)
    return UndoResult(rev, undone, sku, units, damaged, line, reason if damaged else "")
