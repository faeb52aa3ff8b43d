"""Derived totals (schema version 3): per-product stock kept by database triggers."""

from __future__ import annotations

from peewee import ForeignKeyField, IntegerField

from app.store.models import BaseModel, Product


class ProductStock(BaseModel):
    """Per-product totals of StockLevel, kept by database triggers on stock_level (every
    writer, whatever its SQL), so the stock table sorts by a quantity with an index walk
    instead of adding up every balance. Derived data: ``inventory.check`` recomputes it."""

    product = ForeignKeyField(Product, primary_key=True, on_delete="CASCADE")
    product_id: int
    on_hand = IntegerField(default=0)     # in bins
    reserved = IntegerField(default=0)    # in bins
    available = IntegerField(default=0)   # on_hand - reserved
    receiving = IntegerField(default=0)   # RECEIVING
    quarantine = IntegerField(default=0)  # QUARANTINE
    elsewhere = IntegerField(default=0)   # other staging (PACKING, RETURNS)

    class Meta:
        table_name = "product_stock"
        indexes = tuple(((col, "product"), False) for col in (
            "on_hand", "reserved", "available", "receiving", "quarantine", "elsewhere"))


DERIVED_MODELS = [ProductStock]
