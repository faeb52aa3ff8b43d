"""Report 1, fulfillment: per client and for all, the orders received in the period, how many
were cancelled, shipped complete and shipped on time, and the line and unit fill rates."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.reports import cohort
from app.reports.definitions import DEFINITIONS, rate
from app.reports.table import Period, Table
from app.store import db

COLUMNS = ("client", "received", "cancelled", "counted", "shipped_complete", "shipped_on_time",
           "fulfillment_rate", "on_time_rate", "line_fill_rate", "unit_fill_rate")
ALL = "ALL"


@dataclass(frozen=True)
class Counts:
    """One client's (or all clients') figures for the orders received in a period."""

    client: str
    received: int = 0
    cancelled: int = 0
    shipped_complete: int = 0
    shipped_on_time: int = 0
    lines: int = 0
    lines_shipped: int = 0
    units: int = 0
    units_shipped: int = 0

    @property
    def counted(self) -> int:
        return self.received - self.cancelled

    @property
    def fulfillment_rate(self) -> Decimal | None:
        return rate(self.shipped_complete, self.counted)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.shipped_on_time, self.counted)

    @property
    def line_fill_rate(self) -> Decimal | None:
        return rate(self.lines_shipped, self.lines)

    @property
    def unit_fill_rate(self) -> Decimal | None:
        return rate(self.units_shipped, self.units)

    def row(self) -> tuple[str | int | Decimal | None, ...]:
        return (self.client, self.received, self.cancelled, self.counted, self.shipped_complete,
                self.shipped_on_time, self.fulfillment_rate, self.on_time_rate, self.line_fill_rate,
                self.unit_fill_rate)


def counts(period: Period, *, client: str | None = None, with_lines: bool = True) -> list[Counts]:
    """Per client with orders received in the period (by code), then ``ALL``; without
    ``with_lines`` the line and unit figures stay 0 (the orders' figures are quicker alone).

    Raises:
        NotFound: unknown client.
    """
    cid = cohort.client_id(client)
    return counts_of(cohort.received(period, cid), period, cid, with_lines=with_lines)


def counts_of(c: cohort.Cohort, period: Period, cid: int | None, *, with_lines: bool = True) -> list[Counts]:
    """``counts`` over an already built cohort of the period."""
    heads = db.execute(
        c.sql + f"SELECT rc.client_id, COUNT(*), SUM(CASE WHEN rc.status = '{cohort.CANCELLED}' THEN 1 ELSE 0 END), "
        "SUM(rc.complete), SUM(CASE WHEN rc.complete = 1 AND rc.shipped_at <= rc.due THEN 1 ELSE 0 END) "
        "FROM rc GROUP BY rc.client_id", c.params).fetchall()
    # A line is fully shipped by the cap when every ordered unit went and its (or, for lines
    # from before per-line stage times, its order's) shipped time is no later; the units of
    # other lines are those in packages shipped by then.
    lines: dict[int, tuple[int, ...]] = {}
    if with_lines:
        where, params = cohort.in_period(period, cid)
        for cid_, *figures in db.execute(
                "SELECT q.client_id, COUNT(*), SUM(q.done), SUM(q.qty_ordered), "
                "SUM(CASE WHEN q.done = 1 THEN q.qty_ordered ELSE COALESCE((SELECT SUM(pl.qty) FROM package_line pl "
                "JOIN package pk ON pk.id = pl.package_id WHERE pl.order_line_id = q.id AND pk.shipped_at <= ?), 0) "
                "END) FROM (SELECT o.client_id, ol.id, ol.qty_ordered, CASE WHEN ol.qty_shipped >= ol.qty_ordered "
                "AND COALESCE(ol.shipped_at, o.shipped_at) <= ? THEN 1 ELSE 0 END AS done "
                f'FROM "order" o JOIN order_line ol ON ol.order_id = o.id WHERE {where} '
                f"AND o.status <> '{cohort.CANCELLED}') q GROUP BY q.client_id",
                [c.cap, c.cap, *params]).fetchall():
            lines[int(cid_)] = tuple(int(v or 0) for v in figures)
    codes = cohort.client_codes()
    out = []
    for cid_, n, cancelled, complete, on_time in heads:
        out.append(Counts(codes[int(cid_)], int(n), int(cancelled or 0), int(complete or 0), int(on_time or 0),
                          *lines.get(int(cid_), (0, 0, 0, 0))))
    out.sort(key=lambda r: r.client)
    total = Counts(ALL, *(sum(getattr(r, f) for r in out) for f in (
        "received", "cancelled", "shipped_complete", "shipped_on_time", "lines", "lines_shipped", "units",
        "units_shipped")))
    return [*out, total]


def fulfillment(period: Period, *, client: str | None = None) -> Table:
    """Report ``fulfillment`` (columns ``COLUMNS``): one row per client, then ``ALL``.

    Raises:
        NotFound: unknown client.
    """
    return Table("fulfillment", f"Fulfillment {period.first} to {period.last}", COLUMNS,
                 [r.row() for r in counts(period, client=client)], DEFINITIONS[:5])
