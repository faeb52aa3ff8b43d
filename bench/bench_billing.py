"""Billing benchmark on the bench dataset (1,000,000 moves): one client's storage unit-days and
bin-days over 90 warehouse days, next to a hand-written query over the bare sqlite3 module
doing the same work, and checked against the ledger summed day by day.

    .venv/bin/python -m bench.bench_billing [--repeat N] [--days 90] [--zone America/New_York]
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import sys
import time

from app import billing
from app.kernel import clock
from app.store import db
from bench.generate import END, ensure_dataset
from bench.harness import Table, bare_sqlite, median, paired_medians

CLIENT_ID = 1


def bare_storage(conn, client_id: int, bounds: list[str]) -> tuple[list[int], list[int]]:
    """The same figures by hand: balances now less the moves since the period began, in one
    statement, then each location walked day by day."""
    kinds = dict(conn.execute("SELECT id, kind FROM location WHERE kind <> 'virtual'").fetchall())
    rows = conn.execute(
        "SELECT NULL, 0, s.location_id, SUM(s.on_hand) FROM stock_level s JOIN product p ON p.id = s.product_id "
        "WHERE p.client_id = ? AND s.on_hand <> 0 GROUP BY s.location_id UNION ALL "
        "SELECT created_at, from_location_id, to_location_id, qty FROM stock_move WHERE created_at >= ? "
        "AND client_id = ?", (client_id, bounds[0], client_id)).fetchall()
    n = len(bounds) - 1
    now: dict[int, int] = {}
    change: dict[int, dict[int, int]] = {}
    for when, src, dst, qty in rows:
        if when is None:
            now[dst] = qty
            continue
        day = min(bisect.bisect_right(bounds, when) - 1, n)
        if src in kinds:
            steps = change.setdefault(src, {})
            steps[day] = steps.get(day, 0) - qty
        if dst in kinds:
            steps = change.setdefault(dst, {})
            steps[day] = steps.get(day, 0) + qty
    units, bins = [0] * (n + 1), [0] * (n + 1)  # differences from one day to the next
    for loc in kinds.keys() & (now.keys() | change.keys()):
        steps = change.get(loc, {})
        balance, since = now.get(loc, 0) - sum(steps.values()), 0
        for k in sorted(steps) + [n]:
            if k > since:
                units[since] += balance
                units[k] -= balance
                if kinds[loc] == "bin" and balance > 0:
                    bins[since] += 1
                    bins[k] -= 1
            if k == n:
                break
            balance += steps[k]
            since = k
    return list(itertools.accumulate(units[:n])), list(itertools.accumulate(bins[:n]))


def ledger_units_at(conn, client_id: int, end: str) -> int:
    """Units of the client in real locations at ``end``: every move before it, summed."""
    return conn.execute(
        "SELECT COALESCE(SUM(CASE WHEN t.kind <> 'virtual' THEN m.qty ELSE 0 END) - "
        "SUM(CASE WHEN f.kind <> 'virtual' THEN m.qty ELSE 0 END), 0) FROM stock_move m "
        "JOIN location f ON f.id = m.from_location_id JOIN location t ON t.id = m.to_location_id "
        "WHERE m.client_id = ? AND m.created_at < ?", (client_id, end)).fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="billing benchmark")
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--zone", default="America/New_York")
    args = ap.parse_args(argv)
    url = ensure_dataset()
    db.open_database(url)
    clock.set_zone(args.zone)
    last = END.date() - dt.timedelta(days=1)
    first = last - dt.timedelta(days=args.days - 1)
    days = billing.Days.of(first, last)
    bounds = [b.isoformat(" ") for b in days.bounds]
    bare = bare_sqlite(url)
    moves = db.execute("SELECT COUNT(*) FROM stock_move").fetchone()[0]

    got = billing.storage_days(CLIENT_ID, days)
    units, bins = bare_storage(bare, CLIENT_ID, bounds)
    assert list(got.units) == units and list(got.bins) == bins, "the app and the bare query disagree"
    started = time.perf_counter()
    for k in (0, len(days) // 2, len(days) - 1):  # the ledger summed from its first move
        assert got.units[k] == ledger_units_at(bare, CLIENT_ID, bounds[k + 1]), f"day {k} differs"
    checked = time.perf_counter() - started

    app_s, bare_s = paired_medians(lambda: billing.storage_days(CLIENT_ID, days),
                                   lambda: bare_storage(bare, CLIENT_ID, bounds), repeat=args.repeat, warmup=2)
    table = Table(f"Billing ({moves:,} moves, SQLite, {args.zone}, median of {args.repeat})")
    table.row(f"storage unit-days and bin-days, one client, {args.days} days (storage_days)",
              app_s, bare_s, "< 1 s")
    client = db.execute("SELECT code FROM client WHERE id = ?", (CLIENT_ID,)).fetchone()[0]
    table.row(f"the whole statement, {args.days} days (activity, storage, prices)",
              median(lambda: billing.statement(client, days.first, days.last), repeat=max(3, args.repeat // 3),
                     warmup=1), None, "< 2 s")
    table.print()
    print(f"{days.first} to {days.last}: {got.unit_days:,} unit-days, {got.bin_days:,} bin-days; "
          f"3 days checked against the whole ledger summed ({checked:.1f} s)")
    db.close()
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
