"""The stock ledger: moves, adjustments, transfers, balances and the invariant check.

Every change of stock is a StockMove written in the same transaction as the running
balances (StockLevel) it changes. ``apply_move`` is the one place that does it; services
call it inside their own ``db.write()`` block. Hot paths use raw parameterised SQL
(see DESIGN.md: peewee's query builder costs ~25x a raw lookup).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import NotFound, OutOfStock, ValidationError
from app.store import audit, changes, db
from app.store.models import Product

ADJUST_REASONS = ("count", "damaged", "found", "lost", "correction", "expired", "sample")

# (database object id, code as asked) -> (location id, kind, code); locations are never deleted.
_loc_cache: dict[tuple[int, str], tuple[int, str, str]] = {}
_loc_kind_cache: dict[tuple[int, int], tuple[str, str]] = {}


@dataclass(frozen=True)
class LocationRef:
    id: int
    code: str
    kind: str


def location(code: str) -> LocationRef:
    """A location by code (cached: codes and kinds never change).

    Raises:
        NotFound: no such location.
    """
    key = (id(db.database.obj), code)
    hit = _loc_cache.get(key)
    if hit is None:
        row = db.execute("SELECT id, kind, code FROM location WHERE code = ?", (code,)).fetchone()
        if row is None:
            row = db.execute("SELECT id, kind, code FROM location WHERE upper(code) = ?",
                             (code.strip().upper(),)).fetchone()
            if row is None:
                raise NotFound(f"no location {code!r}")
        hit = (row[0], row[1], row[2])
        _loc_cache[key] = hit
    return LocationRef(hit[0], hit[2], hit[1])


def location_by_id(location_id: int) -> LocationRef:
    key = (id(db.database.obj), location_id)
    hit = _loc_kind_cache.get(key)
    if hit is None:
        row = db.execute("SELECT code, kind FROM location WHERE id = ?", (location_id,)).fetchone()
        if row is None:
            raise NotFound(f"no location #{location_id}")
        hit = (row[0], row[1])
        _loc_kind_cache[key] = hit
    return LocationRef(location_id, hit[0], hit[1])


def clear_caches() -> None:
    _loc_cache.clear()
    _loc_kind_cache.clear()


def apply_move(
    product_id: int,
    from_id: int,
    to_id: int,
    qty: int,
    *,
    kind: str,
    actor: Actor,
    reason: str = "",
    doc_type: str = "",
    doc_id: int | None = None,
    doc_ref: str = "",
    client_id: int | None = None,
    reverses: int | None = None,
    consume_reserved: int = 0,
) -> int:
    """Write one move and the balances it changes. Call inside ``db.write()``.

    ``consume_reserved`` lowers the source's reservation by that much in the same step
    (a pick takes the units that were reserved for it).

    Returns:
        The new move's id.

    Raises:
        ValidationError: quantity not positive, same location on both sides.
        OutOfStock: the source would go negative or below what is reserved there.
    """
    if not isinstance(qty, int) or qty <= 0:
        raise ValidationError(f"quantity must be a positive whole number, not {qty!r}")
    if from_id == to_id:
        raise ValidationError("a move needs two different locations")
    src = location_by_id(from_id)
    dst = location_by_id(to_id)
    if consume_reserved and src.kind == "virtual":
        raise ValidationError("a virtual location holds no reservation")
    move_row = (product_id, from_id, to_id, qty, kind, reason, doc_type, doc_id, doc_ref, client_id,
                actor.user_id, actor.name, actor.station, reverses, clock.now())
    changes.changed("stock", product_id)
    if db.is_postgres():
        move_id = _apply_move_one_statement(src, dst, product_id, qty, consume_reserved, move_row)
        if move_id is None:
            _refuse(src, product_id, qty, consume_reserved)
        return move_id
    if src.kind != "virtual":
        cur = db.execute(_TAKE_SQL, (qty, consume_reserved, product_id, from_id, qty, consume_reserved,
                                     consume_reserved))
        if cur.rowcount != 1:
            _refuse(src, product_id, qty, consume_reserved)
    if dst.kind != "virtual":
        db.execute(_PUT_VALUES_SQL, (product_id, to_id, qty))
    cur = db.execute(_MOVE_VALUES_SQL, move_row)
    return int(cur.fetchone()[0])


# The source gives up stock only while what is left covers what stays reserved there.
_TAKE_SQL = (
    "UPDATE stock_level SET on_hand = on_hand - ?, reserved = reserved - ? "
    "WHERE product_id = ? AND location_id = ? AND on_hand - ? >= reserved - ? AND reserved >= ?"
)
_PUT_SQL = (
    "INSERT INTO stock_level (product_id, location_id, on_hand, reserved) {select} "
    "ON CONFLICT (product_id, location_id) DO UPDATE SET on_hand = stock_level.on_hand + excluded.on_hand"
)
_MOVE_SQL = (
    "INSERT INTO stock_move (product_id, from_location_id, to_location_id, qty, kind, reason, "
    "doc_type, doc_id, doc_ref, client_id, user_id, user_name, station, reverses_id, created_at) "
    "{select} RETURNING id"
)
_PUT_VALUES_SQL = _PUT_SQL.format(select="VALUES (?, ?, ?, 0)")
_MOVE_VALUES_SQL = _MOVE_SQL.format(select="VALUES (" + ", ".join("?" * 15) + ")")


def _apply_move_one_statement(src: LocationRef, dst: LocationRef, product_id: int, qty: int,
                              consume_reserved: int, move_row: tuple[Any, ...]) -> int | None:
    """PostgreSQL: take, put and record in one round trip (data-modifying CTEs). The put
    and the record only happen if the take succeeded; None means it did not (nothing written)."""
    parts, params = [], []
    guard = ""
    if src.kind != "virtual":
        parts.append(f"take AS ({_TAKE_SQL} RETURNING 1)")
        params += [qty, consume_reserved, product_id, src.id, qty, consume_reserved, consume_reserved]
        guard = " WHERE EXISTS (SELECT 1 FROM take)"
    if dst.kind != "virtual":
        parts.append("put AS (" + _PUT_SQL.format(select="SELECT ?, ?, ?, 0" + guard) + " RETURNING 1)")
        params += [product_id, dst.id, qty]
    sql = _MOVE_SQL.format(select=f"SELECT {', '.join('?' * len(move_row))}{guard}")
    if parts:
        sql = "WITH " + ", ".join(parts) + " " + sql
    row = db.execute(sql, params + list(move_row)).fetchone()
    return int(row[0]) if row else None


def _refuse(src: LocationRef, product_id: int, qty: int, consume_reserved: int) -> NoReturn:
    """Say why the source cannot give ``qty`` (one line), as OutOfStock."""
    row = db.execute(
        "SELECT on_hand, reserved FROM stock_level WHERE product_id = ? AND location_id = ?",
        (product_id, src.id),
    ).fetchone()
    on_hand, reserved = row if row else (0, 0)
    sku = _sku(product_id)
    if consume_reserved:
        raise OutOfStock(f"{src.code} holds {on_hand} of {sku} ({reserved} reserved): cannot take {qty}")
    raise OutOfStock(
        f"{src.code} has {on_hand - reserved} of {sku} free ({on_hand} on hand, "
        f"{reserved} reserved): cannot take {qty}"
    )


def _sku(product_id: int) -> str:
    row = db.execute("SELECT sku FROM product WHERE id = ?", (product_id,)).fetchone()
    return row[0] if row else f"product #{product_id}"


def _product(product: int | str, client_id: int | None = None) -> Product:
    if isinstance(product, int):
        p = Product.get_or_none(Product.id == product)
    else:
        q = Product.select().where(Product.sku == product)
        if client_id is not None:
            q = q.where(Product.client == client_id)
        found = list(q.limit(2))
        if len(found) > 1:
            raise ValidationError(f"SKU {product!r} belongs to several clients: name the client")
        p = found[0] if found else None
    if p is None:
        raise NotFound(f"no product {product!r}")
    return p


def reverse_move(move_id: int, *, actor: Actor, reason: str = "undo") -> int:
    """Undo a move by writing its mirror image (moves are never updated or deleted)."""
    with db.write():
        return reverse_move_in_tx(move_id, actor=actor, reason=reason)


def reverse_move_in_tx(move_id: int, *, actor: Actor, reason: str = "undo") -> int:
    row = db.execute(
        "SELECT product_id, from_location_id, to_location_id, qty, doc_type, doc_id, doc_ref, "
        "client_id, reverses_id FROM stock_move WHERE id = ?", (move_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no stock move #{move_id}")
    product_id, from_id, to_id, qty, doc_type, doc_id, doc_ref, client_id, reverses = row
    if reverses is not None:
        raise ValidationError(f"move #{move_id} is itself an undo")
    if db.execute("SELECT 1 FROM stock_move WHERE reverses_id = ?", (move_id,)).fetchone():
        raise ValidationError(f"move #{move_id} was undone already")
    return apply_move(
        product_id, to_id, from_id, qty, kind="undo", actor=actor, reason=reason,
        doc_type=doc_type, doc_id=doc_id, doc_ref=doc_ref, client_id=client_id, reverses=move_id,
    )


def move(product: int | str, from_code: str, to_code: str, qty: int, *, actor: Actor,
         kind: str = "transfer", reason: str = "", client_id: int | None = None) -> int:
    """Move stock between any two locations in one transaction; returns the move id."""
    with db.write():
        p = _product(product, client_id)
        src, dst = location(from_code), location(to_code)
        move_id = apply_move(p.id, src.id, dst.id, qty, kind=kind, actor=actor, reason=reason,
                             client_id=p.client_id)
        if dst.kind == "bin" and src.kind != "bin":
            stock_arrived({p.id}, actor=actor)
    return move_id


def transfer(product: int | str, from_bin: str, to_bin: str, qty: int, *, actor: Actor,
             client_id: int | None = None) -> int:
    """Move free stock from one real location to another (bin to bin, staging to bin)."""
    src, dst = location(from_bin), location(to_bin)
    for loc in (src, dst):
        if loc.kind == "virtual":
            raise ValidationError(f"{loc.code} is not a real location; transfers are between bins")
    return move(product, from_bin, to_bin, qty, actor=actor, kind="transfer", client_id=client_id)


def adjust(product: int | str, location_code: str, delta: int, *, reason: str, actor: Actor,
           note: str = "", client_id: int | None = None) -> int:
    """Correct a balance after a count or damage. Supervisors only.

    Raises:
        PermissionDenied: the actor is not a supervisor.
        ValidationError: zero delta, unknown reason code, virtual location.
        OutOfStock: a negative adjustment below what is free in the location.
    """
    actor.require(action="adjust stock")
    if not isinstance(delta, int) or delta == 0:
        raise ValidationError("an adjustment needs a non-zero whole quantity")
    if reason not in ADJUST_REASONS:
        raise ValidationError(f"unknown reason {reason!r}: use one of {', '.join(ADJUST_REASONS)}")
    loc = location(location_code)
    if loc.kind == "virtual":
        raise ValidationError(f"{loc.code} is virtual; adjust a real location")
    adj = location("ADJUSTMENT")
    with db.write():
        p = _product(product, client_id)
        src, dst = (adj.id, loc.id) if delta > 0 else (loc.id, adj.id)
        move_id = apply_move(p.id, src, dst, abs(delta), kind="adjust", actor=actor,
                             reason=f"{reason}: {note}" if note else reason,
                             doc_type="adjustment", client_id=p.client_id)
        audit.record("adjust", actor=actor, client_id=p.client_id, doc_type="adjustment",
                     detail=f"{p.sku} {loc.code} {delta:+d} {reason} {note}".strip())
        if delta > 0 and loc.kind == "bin":
            stock_arrived({p.id}, actor=actor)
    return move_id


def stock_arrived(product_ids: set[int], *, actor: Actor) -> None:
    """Stock became available in bins: fill waiting back-orders, in the same transaction."""
    from app.orders import allocation

    allocation.allocate_waiting(product_ids, actor=actor)


# --- Queries ------------------------------------------------------------------------


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
        from app.kernel.barcodes import normalize_code

        params += [like, like, term, normalize_code(term)]
    return " WHERE " + " AND ".join(where), params


def stock_count(*, client: str | None = None, search: str | None = None) -> int:
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
    p = _product(product, client_id)
    rows = db.execute(
        "SELECT l.code, l.kind, sl.on_hand, sl.reserved FROM stock_level sl "
        "JOIN location l ON l.id = sl.location_id WHERE sl.product_id = ? AND sl.on_hand > 0 "
        "ORDER BY l.kind, l.pick_seq, l.code", (p.id,),
    ).fetchall()
    return [BinBalance(code, kind, oh, rs, oh - rs) for code, kind, oh, rs in rows]


def on_hand(product_id: int, location_code: str) -> int:
    loc = location(location_code)
    row = db.execute("SELECT on_hand FROM stock_level WHERE product_id = ? AND location_id = ?",
                     (product_id, loc.id)).fetchone()
    return int(row[0]) if row else 0


def reserved(product_id: int, location_code: str) -> int:
    loc = location(location_code)
    row = db.execute("SELECT reserved FROM stock_level WHERE product_id = ? AND location_id = ?",
                     (product_id, loc.id)).fetchone()
    return int(row[0]) if row else 0


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


# --- The ledger check -----------------------------------------------------------------


@dataclass(frozen=True)
class CheckReport:
    problems: list[str]
    moves: int
    balances: int

    @property
    def ok(self) -> bool:
        return not self.problems


def check(*, limit: int = 50) -> CheckReport:
    """Verify the ledger invariants of DESIGN.md; returns every breach found (up to ``limit``)."""
    problems: list[str] = []
    # 1. balance = moves in - moves out, for every product and real location
    rows = db.execute(
        """
        SELECT x.product_id, x.location_id, x.moved, COALESCE(sl.on_hand, 0) FROM (
          SELECT product_id, location_id, SUM(q) AS moved FROM (
            SELECT product_id, to_location_id AS location_id, qty AS q FROM stock_move
            UNION ALL
            SELECT product_id, from_location_id AS location_id, -qty AS q FROM stock_move
          ) t GROUP BY product_id, location_id
        ) x
        JOIN location l ON l.id = x.location_id AND l.kind <> 'virtual'
        LEFT JOIN stock_level sl ON sl.product_id = x.product_id AND sl.location_id = x.location_id
        WHERE x.moved <> COALESCE(sl.on_hand, 0)
        """
    ).fetchall()
    for product_id, location_id, moved, bal in rows[:limit]:
        problems.append(
            f"balance of {_sku(product_id)} in {location_by_id(location_id).code} is {bal}, "
            f"moves say {moved}"
        )
    orphan = db.execute(
        """
        SELECT sl.product_id, sl.location_id, sl.on_hand FROM stock_level sl
        WHERE sl.on_hand <> 0 AND NOT EXISTS (
          SELECT 1 FROM stock_move m WHERE m.product_id = sl.product_id
          AND (m.to_location_id = sl.location_id OR m.from_location_id = sl.location_id))
        """
    ).fetchall()
    for product_id, location_id, bal in orphan[:limit]:
        problems.append(f"balance of {_sku(product_id)} in {location_by_id(location_id).code} "
                        f"is {bal} without any move")
    # 2. no negative on-hand; 0 <= reserved <= on-hand; virtual locations hold no balance
    for product_id, location_id, oh, rs, kind in db.execute(
        "SELECT sl.product_id, sl.location_id, sl.on_hand, sl.reserved, l.kind FROM stock_level sl "
        "JOIN location l ON l.id = sl.location_id "
        "WHERE sl.on_hand < 0 OR sl.reserved < 0 OR sl.reserved > sl.on_hand OR "
        "(l.kind = 'virtual' AND (sl.on_hand <> 0 OR sl.reserved <> 0))"
    ).fetchall()[:limit]:
        problems.append(f"{_sku(product_id)} in {location_by_id(location_id).code} ({kind}): "
                        f"on hand {oh}, reserved {rs}")
    # reservations in balances are exactly the open allocations
    for product_id, location_id, rs, alloc in db.execute(
        """
        SELECT COALESCE(sl.product_id, a.product_id), COALESCE(sl.location_id, a.location_id),
               COALESCE(sl.reserved, 0), COALESCE(a.qty, 0)
        FROM stock_level sl
        FULL OUTER JOIN (SELECT product_id, location_id, SUM(qty) AS qty FROM allocation
                         GROUP BY product_id, location_id) a
          ON a.product_id = sl.product_id AND a.location_id = sl.location_id
        WHERE COALESCE(sl.reserved, 0) <> COALESCE(a.qty, 0)
        """
    ).fetchall()[:limit]:
        problems.append(f"{_sku(product_id)} in {location_by_id(location_id).code}: reserved {rs} "
                        f"but allocations total {alloc}")
    # 3./4. moves are well-formed and say who, where, when, why
    for (move_id,) in db.execute(
        "SELECT id FROM stock_move WHERE qty <= 0 OR from_location_id = to_location_id "
        "OR kind = '' OR created_at IS NULL OR (user_name = '' AND user_id IS NULL)"
    ).fetchall()[:limit]:
        problems.append(f"stock move #{move_id} is malformed (quantity, locations, kind, who or when)")
    for (move_id,) in db.execute(
        "SELECT m.id FROM stock_move m JOIN stock_move o ON o.id = m.reverses_id "
        "WHERE m.product_id <> o.product_id OR m.qty <> o.qty OR m.from_location_id <> o.to_location_id "
        "OR m.to_location_id <> o.from_location_id"
    ).fetchall()[:limit]:
        problems.append(f"stock move #{move_id} claims to undo a move it does not mirror")
    problems += _product_total_problems(limit)
    counts = db.execute("SELECT (SELECT COUNT(*) FROM stock_move), (SELECT COUNT(*) FROM stock_level)").fetchone()
    return CheckReport(problems=problems[:limit], moves=int(counts[0]), balances=int(counts[1]))


def _product_total_problems(limit: int) -> list[str]:
    """5. the per-product totals (product_stock, kept by triggers) equal the balances."""
    from app.store.migrations import _TOTAL_COLUMNS, product_totals_sql

    differs = " OR ".join(f"ps.{c} <> COALESCE(s.{c}, 0)" for c in _TOTAL_COLUMNS)
    rows = db.execute(
        f"SELECT p.id, ps.product_id, {', '.join(f'ps.{c}' for c in _TOTAL_COLUMNS)}, "
        f"{', '.join(f'COALESCE(s.{c}, 0)' for c in _TOTAL_COLUMNS)} "
        f"FROM product p LEFT JOIN product_stock ps ON ps.product_id = p.id "
        f"LEFT JOIN ({product_totals_sql()}) s ON s.product_id = p.id "
        f"WHERE ps.product_id IS NULL OR {differs} ORDER BY p.id LIMIT {int(limit)}"
    ).fetchall()
    problems = []
    n = len(_TOTAL_COLUMNS)
    for row in rows:
        sku = _sku(row[0])
        if row[1] is None:
            problems.append(f"{sku} has no stock totals row")
            continue
        kept, actual = row[2:2 + n], row[2 + n:]
        for column, k, a in zip(_TOTAL_COLUMNS, kept, actual, strict=True):
            if k != a:
                problems.append(f"stock total {column} of {sku} is {k}, balances say {a}")
    return problems
