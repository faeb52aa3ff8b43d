"""Receiving returned units by scan and deciding what becomes of each: restock, quarantine, scrap.

Each scanned unit moves CUSTOMER -> RETURNS (one committed move per scan); its disposition
moves it on: to a bin (where it fills waiting back-orders in the same transaction), to
QUARANTINE to be inspected later, or to SCRAP with the reason. An RMA closes by itself once
every unit is in and decided; a supervisor may close it short with a note. An exchange's
replacement not released yet goes once every unit is in, never when the RMA is closed short:
the close says which replacement units will not be sent. A product with
lots comes back under the lot shipped to the customer and keeps it on every move after
(``app.returns.lots``); an expired lot is never restocked to a bin.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app import ledger
from app.catalog.scan import ScanMatch, find_product_code
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import InvalidTransition, UnknownBarcode, ValidationError
from app.kernel.states import ReturnStatus
from app.kernel.text import agreeing, counted
from app.orders import allocation
from app.returns.authorise import release_exchange, unreleased_replacements
from app.returns.common import DISPOSITIONS, LineQty, RmaHead, check_choice, rma_head, rma_lines
from app.returns.lots import (
    Parts,
    lots_to_dispose,
    lots_to_receive,
    parts_text,
    refuse_expired_restock,
)
from app.store import audit, changes, db
from app.store.places import require_open_bin

# The ledger kind of each disposition's move and the line column it counts in.
_KIND = {"restock": "restock", "quarantine": "quarantine", "scrap": "scrap"}
_COLUMN = {"restock": "qty_restocked", "quarantine": "qty_quarantined", "scrap": "qty_scrapped"}


@dataclass(frozen=True)
class ReturnScan:
    """What one scan at the returns desk did."""

    rma: str
    sku: str
    qty: int
    received: int   # units of this product received on the RMA so far
    expected: int
    disposition: str  # "" while the unit waits in RETURNS
    location: str     # where the unit is now
    status: ReturnStatus
    exchange_order: str  # a replacement order released by this scan, else ""
    message: str


def open_rma(rma: int | str, *, closed: str = "nothing more can be received on it") -> RmaHead:
    """The RMA, its row locked, refused when it is closed already (``closed``: what that
    means for the action asked)."""
    head = rma_head(rma, lock=True)
    if head.status == ReturnStatus.CLOSED:
        raise InvalidTransition(f"{head.number} is closed: {closed}")
    return head


@dataclass(frozen=True)
class Received:
    """Units received into RETURNS by one scan: the product, its units received and expected on
    the RMA so far, and the lots they came back under."""

    product_id: int
    sku: str
    received: int
    expected: int
    lots: Parts

    def lot_text(self) -> str:
        return parts_text(self.product_id, self.lots)


def _scan(head: RmaHead, code: str) -> ScanMatch:
    code = (code or "").strip()
    if not code:
        raise ValidationError("scan a unit's barcode")
    hit = find_product_code(code, client_id=head.client_id)
    if hit is None:
        raise UnknownBarcode(code, f"{code} is no product of this client")
    return hit


def _by_line(line_parts: list[tuple[LineQty, int]], lots: Parts) -> Iterator[tuple[LineQty, str, int]]:
    """Each line's units paired with the lots they are of: (line, lot, units); both sides add up."""
    left = list(lots)
    for ln, n in line_parts:
        while n > 0 and left:
            lot, m = left[0]
            take = min(n, m)
            yield ln, lot, take
            n -= take
            if take == m:
                left.pop(0)
            else:
                left[0] = (lot, m - take)


def receive_in_tx(head: RmaHead, code: str, qty: int, *, actor: Actor) -> Received:
    """Receive ``qty`` scanned units into RETURNS (inside the caller's transaction), under the
    lot shipped to the customer (a GS1 scan names it)."""
    if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
        raise ValidationError(f"quantity must be a positive whole number, not {qty!r}")
    hit = _scan(head, code)
    product_id, sku = hit.id, hit.label
    lines = [ln for ln in rma_lines(head.id) if ln.product_id == product_id]
    if not lines:
        raise ValidationError(f"{sku} is not on {head.number}")
    waiting = sum(ln.waiting for ln in lines)
    expected = sum(ln.expected for ln in lines)
    if qty > waiting:
        raise ValidationError(f"one unit too many: {expected - waiting} of {expected} x {sku} already "
                              f"received on {head.number}" if qty == 1 else
                              f"{qty} x {sku} is too many: only {waiting} more expected on {head.number}")
    lots = lots_to_receive(head, product_id, sku, qty, lot=hit.lot, expiry=hit.expiry)
    customer, returns = ledger.location("CUSTOMER").id, ledger.location("RETURNS").id
    for ln, lot, part in _by_line(_spread(lines, qty, "waiting"), lots):
        ledger.apply_move(product_id, customer, returns, part, kind="return", actor=actor, reason=ln.reason,
                          doc_type="return", doc_id=head.id, doc_ref=head.number, client_id=head.client_id,
                          lot=lot)
        db.execute("UPDATE return_line SET qty_received = qty_received + ? WHERE id = ?", (part, ln.id))
    if head.status == ReturnStatus.OPEN:
        audit.transition(ReturnStatus, head.id, ReturnStatus.OPEN, ReturnStatus.RECEIVING, actor=actor,
                         client_id=head.client_id, label=head.number)
        db.execute('UPDATE "return" SET received_at = ? WHERE id = ?', (clock.now(), head.id))
    changes.changed("return", head.id)
    return Received(product_id, sku, expected - waiting + qty, expected, lots)


def _spread(lines: list[LineQty], qty: int, what: str) -> list[tuple[LineQty, int]]:
    """``qty`` units over the lines, each taking what it has ``waiting`` or ``undecided``."""
    out: list[tuple[LineQty, int]] = []
    need = qty
    for ln in lines:
        part = min(getattr(ln, what), need)
        if part > 0:
            out.append((ln, part))
            need -= part
    return out


def dispose_in_tx(head: RmaHead, product_id: int, sku: str, disposition: str, qty: int, *, actor: Actor,
                  bin_code: str = "", reason: str = "", lot: str = "", lots: Parts | None = None) -> str:
    """Move ``qty`` received units of a product from RETURNS to their disposition (inside the
    caller's transaction), each under its lot (``lots`` as received, or the ``lot`` a GS1
    scan named, else the units received first); returns the location code they went to."""
    disposition = check_choice("disposition", disposition, DISPOSITIONS)
    lines = [ln for ln in rma_lines(head.id) if ln.product_id == product_id]
    undecided = sum(ln.undecided for ln in lines)
    if qty > undecided:
        raise ValidationError(f"{sku}: {qty} to {disposition} but {counted(undecided, 'received unit')} of it "
                              f"{agreeing(undecided, 'waits', 'wait')} for a disposition on {head.number}")
    if disposition == "restock":
        if not bin_code.strip():
            raise ValidationError("scan the bin the unit goes back to")
        dest = ledger.location(bin_code.strip().upper())
        if dest.kind != "bin":
            raise ValidationError(f"{dest.code} is not a bin: restock into a bin")
        require_open_bin(dest)
    else:
        dest = ledger.location("QUARANTINE" if disposition == "quarantine" else "SCRAP")
    parts = lots if lots is not None else lots_to_dispose(head.id, product_id, sku, qty, lot=lot)
    if disposition == "restock":
        refuse_expired_restock(product_id, sku, parts)
    returns = ledger.location("RETURNS").id
    why = reason.strip() or disposition
    for ln, lot_code, part in _by_line(_spread(lines, qty, "undecided"), parts):
        ledger.apply_move(product_id, returns, dest.id, part, kind=_KIND[disposition], actor=actor,
                          reason=f"{why} ({ln.reason})" if disposition == "scrap" else why,
                          doc_type="return", doc_id=head.id, doc_ref=head.number, client_id=head.client_id,
                          lot=lot_code)
        db.execute(f"UPDATE return_line SET {_COLUMN[disposition]} = {_COLUMN[disposition]} + ?, "
                   "disposition = ? WHERE id = ?", (part, disposition, ln.id))
    if disposition == "restock":
        allocation.allocate_waiting({product_id}, actor=actor)
    if head.order_id is not None:
        audit.record(f"return_{disposition}", actor=actor, client_id=head.client_id, doc_type="order",
                     doc_id=head.order_id, detail=f"{head.number}: {qty} x {sku}{parts_text(product_id, parts)} "
                                                  f"-> {dest.code}")
    return dest.code


def settle(head: RmaHead, *, actor: Actor) -> tuple[ReturnStatus, str]:
    """Release an exchange's replacement not released yet (``on_receipt``) once everything is
    in; close a fully decided RMA."""
    lines = rma_lines(head.id)
    exchange = ""
    if all(ln.waiting == 0 for ln in lines):
        exchange = release_exchange(head.id, actor=actor)
    if all(ln.waiting == 0 and ln.undecided == 0 for ln in lines):
        _close(head, actor=actor, note="all units received and dispositioned")
        return ReturnStatus.CLOSED, exchange
    return ReturnStatus.RECEIVING, exchange


def _close(head: RmaHead, *, actor: Actor, note: str) -> None:
    current = rma_head(head.id).status
    audit.transition(ReturnStatus, head.id, current, ReturnStatus.CLOSED, actor=actor,
                     client_id=head.client_id, note=note, label=head.number)
    db.execute('UPDATE "return" SET closed_at = ? WHERE id = ?', (clock.now(), head.id))


def receive_unit(rma: int | str, code: str, *, qty: int = 1, actor: Actor) -> ReturnScan:
    """One scan of a returned unit: CUSTOMER -> RETURNS, committed at once.

    Raises:
        NotFound: no such RMA.
        InvalidTransition: the RMA is closed.
        UnknownBarcode: the code is no product of the RMA's client.
        ValidationError: the product is not on the RMA, or one unit too many.
    """
    actor.require_to("receive returns")
    with db.write():
        head = open_rma(rma)
        got = receive_in_tx(head, code, qty, actor=actor)
        status, exchange = settle(head, actor=actor)
    return ReturnScan(head.number, got.sku, qty, got.received, got.expected, "", "RETURNS", status, exchange,
                      f"{got.sku}{got.lot_text()}: {got.received} of {got.expected} received on {head.number}")


def dispose(rma: int | str, code: str, disposition: str, *, qty: int = 1, bin_code: str = "",
            reason: str = "", actor: Actor) -> ReturnScan:
    """Decide what becomes of received units of a product (scanned code or SKU)."""
    actor.require_to("disposition returns")
    if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
        raise ValidationError(f"quantity must be a positive whole number, not {qty!r}")
    with db.write():
        head = open_rma(rma)
        hit = _scan(head, code)
        pid, sku = hit.id, hit.label
        where = dispose_in_tx(head, pid, sku, disposition, qty, actor=actor, bin_code=bin_code, reason=reason,
                              lot=hit.lot)
        status, exchange = settle(head, actor=actor)
        received = sum(ln.received for ln in rma_lines(head.id) if ln.product_id == pid)
        expected = sum(ln.expected for ln in rma_lines(head.id) if ln.product_id == pid)
    return ReturnScan(head.number, sku, qty, received, expected, disposition, where, status, exchange,
                      f"{qty} x {sku} -> {where}")


def receive(rma: int | str, code: str, *, disposition: str, qty: int = 1, bin_code: str = "",
            reason: str = "", actor: Actor) -> ReturnScan:
    """Receive scanned units and decide their disposition in one transaction (the command line)."""
    actor.require_to("receive returns")
    disposition = check_choice("disposition", disposition, DISPOSITIONS)
    with db.write():
        head = open_rma(rma)
        got = receive_in_tx(head, code, qty, actor=actor)
        where = dispose_in_tx(head, got.product_id, got.sku, disposition, qty, actor=actor, bin_code=bin_code,
                              reason=reason, lots=got.lots)
        status, exchange = settle(head, actor=actor)
    return ReturnScan(head.number, got.sku, qty, got.received, got.expected, disposition, where, status, exchange,
                      f"{got.sku}{got.lot_text()}: {got.received} of {got.expected} received on {head.number}, "
                      f"{qty} -> {where}")


@dataclass(frozen=True)
class CloseResult:
    """An RMA closed: how many units never came back, and the replacement units (SKU, units)
    of an exchange not released yet, which are then never sent."""

    rma: str
    short: int
    withheld: tuple[tuple[str, int], ...] = ()

    @property
    def message(self) -> str:
        """What the close did, in one line."""
        text = f"{self.rma} closed" + (f" short: {counted(self.short, 'unit')} never came back" if self.short else "")
        if self.withheld:
            text += f"; the replacement ({withheld_text(self.withheld)}) will not be sent"
        return text


def withheld_text(units: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{qty} x {sku}" for sku, qty in units)


def close_rma(rma: int | str, *, note: str = "", actor: Actor) -> CloseResult:
    """Close an RMA: by itself when all is received and decided; short only by a supervisor with
    a note. Closed short, an exchange's replacement not released yet is never sent (the result
    names its units); one released in advance has gone already.

    Raises:
        PermissionDenied: closing short without being a supervisor.
        ValidationError: short without a note, or received units still waiting for a disposition.
    """
    note = (note or "").strip()
    with db.write():
        head = open_rma(rma, closed="it closed already (every unit received and decided, or closed short)")
        lines: list[LineQty] = rma_lines(head.id)
        undecided = sum(ln.undecided for ln in lines)
        if undecided:
            raise ValidationError(f"{head.number}: {counted(undecided, 'received unit')} "
                                  f"{agreeing(undecided, 'waits', 'wait')} for a disposition")
        short = sum(ln.waiting for ln in lines)
        if short:
            actor.require_to("close returns short")
            if not note:
                raise ValidationError(f"{head.number}: {counted(short, 'unit')} never came back: say why in a note")
        withheld = unreleased_replacements(head.id) if short else ()
        if not short:
            release_exchange(head.id, actor=actor)
        _close(head, actor=actor, note=note or "all units received and dispositioned")
        if head.order_id is not None:
            detail = f"{head.number}" + (f": {short} short, {note}" if short else "")
            if withheld:
                detail += f"; replacement not sent: {withheld_text(withheld)}"
            audit.record("return_closed", actor=actor, client_id=head.client_id, doc_type="order",
                         doc_id=head.order_id, detail=detail)
    return CloseResult(head.number, short, withheld)
