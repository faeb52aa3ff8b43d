"""The stock ledger's one way of changing stock: a move between two locations, and its undo.

Every change of stock is a StockMove written in the same transaction as the running
balances (StockLevel) it changes. ``apply_move`` is the one place that does it; services
call it inside their own ``db.write()`` block. Hot paths use raw parameterised SQL
(peewee's query builder costs about 25 times a raw lookup on a scan).
"""

from __future__ import annotations

from typing import Any, NoReturn

from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import NotFound, OutOfStock, ValidationError
from app.kernel.text import check_int
from app.store import changes, db
from app.store.models import Product
from app.store.places import LocationRef, location_by_id

# SQL: the move ``m`` was not undone since (its reversal, of kind ``undo``, names it): work the
# receipt, the client's bill and the reports count.
NOT_UNDONE = "NOT EXISTS (SELECT 1 FROM stock_move u WHERE u.reverses_id = m.id)"


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
    lot: str = "",
) -> int:
    """Write one move and the balances it changes. Call inside ``db.write()``.

    ``lot`` names the lot moved ("" for a product without lots): balances are kept per
    product, location and lot. ``consume_reserved`` lowers the source's reservation by that much in the same step
    (a pick takes the units that were reserved for it).

    Returns:
        The new move's id.

    Raises:
        ValidationError: quantity not positive, same location on both sides.
        OutOfStock: the source would go negative or below what is reserved there.
    """
    if not isinstance(qty, int) or qty <= 0:
        raise ValidationError(f"quantity must be a positive whole number, not {qty!r}")
    check_int(qty, "quantity")
    if from_id == to_id:
        raise ValidationError("a move needs two different locations")
    src = location_by_id(from_id)
    dst = location_by_id(to_id)
    if consume_reserved and src.kind == "virtual":
        raise ValidationError("a virtual location holds no reservation")
    move_row = (product_id, from_id, to_id, qty, lot, kind, reason, doc_type, doc_id, doc_ref, client_id,
                actor.user_id, actor.name, actor.station, reverses, clock.now())
    changes.changed("stock", product_id)
    if db.is_postgres():
        move_id = _apply_move_one_statement(src, dst, product_id, qty, consume_reserved, move_row, lot)
        if move_id is None:
            _refuse(src, product_id, qty, consume_reserved, lot)
        return move_id
    if src.kind != "virtual":
        cur = db.execute(_TAKE_SQL, (qty, consume_reserved, product_id, from_id, lot, qty,
                                     consume_reserved, consume_reserved))
        if cur.rowcount != 1:
            _refuse(src, product_id, qty, consume_reserved, lot)
    if dst.kind != "virtual":
        db.execute(_PUT_VALUES_SQL, (product_id, to_id, lot, qty))
    cur = db.execute(_MOVE_VALUES_SQL, move_row)
    return int(cur.fetchone()[0])


# The source gives up stock only while what is left covers what stays reserved there.
_TAKE_SQL = (
    "UPDATE stock_level SET on_hand = on_hand - ?, reserved = reserved - ? "
    "WHERE product_id = ? AND location_id = ? AND lot = ? AND on_hand - ? >= reserved - ? "
    "AND reserved >= ?"
)
_PUT_SQL = (
    "INSERT INTO stock_level (product_id, location_id, lot, on_hand, reserved) {select} "
    "ON CONFLICT (product_id, location_id, lot) DO UPDATE SET on_hand = stock_level.on_hand + excluded.on_hand"
)
_MOVE_SQL = (
    "INSERT INTO stock_move (product_id, from_location_id, to_location_id, qty, lot, kind, reason, "
    "doc_type, doc_id, doc_ref, client_id, user_id, user_name, station, reverses_id, created_at) "
    "{select} RETURNING id"
)
_PUT_VALUES_SQL = _PUT_SQL.format(select="VALUES (?, ?, ?, ?, 0)")
_MOVE_VALUES_SQL = _MOVE_SQL.format(select="VALUES (" + ", ".join("?" * 16) + ")")


def _apply_move_one_statement(src: LocationRef, dst: LocationRef, product_id: int, qty: int,
                              consume_reserved: int, move_row: tuple[Any, ...], lot: str) -> int | None:
    """PostgreSQL: take, put and record in one round trip (data-modifying CTEs). The put
    and the record only happen if the take succeeded; None means it did not (nothing written)."""
    parts, params = [], []
    guard = ""
    if src.kind != "virtual":
        parts.append(f"take AS ({_TAKE_SQL} RETURNING 1)")
        params += [qty, consume_reserved, product_id, src.id, lot, qty, consume_reserved, consume_reserved]
        guard = " WHERE EXISTS (SELECT 1 FROM take)"
    if dst.kind != "virtual":
        parts.append("put AS (" + _PUT_SQL.format(select="SELECT ?, ?, ?, ?, 0" + guard) + " RETURNING 1)")
        params += [product_id, dst.id, lot, qty]
    sql = _MOVE_SQL.format(select=f"SELECT {', '.join('?' * len(move_row))}{guard}")
    if parts:
        sql = "WITH " + ", ".join(parts) + " " + sql
    row = db.execute(sql, params + list(move_row)).fetchone()
    return int(row[0]) if row else None


def _refuse(src: LocationRef, product_id: int, qty: int, consume_reserved: int, lot: str) -> NoReturn:
    """Say why the source cannot give ``qty`` (one line), as OutOfStock."""
    row = db.execute(
        "SELECT on_hand, reserved FROM stock_level WHERE product_id = ? AND location_id = ? AND lot = ?",
        (product_id, src.id, lot),
    ).fetchone()
    on_hand, reserved = row if row else (0, 0)
    sku = sku_of(product_id) + (f" lot {lot}" if lot else "")
    if consume_reserved:
        raise OutOfStock(f"{src.code} holds {on_hand} of {sku} ({reserved} reserved): cannot take {qty}")
    raise OutOfStock(
        f"{src.code} has {on_hand - reserved} of {sku} free ({on_hand} on hand, "
        f"{reserved} reserved): cannot take {qty}"
    )


def sku_of(product_id: int) -> str:
    """The SKU of a product, for messages (its id when it is gone)."""
    row = db.execute("SELECT sku FROM product WHERE id = ?", (product_id,)).fetchone()
    return row[0] if row else f"product #{product_id}"


def find_product(product: int | str, client_id: int | None = None) -> Product:
    """A product by id, or by SKU (naming the client when several share it).

    Raises:
        NotFound: no such product.
        ValidationError: the SKU belongs to several clients and none was named.
    """
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
        actor.require_to("reverse stock moves")
        return reverse_move_in_tx(move_id, actor=actor, reason=reason)


def reverse_move_in_tx(move_id: int, *, actor: Actor, reason: str = "undo") -> int:
    """Undo a move inside the caller's transaction.

    Raises:
        NotFound: no such move.
        ValidationError: the move is an undo itself, or was undone already.
    """
    row = db.execute(
        "SELECT product_id, from_location_id, to_location_id, qty, doc_type, doc_id, doc_ref, "
        "client_id, reverses_id, lot FROM stock_move WHERE id = ?", (move_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no stock move #{move_id}")
    product_id, from_id, to_id, qty, doc_type, doc_id, doc_ref, client_id, reverses, lot = row
    if reverses is not None:
        raise ValidationError(f"move #{move_id} is itself an undo")
    if db.execute("SELECT 1 FROM stock_move WHERE reverses_id = ?", (move_id,)).fetchone():
        raise ValidationError(f"move #{move_id} was undone already")
    return apply_move(
        product_id, to_id, from_id, qty, kind="undo", actor=actor, reason=reason,
        doc_type=doc_type, doc_id=doc_id, doc_ref=doc_ref, client_id=client_id, reverses=move_id,
        lot=lot,
    )
