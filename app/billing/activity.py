"""Billable activity counted from what the warehouse records anyway, per warehouse day.

- ``receive_unit``: units of the ledger's receive moves of receipts (good to RECEIVING,
  damaged or short-dated to QUARANTINE). An undone receiving scan has a reversing move, so
  the scan is not counted at all.
- ``order``, ``order_extra_unit``, ``package`` and the prep fees: the ledger's ship moves
  (PACKING -> CUSTOMER, one per package line). An order is billed once, on the day its first
  package left; every unit after the order's first is an extra unit; each package once, on
  the day it left; each shipped unit of a product whose prep services include one is billed
  that service (a voided and repacked package is billed only as the package that left).
- ``return_unit``: the ledger's return moves (CUSTOMER -> RETURNS).

Reprinting a slip or a label, or opening a document again, writes no move, so it bills
nothing. A move that was reversed (undo) is not counted.
"""

from __future__ import annotations

from collections import defaultdict

from app.billing.days import Days
from app.billing.fees import ORDER, ORDER_EXTRA_UNIT, PACKAGE, PREP_FEES, RECEIVE_UNIT, RETURN_UNIT
from app.ledger.moves import NOT_UNDONE
from app.store import db

# fee -> day index -> quantity
Counts = dict[str, dict[int, int]]


def _add(counts: Counts, fee: str, day: int, qty: int) -> None:
    if qty:
        counts.setdefault(fee, {})
        counts[fee][day] = counts[fee].get(day, 0) + qty


def activity(client_id: int, days: Days) -> Counts:
    """Every fee's quantity per day of ``days`` for one client (storage aside)."""
    counts: Counts = {}
    for when, qty in db.execute(
            "SELECT m.created_at, m.qty FROM stock_move m JOIN product p ON p.id = m.product_id "
            "WHERE p.client_id = ? AND m.kind = 'receive' AND m.doc_type = 'receipt' "
            f"AND m.created_at >= ? AND m.created_at < ? AND {NOT_UNDONE}",
            (client_id, days.start, days.end)).fetchall():
        _add(counts, RECEIVE_UNIT, days.index_of(when), int(qty))
    for when, qty in db.execute(
            "SELECT m.created_at, m.qty FROM stock_move m JOIN product p ON p.id = m.product_id "
            "WHERE p.client_id = ? AND m.kind = 'return' "
            f"AND m.created_at >= ? AND m.created_at < ? AND {NOT_UNDONE}",
            (client_id, days.start, days.end)).fetchall():
        _add(counts, RETURN_UNIT, days.index_of(when), int(qty))
    _shipping(client_id, days, counts)
    return counts


def _shipping(client_id: int, days: Days, counts: Counts) -> None:
    rows = db.execute(
        "SELECT m.created_at, pk.order_id, pk.id, m.qty, p.prep_services FROM stock_move m "
        "JOIN package pk ON pk.id = m.doc_id JOIN product p ON p.id = m.product_id "
        "WHERE m.kind = 'ship' AND m.doc_type = 'package' AND pk.client_id = ? "
        f"AND m.created_at >= ? AND m.created_at < ? AND {NOT_UNDONE} ORDER BY m.created_at, m.id",
        (client_id, days.start, days.end)).fetchall()
    if not rows:
        return
    # Orders that had a package leave before the period: their first unit was billed then.
    shipped_before = {int(r[0]) for r in db.execute(
        "SELECT DISTINCT pk.order_id FROM package pk WHERE pk.client_id = ? AND EXISTS ("
        "SELECT 1 FROM package p2 JOIN stock_move m ON m.doc_type = 'package' AND m.doc_id = p2.id "
        "WHERE p2.order_id = pk.order_id AND m.kind = 'ship' AND m.created_at < ?) AND EXISTS ("
        "SELECT 1 FROM stock_move m2 WHERE m2.doc_type = 'package' AND m2.doc_id = pk.id "
        "AND m2.kind = 'ship' AND m2.created_at >= ? AND m2.created_at < ?)",
        (client_id, days.start, days.start, days.end)).fetchall()}
    first_day: dict[int, int] = {}
    packages: dict[int, int] = {}
    units: dict[tuple[int, int], int] = defaultdict(int)
    for when, order_id, package_id, qty, services in rows:
        day = days.index_of(when)
        order_id, qty = int(order_id), int(qty)
        if order_id not in shipped_before:
            first_day.setdefault(order_id, day)
        packages.setdefault(int(package_id), day)
        units[(order_id, day)] += qty
        for service in (services or "").split(","):
            fee = PREP_FEES.get(service.strip())
            if fee:
                _add(counts, fee, day, qty)
    for day in first_day.values():
        _add(counts, ORDER, day, 1)
    for day in packages.values():
        _add(counts, PACKAGE, day, 1)
    for (order_id, day), qty in units.items():
        _add(counts, ORDER_EXTRA_UNIT, day, qty - (1 if first_day.get(order_id) == day else 0))
