"""The box catalog: the box types a warehouse keeps, and the box suggested for an order."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.kernel import units as unit_system
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, NotFound, ValidationError
from app.kernel.text import counted
from app.store import audit, changes, db
from app.store.models import BoxType

# Items fill a box only so well: the box's inner volume must exceed theirs by this factor,
# and their weight must stay this far under the box's maximum.
BOX_VOLUME_MARGIN = 1.15
BOX_WEIGHT_MARGIN = 0.95


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

    @property
    def dims_text(self) -> str:
        """The inner size as the warehouse reads it: ``30x20x15 cm`` or ``11.8 x 7.9 x 5.9 in``."""
        return size_text(self.length_cm, self.width_cm, self.height_cm)


def size_text(length_cm: float, width_cm: float, height_cm: float) -> str:
    """A box's or item's sides in the warehouse's unit."""
    if unit_system.system() == "metric":
        return f"{length_cm:g}x{width_cm:g}x{height_cm:g} cm"
    return unit_system.dimensions_text(length_cm, width_cm, height_cm)


def _box_row(b: BoxType) -> BoxTypeRow:
    return BoxTypeRow(b.id, b.name, b.length_cm, b.width_cm, b.height_cm, b.weight_kg,
                      b.max_weight_kg, b.active)


def parse_dims(text: str) -> tuple[float, float, float]:
    """'30x20x15' -> (30.0, 20.0, 15.0) cm: numbers in the warehouse's unit (inches in a US
    warehouse), or followed by their own (``12x8x4 in``, ``30x20x15 cm``).

    Raises:
        ValidationError: not three positive numbers separated by x.
    """
    match = re.fullmatch(r"\s*(.*?)\s*(cm|mm|in|\")?\s*", text or "")
    body, unit = (match.group(1), match.group(2) or "") if match else ("", "")
    parts = re.split(r"\s*[xX×*]\s*", body)
    try:
        dims = tuple(float(unit_system.parse_length(f"{p} {unit}".strip())) for p in parts)
    except ValueError:
        dims = ()
    example = "30x20x15" if unit_system.system() == "metric" else "12x8x6"
    if len(dims) != 3 or any(not d > 0 or d > 1000 for d in dims):
        raise ValidationError(f"dimensions must look like {example} ({unit_system.length_unit()}), "
                              f"not {text!r}")
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
    actor.require_to("configure box types")
    name = name.strip()
    if not name or len(name) > 60:
        raise ValidationError("a box type needs a name of at most 60 characters")
    _check_box_numbers(length_cm, width_cm, height_cm, weight_kg, max_weight_kg)
    with db.write():
        if BoxType.select().where(BoxType.name == name).exists():
            raise Conflict(f"box type {name} exists already")
        b = BoxType.create(name=name, length_cm=length_cm, width_cm=width_cm, height_cm=height_cm,
                           weight_kg=weight_kg, max_weight_kg=max_weight_kg)
        changes.changed("box", b.id)  # the packing screens offer it
        audit.record("box_type_added", actor=actor,
                     detail=f"{name} {length_cm:g}x{width_cm:g}x{height_cm:g} {weight_kg:g} kg")
    return _box_row(b)


def update_box_type(name: str, *, actor: Actor, **fields: float | bool) -> BoxTypeRow:
    """Change a box type's dimensions, weights or ``active`` flag (supervisors only)."""
    actor.require_to("configure box types")
    allowed = {"length_cm", "width_cm", "height_cm", "weight_kg", "max_weight_kg", "active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"unknown box type fields: {', '.join(sorted(unknown))}")
    with db.write():
        b = box_by_name(name, include_inactive=True)
        for key, value in fields.items():
            setattr(b, key, value)
        _check_box_numbers(b.length_cm, b.width_cm, b.height_cm, b.weight_kg, b.max_weight_kg)
        b.save()
        changes.changed("box", b.id)
        audit.record("box_type_changed", actor=actor, detail=f"{b.name}: {fields}")
    return _box_row(b)


def deactivate_box_type(name: str, *, actor: Actor) -> BoxTypeRow:
    """Retire a box type (packages keep pointing at it; it is no longer offered)."""
    return update_box_type(name, active=False, actor=actor)


def list_box_types(*, include_inactive: bool = False) -> list[BoxTypeRow]:
    """The box types offered (retired ones too with ``include_inactive``), smallest first."""
    q = BoxType.select()
    if not include_inactive:
        q = q.where(BoxType.active == True)  # noqa: E712
    rows = [_box_row(b) for b in q]
    return sorted(rows, key=lambda r: (r.volume_cm3, r.name))


def box_by_name(name: str, *, include_inactive: bool = False) -> BoxType:
    """A box type by name (exact, else ignoring case).

    Raises:
        NotFound: no such box type (or a retired one, unless ``include_inactive``).
    """
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
                             f"{box.name} ({box.dims_text}) for {counted(units, 'unit')}, "
                             f"{unit_system.weight_text(weight)}")
    if not boxes:
        return BoxSuggestion(None, units, volume, weight, "no box types configured")
    return BoxSuggestion(None, units, volume, weight,
                         f"no single box fits {counted(units, 'unit')} ({volume:,.0f} cm³, "
                         f"{unit_system.weight_text(weight)}): "
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

