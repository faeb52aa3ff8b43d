"""Builders for returns tests: orders that went all the way to the customer."""

from __future__ import annotations

from app import packing, shipping
from tests.support.packing import PACKER, picked_order


def shipped_order(world, number: str, lines: list[tuple[str, int]], *, products: dict[str, int],
                  barcodes: dict[str, str], tracking: str = "1Z999AA10123456784", bin_code: str = "A-01-01",
                  **fields) -> int:
    """An order of ``(sku, qty)`` lines picked, packed (every unit scanned) and shipped; its id."""
    order = picked_order(world, number, [(sku, qty, qty) for sku, qty in lines], products=products,
                         bin_code=bin_code, **fields)
    scans = [barcodes[sku] for sku, qty in lines for _ in range(qty)]
    packing.pack(order.id, scans=scans, close="last", actor=PACKER)
    shipping.ship_order(order.id, tracking=tracking, carrier="UPS", actor=PACKER)
    return order.id
