"""Supervisor reports of the floor (stock, bins, productivity, shipping) and the audit log page
over the bench dataset, each next to one hand-written SQL query (stdlib sqlite3, same file)
that computes the same figures, in the same run.

The dataset (100,000 products, 1,000,000 moves, 100,000 orders) is copied and given a month of
floor work the generator leaves out: 200,000 shipped packages with carriers and costs,
500,000 packing scans (2 % refused), 5,000 short picks, 100,000 orders moved to Shipped and
200,000 audit events, over six users; then ANALYZE.

    .venv/bin/python -m bench.bench_reports_floor [--dataset FILE] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
from pathlib import Path

from app.reports import audit_log, productivity, shipping_report, stock_report
from app.reports.table import Period
from app.store import db
from bench.generate import END, ensure_dataset
from bench.harness import Table, bare_sqlite, paired_medians

USERS = ("ann", "ben", "cy", "dee", "eve", "fay")
CARRIERS = (("UPS", "Ground"), ("UPS", "2nd Day Air"), ("USPS", "Priority"), ("FedEx", "Home"))
DAYS = 30


def _ts(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def add_floor_work(conn, *, packages: int = 200_000, scans: int = 500_000, shorts: int = 5_000,
                   events: int = 200_000, seed: int = 7) -> None:
    """A month of packing, shipping, short picks and audit events up to the dataset's end."""
    rng = random.Random(seed)
    start = END - dt.timedelta(days=DAYS)
    span = DAYS * 86400
    orders = [(int(o), int(c)) for o, c in conn.execute('SELECT id, client_id FROM "order"')]
    lines = {int(o): (int(ol), int(p)) for o, ol, p in conn.execute(
        "SELECT order_id, MIN(id), MIN(product_id) FROM order_line GROUP BY order_id")}
    bin_id = int(conn.execute("SELECT id FROM location WHERE kind = 'bin' ORDER BY id LIMIT 1").fetchone()[0])
    conn.execute("PRAGMA foreign_keys = OFF")  # the short picks' pick list need not exist
    conn.execute("BEGIN")
    pk_rows, pl_rows = [], []
    for n in range(packages):
        oid, cid = orders[n % len(orders)]
        carrier, service = CARRIERS[rng.randrange(len(CARRIERS))]
        when = _ts(start + dt.timedelta(seconds=rng.randrange(span)))
        cost = None if rng.random() < 0.05 else round(rng.uniform(4, 40), 3)
        pk_rows.append((n + 1, oid, cid, n // len(orders) + 1, f"{n + 1:018d}", "shipped", carrier, service,
                        f"T{n + 1}", cost, when, when, when))
        ol, pid = lines[oid]
        pl_rows.append((n + 1, ol, pid, rng.randint(1, 3)))
    conn.executemany("INSERT INTO package (id, order_id, client_id, seq, sscc, status, carrier, service, tracking, "
                     "cost, created_at, closed_at, shipped_at, weight_estimated, override_reason) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '')", pk_rows)
    conn.executemany("INSERT INTO package_line (package_id, order_line_id, product_id, qty) VALUES (?, ?, ?, ?)",
                     pl_rows)
    conn.executemany(
        "INSERT INTO pack_scan (order_id, client_id, package_id, product_id, code, result, user_name, station, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pack', ?)",
        ((orders[k % len(orders)][0], orders[k % len(orders)][1], None, lines[orders[k % len(orders)][0]][1],
          "C", "ok" if rng.random() >= 0.02 else "wrong_item", USERS[rng.randrange(len(USERS))],
          _ts(start + dt.timedelta(seconds=rng.randrange(span)))) for k in range(scans)))
    conn.executemany(
        "INSERT INTO pick_exception (picklist_id, order_line_id, product_id, location_id, qty, reason, outcome, "
        "user_name, created_at) VALUES (1, ?, ?, ?, 1, 'short', 'backordered', ?, ?)",
        ((lines[orders[k][0]][0], lines[orders[k][0]][1], bin_id, USERS[k % len(USERS)],
          _ts(start + dt.timedelta(seconds=rng.randrange(span)))) for k in range(shorts)))
    conn.executemany(
        "INSERT INTO status_change (doc_type, doc_id, client_id, from_status, to_status, user_name, station, "
        "note, created_at) VALUES ('order', ?, ?, 'packed', 'shipped', ?, 'ship', '', ?)",
        ((o, c, USERS[o % len(USERS)], _ts(start + dt.timedelta(seconds=rng.randrange(span))))
         for o, c in orders))
    conn.executemany(
        "INSERT INTO audit_event (created_at, kind, user_name, station, client_id, doc_type, doc_id, detail) "
        "VALUES (?, ?, ?, 'bench', ?, 'order', ?, '')",
        ((_ts(start + dt.timedelta(seconds=rng.randrange(span))), ("allocate", "order_created", "pack_override")[k % 3],
          USERS[k % len(USERS)], orders[k % len(orders)][1], orders[k % len(orders)][0]) for k in range(events)))
    conn.execute("COMMIT")
    conn.execute("ANALYZE")


# The same figures, one hand-written statement each (UTC hours: the bench warehouse is in UTC).
BARE = {
    "stock": (
        "SELECT c.code, p.sku, p.name, COALESCE(ps.on_hand, 0), COALESCE(ps.reserved, 0), "
        "COALESCE(ps.available, 0), p.reorder_point, "
        "(SELECT MAX(m.created_at) FROM stock_move m WHERE m.product_id = p.id AND m.kind = 'ship') "
        "FROM product p JOIN client c ON c.id = p.client_id LEFT JOIN product_stock ps ON ps.product_id = p.id "
        "WHERE p.active = 1 AND (COALESCE(ps.on_hand, 0) > 0 OR p.reorder_point > 0) ORDER BY c.code, p.sku"),
    "bins": (
        "SELECT l.zone, COUNT(*), SUM(u.units > 0), SUM(u.units) FROM location l LEFT JOIN "
        "(SELECT location_id, SUM(on_hand) AS units FROM stock_level WHERE on_hand > 0 GROUP BY location_id) u "
        "ON u.location_id = l.id WHERE l.kind = 'bin' AND l.active = 1 GROUP BY l.zone"),
    "productivity": (
        "SELECT user_name, strftime('%H', created_at), kind, SUM(qty) FROM stock_move "
        "WHERE kind IN ('receive', 'putaway', 'pick') AND created_at >= :s AND created_at < :e "
        "GROUP BY 1, 2, 3 UNION ALL "
        "SELECT user_name, strftime('%H', created_at), result = 'ok', COUNT(*) FROM pack_scan "
        "WHERE created_at >= :s AND created_at < :e GROUP BY 1, 2, 3 UNION ALL "
        "SELECT user_name, strftime('%H', created_at), 'shipped', COUNT(*) FROM status_change "
        "WHERE doc_type = 'order' AND to_status = 'shipped' AND created_at >= :s AND created_at < :e "
        "GROUP BY 1, 2 UNION ALL "
        "SELECT user_name, strftime('%H', created_at), 'short', COUNT(*) FROM pick_exception "
        "WHERE created_at >= :s AND created_at < :e GROUP BY 1, 2"),
    "shipping": (
        "SELECT c.code, pk.carrier, pk.service, COUNT(*), COUNT(DISTINCT pk.order_id), "
        "SUM((SELECT SUM(qty) FROM package_line pl WHERE pl.package_id = pk.id)), COUNT(pk.cost), "
        "SUM(CAST(ROUND(pk.cost * 100) AS INTEGER)) FROM package pk JOIN client c ON c.id = pk.client_id "
        "WHERE pk.status = 'shipped' AND pk.shipped_at >= :s AND pk.shipped_at < :e GROUP BY 1, 2, 3 UNION ALL "
        "SELECT pk.client_id, NULL, NULL, NULL, COUNT(DISTINCT pk.order_id), NULL, NULL, NULL FROM package pk "
        "WHERE pk.status = 'shipped' AND pk.shipped_at >= :s AND pk.shipped_at < :e GROUP BY 1"),
    "audit": (
        "SELECT e.created_at, e.user_name, e.station, e.kind, e.doc_type, o.number, c.code, e.detail "
        "FROM audit_event e LEFT JOIN client c ON c.id = e.client_id "
        "LEFT JOIN \"order\" o ON e.doc_type = 'order' AND o.id = e.doc_id "
        "ORDER BY e.created_at DESC, e.id DESC LIMIT 100"),
}


def run(dataset: str | None = None, *, repeat: int = 5) -> Table:
    source = Path(dataset) if dataset else Path(ensure_dataset().removeprefix("sqlite:///"))
    last = END.date()
    period = Period.of(last - dt.timedelta(days=DAYS - 1), last)
    table = Table(f"Floor reports (dataset {source.name} + a month of floor work; last {DAYS} days; "
                  f"SQLite, paired medians of {repeat})", bare_label="hand-written SQL")
    with tempfile.TemporaryDirectory(prefix="prepdesk-bench-reports-") as tmp:
        copy = Path(tmp) / "reports.db"
        shutil.copyfile(source, copy)
        conn = bare_sqlite(copy)
        add_floor_work(conn)
        db.open_database(f"sqlite:///{copy}")
        params = {"s": _ts(period.start), "e": _ts(period.end)}
        checks = {
            "stock": lambda: stock_report.stock(period, days=30),
            "bins": lambda: stock_report.bin_occupancy(period),
            "productivity": lambda: productivity.productivity(period),
            "shipping": lambda: shipping_report.shipping(period),
            "audit": lambda: audit_log.audit_log(page=0),
        }
        names = {"stock": "report stock (100,000 products, slow after 30 days)",
                 "bins": "report bins (2,500 bins)",
                 "productivity": "report productivity (last 30 days)",
                 "shipping": "report shipping (200,000 packages)",
                 "audit": "audit log, newest page (200,000 events)"}
        for key, fn in checks.items():
            sql = BARE[key]

            def bare(sql: str = sql) -> None:
                conn.execute(sql, params if ":s" in sql else {}).fetchall()

            mine, hand = paired_medians(fn, bare, repeat=repeat, warmup=1, pause_gc=False)
            table.row(names[key], mine, hand, "< 1 s")
        db.close()
        conn.close()
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", help="an existing bench database file (default: the cached one)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    table = run(args.dataset, repeat=args.repeat)
    table.print()
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
