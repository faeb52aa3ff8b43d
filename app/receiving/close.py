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
    damaged: int
    short: int




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
                       detail.total_damaged, detail.total_remaining)
