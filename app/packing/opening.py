"""Opening work at the packing station: an order number, a pick list or a tote."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.catalog.scan import find_product_code
from app.kernel.actor import Actor
from app.kernel.errors import InvalidTransition, NotFound, UnknownBarcode, ValidationError
from app.kernel.states import OrderStatus, label
from app.kernel.text import counted
from app.packing.view import order_row
from app.store import db


@dataclass(frozen=True)
class PackTarget:
    """What a scan at the packing station opened: one order, or a pick list's / tote's orders."""

    kind: str  # order, picklist, tote
    code: str
    order_ids: tuple[int, ...]
    label: str

    @property
    def order_id(self) -> int:
        return self.order_ids[0]



class AlreadyShipped(InvalidTransition):
    """The order's picked units have all shipped: nothing is left to pack. ``hint`` says how
    the station or the command line at hand prints its papers again."""

    def __init__(self, number: str, shipped: int, hint: str = "") -> None:
        self.number, self.shipped = number, shipped
        super().__init__(f"order {number} was shipped already ({counted(shipped, 'unit')})" + (f": {hint}" if hint else ""))

    def with_hint(self, hint: str) -> AlreadyShipped:
        """The same refusal, saying how to print the order's papers again."""
        return AlreadyShipped(self.number, self.shipped, hint)


_TOTE = re.compile(r"^(?:TOTE|T)[-_ ]?0*(\d{1,4})$", re.IGNORECASE)
_LIST_TOTE = re.compile(r"^(.+?)[-_/ ](?:TOTE|T)[-_ ]?0*(\d{1,4})$", re.IGNORECASE)


def find_order(number: str, *, client: str | None = None) -> int:
    """An order's id by its number (``client`` code where numbers repeat between clients).

    Raises:
        NotFound: no such order.
        ValidationError: the number exists for several clients and none was named.
    """
    sql = 'SELECT o.id FROM "order" o JOIN client c ON c.id = o.client_id WHERE o.number = ?'
    params: list[object] = [number.strip()]
    if client:
        sql += " AND c.code = ?"
        params.append(client.strip().upper())
    rows = db.execute(sql + " LIMIT 2", params).fetchall()
    if not rows:
        raise NotFound(f"no order {number!r}" + (f" for client {client.upper()}" if client else ""))
    if len(rows) > 1:
        raise ValidationError(f"order {number} exists for several clients: name the client")
    return int(rows[0][0])


def has_packing_work(order_id: int) -> bool:
    """Whether the order has picked units not yet shipped (to verify, box or ship)."""
    row = db.execute(
        "SELECT SUM(qty_picked), SUM(qty_packed), SUM(qty_shipped) FROM order_line WHERE order_id = ?",
        (order_id,)).fetchone()
    picked, packed, shipped = (int(x or 0) for x in row)
    return picked > shipped or packed > shipped


def check_packable(order_id: int) -> None:
    """Raise unless the order has picked units left to pack (not cancelled, not all shipped:
    ``AlreadyShipped``)."""
    (_, number, status, *_rest) = order_row(order_id)
    if status == OrderStatus.CANCELLED:
        raise InvalidTransition(f"order {number} is cancelled: do not pack it")
    row = db.execute(
        "SELECT SUM(qty_picked), SUM(qty_shipped) FROM order_line WHERE order_id = ?", (order_id,)
    ).fetchone()
    picked, shipped = int(row[0] or 0), int(row[1] or 0)
    if picked == 0:
        raise ValidationError(f"order {number} has nothing picked yet ({label(status, OrderStatus)})")
    if not has_packing_work(order_id):
        raise AlreadyShipped(number, shipped)


def _orders_of_picklist(picklist_id: int, tote: int | None = None) -> list[int]:
    sql = "SELECT plo.order_id FROM pick_list_order plo WHERE plo.picklist_id = ?"
    params: list[object] = [picklist_id]
    if tote is not None:
        sql += " AND plo.tote = ?"
        params.append(tote)
    rows = db.execute(sql + " ORDER BY plo.tote, plo.order_id", params).fetchall()
    return [int(r[0]) for r in rows]


def open_for_packing(code: str, *, actor: Actor) -> PackTarget:
    """Open work by scanning an order number, a pick list barcode or a tote.

    A pick list (or a tote) opens its orders that still have units to pack, one after
    another in tote order.

    Raises:
        UnknownBarcode: the code is none of these.
        ValidationError / InvalidTransition: nothing picked yet, cancelled, already shipped.
    """
    actor.require_to("pack orders")
    code = code.strip()
    if not code:
        raise UnknownBarcode(code, "empty scan")
    # An order number first (the most common scan at this station).
    rows = db.execute('SELECT id, number FROM "order" WHERE number = ? LIMIT 2', (code,)).fetchall()
    if not rows and code.startswith("#"):
        rows = db.execute('SELECT id, number FROM "order" WHERE number = ? LIMIT 2', (code[1:],)).fetchall()
    if len(rows) > 1:
        raise ValidationError(f"order {code} exists for several clients: scan its pick list instead")
    if rows:
        check_packable(int(rows[0][0]))
        return PackTarget("order", code, (int(rows[0][0]),), f"order {rows[0][1]}")
    row = db.execute("SELECT id, number FROM pick_list WHERE number = ?", (code.upper(),)).fetchone()
    if row:
        ids = [o for o in _orders_of_picklist(int(row[0])) if has_packing_work(o)]
        if not ids:
            raise InvalidTransition(f"pick list {row[1]} has no orders left to pack")
        return PackTarget("picklist", code, tuple(ids), f"pick list {row[1]} ({counted(len(ids), 'order')})")
    target = _tote_target(code)
    if target is not None:
        return target
    try:
        product = find_product_code(code)
    except ValidationError:
        product = None  # an unreadable GS1 code, or several clients' product: none of these either
    if product is not None:
        # The packer picked up a unit and scanned it before opening its order.
        raise UnknownBarcode(code, f"{code!r} is a product ({product.label}), not an order, pick list or tote: "
                                   "scan the order, its tote or the pick list first")
    raise UnknownBarcode(code, f"{code!r} is not an order, pick list or tote")


def _tote_target(code: str) -> PackTarget | None:
    m = _LIST_TOTE.match(code)
    if m:
        row = db.execute("SELECT id, number FROM pick_list WHERE number = ?", (m.group(1).upper(),)).fetchone()
        if row:
            ids = [o for o in _orders_of_picklist(int(row[0]), int(m.group(2))) if has_packing_work(o)]
            if not ids:
                raise InvalidTransition(f"tote {m.group(2)} of pick list {row[1]} has nothing left to pack")
            return PackTarget("tote", code, tuple(ids), f"tote {m.group(2)} of pick list {row[1]}")
    m = _TOTE.match(code)
    if m:
        tote = int(m.group(1))
        # A physical tote is reused: the newest pick list that left work in it.
        for (picklist_id,) in db.execute(
            "SELECT DISTINCT plo.picklist_id FROM pick_list_order plo WHERE plo.tote = ? "
            "ORDER BY plo.picklist_id DESC LIMIT 20", (tote,),
        ).fetchall():
            ids = [o for o in _orders_of_picklist(int(picklist_id), tote) if has_packing_work(o)]
            if ids:
                return PackTarget("tote", code, tuple(ids), f"tote {tote}")
        raise InvalidTransition(f"tote {tote} holds no order waiting to be packed")
    return None

