"""Report 2, processing times: for the orders received in the period and shipped complete,
received to shipped and each stage (received to allocated, allocated to picked, picked to
packed, packed to shipped), per client and for all: median, 90th percentile (nearest rank)
and maximum, in hours with 2 decimals."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain

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
    """``values`` sorted."""
    if not values:
        return StageTimes(client, stage, 0, None, None, None)
    return StageTimes(client, stage, len(values), hours(Decimal(median(values))),
                      hours(nearest_rank(values, 90)), hours(values[-1]))


def _sorted(values: list[int | None]) -> list[int]:
    """The values without the missing ones (rare: an order without a stage's time), sorted."""
    kept = [v for v in values if v is not None] if None in values else values
    kept.sort()
    return kept  # type: ignore[return-value]  # no None left


def durations(period: Period, *, client: str | None = None) -> dict[str, list[list[int]]]:
    """Per client code: for each stage of ``STAGES``, the seconds each order shipped complete
    took, sorted (orders missing a stage's times are left out of that stage).

    Raises:
        NotFound: unknown client.
    """
    cid = cohort.client_id(client)
    c = cohort.received(period, cid)
    cols = ", ".join(cohort.seconds(f"rc.{a}", f"rc.{b}") for a, b in _SPANS)
    rows = db.execute(c.sql + f"SELECT rc.client_id, {cols} FROM rc WHERE rc.complete = 1 ORDER BY rc.client_id",
                      c.params).fetchall()
    if not rows:
        return {}
    # Column by column (the rows come by client): a few C-level passes, not one per value.
    clients, *columns = (list(col) for col in zip(*rows, strict=True))
    codes = cohort.client_codes()
    out: dict[str, list[list[int]]] = {}
    for cid_ in sorted(set(clients)):
        lo, hi = bisect_left(clients, cid_), bisect_right(clients, cid_)
        out[codes[int(cid_)]] = [_sorted(col[lo:hi]) for col in columns]
    return out


def stage_times(period: Period, *, client: str | None = None) -> list[StageTimes]:
    """Per client (by code) and stage, then ``ALL`` per stage.

    Raises:
        NotFound: unknown client.
    """
    per = durations(period, client=client)
    out = [_figures(code, stage, per[code][i]) for code in sorted(per) for i, stage in enumerate(STAGES)]
    for i, stage in enumerate(STAGES):
        # the clients' sorted runs merge quickly
        out.append(_figures(ALL, stage, sorted(chain.from_iterable(lists[i] for lists in per.values()))))
    return out


def processing_times(period: Period, *, client: str | None = None) -> Table:
    """Report ``processing-times`` (columns ``COLUMNS``).

    Raises:
        NotFound: unknown client.
    """
    return Table("processing-times", f"Processing times {period.first} to {period.last}", COLUMNS,
                 [r.row() for r in stage_times(period, client=client)], (DEFINITIONS[0], DEFINITIONS[3],
                                                                          DEFINITIONS[5]))
