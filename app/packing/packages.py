"""Packages: open, close (with a supervisor's override), void; their weights and contents.

Every state move of a package goes through ``audit.transition`` and the table in
``kernel.states``; the order's packed quantities and status follow the packages.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.kernel import clock, states, units
from app.kernel.actor import Actor
from app.kernel.errors import InvalidTransition, NotFound, PrepDeskError, ValidationError
from app.kernel.states import OrderStatus, PackageStatus
from app.kernel.text import counted
from app.orders.status import recompute_status
from app.packing.boxes import box_by_name
from app.packing.opening import check_packable
from app.packing.station_settings import new_sscc
from app.packing.view import PackageView, package_view, unverified_total, verified_by_line
from app.store import audit, changes, db


class UnverifiedUnits(PrepDeskError):  # noqa: N818 - named like NotFound, OutOfStock
    """The last package would close (or the order ship) with picked units not scanned."""


def lock_order(order_id: int, *, live: bool = True) -> tuple[int, str, str]:
    """Lock the order row (PostgreSQL; SQLite holds the write lock) and read it.

    ``live``: refuse a cancelled order (nothing of it may be packed or shipped).
    """
    row = db.execute(f'SELECT client_id, number, status FROM "order" WHERE id = ?{db.for_update()}',
                     (order_id,)).fetchone()
    if row is None:
        raise NotFound(f"no order #{order_id}")
    if live and row[2] == OrderStatus.CANCELLED:
        raise InvalidTransition(f"order {row[1]} is cancelled: do not pack or ship it")
    return int(row[0]), row[1], row[2]


def open_package_id(order_id: int) -> tuple[int, int] | None:
    """The order's open package as (id, seq), if it has one."""
    row = db.execute(f"SELECT id, seq FROM package WHERE order_id = ? AND status = '{PackageStatus.OPEN}' "
                     "ORDER BY seq LIMIT 1", (order_id,)).fetchone()
    return (int(row[0]), int(row[1])) if row else None


def create_package(order_id: int, client_id: int, *, actor: Actor, box_id: int | None = None) -> tuple[int, int]:
    """A new open package for the order, with the next SSCC; returns (id, seq)."""
    seq = int(db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM package WHERE order_id = ?",
                         (order_id,)).fetchone()[0])
    row = db.execute(
        "INSERT INTO package (order_id, client_id, seq, box_type_id, sscc, status, carrier, service, "
        f"tracking, created_at, override_reason) VALUES (?, ?, ?, ?, ?, '{PackageStatus.OPEN}', '', '', '', ?, '') RETURNING id",
        (order_id, client_id, seq, box_id, new_sscc(), clock.now()),
    ).fetchone()
    package_id = int(row[0])
    audit.transition(PackageStatus, package_id, "", PackageStatus.OPEN, actor=actor, client_id=client_id,
                     write=False)
    # A new box changes its order: a screen showing the order elsewhere knows none of its
    # boxes yet, and learns this one by the order's id.
    changes.changed("order", order_id)
    changes.changed("package", package_id)
    return package_id, seq


def open_package(order_id: int, *, box: str | None = None, actor: Actor) -> PackageView:
    """Start the next package of an order (or set the box of the one already open)."""
    actor.require_to("pack orders")
    check_packable(order_id)
    with db.write():
        client_id, _number, _status = lock_order(order_id)
        box_id = box_by_name(box).id if box else None
        pkg = open_package_id(order_id)
        if pkg is None:
            pkg = create_package(order_id, client_id, actor=actor, box_id=box_id)
        elif box_id is not None:
            db.execute("UPDATE package SET box_type_id = ? WHERE id = ?", (box_id, pkg[0]))
            changes.changed("package", pkg[0])
    return package_view(order_id, pkg[1])


@dataclass(frozen=True)
class CloseResult:
    package: PackageView
    packing_complete: bool
    unverified: int  # picked units still to verify (0 once packing is complete)
    override: bool


def estimate_weight(package_id: int, box_id: int | None) -> float:
    """The box's empty weight plus its products' weights, in kg."""
    row = db.execute(
        "SELECT COALESCE(SUM(p.weight_kg * pl.qty), 0) FROM package_line pl "
        "JOIN product p ON p.id = pl.product_id WHERE pl.package_id = ?", (package_id,)).fetchone()
    tare = 0.0
    if box_id is not None:
        tare = float(db.execute("SELECT weight_kg FROM box_type WHERE id = ?", (box_id,)).fetchone()[0])
    return round(float(row[0]) + tare, 3)


def sync_packed(order_id: int) -> None:
    """qty_packed of each line = its units in closed or shipped packages."""
    db.execute(
        "UPDATE order_line SET qty_packed = COALESCE((SELECT SUM(pl.qty) FROM package pk "
        "JOIN package_line pl ON pl.package_id = pk.id WHERE pk.order_id = order_line.order_id "
        f"AND pl.order_line_id = order_line.id AND pk.status IN ('{PackageStatus.CLOSED}', '{PackageStatus.SHIPPED}')), 0) "
        "WHERE order_id = ?", (order_id,),
    )
    changes.changed("order", order_id)


def close_package(order_id: int, *, box: str | None = None, weight_kg: float | None = None,
                  final: bool | None = None, override_reason: str | None = None,
                  estimate: bool | None = None, actor: Actor) -> CloseResult:
    """Close the order's open package.

    ``final`` True means "this is the last box": packing completes, which is refused while
    any picked unit is unverified, unless a supervisor overrides with a reason — the
    unverified units are then counted into this box without a scan, and the override is
    recorded on the package and in the audit trail. ``final`` False closes this box and
    leaves the rest for the next one ("Next box"). ``None`` closes, and completes packing if
    nothing is left to verify. Without a weight, the box's empty weight plus the products'
    weights is recorded as an estimate (``weight_estimated``; labels print it as "est."). The
    packing screen passes ``estimate``: False refuses to close an unweighed box, True takes
    the estimate on purpose (None, the command line's default, takes it silently).

    Raises:
        UnverifiedUnits: last box with unverified units and no override.
        PermissionDenied: an override by anyone but a supervisor.
        ValidationError: empty package, bad weight, override without a reason.
        InvalidTransition: no open package (and nothing an override could box).
    """
    actor.require_to("pack orders")
    check_weight(weight_kg)
    reason = (override_reason or "").strip()
    if override_reason is not None:
        actor.require_to("close a package with unverified units")
        if not reason:
            raise ValidationError("a supervisor override needs a reason")
    with db.write():
        client_id, number, _status = lock_order(order_id)
        box_id = box_by_name(box).id if box else None
        pkg = open_package_id(order_id)
        unverified = unverified_total(order_id)
        if final and unverified > 0 and not reason:
            raise UnverifiedUnits(
                f"order {number}: {counted(unverified, 'picked unit')} not verified — scan them, or a "
                "supervisor overrides with a reason")
        override = bool(final and unverified > 0 and reason)
        if pkg is None:
            if not override:
                raise InvalidTransition(f"order {number} has no open package to close")
            pkg = create_package(order_id, client_id, actor=actor, box_id=box_id)
        package_id, seq = pkg
        if override:
            added = _box_unverified(order_id, package_id)
            audit.record("pack_override", actor=actor, client_id=client_id, doc_type="package",
                         doc_id=package_id,
                         detail=f"order {number} package {seq}: closed with {counted(unverified, 'unverified unit')} "
                                f"({', '.join(f'{s} x{q}' for s, q in added)}); reason: {reason}")
            db.execute("UPDATE package SET override_reason = ? WHERE id = ?", (reason, package_id))
            unverified = 0
        units = int(db.execute("SELECT COALESCE(SUM(qty), 0) FROM package_line WHERE package_id = ?",
                               (package_id,)).fetchone()[0])
        if units == 0:
            raise ValidationError(f"package {seq} of order {number} is empty: scan units into it first")
        if weight_kg is None and estimate is False:
            raise ValidationError(f"weigh package {seq} of order {number}: type its weight, "
                                  "or tick 'Use estimate'")
        if box_id is None:
            row = db.execute("SELECT box_type_id FROM package WHERE id = ?", (package_id,)).fetchone()
            box_id = row[0]
        # Without a scale's weight the estimate is kept, marked as one (labels say "est.").
        weight = float(weight_kg) if weight_kg is not None else estimate_weight(package_id, box_id)
        audit.transition(PackageStatus, package_id, PackageStatus.OPEN, PackageStatus.CLOSED, actor=actor,
                         client_id=client_id, note=f"override: {reason}" if override else "",
                         label=f"package {seq} of order {number}")
        db.execute("UPDATE package SET box_type_id = ?, weight_kg = ?, weight_estimated = ?, closed_at = ? "
                   "WHERE id = ?", (box_id, weight, weight_kg is None, clock.now(), package_id))
        sync_packed(order_id)
        complete = unverified == 0
        recompute_status(order_id, actor=actor)
    return CloseResult(package_view(order_id, seq), complete, unverified, override)


def parse_weight(text: str) -> float | None:
    """A package weight as typed (station field, command line) in kg: a bare number is in the
    warehouse's unit (lb in a US warehouse), ``40 oz``, ``1.2 kg``, ``700 g`` say their own;
    empty is "not weighed" (None).

    Raises:
        ValidationError: not a weight, or not between 0 and 1000 kg.
    """
    if not (text or "").strip():
        return None
    try:
        kg = float(units.parse_weight(text))
    except ValueError as exc:
        raise ValidationError(f"package weight: {exc}") from None
    check_weight(kg)
    return kg


def check_weight(weight_kg: float | None) -> None:
    """Refuse a package weight that is no number of kg between 0 and 1000."""
    if weight_kg is not None and (isinstance(weight_kg, bool) or not isinstance(weight_kg, int | float)
                                  or not 0 < weight_kg <= 1000):
        raise ValidationError(f"package weight must be between 0 and 1000 kg, not {weight_kg!r}")


def _box_unverified(order_id: int, package_id: int) -> list[tuple[str, int]]:
    """Count every unverified picked unit into ``package_id`` (a supervisor's override)."""
    added = []
    verified = verified_by_line(order_id)
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
    actor.require_to("void packages")
    with db.write():
        client_id, number, _status = lock_order(order_id, live=False)
        row = db.execute("SELECT id, status FROM package WHERE order_id = ? AND seq = ?",
                         (order_id, seq)).fetchone()
        if row is None:
            raise NotFound(f"order {number} has no package {seq}")
        package_id, status = int(row[0]), row[1]
        if not states.allowed(PackageStatus, status, PackageStatus.VOID):
            # the table decides; the refusal names the states as the packer sees them listed
            raise InvalidTransition(f"package {seq} of order {number} cannot go from {status} to void")
        audit.transition(PackageStatus, package_id, status, PackageStatus.VOID, actor=actor,
                         client_id=client_id, note=reason, label=f"package {seq} of order {number}")
        db.execute("UPDATE package SET voided_at = ? WHERE id = ?", (clock.now(), package_id))
        audit.record("package_voided", actor=actor, client_id=client_id, doc_type="package",
                     doc_id=package_id, detail=f"order {number} package {seq}: {reason}".strip(": "))
        if status == PackageStatus.CLOSED:
            sync_packed(order_id)
            recompute_status(order_id, actor=actor)
    return package_view(order_id, seq)
