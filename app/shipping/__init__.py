"""Shipping: orders' closed packages handed to the carrier, tracking numbers, manifests.

A package's manifest (``app.shipping.manifest``, drawn with ReportLab) is imported by those
who print it, not re-exported here, so screens that ship open without the drawing libraries."""

from __future__ import annotations

from app.shipping.carriers import guess_carrier
from app.shipping.ship import (
    CARRIERS,
    ShipResult,
    carrier_number,
    check_text,
    check_tracking,
    parse_cost,
    refuse_our_code_as_tracking,
    release_leftover,
    scanned_tracking,
    ship_order,
)

__all__ = [
    "CARRIERS",
    "ShipResult",
    "carrier_number",
    "check_text",
    "check_tracking",
    "guess_carrier",
    "parse_cost",
    "refuse_our_code_as_tracking",
    "release_leftover",
    "scanned_tracking",
    "ship_order",
]
