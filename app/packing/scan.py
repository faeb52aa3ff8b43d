"""The packing station's scans: what a scan means (acknowledge, open, unit, tracking) and
the verification of one unit into the order's open package.

A mis-ship is the most expensive mistake a fulfillment warehouse makes, so the rules live
here, not in the widget: a unit that is not on the order, or one more than was picked, is
refused and recorded as a mis-scan (``PackScan``). The scan path (``verify_scan``) uses raw
parameterised SQL: it runs on every unit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.catalog.scan import find_product_code
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.commands import command_code, station_command
from app.kernel.errors import UnknownBarcode, ValidationError
from app.kernel.states import PackageStatus
from app.packing.label_scan import carrier_tracking
from app.packing.opening import PackTarget, open_for_packing
from app.packing.packages import create_package, lock_order
from app.packing.station_settings import typed_units_allowed
from app.packing.view import PackingView, packing_view, unverified_total
from app.store import changes, db

# A scan of one of these codes acknowledges a sticky error on the packing screen.
ACK_CODES = frozenset({"ACK", "ACKNOWLEDGE", "OK-ACK"})


# The scanned product's lines of the order (line, picked, verified), with the order's open
# package (id, seq; NULL if none) and its picked units not yet verified, on every row.
_LINES_SQL = (
    "SELECT ol.id, ol.qty_picked, COALESCE((SELECT SUM(pl.qty) FROM package pk "
    "JOIN package_line pl ON pl.package_id = pk.id WHERE pk.order_id = ol.order_id "
    f"AND pl.order_line_id = ol.id AND pk.status <> '{PackageStatus.VOID}'), 0), "
    f"(SELECT pk.id FROM package pk WHERE pk.order_id = ol.order_id AND pk.status = '{PackageStatus.OPEN}' "
    "ORDER BY pk.seq LIMIT 1), "
    f"(SELECT pk.seq FROM package pk WHERE pk.order_id = ol.order_id AND pk.status = '{PackageStatus.OPEN}' "
    "ORDER BY pk.seq LIMIT 1), "
    "(SELECT COALESCE(SUM(o.qty_picked), 0) FROM order_line o WHERE o.order_id = ol.order_id) "
    "- COALESCE((SELECT SUM(pl.qty) FROM package_line pl JOIN package pk ON pk.id = pl.package_id "
    f"WHERE pk.order_id = ol.order_id AND pk.status <> '{PackageStatus.VOID}'), 0) "
    "FROM order_line ol WHERE ol.order_id = ? AND ol.product_id = ? ORDER BY ol.line_no, ol.id"
)


@dataclass(frozen=True)
class ScanOutcome:
    accepted: bool
    result: str  # ok, wrong_item, wrong_lot, over_scan, unknown
    message: str
    code: str
    sku: str = ""
    line_id: int | None = None
    units: int = 0  # units this scan counted (a case-pack counts several)
    verified: int = 0  # the line's verified units after the scan
    picked: int = 0
    package_seq: int | None = None
    unverified: int = 0  # picked units of the order still to scan
    order_complete: bool = False  # the scan verified the order's last picked unit
    product_id: int | None = None  # the product the code named, if any


def record_scan(order_id: int, client_id: int, package_id: int | None, product_id: int | None,
                code: str, result: str, actor: Actor) -> None:
    """Write the scan's ``PackScan`` row, accepted or not (call inside the transaction)."""
    db.execute(
        "INSERT INTO pack_scan (order_id, client_id, package_id, product_id, code, result, user_name, "
        "station, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (order_id, client_id, package_id, product_id, code[:100], result, actor.name, actor.station,
         clock.now()),
    )


def verify_scan(order_id: int, code: str, *, actor: Actor, keyed: bool = False) -> ScanOutcome:
    """Count one scanned unit (or case) into the order's open package.

    A product not on the order, one unit more than was picked, or an unknown code is
    refused: nothing is counted, the scan is recorded as a mis-scan and the outcome says
    why (``accepted`` False). Every scan, good or not, is a ``PackScan`` row.

    ``keyed``: the code was typed by hand (the station tells a scanner's burst from a
    person's keys). A typed code proves nothing about the unit in the packer's hand — it
    may be read off the screen — so it is refused (result ``keyed``); a unit whose barcode
    will not scan is boxed by a supervisor's override. The warehouse setting
    ``packing_typed_units allow`` lifts this (a scanner that types too slowly to be told
    from a person).

    Raises:
        NotFound: no such order. InvalidTransition: cancelled or shipped order.
        PermissionDenied: the actor may not pack.
    """
    actor.require_to("pack orders")
    code = code.strip()
    with db.write():
        client_id, number, _status = lock_order(order_id)
        try:
            match = find_product_code(code, client_id=client_id) if code else None
        except ValidationError:
            match = None
        if match is None:
            other = None
            if code:
                try:
                    other = find_product_code(code)
                except ValidationError:
                    other = None
            if other is not None:
                record_scan(order_id, client_id, None, other.id, code, "wrong_item", actor)
                return ScanOutcome(False, "wrong_item",
                                   f"WRONG ITEM: {other.label} belongs to another client, not order {number}",
                                   code, other.label, unverified=unverified_total(order_id),
                                   product_id=other.id)
            record_scan(order_id, client_id, None, None, code, "unknown", actor)
            return ScanOutcome(False, "unknown", f"UNKNOWN BARCODE {code!r}: not a product of this client",
                               code, unverified=unverified_total(order_id))
        if keyed and not typed_units_allowed():
            record_scan(order_id, client_id, None, match.id, code, "keyed", actor)
            return ScanOutcome(False, "keyed",
                               f"TYPED, NOT SCANNED: {match.label} — scan the unit's barcode; a typed "
                               "code does not verify a unit",
                               code, match.label, unverified=unverified_total(order_id), product_id=match.id)
        units = max(1, int(match.pack_qty or 1))
        # One statement for the product's lines, the order's open box and its unverified
        # total: this runs on every unit, and each statement costs more than its SQL.
        lines = db.execute(_LINES_SQL, (order_id, match.id)).fetchall()
        if not lines:
            record_scan(order_id, client_id, None, match.id, code, "wrong_item", actor)
            return ScanOutcome(False, "wrong_item",
                               f"WRONG ITEM: {match.label} is not on order {number}: take it out",
                               code, match.label, unverified=unverified_total(order_id),
                               product_id=match.id)
        _line, _picked, _verified, open_id, open_seq, unverified = lines[0]
        if match.lot:  # a GS1 code with a lot: it must be a lot picked for the order
            lots = [lot for (lot,) in db.execute(
                "SELECT DISTINCT pk.lot FROM pick_line pk JOIN order_line ol ON ol.id = pk.order_line_id "
                "WHERE ol.order_id = ? AND pk.product_id = ? AND pk.qty_picked > 0 AND pk.lot <> '' "
                "ORDER BY pk.lot", (order_id, match.id)).fetchall()]
            if lots and match.lot not in lots:
                record_scan(order_id, client_id, None, match.id, code, "wrong_lot", actor)
                return ScanOutcome(False, "wrong_lot",
                                   f"WRONG LOT: {match.label} lot {match.lot} — order {number} was picked "
                                   f"from lot {', '.join(lots)}: take it out",
                                   code, match.label, unverified=int(unverified), product_id=match.id)
        target = next(((lid, picked, ver) for lid, picked, ver, *_ in lines if ver + units <= picked), None)
        if target is None:
            picked = sum(int(r[1]) for r in lines)
            verified = sum(int(r[2]) for r in lines)
            record_scan(order_id, client_id, None, match.id, code, "over_scan", actor)
            what = f"a case of {units}" if units > 1 else "one unit"
            return ScanOutcome(False, "over_scan",
                               f"TOO MANY: {match.label} — {verified} of {picked} picked already verified; "
                               f"{what} more is refused: take it out",
                               code, match.label, int(lines[0][0]), 0, verified, picked,
                               unverified=int(unverified), product_id=match.id)
        line_id, picked, verified = int(target[0]), int(target[1]), int(target[2])
        pkg = ((int(open_id), int(open_seq)) if open_id is not None
               else create_package(order_id, client_id, actor=actor))
        db.execute(
            "INSERT INTO package_line (package_id, order_line_id, product_id, qty) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (package_id, order_line_id) DO UPDATE SET qty = package_line.qty + excluded.qty",
            (pkg[0], line_id, match.id, units),
        )
        record_scan(order_id, client_id, pkg[0], match.id, code, "ok", actor)
        changes.changed("package", pkg[0])
        remaining = int(unverified) - units
    verified += units
    return ScanOutcome(True, "ok", f"{match.label}: {verified} of {picked}" +
                       (f" (case of {units})" if units > 1 else ""),
                       code, match.label, line_id, units, verified, picked, pkg[1], remaining,
                       remaining == 0, match.id)


@dataclass(frozen=True)
class StationScan:
    """What one scan at the packing station meant."""

    kind: str  # ack, open (an order/pick list/tote was opened), unit, tracking
    target: PackTarget | None = None
    outcome: ScanOutcome | None = None
    tracking: str = ""  # kind 'tracking': the carrier's number, to ship the order with
    command: str = ""  # kind 'command': NEXT BOX, CLOSE BOX, PRINT SLIP, PRINT LABEL, CANCEL


def is_ack_code(code: str) -> bool:
    """Whether the code acknowledges a refused scan (ACK, ACKNOWLEDGE, OK-ACK, the ACK command)."""
    text = code.strip().upper()
    return text in ACK_CODES or text == command_code("ACK")


def station_scan(code: str, *, order_id: int | None, actor: Actor, keyed: bool = False) -> StationScan:
    """Route a scan: acknowledge code, a document to open, or a unit of the open order.

    With an order open, a code that is no product of any client but is an order, pick list
    or tote opens that instead. Once every picked unit is verified and boxed, any other code
    is the carrier's tracking number (kind ``tracking``: the station checks it and ships with
    it, see ``app.shipping``; a product scanned then is still an over-scan). A carrier label's
    ship-to barcode (AI 420/421, then the carrier's number) is the tracking number at any
    time: shipping says what is left to do. Anything else is verified (and refused if it must be).
    """
    code = code.strip()
    command = station_command(code, "packing")
    if is_ack_code(code) or command == "ACK":
        return StationScan("ack")
    if command is not None:  # a command barcode of the station's sheet: the station does it
        return StationScan("command", command=command)
    if order_id is None:
        return StationScan("open", target=open_for_packing(code, actor=actor))
    tracking = carrier_tracking(code)
    if tracking is not None:  # a carrier label's ship-to barcode: never a unit, never a mis-scan
        return StationScan("tracking", tracking=tracking)
    try:
        is_product = find_product_code(code) is not None
    except ValidationError:
        is_product = True
    if not is_product:
        try:
            return StationScan("open", target=open_for_packing(code, actor=actor))
        except UnknownBarcode:
            pass
        if packing_view(order_id).ready_to_ship:
            return StationScan("tracking", tracking=code)
    return StationScan("unit", outcome=verify_scan(order_id, code, actor=actor, keyed=keyed))


def applied_to(view: PackingView, outcome: ScanOutcome) -> PackingView | None:
    """``view`` as it is after the scan ``outcome`` of its order, computed without the
    database; None when the scan changed more than counts (a new box opened) and the view
    must be read again.

    The packing screen shows every scan at once: reading the whole order again for one
    more unit would be most of a scan's cost.
    """
    if not outcome.accepted:
        return replace(view, mis_scans=view.mis_scans + 1)
    line = next((ln for ln in view.lines if ln.line_id == outcome.line_id), None)
    box = next((p for p in view.packages
                if p.seq == outcome.package_seq and p.status == PackageStatus.OPEN), None)
    if line is None or box is None or line.verified + outcome.units != outcome.verified:
        return None  # a new box, or a view older than the scan before this one
    # A box lists its contents by SKU and name: with a product on two lines of the order,
    # which entry grew is the database's to say.
    keys = [(ln.sku, ln.name) for ln in view.lines]
    if len(set(keys)) != len(keys):
        return None
    qty = {(sku, name): q for sku, name, q in box.lines}
    qty[(line.sku, line.name)] = qty.get((line.sku, line.name), 0) + outcome.units
    contents = tuple((sku, name, qty[(sku, name)]) for sku, name in keys if qty.get((sku, name)))
    return replace(
        view,
        lines=tuple(replace(ln, verified=outcome.verified) if ln is line else ln for ln in view.lines),
        packages=tuple(replace(p, lines=contents) if p is box else p for p in view.packages),
    )
