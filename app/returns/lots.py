"""The lots of returned units: a unit comes back under the lot that was shipped to the customer.

Which lot a returned unit is: the lot its GS1 scan names (it must be one the order shipped and
that has units not yet returned), else the lot of the order with the most units shipped and
not yet returned (the earlier expiry first on a tie). A product without lots comes back
with lot "". The units waiting in RETURNS are counted per lot from the RMA's own moves, so
their disposition (a bin, QUARANTINE, SCRAP) moves each lot as it came in.
"""

from __future__ import annotations

import datetime as dt

from app.kernel import clock
from app.kernel.errors import ValidationError
from app.kernel.text import agreeing, counted
from app.ledger.lots import check_lot, lot_expiry, lot_text, register_lot
from app.returns.common import RmaHead
from app.store import db
from app.store.places import location

Parts = list[tuple[str, int]]


def tracked(product_id: int) -> bool:
    row = db.execute("SELECT track_lot, track_expiry FROM product WHERE id = ?", (product_id,)).fetchone()
    return bool(row and (row[0] or row[1]))


def outstanding(order_id: int, product_id: int) -> dict[str, int]:
    """{lot: units shipped to the customer on the order and not yet returned}, most first
    (then the earliest expiry, then the oldest lot); lots with none left are left out."""
    customer = location("CUSTOMER").id
    rows = db.execute(
        "SELECT x.lot, SUM(x.qty) AS n FROM ("
        # shipped on the order's packages (net of any undone)
        "SELECT m.lot, CASE WHEN m.to_location_id = ? THEN m.qty ELSE -m.qty END AS qty FROM stock_move m "
        "JOIN package pk ON pk.id = m.doc_id WHERE m.doc_type = 'package' AND pk.order_id = ? "
        "AND m.product_id = ? AND (m.to_location_id = ? OR m.from_location_id = ?) "
        "UNION ALL "
        # taken back by the order's RMAs
        "SELECT m.lot, CASE WHEN m.from_location_id = ? THEN -m.qty ELSE m.qty END FROM stock_move m "
        'JOIN "return" r ON r.id = m.doc_id WHERE m.doc_type = \'return\' AND r.order_id = ? '
        "AND m.product_id = ? AND (m.to_location_id = ? OR m.from_location_id = ?)"
        ") x GROUP BY x.lot",
        (customer, order_id, product_id, customer, customer,
         customer, order_id, product_id, customer, customer)).fetchall()
    left = {str(lot): int(n) for lot, n in rows if int(n) > 0}
    return dict(sorted(left.items(), key=lambda kv: (-kv[1], _expiry_key(product_id, kv[0]), kv[0])))


def _expiry_key(product_id: int, lot: str) -> tuple[int, dt.date]:
    expiry = lot_expiry(product_id, lot) if lot else None
    return (1, dt.date.max) if expiry is None else (0, expiry)


def lots_to_receive(head: RmaHead, product_id: int, sku: str, qty: int, *, lot: str = "",
                    expiry: dt.date | None = None) -> Parts:
    """[(lot, units)] that ``qty`` returned units of a product come back under (see the module).

    Raises:
        ValidationError: a scanned lot the order did not ship (or whose units all came back),
            an expiry that is not the lot's, a product with lots returned without an order
            and without a lot.
    """
    if not tracked(product_id):
        return [("", qty)]
    lot = check_lot(lot or "")
    left = outstanding(head.order_id, product_id) if head.order_id is not None else {}
    if lot:
        if left and lot not in left:
            raise ValidationError(f"lot {lot} of {sku} was not shipped on this order (or all of it came "
                                  f"back): it shipped lot {', '.join(x or '(no lot)' for x in left)}")
        if left and left[lot] < qty:
            raise ValidationError(f"only {counted(left[lot], 'unit')} of lot {lot} of {sku} "
                                  f"{agreeing(left[lot], 'was', 'were')} shipped and not yet returned")
        register_lot(product_id, lot, expiry)  # a lot the ledger knows keeps its date
        return [(lot, qty)]
    if not left:
        if head.order_id is None:
            raise ValidationError(f"{sku} is tracked by lot: scan the unit's GS1 code (its lot)")
        return [("", qty)]  # shipped before the product kept lots
    parts: Parts = []
    need = qty
    for name, n in left.items():
        take = min(n, need)
        if take > 0:
            parts.append((name, take))
            need -= take
    if need:
        raise ValidationError(f"only {counted(qty - need, 'unit')} of {sku} "
                              f"{agreeing(qty - need, 'was', 'were')} shipped and not yet returned")
    return parts


def undecided(rma_id: int, product_id: int) -> dict[str, int]:
    """{lot: units of the RMA received into RETURNS and not yet moved on}, first received first."""
    returns = location("RETURNS").id
    rows = db.execute(
        "SELECT lot, SUM(CASE WHEN to_location_id = ? THEN qty ELSE -qty END), MIN(id) FROM stock_move "
        "WHERE doc_type = 'return' AND doc_id = ? AND product_id = ? "
        "AND (to_location_id = ? OR from_location_id = ?) GROUP BY lot ORDER BY MIN(id)",
        (returns, rma_id, product_id, returns, returns)).fetchall()
    return {str(lot): int(n) for lot, n, _first in rows if int(n) > 0}


def lots_to_dispose(rma_id: int, product_id: int, sku: str, qty: int, *, lot: str = "") -> Parts:
    """[(lot, units)] of ``qty`` received units to move on: the lot named (a GS1 scan), else
    the units received first.

    Raises:
        ValidationError: fewer units of the lot wait in RETURNS.
    """
    waiting = undecided(rma_id, product_id)
    lot = check_lot(lot or "")
    if lot and tracked(product_id):
        if waiting.get(lot, 0) < qty:
            left_here = waiting.get(lot, 0)
            raise ValidationError(f"{counted(left_here, 'unit')} of lot {lot} of {sku} "
                                  f"{agreeing(left_here, 'waits', 'wait')} for a disposition")
        return [(lot, qty)]
    parts: Parts = []
    need = qty
    for name, n in waiting.items():
        take = min(n, need)
        if take > 0:
            parts.append((name, take))
            need -= take
    if need:  # units received before their moves named the RMA's lots: the product's own lot
        parts.append(("", need))
    return parts


def refuse_expired_restock(product_id: int, sku: str, parts: Parts) -> None:
    """An expired lot is not sellable stock: it goes to QUARANTINE or SCRAP, not to a bin."""
    today = clock.local_today()
    for lot, _n in parts:
        expiry = lot_expiry(product_id, lot) if lot else None
        if expiry is not None and expiry < today:
            raise ValidationError(f"lot {lot} of {sku} expired on {expiry:%m-%d-%Y}: send it to QUARANTINE "
                                  "or SCRAP, not to a bin")


def parts_text(product_id: int, parts: Parts) -> str:
    """' (lot SOON EXP 05-31-2026)' for the lots of returned units ('' without lots)."""
    named = [(lot, n) for lot, n in parts if lot]
    if not named:
        return ""
    texts = []
    for lot, n in named:
        expiry = lot_expiry(product_id, lot)
        text = lot_text(lot, expiry)
        texts.append(text if len(named) == 1 else f"{text} x{n}")
    return f" ({', '.join(texts)})"

