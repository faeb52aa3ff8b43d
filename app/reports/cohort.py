"""The orders received in a period, with their due time, as SQL the reports build on.

``received(period, client_id)`` gives a ``WITH`` clause defining ``rc``: one row per order
received in the period (id, client_id, status, day, received_at, allocated_at, picked_at,
packed_at, shipped_at, due, complete). "Due" is worked out in SQL from a small table of the
period's warehouse days (see ``definitions.day_terms``) and of the ship-by dates in use, so a
report over 200,000 orders never loops over them in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.kernel import clock
from app.kernel.errors import NotFound
from app.kernel.states import OrderStatus
from app.reports.definitions import day_end, day_terms
from app.reports.table import Period
from app.store import db

CANCELLED = OrderStatus.CANCELLED.value


@dataclass(frozen=True)
class Cohort:
    """A ``WITH`` clause defining ``rc`` and its parameters; ``cap`` is the period's end or now."""

    sql: str
    params: list[object]
    cap: dt.datetime


def client_id(code: str | None) -> int | None:
    """The id of a client code (None for all clients).

    Raises:
        NotFound: unknown client.
    """
    if not code or not code.strip():
        return None
    text = code.strip().upper()
    row = db.execute("SELECT id FROM client WHERE code = ?", (text,)).fetchone()
    if row is None:
        raise NotFound(f"no client {text}")
    return int(row[0])


def client_codes() -> dict[int, str]:
    return {int(i): str(c) for i, c in db.execute("SELECT id, code FROM client").fetchall()}


def seconds(later: str, earlier: str) -> str:
    """SQL for the seconds from ``earlier`` to ``later`` (both timestamps)."""
    if db.is_sqlite():
        return f"CAST(ROUND((julianday({later}) - julianday({earlier})) * 86400) AS INTEGER)"
    return f"CAST(EXTRACT(EPOCH FROM ({later} - {earlier})) AS BIGINT)"


def received(period: Period, cid: int | None) -> Cohort:
    """The orders received in ``period`` (of one client, if ``cid``)."""
    cap = min(period.end, clock.now())
    terms = day_terms(period.days())
    params: list[object] = [v for row in terms for v in row]
    sql = ("WITH d(day, lo, cut, hi, due_in, due_out) AS (VALUES "
           + ", ".join("(?, ?, ?, ?, ?, ?)" for _ in terms) + ")")
    where, wparams = "", []
    if cid is not None:
        where, wparams = " AND o.client_id = ?", [cid]
    ship_by = [db.as_date(r[0]) for r in db.execute(
        'SELECT DISTINCT o.ship_by FROM "order" o WHERE o.received_at >= ? AND o.received_at < ? '
        "AND o.ship_by IS NOT NULL" + where, [period.start, period.end, *wparams]).fetchall()]
    due = "CASE WHEN o.received_at < d.cut THEN d.due_in ELSE d.due_out END"
    join = ""
    if ship_by:
        sql += ", sb(sday, sdue) AS (VALUES " + ", ".join("(?, ?)" for _ in ship_by) + ")"
        params += [v for day in ship_by if day for v in (day, day_end(day))]
        due = f"COALESCE(sb.sdue, {due})"
        join = " LEFT JOIN sb ON sb.sday = o.ship_by"
    sql += (", rc AS (SELECT o.id, o.client_id, o.status, d.day, o.received_at, o.allocated_at, o.picked_at, "
            f"o.packed_at, o.shipped_at, {due} AS due, "
            f"CASE WHEN o.status <> '{CANCELLED}' AND o.shipped_at IS NOT NULL AND o.shipped_at <= ? "
            "AND NOT EXISTS (SELECT 1 FROM order_line x WHERE x.order_id = o.id AND x.qty_shipped < x.qty_ordered) "
            "THEN 1 ELSE 0 END AS complete "
            f'FROM d JOIN "order" o ON o.received_at >= d.lo AND o.received_at < d.hi{join} WHERE 1 = 1{where}) ')
    params += [cap, *wparams]
    return Cohort(sql, params, cap)
