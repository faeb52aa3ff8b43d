"""Demo data for trying the program: clients, products with barcodes, a bin grid, stock, users."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from app import ledger
from app.catalog import users
from app.catalog.products import add_client
from app.demo import billing as demo_billing
from app.demo import history as demo_history
from app.demo import orders as demo_orders
from app.demo import packing as demo_packing
from app.demo import picking as demo_picking
from app.demo import receiving as demo_receiving
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.barcodes import gs1_check_digit
from app.kernel.errors import Conflict
from app.kernel.text import counted
from app.store import db
from app.store.models import Client, Location, Product, ProductBarcode

DEMO_USERS = (
    ("Sam Supervisor", "supervisor", "1111", "BADGE-SUP-1"),
    ("Rita Receiver", "receiver", "2222", "BADGE-REC-1"),
    ("Pat Packer", "packer", "3333", "BADGE-PAK-1"),
)

CLIENTS = (
    ("ACME", "Acme Outdoor Co.", "outdoor", ["Tent", "Headlamp", "Water Bottle", "Camp Stove", "Sleeping Pad",
                                             "Trekking Pole", "Dry Bag", "Carabiner", "Rain Jacket", "Compass"]),
    ("BLOOM", "Bloom Botanicals", "beauty", ["Face Serum", "Lip Balm", "Hand Cream", "Body Oil", "Clay Mask",
                                             "Toner", "Night Cream", "Sunscreen", "Bath Salts", "Soap Bar"]),
    ("NOVA", "Nova Gadgets", "electronics", ["USB-C Cable", "Power Bank", "Earbuds", "Phone Stand", "Charger",
                                             "Smart Plug", "Webcam", "Keyboard", "Mouse", "HDMI Adapter"]),
)
VARIANTS = ("Black", "Blue", "Green", "Red", "Small", "Medium", "Large")


@dataclass
class DemoSummary:
    clients: int = 0
    products: int = 0
    bins: int = 0
    units: int = 0
    pins: list[tuple[str, str, str, str]] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"demo: {self.clients} clients, {counted(self.products, 'product')}, {self.bins} bins, "
                 f"{counted(self.units, 'unit')} in stock"]
        lines += self.extra
        lines.append("demo users (name, role, PIN, badge):")
        lines += [f"  {n:<16} {r:<11} PIN {p}  badge {b}" for n, r, p, b in self.pins]
        return "\n".join(lines)


def _upc(n: int) -> str:
    body = f"0{n:010d}"[:11]
    return body + str(gs1_check_digit(body))


def create_demo(*, actor: Actor | None = None, seed: int = 7, products_per_client: int = 67) -> DemoSummary:
    """Fill an empty database with a small warehouse; refuses to touch one that has clients."""
    actor = actor or Actor.system()
    rng = random.Random(seed)
    summary = DemoSummary()
    if Client.select().exists():
        raise Conflict("the database already has clients; demo data goes into an empty database")
    opened = demo_history.opened_at()
    with clock.running_on(lambda: opened), db.write():  # set up before the history it has
        # Bin grid: zones A-C, aisles 1-4, 5 positions, 3 levels; serpentine walk path.
        seq = 0
        bins: dict[str, list[str]] = {}
        for zone in "ABC":
            for aisle in range(1, 5):
                positions = range(1, 6) if aisle % 2 else range(5, 0, -1)
                for pos in positions:
                    for level in range(1, 4):
                        seq += 10
                        code = f"{zone}-{aisle:02d}-{pos:02d}-{level}"
                        Location.create(code=code, zone=zone, kind="bin", pick_seq=seq)
                        bins.setdefault(zone, []).append(code)
                        summary.bins += 1
        ledger.clear_caches()
        serial = 10_000
        for ci, (code, name, category, items) in enumerate(CLIENTS):
            c = add_client(code, name, actor=actor, address1=f"{100 + ci} Commerce Way",
                           city="Springfield", province="IL", zip=f"6270{ci}", country="US",
                           returns_note="Returns accepted within 30 days: see our website.")
            summary.clients += 1
            zone = "ABC"[ci]
            for i in range(products_per_client):
                base = items[i % len(items)]
                variant = VARIANTS[(i // len(items)) % len(VARIANTS)]
                sku = f"{code[:3]}-{i + 1:04d}"
                p = Product.create(client=c.id, sku=sku, name=f"{base} {variant}", category=category,
                                   weight_kg=round(rng.uniform(0.05, 2.5), 2),
                                   length_cm=rng.randint(5, 40), width_cm=rng.randint(5, 30),
                                   height_cm=rng.randint(2, 20), reorder_point=rng.choice((0, 5, 10)),
                                   zone=zone, fnsku=f"X00{code[:2]}{i + 1:05d}" if ci == 0 else "",
                                   packing_instructions="Fragile: bubble wrap" if base in ("Camp Stove", "Webcam", "Face Serum") else "")
                serial += 1
                ProductBarcode.create(product=p.id, client=c.id, code=_upc(serial).zfill(14), kind="upc")
                if p.fnsku:
                    ProductBarcode.create(product=p.id, client=c.id, code=p.fnsku, kind="fnsku")
                if i % 10 == 0:
                    serial += 1
                    ProductBarcode.create(product=p.id, client=c.id, code=_upc(serial).zfill(14),
                                          kind="case", pack_qty=6)
                summary.products += 1
                if i % 9 != 8:  # leave some products out of stock for back-orders
                    qty = rng.randint(3, 60)
                    bin_code = bins[zone][i % len(bins[zone])]
                    loc = ledger.location(bin_code)
                    ledger.apply_move(p.id, ledger.location("SUPPLIER").id, loc.id, qty,
                                         kind="receive", actor=actor, reason="demo opening stock",
                                         doc_type="demo", client_id=c.id)
                    summary.units += qty
        for uname, role, pin, badge in DEMO_USERS:
            users.create_user(uname, role, pin, badge=badge, actor=actor)
            summary.pins.append((uname, role, pin, badge))
    _extend(summary, actor)
    return summary


def _extend(summary: DemoSummary, actor: Actor) -> None:
    """Each area adds its own demo documents (inbound shipments, orders, pick lists...)."""
    for part in (demo_receiving, demo_history, demo_orders, demo_picking, demo_packing, demo_billing):
        summary.extra.extend(part.add_demo_documents(actor=actor))
