"""The product editor: a supervisor changes a product's name, barcodes and case packs, weight and
size (typed in the warehouse's units), reorder point, packing instructions, prep services, unit
cost, lot tracking and whether it is active, all in one audited transaction."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.catalog.owners import refuse_foreign
from app.catalog.products import CENT, _link, parse_unit_cost
from app.catalog.scan import product_code
from app.kernel import units
from app.kernel.actor import Actor
from app.kernel.barcodes import normalize_code
from app.kernel.errors import NotFound, ValidationError
from app.kernel.text import INT_MAX, check_length, check_text, counted
from app.store import audit, changes, db
from app.store.models import Product, ProductBarcode

# Prep work a product may need on every unit packed (billed per unit).
PREP_SERVICES = ("label", "polybag", "bubble_wrap", "insert", "bundle")
MAX_WEIGHT_KG = Decimal(2000)
MAX_SIDE_CM = Decimal(1000)

FIELDS = ("name", "add_barcodes", "remove_barcodes", "weight", "dimensions", "reorder_point",
          "packing_instructions", "prep_services", "unit_cost", "track_lot", "track_expiry", "active")


@dataclass(frozen=True)
class ProductDetail:
    """Everything the product editor shows (weights in kg, sizes in cm, as stored)."""

    id: int
    client_code: str
    sku: str
    name: str
    weight_kg: float
    length_cm: float
    width_cm: float
    height_cm: float
    reorder_point: int
    packing_instructions: str
    prep_services: tuple[str, ...]
    unit_cost: Decimal | None
    track_lot: bool
    track_expiry: bool
    active: bool
    barcodes: tuple[tuple[str, str, int], ...]  # (code, kind, pack_qty)


def product_detail(product_id: int) -> ProductDetail:
    p = Product.get_or_none(Product.id == product_id)
    if p is None:
        raise NotFound(f"no product #{product_id}")
    codes = tuple((b.code, b.kind, b.pack_qty) for b in
                  ProductBarcode.select().where(ProductBarcode.product == p.id).order_by(ProductBarcode.id))
    cost = None if p.unit_cost is None else Decimal(p.unit_cost).quantize(CENT)
    return ProductDetail(
        p.id, p.client.code, p.sku, p.name, float(p.weight_kg or 0), float(p.length_cm or 0),
        float(p.width_cm or 0), float(p.height_cm or 0), int(p.reorder_point or 0), p.packing_instructions or "",
        parse_prep_services(p.prep_services or ""), cost, bool(p.track_lot), bool(p.track_expiry),
        bool(p.active), codes,
    )


def parse_prep_services(value: str | Iterable[str]) -> tuple[str, ...]:
    """Prep service names (a comma-separated text or names) in PREP_SERVICES order, each once.

    Raises:
        ValidationError: a name that is not one of PREP_SERVICES.
    """
    names = value.split(",") if isinstance(value, str) else list(value)
    wanted = set()
    for raw in names:
        name = str(raw).strip().lower().replace(" ", "_").replace("-", "_")
        if not name:
            continue
        if name not in PREP_SERVICES:
            raise ValidationError(f"unknown prep service {str(raw).strip()!r}: use {', '.join(PREP_SERVICES)}")
        wanted.add(name)
    return tuple(n for n in PREP_SERVICES if n in wanted)


def parse_weight_kg(text: str) -> float:
    """A typed weight ("2 lb", "700 g", a bare number in the warehouse's unit) in kg, 4 decimals."""
    try:
        kg = units.parse_weight(str(text))
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if kg > MAX_WEIGHT_KG:
        raise ValidationError(f"weight {text!r} is over {units.weight_text(MAX_WEIGHT_KG)}")
    return float(kg.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


_SIDES = re.compile(r"\s*[x×*]\s*", re.IGNORECASE)
_UNIT = re.compile(r"[a-zA-Z\"]+\s*$")


def parse_dimensions_cm(text: str) -> tuple[float, float, float]:
    """Typed length x width x height ("30x20x10", "12 x 8 x 4 in", "30cm x 20cm x 1m") in cm.

    A unit after the last side applies to the sides without their own; a bare number is in
    the warehouse's unit. "0x0x0" clears the size.
    """
    sides = [s.strip() for s in _SIDES.split(str(text).strip())]
    if len(sides) != 3 or not all(sides):
        raise ValidationError(f"size {text!r} must be length x width x height, e.g. 30x20x10 "
                              f"{units.length_unit()}")
    unit = _UNIT.search(sides[2])
    out = []
    for side in sides:
        typed = side if _UNIT.search(side) or unit is None else f"{side} {unit.group().strip()}"
        try:
            cm = units.parse_length(typed)
        except ValueError as exc:
            raise ValidationError(str(exc).replace("length", "size")) from None
        if cm > MAX_SIDE_CM:
            raise ValidationError(f"size {text!r}: a side over {units.length_text(MAX_SIDE_CM)}")
        out.append(float(cm.quantize(CENT, rounding=ROUND_HALF_UP)))
    return out[0], out[1], out[2]


def _flag(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"{field.replace('_', ' ')} must be yes or no")
    return value


def _barcode_pairs(value: object) -> list[tuple[str, int]]:
    pairs = []
    for item in value or ():  # type: ignore[attr-defined]
        code, qty = (item, 1) if isinstance(item, str) else item
        # A GS1 code names its product by its GTIN (its lot and expiry describe the units in
        # hand, its separators are no part of a code): the GTIN is the barcode kept, checked
        # like any other.
        code = check_text(product_code(str(code).strip()), "barcode")
        if not code:
            raise ValidationError("empty barcode")
        check_length(code, "a barcode", ProductBarcode.code.max_length)
        if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= INT_MAX:
            raise ValidationError(f"pack quantity of {code} must be a whole number of at least 1, not {qty!r}")
        pairs.append((code, qty))
    return pairs


def _clean(fields: dict[str, object]) -> dict[str, Any]:
    """The stored values of the given fields; ValidationError for the first bad one."""
    out: dict[str, Any] = {}
    for field, value in fields.items():
        if field == "name":
            name = check_text(str(value).strip(), "product name")
            if not name or len(name) > 300:
                raise ValidationError("a product name is 1 to 300 characters")
            out["name"] = name
        elif field == "weight":
            out["weight_kg"] = parse_weight_kg(str(value)) if str(value).strip() else 0.0
        elif field == "dimensions":
            sides = parse_dimensions_cm(str(value)) if str(value).strip() else (0.0, 0.0, 0.0)
            out["length_cm"], out["width_cm"], out["height_cm"] = sides
        elif field == "reorder_point":
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= INT_MAX:
                raise ValidationError(f"reorder point must be a whole number of 0 or more, not {value!r}")
            out["reorder_point"] = value
        elif field == "packing_instructions":
            out[field] = check_text(str(value).strip(), "packing instructions", multiline=True)
        elif field == "prep_services":
            out[field] = ",".join(parse_prep_services(value))  # type: ignore[arg-type]
        elif field == "unit_cost":
            out[field] = parse_unit_cost(value)
        elif field in ("track_lot", "track_expiry", "active"):
            out[field] = _flag(field, value)
        elif field == "add_barcodes":
            out[field] = _barcode_pairs(value)
        elif field == "remove_barcodes":
            out[field] = [normalize_code(check_text(str(c).strip(), "barcode")) for c in value or ()]  # type: ignore[attr-defined]
    return out


def _lot_stock(product_id: int) -> int:
    row = db.execute("SELECT COALESCE(SUM(on_hand), 0) FROM stock_level WHERE product_id = ? AND lot <> ''",
                     (product_id,)).fetchone()
    return int(row[0])


def update_product(product: int, *, actor: Actor, **fields: object) -> ProductDetail:
    """Change the given fields of product ``product`` (its id) in one transaction.

    Fields: name; add_barcodes (codes or (code, pack_qty) pairs: a pack quantity over 1 is a
    case pack; a code the product has already gets the new pack quantity; a GS1 code adds
    its GTIN); remove_barcodes;
    weight (typed, e.g. "2 lb"; a bare number is in the warehouse's unit); dimensions
    ("30x20x10", "12x8x4 in"); reorder_point; packing_instructions; prep_services (names from
    PREP_SERVICES, a list or a comma-separated text); unit_cost (money, "" or None clears);
    track_lot, track_expiry, active (bool).

    Raises:
        PermissionDenied: not a supervisor.
        NotFound: no such product.
        ValidationError: a bad value, an unknown prep service, a barcode of another product,
            tracking turned off while lot stock exists; nothing changed.
    """
    actor.require_to("edit products")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationError(f"unknown product fields: {', '.join(sorted(unknown))}")
    values = _clean(fields)
    adds = values.pop("add_barcodes", [])
    removes = values.pop("remove_barcodes", [])
    with db.write():
        p = Product.get_or_none(Product.id == product)
        if p is None:
            raise NotFound(f"no product #{product}")
        before = product_detail(p.id)
        said: list[str] = []
        for field, value in values.items():
            old = getattr(p, field)
            if field == "unit_cost":
                old = None if old is None else Decimal(old).quantize(CENT)
            if old != value:
                said.append(f"{field} {_shown(old)} -> {_shown(value)}")
        tracked = values.get("track_lot", before.track_lot) or values.get("track_expiry", before.track_expiry)
        if (before.track_lot or before.track_expiry) and not tracked:
            held = _lot_stock(p.id)
            if held:
                raise ValidationError(f"{p.sku} has {counted(held, 'unit')} in stock by lot: lot tracking stays on "
                                      "until they are gone")
        if values:
            Product.update(**values).where(Product.id == p.id).execute()
        own = {code: qty for code, _kind, qty in before.barcodes}
        for norm in removes:
            if norm not in own:
                raise ValidationError(f"{norm} is not a barcode of {p.sku}")
            ProductBarcode.delete().where((ProductBarcode.product == p.id) & (ProductBarcode.code == norm)).execute()
            own.pop(norm)
            said.append(f"barcode {norm} removed")
        for code, qty in adds:
            norm = normalize_code(code)
            if norm in own:
                if own[norm] != qty:
                    ProductBarcode.update(pack_qty=qty, kind="case" if qty > 1 else "alias").where(
                        (ProductBarcode.product == p.id) & (ProductBarcode.code == norm)).execute()
                    said.append(f"barcode {norm} x{own[norm]} -> x{qty}")
                    own[norm] = qty
                continue
            refuse_foreign(code, client_id=p.client_id, client_code=p.client.code)
            _link(p, p.client_id, code, "case" if qty > 1 else None, qty)
            own[norm] = qty
            said.append(f"barcode {norm} x{qty} added")
        if said:
            audit.record("product_changed", actor=actor, client_id=p.client_id, detail=f"{p.sku}: " + "; ".join(said))
            changes.changed("product", p.id)
    return product_detail(product)


def _shown(value: object) -> str:
    text = "" if value is None else str(value)
    return repr(text[:40]) if isinstance(value, str) else text or "none"
