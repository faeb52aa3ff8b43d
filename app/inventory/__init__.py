"""Inventory: stock moved by a person's decision (moves, transfers, adjustments)."""

from __future__ import annotations

from app.inventory.stock import (
    ADJUST_REASONS,
    LotChoice,
    adjust,
    lot_choices,
    move,
    tracks_lots,
    transfer,
    what_moved,
)

__all__ = ["ADJUST_REASONS", "LotChoice", "adjust", "lot_choices", "move", "tracks_lots", "transfer",
           "what_moved"]
