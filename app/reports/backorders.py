"""Report 4, back-orders: open back-ordered units per product by how long their orders have
waited (0-1, 2-3, 4-7, 8+ days), the ETA of more stock, and the orders at risk of missing
their due time (no ETA, or stock expected no earlier than the day they are due)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.kernel import clock
from app.kernel.states import OrderStatus
from app.orders.backorders import covering, supplies
from app.orders.status import OPEN_STATUSES, marks, short_sql
from app.reports import cohort
from app.reports.definitions import Dues
from app.reports.table import Cell, Period, Table
from app.store import db

COLUMNS = ("client", "sku", "name", "units_short", "orders", "age_0_1", "age_2_3", "age_4_7", "age_8_plus",
           "eta", "orders_at_risk")
_INSTANT = dt.timedelta(microseconds=1)  # "due" is a day's 24:00: the day itself ends just before
# Allocation has run for these (a new order is not back-ordered yet).
WAITING = tuple(s.value for s in OPEN_STATUSES if s != OrderStatus.NEW)
BUCKETS = ("0-1", "2-3", "4-7", "8+")
NOTE = ("Back-orders: units ordered and neither reserved nor picked, of open orders received by the period's "
        "end, as they stand now; age is the days since the order was received. At risk: no ETA, or stock "
        "expected no earlier than the order's due day.")


def bucket(days: int) -> int:
    """The index in ``BUCKETS`` of an age in whole days."""
    return 0 if days <= 1 else 1 if days <= 3 else 2 if days <= 7 else 3


@dataclass(frozen=True)
class BackorderedProduct:
    client: str
    sku: str
    name: str
    units_short: int
    orders: tuple[str, ...]              # oldest first
    by_age: tuple[int, int, int, int]    # units short per bucket of BUCKETS
    eta: str
    at_risk: tuple[str, ...]             # order numbers

    def row(self) -> tuple[Cell, ...]:
        return (self.client, self.sku, self.name, self.units_short, len(self.orders), *self.by_age, self.eta,
                " ".join(self.at_risk))


@dataclass(frozen=True)
class AgeBucket:
    """Back-ordered units and orders whose order has waited this long (``BUCKETS``)."""

    bucket: str
    orders: int
    units: int


def _where(period: Period | None, client: str | None) -> tuple[str, list[object]]:
    cid = cohort.client_id(client)
    sql = f"o.status IN ({marks(len(WAITING))}) AND {short_sql('ol')} > 0"
    params: list[object] = list(WAITING)
    if period is not None:
        sql += " AND o.received_at < ?"
        params.append(min(period.end, clock.now()))
    if cid is not None:
        sql += " AND o.client_id = ?"
        params.append(cid)
    return sql, params


def _lines(period: Period | None, client: str | None) -> list[tuple[int, str, str, str, int, str, dt.datetime,
                                                                      dt.date | None, int]]:
    where, params = _where(period, client)
    sql = (f"SELECT ol.product_id, c.code, p.sku, p.name, o.id, o.number, o.received_at, o.ship_by, {short_sql('ol')} "
           'FROM order_line ol JOIN "order" o ON o.id = ol.order_id JOIN product p ON p.id = ol.product_id '
           f"JOIN client c ON c.id = o.client_id WHERE {where}")
    out = []
    for pid, code, sku, name, oid, number, received, ship_by, short in db.execute(
            sql + " ORDER BY o.received_at, o.id, ol.line_no, ol.id", params).fetchall():
        at = db.as_datetime(received)
        assert at is not None
        out.append((int(pid), str(code), str(sku), str(name), int(oid), str(number), at, db.as_date(ship_by),
                    int(short)))
    return out


def units_short(period: Period | None = None, *, client: str | None = None) -> int:
    """Back-ordered units of open orders (received by the period's end, if given), now.

    Raises:
        NotFound: unknown client.
    """
    sql, params = _where(period, client)
    return int(db.execute(f"SELECT COALESCE(SUM({short_sql('ol')}), 0) FROM order_line ol "
                          f'JOIN "order" o ON o.id = ol.order_id WHERE {sql}', params).fetchone()[0])


@dataclass
class _Waiting:
    client: str
    sku: str
    name: str
    short: int = 0
    orders: list[str] = field(default_factory=list)
    ages: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    due: list[tuple[str, dt.datetime]] = field(default_factory=list)


def backordered_products(period: Period | None = None, *, client: str | None = None) -> list[BackorderedProduct]:
    """Per product with back-ordered units, by client and SKU.

    Raises:
        NotFound: unknown client.
    """
    lines = _lines(period, client)
    if not lines:
        return []
    dues = Dues()
    today = clock.local_today()
    grouped: dict[int, _Waiting] = {}
    for pid, code, sku, name, _oid, number, at, ship_by, short in lines:
        g = grouped.setdefault(pid, _Waiting(code, sku, name))
        g.short += short
        if number not in g.orders:
            g.orders.append(number)
            g.due.append((number, dues.due(at, ship_by)))
        g.ages[bucket((today - dues.day(at)).days)] += short
    supply = supplies(sorted(grouped))
    out = []
    for pid, g in grouped.items():
        e = covering(supply.get(pid, []), g.short)
        arrives = e.date if e else None
        risk = tuple(n for n, due in g.due if arrives is None or arrives >= dues.day(due - _INSTANT))
        a0, a1, a2, a3 = g.ages
        out.append(BackorderedProduct(g.client, g.sku, g.name, g.short, tuple(g.orders), (a0, a1, a2, a3),
                                      e.text if e else "unknown", risk))
    out.sort(key=lambda r: (r.client, r.sku))
    return out


def backorders(period: Period | None = None, *, client: str | None = None) -> Table:
    """Report ``backorders`` (columns ``COLUMNS``), as things stand now.

    Raises:
        NotFound: unknown client.
    """
    title = "Back-orders" + (f", orders received by {period.last}" if period else "")
    return Table("backorders", title, COLUMNS, [r.row() for r in backordered_products(period, client=client)],
                 (NOTE,))


def backorder_aging(period: Period | None = None, *, client: str | None = None) -> list[AgeBucket]:
    """Back-ordered units and orders per age bucket (all four buckets, oldest last).

    Raises:
        NotFound: unknown client.
    """
    today, dues = clock.local_today(), Dues()
    units, orders = [0] * 4, [set[int](), set[int](), set[int](), set[int]()]
    for *_, oid, _number, at, _ship_by, short in _lines(period, client):
        i = bucket((today - dues.day(at)).days)
        units[i] += short
        orders[i].add(oid)
    return [AgeBucket(b, len(orders[i]), units[i]) for i, b in enumerate(BUCKETS)]
