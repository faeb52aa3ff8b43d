"""Supervisor reports over the large dataset: every report of the catalog (fulfillment,
processing-times, late, backorders, returns), the headline tiles and the daily trend, each next
to a hand-written SQL query for the same figures measured in the same run on the same file.

    .venv/bin/python -m bench.bench_reports [--orders 200000] [--repeat 5]

The dataset (``bench.generate``: 100,000 products, 1,000,000 moves, ``--orders`` orders received
over 30 days, all new) is copied once and given a history by a few UPDATEs (cached under
bench/data/): 2% cancelled, 5% back-ordered, 3% allocated and waiting, the rest shipped complete
with every stage time set (minutes after the previous stage, varying by order), one order in
ten with a ship-by date two days after it came. The warehouse is UTC with the 14:00 cut-off;
"now" is the day after the last order. Each report runs over the whole 30 days.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from app.kernel import clock
from app.reports import catalog, trends
from app.reports.table import Period
from app.reports.table import Table as ReportTable
from app.store import db
from bench import bench_reports_sql as bare
from bench.generate import DATA_DIR, ensure_dataset
from bench.harness import Table, bare_sqlite, paired_medians

NOW = dt.datetime(2026, 11, 2, 12, 0)
FIRST, LAST = dt.date(2026, 10, 2), dt.date(2026, 11, 1)

# h: a fixed per-order number 0..99 that decides its fate; the others vary its stage times.
_H = "((id * 7919) % 100)"
HISTORY = [
    f'UPDATE "order" SET status = \'cancelled\', cancelled_at = datetime(received_at, \'+1 hours\') WHERE {_H} < 2',
    f'UPDATE "order" SET status = \'backordered\' WHERE {_H} >= 2 AND {_H} < 7',
    f'UPDATE "order" SET status = \'allocated\', allocated_at = datetime(received_at, \'+20 minutes\') '
    f'WHERE {_H} >= 7 AND {_H} < 10',
    'UPDATE "order" SET status = \'shipped\', '
    "allocated_at = datetime(received_at, '+' || ((id * 31) % 120) || ' minutes') WHERE " + f"{_H} >= 10",
    "UPDATE \"order\" SET picked_at = datetime(allocated_at, '+' || ((id * 17) % 480 + 5) || ' minutes') "
    "WHERE status = 'shipped'",
    "UPDATE \"order\" SET packed_at = datetime(picked_at, '+' || ((id * 13) % 45 + 5) || ' minutes') "
    "WHERE status = 'shipped'",
    "UPDATE \"order\" SET shipped_at = datetime(packed_at, '+' || ((id * 11) % 240 + 10) || ' minutes') "
    "WHERE status = 'shipped'",
    "UPDATE \"order\" SET ship_by = date(received_at, '+2 days') WHERE id % 10 = 0",
    "UPDATE order_line SET qty_cancelled = qty_ordered WHERE order_id IN "
    "(SELECT id FROM \"order\" WHERE status = 'cancelled')",
    "UPDATE order_line SET qty_allocated = qty_ordered, allocated_at = (SELECT o.allocated_at FROM \"order\" o "
    "WHERE o.id = order_line.order_id) WHERE order_id IN (SELECT id FROM \"order\" WHERE status = 'allocated')",
    "UPDATE order_line SET qty_picked = 0, qty_packed = 0, qty_shipped = qty_ordered, "
    "allocated_at = o.allocated_at, picked_at = o.picked_at, packed_at = o.packed_at, shipped_at = o.shipped_at "
    "FROM \"order\" o WHERE o.id = order_line.order_id AND o.status = 'shipped'",
]


def history_dataset(orders: int) -> Path:
    """A copy of the generated dataset with the history above (made once, then reused)."""
    source = ensure_dataset(orders=orders).removeprefix("sqlite:///")
    path = DATA_DIR / (Path(source).stem + "-reports.db")
    if path.exists():
        return path
    part = path.with_suffix(".part")
    shutil.copyfile(source, part)
    conn = sqlite3.connect(part, isolation_level=None)
    conn.execute("BEGIN")
    for sql in HISTORY:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    os.replace(part, path)
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(str(part) + suffix)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    path = history_dataset(args.orders)
    db.open_database(f"sqlite:///{path}")
    clock.set_clock(clock.FrozenClock(NOW))
    clock.set_zone("Etc/UTC")
    conn = bare_sqlite(path)
    period, day = Period.of(FIRST, LAST), Period.of(LAST)
    day_lo = day.start.strftime("%Y-%m-%d %H:%M:%S")
    now = NOW.strftime("%Y-%m-%d %H:%M:%S")
    lo, hi = period.start.strftime("%Y-%m-%d %H:%M:%S"), period.end.strftime("%Y-%m-%d %H:%M:%S")
    cases: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        ("fulfillment", lambda: catalog.run("fulfillment", period), lambda: bare.fulfillment(conn, lo, hi, now)),
        ("processing-times", lambda: catalog.run("processing-times", period),
         lambda: bare.processing(conn, lo, hi, now)),
        ("late", lambda: catalog.run("late", period), lambda: bare.late(conn, hi, now)),
        ("backorders", lambda: catalog.run("backorders", period), lambda: bare.backorders(conn, hi, now)),
        ("returns", lambda: catalog.run("returns", period), lambda: bare.returns(conn, lo, hi)),
        ("headline tiles", lambda: trends.headline(period), lambda: bare.headline(conn, lo, hi, now)),
        ("daily trend (31 days)", lambda: trends.daily_trend(period), lambda: bare.trend(conn, lo, hi, now)),
        ("the tab's overview: headline and daily trend together", lambda: trends.overview(period),
         lambda: (bare.headline(conn, lo, hi, now), bare.trend(conn, lo, hi, now))),
        ("back-order aging", lambda: trends.backorder_aging(period), lambda: bare.aging(conn, hi, now)),
        ("fulfillment, last day only", lambda: catalog.run("fulfillment", day),
         lambda: bare.fulfillment(conn, day_lo, hi, now)),
    ]
    counts = conn.execute("SELECT (SELECT COUNT(*) FROM \"order\"), (SELECT COUNT(*) FROM stock_move)").fetchone()
    table = Table(f"Reports over {counts[0]:,} orders and {counts[1]:,} moves, {FIRST} to {LAST} (SQLite)",
                  bare_label="hand-written SQL")
    for name, fn, by_hand in cases:
        sizes = f" ({len(t.rows):,} rows)" if isinstance(t := fn(), ReportTable) else ""
        ours, theirs = paired_medians(fn, by_hand, repeat=args.repeat, warmup=1)
        table.row(name + sizes, ours, theirs, "< 1 s")
    table.print()
    db.close()
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
