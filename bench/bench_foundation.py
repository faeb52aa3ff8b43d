"""Foundation benchmarks at 100,000 products: scan lookup, a committed scan move, the stock
table's first page — each next to the same operation done with bare stdlib sqlite3.

    .venv/bin/python -m bench.bench_foundation [--products N] [--pg URL]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from app import ledger
from app.catalog import scan
from app.kernel.actor import Actor
from app.kernel.barcodes import normalize_code
from app.store import db
from bench.generate import ensure_dataset, product_gtin
from bench.harness import Table, bare_sqlite, median

ACTOR = Actor(None, "bench", "receiver", "bench")

_STOCK_PAGE_BARE = """
WITH page AS (
  SELECT p.id, c.code AS client, p.sku, p.name FROM product p JOIN client c ON c.id = p.client_id
  WHERE p.active = 1 ORDER BY p.sku, p.id LIMIT 200
)
SELECT page.id, page.client, page.sku, page.name,
  COALESCE(SUM(CASE WHEN l.kind = 'bin' THEN sl.on_hand END), 0),
  COALESCE(SUM(CASE WHEN l.kind = 'bin' THEN sl.reserved END), 0),
  COALESCE(SUM(CASE WHEN l.code = 'RECEIVING' THEN sl.on_hand END), 0)
FROM page LEFT JOIN stock_level sl ON sl.product_id = page.id
LEFT JOIN location l ON l.id = sl.location_id
GROUP BY page.id, page.client, page.sku, page.name ORDER BY page.sku, page.id
"""


def run(products: int = 100_000, *, repeat_fast: int = 2000, repeat_write: int = 200) -> Table:
    url = ensure_dataset(products)
    path = url[len("sqlite:///"):]
    rng = random.Random(7)
    numbers = [rng.randint(1, products) for _ in range(5000)]
    scanned = [product_gtin(n) for n in numbers]      # as a scanner types them (UPC-A or EAN-13)
    stored = [normalize_code(c) for c in scanned]     # what the bare query is given
    table = Table(f"Foundation ({products:,} products, SQLite, median of {repeat_fast} / {repeat_write})")

    # --- opening the database (every start of the program and every CLI command) --------
    def app_open() -> None:
        db.open_database(url, create=True)
        db.close()

    def bare_open() -> None:
        conn = bare_sqlite(path)
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        conn.close()

    table.row("open the database (db.open_database, schema current)", median(app_open, repeat=30, warmup=2),
              median(bare_open, repeat=30, warmup=2), "< 100 ms")

    # --- scan lookup by barcode -------------------------------------------------------
    db.open_database(url, create=True)
    bare = bare_sqlite(path)
    codes = itertools.cycle(scanned)
    app_s = median(lambda: scan.resolve(next(codes)), repeat=repeat_fast, warmup=200)
    norm = itertools.cycle(stored)
    bare_sql = ("SELECT b.product_id, b.pack_qty, b.client_id, p.sku FROM product_barcode b "
                "JOIN product p ON p.id = b.product_id WHERE b.code = ? LIMIT 2")
    bare_s = median(lambda: bare.execute(bare_sql, (next(norm),)).fetchall(),
                    repeat=repeat_fast, warmup=200)
    table.row("scan lookup by barcode (scan.resolve)", app_s, bare_s, "< 3x")

    skus = itertools.cycle([f"SKU-{n:06d}" for n in numbers])
    app_s = median(lambda: scan.resolve(next(skus)), repeat=repeat_fast, warmup=200)
    skus2 = itertools.cycle([f"SKU-{n:06d}" for n in numbers])
    bare_s = median(lambda: bare.execute("SELECT id, client_id, sku FROM product WHERE sku = ? LIMIT 2",
                                         (next(skus2),)).fetchall(), repeat=repeat_fast, warmup=200)
    table.row("scan lookup by SKU (scan.resolve)", app_s, bare_s, "< 3x")

    # --- ORM vs raw, for context --------------------------------------------------------
    from app.store.models import ProductBarcode

    norm = itertools.cycle(stored)
    orm_s = median(lambda: ProductBarcode.get_or_none(ProductBarcode.code == next(norm)),
                   repeat=repeat_fast // 4, warmup=50)
    norm = itertools.cycle(stored)
    raw_s = median(lambda: db.execute("SELECT id, product_id, client_id, code, kind, pack_qty, created_at "
                                      "FROM product_barcode WHERE code = ?", (next(norm),)).fetchone(),
                   repeat=repeat_fast, warmup=200)
    norm = itertools.cycle(stored)
    bare_s = median(lambda: bare.execute("SELECT id, product_id, client_id, code, kind, pack_qty, created_at "
                                         "FROM product_barcode WHERE code = ?", (next(norm),)).fetchone(),
                    repeat=repeat_fast, warmup=200)
    table.row("peewee get_or_none(ProductBarcode.code == x)", orm_s, bare_s, "")
    table.row("same SELECT via db.execute (peewee connection)", raw_s, bare_s, "")

    # --- stock table first page ---------------------------------------------------------
    app_s = median(lambda: ledger.stock_rows(limit=200, sort="sku"), repeat=30, warmup=3)
    bare_s = median(lambda: bare.execute(_STOCK_PAGE_BARE).fetchall(), repeat=30, warmup=3)
    table.row("stock table first page (stock_rows, 200 by SKU)", app_s, bare_s, "< 3x")
    app_s = median(lambda: ledger.stock_count(), repeat=30, warmup=3)
    bare_s = median(lambda: bare.execute("SELECT COUNT(*) FROM product p JOIN client c "
                                         "ON c.id = p.client_id WHERE p.active = ?", (1,)).fetchone(),
                    repeat=30, warmup=3)
    table.row("stock table row count (stock_count)", app_s, bare_s, "< 3x")
    app_s = median(lambda: ledger.stock_rows(limit=200, sort="on_hand", descending=True), repeat=10, warmup=1)
    table.row("stock table first page sorted by on hand", app_s, None, "< 500 ms")
    app_s = median(lambda: ledger.stock_rows(limit=200, search="Headlamp"), repeat=10, warmup=1)
    table.row("stock table first page, search 'Headlamp'", app_s, None, "< 500 ms")
    bare.close()
    db.close()

    # --- one scan committed as a move (writes: on a copy) ---------------------------------
    with tempfile.TemporaryDirectory(prefix="prepdesk-bench-") as tmp:
        copy = Path(tmp) / "write.db"
        url = ensure_dataset(products, copy_to=copy)
        db.open_database(url, create=True)
        app_s, supplier, receiving = _app_move_median(itertools.cycle(numbers), repeat=repeat_write)
        db.close()
        bare = bare_sqlite(copy)
        pids = itertools.cycle(numbers)

        def bare_move() -> None:
            bare.execute("BEGIN IMMEDIATE")
            bare.execute(
                "INSERT INTO stock_move (product_id, from_location_id, to_location_id, qty, kind, reason, "
                "doc_type, doc_ref, user_name, station, created_at) "
                "VALUES (?, ?, ?, 1, 'receive', 'bench', 'receipt', 'BENCH', 'bench', 'bench', "
                "'2026-11-01 12:00:00')", (next(pids), supplier, receiving))
            bare.execute("COMMIT")

        bare_s = median(bare_move, repeat=repeat_write, warmup=5)
        bare.close()
        table.row("scan committed as a move (apply_move + commit)", app_s, bare_s, "< 3x")

        # --- product CSV import into an empty database ----------------------------------
        app_s, bare_s = _import_products(Path(tmp), products)
        table.row(f"import {products:,} products CSV (3 codes each)", app_s, bare_s, "< 5x")
    return table


def _app_move_median(pids: Iterator[int], *, repeat: int) -> tuple[float, int, int]:
    """Median of one unit SUPPLIER -> RECEIVING committed by ``ledger.apply_move`` on the
    connected database, products taken from ``pids``; also the two locations' ids."""
    supplier = ledger.location("SUPPLIER").id
    receiving = ledger.location("RECEIVING").id

    def app_move() -> None:
        with db.write():
            ledger.apply_move(next(pids), supplier, receiving, 1, kind="receive", actor=ACTOR,
                                 reason="bench", doc_type="receipt", doc_ref="BENCH")

    return median(app_move, repeat=repeat, warmup=5), supplier, receiving


def _import_products(tmp: Path, products: int) -> tuple[float, float]:
    """One timed run each (a bulk operation): catalog.import_products against bare
    executemany of the same rows in one transaction."""
    import csv
    import shutil
    import time

    from app import catalog

    csv_path = tmp / "products.csv"
    with open(csv_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["sku", "name", "barcode", "barcodes", "weight_kg"])
        for n in range(1, products + 1):
            w.writerow([f"IMP-{n:06d}", f"Imported product {n}", product_gtin(n), f"AL-{n}|AX-{n}", "0.25"])
    empty = tmp / "empty.db"
    db.open_database(f"sqlite:///{empty}", create=True)
    catalog.add_client("IMP", "Import Co")
    db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    shutil.copyfile(empty, tmp / "bare.db")

    db.open_database(f"sqlite:///{empty}", create=True)
    start = time.perf_counter()
    catalog.import_products(csv_path, client_code="IMP")
    app_s = time.perf_counter() - start
    db.close()

    bare = bare_sqlite(tmp / "bare.db")
    start = time.perf_counter()
    with open(csv_path, newline="") as f:
        rows = list(csv.DictReader(f))
    client_id = bare.execute("SELECT id FROM client WHERE code = 'IMP'").fetchone()[0]
    now = "2026-11-28 00:00:00"
    bare.execute("BEGIN IMMEDIATE")
    bare.executemany(
        "INSERT INTO product (client_id, sku, name, category, fnsku, weight_kg, length_cm, width_cm, "
        "height_cm, reorder_point, packing_instructions, zone, active, created_at) "
        "VALUES (?, ?, ?, '', '', ?, 0, 0, 0, 0, '', '', 1, ?)",
        [(client_id, r["sku"], r["name"], float(r["weight_kg"]), now) for r in rows])
    ids = dict(bare.execute("SELECT sku, id FROM product WHERE client_id = ?", (client_id,)).fetchall())
    codes = []
    for r in rows:
        pid = ids[r["sku"]]
        codes.append((pid, client_id, normalize_code(r["barcode"]), "ean", now))
        codes += [(pid, client_id, c.upper(), "alias", now) for c in r["barcodes"].split("|")]
    bare.executemany("INSERT INTO product_barcode (product_id, client_id, code, kind, pack_qty, created_at) "
                     "VALUES (?, ?, ?, ?, 1, ?)", codes)
    bare.execute("COMMIT")
    bare_s = time.perf_counter() - start
    bare.close()
    return app_s, bare_s


def run_pg(server_url: str, products: int = 100_000, *, repeat_fast: int = 1000,
           repeat_write: int = 100, **dataset: int) -> Table:
    """The same operations on PostgreSQL (several stations share one), next to bare psycopg2.

    The dataset is generated once into its own database on that server and kept; the
    committed moves are timed in a small scratch database that is dropped afterwards.
    """
    import psycopg2

    from bench.generate import ensure_pg_dataset

    url = ensure_pg_dataset(server_url, products, **dataset)
    rng = random.Random(7)
    numbers = [rng.randint(1, products) for _ in range(5000)]
    scanned = [product_gtin(n) for n in numbers]
    stored = [normalize_code(c) for c in scanned]
    table = Table(f"Foundation on PostgreSQL ({products:,} products, median of {repeat_fast} / {repeat_write})",
                  bare_label="bare psycopg2")
    bare = psycopg2.connect(url)
    bare.autocommit = True
    cur = bare.cursor()
    db.open_database(url, create=True)

    codes = itertools.cycle(scanned)
    app_s = median(lambda: scan.resolve(next(codes)), repeat=repeat_fast, warmup=100)
    norm = itertools.cycle(stored)

    def bare_lookup() -> None:
        cur.execute("SELECT b.product_id, b.pack_qty, b.client_id, p.sku FROM product_barcode b "
                    "JOIN product p ON p.id = b.product_id WHERE b.code = %s LIMIT 2", (next(norm),))
        cur.fetchall()

    table.row("scan lookup by barcode (scan.resolve)", app_s,
              median(bare_lookup, repeat=repeat_fast, warmup=100), "< 3x")

    app_s = median(lambda: ledger.stock_rows(limit=200, sort="sku"), repeat=30, warmup=3)

    def bare_page() -> None:
        cur.execute(_STOCK_PAGE_BARE.replace("p.active = 1", "p.active"))
        cur.fetchall()

    table.row("stock table first page (stock_rows, 200 by SKU)", app_s,
              median(bare_page, repeat=30, warmup=3), "< 3x")
    app_s = median(lambda: ledger.stock_count(), repeat=30, warmup=3)

    def bare_count() -> None:
        cur.execute("SELECT COUNT(*) FROM product p JOIN client c ON c.id = p.client_id WHERE p.active")
        cur.fetchone()

    table.row("stock table row count (stock_count)", app_s, median(bare_count, repeat=30, warmup=3), "< 3x")
    app_s = median(lambda: ledger.stock_rows(limit=200, sort="on_hand", descending=True),
                   repeat=10, warmup=1)
    table.row("stock table first page sorted by on hand", app_s, None, "< 500 ms")

    db.close()
    bare.close()

    # Committed moves: both sides insert into the real ledger table (its indexes and foreign
    # keys), in a scratch database dropped afterwards, so the cached dataset stays as it is.
    from bench.generate import generate

    base = server_url.rsplit("/", 1)[0]
    scratch = f"prepdesk_bench_scratch_{os.getpid()}"
    admin = psycopg2.connect(server_url)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{scratch}"')
    try:
        scratch_url = f"{base}/{scratch}"
        generate(scratch_url, products=2000, moves=20_000, orders=0)
        pids = itertools.cycle([n % 2000 + 1 for n in numbers])
        app_s, supplier, receiving = _app_move_median(pids, repeat=repeat_write)
        db.close()
        bare = psycopg2.connect(scratch_url)
        cur = bare.cursor()

        def bare_move() -> None:
            cur.execute(
                "INSERT INTO stock_move (product_id, from_location_id, to_location_id, qty, kind, reason, "
                "doc_type, doc_ref, user_name, station, created_at) VALUES (%s, %s, %s, 1, 'receive', 'bench', "
                "'receipt', 'BENCH', 'bench', 'bench', '2026-11-01 12:00:00')", (next(pids), supplier, receiving))
            bare.commit()

        bare_s = median(bare_move, repeat=repeat_write, warmup=5)
        bare.close()
    finally:
        db.close()
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.close()
    table.row("scan committed as a move (apply_move + commit)", app_s, bare_s, "< 3x")
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="foundation benchmarks")
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--pg", metavar="URL", default=os.environ.get("PREPDESK_BENCH_PG_URL") or None,
                    help="also measure on the PostgreSQL server at URL (default $PREPDESK_BENCH_PG_URL, "
                    "e.g. postgresql://postgres@127.0.0.1:5432/test); the dataset is kept there")
    args = ap.parse_args(argv)
    table = run(args.products)
    table.print()
    failed = bool(table.failed)
    if args.pg:
        pg_table = run_pg(args.pg, args.products)
        pg_table.print()
        failed = failed or bool(pg_table.failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
