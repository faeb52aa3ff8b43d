"""Demo inbound shipments: two open ASNs, with expected dates, that bring out-of-stock products."""

from __future__ import annotations

import datetime as dt

from app import receiving
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.text import counted
from app.store.models import Client, Product

DEMO_ASNS = (
    # (client, ref, days from today, [(sku, qty)])
    ("ACME", "ASN-ACME-1001", 2, [("ACM-0009", 24), ("ACM-0018", 12), ("ACM-0001", 30), ("ACM-0011", 6)]),
    ("BLOOM", "ASN-BLOOM-2001", 5, [("BLO-0009", 48), ("BLO-0002", 20), ("BLO-0027", 10)]),
)


def add_demo_documents(*, actor: Actor) -> list[str]:
    """Create the demo ASNs whose products exist; returns one summary line per shipment."""
    lines: list[str] = []
    for client_code, ref, days, wanted in DEMO_ASNS:
        client = Client.get_or_none(Client.code == client_code)
        if client is None:
            continue
        known = {p.sku for p in Product.select(Product.sku).where(
            (Product.client == client.id) & (Product.sku.in_([s for s, _ in wanted])))}
        items = [(sku, qty) for sku, qty in wanted if sku in known]
        if not items:
            continue
        eta = clock.local_today() + dt.timedelta(days=days)
        receiving.create_shipment(client_code, ref, items, actor=actor, expected_date=eta,
                                  carrier="UPS Freight", notes="demo shipment")
        lines.append(f"inbound shipment {ref} ({client_code}): {counted(len(items), 'line')}, "
                     f"{counted(sum(q for _, q in items), 'unit')} expected {eta.isoformat()}")
    return lines
