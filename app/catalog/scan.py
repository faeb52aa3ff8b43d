"""What a scanned code is: a product (by any barcode or its SKU), a bin, an order, a document.

This runs on every scan, so it uses raw parameterised SQL and indexed columns only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from app.catalog.products import client_by_code
from app.kernel.barcodes import GS, normalize_code
from app.kernel.errors import UnknownBarcode, ValidationError
from app.kernel.gs1 import looks_gs1, parse_gs1
from app.store import db


@dataclass(frozen=True)
class ScanMatch:
    kind: str  # product, location, order, picklist, package, shipment, user
    id: int
    code: str
    label: str
    client_id: int | None = None
    pack_qty: int = 1
    # What a GS1 code carried beside the GTIN (empty for a plain barcode).
    lot: str = ""
    expiry: dt.date | None = None
    serial: str = ""
    count: int | None = None
    # The product keeps lots (1) and expiry dates (2): receiving asks for them (bit flags).
    tracks: int = 0


# A product scan: barcode matches (priority 0) win over SKU matches (priority 1).
_TRACKS = "(CASE WHEN {p}track_lot THEN 1 ELSE 0 END + CASE WHEN {p}track_expiry THEN 2 ELSE 0 END)"
_BY_CODE = ("SELECT 0 AS prio, b.product_id, b.pack_qty, b.client_id, p.sku, "
            + _TRACKS.format(p="p.") + " AS tracks FROM product_barcode b "
            "JOIN product p ON p.id = b.product_id WHERE b.code = ?{client} LIMIT 2")
_BY_SKU = ("SELECT 1 AS prio, id, 1, client_id, sku, " + _TRACKS.format(p="")
           + " AS tracks FROM product WHERE sku = ?{client} LIMIT 2")
_CODE_ANY, _CODE_CLIENT = _BY_CODE.format(client=""), _BY_CODE.format(client=" AND b.client_id = ?")
_SKU_ANY, _SKU_CLIENT = _BY_SKU.format(client=""), _BY_SKU.format(client=" AND client_id = ?")
# Both in one statement (one round trip on PostgreSQL); a GTIN scanned on in-process SQLite
# asks for the SKU only when no barcode matched, so the common scan is one index lookup.
_UNION_ANY = f"SELECT * FROM ({_CODE_ANY}) AS by_code UNION ALL SELECT * FROM ({_SKU_ANY}) AS by_sku"
_UNION_CLIENT = f"SELECT * FROM ({_CODE_CLIENT}) AS by_code UNION ALL SELECT * FROM ({_SKU_CLIENT}) AS by_sku"


def find_product_code(code: str, *, client_id: int | None = None) -> ScanMatch | None:
    """A product by barcode (normalised) or SKU; ``client_id`` narrows to one client's goods.

    A barcode match wins over a SKU match. A GS1 element string is looked up by its GTIN and
    the match carries its lot, expiry, serial and count. Raises ValidationError when the
    code belongs to products of several clients and no client narrows it, or when a code
    marked as GS1 (symbology identifier, separator) cannot be read.
    """
    if looks_gs1(code):
        return _find_gs1(code, client_id)
    return _find_plain(code, client_id)


def _find_gs1(code: str, client_id: int | None) -> ScanMatch | None:
    try:
        data = parse_gs1(code)
    except ValidationError:
        # Sixteen digits from 01 may still be someone's own alias or SKU.
        if code[:1] != "]" and GS not in code and (hit := _find_plain(code, client_id)):
            return hit
        raise
    if not data.gtin:
        return None
    hit = _find_plain(data.gtin, client_id)
    if hit is None:
        return None
    # AI 37 counts the trade items (the GTIN's) in the labelled carton: one scan stands for
    # that many, each of them the GTIN's own pack quantity.
    units = hit.pack_qty * (data.count or 1)
    return replace(hit, code=code, lot=data.lot, expiry=data.expiry, serial=data.serial,
                   count=data.count, pack_qty=units)


def product_code(code: str) -> str:
    """The code a product keeps for a scan: a GS1 element string's GTIN (its lot, expiry
    and count describe the units in hand, not the product), any other code as scanned.

    Raises:
        ValidationError: an unreadable GS1 code, or one naming a logistic unit (SSCC) only.
    """
    if not looks_gs1(code):
        return code
    data = parse_gs1(code)
    if not data.gtin:
        raise ValidationError(f"{code} is a carton's SSCC, not a product's barcode: scan the product's own code")
    return data.gtin


def _find_plain(code: str, client_id: int | None) -> ScanMatch | None:
    norm = normalize_code(code)
    if db.is_sqlite() and len(norm) == 14 and norm.isdigit():
        # A GTIN is nearly always a barcode: look there first, the SKU only if need be.
        if client_id is None:
            rows = db.execute(_CODE_ANY, (norm,)).fetchall() or db.execute(_SKU_ANY, (code,)).fetchall()
        else:
            rows = (db.execute(_CODE_CLIENT, (norm, client_id)).fetchall()
                    or db.execute(_SKU_CLIENT, (code, client_id)).fetchall())
    elif client_id is None:
        rows = db.execute(_UNION_ANY, (norm, code)).fetchall()
    else:
        rows = db.execute(_UNION_CLIENT, (norm, client_id, code, client_id)).fetchall()
    if not rows:
        return None
    best = min(r[0] for r in rows)
    rows = [r for r in rows if r[0] == best]
    if len(rows) > 1:
        raise ValidationError(f"{code} belongs to products of several clients: open the client's document first")
    _, pid, pack, cid, sku, tracks = rows[0]
    return ScanMatch("product", pid, code, sku, cid, pack, tracks=int(tracks))


def client_product(client_code: str, code: str) -> tuple[str, int]:
    """The SKU of the client's product with barcode (or SKU) ``code``, and the units one scan
    of it stands for (a case code: the case's units).

    Raises:
        NotFound: no such client.
        UnknownBarcode: no product of the client has that code.
    """
    match = find_product_code(code, client_id=client_by_code(client_code).id)
    if match is None:
        raise UnknownBarcode(code, f"{code} is no product of {client_code}")
    return match.label, match.pack_qty


def resolve(code: str, *, client_id: int | None = None, kinds: tuple[str, ...] | None = None) -> ScanMatch:
    """Look a scan up by product barcode/SKU, bin, order number, pick list, package SSCC,
    inbound shipment reference. ``kinds`` limits what is looked for.

    Raises:
        UnknownBarcode: nothing matches.
    """
    code = code.strip()
    if not code:
        raise UnknownBarcode(code, "empty scan")

    def want(kind: str) -> bool:
        return kinds is None or kind in kinds

    if want("product"):
        hit = find_product_code(code, client_id=client_id)
        if hit:
            return hit
    if want("location"):
        row = db.execute("SELECT id, code FROM location WHERE code = ?", (code.upper(),)).fetchone()
        if row:
            return ScanMatch("location", row[0], code, row[1])
    if want("order"):
        sql = 'SELECT id, number, client_id FROM "order" WHERE number = ?'
        params: list[object] = [code]
        if client_id is not None:
            sql += " AND client_id = ?"
            params.append(client_id)
        rows = db.execute(sql + " LIMIT 2", params).fetchall()
        if len(rows) == 1:
            return ScanMatch("order", rows[0][0], code, rows[0][1], rows[0][2])
        if len(rows) > 1:
            raise ValidationError(f"order {code} exists for several clients: choose the client")
    if want("picklist"):
        row = db.execute("SELECT id, number, client_id FROM pick_list WHERE number = ?", (code.upper(),)).fetchone()
        if row:
            return ScanMatch("picklist", row[0], code, row[1], row[2])
    if want("package"):
        sscc = code[2:] if len(code) == 20 and code.startswith("00") else code
        row = db.execute("SELECT id, sscc, client_id FROM package WHERE sscc = ?", (sscc,)).fetchone()
        if row:
            return ScanMatch("package", row[0], code, row[1], row[2])
    if want("shipment"):
        sql = "SELECT id, ref, client_id FROM inbound_shipment WHERE ref = ?"
        params = [code]
        if client_id is not None:
            sql += " AND client_id = ?"
            params.append(client_id)
        row = db.execute(sql, params).fetchone()
        if row:
            return ScanMatch("shipment", row[0], code, row[1], row[2])
    raise UnknownBarcode(code)
