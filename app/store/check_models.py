"""The ledger check's own table: where the last clean check stopped.

It lives beside ``models`` only because that module is at its size limit; it uses its base
model and is created by migration 8.
"""

from __future__ import annotations

from peewee import DateTimeField, IntegerField

from app.store.models import BaseModel, _now


class LedgerCheckState(BaseModel):
    """Where the last clean ledger check stopped (one row), for the incremental check."""

    last_move_id = IntegerField(default=0)
    moves = IntegerField(default=0)          # moves up to last_move_id
    on_hand_total = IntegerField(default=0)  # on hand over every balance then
    checked_at = DateTimeField(default=_now)
    full_at = DateTimeField(null=True)       # the last clean full check


CHECK_MODELS = [LedgerCheckState]
