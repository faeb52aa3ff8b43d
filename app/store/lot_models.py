"""The lots of products that track them: each lot's expiry date (schema version 4)."""

from __future__ import annotations

from peewee import AutoField, CharField, DateField, DateTimeField, ForeignKeyField

from app.kernel import clock
from app.store.models import BaseModel, Product


class Lot(BaseModel):
    """One lot of one product, and the date it expires (none for a lot-only product)."""

    id = AutoField()
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    product_id: int
    lot = CharField(max_length=100)
    expiry = DateField(null=True)
    created_at = DateTimeField(default=clock.now)

    class Meta:
        table_name = "lot"
        indexes = ((("product", "lot"), True), (("expiry",), False))


LOT_MODELS = [Lot]
