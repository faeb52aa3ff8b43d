"""What a scan means at the receiving desk: a shipment to open, a unit to receive, an unknown
code to settle, or (in putaway mode) a product to put away and the bin it goes to.

The desk's widget only applies the ``Outcome``; every decision about a scan is made here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.catalog.owners import foreign_owner
from app.catalog.scan import resolve
from app.kernel.actor import Actor
from app.kernel.commands import station_command
from app.kernel.errors import (
    Conflict,
    InvalidTransition,
    LotRequired,
    NotFound,
    ShortShelfLife,
    UnknownBarcode,
    ValidationError,
)
from app.kernel.states import label
from app.receiving.bin_putaway import PutawayResult, PutawaySuggestion, putaway, putaway_suggestion
from app.receiving.lots import SHORT_REFUSE
from app.receiving.receive import ReceiveResult, receive_scan
from app.receiving.shipments import (
    ACTIVE_STATUSES,
    MAX_CODE_LENGTH,
    ShipmentRef,
    find_shipment,
)
from app.store import db


@dataclass(frozen=True)
class DeskContext:
    """What the desk holds when a scan arrives."""

    actor: Actor
    shipment: ShipmentRef | None = None  # the open shipment
    putaway: bool = False  # putaway mode: products and bins, no receiving
    pending: PutawaySuggestion | None = None  # putaway: the product scanned, waiting for its bin
    qty: int | None = None  # a keyed quantity for this scan
    damaged: bool = False  # this scan's units go to QUARANTINE
    lot: str | None = None  # keyed lot and expiry (the desk asked for them)
    expiry: dt.date | None = None
    short_shelf_life: str = SHORT_REFUSE  # or "quarantine", the receiver's choice


@dataclass(frozen=True)
class Outcome:
    """What one scan did (or asks the desk to do).

    ``kind`` is one of: ``open`` (open ``shipment``), ``received`` (``received`` names the one
    line that changed), ``unknown`` (``code`` is no product of the client: ask to link it or
    create the product, then ``receive_unknown``), ``product`` (putaway: ``suggestion`` waits
    for its bin), ``put_away`` (``put_away`` names the move), ``lot_needed`` (the product
    needs a lot or expiry the scan did not carry: ask, then scan again with them),
    ``short_dated`` (refused for too little shelf life: ``note`` says why; the receiver
    may quarantine them instead) and ``command`` (``code`` is a command of the desk's
    sheet: DAMAGED, PUTAWAY, UNDO, QTY n, CANCEL, ACK). ``note`` is the one line to show.
    """

    kind: str
    shipment: ShipmentRef | None = None
    received: ReceiveResult | None = None
    code: str = ""
    suggestion: PutawaySuggestion | None = None
    put_away: PutawayResult | None = None
    note: str = ""


def station_scan(code: str, context: DeskContext) -> Outcome:
    """Decide what a scan at the receiving desk means, and do it.

    Without an open shipment a scan opens one by its reference. With one open, a scan
    receives a unit (the keyed quantity and the damaged toggle apply); a code that is no
    product of the client but another shipment's reference opens that shipment, and any
    other unknown code comes back as ``unknown`` for the desk to settle. A closed shipment
    takes no units: its desk can only open another. In putaway mode a product scan shows
    where it goes and a bin scan puts it there.

    Raises:
        NotFound: no shipment with the scanned reference.
        InvalidTransition: the open shipment is closed or cancelled (and the code opens none).
        UnknownBarcode: a scan no barcode can be (empty, longer than any code).
        Conflict: the code is a barcode of another client's product (named).
        ValidationError: a bin scanned before its product; nothing waits in RECEIVING.
    """
    command = station_command(code, "receiving")
    if command is not None:  # a command barcode from the desk's sheet: the desk does it
        return Outcome("command", code=command)
    if context.putaway:
        return _putaway_scan(code, context)
    ship = context.shipment
    if ship is None:
        return Outcome("open", shipment=find_shipment(code))
    if ship.status not in ACTIVE_STATUSES:
        other = _other_shipment(code, ship)
        if other is None:
            raise InvalidTransition(f"shipment {ship.ref} is {label(ship.status).lower()}: nothing more "
                                    "can be received; scan or choose another shipment")
        return Outcome("open", shipment=other)
    try:
        result = receive_scan(ship.id, code, actor=context.actor, qty=context.qty,
                              damaged=context.damaged, lot=context.lot, expiry=context.expiry,
                              short_shelf_life=context.short_shelf_life)
    except LotRequired as exc:
        return Outcome("lot_needed", code=code, note=str(exc))
    except ShortShelfLife as exc:
        return Outcome("short_dated", code=code, note=str(exc))
    except InvalidTransition:
        # Closed at another station since the desk opened it: its next shipment still opens.
        other = _other_shipment(code, ship)
        if other is None:
            raise
        return Outcome("open", shipment=other)
    except UnknownBarcode:
        if len(code) > MAX_CODE_LENGTH:
            raise  # garbage (a jammed key, a mis-set scanner): no offer to link it
        other = _other_shipment(code, ship)
        if other is not None:
            return Outcome("open", shipment=other)
        owner = foreign_owner(code, client_id=ship.client_id)
        if owner is not None:
            # another client's goods in this client's box: say whose, offer no link
            raise Conflict(f"{code} is {owner}, not a {ship.client_code} product: "
                           "set it aside, nothing received") from None
        return Outcome("unknown", code=code)
    return Outcome("received", received=result)


def _other_shipment(code: str, ship: ShipmentRef) -> ShipmentRef | None:
    """The shipment the code is the reference of, if it is not the open one."""
    try:
        other = find_shipment(code)
    except (NotFound, ValidationError):
        return None
    return other if other.id != ship.id else None


def _is_bin(code: str) -> bool:
    try:
        return resolve(code, kinds=("location",)).kind == "location"
    except (UnknownBarcode, NotFound):
        return False


def _putaway_scan(code: str, context: DeskContext) -> Outcome:
    if _is_bin(code):
        pending = context.pending
        if pending is None:
            raise ValidationError(f"{code} is a bin: scan the product first, then its bin")
        result = putaway(pending.sku, code, actor=context.actor, qty=context.qty,
                         client_id=pending.client_id, product_id=pending.product_id,
                         shipment_id=_came_with(pending, context.shipment))
        return Outcome("put_away", put_away=result)
    client_id = context.shipment.client_id if context.shipment else None
    try:
        suggestion = putaway_suggestion(code, client_id=client_id, require_waiting=True)
    except UnknownBarcode:
        if context.pending is None:
            raise
        # A product waits for its bin: a code that is nothing is a bin label misread.
        raise UnknownBarcode(code, f"unknown bin {code}: scan the label of the bin "
                                   f"{context.pending.sku} goes to") from None
    return Outcome("product", suggestion=suggestion)


def _came_with(pending: PutawaySuggestion, ship: ShipmentRef | None) -> int | None:
    """The open shipment, as the putaway's document, when the product came in with it."""
    if ship is None:
        return None
    row = db.execute("SELECT 1 FROM receipt_line WHERE shipment_id = ? AND product_id = ?",
                     (ship.id, pending.product_id)).fetchone()
    return ship.id if row else None
