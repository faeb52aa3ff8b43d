"""ASN files: an inbound shipment announced as a CSV, with the products and barcodes it brings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import catalog
from app.kernel.actor import Actor
from app.kernel.barcodes import gtin_kind, is_valid_gtin, normalize_code
from app.kernel.commands import is_command_code
from app.kernel.errors import ImportRejected
from app.kernel.states import ShipmentStatus
from app.kernel.text import counted
from app.receiving.shipments import (
    DOC_TYPE,
    MAX_UNITS_PER_SCAN,
    ShipmentRef,
    check_ref,
    check_text,
    insert_shipment,
    refuse_duplicate,
)
from app.store import audit, db
from app.store.models import BaseModel, Product, ProductBarcode, ReceiptLine

MAX_ASN_BYTES = 20 * 1024 * 1024
_ASN_LIMITS = (("sku", 100), ("name", 300), ("barcode", 100))  # the columns' sizes


@dataclass(frozen=True)
class ImportAsnResult:
    shipment: ShipmentRef
    lines: int
    units: int
    products_created: int
    barcodes_linked: int




def import_asn(path: str | Path, *, client_code: str, ref: str, actor: Actor,
               expected_date: dt.date | None = None, carrier: str = "",
               tracking: str = "") -> ImportAsnResult:
    """An inbound shipment from CSV: columns ``sku,qty`` and optionally ``barcode,name``.

    An unknown SKU with a name creates the product (with its barcode); without a name it is
    an error. All or nothing: any bad line rejects the whole file.

    Raises:
        NotFound: unknown client.
        Conflict: the client already has a shipment with this reference.
        ImportRejected: bad file; line-numbered messages.
    """
    actor.require_to("import inbound shipments")
    ref = check_ref(ref)
    check_text(carrier, tracking)
    client = catalog.active_client(client_code)
    refuse_duplicate(client.id, client.code, ref)  # before reading a large file
    rows = catalog.read_csv_rows(path, required={"sku", "qty"}, what="ASN file", max_bytes=MAX_ASN_BYTES)
    existing = {sku: pid for pid, sku in db.execute(
        "SELECT id, sku FROM product WHERE client_id = ?", (client.id,)).fetchall()}
    owners = {code: pid for code, pid in db.execute(
        "SELECT code, product_id FROM product_barcode WHERE client_id = ?", (client.id,)).fetchall()}
    errors: list[str] = []
    wanted: dict[str, int] = {}
    new_products: dict[str, tuple[str, int]] = {}  # sku -> (name, line)
    links: dict[str, tuple[str, int, str]] = {}  # normalised code -> (sku, line, raw)
    for line, row in rows:
        sku = row.get("sku", "")
        if not sku:
            errors.append(f"line {line}: empty sku")
            continue
        too_long = [f"{column} longer than {limit} characters" for column, limit in _ASN_LIMITS
                    if len(row.get(column, "")) > limit]
        if too_long:  # PostgreSQL would refuse the insert; SQLite would keep it silently
            errors.append(f"line {line}: " + ", ".join(too_long))
            continue
        qty = catalog.parse_int(row.get("qty", ""), line=line, column="qty", errors=errors, minimum=1)
        if qty is not None and qty > MAX_UNITS_PER_SCAN:
            errors.append(f"line {line}: qty {qty} is more than {MAX_UNITS_PER_SCAN}")
            qty = None
        name = row.get("name", "")
        if sku not in existing and sku not in new_products:
            if not name:
                errors.append(f"line {line}: unknown sku {sku} for {client.code} and no name to create it")
            else:
                new_products[sku] = (name, line)
        raw = row.get("barcode", "")
        if raw and raw.isascii() and raw.isdigit() and len(raw) in (8, 12, 13, 14) and not is_valid_gtin(raw):
            # A typo in a UPC/EAN: linked as typed, the real barcode would never match.
            errors.append(f"line {line}: barcode {raw} has a wrong check digit for a "
                          f"{len(raw)}-digit UPC/EAN/GTIN")
        elif raw and is_command_code(normalize_code(raw)):
            errors.append(f"line {line}: {raw} is a PrepDesk command barcode, not a product's")
        elif raw:
            code = normalize_code(raw)
            owner = owners.get(code)
            if owner is not None and owner != existing.get(sku):
                other = next((s for s, pid in existing.items() if pid == owner), "another product")
                errors.append(f"line {line}: barcode {raw} already belongs to {other}")
            elif code in links and links[code][0] != sku:
                errors.append(f"line {line}: barcode {raw} also on line {links[code][1]}")
            elif owner is None:
                links[code] = (sku, line, raw)
        if qty is not None:
            wanted[sku] = wanted.get(sku, 0) + qty
    # Another client's code would count this client's units as theirs (as when linked by hand).
    for code, other in catalog.foreign_owners(links, client_id=client.id).items():
        errors.append(f"line {links[code][1]}: barcode {links[code][2]} is a barcode of {other}")
    if errors:
        raise ImportRejected("ASN file", errors)
    with db.write():
        refuse_duplicate(client.id, client.code, ref)
        # Bulk inserts: a 20,000-line ASN took 11 s row by row.
        _insert_chunks(Product, [dict(client=client.id, sku=sku, name=name)
                                 for sku, (name, _line) in new_products.items()])
        if new_products:
            existing = {sku: pid for pid, sku in db.execute(
                "SELECT id, sku FROM product WHERE client_id = ?", (client.id,)).fetchall()}
        _insert_chunks(ProductBarcode, [dict(product=existing[sku], client=client.id, code=code,
                                             kind=gtin_kind(raw), pack_qty=1)
                                        for code, (sku, _line, raw) in links.items()])
        sid = insert_shipment(client.id, ref, expected_date, carrier, tracking, "", actor)
        _insert_chunks(ReceiptLine, [dict(shipment=sid, product=existing[sku], expected_qty=qty)
                                     for sku, qty in wanted.items()])
        audit.record("import_asn", actor=actor, client_id=client.id, doc_type=DOC_TYPE, doc_id=sid,
                     detail=f"{Path(path).name} as {ref}: {counted(len(wanted), 'line')}, "
                            f"{len(new_products)} new products")
    return ImportAsnResult(ShipmentRef(sid, ref, client.id, client.code, ShipmentStatus.OPEN, expected_date),
                           len(wanted), sum(wanted.values()), len(new_products), len(links))


def _insert_chunks(model: type[BaseModel], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (field name -> value; the model's defaults, or NULL for a nullable
    field without one, fill the rest) through
    one prepared statement: peewee's insert_many spent seconds building SQL for a
    20,000-line ASN."""
    if not rows:
        return
    fields = [f for f in model._meta.sorted_fields if not f.primary_key]
    defaults = {f.name: (f.default() if callable(f.default) else f.default)
                for f in fields if f.default is not None}
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join("?" for _ in fields)
    db.executemany(f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})',
                   [[f.db_value(row[f.name] if f.name in row else defaults.get(f.name)) for f in fields]
                    for row in rows])
