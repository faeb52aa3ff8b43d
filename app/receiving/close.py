"""Closing an inbound shipment: no more scans; what did not arrive is short on the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.states import ShipmentStatus
from app.receiving.shipments import guard, lock_shipment, shipment_detail
from app.store import audit, db
from app.store.models import InboundShipment


@dataclass(frozen=True)
class CloseResult:
    shipment_id: int
    ref: str
    closed_at: dt.datetime
    expected: int
    received: int
    damaged: int  # arrived damaged
    short: int
    expiry_held: int = 0  # held in QUARANTINE for being expired or short-dated

    @property
    def message(self) -> str:
        held = f", {self.expiry_held} held for expiry" if self.expiry_held else ""
        return (f"{self.ref} closed: {self.received} received, {self.damaged} damaged{held}, "
                f"{self.short} short of {self.expected} expected")




def close_shipment(shipment_id: int, *, actor: Actor, note: str = "") -> CloseResult:
    """Freeze a shipment: no more scans; what did not arrive is short on the report.

    Raises:
        InvalidTransition: closed or cancelled already.
    """
    actor.require_to("close inbound shipments")
    with db.write():
        sid, ref, client_id, status = lock_shipment(shipment_id)
        guard(ref, status, ShipmentStatus.CLOSED)
        now = clock.now()
        audit.transition(ShipmentStatus, sid, status, ShipmentStatus.CLOSED, actor=actor,
                         client_id=client_id, note=note, label=f"shipment {ref}")
        InboundShipment.update(closed_at=now, closed_by=actor.name).where(
            InboundShipment.id == sid).execute()
        detail = shipment_detail(sid)
    return CloseResult(sid, ref, now, detail.total_expected, detail.total_received,
                       detail.total_damaged_only, detail.total_remaining,
                       detail.total_expiry_held)
