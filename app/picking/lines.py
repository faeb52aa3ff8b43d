"""A bin's open pick lines and what a scan there is: the bin, the item, the reservation it takes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app import ledger
from app.catalog.scan import find_product_code, product_code
from app.kernel.barcodes import normalize_code
from app.kernel.errors import Conflict, NotFound, ValidationError
from app.kernel.gs1 import looks_gs1, parse_gs1
from app.ledger.lots import lot_expiry, lot_text
from app.picking.picklist import WrongLot, WrongScan, shown
from app.store import db


@dataclass(frozen=True)
class OpenLine:
    """An open pick line with what a scan checks it against."""

    id: int
    order_line_id: int
    order_id: int
    order_number: str
    location_id: int
    bin_code: str
    product_id: int
    client_id: int
    sku: str
    tote: int
    qty: int
    picked: int
    short: int
    lot: str = ""  # the lot allocated ("" for a product without lots)
    walk_seq: int = 0  # the stop's rank on the walk

    @property
    def remaining(self) -> int:
        return self.qty - self.picked - self.short


_OPEN_LINES_SQL = (
    "SELECT pl.id, pl.order_line_id, ol.order_id, o.number, pl.location_id, l.code, pl.product_id, "
    "p.client_id, p.sku, pl.tote, pl.qty, pl.qty_picked, pl.qty_short, pl.lot, pl.walk_seq "
    "FROM pick_line pl JOIN location l ON l.id = pl.location_id "
    "JOIN product p ON p.id = pl.product_id JOIN order_line ol ON ol.id = pl.order_line_id "
    'JOIN "order" o ON o.id = ol.order_id '
    "WHERE pl.picklist_id = ? AND pl.location_id = {location} AND pl.status = 'open' "
    # "+": sorted after the bin's few lines are found on (picklist, location, status), never
    # by walking the wave's open lines in walk order to find this bin's
    "ORDER BY +pl.walk_seq, pl.tote, pl.id"
)
_BIN_LINES_SQL = _OPEN_LINES_SQL.format(location="?")
# The current stop's bin is the one of the open line lowest on the walk (one index row).
_CURRENT_LINES_SQL = _OPEN_LINES_SQL.format(
    location="(SELECT x.location_id FROM pick_line x WHERE x.picklist_id = ? "
             "AND x.status = 'open' ORDER BY x.walk_seq LIMIT 1)")


def open_lines(picklist_id: int, location_id: int) -> list[OpenLine]:
    """Open pick lines of one bin, in walk order (SKU, then tote)."""
    return [OpenLine(*r) for r in db.execute(_BIN_LINES_SQL, (picklist_id, location_id)).fetchall()]


def current_lines(picklist_id: int) -> list[OpenLine]:
    """The open pick lines of the current stop's bin (the bin of the open line lowest on the
    walk), in walk order; none when nothing is left to pick. One query: the bin, then its
    lines as ``open_lines`` reads them."""
    return [OpenLine(*r) for r in db.execute(_CURRENT_LINES_SQL, (picklist_id, picklist_id)).fetchall()]


def walk_seq_for(picklist_id: int, location_id: int, product_id: int) -> int:
    """The walk rank a new line of (bin, product) gets in a wave: its stop's when the wave has
    that stop, else a new rank where the bin falls on the walk (the later stops move up one:
    a re-routed short pick is rare, the scans that read the rank are not)."""
    row = db.execute("SELECT walk_seq FROM pick_line WHERE picklist_id = ? AND location_id = ? "
                     "AND product_id = ? LIMIT 1", (picklist_id, location_id, product_id)).fetchone()
    if row is not None:
        return int(row[0])
    seq, code = db.execute("SELECT pick_seq, code FROM location WHERE id = ?", (location_id,)).fetchone()
    sku = db.execute("SELECT sku FROM product WHERE id = ?", (product_id,)).fetchone()[0]
    before = int(db.execute(
        "SELECT COALESCE(MAX(x.walk_seq), 0) FROM pick_line x JOIN location l ON l.id = x.location_id "
        "JOIN product p ON p.id = x.product_id WHERE x.picklist_id = ? AND (l.pick_seq < ? "
        "OR (l.pick_seq = ? AND (l.code < ? OR (l.code = ? AND p.sku < ?))))",
        (picklist_id, seq, seq, code, code, sku),
    ).fetchone()[0])
    db.execute("UPDATE pick_line SET walk_seq = walk_seq + 1 WHERE picklist_id = ? AND walk_seq > ?",
               (picklist_id, before))
    return before + 1


def scanned_bin(bin_code: str) -> ledger.LocationRef:
    """The bin a scan names (WrongScan when it names none)."""
    code = (bin_code or "").strip().upper()
    if not code:
        raise ValidationError("scan the bin")
    try:
        return ledger.location(code)
    except NotFound:
        raise WrongScan(f"{code} is not a bin") from None


@dataclass(frozen=True)
class ItemCode:
    """A scanned item: its product, the units one scan stands for, and the lot a GS1 code
    named (None: the code names no lot, e.g. a plain UPC or the SKU)."""

    product_id: int
    pack_qty: int
    lot: str | None = None


def match_item(code: str, product_ids: set[int], skus: Mapping[int, str] | None = None) -> ItemCode | None:
    """What ``code`` is among these products: a barcode or SKU, or a GS1 code (its GTIN, and
    the lot of AI 10 when it has one). ``skus``: the products' SKUs when the caller has read
    them (the SKU is then matched without a query).

    Raises:
        ValidationError: a malformed GS1 code.
    """
    if looks_gs1(code):
        data = parse_gs1(code)
        if data.gtin:
            hit = match_product(data.gtin, product_ids, skus)
            # AI 37: a carton of that many trade items, each of the GTIN's pack quantity
            return ItemCode(hit[0], hit[1] * (data.count or 1), data.lot or None) if hit else None
    hit = match_product(code, product_ids, skus)
    return ItemCode(hit[0], hit[1]) if hit else None


def match_product(code: str, product_ids: set[int],
                  skus: Mapping[int, str] | None = None) -> tuple[int, int] | None:
    """(product id, units per scan) when ``code`` is a barcode or SKU of one of these products:
    a barcode first, then the SKU as written, then the SKU in any case. ``skus`` (every one of
    these products' SKU, when the caller has them) spares the SKU queries."""
    ids = sorted(product_ids)
    marks = ", ".join("?" for _ in ids)
    row = db.execute(
        f"SELECT product_id, pack_qty FROM product_barcode WHERE code = ? AND product_id IN ({marks}) "
        "ORDER BY id LIMIT 1", [normalize_code(code), *ids],
    ).fetchone()
    if row:
        return int(row[0]), int(row[1] or 1)
    if skus is not None and all(i in skus for i in ids):
        hit = next((i for i in ids if skus[i] == code), None)
        if hit is not None:
            return hit, 1
        if code.isascii() and all(skus[i].isascii() for i in ids):  # upper() as SQL's (ASCII only)
            hit = next((i for i in ids if skus[i].upper() == code.upper()), None)
            return (hit, 1) if hit is not None else None
    row = db.execute(f"SELECT id FROM product WHERE sku = ? AND id IN ({marks}) LIMIT 1",
                     [code, *ids]).fetchone()
    if row is None:
        row = db.execute(f"SELECT id FROM product WHERE upper(sku) = ? AND id IN ({marks}) LIMIT 1",
                         [code.upper(), *ids]).fetchone()
    return (int(row[0]), 1) if row else None


def check_lot(here: list[OpenLine], item: ItemCode, bin_code: str) -> None:
    """A GS1 scan's lot is one allocated at this stop for the product (WrongLot otherwise,
    naming both lots); a plain scan, or a product without lots, passes."""
    mine = [ln for ln in here if ln.product_id == item.product_id and ln.lot]
    if item.lot is None or not mine or any(ln.lot == item.lot for ln in mine):
        return
    first = mine[0]
    want = lot_text(first.lot, lot_expiry(first.product_id, first.lot))
    raise WrongLot(f"wrong lot {item.lot} of {first.sku}: take {want} from {bin_code}",
                   line_id=first.id, lot=item.lot, allocated=first.lot)


def describe_scan(code: str) -> str:
    """'CODE (SKU)', 'SKU' when the code is the SKU itself, or 'CODE (unknown)': what a wrong
    item was, for the refusal. A GS1 code is named by its GTIN ('GTIN 09506000134352 (SKU)'),
    not by its whole element string with the lot and dates the picker cannot read off it."""
    try:
        hit = find_product_code(code)
    except ValidationError:
        hit = None
    name = shown(code)
    if looks_gs1(code):
        try:
            name = f"GTIN {product_code(code)}"
        except ValidationError:  # unreadable, or a carton's SSCC: named as scanned
            pass
    if hit is None:
        return f"{name} (unknown)"
    return hit.label if hit.label == name else f"{name} ({hit.label})"


def consume_allocation(order_line_id: int, location_id: int, qty: int, lot: str = "") -> None:
    """Lower the reservation rows of one order line in one bin and lot by ``qty`` (the caller
    keeps StockLevel.reserved equal: apply_move's consume_reserved, or release_reserved)."""
    rows = db.execute(
        "SELECT id, qty FROM allocation WHERE order_line_id = ? AND location_id = ? AND lot = ? AND qty > 0 "
        "ORDER BY id" + db.for_update(), (order_line_id, location_id, lot),
    ).fetchall()
    if sum(q for _, q in rows) < qty:
        raise Conflict("the reservation for this pick is gone (released elsewhere?): ask the supervisor")
    left = qty
    for alloc_id, aqty in rows:
        take = min(aqty, left)
        if take == aqty:
            db.execute("DELETE FROM allocation WHERE id = ?", (alloc_id,))
        else:
            db.execute("UPDATE allocation SET qty = qty - ? WHERE id = ?", (take, alloc_id))
        left -= take
        if not left:
            break

def release_reserved(product_id: int, location_id: int, qty: int, lot: str = "") -> None:
    """Lower a bin's reserved count of a lot by ``qty`` (Conflict when it holds fewer reserved)."""
    cur = db.execute("UPDATE stock_level SET reserved = reserved - ? WHERE product_id = ? "
                     "AND location_id = ? AND lot = ? AND reserved >= ?", (qty, product_id, location_id, lot, qty))
    if cur.rowcount != 1:
        raise Conflict("the bin's reservation does not match the pick list: run check")

