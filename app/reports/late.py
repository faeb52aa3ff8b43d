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
from app.orders.status import chunks, greatest, marks, short_sql
from app.reports import cohort
from app.reports.definitions import DEFINITIONS, due_at, hours, late_horizon
from app.reports.table import Cell, Period, Table
from app.store import db, locale

COLUMNS = ("client", "order", "status", "received", "due", "hours_past_due", "backordered", "eta",
           "not_picked", "not_packed")
CLOSED = (OrderStatus.SHIPPED.value, OrderStatus.CANCELLED.value)
NOTE = ("Late: open orders past due, or due by the end of the day of the next cut-off (working days); "
        "hours past due are negative while still ahead. Open orders received by the period's end, as they stand now.")


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

    def row(self, now: dt.datetime) -> tuple[Cell, ...]:
        return (self.client, self.number, label(self.status, OrderStatus), clock.local_text(self.received_at),
                clock.local_text(self.due), hours(Decimal((now - self.due).total_seconds())),
                " ".join(f"{sku}x{n}" for sku, n in self.backordered), self.eta, self.not_picked, self.not_packed)


def late_orders(period: Period | None = None, *, client: str | None = None) -> list[LateOrder]:
    """Open orders (received by the period's end, if given) that are past due now or due
    before the end of the day of the next cut-off, oldest first.

    Raises:
        NotFound: unknown client.
    """
    cid = cohort.client_id(client)
    now = clock.now()
    horizon, cut = late_horizon(now), locale.cutoff()
    sql = ('SELECT o.id, o.client_id, o.number, o.status, o.received_at, o.ship_by FROM "order" o '
           f"WHERE o.status NOT IN ({marks(len(CLOSED))})")
    params: list[object] = list(CLOSED)
    if period is not None:
        sql += " AND o.received_at < ?"
        params.append(min(period.end, now))
    if cid is not None:
        sql += " AND o.client_id = ?"
        params.append(cid)
    heads = []
    for oid, ocid, number, status, received, ship_by in db.execute(sql, params).fetchall():
        at = db.as_datetime(received)
        assert at is not None
        due = due_at(at, db.as_date(ship_by), cutoff=cut)
        if due <= horizon:
            heads.append((int(oid), int(ocid), str(number), str(status), at, due))
    if not heads:
        return []
    held: dict[int, list[tuple[int, str, int, int, int]]] = {}
    ids = [h[0] for h in heads]
    picked = greatest("ol.qty_picked", "ol.qty_packed", "ol.qty_shipped")
    packed = greatest("ol.qty_packed", "ol.qty_shipped")
    for part in chunks(ids):
        for oid, pid, sku, short, allocated, unpacked in db.execute(
                f"SELECT ol.order_id, ol.product_id, p.sku, {short_sql('ol')}, ol.qty_allocated, {picked} - {packed} "
                f"FROM order_line ol JOIN product p ON p.id = ol.product_id WHERE ol.order_id IN ({marks(len(part))}) "
                "AND ol.qty_ordered > ol.qty_cancelled ORDER BY ol.order_id, ol.line_no, ol.id", list(part)).fetchall():
            held.setdefault(int(oid), []).append((int(pid), str(sku), int(short), int(allocated), int(unpacked)))
    waiting = etas(sorted({pid for lines in held.values() for pid, _, short, _, _ in lines if short > 0}))
    codes = cohort.client_codes()
    out = []
    for oid, ocid, number, status, at, due in sorted(heads, key=lambda h: (h[4], h[0])):
        lines = held.get(oid, [])
        short = tuple((sku, n) for _, sku, n, _, _ in lines if n > 0)
        found = [waiting.get(pid) for pid, _, n, _, _ in lines if n > 0]
        eta = "; ".join(e.text if e else "unknown" for e in found)
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
    return Table("late", title, COLUMNS, [r.row(now) for r in late_orders(period, client=client)],
                 (NOTE, DEFINITIONS[2]))
