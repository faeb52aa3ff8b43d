"""The tables of billing: each client's rate card (a price per fee from a day on) and the
manual charges a supervisor adds (schema version 12).

Everything else a statement bills is counted from facts the warehouse records anyway (the
ledger's moves, packages): no charge log that could drift from what happened.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from app.store.models import BaseModel, Client, _now

# Prices are kept to four decimals (a storage price per unit and day may be 0.0125); each
# statement line's amount is rounded to two decimals, half up.
RATE_DIGITS = 14
RATE_PLACES = 4


class Rate(BaseModel):
    """One price of a client's card: ``amount`` per unit of ``fee`` from ``effective_from`` on."""

    id = AutoField()
    client = ForeignKeyField(Client, on_delete="RESTRICT")
    client_id: int
    fee = CharField(max_length=40)
    amount = DecimalField(max_digits=RATE_DIGITS, decimal_places=RATE_PLACES, auto_round=True)
    effective_from = DateField()
    created_by = CharField(default="", max_length=100)
    created_at = DateTimeField(default=_now)

    class Meta:
        table_name = "rate"
        indexes = ((("client", "fee", "effective_from"), True),)


class Charge(BaseModel):
    """A manual charge: ``qty`` of a fee at ``rate`` each, on a warehouse day, with a note."""

    id = AutoField()
    client = ForeignKeyField(Client, on_delete="RESTRICT")
    client_id: int
    fee = CharField(max_length=40)
    qty = IntegerField()
    rate = DecimalField(max_digits=RATE_DIGITS, decimal_places=RATE_PLACES, auto_round=True)
    note = TextField(default="")
    day = DateField()  # the warehouse day it is billed on
    user_name = CharField(default="", max_length=100)
    station = CharField(default="", max_length=100)
    created_at = DateTimeField(default=_now)

    class Meta:
        table_name = "charge"
        indexes = ((("client", "day"), False),)


BILLING_MODELS = [Rate, Charge]
