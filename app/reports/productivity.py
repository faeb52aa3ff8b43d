"""Productivity (report ``productivity``): per user and per hour of the day (warehouse zone),
units received, put away, picked and packed, orders shipped, mis-scans per 1,000 packed units
and short picks.

Where each figure comes from: received / put away / picked are the user's stock moves of kind
``receive`` / ``putaway`` / ``pick`` not undone since (``receipt undo``); packed are the units of the user's accepted packing scans
(a case-pack barcode counts its units); orders shipped are the orders the user moved to
Shipped; mis-scans are the packing scans refused (wrong item, one too many, unknown code,
typed); short picks are the short-pick exceptions the user raised.

The database groups by user and UTC hour when the zone is a whole number of hours off UTC all
through the period, else by UTC quarter-hour (every zone's offset is a whole number of
quarter-hours), and each bucket lands in its local hour here: exact in any zone, daylight
saving included.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from app.catalog import client_by_code
from app.kernel import clock
from app.ledger.moves import NOT_UNDONE
from app.reports.table import Cell, Period, Table
from app.store import db

COLUMNS = ("user", "hour", "received", "put_away", "picked", "packed", "orders_shipped", "mis_scans",
           "mis_scans_per_1000", "short_picks")
ALL_HOURS = "all"
NOTES = (
    "Hour: the hour of the day in the warehouse's time zone; 'all' is the user's whole period.",
    "Received, put away, picked: units the user moved (a scan undone since is not counted); packed: units "
    "verified by scan at packing.",
    "Orders shipped: orders the user moved to Shipped; short picks: short-pick exceptions raised.",
    "Mis-scans per 1,000: refused packing scans (wrong item, too many, unknown, typed) per 1,000 "
    "packed units.",
)


def _bucket(column: str, hourly: bool) -> str:
    """SQL for ``column``'s UTC hour as text ``YYYY-MM-DD HH``, or with ``hourly`` False its
    quarter-hour ``YYYY-MM-DD HH:q`` (q = 0..3)."""
    if db.is_postgres():
        hour = f"to_char({column}, 'YYYY-MM-DD HH24')"
        return hour if hourly else f"{hour} || ':' || CAST(FLOOR(EXTRACT(MINUTE FROM {column}) / 15) AS INTEGER)"
    # SQLite keeps a time as text 'YYYY-MM-DD HH:MM:SS[.ffffff]': cutting it is several
    # times faster than strftime on the half million packing scans of a busy month.
    hour = f"substr({column}, 1, 13)"
    return hour if hourly else f"{hour} || ':' || (CAST(substr({column}, 15, 2) AS INTEGER) / 15)"


def _whole_hours(period: Period) -> bool:
    """Whether the zone is a whole number of hours off UTC all through the period (then UTC
    hours map onto local hours, and the database groups by hour)."""
    days = [*period.days(), period.last + dt.timedelta(days=1)]
    for day in days:
        offset = clock.to_local(clock.day_start(day)).utcoffset() or dt.timedelta()
        if offset.total_seconds() % 3600:
            return False
    return True


def _local_hour(bucket: str) -> int:
    day_hour, _, quarter = bucket.partition(":")
    start = dt.datetime.strptime(day_hour, "%Y-%m-%d %H") + dt.timedelta(minutes=15 * int(quarter or 0))
    return clock.to_local(start).hour


def _queries(client_id: int | None, cases: bool) -> list[tuple[str, str]]:
    """(time column, SQL selecting user, bucket ``{b}``, figure index, value), with ``?`` for
    start, end[, client]. ``cases``: some barcode counts several units (else every accepted
    scan is one unit, and the scans are read from their time index alone)."""
    # A move's client column is optional (moves of older versions lack it): the product's client.
    move_client = (" AND m.product_id IN (SELECT id FROM product WHERE client_id = ?)"
                   if client_id is not None else "")
    scan_client = " AND s.client_id = ?" if client_id is not None else ""
    change_client = " AND c.client_id = ?" if client_id is not None else ""
    short_client = " AND p.client_id = ?" if client_id is not None else ""
    unit, case_join = "1", ""
    if cases:
        unit = "COALESCE(pb.pack_qty, 1)"
        case_join = "LEFT JOIN product_barcode pb ON pb.product_id = s.product_id AND pb.code = s.code "
    return [
        ("m.created_at",
         "SELECT m.user_name, {b}, CASE m.kind WHEN 'receive' THEN 0 WHEN 'putaway' THEN 1 ELSE 2 END, "
         "SUM(m.qty) FROM stock_move m WHERE m.kind IN ('receive', 'putaway', 'pick') "
         f"AND m.created_at >= ? AND m.created_at < ?{move_client} AND {NOT_UNDONE} GROUP BY 1, 2, 3"),
        # packed units (index 3) and refused scans (index 5) in one pass over the scans
        ("s.created_at",
         "SELECT s.user_name, {b}, CASE WHEN s.result = 'ok' THEN 3 ELSE 5 END, "
         f"SUM(CASE WHEN s.result = 'ok' THEN {unit} ELSE 1 END) FROM pack_scan s {case_join}"
         f"WHERE s.created_at >= ? AND s.created_at < ?{scan_client} GROUP BY 1, 2, 3"),
        ("c.created_at",
         "SELECT c.user_name, {b}, 4, COUNT(*) FROM status_change c WHERE c.doc_type = 'order' "
         f"AND c.to_status = 'shipped' AND c.created_at >= ? AND c.created_at < ?{change_client} "
         "GROUP BY 1, 2"),
        ("e.created_at",
         "SELECT e.user_name, {b}, 6, COUNT(*) FROM pick_exception e JOIN product p ON p.id = e.product_id "
         f"WHERE e.created_at >= ? AND e.created_at < ?{short_client} GROUP BY 1, 2"),
    ]


def per_thousand(part: int, whole: int) -> Decimal | None:
    """``part`` per 1,000 of ``whole`` with 2 decimals (None when ``whole`` is 0)."""
    if not whole:
        return None
    return (Decimal(part) * 1000 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _row(user: str, hour: str, f: list[int]) -> tuple[Cell, ...]:
    received, put_away, picked, packed, shipped, mis, short = f
    return (user, hour, received, put_away, picked, packed, shipped, mis, per_thousand(mis, packed), short)


def productivity(period: Period, *, client: str | None = None) -> Table:
    """Rows per user (by name) and local hour with any activity, each user's ``all`` row after
    their hours, and a last row ``ALL`` / ``all`` for everybody.

    Raises:
        NotFound: unknown client.
    """
    client_id = client_by_code(client).id if client else None
    base: list[object] = [period.start, period.end] + ([client_id] if client_id is not None else [])
    counts: dict[str, dict[int, list[int]]] = {}
    cases = db.execute("SELECT 1 FROM product_barcode WHERE pack_qty > 1 LIMIT 1").fetchone() is not None
    hourly = _whole_hours(period)
    for column, sql in _queries(client_id, cases):
        for user, bucket, index, value in db.execute(sql.format(b=_bucket(column, hourly)), base).fetchall():
            hours = counts.setdefault(str(user or ""), {})
            figures = hours.setdefault(_local_hour(str(bucket)), [0] * 7)
            figures[int(index)] += int(value or 0)
    rows: list[tuple[Cell, ...]] = []
    grand = [0] * 7
    for user in sorted(counts, key=str.casefold):
        total = [0] * 7
        for hour in sorted(counts[user]):
            figures = counts[user][hour]
            rows.append(_row(user or "(nobody)", f"{hour:02d}:00", figures))
            total = [a + b for a, b in zip(total, figures, strict=True)]
        rows.append(_row(user or "(nobody)", ALL_HOURS, total))
        grand = [a + b for a, b in zip(grand, total, strict=True)]
    rows.append(_row("ALL", ALL_HOURS, grand))
    return Table("productivity", "Productivity by user and hour", COLUMNS, rows, NOTES)
