"""Builders for packing tests: orders whose units were picked into PACKING.

``picked_order`` is the ONE place that creates the picked state. It runs the real flow:
stock in a bin, ``allocation.allocate_orders``, ``picking.create_picklist`` and
``picking.confirm_pick`` for every stop, so the units wait in PACKING exactly as on the floor.
"""

from __future__ import annotations

from dataclasses import dataclass

from app import ledger, orders, picking
from app.kernel.actor import Actor
from app.orders import allocation
from app.store import db

SHIP_TO = dict(customer_name="Jane Doe", address1="12 Elm Street", address2="Apt 4",
               city="Boston", province="MA", zip="02134", country="US",
               email="jane@example.com", notes="Leave at the back door, please.")

PACKER = Actor(None, "pat-packer", "packer", "pack-1")


@dataclass
class PickedOrder:
    id: int
    number: str
    products: dict[str, int]  # sku -> product id
    picklist: str


def make_products(world, specs: list[tuple[str, str]], **fields) -> dict[str, int]:
    """(sku, barcode) pairs -> {sku: product id}, with sizes for box suggestions."""
    out = {}
    for sku, barcode in specs:
        dims = dict(length_cm=20.0, width_cm=15.0, height_cm=10.0, weight_kg=0.5)
        dims.update(fields)
        out[sku] = world.product(sku, barcode=barcode, **dims).id
    return out


def stock_in(world, product_id: int, qty: int, bin_code: str = "A-01-01") -> None:
    with db.write():
        ledger.apply_move(product_id, ledger.location("SUPPLIER").id,
                             ledger.location(bin_code).id, qty, kind="receive",
                             actor=world.actor, reason="test stock")


def pick_first_stop(world, scan_code: str) -> picking.PickListRef:
    """Allocate the waiting orders, make a pick list and pick its first stop (scanning
    ``scan_code``) into its totes; the pick list is returned."""
    allocation.allocate_orders(actor=world.actor)
    pl = picking.create_picklist(actor=world.actor)
    stop = picking.next_stop(pl.id)
    for split in stop.totes:
        picking.confirm_pick(pl.id, bin_code=stop.bin_code, scan_code=scan_code, qty=split.qty,
                             tote=split.tote, actor=world.actor)
    return pl


def picked_order(world, number: str, lines: list[tuple[str, int, int]], *, products: dict[str, int],
                 bin_code: str = "A-01-01", **fields) -> PickedOrder:
    """An order of ``(sku, ordered, picked)`` lines whose picked units wait in PACKING.

    Exactly ``picked`` units of each line are put in ``bin_code`` (so the rest of the line is
    back-ordered), allocated, and picked through a pick list into PACKING.
    """
    values = dict(SHIP_TO)
    values.update(fields)
    ref = orders.create_order("ACME", number, [(sku, qty) for sku, qty, _ in lines],
                              actor=world.actor, **values)
    for sku, _ordered, picked in lines:
        if picked > 0:
            stock_in(world, products[sku], picked, bin_code)
    allocation.allocate_orders(actor=world.actor, order_ids=[ref.id])
    pl = picking.create_picklist(actor=world.actor, include_partial=True, max_orders=50)
    while (stop := picking.next_stop(pl.id)) is not None:
        for split in stop.totes:
            if split.remaining > 0:
                picking.confirm_pick(pl.id, bin_code=stop.bin_code, scan_code=stop.sku,
                                     qty=split.remaining, tote=split.tote, actor=world.actor)
    return PickedOrder(ref.id, number, products, pl.number)
