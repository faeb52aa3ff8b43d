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
from app.kernel.errors import NotFound, ValidationError
from app.kernel.states import OrderStatus
from app.reports.definitions import day_end, day_terms
from app.reports.table import Period
from app.store import db

CANCELLED = OrderStatus.CANCELLED.value
MAX_DAYS = 3660  # a report's period: at most ten years (one row of the day table each)


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


def in_period(period: Period, cid: int | None, alias: str = "o") -> tuple[str, list[object]]:
    """SQL conditions (and parameters) for the orders received in ``period`` (of one client)."""
    sql = f"{alias}.received_at >= ? AND {alias}.received_at < ?"
    params: list[object] = [period.start, period.end]
    if cid is not None:
        sql += f" AND {alias}.client_id = ?"
        params.append(cid)
    return sql, params


# Shipped complete: every ordered unit shipped by the cap. The order's shipped time is stamped
# when every line still wanted is shipped; a line wants less than ordered only once the order
# was cancelled (``orders.cancel_order`` sets ``cancelled_at``), so only such orders need their
# lines looked at.
COMPLETE = (f"CASE WHEN o.status <> '{CANCELLED}' AND o.shipped_at IS NOT NULL AND o.shipped_at <= ? "
            "AND (o.cancelled_at IS NULL OR NOT EXISTS (SELECT 1 FROM order_line x WHERE x.order_id = o.id "
            "AND x.qty_shipped < x.qty_ordered)) THEN 1 ELSE 0 END")


def received(period: Period, cid: int | None) -> Cohort:
    """The orders received in ``period`` (of one client, if ``cid``).

    Raises:
        ValidationError: a period longer than ten years.
    """
    if (period.last - period.first).days >= MAX_DAYS:
        raise ValidationError(f"a report covers at most {MAX_DAYS} days, not {period.first} to {period.last}")
    cap = min(period.end, clock.now())
    terms = day_terms(period.days())
    params: list[object] = [v for row in terms for v in row]
    sql = ("WITH d(day, lo, cut, hi, due_in, due_out) AS (VALUES "
           + ", ".join("(?, ?, ?, ?, ?, ?)" for _ in terms) + ")")
    where, wparams = in_period(period, cid)
    ship_by = [db.as_date(r[0]) for r in db.execute(
        f'SELECT DISTINCT o.ship_by FROM "order" o WHERE {where} AND o.ship_by IS NOT NULL', wparams).fetchall()]
    due = "CASE WHEN o.received_at < d.cut THEN d.due_in ELSE d.due_out END"
    if ship_by:
        sql += ", sb(sday, sdue) AS MATERIALIZED (VALUES " + ", ".join("(?, ?)" for _ in ship_by) + ")"
        params += [v for day in ship_by if day for v in (day, day_end(day))]
        due = f"CASE WHEN o.ship_by IS NULL THEN {due} ELSE (SELECT sb.sdue FROM sb WHERE sb.sday = o.ship_by) END"
    cond = "" if cid is None else " AND o.client_id = ?"
    sql += (", rc AS (SELECT o.id, o.client_id, o.status, d.day, o.received_at, o.allocated_at, o.picked_at, "
            f"o.packed_at, o.shipped_at, {due} AS due, {COMPLETE} AS complete "
            f'FROM d JOIN "order" o ON o.received_at >= d.lo AND o.received_at < d.hi{cond}) ')
    params += [cap, *([] if cid is None else [cid])]
    return Cohort(sql, params, cap)
