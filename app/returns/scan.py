"""The returns desk's one scan service: what a scan means given the RMA on the desk.

With no RMA open, a scan opens one (its RMA barcode, the order's barcode or a package's
tracking number). A parcel without an RMA starts one either way round: its packing slip's
order barcode (or the tracking number) names the order, and the first unit scanned then
authorises and receives it; or a unit's barcode lists the client's recent shipped orders
containing it, to choose from. A unit of an order whose open RMA waits for it (the parcel
came without its RMA paper) is received on that RMA, never on a second one. With an RMA open, a unit's scan receives it into
RETURNS; a bin's label restocks every received unit still waiting, QUARANTINE and SCRAP send
them there. Each scan that moves stock commits at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.catalog.scan import find_product_code
from app.kernel.actor import Actor
from app.kernel.barcodes import normalize_code
from app.kernel.errors import NotFound, ValidationError
from app.kernel.states import ReturnStatus
from app.returns.authorise import (
    PARCEL_NOTE,
    OrderHit,
    RmaRequestLine,
    authorise_parcel_unit,
    create_rma,
    is_parcel_rma,
    orders_for_unit,
    parcel_orders,
    unreleased_replacements,
)
from app.returns.common import (
    QUARANTINE_CODE,
    SCRAP_CODE,
    RmaHead,
    rma_awaiting,
    rma_head,
    rma_lines,
)
from app.returns.receive import (
    ReturnScan,
    dispose_in_tx,
    open_rma,
    receive_unit,
    settle,
    withheld_text,
)
from app.store import db

ACK_CODES = frozenset({"ACK", "ACKNOWLEDGE", "OK-ACK"})


@dataclass(frozen=True)
class DeskScan:
    """What a scan at the returns desk did, and the RMA now on the desk."""

    kind: str  # ack, rma, unit, disposition, choose_order, order
    rma: str   # the RMA on the desk ("" none)
    message: str
    waiting: int = 0  # received units of the RMA still waiting for a disposition
    # choose_order: the orders the unit may come from; order: the shipped order(s) the scan
    # named, of which none has an open RMA (the desk passes the one chosen as ``order``)
    orders: tuple[OrderHit, ...] = ()
    code: str = ""  # choose_order: the unit's code, to receive once an order is chosen
    result: ReturnScan | None = None


def find_rma(code: str) -> str | None:
    """The open RMA a scan names: its own number, its order's barcode or a tracking number."""
    norm = normalize_code(code).upper()
    row = db.execute('SELECT number FROM "return" WHERE number = ?', (norm,)).fetchone()
    if row:
        return str(row[0])
    row = db.execute(
        'SELECT r.number FROM "return" r JOIN "order" o ON o.id = r.order_id WHERE r.status <> ? AND '
        "(o.number = ? OR o.number = ? OR EXISTS (SELECT 1 FROM package pk WHERE pk.order_id = o.id "
        "AND pk.tracking = ?)) ORDER BY r.id DESC LIMIT 1",
        (ReturnStatus.CLOSED, code.strip(), "#" + code.strip().lstrip("#"), code.strip())).fetchone()
    return str(row[0]) if row else None


def _waiting(rma: str) -> int:
    return sum(ln.undecided for ln in rma_lines(rma_head(rma).id))


def desk_scan(code: str, *, rma: str | None, actor: Actor, order: int | None = None) -> DeskScan:
    """Do what one scan at the returns desk means. ``order``: the shipped order a parcel
    without an RMA came from, named by an earlier scan; with no RMA open, a unit scanned
    then authorises and receives the return on it.

    Raises:
        NotFound, UnknownBarcode, ValidationError, InvalidTransition: the scan is refused
        (one clear line; nothing changed).
    """
    code = (code or "").strip()
    if not code:
        raise ValidationError("empty scan")
    if code.upper() in ACK_CODES:
        return DeskScan("ack", rma or "", "acknowledged")
    found = find_rma(code)
    if found is not None and found == rma:
        return DeskScan("rma", rma, f"{rma} is open: scan the units", _waiting(rma))
    if found is not None:
        head = rma_head(found)
        if head.status == ReturnStatus.CLOSED:
            withheld = unreleased_replacements(head.id)
            raise ValidationError(f"{found} is closed" + (f" short: its replacement ({withheld_text(withheld)}) "
                                                          "was not sent" if withheld else ""))
        if rma and _waiting(rma):
            raise ValidationError(f"{rma}: decide the received units first (bin, QUARANTINE or SCRAP)")
        return DeskScan("rma", found, f"{found} open: scan the units", _waiting(found))
    if not rma:
        parcel = parcel_orders(code)
        if len(parcel) == 1:
            named = parcel[0]
            return DeskScan("order", "", f"Order {named.number} ({named.client_code}) has no RMA: scan a unit "
                            "from the parcel to start its return", 0, (named,))
        if parcel:
            return DeskScan("order", "", f"Several clients have an order {code}: choose the order, then scan "
                            "a unit", 0, tuple(parcel))
        if find_product_code(code) is None:
            raise NotFound(f"{code}: scan the RMA, the order's barcode or the tracking number")
        if order is not None:
            return return_from_order(order, code, actor=actor)
        hits = tuple(orders_for_unit(code))
        if not hits:
            raise NotFound(f"{code} was shipped on no order: no return can be made for it")
        awaited = "; ".join(f"{h.awaiting} of order {h.number} waits for it" for h in hits if h.awaiting)
        return DeskScan("choose_order", "", "No RMA: choose the order this unit came from"
                        + (f" ({awaited})" if awaited else ""), 0, hits, code)
    upper = code.upper()
    if upper in (QUARANTINE_CODE, SCRAP_CODE) or _is_bin(upper):
        return _dispose(rma, upper, actor=actor)
    with db.write():  # (one action: a parcel's extra unit is authorised and received together)
        head = open_rma(rma)
        hit = find_product_code(code, client_id=head.client_id)
        if hit is not None and not sum(ln.waiting for ln in rma_lines(head.id) if ln.product_id == hit.id):
            _refuse_if_awaited_elsewhere(head, hit.id, hit.label)
            if is_parcel_rma(head.id):  # the desk's own RMA of a parcel takes the unit on
                authorise_parcel_unit(head, hit.id, hit.label, actor=actor)
        result = receive_unit(rma, code, actor=actor)
    waiting = _waiting(rma)
    return DeskScan("unit", rma, f"{result.message}{_released(result)}: scan the bin, QUARANTINE or SCRAP",
                    waiting, result=result)


def _released(result: ReturnScan) -> str:
    return f"; exchange order {result.exchange_order} released" if result.exchange_order else ""


def _refuse_if_awaited_elsewhere(head: RmaHead, product_id: int, sku: str) -> None:
    """A unit the RMA on the desk does not wait for, which another open RMA of its order does:
    it belongs there, not on this RMA (as one more unit or as one too many)."""
    other = rma_awaiting(head.order_id, product_id) if head.order_id is not None else None
    if other is None or other == head.number:
        return
    first = "decide the units received here (bin, QUARANTINE or SCRAP), then " if _waiting(head.number) else ""
    raise ValidationError(f"{sku} is awaited on {other}, open for the same order: {first}scan {other} "
                          "to receive it there")


def _is_bin(code: str) -> bool:
    return db.execute("SELECT 1 FROM location WHERE code = ? AND kind = 'bin'", (code,)).fetchone() is not None


def _dispose(rma: str, code: str, *, actor: Actor) -> DeskScan:
    disposition = {QUARANTINE_CODE: "quarantine", SCRAP_CODE: "scrap"}.get(code, "restock")
    with db.write():
        head = open_rma(rma)
        lines = [ln for ln in rma_lines(head.id) if ln.undecided > 0]
        if not lines:
            raise ValidationError(f"{head.number}: no received unit waits for a disposition: scan a unit first")
        done: list[str] = []
        for product_id, sku in dict.fromkeys((ln.product_id, ln.sku) for ln in lines):
            qty = sum(ln.undecided for ln in lines if ln.product_id == product_id)
            where = dispose_in_tx(head, product_id, sku, disposition, qty, actor=actor,
                                  bin_code=code if disposition == "restock" else "",
                                  reason="scrapped at the returns desk" if disposition == "scrap" else "")
            done.append(f"{qty} x {sku}")
        status, _exchange = settle(head, actor=actor)
    text = f"{', '.join(done)} -> {where}" + (f"; {head.number} closed" if status == ReturnStatus.CLOSED else "")
    return DeskScan("disposition", "" if status == ReturnStatus.CLOSED else head.number, text, 0)


def return_from_order(order_id: int, code: str, *, actor: Actor) -> DeskScan:
    """A parcel without its RMA paper: a unit of the scanned product from the chosen order. An
    open RMA of the order that waits for the product receives it; else one unit is authorised
    on a new RMA (reason ``other``) and received."""
    row = db.execute('SELECT o.client_id, o.number, c.code FROM "order" o JOIN client c ON c.id = o.client_id '
                     "WHERE o.id = ?", (order_id,)).fetchone()
    if row is None:
        raise NotFound(f"no order #{order_id}")
    client_id, order_number, client_code = int(row[0]), str(row[1]), str(row[2])
    hit = find_product_code(code, client_id=client_id)
    if hit is None:
        raise NotFound(f"{code} is no product of {client_code}")
    with db.write():  # one action: no RMA is left behind when the unit cannot be received
        awaiting = rma_awaiting(order_id, hit.id)
        if awaiting is not None:
            result = receive_unit(awaiting, code, actor=actor)
            text = f"{result.message}, the RMA open for order {order_number}"
        else:
            ref = create_rma(order_id, [RmaRequestLine(hit.label, 1, "other", note=PARCEL_NOTE)], actor=actor)
            result = receive_unit(ref.number, code, actor=actor)
            text = f"{ref.number} created for order {ref.order_number}; {result.message}"
    return DeskScan("unit", result.rma, text + _released(result), _waiting(result.rma), result=result)
