"""Shipping: hand an order's closed packages to the carrier with its tracking number.

Every packed unit moves PACKING -> CUSTOMER, the lines' shipped quantities rise and the
order's status follows; what is left reserved for the order is released once nothing is
left to ship. A tracking number must be the carrier's, never one of our own codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app import ledger
from app.catalog.scan import find_product_code
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import InvalidTransition, ValidationError
from app.kernel.states import PackageStatus
from app.kernel.text import counted
from app.orders import allocation
from app.orders.status import recompute_status
from app.packing.label_scan import carrier_tracking, label_sscc
from app.packing.packages import UnverifiedUnits, lock_order, open_package_id, sync_packed
from app.packing.view import unverified_total
from app.shipping.carriers import guess_carrier
from app.store import audit, db

CENT = Decimal("0.01")
MAX_COST = Decimal("99999.99")  # a package's shipping cost (the column holds 12 digits, 2 of them cents)

# The carriers offered at the station (any other may be typed).
CARRIERS = ("UPS", "USPS", "FedEx", "DHL", "Canada Post", "Royal Mail", "Other")


@dataclass(frozen=True)
class ShipResult:
    """What ``ship_order`` shipped."""

    order_id: int
    number: str
    order_status: str
    packages: tuple[int, ...]  # seqs shipped now
    units: int
    released: int  # units of leftover reservation released (the rest stays back-ordered)


def ship_order(order_id: int, *, tracking: str, carrier: str = "", service: str = "",
               cost: Decimal | int | str | None = None, package_seq: int | None = None,
               actor: Actor) -> ShipResult:
    """Hand the order's closed packages to the carrier.

    Every packed unit moves PACKING -> CUSTOMER (kind 'ship', document the package), the
    lines' shipped quantities rise, the order's status and shipped time follow from them
    (``orders.recompute_status``), and once no package is left to ship any leftover
    reservation of the order's lines is released: the rest of the order stays back-ordered.
    ``cost`` is the shipping cost of each package shipped (money: see ``parse_cost``);
    ``package_seq`` ships one only.

    Raises:
        ValidationError: no tracking number, one of our own codes as the tracking number, bad
            cost.
        UnverifiedUnits: packing is not complete (units unverified or a package still open).
        InvalidTransition: no closed package to ship.
    """
    actor.require_to("ship orders")
    amount = parse_cost(cost)
    carrier, service = check_text("carrier", carrier, 60), check_text("service", service, 60)
    with db.write():
        client_id, number, _status = lock_order(order_id)
        tracking = carrier_number(tracking)
        carrier = carrier or guess_carrier(tracking)  # a 1Z... number is UPS even if nobody said so
        for pid, _seq in db.execute(
            f"SELECT pk.id, pk.seq FROM package pk WHERE pk.order_id = ? AND pk.status = '{PackageStatus.OPEN}' "
            "AND NOT EXISTS (SELECT 1 FROM package_line pl WHERE pl.package_id = pk.id AND pl.qty > 0)",
            (order_id,),
        ).fetchall():  # an empty box the packer opened and did not use
            audit.transition(PackageStatus, pid, PackageStatus.OPEN, PackageStatus.VOID, actor=actor,
                             client_id=client_id, note="empty at shipping")
            db.execute("UPDATE package SET voided_at = ? WHERE id = ?", (clock.now(), pid))
        if open_package_id(order_id) is not None:
            raise UnverifiedUnits(f"order {number}: a package is still open — close it before shipping")
        unverified = unverified_total(order_id)
        if unverified > 0:
            raise UnverifiedUnits(f"order {number}: {counted(unverified, 'picked unit')} not verified — "
                                  "packing is not complete")
        sql = f"SELECT id, seq FROM package WHERE order_id = ? AND status = '{PackageStatus.CLOSED}'"
        params: list[object] = [order_id]
        if package_seq is not None:
            sql += " AND seq = ?"
            params.append(package_seq)
        packages = db.execute(sql + " ORDER BY seq", params).fetchall()
        if not packages:
            if package_seq is not None:
                raise InvalidTransition(f"order {number} has no closed package {package_seq} to ship")
            raise InvalidTransition(f"order {number} has no closed package to ship")
        packing_loc = ledger.location("PACKING").id
        customer_loc = ledger.location("CUSTOMER").id
        now = clock.now()
        units = 0
        for package_id, seq in packages:
            for line_id, product_id, qty in db.execute(
                "SELECT order_line_id, product_id, qty FROM package_line WHERE package_id = ? AND qty > 0 "
                "ORDER BY id", (package_id,),
            ).fetchall():
                for lot, n in lots_to_ship(order_id, product_id, int(qty)):
                    ledger.apply_move(product_id, packing_loc, customer_loc, n, kind="ship",
                                      actor=actor, reason=f"tracking {tracking}", doc_type="package",
                                      doc_id=package_id, doc_ref=f"{number}/{seq}", client_id=client_id,
                                      lot=lot)
                db.execute("UPDATE order_line SET qty_shipped = qty_shipped + ? WHERE id = ?",
                           (int(qty), line_id))
                units += int(qty)
            audit.transition(PackageStatus, package_id, PackageStatus.CLOSED, PackageStatus.SHIPPED,
                             actor=actor, client_id=client_id,
                             note=" ".join(x for x in (carrier, service, tracking) if x),
                             label=f"package {seq} of order {number}")
            db.execute("UPDATE package SET tracking = ?, carrier = ?, service = ?, cost = ?, shipped_at = ? "
                       "WHERE id = ?", (tracking, carrier, service, amount, now, package_id))
        sync_packed(order_id)
        released = 0
        if not db.execute(f"SELECT 1 FROM package WHERE order_id = ? AND status IN ('{PackageStatus.OPEN}', '{PackageStatus.CLOSED}')",
                          (order_id,)).fetchone():
            released = release_leftover(order_id, actor)
        if carrier or service:
            db.execute('UPDATE "order" SET carrier = CASE WHEN carrier = \'\' THEN ? ELSE carrier END, '
                       'service = CASE WHEN service = \'\' THEN ? ELSE service END WHERE id = ?',
                       (carrier, service, order_id))
        status = recompute_status(order_id, actor=actor)
    return ShipResult(order_id, number, status, tuple(int(s) for _, s in packages), units, released)


def lots_to_ship(order_id: int, product_id: int, qty: int) -> list[tuple[str, int]]:
    """[(lot, units)] of ``qty`` units of a product leaving PACKING for an order: the lots its
    pick lines took there, less what its packages shipped of them already ("" without lots)."""
    picked = db.execute(
        "SELECT pk.lot, SUM(pk.qty_picked) FROM pick_line pk JOIN order_line ol ON ol.id = pk.order_line_id "
        "WHERE ol.order_id = ? AND pk.product_id = ? AND pk.qty_picked > 0 AND pk.lot <> '' "
        "GROUP BY pk.lot ORDER BY pk.lot", (order_id, product_id)).fetchall()
    if not picked:
        return [("", qty)]
    shipped = dict(db.execute(
        "SELECT m.lot, SUM(m.qty) FROM stock_move m JOIN package pk ON pk.id = m.doc_id "
        "WHERE m.doc_type = 'package' AND m.kind = 'ship' AND pk.order_id = ? AND m.product_id = ? "
        "GROUP BY m.lot", (order_id, product_id)).fetchall())
    out: list[tuple[str, int]] = []
    left = qty
    for lot, n in picked:
        take = min(left, int(n) - int(shipped.get(lot, 0)))
        if take > 0:
            out.append((lot, take))
            left -= take
    if left:  # units picked without a lot
        out.append(("", left))
    return out


def parse_cost(value: object) -> Decimal | None:
    """A package's shipping cost as money: a Decimal, a whole number or text ("6.50", "6,50",
    "$6.50"), kept to the cent half up (0.285 is 0.29); None or blank text is no cost.

    Raises:
        ValidationError: a float (money is never one), not an amount, or not from 0 to MAX_COST.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | float) or not isinstance(value, Decimal | int | str):
        raise ValidationError(f"shipping cost must be an amount given as text or Decimal, not {value!r}")
    text = str(value).strip()
    try:
        amount = Decimal(text.replace(",", ".").removeprefix("$").strip())
    except InvalidOperation:
        raise ValidationError(f"cost {text!r} is not an amount") from None
    if not amount.is_finite() or not 0 <= amount <= MAX_COST:
        raise ValidationError(f"shipping cost must be a positive amount up to {MAX_COST}, not {text!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def check_text(what: str, value: str, limit: int) -> str:
    """A carrier or service name: at most ``limit`` printable characters (stripped)."""
    value = (value or "").strip()
    if len(value) > limit or any(not ch.isprintable() for ch in value):
        raise ValidationError(f"{what} must be at most {limit} printable characters, not {value!r}")
    return value


def check_tracking(tracking: str) -> str:
    """The carrier's tracking number: one word of printable characters."""
    tracking = (tracking or "").strip()
    if not tracking:
        raise ValidationError("shipping needs the carrier's tracking number")
    if len(tracking) > 100 or any(not ch.isprintable() or ch.isspace() for ch in tracking):
        raise ValidationError(f"tracking number {tracking[:40]!r} is not valid: one word of at most 100 "
                              "printable characters")
    return tracking


def scanned_tracking(code: str) -> str:
    """The tracking number a scan of the carrier's label gives: the carrier's number of a
    ship-to barcode (its AI 420/421 postal code off), any other code as it is."""
    return carrier_tracking(code) or code


def carrier_number(scan: str) -> str:
    """The carrier's tracking number that ``scan`` (a carrier label's barcode, or a number
    typed) gives, checked.

    Raises:
        ValidationError: empty or not one word, or one of our own codes (in any form).
    """
    text = (scan or "").strip()
    refuse_our_sscc(text)  # the printed "(00) 0061..." line is ours, not merely no word
    tracking = check_tracking(scanned_tracking(text))
    if tracking != text:  # what the carrier's label gave: once more for our own SSCC
        refuse_our_sscc(tracking)
    refuse_our_code_as_tracking(tracking)
    return tracking


def refuse_our_sscc(text: str) -> None:
    """One of our carton labels, in any form (barcode, printed line, SSCC), is no tracking number."""
    sscc = label_sscc(text)
    if sscc is not None and db.execute("SELECT 1 FROM package WHERE sscc = ?", (sscc,)).fetchone():
        raise ValidationError(_not_tracking(text, "one of our carton labels (SSCC)"))


def _not_tracking(text: str, what: str) -> str:
    return f"{text!r} is {what}, not the carrier's tracking number: scan the barcode on the carrier's label"


def refuse_our_code_as_tracking(tracking: str) -> None:
    """A product barcode, an order number or one of our SSCCs scanned into the tracking
    field would ship the order under a number the carrier never issued (our SSCCs:
    ``refuse_our_sscc``)."""
    try:
        is_product = find_product_code(tracking) is not None
    except ValidationError:  # a product code of several clients: still a product barcode
        is_product = True
    what = ""
    if is_product:
        what = "a product barcode"
    elif db.execute('SELECT 1 FROM "order" WHERE number = ?', (tracking,)).fetchone():
        what = "an order number"
    if what:
        raise ValidationError(_not_tracking(tracking, what))


def release_leftover(order_id: int, actor: Actor) -> int:
    """Release what is still reserved for the order's lines (allocation's own service)."""
    released = 0
    freed: set[int] = set()
    for line_id, product_id in db.execute(
        "SELECT ol.id, ol.product_id FROM order_line ol WHERE ol.order_id = ? AND EXISTS "
        "(SELECT 1 FROM allocation a WHERE a.order_line_id = ol.id) ORDER BY ol.id", (order_id,),
    ).fetchall():
        released += allocation.release_line(int(line_id), actor=actor)
        freed.add(int(product_id))
    if freed:
        # The freed units are free stock in bins: waiting back-orders (this order's rest
        # among them, by urgency and age) get them now, not at the next Allocate.
        allocation.allocate_waiting(freed, actor=actor)
    return released
