"""Inventory: stock moved by a person's decision (moves, transfers, adjustments)."""

from __future__ import annotations

from app.inventory.stock import (
    ADJUST_REASONS,
    LotChoice,
    PlaceLot,
    adjust,
    lot_choices,
    move,
    tracks_lots,
    transfer,
    what_moved,
    where_it_is,
)

__all__ = ["ADJUST_REASONS", "LotChoice", "PlaceLot", "adjust", "lot_choices", "move", "tracks_lots",
           "transfer", "what_moved", "where_it_is"]
