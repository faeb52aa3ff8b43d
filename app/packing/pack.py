"""The pack command: a batch of scans and the close of its package, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass

from app.kernel.actor import Actor
from app.kernel.errors import ValidationError
from app.packing.boxes import box_by_name
from app.packing.opening import check_packable
from app.packing.packages import CloseResult, check_weight, close_package, lock_order, open_package
from app.packing.scan import ScanOutcome, record_scan, verify_scan
from app.store import db


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
        ValidationError: bad weight, a weight without ``close`` (it is the closed box's), a bad
            ``close`` value, or an override without ``close="last"``.
        NotFound: unknown box type. UnverifiedUnits, InvalidTransition: see ``close_package``.
    """
    actor.require_to("pack orders")
    if close not in (None, "next", "last"):
        raise ValidationError(f"close must be 'next' or 'last', not {close!r}")
    if override_reason is not None and close != "last":
        raise ValidationError("a supervisor override closes the LAST package: use it with close='last'")
    check_weight(weight_kg)
    if weight_kg is not None and close is None:
        raise ValidationError("a weight is the weight of the box being closed: close it (last or next box) "
                              "with its weight")
    if box:
        box_by_name(box)
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
            client_id, _number, _status = lock_order(order_id)
            for o in outcomes:
                if not o.accepted:
                    record_scan(order_id, client_id, None, o.product_id, o.code, o.result, actor)
        return PackResult(tuple(outcomes), None)
    return PackResult(tuple(outcomes), closed)
