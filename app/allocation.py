"""Allocation: reserving bin stock for open order lines (filled in by the orders capability)."""

from __future__ import annotations

from app.actor import Actor


def allocate_waiting(product_ids: set[int], *, actor: Actor) -> int:
    """Allocate waiting back-orders for these products; returns units allocated."""
    return 0
