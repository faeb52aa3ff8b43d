"""The hand-written equivalents of the reports for ``bench_reports``: plain SQL on a stdlib
sqlite3 connection, for a UTC warehouse with the 14:00 cut-off (due worked out with SQLite's
date functions), the percentiles in a few lines of Python."""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
import statistics

DUE = ("CASE WHEN o.ship_by IS NOT NULL THEN datetime(o.ship_by, '+1 day') "
       "WHEN strftime('%w', o.received_at) NOT IN ('0', '6') AND time(o.received_at) < '14:00:00' "
       "THEN datetime(date(o.received_at), '+1 day') "
       "ELSE datetime(date(o.received_at), CASE strftime('%w', o.received_at) WHEN '5' THEN '+4 days' "
       "WHEN '6' THEN '+3 days' ELSE '+2 days' END) END")
COMPLETE = ("CASE WHEN o.status <> 'cancelled' AND o.shipped_at IS NOT NULL AND o.shipped_at <= :cap AND "
            "(o.cancelled_at IS NULL OR NOT EXISTS (SELECT 1 FROM order_line x WHERE x.order_id = o.id "
            "AND x.qty_shipped < x.qty_ordered)) THEN 1 ELSE 0 END")
SHORT = "(ol.qty_ordered - ol.qty_cancelled - ol.qty_allocated - MAX(ol.qty_picked, ol.qty_packed, ol.qty_shipped))"
WAITING = "('partially_allocated', 'allocated', 'backordered', 'picking')"


def _cap(hi: str, now: str) -> str:
    return min(hi, now)


def fulfillment(conn: sqlite3.Connection, lo: str, hi: str, now: str) -> list[tuple]:
    p = {"lo": lo, "hi": hi, "cap": _cap(hi, now)}
    heads = conn.execute(
        f'WITH r AS (SELECT o.id, o.client_id, o.status, o.shipped_at, {DUE} AS due, {COMPLETE} AS complete '
        'FROM "order" o WHERE o.received_at >= :lo AND o.received_at < :hi) '
        "SELECT client_id, COUNT(*), SUM(status = 'cancelled'), SUM(complete), SUM(complete AND shipped_at <= due) "
        "FROM r GROUP BY client_id", p).fetchall()
    lines = conn.execute(
        "SELECT o.client_id, COUNT(*), SUM(ol.qty_shipped >= ol.qty_ordered AND "
        "COALESCE(ol.shipped_at, o.shipped_at) <= :cap), SUM(ol.qty_ordered), SUM(CASE WHEN ol.qty_shipped >= "
        "ol.qty_ordered AND COALESCE(ol.shipped_at, o.shipped_at) <= :cap THEN ol.qty_ordered ELSE "
        "COALESCE((SELECT SUM(pl.qty) FROM package_line pl JOIN package pk ON pk.id = pl.package_id "
        "WHERE pl.order_line_id = ol.id AND pk.shipped_at <= :cap), 0) END) "
        'FROM "order" o JOIN order_line ol ON ol.order_id = o.id WHERE o.received_at >= :lo AND o.received_at < :hi '
        "AND o.status <> 'cancelled' GROUP BY o.client_id", p).fetchall()
    return heads + lines


def _spans(conn: sqlite3.Connection, lo: str, hi: str, now: str, cols: str) -> list[tuple]:
    return conn.execute(
        f'SELECT o.client_id, {cols} FROM "order" o WHERE o.received_at >= :lo AND o.received_at < :hi '
        f"AND {COMPLETE} = 1", {"lo": lo, "hi": hi, "cap": _cap(hi, now)}).fetchall()


def _seconds(a: str, b: str) -> str:
    return f"CAST(ROUND((julianday(o.{a}) - julianday(o.{b})) * 86400) AS INTEGER)"


def processing(conn: sqlite3.Connection, lo: str, hi: str, now: str) -> list[tuple]:
    cols = ", ".join(_seconds(a, b) for a, b in (("shipped_at", "received_at"), ("allocated_at", "received_at"),
                                                  ("picked_at", "allocated_at"), ("packed_at", "picked_at"),
                                                  ("shipped_at", "packed_at")))
    per: dict[int, list[list[int]]] = {}
    for cid, *secs in _spans(conn, lo, hi, now, cols):
        lists = per.setdefault(cid, [[] for _ in range(5)])
        for i, s in enumerate(secs):
            if s is not None:
                lists[i].append(s)
    out = []
    for cid, lists in per.items():
        for values in lists:
            values.sort()
            out.append((cid, len(values), statistics.median(values),
                        values[math.ceil(0.9 * len(values)) - 1], values[-1]))
    return out


def late(conn: sqlite3.Connection, hi: str, now: str) -> list[tuple]:
    day = dt.datetime.fromisoformat(now)
    cut = day.replace(hour=14, minute=0, second=0)
    while cut <= day or cut.weekday() > 4:
        cut = (cut + dt.timedelta(days=1)).replace(hour=14)
    horizon = (cut.replace(hour=0) + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    return conn.execute(
        f"SELECT c.code, o.number, o.status, o.received_at, {DUE} AS due, "
        f"GROUP_CONCAT(CASE WHEN {SHORT} > 0 THEN p.sku || 'x' || {SHORT} END, ' '), SUM(ol.qty_allocated), "
        "SUM(MAX(ol.qty_picked, ol.qty_packed, ol.qty_shipped) - MAX(ol.qty_packed, ol.qty_shipped)) "
        'FROM "order" o JOIN client c ON c.id = o.client_id JOIN order_line ol ON ol.order_id = o.id '
        "JOIN product p ON p.id = ol.product_id WHERE o.status NOT IN ('shipped', 'cancelled') "
        "AND o.received_at < :cap AND ol.qty_ordered > ol.qty_cancelled "
        "GROUP BY o.id HAVING due <= :horizon ORDER BY o.received_at, o.id",
        {"cap": _cap(hi, now), "horizon": horizon}).fetchall()


def backorders(conn: sqlite3.Connection, hi: str, now: str) -> list[tuple]:
    age = "CAST(julianday(date(:now)) - julianday(date(o.received_at)) AS INTEGER)"
    return conn.execute(
        f"SELECT c.code, p.sku, p.name, SUM({SHORT}), COUNT(DISTINCT o.id), "
        f"SUM(CASE WHEN {age} <= 1 THEN {SHORT} ELSE 0 END), "
        f"SUM(CASE WHEN {age} BETWEEN 2 AND 3 THEN {SHORT} ELSE 0 END), "
        f"SUM(CASE WHEN {age} BETWEEN 4 AND 7 THEN {SHORT} ELSE 0 END), "
        f"SUM(CASE WHEN {age} >= 8 THEN {SHORT} ELSE 0 END), GROUP_CONCAT(o.number, ' ') "
        'FROM order_line ol JOIN "order" o ON o.id = ol.order_id JOIN product p ON p.id = ol.product_id '
        f"JOIN client c ON c.id = o.client_id WHERE o.status IN {WAITING} AND {SHORT} > 0 AND o.received_at < :cap "
        "GROUP BY ol.product_id ORDER BY c.code, p.sku", {"now": now, "cap": _cap(hi, now)}).fetchall()


def returns(conn: sqlite3.Connection, lo: str, hi: str) -> list[tuple]:
    return conn.execute(
        "SELECT c.code, p.sku, p.name, SUM(CASE WHEN m.kind = 'ship' THEN m.qty ELSE 0 END), "
        "SUM(CASE WHEN m.kind = 'return' THEN m.qty ELSE 0 END) FROM stock_move m "
        "JOIN product p ON p.id = m.product_id JOIN client c ON c.id = p.client_id "
        "JOIN location lt ON lt.id = m.to_location_id WHERE m.created_at >= ? AND m.created_at < ? "
        "AND ((m.kind = 'ship' AND lt.code = 'CUSTOMER') OR m.doc_type = 'return') "
        "GROUP BY c.code, p.sku, p.name ORDER BY c.code, p.sku", (lo[:10], hi[:10])).fetchall()


def headline(conn: sqlite3.Connection, lo: str, hi: str, now: str) -> tuple:
    p = {"lo": lo, "hi": hi, "cap": _cap(hi, now), "now": now}
    totals = conn.execute(
        f'SELECT COUNT(*), SUM(o.status = \'cancelled\'), SUM({COMPLETE}), SUM({COMPLETE} AND o.shipped_at <= {DUE}) '
        'FROM "order" o WHERE o.received_at >= :lo AND o.received_at < :hi', p).fetchone()
    spans = sorted(s for _, s in _spans(conn, lo, hi, now, _seconds("shipped_at", "received_at")))
    past_due = conn.execute(
        f"SELECT COUNT(*) FROM \"order\" o WHERE o.status NOT IN ('shipped', 'cancelled') AND o.received_at < :cap "
        f"AND {DUE} < :now", p).fetchone()[0]
    short = conn.execute(
        f'SELECT SUM({SHORT}) FROM order_line ol JOIN "order" o ON o.id = ol.order_id WHERE o.status IN {WAITING} '
        f"AND {SHORT} > 0 AND o.received_at < :cap", p).fetchone()[0]
    return totals, statistics.median(spans) if spans else None, past_due, short


def trend(conn: sqlite3.Connection, lo: str, hi: str, now: str) -> list[tuple]:
    rows = conn.execute(
        f"WITH r AS (SELECT date(o.received_at) AS day, o.status, o.shipped_at, {DUE} AS due, {COMPLETE} AS complete, "
        f"{_seconds('shipped_at', 'received_at')} AS secs "
        'FROM "order" o WHERE o.received_at >= :lo AND o.received_at < :hi) '
        "SELECT day, COUNT(*), SUM(status = 'cancelled'), SUM(complete), SUM(complete AND shipped_at <= due), "
        "GROUP_CONCAT(CASE WHEN complete = 1 THEN secs END) FROM r GROUP BY day ORDER BY day",
        {"lo": lo, "hi": hi, "cap": _cap(hi, now)}).fetchall()
    return [(*r[:5], statistics.median(sorted(int(s) for s in r[5].split(","))) if r[5] else None) for r in rows]


def aging(conn: sqlite3.Connection, hi: str, now: str) -> list[tuple]:
    age = "CAST(julianday(date(:now)) - julianday(date(o.received_at)) AS INTEGER)"
    return conn.execute(
        f"SELECT CASE WHEN {age} <= 1 THEN 0 WHEN {age} <= 3 THEN 1 WHEN {age} <= 7 THEN 2 ELSE 3 END AS b, "
        f"COUNT(DISTINCT o.id), SUM({SHORT}) FROM order_line ol JOIN \"order\" o ON o.id = ol.order_id "
        f"WHERE o.status IN {WAITING} AND {SHORT} > 0 AND o.received_at < :cap GROUP BY b",
        {"now": now, "cap": _cap(hi, now)}).fetchall()
