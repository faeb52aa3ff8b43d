"""Order import from a shop's export: Shopify's order CSV or PrepDesk's generic order CSV."""

from __future__ import annotations

from app.orders.importers.common import Parsed, ParsedOrder, Progress, add_line
from app.orders.importers.order_import import (
    FORMATS,
    ImportPreview,
    ImportResult,
    PreviewLine,
    PreviewOrder,
    changed_text,
    import_orders,
    preview_orders,
    read_rows,
)

__all__ = [
    "FORMATS",
    "ImportPreview",
    "ImportResult",
    "Parsed",
    "ParsedOrder",
    "PreviewLine",
    "PreviewOrder",
    "Progress",
    "add_line",
    "changed_text",
    "import_orders",
    "preview_orders",
    "read_rows",
]
