"""Report 2, processing times: for the orders received in the period and shipped complete,
received to shipped and each stage (received to allocated, allocated to picked, picked to
packed, packed to shipped), per client and for all: median, 90th percentile (nearest rank)
and maximum, in hours with 2 decimals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.reports import cohort
from app.reports.definitions import DEFINITIONS, hours, median, nearest_rank
from app.reports.table import Cell, Period, Table
from app.store import db

COLUMNS = ("client", "stage", "orders", "median_hours", "p90_hours", "max_hours")
STAGES = ("received_to_shipped", "received_to_allocated", "allocated_to_picked", "picked_to_packed",
          "packed_to_shipped")
_SPANS = (("shipped_at", "received_at"), ("allocated_at", "received_at"), ("picked_at", "allocated_at"),
          ("packed_at", "picked_at"), ("shipped_at", "packed_at"))
ALL = "ALL"


@dataclass(frozen=True)
class StageTimes:
    client: str
    stage: str
    orders: int
    median_hours: Decimal | None
    p90_hours: Decimal | None
    max_hours: Decimal | None

    def row(self) -> tuple[Cell, ...]:
        return (self.client, self.stage, self.orders, self.median_hours, self.p90_hours, self.max_hours)


def _figures(client: str, stage: str, values: list[int]) -> StageTimes:
    if not values:
        return StageTimes(client, stage, 0, None, None, None)
    values.sort()
    return StageTimes(client, stage, len(values), hours(Decimal(median(values))),
                      hours(nearest_rank(values, 90)), hours(values[-1]))


def durations(period: Period, *, client: str | None = None) -> dict[str, list[list[int]]]:
    """Per client code: for each stage of ``STAGES``, the seconds each order shipped complete
    took (orders missing a stage's times are left out of that stage).

    Raises:
        NotFound: unknown client.
    """
    cid = cohort.client_id(client)
    c = cohort.received(period, cid)
    cols = ", ".join(cohort.seconds(f"rc.{a}", f"rc.{b}") for a, b in _SPANS)
    rows = db.execute(c.sql + f"SELECT rc.client_id, {cols} FROM rc WHERE rc.complete = 1", c.params).fetchall()
    codes = cohort.client_codes()
    out: dict[str, list[list[int]]] = {}
    for cid_, *secs in rows:
        lists = out.setdefault(codes[int(cid_)], [[] for _ in STAGES])
        for i, s in enumerate(secs):
            if s is not None:
                lists[i].append(int(s))
    return out


def stage_times(period: Period, *, client: str | None = None) -> list[StageTimes]:
    """Per client (by code) and stage, then ``ALL`` per stage.

    Raises:
        NotFound: unknown client.
    """
    per = durations(period, client=client)
    out = [_figures(code, stage, per[code][i]) for code in sorted(per) for i, stage in enumerate(STAGES)]
    for i, stage in enumerate(STAGES):
        out.append(_figures(ALL, stage, [s for lists in per.values() for s in lists[i]]))
    return out


def processing_times(period: Period, *, client: str | None = None) -> Table:
    """Report ``processing-times`` (columns ``COLUMNS``).

    Raises:
        NotFound: unknown client.
    """
    return Table("processing-times", f"Processing times {period.first} to {period.last}", COLUMNS,
                 [r.row() for r in stage_times(period, client=client)], (DEFINITIONS[0], DEFINITIONS[3],
                                                                          DEFINITIONS[5]))
