"""What the ledger holds: stock per product, balances per location, and the moves behind them."""

from __future__ import annotations

from dataclasses import dataclass

from app.kernel.barcodes import normalize_code
from app.kernel.errors import ValidationError
from app.kernel.gs1 import looks_gs1, parse_gs1
from app.ledger.moves import find_product
from app.store import db
from app.store.places import location


@dataclass(frozen=True)
class StockRow:
    product_id: int
    client: str
    sku: str
    name: str
    on_hand: int      # in bins
    reserved: int
    available: int    # bins on hand - reserved
    receiving: int    # in RECEIVING, waiting for putaway
    quarantine: int
    elsewhere: int    # other staging (packing, returns)


@dataclass(frozen=True)
class BinBalance:
    location: str
    kind: str
    on_hand: int
    reserved: int
    available: int


STOCK_SORT_COLUMNS = {
    "client": "c.code", "sku": "p.sku", "name": "p.name", "on_hand": "on_hand",
    "reserved": "reserved", "available": "available", "receiving": "receiving",
    "quarantine": "quarantine", "elsewhere": "elsewhere",
}

# The totals come from product_stock (kept by triggers on stock_level, see migration 3).
# Sorted by a quantity, with no filter: walk product_stock's (column, product) index and
# stop at the page (a correlated check per product, so SQLite builds no bloom filter over
# every product): about 1 ms for the first page of 100,000 products.
_STOCK_BY_TOTAL = """
WITH page AS (
  SELECT ps.product_id, ps.on_hand, ps.reserved, ps.available, ps.receiving, ps.quarantine,
    ps.elsewhere
  FROM product_stock ps
  WHERE EXISTS (SELECT 1 FROM product p JOIN client c ON c.id = p.client_id
                {where} AND p.id = ps.product_id)
  ORDER BY {order}
  {limit}
)
SELECT p.id, c.code, p.sku, p.name, page.on_hand, page.reserved, page.available,
  page.receiving, page.quarantine, page.elsewhere
FROM page
JOIN product p ON p.id = page.product_id
JOIN client c ON c.id = p.client_id
ORDER BY {outer_order}
"""

# ... with a search or a client: the matching products first (bounded by the catalogue,
# whatever the term), then their totals by key, then sort those.
_STOCK_FILTERED_BY_TOTAL = """
SELECT p.id, c.code, p.sku, p.name, ps.on_hand, ps.reserved, ps.available, ps.receiving,
  ps.quarantine, ps.elsewhere
FROM product p
JOIN client c ON c.id = p.client_id
CROSS JOIN product_stock ps
{where} AND ps.product_id = p.id
ORDER BY {order}
{limit}
"""


def _stock_filter(client: str | None, search: str | None) -> tuple[str, list[object]]:
    where: list[str] = ["p.active = ?"]
    params: list[object] = [True]
    if client:
        where.append("c.code = ?")
        params.append(client)
    if search:
        term = search.strip()
        like = "%" + term.replace("\\", "").replace("%", "").replace("_", "") + "%"
        where.append(
            "(p.sku LIKE ? OR p.name LIKE ? OR p.id IN "
            "(SELECT product_id FROM product_barcode WHERE code = ? OR code = ?))"
        )
        params += [like, like, term, _barcode_searched(term)]
    return " WHERE " + " AND ".join(where), params


def _barcode_searched(term: str) -> str:
    """The stored form of a searched barcode: a GS1 scan's GTIN (its lot and expiry name no
    product), any other code normalised. Only a code that looks like GS1 is parsed."""
    if looks_gs1(term):
        try:
            gtin = parse_gs1(term).gtin
        except ValidationError:
            gtin = ""  # not GS1 after all: searched as typed
        if gtin:
            return gtin
    return normalize_code(term)


def stock_count(*, client: str | None = None, search: str | None = None) -> int:
    """How many products ``stock_rows`` would list with the same filter."""
    where, params = _stock_filter(client, search)
    sql = "SELECT COUNT(*) FROM product p JOIN client c ON c.id = p.client_id" + where
    if db.is_postgres():
        sql = sql.replace(" LIKE ", " ILIKE ")
    return int(db.execute(sql, params).fetchone()[0])


_PAGE_FIRST_SORTS = {"client": "client", "sku": "sku", "name": "name"}

_STOCK_PAGE = """
WITH page AS (
  SELECT p.id, c.code AS client, p.sku, p.name FROM product p
  JOIN client c ON c.id = p.client_id
  {where}
  ORDER BY {order}
  {limit}
)
SELECT page.id, page.client, page.sku, page.name, ps.on_hand, ps.reserved, ps.available,
  ps.receiving, ps.quarantine, ps.elsewhere
FROM page
JOIN product_stock ps ON ps.product_id = page.id
ORDER BY {outer_order}
"""


def stock_rows(*, client: str | None = None, search: str | None = None, sort: str = "sku",
               descending: bool = False, offset: int = 0, limit: int | None = None) -> list[StockRow]:
    """One row per product: bins on hand, reserved, available, and what waits in staging."""
    if sort not in STOCK_SORT_COLUMNS:
        raise ValidationError(f"cannot sort stock by {sort!r}")
    where, params = _stock_filter(client, search)
    direction = "DESC" if descending else "ASC"
    limit_sql = f"LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
    if sort in _PAGE_FIRST_SORTS:
        # Sorting by a product column: choose the page of products first (an index walk),
        # then add up balances for those few only, not for the whole catalogue.
        col = _PAGE_FIRST_SORTS[sort]
        sql = _STOCK_PAGE.format(
            where=where, limit=limit_sql,
            order=f"{STOCK_SORT_COLUMNS[sort]} {direction}, p.id {direction}",
            outer_order=f"page.{col} {direction}, page.id {direction}",
        )
        all_params = params
    else:
        col = STOCK_SORT_COLUMNS[sort]
        order = f"{col} {direction}, product_id {direction}"
        template = _STOCK_FILTERED_BY_TOTAL if (client or search) else _STOCK_BY_TOTAL
        sql = template.format(where=where, limit=limit_sql, order="ps." + order.replace(", ", ", ps."),
                              outer_order="page." + order.replace(", ", ", page."))
        all_params = params
    if db.is_postgres():
        sql = sql.replace(" LIKE ", " ILIKE ")
    rows = db.execute(sql, all_params).fetchall()
    return [StockRow(*r) for r in rows]


def balances(product: int | str, *, client_id: int | None = None) -> list[BinBalance]:
    """Where a product is: every real location holding it, in walk order."""
    p = find_product(product, client_id)
    rows = db.execute(
        "SELECT l.code, l.kind, sl.on_hand, sl.reserved FROM stock_level sl "
        "JOIN location l ON l.id = sl.location_id WHERE sl.product_id = ? AND sl.on_hand > 0 "
        "ORDER BY l.kind, l.pick_seq, l.code", (p.id,),
    ).fetchall()
    return [BinBalance(code, kind, oh, rs, oh - rs) for code, kind, oh, rs in rows]


def on_hand(product_id: int, location_code: str) -> int:
    """Units of a product in one location (all its lots)."""
    loc = location(location_code)
    row = db.execute("SELECT SUM(on_hand) FROM stock_level WHERE product_id = ? AND location_id = ?",
                     (product_id, loc.id)).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def reserved(product_id: int, location_code: str) -> int:
    """Units of a product reserved for orders in one location (all its lots)."""
    loc = location(location_code)
    row = db.execute("SELECT SUM(reserved) FROM stock_level WHERE product_id = ? AND location_id = ?",
                     (product_id, loc.id)).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def available(product_id: int) -> int:
    """Free stock in bins (on hand − reserved) across all bins."""
    row = db.execute(
        "SELECT COALESCE(SUM(sl.on_hand - sl.reserved), 0) FROM stock_level sl "
        "JOIN location l ON l.id = sl.location_id WHERE sl.product_id = ? AND l.kind = 'bin'",
        (product_id,),
    ).fetchone()
    return int(row[0])


@dataclass(frozen=True)
class MoveRow:
    id: int
    created_at: object
    sku: str
    from_location: str
    to_location: str
    qty: int
    kind: str
    reason: str
    doc_type: str
    doc_ref: str
    user_name: str
    station: str


def moves_for(*, product_id: int | None = None, doc_type: str | None = None,
              doc_id: int | None = None, limit: int = 500) -> list[MoveRow]:
    """The latest moves of a product or a document, newest first."""
    where: list[str] = []
    params: list[object] = []
    if product_id is not None:
        where.append("m.product_id = ?")
        params.append(product_id)
    if doc_type is not None:
        where.append("m.doc_type = ?")
        params.append(doc_type)
    if doc_id is not None:
        where.append("m.doc_id = ?")
        params.append(doc_id)
    sql = (
        "SELECT m.id, m.created_at, p.sku, lf.code, lt.code, m.qty, m.kind, m.reason, m.doc_type, "
        "m.doc_ref, m.user_name, m.station FROM stock_move m JOIN product p ON p.id = m.product_id "
        "JOIN location lf ON lf.id = m.from_location_id JOIN location lt ON lt.id = m.to_location_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY m.id DESC LIMIT {int(limit)}"
    return [MoveRow(*r) for r in db.execute(sql, params).fetchall()]
