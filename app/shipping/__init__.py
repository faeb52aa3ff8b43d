"""Shipping: orders' closed packages handed to the carrier, tracking numbers, manifests."""

from __future__ import annotations

from app.shipping.carriers import guess_carrier
from app.shipping.manifest import (
    manifest_data,
    render_manifest,
)
from app.shipping.ship import (
    CARRIERS,
    ShipResult,
    check_text,
    check_tracking,
    refuse_our_code_as_tracking,
    release_leftover,
    ship_order,
)

__all__ = [
    "CARRIERS",
    "ShipResult",
    "check_text",
    "check_tracking",
    "guess_carrier",
    "manifest_data",
    "refuse_our_code_as_tracking",
    "release_leftover",
    "render_manifest",
    "ship_order",
]
