"""Inventory: stock moved by a person's decision (moves, transfers, adjustments)."""

from __future__ import annotations

from app.inventory.stock import ADJUST_REASONS, adjust, move, transfer

__all__ = ["ADJUST_REASONS", "adjust", "move", "transfer"]
