"""Report 3, late orders: open orders past due, or due before the end of the day of the next
cut-off, with what holds each back (back-ordered SKUs and their ETA, units not picked, units
not packed), oldest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from app.kernel import clock
from app.kernel.states import OrderStatus, label
from app.orders.backorders import etas
from app.orders.status import greatest, marks, short_sql
from app.reports import cohort
from app.reports.definitions import DEFINITIONS, Dues, hours, late_horizon
from app.reports.table import Cell, Period, Table
from app.store import db

COLUMNS = ("client", "order", "status", "received", "due", "hours_past_due", "backordered", "eta",
           "not_picked", "not_packed")
CLOSED = (OrderStatus.SHIPPED.value, OrderStatus.CANCELLED.value)
NOT_ALLOCATED = "not allocated yet"
NOTE = ("Late: open orders past due, or due by the end of the day of the next cut-off (working days); "
        "hours past due are negative while still ahead. Open orders received by the period's end, as they stand now. "
        f"A new order is {NOT_ALLOCATED}: nothing of it is back-ordered until allocation finds no stock.")


@dataclass(frozen=True)
class LateOrder:
    order_id: int
    client: str
    number: str
    status: str
    received_at: dt.datetime
    due: dt.datetime
    past_due: bool
    backordered: tuple[tuple[str, int], ...]  # (SKU, units short)
    eta: str
    not_picked: int
    not_packed: int


def _open_where(period: Period | None, client: str | None, now: dt.datetime) -> tuple[str, list[object]]:
    cid = cohort.client_id(client)
    sql = f"o.status NOT IN ({marks(len(CLOSED))})"
    params: list[object] = list(CLOSED)
    if period is not None:
        sql += " AND o.received_at < ?"
        params.append(min(period.end, now))
    if cid is not None:
        sql += " AND o.client_id = ?"
        params.append(cid)
    return sql, params


def _due_open(where: str, params: list[object], now: dt.datetime
              ) -> list[tuple[int, int, str, str, dt.datetime, dt.datetime]]:
    """(id, client id, number, status, received, due) of the open orders ``where`` selects
    (``_open_where``) due by the end of the day of the next cut-off."""
    dues = Dues()
    horizon = late_horizon(now, cutoff=dues.cutoff)
    heads = []
    for oid, ocid, number, status, received, ship_by in db.execute(
            f'SELECT o.id, o.client_id, o.number, o.status, o.received_at, o.ship_by FROM "order" o WHERE {where}',
            params).fetchall():
        at = db.as_datetime(received)
        assert at is not None
        due = dues.due(at, db.as_date(ship_by))
        if due <= horizon:
            heads.append((int(oid), int(ocid), str(number), str(status), at, due))
    return heads


def past_due_count(period: Period | None = None, *, client: str | None = None) -> int:
    """How many open orders (received by the period's end, if given) are past due now.

    Raises:
        NotFound: unknown client.
    """
    now = clock.now()
    return sum(1 for h in _due_open(*_open_where(period, client, now), now) if h[5] < now)


def late_orders(period: Period | None = None, *, client: str | None = None) -> list[LateOrder]:
    """Open orders (received by the period's end, if given) that are past due now or due
    by the end of the day of the next cut-off, oldest first.

    Raises:
        NotFound: unknown client.
    """
    now = clock.now()
    where, params = _open_where(period, client, now)
    heads = _due_open(where, params, now)
    if not heads:
        return []
    wanted = {h[0] for h in heads}
    new = {h[0] for h in heads if h[3] == OrderStatus.NEW.value}  # allocation has not looked for stock
    held: dict[int, list[tuple[int, str, int, int, int]]] = {}
    picked = greatest("ol.qty_picked", "ol.qty_packed", "ol.qty_shipped")
    packed = greatest("ol.qty_packed", "ol.qty_shipped")
    for oid, pid, sku, short, allocated, unpacked in db.execute(
            f"SELECT ol.order_id, ol.product_id, p.sku, {short_sql('ol')}, ol.qty_allocated, {picked} - {packed} "
            'FROM order_line ol JOIN "order" o ON o.id = ol.order_id JOIN product p ON p.id = ol.product_id '
            f"WHERE {where} AND ol.qty_ordered > ol.qty_cancelled ORDER BY ol.order_id, ol.line_no, ol.id",
            params).fetchall():
        if oid in wanted:
            short = 0 if oid in new else short
            held.setdefault(int(oid), []).append((int(pid), str(sku), int(short), int(allocated), int(unpacked)))
    waiting = {pid: e.text for pid, e in etas(sorted(
        {pid for lines in held.values() for pid, _, short, _, _ in lines if short > 0})).items()}
    codes = cohort.client_codes()
    out = []
    for oid, ocid, number, status, at, due in sorted(heads, key=lambda h: (h[4], h[0])):
        lines = held.get(oid, [])
        short = tuple((sku, n) for _, sku, n, _, _ in lines if n > 0)
        eta = NOT_ALLOCATED if oid in new else "; ".join(waiting.get(pid, "unknown") for pid, _, n, _, _ in lines
                                                           if n > 0)
        out.append(LateOrder(oid, codes[ocid], number, status, at, due, due < now, short, eta,
                             sum(a for *_, a, _ in lines), sum(u for *_, u in lines)))
    return out


def late(period: Period | None = None, *, client: str | None = None) -> Table:
    """Report ``late`` (columns ``COLUMNS``), as things stand now.

    Raises:
        NotFound: unknown client.
    """
    now = clock.now()
    title = "Late and due orders" + (f", received by {period.last}" if period else "")
    words = {s.value: label(s.value, OrderStatus) for s in OrderStatus}
    due_text: dict[dt.datetime, str] = {}
    rows: list[tuple[Cell, ...]] = []
    for r in late_orders(period, client=client):
        if r.due not in due_text:
            due_text[r.due] = clock.local_text(r.due)
        rows.append((r.client, r.number, words.get(r.status, r.status), clock.local_text(r.received_at),
                     due_text[r.due], hours(Decimal((now - r.due).total_seconds())),
                     " ".join(f"{sku}x{n}" for sku, n in r.backordered), r.eta, r.not_picked, r.not_packed))
    return Table("late", title, COLUMNS, rows, (NOTE, DEFINITIONS[2]))
