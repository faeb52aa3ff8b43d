"""The packing station: scan-verify every picked unit into packages, close, void and ship them.

A mis-ship is the most expensive mistake a fulfillment warehouse makes, so the rules live
here, not in the widget: a unit that is not on the order, or one more than was picked, is
refused and recorded as a mis-scan (``PackScan``); the last package of an order cannot be
closed while a picked unit is unverified unless a supervisor overrides with a reason; and
nothing ships until packing is complete.

Quantities per order line:
    verified = units in the order's non-void packages (open, closed or shipped)
    qty_packed = units in closed or shipped packages; qty_shipped = units in shipped ones.
The scan path (``verify_scan``) uses raw parameterised SQL: it runs on every unit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app import ledger
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.barcodes import make_sscc
from app.kernel.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PrepDeskError,
    UnknownBarcode,
    ValidationError,
)
from app.store import audit, db
from app.store.models import BoxType, Setting

if TYPE_CHECKING:  # the documents are imported when printed, not with the packing service
    from app.documents.carton_label import LabelData
    from app.documents.package_manifest import ManifestData
    from app.documents.packing_slip import SlipData

# --- Settings ------------------------------------------------------------------------

GS1_PREFIX_KEY = "gs1_company_prefix"
SSCC_EXTENSION_KEY = "sscc_extension_digit"
# GS1's own documentation example prefix: labels print, but they are not yours until the
# warehouse's real prefix is set (``setting set gs1_company_prefix NNNNNNN``).
DEFAULT_GS1_PREFIX = "0614141"
SSCC_SEQUENCE = "sscc"

# A scan of one of these codes acknowledges a sticky error on the packing screen.
ACK_CODES = frozenset({"ACK", "ACKNOWLEDGE", "OK-ACK"})

# Items fill a box only so well: the box's inner volume must exceed theirs by this factor,
# and their weight must stay this far under the box's maximum.
BOX_VOLUME_MARGIN = 1.15
BOX_WEIGHT_MARGIN = 0.95

PACKAGE_STATES = audit.StateMachine(
    "package",
    {
        "open": {"closed", "void"},
        "closed": {"shipped", "void", "open"},
        "shipped": set(),
        "void": set(),
    },
)


class UnverifiedUnits(PrepDeskError):  # noqa: N818 - named like NotFound, OutOfStock
    """The last package would close (or the order ship) with picked units not scanned."""


def _validate_prefix(value: str) -> str:
    value = value.strip()
    if not value.isdigit() or not 6 <= len(value) <= 12:
        raise ValidationError(f"GS1 company prefix must be 6 to 12 digits, not {value!r}")
    return value


def _validate_extension(value: str) -> str:
    value = value.strip()
    if len(value) != 1 or not value.isdigit():
        raise ValidationError(f"SSCC extension digit must be one digit 0-9, not {value!r}")
    return value


# "allow": a unit code typed by hand verifies the unit (for a scanner so slow that the
# station takes its keys for a person's); default "refuse".
TYPED_UNITS_KEY = "packing_typed_units"


def _validate_typed_units(value: str) -> str:
    value = value.strip().lower()
    if value not in ("allow", "refuse"):
        raise ValidationError(f"{TYPED_UNITS_KEY} is 'allow' or 'refuse', not {value!r}")
    return value


SETTING_VALIDATORS = {
    GS1_PREFIX_KEY: _validate_prefix,
    SSCC_EXTENSION_KEY: _validate_extension,
    TYPED_UNITS_KEY: _validate_typed_units,
}


def get_setting(key: str, default: str | None = None) -> str | None:
    """A warehouse-wide setting (shared by every station), or ``default`` if unset."""
    row = db.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_setting(key: str, value: str, *, actor: Actor) -> str:
    """Set a warehouse-wide setting (supervisors only); known keys are validated.

    Raises:
        PermissionDenied: not a supervisor.
        ValidationError: empty key, or a value a known key does not accept.
    """
    actor.require(action="change warehouse settings")
    key = key.strip()
    if not key or len(key) > 100 or any(ch.isspace() for ch in key):
        raise ValidationError(f"setting name {key!r} must be one word of at most 100 characters")
    validator = SETTING_VALIDATORS.get(key)
    value = validator(value) if validator else value.strip()
    with db.write():
        old = get_setting(key)
        Setting.insert(key=key, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}).execute()
        audit.record("setting_changed", actor=actor, detail=f"{key}: {old!r} -> {value!r}")
    return value


def gs1_company_prefix() -> str:
    return get_setting(GS1_PREFIX_KEY) or DEFAULT_GS1_PREFIX


def next_sequence(name: str) -> int:
    """The next value of a named counter (call inside the caller's transaction)."""
    db.execute('INSERT INTO "sequence" (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING', (name,))
    row = db.execute('UPDATE "sequence" SET value = value + 1 WHERE name = ? RETURNING value',
                     (name,)).fetchone()
    return int(row[0])


def _new_sscc() -> str:
    prefix = gs1_company_prefix()
    extension = int(get_setting(SSCC_EXTENSION_KEY) or "0")
    return make_sscc(extension, prefix, next_sequence(SSCC_SEQUENCE))


# --- Box types -----------------------------------------------------------------------


@dataclass(frozen=True)
class BoxTypeRow:
    id: int
    name: str
    length_cm: float
    width_cm: float
    height_cm: float
    weight_kg: float
    max_weight_kg: float
    active: bool

    @property
    def volume_cm3(self) -> float:
        return self.length_cm * self.width_cm * self.height_cm

    @property
    def dims(self) -> str:
        return f"{self.length_cm:g}x{self.width_cm:g}x{self.height_cm:g}"


def _box_row(b: BoxType) -> BoxTypeRow:
    return BoxTypeRow(b.id, b.name, b.length_cm, b.width_cm, b.height_cm, b.weight_kg,
                      b.max_weight_kg, b.active)


def parse_dims(text: str) -> tuple[float, float, float]:
    """'30x20x15' (cm) -> (30.0, 20.0, 15.0).

    Raises:
        ValidationError: not three positive numbers separated by x.
    """
    parts = re.split(r"\s*[xX×*]\s*", text.strip())
    try:
        dims = tuple(float(p.replace(",", ".")) for p in parts)
    except ValueError:
        dims = ()
    if len(dims) != 3 or any(not d > 0 or d > 1000 for d in dims):
        raise ValidationError(f"dimensions must look like 30x20x15 (cm), not {text!r}")
    length, width, height = dims
    return length, width, height


def _check_box_numbers(length_cm: float, width_cm: float, height_cm: float, weight_kg: float,
                       max_weight_kg: float) -> None:
    for label, value in (("length", length_cm), ("width", width_cm), ("height", height_cm)):
        if not isinstance(value, int | float) or not 0 < value <= 1000:
            raise ValidationError(f"box {label} must be between 0 and 1000 cm, not {value!r}")
    for label, value in (("weight", weight_kg), ("maximum weight", max_weight_kg)):
        if not isinstance(value, int | float) or not 0 <= value <= 1000:
            raise ValidationError(f"box {label} must be between 0 and 1000 kg, not {value!r}")


def add_box_type(name: str, *, length_cm: float, width_cm: float, height_cm: float,
                 weight_kg: float = 0.0, max_weight_kg: float = 0.0, actor: Actor) -> BoxTypeRow:
    """Configure a box type (inner dimensions in cm, empty weight and maximum load in kg).

    Raises:
        PermissionDenied: not a supervisor.
        ValidationError: empty name, dimensions or weights out of range.
        Conflict: the name is taken.
    """
    actor.require(action="configure box types")
    name = name.strip()
    if not name or len(name) > 60:
        raise ValidationError("a box type needs a name of at most 60 characters")
    _check_box_numbers(length_cm, width_cm, height_cm, weight_kg, max_weight_kg)
    with db.write():
        if BoxType.select().where(BoxType.name == name).exists():
            raise Conflict(f"box type {name} exists already")
        b = BoxType.create(name=name, length_cm=length_cm, width_cm=width_cm, height_cm=height_cm,
                           weight_kg=weight_kg, max_weight_kg=max_weight_kg)
        audit.record("box_type_added", actor=actor,
                     detail=f"{name} {length_cm:g}x{width_cm:g}x{height_cm:g} {weight_kg:g} kg")
    return _box_row(b)


def update_box_type(name: str, *, actor: Actor, **fields: float | bool) -> BoxTypeRow:
    """Change a box type's dimensions, weights or ``active`` flag (supervisors only)."""
    actor.require(action="configure box types")
    allowed = {"length_cm", "width_cm", "height_cm", "weight_kg", "max_weight_kg", "active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"unknown box type fields: {', '.join(sorted(unknown))}")
    with db.write():
        b = _box_by_name(name, include_inactive=True)
        for key, value in fields.items():
            setattr(b, key, value)
        _check_box_numbers(b.length_cm, b.width_cm, b.height_cm, b.weight_kg, b.max_weight_kg)
        b.save()
        audit.record("box_type_changed", actor=actor, detail=f"{b.name}: {fields}")
    return _box_row(b)


def deactivate_box_type(name: str, *, actor: Actor) -> BoxTypeRow:
    """Retire a box type (packages keep pointing at it; it is no longer offered)."""
    return update_box_type(name, active=False, actor=actor)


def list_box_types(*, include_inactive: bool = False) -> list[BoxTypeRow]:
    q = BoxType.select()
    if not include_inactive:
        q = q.where(BoxType.active == True)  # noqa: E712
    rows = [_box_row(b) for b in q]
    return sorted(rows, key=lambda r: (r.volume_cm3, r.name))


def _box_by_name(name: str, *, include_inactive: bool = False) -> BoxType:
    b = BoxType.get_or_none(BoxType.name == name.strip())
    if b is None:
        b = BoxType.get_or_none(BoxType.name.ilike(name.strip()))
    if b is None or (not b.active and not include_inactive):
        known = ", ".join(r.name for r in list_box_types()) or "none configured"
        raise NotFound(f"no box type {name!r} (box types: {known})")
    return b


@dataclass(frozen=True)
class BoxSuggestion:
    box: BoxTypeRow | None
    units: int
    volume_cm3: float
    weight_kg: float
    message: str


def suggest_box_for(items: list[tuple[tuple[float, float, float], float, int]],
                    boxes: list[BoxTypeRow]) -> BoxSuggestion:
    """The smallest box whose inner volume holds the items' volume with a margin, whose
    longest sides take the largest item, and whose maximum weight carries them.

    ``items``: ((length, width, height) cm, weight kg, quantity) per product.
    """
    units = sum(q for _, _, q in items)
    volume = sum(d[0] * d[1] * d[2] * q for d, _, q in items)
    weight = sum(w * q for _, w, q in items)
    if not units:
        return BoxSuggestion(None, 0, 0.0, 0.0, "nothing to pack")
    largest = sorted((max((sorted(d, reverse=True) for d, _, _ in items), default=[0.0, 0.0, 0.0])),
                     reverse=True)
    for box in sorted(boxes, key=lambda b: (b.volume_cm3, b.name)):
        inner = sorted((box.length_cm, box.width_cm, box.height_cm), reverse=True)
        if box.volume_cm3 < volume * BOX_VOLUME_MARGIN:
            continue
        if any(item_side > box_side for item_side, box_side in zip(largest, inner, strict=True)):
            continue
        if box.max_weight_kg > 0 and weight + box.weight_kg > box.max_weight_kg * BOX_WEIGHT_MARGIN:
            continue
        return BoxSuggestion(box, units, volume, weight,
                             f"{box.name} ({box.dims} cm) for {units} unit(s), {weight:.2f} kg")
    if not boxes:
        return BoxSuggestion(None, units, volume, weight, "no box types configured")
    return BoxSuggestion(None, units, volume, weight,
                         f"no single box fits {units} unit(s) ({volume:,.0f} cm³, {weight:.2f} kg): "
                         "use several packages")


def suggest_box(order_id: int) -> BoxSuggestion:
    """A box for what is still to be boxed on the order: the open package's units plus the
    picked units not yet verified (what the packer is about to put in)."""
    rows = db.execute(
        "SELECT p.length_cm, p.width_cm, p.height_cm, p.weight_kg, "
        "ol.qty_picked - ol.qty_packed FROM order_line ol JOIN product p ON p.id = ol.product_id "
        "WHERE ol.order_id = ? AND ol.qty_picked > ol.qty_packed", (order_id,),
    ).fetchall()
    items = [((float(a), float(b), float(c)), float(w), int(q)) for a, b, c, w, q in rows]
    return suggest_box_for(items, list_box_types())


# --- What the station shows -------------------------------------------------------------


@dataclass(frozen=True)
class PackTarget:
    """What a scan at the packing station opened: one order, or a pick list's / tote's orders."""

    kind: str  # order, picklist, tote
    code: str
    order_ids: tuple[int, ...]
    label: str

    @property
    def order_id(self) -> int:
        return self.order_ids[0]


@dataclass(frozen=True)
class PackLineView:
    line_id: int
    line_no: int
    product_id: int
    sku: str
    name: str
    ordered: int
    picked: int
    verified: int
    packed: int
    shipped: int
    instructions: str
    barcode: str

    @property
    def remaining(self) -> int:
        """Picked units still to be scanned."""
        return self.picked - self.verified


@dataclass(frozen=True)
class PackageView:
    id: int
    seq: int
    number: int  # n of the order's non-void packages (0 for a void one)
    status: str
    box: str
    weight_kg: float | None
    sscc: str
    carrier: str
    service: str
    tracking: str
    cost: float | None
    override_reason: str
    lines: tuple[tuple[str, str, int], ...]  # (sku, name, qty)

    @property
    def units(self) -> int:
        return sum(q for _, _, q in self.lines)


@dataclass(frozen=True)
class PackingView:
    order_id: int
    number: str
    status: str
    client_id: int
    client_code: str
    client_name: str
    customer_name: str
    ship_to: tuple[str, ...]
    notes: str
    client_instructions: str
    order_instructions: str
    carrier: str
    service: str
    lines: tuple[PackLineView, ...]
    packages: tuple[PackageView, ...]
    mis_scans: int

    @property
    def picked(self) -> int:
        return sum(line.picked for line in self.lines)

    @property
    def verified(self) -> int:
        return sum(line.verified for line in self.lines)

    @property
    def unverified(self) -> int:
        return sum(max(0, line.remaining) for line in self.lines)

    @property
    def open_package(self) -> PackageView | None:
        return next((p for p in self.packages if p.status == "open"), None)

    @property
    def live_packages(self) -> tuple[PackageView, ...]:
        return tuple(p for p in self.packages if p.status != "void")

    @property
    def packing_complete(self) -> bool:
        """Every picked unit is in a closed (or shipped) package."""
        return self.picked > 0 and all(line.packed >= line.picked for line in self.lines)

    @property
    def ready_to_ship(self) -> bool:
        return self.packing_complete and any(p.status == "closed" for p in self.packages)

    @property
    def product_instructions(self) -> tuple[tuple[str, str], ...]:
        return tuple((line.sku, line.instructions) for line in self.lines if line.instructions)


def _order_row(order_id: int) -> tuple[Any, ...]:
    row: tuple[Any, ...] | None = db.execute(
        'SELECT o.id, o.number, o.status, o.client_id, c.code, c.name, o.customer_name, o.ship_name, '
        'o.ship_company, o.address1, o.address2, o.city, o.province, o.zip, o.country, o.notes, '
        'c.packing_instructions, o.packing_instructions, o.carrier, o.service, o.phone '
        'FROM "order" o JOIN client c ON c.id = o.client_id WHERE o.id = ?', (order_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no order #{order_id}")
    return row


def ship_to_lines(name: str, company: str, address1: str, address2: str, city: str,
                  province: str, zip_code: str, country: str) -> tuple[str, ...]:
    city_line = " ".join(x for x in (city + ("," if city and (province or zip_code) else ""),
                                      province, zip_code) if x).strip()
    return tuple(x for x in (name, company, address1, address2, city_line, country) if x and x.strip())


def packing_view(order_id: int) -> PackingView:
    """Everything the packing screen shows for one order (plain data, no rows)."""
    (oid, number, status, client_id, client_code, client_name, customer, ship_name, company,
     a1, a2, city, province, zip_code, country, notes, client_instr, order_instr, carrier,
     service, _phone) = _order_row(order_id)
    verified = _verified_by_line(order_id)
    lines = []
    for (line_id, line_no, product_id, sku, name, ordered, picked, packed, shipped, instr,
         barcode) in db.execute(
        "SELECT ol.id, ol.line_no, ol.product_id, p.sku, COALESCE(NULLIF(ol.name, ''), p.name), "
        "ol.qty_ordered, ol.qty_picked, ol.qty_packed, ol.qty_shipped, p.packing_instructions, "
        "(SELECT MIN(b.code) FROM product_barcode b WHERE b.product_id = p.id AND b.pack_qty = 1) "
        "FROM order_line ol JOIN product p ON p.id = ol.product_id WHERE ol.order_id = ? "
        "ORDER BY ol.line_no, ol.id", (order_id,),
    ).fetchall():
        lines.append(PackLineView(line_id, line_no, product_id, sku, name, ordered, picked,
                                  verified.get(line_id, 0), packed, shipped, instr or "",
                                  barcode or ""))
    mis = db.execute("SELECT COUNT(*) FROM pack_scan WHERE order_id = ? AND result <> 'ok'",
                     (order_id,)).fetchone()[0]
    return PackingView(
        oid, number, status, client_id, client_code, client_name, customer,
        ship_to_lines(ship_name or customer, company, a1, a2, city, province, zip_code, country),
        notes or "", client_instr or "", order_instr or "", carrier or "", service or "",
        tuple(lines), tuple(_packages(order_id)), int(mis),
    )


def _verified_by_line(order_id: int) -> dict[int, int]:
    return {lid: int(q) for lid, q in db.execute(
        "SELECT pl.order_line_id, SUM(pl.qty) FROM package_line pl JOIN package pk ON pk.id = pl.package_id "
        "WHERE pk.order_id = ? AND pk.status <> 'void' GROUP BY pl.order_line_id", (order_id,),
    ).fetchall()}


def _packages(order_id: int) -> list[PackageView]:
    rows = db.execute(
        "SELECT pk.id, pk.seq, pk.status, COALESCE(b.name, ''), pk.weight_kg, pk.sscc, pk.carrier, "
        "pk.service, pk.tracking, pk.cost, pk.override_reason FROM package pk "
        "LEFT JOIN box_type b ON b.id = pk.box_type_id WHERE pk.order_id = ? ORDER BY pk.seq",
        (order_id,),
    ).fetchall()
    contents: dict[int, list[tuple[str, str, int]]] = {}
    for package_id, sku, name, qty in db.execute(
        "SELECT pl.package_id, p.sku, COALESCE(NULLIF(ol.name, ''), p.name), pl.qty FROM package_line pl "
        "JOIN package pk ON pk.id = pl.package_id JOIN product p ON p.id = pl.product_id "
        "JOIN order_line ol ON ol.id = pl.order_line_id "
        "WHERE pk.order_id = ? AND pl.qty > 0 ORDER BY ol.line_no, ol.id", (order_id,),
    ).fetchall():
        contents.setdefault(package_id, []).append((sku, name, int(qty)))
    result, n = [], 0
    for pid, seq, status, box, weight, sscc, carrier, service, tracking, cost, override in rows:
        number = 0
        if status != "void":
            n += 1
            number = n
        result.append(PackageView(pid, seq, number, status, box, weight, sscc, carrier, service,
                                  tracking, cost, override or "", tuple(contents.get(pid, ()))))
    return result


def package_view(order_id: int, seq: int) -> PackageView:
    for p in _packages(order_id):
        if p.seq == seq:
            return p
    raise NotFound(f"order #{order_id} has no package {seq}")


# --- Opening work: order number, tote or pick list ------------------------------------

_TOTE = re.compile(r"^(?:TOTE|T)[-_ ]?0*(\d{1,4})$", re.IGNORECASE)
_LIST_TOTE = re.compile(r"^(.+?)[-_/ ](?:TOTE|T)[-_ ]?0*(\d{1,4})$", re.IGNORECASE)


def find_order(number: str, *, client: str | None = None) -> int:
    """An order's id by its number (``client`` code where numbers repeat between clients).

    Raises:
        NotFound: no such order.
        ValidationError: the number exists for several clients and none was named.
    """
    sql = 'SELECT o.id FROM "order" o JOIN client c ON c.id = o.client_id WHERE o.number = ?'
    params: list[object] = [number.strip()]
    if client:
        sql += " AND c.code = ?"
        params.append(client.strip().upper())
    rows = db.execute(sql + " LIMIT 2", params).fetchall()
    if not rows:
        raise NotFound(f"no order {number!r}" + (f" for client {client.upper()}" if client else ""))
    if len(rows) > 1:
        raise ValidationError(f"order {number} exists for several clients: name the client")
    return int(rows[0][0])


def _has_packing_work(order_id: int) -> bool:
    row = db.execute(
        "SELECT SUM(qty_picked), SUM(qty_packed), SUM(qty_shipped) FROM order_line WHERE order_id = ?",
        (order_id,)).fetchone()
    picked, packed, shipped = (int(x or 0) for x in row)
    return picked > shipped or packed > shipped


def check_packable(order_id: int) -> None:
    """Raise unless the order has picked units left to pack (not cancelled, not all shipped)."""
    (_, number, status, *_rest) = _order_row(order_id)
    if status == "cancelled":
        raise InvalidTransition(f"order {number} is cancelled: do not pack it")
    row = db.execute(
        "SELECT SUM(qty_picked), SUM(qty_shipped) FROM order_line WHERE order_id = ?", (order_id,)
    ).fetchone()
    picked, shipped = int(row[0] or 0), int(row[1] or 0)
    if picked == 0:
        raise ValidationError(f"order {number} has nothing picked yet (status {status})")
    if not _has_packing_work(order_id):
        raise InvalidTransition(f"order {number} was shipped already ({shipped} unit(s))")


def _orders_of_picklist(picklist_id: int, tote: int | None = None) -> list[int]:
    sql = "SELECT plo.order_id FROM pick_list_order plo WHERE plo.picklist_id = ?"
    params: list[object] = [picklist_id]
    if tote is not None:
        sql += " AND plo.tote = ?"
        params.append(tote)
    rows = db.execute(sql + " ORDER BY plo.tote, plo.order_id", params).fetchall()
    return [int(r[0]) for r in rows]


def open_for_packing(code: str, *, actor: Actor) -> PackTarget:
    """Open work by scanning an order number, a pick list barcode or a tote.

    A pick list (or a tote) opens its orders that still have units to pack, one after
    another in tote order.

    Raises:
        UnknownBarcode: the code is none of these.
        ValidationError / InvalidTransition: nothing picked yet, cancelled, already shipped.
    """
    actor.require("packer", action="pack orders")
    code = code.strip()
    if not code:
        raise UnknownBarcode(code, "empty scan")
    # An order number first (the most common scan at this station).
    rows = db.execute('SELECT id, number FROM "order" WHERE number = ? LIMIT 2', (code,)).fetchall()
    if not rows and code.startswith("#"):
        rows = db.execute('SELECT id, number FROM "order" WHERE number = ? LIMIT 2', (code[1:],)).fetchall()
    if len(rows) > 1:
        raise ValidationError(f"order {code} exists for several clients: scan its pick list instead")
    if rows:
        check_packable(int(rows[0][0]))
        return PackTarget("order", code, (int(rows[0][0]),), f"order {rows[0][1]}")
    row = db.execute("SELECT id, number FROM pick_list WHERE number = ?", (code.upper(),)).fetchone()
    if row:
        ids = [o for o in _orders_of_picklist(int(row[0])) if _has_packing_work(o)]
        if not ids:
            raise InvalidTransition(f"pick list {row[1]} has no orders left to pack")
        return PackTarget("picklist", code, tuple(ids), f"pick list {row[1]} ({len(ids)} order(s))")
    target = _tote_target(code)
    if target is not None:
        return target
    raise UnknownBarcode(code, f"{code!r} is not an order, pick list or tote")


def _tote_target(code: str) -> PackTarget | None:
    m = _LIST_TOTE.match(code)
    if m:
        row = db.execute("SELECT id, number FROM pick_list WHERE number = ?", (m.group(1).upper(),)).fetchone()
        if row:
            ids = [o for o in _orders_of_picklist(int(row[0]), int(m.group(2))) if _has_packing_work(o)]
            if not ids:
                raise InvalidTransition(f"tote {m.group(2)} of pick list {row[1]} has nothing left to pack")
            return PackTarget("tote", code, tuple(ids), f"tote {m.group(2)} of pick list {row[1]}")
    m = _TOTE.match(code)
    if m:
        tote = int(m.group(1))
        # A physical tote is reused: the newest pick list that left work in it.
        for (picklist_id,) in db.execute(
            "SELECT DISTINCT plo.picklist_id FROM pick_list_order plo WHERE plo.tote = ? "
            "ORDER BY plo.picklist_id DESC LIMIT 20", (tote,),
        ).fetchall():
            ids = [o for o in _orders_of_picklist(int(picklist_id), tote) if _has_packing_work(o)]
            if ids:
                return PackTarget("tote", code, tuple(ids), f"tote {tote}")
        raise InvalidTransition(f"tote {tote} holds no order waiting to be packed")
    return None


# --- Verifying units ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScanOutcome:
    accepted: bool
    result: str  # ok, wrong_item, over_scan, unknown
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


def _lock_order(order_id: int, *, live: bool = True) -> tuple[int, str, str]:
    """Lock the order row (PostgreSQL; SQLite holds the write lock) and read it.

    ``live``: refuse a cancelled order (nothing of it may be packed or shipped).
    """
    row = db.execute(f'SELECT client_id, number, status FROM "order" WHERE id = ?{db.for_update()}',
                     (order_id,)).fetchone()
    if row is None:
        raise NotFound(f"no order #{order_id}")
    if live and row[2] == "cancelled":
        raise InvalidTransition(f"order {row[1]} is cancelled: do not pack or ship it")
    return int(row[0]), row[1], row[2]


def _record_scan(order_id: int, client_id: int, package_id: int | None, product_id: int | None,
                 code: str, result: str, actor: Actor) -> None:
    db.execute(
        "INSERT INTO pack_scan (order_id, client_id, package_id, product_id, code, result, user_name, "
        "station, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (order_id, client_id, package_id, product_id, code[:100], result, actor.name, actor.station,
         clock.now()),
    )


def _open_package_id(order_id: int) -> tuple[int, int] | None:
    row = db.execute("SELECT id, seq FROM package WHERE order_id = ? AND status = 'open' "
                     "ORDER BY seq LIMIT 1", (order_id,)).fetchone()
    return (int(row[0]), int(row[1])) if row else None


def _create_package(order_id: int, client_id: int, *, actor: Actor, box_id: int | None = None) -> tuple[int, int]:
    seq = int(db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM package WHERE order_id = ?",
                         (order_id,)).fetchone()[0])
    row = db.execute(
        "INSERT INTO package (order_id, client_id, seq, box_type_id, sscc, status, carrier, service, "
        "tracking, created_at, override_reason) VALUES (?, ?, ?, ?, ?, 'open', '', '', '', ?, '') RETURNING id",
        (order_id, client_id, seq, box_id, _new_sscc(), clock.now()),
    ).fetchone()
    package_id = int(row[0])
    audit.status_changed("package", package_id, "", "open", actor=actor, client_id=client_id)
    return package_id, seq


def _unverified_total(order_id: int) -> int:
    row = db.execute(
        "SELECT COALESCE(SUM(ol.qty_picked), 0) - COALESCE((SELECT SUM(pl.qty) FROM package_line pl "
        "JOIN package pk ON pk.id = pl.package_id WHERE pk.order_id = ? AND pk.status <> 'void'), 0) "
        "FROM order_line ol WHERE ol.order_id = ?", (order_id, order_id),
    ).fetchone()
    return int(row[0])


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
    actor.require("packer", action="pack orders")
    code = code.strip()
    with db.write():
        client_id, number, _status = _lock_order(order_id)
        from app.catalog.scan import find_product_code

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
                _record_scan(order_id, client_id, None, other.id, code, "wrong_item", actor)
                return ScanOutcome(False, "wrong_item",
                                   f"WRONG ITEM: {other.label} belongs to another client, not order {number}",
                                   code, other.label, unverified=_unverified_total(order_id),
                                   product_id=other.id)
            _record_scan(order_id, client_id, None, None, code, "unknown", actor)
            return ScanOutcome(False, "unknown", f"UNKNOWN BARCODE {code!r}: not a product of this client",
                               code, unverified=_unverified_total(order_id))
        if keyed and get_setting(TYPED_UNITS_KEY) != "allow":
            _record_scan(order_id, client_id, None, match.id, code, "keyed", actor)
            return ScanOutcome(False, "keyed",
                               f"TYPED, NOT SCANNED: {match.label} — scan the unit's barcode; a typed "
                               "code does not verify a unit",
                               code, match.label, unverified=_unverified_total(order_id), product_id=match.id)
        units = max(1, int(match.pack_qty or 1))
        lines = db.execute(
            "SELECT ol.id, ol.qty_picked, COALESCE((SELECT SUM(pl.qty) FROM package pk "
            "JOIN package_line pl ON pl.package_id = pk.id WHERE pk.order_id = ol.order_id "
            "AND pl.order_line_id = ol.id AND pk.status <> 'void'), 0) "
            "FROM order_line ol WHERE ol.order_id = ? AND ol.product_id = ? ORDER BY ol.line_no, ol.id",
            (order_id, match.id),
        ).fetchall()
        if not lines:
            _record_scan(order_id, client_id, None, match.id, code, "wrong_item", actor)
            return ScanOutcome(False, "wrong_item",
                               f"WRONG ITEM: {match.label} is not on order {number}: take it out",
                               code, match.label, unverified=_unverified_total(order_id),
                               product_id=match.id)
        target = next(((lid, picked, ver) for lid, picked, ver in lines if ver + units <= picked), None)
        if target is None:
            picked = sum(int(r[1]) for r in lines)
            verified = sum(int(r[2]) for r in lines)
            _record_scan(order_id, client_id, None, match.id, code, "over_scan", actor)
            what = f"a case of {units}" if units > 1 else "one unit"
            return ScanOutcome(False, "over_scan",
                               f"TOO MANY: {match.label} — {verified} of {picked} picked already verified; "
                               f"{what} more is refused: take it out",
                               code, match.label, int(lines[0][0]), 0, verified, picked,
                               unverified=_unverified_total(order_id), product_id=match.id)
        line_id, picked, verified = int(target[0]), int(target[1]), int(target[2])
        pkg = _open_package_id(order_id) or _create_package(order_id, client_id, actor=actor)
        db.execute(
            "INSERT INTO package_line (package_id, order_line_id, product_id, qty) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (package_id, order_line_id) DO UPDATE SET qty = package_line.qty + excluded.qty",
            (pkg[0], line_id, match.id, units),
        )
        _record_scan(order_id, client_id, pkg[0], match.id, code, "ok", actor)
        remaining = _unverified_total(order_id)
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


def is_ack_code(code: str) -> bool:
    return code.strip().upper() in ACK_CODES


def station_scan(code: str, *, order_id: int | None, actor: Actor, keyed: bool = False) -> StationScan:
    """Route a scan: acknowledge code, a document to open, or a unit of the open order.

    With an order open, a code that is no product of any client but is an order, pick list
    or tote opens that instead. Once every picked unit is verified and boxed, any other code
    is the carrier's tracking number (kind ``tracking``: the station ships with it; a product
    scanned then is still an over-scan). Anything else is verified (and refused if it must be).
    """
    code = code.strip()
    if is_ack_code(code):
        return StationScan("ack")
    if order_id is None:
        return StationScan("open", target=open_for_packing(code, actor=actor))
    from app.catalog.scan import find_product_code

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
            return StationScan("tracking", tracking=_check_tracking(code))
    return StationScan("unit", outcome=verify_scan(order_id, code, actor=actor, keyed=keyed))


# --- Packages: open, close, void -----------------------------------------------------------


def open_package(order_id: int, *, box: str | None = None, actor: Actor) -> PackageView:
    """Start the next package of an order (or set the box of the one already open)."""
    actor.require("packer", action="pack orders")
    check_packable(order_id)
    with db.write():
        client_id, _number, _status = _lock_order(order_id)
        box_id = _box_by_name(box).id if box else None
        pkg = _open_package_id(order_id)
        if pkg is None:
            pkg = _create_package(order_id, client_id, actor=actor, box_id=box_id)
        elif box_id is not None:
            db.execute("UPDATE package SET box_type_id = ? WHERE id = ?", (box_id, pkg[0]))
    return package_view(order_id, pkg[1])


@dataclass(frozen=True)
class CloseResult:
    package: PackageView
    packing_complete: bool
    unverified: int  # picked units still to verify (0 once packing is complete)
    override: bool


def _estimate_weight(package_id: int, box_id: int | None) -> float:
    row = db.execute(
        "SELECT COALESCE(SUM(p.weight_kg * pl.qty), 0) FROM package_line pl "
        "JOIN product p ON p.id = pl.product_id WHERE pl.package_id = ?", (package_id,)).fetchone()
    tare = 0.0
    if box_id is not None:
        tare = float(db.execute("SELECT weight_kg FROM box_type WHERE id = ?", (box_id,)).fetchone()[0])
    return round(float(row[0]) + tare, 3)


def _recompute_order(order_id: int, actor: Actor) -> str:
    from app import orders

    return orders.recompute_status(order_id, actor=actor)


def _sync_packed(order_id: int) -> None:
    """qty_packed of each line = its units in closed or shipped packages."""
    db.execute(
        "UPDATE order_line SET qty_packed = COALESCE((SELECT SUM(pl.qty) FROM package pk "
        "JOIN package_line pl ON pl.package_id = pk.id WHERE pk.order_id = order_line.order_id "
        "AND pl.order_line_id = order_line.id AND pk.status IN ('closed', 'shipped')), 0) "
        "WHERE order_id = ?", (order_id,),
    )


def close_package(order_id: int, *, box: str | None = None, weight_kg: float | None = None,
                  final: bool | None = None, override_reason: str | None = None,
                  actor: Actor) -> CloseResult:
    """Close the order's open package.

    ``final`` True means "this is the last box": packing completes, which is refused while
    any picked unit is unverified, unless a supervisor overrides with a reason — the
    unverified units are then counted into this box without a scan, and the override is
    recorded on the package and in the audit trail. ``final`` False closes this box and
    leaves the rest for the next one ("Next box"). ``None`` closes, and completes packing if
    nothing is left to verify. Without a weight, the box's empty weight plus the products'
    weights is recorded.

    Raises:
        UnverifiedUnits: last box with unverified units and no override.
        PermissionDenied: an override by anyone but a supervisor.
        ValidationError: empty package, bad weight, override without a reason.
        InvalidTransition: no open package (and nothing an override could box).
    """
    actor.require("packer", action="pack orders")
    _check_weight(weight_kg)
    reason = (override_reason or "").strip()
    if override_reason is not None:
        actor.require(action="close a package with unverified units (supervisor override)")
        if not reason:
            raise ValidationError("a supervisor override needs a reason")
    with db.write():
        client_id, number, _status = _lock_order(order_id)
        box_id = _box_by_name(box).id if box else None
        pkg = _open_package_id(order_id)
        unverified = _unverified_total(order_id)
        if final and unverified > 0 and not reason:
            raise UnverifiedUnits(
                f"order {number}: {unverified} picked unit(s) not verified — scan them, or a "
                "supervisor overrides with a reason")
        override = bool(final and unverified > 0 and reason)
        if pkg is None:
            if not override:
                raise InvalidTransition(f"order {number} has no open package to close")
            pkg = _create_package(order_id, client_id, actor=actor, box_id=box_id)
        package_id, seq = pkg
        if override:
            added = _box_unverified(order_id, package_id)
            audit.record("pack_override", actor=actor, client_id=client_id, doc_type="package",
                         doc_id=package_id,
                         detail=f"order {number} package {seq}: closed with {unverified} unverified "
                                f"unit(s) ({', '.join(f'{s} x{q}' for s, q in added)}); reason: {reason}")
            db.execute("UPDATE package SET override_reason = ? WHERE id = ?", (reason, package_id))
            unverified = 0
        units = int(db.execute("SELECT COALESCE(SUM(qty), 0) FROM package_line WHERE package_id = ?",
                               (package_id,)).fetchone()[0])
        if units == 0:
            raise ValidationError(f"package {seq} of order {number} is empty: scan units into it first")
        if box_id is None:
            row = db.execute("SELECT box_type_id FROM package WHERE id = ?", (package_id,)).fetchone()
            box_id = row[0]
        weight = float(weight_kg) if weight_kg is not None else _estimate_weight(package_id, box_id)
        PACKAGE_STATES.guard("open", "closed")
        db.execute("UPDATE package SET status = 'closed', box_type_id = ?, weight_kg = ?, closed_at = ? "
                   "WHERE id = ?", (box_id, weight, clock.now(), package_id))
        audit.status_changed("package", package_id, "open", "closed", actor=actor, client_id=client_id,
                             note=f"override: {reason}" if override else "")
        _sync_packed(order_id)
        complete = unverified == 0
        _recompute_order(order_id, actor)
    return CloseResult(package_view(order_id, seq), complete, unverified, override)


def _check_weight(weight_kg: float | None) -> None:
    if weight_kg is not None and (isinstance(weight_kg, bool) or not isinstance(weight_kg, int | float)
                                  or not 0 < weight_kg <= 1000):
        raise ValidationError(f"package weight must be between 0 and 1000 kg, not {weight_kg!r}")


@dataclass(frozen=True)
class PackResult:
    """What one ``pack`` call did: every scan's outcome and the package it closed, if any."""

    outcomes: tuple[ScanOutcome, ...]
    closed: CloseResult | None

    @property
    def refused(self) -> tuple[ScanOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.accepted)


class _ScansRefused(Exception):
    """Internal: roll the batch back (a scan of it was refused)."""


def pack(order_id: int, *, scans: list[str] | tuple[str, ...] = (), box: str | None = None,
         weight_kg: float | None = None, close: str | None = None,
         override_reason: str | None = None, actor: Actor) -> PackResult:
    """Verify a batch of scans and optionally close the package, all or nothing.

    The command-line and automation use case: if any scan is refused, or the close is
    refused, nothing of the batch is counted or closed; the refused scans are still
    recorded as mis-scans (they happened). ``close``: None (leave the package open),
    ``"next"`` (close this box, more follow) or ``"last"`` (close the last box: refused
    while picked units are unverified unless a supervisor overrides with a reason).

    Raises:
        ValidationError: bad weight, ``close`` value, or an override without ``close="last"``.
        NotFound: unknown box type. UnverifiedUnits, InvalidTransition: see ``close_package``.
    """
    actor.require("packer", action="pack orders")
    if close not in (None, "next", "last"):
        raise ValidationError(f"close must be 'next' or 'last', not {close!r}")
    if override_reason is not None and close != "last":
        raise ValidationError("a supervisor override closes the LAST package: use it with close='last'")
    _check_weight(weight_kg)
    if box:
        _box_by_name(box)
    check_packable(order_id)
    outcomes: list[ScanOutcome] = []
    closed = None
    try:
        with db.write():
            if box and close is None:
                open_package(order_id, box=box, actor=actor)
            for code in scans:
                outcomes.append(verify_scan(order_id, code, actor=actor))
            if any(not o.accepted for o in outcomes):
                raise _ScansRefused
            if close is not None:
                closed = close_package(order_id, box=box, weight_kg=weight_kg, final=close == "last",
                                       override_reason=override_reason, actor=actor)
    except _ScansRefused:
        with db.write():
            client_id, _number, _status = _lock_order(order_id)
            for o in outcomes:
                if not o.accepted:
                    _record_scan(order_id, client_id, None, o.product_id, o.code, o.result, actor)
        return PackResult(tuple(outcomes), None)
    return PackResult(tuple(outcomes), closed)


def _box_unverified(order_id: int, package_id: int) -> list[tuple[str, int]]:
    """Count every unverified picked unit into ``package_id`` (a supervisor's override)."""
    added = []
    verified = _verified_by_line(order_id)
    for line_id, product_id, sku, picked in db.execute(
        "SELECT ol.id, ol.product_id, p.sku, ol.qty_picked FROM order_line ol "
        "JOIN product p ON p.id = ol.product_id WHERE ol.order_id = ? ORDER BY ol.line_no, ol.id",
        (order_id,),
    ).fetchall():
        missing = int(picked) - verified.get(line_id, 0)
        if missing > 0:
            db.execute(
                "INSERT INTO package_line (package_id, order_line_id, product_id, qty) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (package_id, order_line_id) DO UPDATE SET qty = package_line.qty + excluded.qty",
                (package_id, line_id, product_id, missing),
            )
            added.append((sku, missing))
    return added


def complete_packing(order_id: int, *, box: str | None = None, weight_kg: float | None = None,
                     override_reason: str | None = None, actor: Actor) -> CloseResult:
    """Close the last package: ``close_package(final=True)``."""
    return close_package(order_id, box=box, weight_kg=weight_kg, final=True,
                         override_reason=override_reason, actor=actor)


def void_package(order_id: int, *, seq: int, actor: Actor, reason: str = "") -> PackageView:
    """Void a package before it ships: its units go back to unverified (scan them again).

    Raises:
        NotFound: no such package. InvalidTransition: shipped or already void.
    """
    actor.require("packer", action="void packages")
    with db.write():
        client_id, number, _status = _lock_order(order_id, live=False)
        row = db.execute("SELECT id, status FROM package WHERE order_id = ? AND seq = ?",
                         (order_id, seq)).fetchone()
        if row is None:
            raise NotFound(f"order {number} has no package {seq}")
        package_id, status = int(row[0]), row[1]
        PACKAGE_STATES.guard(status, "void", label=f"{seq} of order {number}")
        db.execute("UPDATE package SET status = 'void', voided_at = ? WHERE id = ?",
                   (clock.now(), package_id))
        audit.status_changed("package", package_id, status, "void", actor=actor, client_id=client_id,
                             note=reason)
        audit.record("package_voided", actor=actor, client_id=client_id, doc_type="package",
                     doc_id=package_id, detail=f"order {number} package {seq}: {reason}".strip(": "))
        if status == "closed":
            _sync_packed(order_id)
            _recompute_order(order_id, actor)
    return package_view(order_id, seq)


# --- Shipping -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShipResult:
    order_id: int
    number: str
    order_status: str
    packages: tuple[int, ...]  # seqs shipped now
    units: int
    released: int  # units of leftover reservation released (the rest stays back-ordered)


def ship_order(order_id: int, *, tracking: str, carrier: str = "", service: str = "",
               cost: float | None = None, package_seq: int | None = None,
               actor: Actor) -> ShipResult:
    """Hand the order's closed packages to the carrier.

    Every packed unit moves PACKING -> CUSTOMER (kind 'ship', document the package), the
    lines' shipped quantities rise, the order's status and shipped time follow from them
    (``orders.recompute_status``), and once no package is left to ship any leftover
    reservation of the order's lines is released: the rest of the order stays back-ordered.
    ``cost`` is the shipping cost of each package shipped; ``package_seq`` ships one only.

    Raises:
        ValidationError: no tracking number, bad cost.
        UnverifiedUnits: packing is not complete (units unverified or a package still open).
        InvalidTransition: no closed package to ship.
    """
    actor.require("packer", action="ship orders")
    tracking = _check_tracking(tracking)
    if cost is not None and (isinstance(cost, bool) or not isinstance(cost, int | float)
                             or not 0 <= cost < 100_000):
        raise ValidationError(f"shipping cost must be a positive amount, not {cost!r}")
    carrier, service = _check_text("carrier", carrier, 60), _check_text("service", service, 60)
    with db.write():
        client_id, number, _status = _lock_order(order_id)
        _refuse_our_code_as_tracking(tracking)
        for pid, _seq in db.execute(
            "SELECT pk.id, pk.seq FROM package pk WHERE pk.order_id = ? AND pk.status = 'open' "
            "AND NOT EXISTS (SELECT 1 FROM package_line pl WHERE pl.package_id = pk.id AND pl.qty > 0)",
            (order_id,),
        ).fetchall():  # an empty box the packer opened and did not use
            db.execute("UPDATE package SET status = 'void', voided_at = ? WHERE id = ?", (clock.now(), pid))
            audit.status_changed("package", pid, "open", "void", actor=actor, client_id=client_id,
                                 note="empty at shipping")
        if _open_package_id(order_id) is not None:
            raise UnverifiedUnits(f"order {number}: a package is still open — close it before shipping")
        unverified = _unverified_total(order_id)
        if unverified > 0:
            raise UnverifiedUnits(f"order {number}: {unverified} picked unit(s) not verified — "
                                  "packing is not complete")
        sql = "SELECT id, seq FROM package WHERE order_id = ? AND status = 'closed'"
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
                ledger.apply_move(product_id, packing_loc, customer_loc, int(qty), kind="ship",
                                     actor=actor, reason=f"tracking {tracking}", doc_type="package",
                                     doc_id=package_id, doc_ref=f"{number}/{seq}", client_id=client_id)
                db.execute("UPDATE order_line SET qty_shipped = qty_shipped + ? WHERE id = ?",
                           (int(qty), line_id))
                units += int(qty)
            PACKAGE_STATES.guard("closed", "shipped")
            db.execute("UPDATE package SET status = 'shipped', tracking = ?, carrier = ?, service = ?, "
                       "cost = ?, shipped_at = ? WHERE id = ?",
                       (tracking, carrier, service, cost, now, package_id))
            audit.status_changed("package", package_id, "closed", "shipped", actor=actor,
                                 client_id=client_id, note=" ".join(x for x in (carrier, service, tracking) if x))
        _sync_packed(order_id)
        released = 0
        if not db.execute("SELECT 1 FROM package WHERE order_id = ? AND status IN ('open', 'closed')",
                          (order_id,)).fetchone():
            released = _release_leftover(order_id, actor)
        if carrier or service:
            db.execute('UPDATE "order" SET carrier = CASE WHEN carrier = \'\' THEN ? ELSE carrier END, '
                       'service = CASE WHEN service = \'\' THEN ? ELSE service END WHERE id = ?',
                       (carrier, service, order_id))
        status = _recompute_order(order_id, actor)
    return ShipResult(order_id, number, status, tuple(int(s) for _, s in packages), units, released)


def _check_text(what: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit or any(not ch.isprintable() for ch in value):
        raise ValidationError(f"{what} must be at most {limit} printable characters, not {value!r}")
    return value


def _check_tracking(tracking: str) -> str:
    """The carrier's tracking number: one word of printable characters."""
    tracking = (tracking or "").strip()
    if not tracking:
        raise ValidationError("shipping needs the carrier's tracking number")
    if len(tracking) > 100 or any(not ch.isprintable() or ch.isspace() for ch in tracking):
        raise ValidationError(f"tracking number {tracking[:40]!r} is not valid: one word of at most 100 "
                              "printable characters")
    return tracking


def _refuse_our_code_as_tracking(tracking: str) -> None:
    """A product barcode, an order number or one of our SSCCs scanned into the tracking
    field would ship the order under a number the carrier never issued."""
    from app.catalog.scan import find_product_code

    try:
        is_product = find_product_code(tracking) is not None
    except ValidationError:  # a product code of several clients: still a product barcode
        is_product = True
    what = ""
    if is_product:
        what = "a product barcode"
    elif db.execute('SELECT 1 FROM "order" WHERE number = ?', (tracking,)).fetchone():
        what = "an order number"
    elif db.execute("SELECT 1 FROM package WHERE sscc = ? OR sscc = ?",
                    (tracking, tracking[2:] if tracking.startswith("00") else tracking)).fetchone():
        what = "one of our carton labels (SSCC)"
    if what:
        raise ValidationError(f"{tracking!r} is {what}, not the carrier's tracking number: "
                              "scan the barcode on the carrier's label")


def _release_leftover(order_id: int, actor: Actor) -> int:
    """Release what is still reserved for the order's lines (allocation's own service)."""
    from app.orders import allocation

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
        ledger.stock_arrived(freed, actor=actor)
    return released


# --- Queries for reports -------------------------------------------------------------------


@dataclass(frozen=True)
class MisScanRow:
    key: str  # client code, user name or day, by ``group``
    ok: int
    wrong_item: int
    over_scan: int
    unknown: int
    keyed: int = 0  # product codes typed instead of scanned (refused)

    @property
    def mis_scans(self) -> int:
        return self.wrong_item + self.over_scan + self.unknown + self.keyed

    @property
    def scans(self) -> int:
        return self.ok + self.mis_scans


def mis_scan_counts(*, date_from: dt.date | None = None, date_to: dt.date | None = None,
                    client: str | None = None,
                    group: str = "client") -> list[MisScanRow]:
    """Packing scans by result (ok / wrong item / over-scan / unknown / keyed), grouped by client,
    user or day; ``date_to`` is exclusive (datetimes or dates)."""
    keys = {"client": "c.code", "user": "s.user_name", "day": "s.created_at"}
    if group not in keys:
        raise ValidationError(f"group mis-scans by client, user or day, not {group!r}")
    where: list[str] = []
    params: list[object] = []
    for value, op in ((date_from, ">="), (date_to, "<")):
        if value is not None:
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                value = dt.datetime.combine(value, dt.time())
            where.append(f"s.created_at {op} ?")
            params.append(value)
    if client:
        where.append("c.code = ?")
        params.append(client.strip().upper())
    sql = (f"SELECT {keys[group]}, s.result, COUNT(*) FROM pack_scan s JOIN client c ON c.id = s.client_id"
           + (" WHERE " + " AND ".join(where) if where else "") + f" GROUP BY {keys[group]}, s.result")
    acc: dict[str, dict[str, int]] = {}
    for key, result, count in db.execute(sql, params).fetchall():
        k = str(key)[:10] if group == "day" else str(key)
        acc.setdefault(k, {}).setdefault(result, 0)
        acc[k][result] += int(count)
    return [MisScanRow(k, v.get("ok", 0), v.get("wrong_item", 0), v.get("over_scan", 0), v.get("unknown", 0),
                       v.get("keyed", 0))
            for k, v in sorted(acc.items())]


# --- Documents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _OrderDocInfo:
    number: str
    date: str
    client_name: str
    client_code: str
    logo_path: str
    ship_from: tuple[str, ...]
    ship_to: tuple[str, ...]
    notes: str
    returns_note: str
    carrier: str
    service: str


def _doc_info(order_id: int) -> _OrderDocInfo:
    row = db.execute(
        'SELECT o.number, o.ordered_at, o.received_at, c.name, c.code, c.logo_path, c.address1, c.address2, '
        'c.city, c.province, c.zip, c.country, o.customer_name, o.ship_name, o.ship_company, o.address1, '
        'o.address2, o.city, o.province, o.zip, o.country, o.notes, c.returns_note, o.carrier, o.service '
        'FROM "order" o JOIN client c ON c.id = o.client_id WHERE o.id = ?', (order_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no order #{order_id}")
    (number, ordered_at, received_at, cname, ccode, logo, ca1, ca2, ccity, cprov, czip, ccountry,
     customer, ship_name, company, a1, a2, city, prov, zip_code, country, notes, returns_note,
     carrier, service) = row
    when = ordered_at or received_at
    date = str(when)[:10] if when else ""
    return _OrderDocInfo(
        number, date, cname, ccode, logo or "",
        ship_to_lines(cname, "", ca1, ca2, ccity, cprov, czip, ccountry),
        ship_to_lines(ship_name or customer, company, a1, a2, city, prov, zip_code, country),
        notes or "", returns_note or "", carrier or "", service or "",
    )


def slip_data(order_id: int) -> SlipData:
    """The packing slip's content: every line with ordered / shipped (in this order's live
    packages) / back-ordered remaining."""
    from app.documents.packing_slip import SlipData, SlipLine

    info = _doc_info(order_id)
    in_packages = _verified_by_line(order_id)
    lines = []
    for line_id, sku, name, ordered, shipped, cancelled in db.execute(
        "SELECT ol.id, p.sku, COALESCE(NULLIF(ol.name, ''), p.name), ol.qty_ordered, ol.qty_shipped, "
        "ol.qty_cancelled FROM order_line ol JOIN product p ON p.id = ol.product_id "
        "WHERE ol.order_id = ? ORDER BY ol.line_no, ol.id", (order_id,),
    ).fetchall():
        sent = max(int(shipped), in_packages.get(line_id, 0))
        lines.append(SlipLine(sku, name, int(ordered), sent, max(0, int(ordered) - int(cancelled) - sent)))
    carrier, service = info.carrier, info.service
    if not carrier:  # what the packer chose at shipping, if the order did not say
        row = db.execute("SELECT carrier, service FROM package WHERE order_id = ? AND status <> 'void' "
                         "AND carrier <> '' ORDER BY seq DESC LIMIT 1", (order_id,)).fetchone()
        carrier, service = (row[0], row[1]) if row else ("", service)
    return SlipData(
        client_name=info.client_name, logo_path=info.logo_path, ship_from=info.ship_from,
        ship_to=info.ship_to, order_number=info.number, order_date=info.date, lines=tuple(lines),
        notes=info.notes, returns_note=info.returns_note,
        ship_via=" ".join(x for x in (carrier, service) if x),
    )


def label_data(order_id: int, seq: int) -> LabelData:
    from app.documents.carton_label import LabelData

    info = _doc_info(order_id)
    packages = [p for p in _packages(order_id)]
    pkg = next((p for p in packages if p.seq == seq), None)
    if pkg is None:
        raise NotFound(f"order {info.number} has no package {seq}")
    if pkg.status == "void":
        raise InvalidTransition(f"package {seq} of order {info.number} is void: no label")
    total = sum(1 for p in packages if p.status != "void")
    weight, estimated = pkg.weight_kg, False
    if weight is None and pkg.units:  # printed before the box is weighed (auto-print): an estimate
        box_id = db.execute("SELECT box_type_id FROM package WHERE id = ?", (pkg.id,)).fetchone()[0]
        weight, estimated = _estimate_weight(pkg.id, box_id) or None, True
    return LabelData(
        ship_from=info.ship_from, ship_to=info.ship_to, order_number=info.number,
        package_number=pkg.number, package_count=total, weight_kg=weight, sscc=pkg.sscc,
        carrier=pkg.carrier or info.carrier, service=pkg.service or info.service, tracking=pkg.tracking,
        weight_estimated=estimated and weight is not None,
    )


def manifest_data(order_id: int, seq: int) -> ManifestData:
    from app.documents.package_manifest import ManifestData

    label = label_data(order_id, seq)
    pkg = package_view(order_id, seq)
    info = _doc_info(order_id)
    return ManifestData(
        client_name=info.client_name, order_number=info.number, order_date=info.date,
        ship_to=info.ship_to, package_number=label.package_number, package_count=label.package_count,
        sscc=pkg.sscc, box=pkg.box, weight_kg=pkg.weight_kg, status=pkg.status, tracking=pkg.tracking,
        lines=pkg.lines,
    )


def _default_seq(order_id: int, seq: int | None) -> int:
    if seq is not None:
        return seq
    live = [p for p in _packages(order_id) if p.status != "void"]
    if not live:
        raise NotFound("the order has no package yet: verify units into one first")
    return live[-1].seq


def render_slip(order_id: int) -> bytes:
    from app.documents.packing_slip import render_packing_slip

    return render_packing_slip(slip_data(order_id))


def render_carton_label(order_id: int, *, seq: int | None = None, fmt: str = "pdf") -> bytes:
    """A package's 4x6 carton label as PDF or ZPL (the last live package if ``seq`` is None)."""
    from app.documents import carton_label

    data = label_data(order_id, _default_seq(order_id, seq))
    if fmt == "pdf":
        return carton_label.render_carton_label_pdf(data)
    if fmt == "zpl":
        return carton_label.render_carton_label_zpl(data)
    raise ValidationError(f"carton label format must be pdf or zpl, not {fmt!r}")


def render_manifest(order_id: int, *, seq: int | None = None) -> bytes:
    from app.documents.package_manifest import render_package_manifest

    return render_package_manifest(manifest_data(order_id, _default_seq(order_id, seq)))


@dataclass(frozen=True)
class PrintResult:
    sent: tuple[str, ...] = field(default_factory=tuple)  # what went where, for the status line


def print_documents(order_id: int, *, label_target: str = "", document_target: str = "",
                    slip: bool = True, labels: bool = True, actor: Actor) -> PrintResult:
    """Send the slip (PDF) to the document printer and every live package's carton label
    (ZPL) to the label printer; an empty target skips that document. Recorded in the audit."""
    from app.devices import printing

    sent = []
    if slip and document_target:
        printing.send_pdf(document_target, render_slip(order_id))
        sent.append(f"slip -> {document_target}")
    if labels and label_target:
        for p in _packages(order_id):
            if p.status != "void":
                printing.send_zpl(label_target, render_carton_label(order_id, seq=p.seq, fmt="zpl"))
                sent.append(f"label {p.number} -> {label_target}")
    if sent:
        client_id = _order_row(order_id)[3]
        with db.write():
            audit.record("documents_printed", actor=actor, client_id=client_id, doc_type="order",
                         doc_id=order_id, detail="; ".join(sent))
    return PrintResult(tuple(sent))


__all__ = [
    "ACK_CODES", "BoxSuggestion", "BoxTypeRow", "CloseResult", "MisScanRow", "PackLineView",
    "PackResult", "PackTarget", "PackageView", "PackingView", "PrintResult", "ScanOutcome", "ShipResult",
    "StationScan", "UnverifiedUnits", "add_box_type", "close_package", "complete_packing",
    "deactivate_box_type", "find_order", "get_setting", "gs1_company_prefix", "is_ack_code",
    "label_data", "list_box_types", "manifest_data", "mis_scan_counts",
    "open_for_packing", "open_package", "pack", "packing_view", "parse_dims", "print_documents",
    "render_carton_label", "render_manifest", "render_slip", "set_setting", "ship_order",
    "slip_data", "station_scan", "suggest_box", "suggest_box_for", "update_box_type",
    "verify_scan", "void_package",
]
