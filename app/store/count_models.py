"""The tables of cycle counts: count tasks, the bins they cover and the counted lines.

They live beside ``models`` (which holds every other table) only because that module is at
its size limit; they use its base model and are created by migration 5.
"""

from __future__ import annotations

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from app.store.models import BaseModel, Client, Location, Product, _now


class CountTask(BaseModel):
    """A cycle count a supervisor asked for: a bin, a zone, a product's bins or stale bins."""

    id = AutoField()
    number = CharField(unique=True, max_length=40)  # CNT000001
    client = ForeignKeyField(Client, null=True, on_delete="RESTRICT")
    client_id: int | None
    scope = CharField(default="", max_length=200)  # what was asked for, in words
    status = CharField(default="open", max_length=20)  # kernel.states.CountStatus
    recount_of = ForeignKeyField("self", null=True, on_delete="RESTRICT")
    recount_of_id: int | None
    created_by = CharField(default="", max_length=100)
    created_at = DateTimeField(default=_now)
    finished_at = DateTimeField(null=True)

    class Meta:
        table_name = "count_task"
        indexes = ((("status",), False),)


class CountBin(BaseModel):
    """One bin of a task. Its first scan records the ledger's last move, so moves made while
    the bin is being counted are told apart from the count's difference."""

    id = AutoField()
    task = ForeignKeyField(CountTask, backref="bins", on_delete="CASCADE")
    task_id: int
    location = ForeignKeyField(Location, on_delete="RESTRICT")
    location_id: int
    status = CharField(default="open", max_length=20)  # open, counting, counted, recount
    since_move = IntegerField(default=0)  # the last stock_move id when the count began
    started_at = DateTimeField(null=True)
    counted_by = CharField(default="", max_length=100)
    empty = BooleanField(default=False)

    class Meta:
        table_name = "count_bin"
        indexes = ((("task", "location"), True), (("location", "started_at"), False))


class CountLine(BaseModel):
    """What was counted of one product's lot in one bin."""

    id = AutoField()
    task = ForeignKeyField(CountTask, backref="lines", on_delete="CASCADE")
    task_id: int
    location = ForeignKeyField(Location, on_delete="RESTRICT")
    location_id: int
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    product_id: int
    lot = CharField(default="", max_length=100, constraints=[SQL("DEFAULT ''")])  # "" without lots (version 10)
    expected_at_start = IntegerField(default=0)  # the ledger when the bin's count began: never shown to the counter
    counted = IntegerField(default=0)
    # open (being counted), ok (no difference), adjusted, pending (waits for approval),
    # approved (adjusted after approval), recount (sent to a new count)
    status = CharField(default="open", max_length=20)
    adjusted = IntegerField(default=0)  # the units the ledger was corrected by (signed)

    class Meta:
        table_name = "count_line"
        indexes = ((("task", "location", "product", "lot"), True), (("status",), False))


COUNT_MODELS = [CountTask, CountBin, CountLine]
