"""A demo warehouse: clients, products, bins, stock, users and documents."""

from __future__ import annotations

from app.demo.orders import (
    CUSTOMERS,
    add_demo_documents,
)
from app.demo.packing import (
    DEMO_BOXES,
)
from app.demo.picking import (
    DEMO_CART_TOTES,
)
from app.demo.receiving import (
    DEMO_ASNS,
)
from app.demo.warehouse import (
    CLIENTS,
    DEMO_USERS,
    VARIANTS,
    DemoSummary,
    create_demo,
)

__all__ = [
    "CLIENTS",
    "CUSTOMERS",
    "DEMO_ASNS",
    "DEMO_BOXES",
    "DEMO_CART_TOTES",
    "DEMO_USERS",
    "DemoSummary",
    "VARIANTS",
    "add_demo_documents",
    "create_demo",
]
