"""Demo orders: about thirty orders across the demo clients, taken in over the last four hours,
allocated, some back-ordered."""

from __future__ import annotations

import datetime as dt
import random

from app import orders
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.text import counted
from app.orders import allocation
from app.store import db

CUSTOMERS = (
    ("Zoë Müller", "zoe.mueller@example.de", "Königstraße 5, Hinterhaus", "Dresden", "", "01067", "DE"),
    ("José Ramírez", "jose@example.com", "12 Elm St, Apt 4", "Boston", "MA", "02134", "US"),
    ("山田 太郎", "taro@example.jp", "千代田区丸の内1-1", "東京", "13", "100-0005", "JP"),
    ("Åsa Öberg", "asa@example.se", "Storgatan 1", "Malmö", "", "211 34", "SE"),
    ("Chloé Tremblay", "chloe@example.ca", "100 Rue Sainte-Catherine O", "Montréal", "QC", "H2X 1Y4", "CA"),
    ("Liam O'Brien", "liam@example.ie", "3 Harbour Rd", "Cork", "", "T12 X2Y3", "IE"),
    ("Priya Nair", "priya@example.in", "22 MG Road", "Bengaluru", "KA", "560001", "IN"),
    ("Emma Johnson", "emma.j@example.com", "450 Pine Ave", "Springfield", "IL", "62704", "US"),
    ("Noah Williams", "noah.w@example.com", "78 Lake Shore Dr", "Chicago", "IL", "60611", "US"),
    ("Olivia Brown", "olivia.b@example.co.uk", "9 Baker St", "London", "", "NW1 6XE", "GB"),
)


def add_demo_documents(*, actor: Actor | None = None, count: int = 30, seed: int = 11) -> list[str]:
    """Create demo orders for the demo clients and allocate them; returns summary lines."""
    actor = actor or Actor.system()
    rng = random.Random(seed)
    clients = db.execute("SELECT id, code FROM client ORDER BY code").fetchall()
    if not clients:
        return []
    stocked, empty = {}, {}
    for cid, _ in clients:
        rows = db.execute(
            "SELECT p.sku, COALESCE(SUM(sl.on_hand), 0) FROM product p "
            "LEFT JOIN stock_level sl ON sl.product_id = p.id WHERE p.client_id = ? "
            "GROUP BY p.id, p.sku ORDER BY p.sku", (cid,)).fetchall()
        stocked[cid] = [sku for sku, qty in rows if qty > 0]
        empty[cid] = [sku for sku, qty in rows if qty <= 0]
    now = clock.now()
    today = clock.local_today()  # ship-by dates are warehouse days, not UTC ones
    made = 0
    with db.write():
        for i in range(count):
            cid, code = clients[i % len(clients)]
            if not stocked[cid] and not empty[cid]:
                continue
            name, email, addr, city, prov, zip_code, country = CUSTOMERS[i % len(CUSTOMERS)]
            lines: dict[str, int] = {}
            for _ in range(rng.randint(1, 3)):
                pool = empty[cid] if (i % 5 == 4 and empty[cid]) else (stocked[cid] or empty[cid])
                sku = rng.choice(pool)
                lines[sku] = lines.get(sku, 0) + rng.randint(1, 3)
            number = f"{code[:2]}-{1001 + i}"
            ref = orders.create_order(
                code, number, list(lines.items()), actor=actor, channel="demo", customer_name=name,
                email=email, address1=addr, city=city, province=prov, zip=zip_code, country=country,
                priority=2 if i % 7 == 0 else 0,
                ship_by=today + dt.timedelta(days=1 + i % 4) if i % 3 == 0 else None)
            received = now - dt.timedelta(minutes=(count - i) * 8)  # over the last four hours
            db.execute('UPDATE "order" SET received_at = ? WHERE id = ?', (received, ref.id))
            made += 1
        result = allocation.allocate_orders(actor=actor)
    return [f"demo orders: {counted(made, 'order')}; {result.text()}"]
