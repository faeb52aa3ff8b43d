"""Clients, products and their barcodes, scan resolution, users.

Two modules are imported by those who use them, not re-exported here, so that importing the
catalog (a login's PIN check: ``app.catalog.users``) stays light: client accounts
(``app.catalog.clients``: logos checked with ReportLab) and scan resolution
(``app.catalog.scan``: GS1 parsing, with its table of company prefixes)."""

from __future__ import annotations

from app.catalog.owners import Owner, foreign_owner, foreign_owners, refuse_foreign
from app.catalog.product_edit import (
    PREP_SERVICES,
    ProductDetail,
    product_detail,
    update_product,
)
from app.catalog.products import (
    BARCODE_KIND_LABELS,
    BARCODE_KINDS,
    PRODUCT_COLUMNS,
    ClientRow,
    ImportResult,
    ProductInfo,
    active_client,
    add_client,
    add_product,
    client_by_code,
    find_product,
    import_products,
    link_barcode,
    list_clients,
    product_info,
)
from app.catalog.shelf_life import MAX_SHELF_LIFE_DAYS, set_min_shelf_life
from app.catalog.users import (
    LOCK_MINUTES,
    MAX_FAILED,
    PIN_ITERATIONS,
    UserRow,
    create_user,
    hash_pin,
    list_users,
    login,
    login_badge,
    set_pin,
    update_user,
    verify_pin,
)
from app.kernel.csvfiles import (
    DELIMITERS,
    MAX_IMPORT_BYTES,
    parse_float,
    parse_int,
    read_csv_rows,
)

__all__ = [
    "PREP_SERVICES",
    "ProductDetail",
    "product_detail",
    "update_product",
    "MAX_SHELF_LIFE_DAYS",
    "set_min_shelf_life",
    "Owner",
    "foreign_owner",
    "foreign_owners",
    "refuse_foreign",
    "BARCODE_KIND_LABELS",
    "BARCODE_KINDS",
    "ClientRow",
    "DELIMITERS",
    "ImportResult",
    "LOCK_MINUTES",
    "MAX_FAILED",
    "MAX_IMPORT_BYTES",
    "PIN_ITERATIONS",
    "PRODUCT_COLUMNS",
    "ProductInfo",
    "UserRow",
    "add_client",
    "add_product",
    "active_client",
    "client_by_code",
    "create_user",
    "find_product",
    "hash_pin",
    "import_products",
    "link_barcode",
    "list_clients",
    "list_users",
    "login",
    "login_badge",
    "parse_float",
    "parse_int",
    "product_info",
    "read_csv_rows",
    "set_pin",
    "update_user",
    "verify_pin",
]
