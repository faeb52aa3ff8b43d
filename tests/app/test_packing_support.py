"""Builders for packing tests: orders whose units were picked into PACKING.

``picked_order`` is the ONE place that creates the picked state, so it can switch to the
real picking service without touching the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from app import db, inventory, orders
from app.actor import Actor

SHIP_TO = dict(customer_name="Jane Doe", address1="12 Elm Street", address2="Apt 4",
               city="Boston", province="MA", zip="02134", country="US",
               email="jane@example.com", notes="Leave at the back door, please.")

PACKER = Actor(None, "pat-packer", "packer", "pack-1")


@dataclass
class PickedOrder:
    id: int
    number: str
    products: dict[str, int]  # sku -> product id


def make_products(world, specs: list[tuple[str, str]], **fields) -> dict[str, int]:
    """(sku, barcode) pairs -> {sku: product id}, with sizes for box suggestions."""
    out = {}
    for sku, barcode in specs:
        dims = dict(length_cm=20.0, width_cm=15.0, height_cm=10.0, weight_kg=0.5)
        dims.update(fields)
        out[sku] = world.product(sku, barcode=barcode, **dims).id
    return out


def picked_order(world, number: str, lines: list[tuple[str, int, int]], *, products: dict[str, int],
                 bin_code: str = "A-01-01", **fields) -> PickedOrder:
    """An order of ``(sku, ordered, picked)`` lines whose picked units wait in PACKING.

    Stock arrives in ``bin_code`` from SUPPLIER and the picked units move bin -> PACKING as a
    pick does (doc_type 'picklist'); qty_picked is set and the status recomputed.
    """
    values = dict(SHIP_TO)
    values.update(fields)
    ref = orders.create_order("ACME", number, [(sku, qty) for sku, qty, _ in lines],
                              actor=world.actor, **values)
    with db.write():
        bin_id = inventory.location(bin_code).id
        packing = inventory.location("PACKING").id
        supplier = inventory.location("SUPPLIER").id
        for line_no, (sku, _ordered, picked) in enumerate(lines, start=1):
            if picked <= 0:
                continue
            pid = products[sku]
            inventory.apply_move(pid, supplier, bin_id, picked, kind="receive", actor=world.actor,
                                 reason="test stock")
            inventory.apply_move(pid, bin_id, packing, picked, kind="pick", actor=world.actor,
                                 doc_type="picklist", doc_ref=number)
            db.execute("UPDATE order_line SET qty_picked = ? WHERE order_id = ? AND line_no = ?",
                       (picked, ref.id, line_no))
        orders.recompute_status(ref.id, actor=world.actor)
    return PickedOrder(ref.id, number, products)
