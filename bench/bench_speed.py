"""Speed benchmarks: the ledger check (full, and incremental after 1,000 new moves) over the
1,000,000-move dataset, and confirm_pick on a 20-order and a 200-order wave (flat in the
wave's size) - each next to its reference measured in the same run.

    .venv/bin/python -m bench.bench_speed [--dataset FILE] [--repeat 30] [--only pick|ledger]

``--dataset``: a cached bench dataset to copy (an older schema version is upgraded on open,
as a customer's database would be); default: ``ensure_dataset()``'s file. ``--only``: just
the picking rows or just the ledger check rows.

Beside each wave's confirm_pick rows, the floor: the very statements a pick sends (read
from the app's connection on a pick that is then rolled back) run by a bare stdlib
connection in one transaction and committed, against the same bare insert+commit. What
confirm_pick costs above that row is Python; the row itself is the SQL and its commit. And
the same statements on a copy of the database whose moves table has none of its indexes
(reports, histories and billing read them): the floor no choice of indexes goes below.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from app import inventory, ledger, picking
from app.kernel.actor import Actor
from app.orders import allocation
from app.store import db
from bench.generate import ensure_dataset
from bench.harness import Table, bare_sqlite, median, paired_medians, paired_medians_prepared

ACTOR = Actor(None, "bench", "supervisor", "bench")


def _new_moves(n: int) -> None:
    """``n`` committed transfers of one unit between bins (what a day on the floor adds)."""
    rows = db.execute(
        "SELECT sl.product_id, l.code FROM stock_level sl JOIN location l ON l.id = sl.location_id "
        "WHERE l.kind = 'bin' AND sl.on_hand - sl.reserved >= 2 ORDER BY sl.id LIMIT ?", (n,)).fetchall()
    bins = [r[0] for r in db.execute("SELECT code FROM location WHERE kind = 'bin' ORDER BY id LIMIT 2")]
    for pid, code in rows:
        inventory.transfer(pid, code, bins[0] if code != bins[0] else bins[1], 1, actor=ACTOR)


def ledger_rows(table: Table, copy: Path, repeat: int) -> None:
    db.open_database(f"sqlite:///{copy}")
    full_s = median(lambda: ledger.check(), repeat=max(3, repeat // 10), warmup=1)
    print(f"full check {full_s:.2f} s", file=sys.stderr)
    report = ledger.check()
    assert report.ok and report.full, report.problems
    samples = []
    for _ in range(max(3, repeat // 10)):
        _new_moves(1000)
        started = time.perf_counter()
        inc = ledger.check(incremental=True)
        samples.append(time.perf_counter() - started)
        assert inc.ok and not inc.full and inc.new_moves == 1000, (inc.problems, inc.new_moves)
    inc_s = sorted(samples)[len(samples) // 2]
    moves = report.moves
    db.close()
    conn = bare_sqlite(copy)
    last = conn.execute("SELECT MAX(id) FROM stock_move").fetchone()[0]
    scan_s = median(lambda: conn.execute("SELECT SUM(qty) FROM stock_move").fetchone(),
                    repeat=max(3, repeat // 10), warmup=1)
    read_new_s = median(lambda: conn.execute("SELECT * FROM stock_move WHERE id > ?", (last - 1000,)).fetchall(),
                        repeat=repeat, warmup=3)
    conn.close()
    table.row(f"full ledger check, {moves:,} moves (check) / bare: one SUM over the moves", full_s, scan_s,
              "< 2.5 s")
    table.row("incremental check after 1,000 new moves (check(incremental=True)) / bare: read those moves",
              inc_s, read_new_s, "< 50 ms")


def _walk(view: picking.PickListView) -> Iterator[tuple[str, str, int]]:
    return iter([(st.bin_code, st.sku, t.tote) for st in view.stops for t in st.totes for _ in range(t.remaining)])


Statement = tuple[str, tuple[object, ...]]


def _statements_of(fn: Callable[[], object]) -> list[Statement]:
    """The statements ``fn`` sends through the app's connection, its transaction rolled back
    instead of committed (nothing it did stays)."""
    obj = db.database.obj
    real = obj.execute_sql
    seen: list[Statement] = []

    def spy(sql: str, params: Sequence[object] | None = None) -> object:
        seen.append((sql, tuple(params or ())))
        return real(sql, params)

    obj.execute_sql = spy
    obj.commit = obj.rollback
    try:
        fn()
    finally:
        del obj.execute_sql
        del obj.commit
    return seen


def _without_move_indexes(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """A copy of ``conn``'s database at ``path`` whose moves table has no secondary index
    (its rows and every other table as they are), opened like the bare one."""
    out = sqlite3.connect(path)
    conn.backup(out)
    names = [r[0] for r in out.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                       "AND tbl_name = 'stock_move' AND sql IS NOT NULL")]
    for name in names:
        out.execute(f'DROP INDEX "{name}"')
    out.commit()
    out.close()
    return bare_sqlite(path)


def _floor_rows(table: Table, copy: Path, next_pick: Callable[[], Callable[[], object]],
                bare: Callable[[], None], bare_conn: sqlite3.Connection, units: int, repeat: int) -> None:
    """The same statements as a pick's, by a bare connection (its own, as the app's is), at
    synchronous=FULL then OFF, each against ``bare`` (on ``bare_conn``); then on a copy of the
    database without the moves table's indexes: what the statements cost when the move's row
    is one page, the lowest an index decision could bring them. ``units``: picks left."""
    conn = bare_sqlite(copy)
    plain = _without_move_indexes(conn, copy.with_name("no-move-index.db"))
    counts: list[int] = []

    def capture() -> list[Statement]:
        stmts = _statements_of(next_pick())
        counts.append(len(stmts))
        return stmts

    def run(on: sqlite3.Connection, stmts: Sequence[Statement]) -> None:  # committed (the walk goes on)
        on.execute("BEGIN IMMEDIATE")
        for sql, params in stmts:
            on.execute(sql, params).fetchall()
        on.execute("COMMIT")

    def timed_on(timed: sqlite3.Connection, other: sqlite3.Connection) -> tuple[float, float]:
        """The pick's statements timed on ``timed`` against ``bare``; ``other`` takes each pick
        too, untimed, so that both files stay alike."""
        def prepare() -> list[Statement]:
            stmts = capture()
            run(other, stmts)
            return stmts

        return paired_medians_prepared(prepare, lambda stmts: run(timed, stmts), bare, repeat=reps)

    reps = max(3, min(repeat, units // 3 - 4))
    full_s, full_bare_s = timed_on(conn, plain)
    plain_s, plain_bare_s = timed_on(plain, conn)
    for c in (conn, bare_conn):
        c.execute("PRAGMA synchronous = OFF")
    off_s, off_bare_s = timed_on(conn, plain)
    for c in (conn, bare_conn):
        c.execute("PRAGMA synchronous = FULL")
    conn.close()
    plain.close()
    each = sorted(counts)[len(counts) // 2]
    table.row(f"  same statements ({each} a pick, median) by bare sqlite3: the SQL+commit floor", full_s,
              full_bare_s, "")
    table.row("  same statements by bare sqlite3, the moves table without its indexes", plain_s,
              plain_bare_s, "")
    table.row("  same statements by bare sqlite3, synchronous=OFF on both", off_s, off_bare_s, "")


def picking_rows(table: Table, copy: Path, repeat: int) -> None:
    db.open_database(f"sqlite:///{copy}")
    ids = [int(r[0]) for r in db.execute('SELECT id FROM "order" WHERE status = ? ORDER BY id LIMIT 600',
                                         ("new",)).fetchall()]
    started = time.perf_counter()
    allocation.allocate_orders(actor=ACTOR, order_ids=ids)
    db.execute("CREATE TABLE IF NOT EXISTS bench_bare (id INTEGER PRIMARY KEY, x INTEGER)")
    waves = {n: picking.create_picklist(actor=ACTOR, max_orders=n) for n in (20, 200)}
    print(f"allocated {len(ids)} orders and made the waves in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    conn = bare_sqlite(copy)

    def bare() -> None:  # the durable floor: one INSERT and its commit
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO bench_bare (x) VALUES (1)")
        conn.execute("COMMIT")

    for n, ref in waves.items():
        view = picking.picklist_view(ref.id)
        walk = _walk(view)
        units = sum(st.remaining for st in view.stops)
        reps = min(repeat, (units - 20) // 2)

        def confirm(ref: picking.PickListRef = ref, walk: Iterator[tuple[str, str, int]] = walk) -> None:
            bin_code, sku, tote = next(walk)
            picking.confirm_pick(ref.id, bin_code=bin_code, scan_code=sku, qty=1, tote=tote, actor=ACTOR)

        confirm_s, bare_s = paired_medians(confirm, bare, repeat=reps, warmup=5)
        print(f"{n}-order wave: confirm_pick {confirm_s * 1000:.2f} ms, bare {bare_s * 1000:.2f} ms",
              file=sys.stderr)
        next_s = median(lambda ref=ref: picking.next_stop(ref.id), repeat=repeat, warmup=3)
        # The same without the disk's flush on either side (synchronous=OFF): the work of the
        # pick itself, which must not grow with the wave (the flush's cost drifts 10x).
        left = sum(st.remaining for st in picking.picklist_view(ref.id).stops)
        db.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        cpu_s, cpu_bare_s = paired_medians(confirm, bare, repeat=max(3, min(repeat, left - 8)), warmup=3)
        db.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA synchronous = FULL")
        table.row(f"confirm_pick, {n}-order wave ({ref.lines} lines, {len(view.stops)} stops) / bare insert+commit",
                  confirm_s, bare_s, "< 2.5x")
        table.row("  same, synchronous=OFF on both (no flush)", cpu_s, cpu_bare_s, "")

        def next_pick(ref: picking.PickListRef = ref,
                      walk: Iterator[tuple[str, str, int]] = walk) -> Callable[[], object]:
            bin_code, sku, tote = next(walk)
            return lambda: picking.confirm_pick(ref.id, bin_code=bin_code, scan_code=sku, qty=1, tote=tote,
                                                actor=ACTOR)

        left = sum(st.remaining for st in picking.picklist_view(ref.id).stops)
        _floor_rows(table, copy, next_pick, bare, conn, left, repeat)
        table.row("  next_stop on that wave", next_s, None, "")
    conn.close()
    db.close()


def run(dataset: str | None = None, *, repeat: int = 30, only: str | None = None) -> Table:
    source = Path(dataset) if dataset else Path(ensure_dataset().removeprefix("sqlite:///"))
    table = Table(f"Speed (dataset {source.name}; SQLite, medians)")
    with tempfile.TemporaryDirectory(prefix="prepdesk-bench-speed-") as tmp:
        copy = Path(tmp) / "speed.db"
        shutil.copyfile(source, copy)
        started = time.perf_counter()
        db.open_database(f"sqlite:///{copy}")  # upgrades an older dataset once (not timed below)
        db.close()
        print(f"opened (and upgraded) the copy in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        if only in (None, "pick"):
            picking_rows(table, copy, repeat)
        if only in (None, "ledger"):
            ledger_rows(table, copy, repeat)
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="speed benchmarks: ledger check, confirm_pick flatness")
    ap.add_argument("--dataset", default=None)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--only", choices=("pick", "ledger"), default=None,
                    help="just the confirm_pick rows, or just the ledger check rows")
    args = ap.parse_args(argv)
    table = run(args.dataset, repeat=args.repeat, only=args.only)
    table.print()
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
