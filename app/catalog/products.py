"""Clients and their products: records, barcodes, and the product CSV import."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from peewee import AutoField

from app.catalog.owners import foreign_owners, refuse_foreign
from app.kernel.actor import Actor
from app.kernel.barcodes import gtin_kind, normalize_code
from app.kernel.commands import is_command_code
from app.kernel.csvfiles import (
    DELIMITERS as DELIMITERS,  # the CSV helpers lived here first: importers still name them here
)
from app.kernel.csvfiles import (
    MAX_IMPORT_BYTES as MAX_IMPORT_BYTES,
)
from app.kernel.csvfiles import (
    parse_float as parse_float,
)
from app.kernel.csvfiles import (
    parse_int as parse_int,
)
from app.kernel.csvfiles import (
    read_csv_rows as read_csv_rows,
)
from app.kernel.errors import Conflict, ImportRejected, NotFound, ValidationError
from app.kernel.text import check_text
from app.store import audit, db
from app.store.models import BaseModel, Client, Product, ProductBarcode

BARCODE_KINDS = ("upc", "ean", "ean8", "gtin", "fnsku", "alias", "case")
# How each kind reads on a screen ("FNSKU", never "fnsku").
BARCODE_KIND_LABELS = {"upc": "UPC", "ean": "EAN-13", "ean8": "EAN-8", "gtin": "GTIN", "fnsku": "FNSKU",
                       "alias": "Alias", "case": "Case"}


@dataclass(frozen=True)
class ClientRow:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class ProductInfo:
    id: int
    client_id: int
    client_code: str
    sku: str
    name: str
    fnsku: str
    category: str
    weight_kg: float
    length_cm: float
    width_cm: float
    height_cm: float
    reorder_point: int
    packing_instructions: str
    zone: str
    barcodes: tuple[tuple[str, str, int], ...]  # (code, kind, pack_qty)


def add_client(code: str, name: str, *, actor: Actor | None = None, **fields: str) -> ClientRow:
    """Add a client (a seller whose goods we hold).

    Raises:
        ValidationError: empty code or name, or a code with spaces.
        Conflict: the code is taken.
    """
    actor = actor or Actor.system()
    actor.require_to("add clients")
    code, name = check_text(code.strip().upper(), "client code"), check_text(name.strip(), "client name")
    if not code or not name:
        raise ValidationError("a client needs a code and a name")
    if any(ch.isspace() for ch in code) or len(code) > 40:
        raise ValidationError(f"client code {code!r} must be one word of at most 40 characters")
    allowed = {f.name for f in Client._meta.sorted_fields} - {"id", "code", "name", "created_at", "active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"unknown client fields: {', '.join(sorted(unknown))}")
    with db.write():
        if Client.select().where(Client.code == code).exists():
            raise Conflict(f"client {code} exists already")
        c = Client.create(code=code, name=name, **fields)
        audit.record("client_added", actor=actor, client_id=c.id, detail=f"{code} {name}")
    return ClientRow(c.id, c.code, c.name)


def client_by_code(code: str) -> Client:
    c = Client.get_or_none(Client.code == code.strip().upper())
    if c is None:
        raise NotFound(f"no client {code!r}")
    return c


def active_client(code: str) -> Client:
    """The client for new work (orders, receipts, products).

    Raises:
        NotFound: no such client.
        ValidationError: the client is inactive (its history stays readable and billable).
    """
    c = client_by_code(code)
    if not c.active:
        raise ValidationError(f"client {c.code} is inactive: no new orders, receipts or products "
                              f"for it (client set {c.code} --active yes to reopen it)")
    return c


def list_clients() -> list[ClientRow]:
    return [ClientRow(c.id, c.code, c.name) for c in Client.select().order_by(Client.code)]


def product_info(product_id: int) -> ProductInfo:
    p = Product.select(Product, Client).join(Client).where(Product.id == product_id).get_or_none()
    if p is None:
        raise NotFound(f"no product #{product_id}")
    codes = tuple(
        (b.code, b.kind, b.pack_qty)
        for b in ProductBarcode.select().where(ProductBarcode.product == p.id).order_by(ProductBarcode.id)
    )
    return ProductInfo(
        p.id, p.client_id, p.client.code, p.sku, p.name, p.fnsku, p.category, p.weight_kg,
        p.length_cm, p.width_cm, p.height_cm, p.reorder_point, p.packing_instructions, p.zone, codes,
    )


def find_product(client_id: int, sku: str) -> Product | None:
    return Product.get_or_none((Product.client == client_id) & (Product.sku == sku))


def add_product(client_code: str, sku: str, name: str, *, barcodes: list[str] | tuple[str, ...] = (),
                actor: Actor | None = None, **fields: object) -> ProductInfo:
    """Create one product with its barcodes (a receiver may, e.g. for an unknown scan)."""
    actor = actor or Actor.system()
    actor.require_to("create products")
    sku, name = check_text(sku.strip(), "SKU"), check_text(name.strip(), "product name")
    if not sku or not name:
        raise ValidationError("a product needs a SKU and a name")
    with db.write():
        client = active_client(client_code)
        if find_product(client.id, sku) is not None:
            raise Conflict(f"{client.code} already has SKU {sku}")
        p = Product.create(client=client.id, sku=sku, name=name, **fields)
        if p.fnsku:
            _link(p, client.id, p.fnsku, "fnsku", 1)
        for code in barcodes:
            _link(p, client.id, code, None, 1)
        audit.record("product_added", actor=actor, client_id=client.id, detail=sku)
    return product_info(p.id)


def _link(p: Product, client_id: int, raw: str, kind: str | None, pack_qty: int) -> None:
    code = normalize_code(raw)
    if not code:
        raise ValidationError("empty barcode")
    if is_command_code(code):
        raise ValidationError(f"{raw} is a PrepDesk command barcode, not a product's")
    existing = ProductBarcode.get_or_none((ProductBarcode.client == client_id) & (ProductBarcode.code == code))
    if existing is not None:
        if existing.product_id == p.id:
            return
        other = Product.get_by_id(existing.product_id)
        raise Conflict(f"barcode {raw} already belongs to {other.sku}")
    ProductBarcode.create(product=p.id, client=client_id, code=code, kind=kind or gtin_kind(raw.strip()),
                          pack_qty=pack_qty)


def link_barcode(product_id: int, code: str, *, kind: str | None = None, pack_qty: int = 1,
                 actor: Actor) -> None:
    """Give a product another barcode (unique within its client); a case code counts pack_qty."""
    actor.require_to("link barcodes")
    if kind is not None and kind not in BARCODE_KINDS:
        raise ValidationError(f"unknown barcode kind {kind!r}")
    if not isinstance(pack_qty, int) or pack_qty < 1:
        raise ValidationError("pack quantity must be a whole number of at least 1")
    with db.write():
        p = Product.get_or_none(Product.id == product_id)
        if p is None:
            raise NotFound(f"no product #{product_id}")
        refuse_foreign(code, client_id=p.client_id, client_code=p.client.code)
        _link(p, p.client_id, code, kind if kind else ("case" if pack_qty > 1 else None), pack_qty)
        audit.record("barcode_linked", actor=actor, client_id=p.client_id,
                     detail=f"{code} -> {p.sku} x{pack_qty}")


# --- CSV import --------------------------------------------------------------------

PRODUCT_COLUMNS = {
    "sku", "name", "barcode", "barcodes", "fnsku", "category", "weight_kg", "length_cm",
    "width_cm", "height_cm", "reorder_point", "packing_instructions", "zone", "case_barcode",
    "case_qty", "unit_cost",
}
@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    barcodes: int


MAX_UNIT_COST = Decimal("9999999999.99")  # the column holds 12 digits, 2 of them decimals
CENT = Decimal("0.01")
_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")  # what a person writes for money (no 1_0, 1e3, -0)

_YES, _NO = ("1", "yes", "y", "true", "x"), ("", "0", "no", "n", "false")


def _flag(text: str, *, line: int, column: str, errors: list[str]) -> bool:
    value = (text or "").strip().lower()
    if value not in _YES + _NO:
        errors.append(f"line {line}: {column} must be yes or no, not {text!r}")
    return value in _YES


def parse_unit_cost(value: object) -> Decimal | None:
    """A unit cost as money: a plain amount ("3.50", "$3.50", "12.505"), kept to the cent
    (half up: 12.505 is 12.51); "" or None clears it.

    Raises:
        ValidationError: not such an amount, negative, or more than the column holds.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | float):
        raise ValidationError("a unit cost is given as text or Decimal, e.g. 3.50")
    text = str(value).strip().lstrip("$").strip()
    if not _AMOUNT.fullmatch(text):
        raise ValidationError(f"unit cost {value!r} is not an amount (e.g. 3.50)")
    amount = Decimal(text).quantize(CENT, rounding=ROUND_HALF_UP)
    if amount > MAX_UNIT_COST:
        raise ValidationError(f"unit cost {value!r} must be an amount from 0 to {MAX_UNIT_COST}")
    return amount


def _money(text: str, *, line: int, errors: list[str]) -> str | None:
    try:
        amount = parse_unit_cost(text)
    except ValidationError:
        errors.append(f"line {line}: unit_cost must be an amount like 12.50, not {text!r}")
        return None
    return None if amount is None else str(amount)


def import_products(path: str | Path, *, client_code: str, actor: Actor | None = None) -> ImportResult:
    """Import or update a client's products from CSV (columns: see README); all or nothing.

    Raises:
        NotFound: the client does not exist (an import never creates one).
        ImportRejected: any bad line; the message lists them with line numbers.
    """
    actor = actor or Actor.system()
    actor.require_to("import products")
    client = active_client(client_code)
    rows = read_csv_rows(path, required={"sku", "name"}, what="product file")
    errors: list[str] = []
    parsed: list[dict[str, Any]] = []
    seen_sku: dict[str, int] = {}
    seen_code: dict[str, tuple[int, str]] = {}
    for line, row in rows:
        sku, name = row.get("sku", ""), row.get("name", "")
        if not sku:
            errors.append(f"line {line}: empty sku")
            continue
        if not name:
            errors.append(f"line {line}: empty name for {sku}")
        if sku in seen_sku:
            errors.append(f"line {line}: sku {sku} repeats line {seen_sku[sku]}")
        seen_sku[sku] = line
        codes: list[tuple[str, int]] = []
        for raw in [row.get("barcode", "")] + row.get("barcodes", "").replace(";", "|").split("|"):
            if raw.strip():
                codes.append((raw.strip(), 1))
        case_code = row.get("case_barcode", "")
        if case_code:
            qty = parse_int(row.get("case_qty", ""), line=line, column="case_qty", errors=errors, minimum=2)
            if qty is not None:
                codes.append((case_code, qty))
        fnsku = row.get("fnsku", "")
        if fnsku:
            codes.append((fnsku, 1))
        for raw, _ in codes:
            norm = normalize_code(raw)
            if is_command_code(norm):
                errors.append(f"line {line}: {raw} is a PrepDesk command barcode, not a product's")
            elif norm in seen_code and seen_code[norm][1] != sku:
                errors.append(f"line {line}: barcode {raw} also on line {seen_code[norm][0]}")
            seen_code[norm] = (line, sku)
        # A column the file does not have leaves the products' values as they are (a file
        # of SKUs and names must not wipe weights and sizes); an empty cell clears the value.
        fields: dict[str, object] = {"name": name}
        for col in ("fnsku", "category", "packing_instructions", "zone"):
            if col in row:
                fields[col] = row[col]
        for col in ("weight_kg", "length_cm", "width_cm", "height_cm"):
            if col in row:
                fields[col] = parse_float(row[col], line=line, column=col, errors=errors)
        if "reorder_point" in row:
            fields["reorder_point"] = parse_int(row["reorder_point"], line=line, column="reorder_point",
                                                errors=errors, default=0) or 0
        for col in ("track_lot", "track_expiry"):
            if col in row:  # absent: a re-import leaves the product's flag as it was
                fields[col] = _flag(row[col], line=line, column=col, errors=errors)
        if "unit_cost" in row:  # money, 2 decimals; empty: no value (counts weigh units only)
            fields["unit_cost"] = _money(row["unit_cost"], line=line, errors=errors)
        parsed.append({"line": line, "sku": sku, "fields": fields, "codes": codes, "fnsku": fnsku})
    # Another client's code would count this client's units as theirs (as when linked by hand).
    for code, other in foreign_owners(seen_code, client_id=client.id).items():
        errors.append(f"line {seen_code[code][0]}: barcode {code} is a barcode of {other}")
    if errors:
        raise ImportRejected("product file", errors)

    created = updated = linked = 0
    with db.write():
        existing = {sku: pid for pid, sku in db.execute(
            "SELECT id, sku FROM product WHERE client_id = ?", (client.id,)).fetchall()}
        owners = {code: pid for code, pid in db.execute(
            "SELECT code, product_id FROM product_barcode WHERE client_id = ?", (client.id,)).fetchall()}
        new_rows = [dict(client_id=client.id, sku=item["sku"], **item["fields"])
                    for item in parsed if item["sku"] not in existing]
        new_skus = {r["sku"] for r in new_rows}
        created = _insert_rows(Product, new_rows)
        if created:
            existing = {sku: pid for pid, sku in db.execute(
                "SELECT id, sku FROM product WHERE client_id = ?", (client.id,)).fetchall()}
        barcode_rows = []
        for item in parsed:
            pid = existing[item["sku"]]
            for raw, pack in item["codes"]:
                code = normalize_code(raw)
                owner = owners.get(code)
                if owner is not None and owner != pid:
                    sku_of = db.execute("SELECT sku FROM product WHERE id = ?", (owner,)).fetchone()[0]
                    errors.append(f"line {item['line']}: barcode {raw} already belongs to {sku_of}")
                    continue
                if owner == pid:
                    continue
                kind = "fnsku" if raw == item["fnsku"] else ("case" if pack > 1 else gtin_kind(raw))
                barcode_rows.append(dict(product_id=pid, client_id=client.id, code=code, kind=kind,
                                         pack_qty=pack))
                owners[code] = pid
        if errors:
            raise ImportRejected("product file", errors)
        updates = [item for item in parsed if item["sku"] not in new_skus]
        if updates:
            columns = list(updates[0]["fields"])
            db.executemany(
                f"UPDATE product SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                [[item["fields"][c] for c in columns] + [existing[item["sku"]]] for item in updates])
            updated = len(updates)
        linked = _insert_rows(ProductBarcode, barcode_rows)
        audit.record("import_products", actor=actor, client_id=client.id,
                     detail=f"{Path(path).name}: {created} new, {updated} updated, {linked} barcodes")
    return ImportResult(created, updated, linked)


def _insert_rows(model: type[BaseModel], rows: list[dict[str, Any]]) -> int:
    """Bulk insert (imports): every column of ``model`` but its id, missing ones from the
    field defaults; one executemany instead of building each INSERT with peewee."""
    if not rows:
        return 0
    fields = [f for f in model._meta.sorted_fields if not isinstance(f, AutoField)]
    defaults = {}
    for f in fields:
        value = f.default() if callable(f.default) else f.default
        defaults[f.column_name] = f.db_value(value) if value is not None else None
    columns = [f.column_name for f in fields]
    sql = (f"INSERT INTO {model._meta.table_name} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    return db.executemany(sql, [[row.get(c, defaults[c]) for c in columns] for row in rows])
