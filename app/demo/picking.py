"""Demo pick list: one open wave from the demo's allocated orders, ready to walk and scan."""

from __future__ import annotations

from app import picking
from app.kernel.actor import Actor
from app.kernel.errors import ValidationError
from app.kernel.text import counted

DEMO_CART_TOTES = 8


def add_demo_documents(*, actor: Actor) -> list[str]:
    """One open pick list of up to 8 allocated demo orders; nothing when none is allocated."""
    try:
        ref = picking.create_picklist(actor=actor, max_orders=DEMO_CART_TOTES)
    except ValidationError:
        return []
    stop = picking.next_stop(ref.id)
    first = f"; first stop {stop.bin_code}" if stop else ""
    return [f"demo: pick list {ref.number} with {counted(ref.orders, 'order')}, {counted(ref.units, 'unit')}{first}"]
