"""A seeded, reproducible warehouse for benchmarks: clients, a bin grid, products with GTINs,
a stock ledger consistent with its balances, and open orders — written by bulk inserts.

``generate(url, ...)`` fills an empty database (SQLite or PostgreSQL); ``ensure_dataset(...)``
builds a SQLite file once under ``bench/data/`` (keyed by its parameters) and reuses it.
The same seed always gives the same rows (timestamps are fixed, not taken from the clock).

    .venv/bin/python -m bench.generate --products 100000   # build the cached default dataset
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import os
import random
import shutil
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.kernel.barcodes import gs1_check_digit, normalize_code
from app.store import db

# Bump when the generator's output changes, so cached files are rebuilt.
GENERATOR_VERSION = 1
DATA_DIR = Path(__file__).resolve().parent / "data"
END = dt.datetime(2026, 11, 1, 18, 0, 0)  # the ledger's last day; fixed for reproducibility
LEDGER_DAYS = 365
BATCH = 20_000

_ADJECTIVES = ("Classic", "Ultra", "Compact", "Pro", "Eco", "Deluxe", "Mini", "Rugged", "Soft",
               "Smart", "Travel", "Outdoor", "Kids", "Organic", "Premium", "Basic")
_NOUNS = ("Water Bottle", "Headlamp", "Yoga Mat", "Backpack", "Phone Case", "Notebook", "Mug",
          "T-Shirt", "Socks", "Candle", "Charger", "Cable", "Tea Tin", "Soap Bar", "Dog Leash",
          "Puzzle", "Scarf", "Lunch Box", "Sunglasses", "Wallet")
_VARIANTS = ("Red", "Blue", "Black", "White", "Green", "S", "M", "L", "XL", "500ml", "1L", "Pack of 3")
_CATEGORIES = ("apparel", "home", "outdoor", "electronics", "food", "beauty", "pets", "toys")
_CITIES = (("Boston", "MA", "02134"), ("Denver", "CO", "80202"), ("Austin", "TX", "73301"),
           ("Seattle", "WA", "98101"), ("Miami", "FL", "33101"), ("Chicago", "IL", "60601"))
_FIRST = ("Ana", "Ben", "Chloe", "Dev", "Emma", "Finn", "Gia", "Hugo", "Ivy", "Jon", "Kai", "Lea")
_LAST = ("Smith", "Garcia", "Chen", "Patel", "Müller", "Rossi", "Kim", "Novak", "Silva", "Brown")


@dataclass(frozen=True)
class Summary:
    clients: int
    bins: int
    products: int
    barcodes: int
    moves: int
    balances: int
    orders: int
    order_lines: int
    seconds: float

    def text(self) -> str:
        return (f"{self.clients} clients, {self.bins} bins, {self.products} products, "
                f"{self.barcodes} barcodes, {self.moves} moves, {self.balances} balances, "
                f"{self.orders} orders ({self.order_lines} lines) in {self.seconds:.1f} s")


def product_gtin(product_no: int) -> str:
    """The barcode printed on product number ``product_no`` (1-based), as scanned.

    Even numbers carry a UPC-A (12 digits), odd ones an EAN-13, so benchmarks exercise both;
    the database stores them normalised (GTIN-14). Deterministic: benchmarks can compute it.
    """
    body = f"7{product_no:010d}" if product_no % 2 == 0 else f"20{product_no:010d}"
    return body + str(gs1_check_digit(body))


def product_sku(product_no: int) -> str:
    return f"SKU-{product_no:06d}"


def bin_codes(count: int) -> list[str]:
    """Bin codes of a grid, in walk order: zone letter, aisle, level (``A-01-01``)."""
    levels = 10
    aisles = 25
    codes = []
    for n in range(count):
        zone, rest = divmod(n, aisles * levels)
        aisle, level = divmod(rest, levels)
        letter = chr(ord("A") + zone % 26) + ("" if zone < 26 else str(zone // 26))
        codes.append(f"{letter}-{aisle + 1:02d}-{level + 1:02d}")
    return codes


def _ts(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


class _Writer:
    """Bulk inserts through the app's own connection, inside its current transaction."""

    def __init__(self) -> None:
        self.sqlite = db.is_sqlite()
        self.conn = db.database.obj.connection()

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        cols = ", ".join(f'"{c}"' for c in columns)
        count = 0
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                self._flush(table, cols, len(columns), batch)
                count += len(batch)
                batch = []
        if batch:
            self._flush(table, cols, len(columns), batch)
            count += len(batch)
        return count

    def _flush(self, table: str, cols: str, width: int, batch: list[tuple]) -> None:
        cur = self.conn.cursor()
        if self.sqlite:
            marks = ", ".join("?" * width)
            cur.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', batch)
        else:
            from psycopg2.extras import execute_values

            execute_values(cur, f'INSERT INTO "{table}" ({cols}) VALUES %s', batch, page_size=5000)
        cur.close()

    def reset_sequence(self, table: str) -> None:
        if not self.sqlite:
            db.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)"
            )


def _columns(model, given: Sequence[str]) -> tuple[list[str], tuple]:
    """``given`` columns followed by every other non-null column with its default value."""
    from peewee import AutoField

    extra_cols, extra_vals = [], []
    for f in model._meta.sorted_fields:
        if f.column_name in given or isinstance(f, AutoField) or f.null:
            continue
        default = f.default
        if callable(default):
            default = default()
        if isinstance(default, dt.datetime):
            default = _ts(END)
        if default is None:
            raise RuntimeError(f"{model.__name__}.{f.name} needs a value in the generator")
        extra_cols.append(f.column_name)
        extra_vals.append(default)
    return list(given) + extra_cols, tuple(extra_vals)


def generate(url: str, *, clients: int = 3, products: int = 100_000, moves: int = 1_000_000,
             orders: int = 100_000, seed: int = 1, bins: int | None = None,
             progress: bool = False) -> Summary:
    """Fill the empty database at ``url`` with a reproducible warehouse.

    The ledger is built from receive moves (SUPPLIER -> bin), transfers between bins,
    shipments (bin -> CUSTOMER) and count adjustments; StockLevel rows are the sums of those
    moves, so ``ledger.check()`` passes. Orders are open (``new``), nothing allocated.
    Leaves the app's database proxy bound to ``url`` (call ``db.close()`` when done).
    """
    from app import ledger
    from app.store.models import (
        Client,
        Location,
        Order,
        OrderLine,
        Product,
        ProductBarcode,
        StatusChange,
        StockLevel,
        StockMove,
    )

    started = time.perf_counter()

    def say(text: str) -> None:
        if progress:
            print(f"  [{time.perf_counter() - started:6.1f} s] {text}", file=sys.stderr, flush=True)

    rng = random.Random(seed)
    db.connect(url, create=True)
    if db.execute("SELECT COUNT(*) FROM product").fetchone()[0]:
        raise RuntimeError(f"{db.describe(url)} already holds products; generate into an empty database")
    nbins = bins if bins is not None else max(200, min(5000, products // 40))
    start = END - dt.timedelta(days=LEDGER_DAYS)
    w = _Writer()
    created = _ts(start)

    with db.write():
        # Clients and bins: few rows; read their ids back.
        cols, extra = _columns(Client, ("code", "name", "created_at"))
        w.insert("client", cols, [(f"BENCH{c + 1}", f"Bench Client {c + 1}", created) + extra
                                  for c in range(clients)])
        client_ids = [r[0] for r in db.execute(
            "SELECT id FROM client WHERE code LIKE ? ORDER BY id", ("BENCH%",)).fetchall()]
        codes = bin_codes(nbins)
        cols, extra = _columns(Location, ("code", "zone", "kind", "pick_seq", "created_at"))
        w.insert("location", cols, [(code, code.split("-")[0], "bin", (i + 1) * 10, created) + extra
                                    for i, code in enumerate(codes)])
        by_code = dict(db.execute("SELECT code, id FROM location").fetchall())
        bin_ids = [by_code[c] for c in codes]
        supplier, customer, adjustment = by_code["SUPPLIER"], by_code["CUSTOMER"], by_code["ADJUSTMENT"]
        say(f"{clients} clients, {nbins} bins")

        # Products, each with one GTIN (UPC-A or EAN-13, stored as GTIN-14); ids 1..N.
        product_client = [client_ids[i % clients] for i in range(products)]
        cols, extra = _columns(Product, ("id", "client_id", "sku", "name", "category", "weight_kg",
                                         "reorder_point", "created_at"))

        def product_rows():
            for i in range(products):
                no = i + 1
                name = f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {rng.choice(_VARIANTS)}"
                yield (no, product_client[i], product_sku(no), name, rng.choice(_CATEGORIES),
                       round(rng.uniform(0.05, 5.0), 2), rng.choice((0, 0, 5, 10, 20)), created) + extra

        w.insert("product", cols, product_rows())
        w.reset_sequence("product")
        cols, extra = _columns(ProductBarcode, ("product_id", "client_id", "code", "kind", "pack_qty",
                                                "created_at"))
        nbarcodes = w.insert("product_barcode", cols, (
            (i + 1, product_client[i], normalize_code(product_gtin(i + 1)),
             "upc" if (i + 1) % 2 == 0 else "ean", 1, created) + extra
            for i in range(products)))
        say(f"{products} products, {nbarcodes} barcodes")

        # The ledger, simulated in Python so the balances are exactly the sums of the moves.
        home = [bin_ids[i % nbins] for i in range(products)]
        held: list[dict[int, int] | None] = [None] * products
        cols, extra = _columns(StockMove, ("product_id", "from_location_id", "to_location_id", "qty",
                                           "kind", "reason", "doc_type", "doc_ref", "client_id",
                                           "user_name", "station", "created_at"))
        step = dt.timedelta(days=LEDGER_DAYS) / max(moves, 1)

        def move_rows():
            for k in range(moves):
                when = _ts(start + step * k)
                i = k if k < products else rng.randrange(products)
                bins_of = held[i]
                roll = rng.random() if k >= products else 0.0
                if bins_of is None or not bins_of or roll < 0.40:
                    kind, src = "receive", supplier
                    dst = home[i] if rng.random() < 0.8 else rng.choice(bin_ids)
                    qty = rng.randint(5, 60)
                else:
                    src = rng.choice(list(bins_of))
                    have = bins_of[src]
                    qty = rng.randint(1, min(have, 6))
                    if roll < 0.60:
                        kind = "transfer"
                        dst = home[i] if src != home[i] else rng.choice(bin_ids)
                        if dst == src:
                            kind, dst = "ship", customer
                    elif roll < 0.95:
                        kind, dst = "ship", customer
                    else:
                        kind, dst = "adjust", adjustment
                if src != supplier:
                    left = held[i][src] - qty
                    if left:
                        held[i][src] = left
                    else:
                        del held[i][src]
                if dst not in (customer, adjustment):
                    if held[i] is None:
                        held[i] = {}
                    held[i][dst] = held[i].get(dst, 0) + qty
                reason = "count" if kind == "adjust" else ""
                doc_type = {"receive": "receipt", "ship": "package", "adjust": "adjustment"}.get(kind, "")
                yield (i + 1, src, dst, qty, kind, reason, doc_type, f"BENCH-{k // 50:06d}" if doc_type else "",
                       product_client[i], "bench", "bench", when) + extra

        nmoves = w.insert("stock_move", cols, move_rows())
        w.reset_sequence("stock_move")
        say(f"{nmoves} moves")
        cols, extra = _columns(StockLevel, ("product_id", "location_id", "on_hand", "reserved"))
        nbalances = w.insert("stock_level", cols, (
            (i + 1, loc, qty, 0) + extra
            for i in range(products) if held[i] for loc, qty in sorted(held[i].items())))
        w.reset_sequence("stock_level")
        say(f"{nbalances} balances")

        # Open orders: 1-4 lines of the client's products, nothing allocated yet.
        per_client: dict[int, list[int]] = {}
        for i, cid in enumerate(product_client):
            per_client.setdefault(cid, []).append(i + 1)
        cols, extra = _columns(Order, (
            "id", "client_id", "number", "channel", "customer_name", "email", "ship_name", "address1",
            "city", "province", "zip", "country", "priority", "status", "ordered_at", "received_at"))
        line_cols, line_extra = _columns(OrderLine, ("order_id", "line_no", "product_id", "qty_ordered", "name"))
        sc_cols, sc_extra = _columns(StatusChange, ("doc_type", "doc_id", "client_id", "from_status",
                                                    "to_status", "user_name", "station", "created_at"))
        order_rows, line_rows, status_rows = [], [], []
        order_start = END - dt.timedelta(days=30)
        order_step = dt.timedelta(days=30) / max(orders, 1)
        for n in range(orders):
            oid = n + 1
            cid = client_ids[rng.randrange(clients)] if per_client else client_ids[0]
            received = order_start + order_step * n
            city, province, zipcode = rng.choice(_CITIES)
            person = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            order_rows.append((oid, cid, f"#{100000 + oid}", "bench", person,
                               f"customer{oid}@example.com", person, f"{rng.randint(1, 999)} Main St",
                               city, province, zipcode, "US", rng.choice((0, 0, 0, 1)), "new",
                               _ts(received - dt.timedelta(minutes=rng.randint(1, 600))),
                               _ts(received)) + extra)
            status_rows.append(("order", oid, cid, "", "new", "bench", "bench", _ts(received)) + sc_extra)
            choices = per_client.get(cid, [])
            for line_no, pid in enumerate(rng.sample(choices, min(len(choices), rng.randint(1, 4))), 1):
                line_rows.append((oid, line_no, pid, rng.randint(1, 3), "") + line_extra)
        norders = w.insert("order", cols, order_rows)
        w.reset_sequence("order")
        nlines = w.insert("order_line", line_cols, line_rows)
        w.reset_sequence("order_line")
        w.insert("status_change", sc_cols, status_rows)
        say(f"{norders} orders, {nlines} lines")

    db.execute("ANALYZE")
    ledger.clear_caches()
    say("analyzed")
    return Summary(clients, nbins, products, nbarcodes, nmoves, nbalances, norders, nlines,
                   time.perf_counter() - started)


def dataset_path(*, clients: int = 3, products: int = 100_000, moves: int = 1_000_000,
                 orders: int = 100_000, seed: int = 1) -> Path:
    from app.store.migrations import LATEST

    return DATA_DIR / (f"bench-c{clients}-p{products}-m{moves}-o{orders}-s{seed}"
                       f"-g{GENERATOR_VERSION}-v{LATEST}.db")


def ensure_dataset(products: int = 100_000, *, clients: int = 3, moves: int = 1_000_000,
                   orders: int = 100_000, seed: int = 1, copy_to: str | Path | None = None,
                   progress: bool = True) -> str:
    """The URL of a cached dataset with these parameters, generated on first use.

    Benchmarks that only read may use the cached file directly; one that writes passes
    ``copy_to`` and gets a fresh copy there. Leaves the app's database proxy closed.
    """
    path = dataset_path(clients=clients, products=products, moves=moves, orders=orders, seed=seed)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        with open(DATA_DIR / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another benchmark may be building the same file
            if not path.exists():
                part = path.with_suffix(".db.part")
                for suffix in ("", "-wal", "-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        os.remove(str(part) + suffix)
                if progress:
                    print(f"generating {path.name} (once; cached under bench/data/)", file=sys.stderr)
                summary = generate(f"sqlite:///{part}", clients=clients, products=products, moves=moves,
                                   orders=orders, seed=seed, progress=progress)
                db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                db.close()
                os.replace(part, path)
                for suffix in ("-wal", "-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        os.remove(str(part) + suffix)
                if progress:
                    print(f"generated: {summary.text()}", file=sys.stderr)
    if copy_to is None:
        return f"sqlite:///{path}"
    target = Path(copy_to)
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(str(target) + suffix)
    shutil.copyfile(path, target)
    return f"sqlite:///{target}"


def ensure_pg_dataset(server_url: str, products: int = 100_000, *, clients: int = 3,
                      moves: int = 1_000_000, orders: int = 100_000, seed: int = 1,
                      progress: bool = True) -> str:
    """The URL of a PostgreSQL database on ``server_url``'s server holding the dataset,
    created and generated on first use (kept for later runs; drop it by name when done).

    Benchmarks must only read it: there is no cheap copy of a PostgreSQL database.
    """
    import psycopg2

    from app.store.migrations import LATEST

    name = (f"prepdesk_bench_c{clients}_p{products}_m{moves}_o{orders}_s{seed}"
            f"_g{GENERATOR_VERSION}_v{LATEST}")
    base = server_url.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    admin = psycopg2.connect(server_url, connect_timeout=5)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(815002)")  # one generator at a time
            try:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if cur.fetchone() is None:
                    building = name + "_part"
                    cur.execute(f'DROP DATABASE IF EXISTS "{building}"')
                    cur.execute(f'CREATE DATABASE "{building}"')
                    if progress:
                        print(f"generating PostgreSQL database {name} (once; kept on the server)",
                              file=sys.stderr)
                    generate(f"{base}/{building}", clients=clients, products=products, moves=moves,
                             orders=orders, seed=seed, progress=progress)
                    db.close()
                    cur.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
            finally:
                cur.execute("SELECT pg_advisory_unlock(815002)")
    finally:
        admin.close()
    return url


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="generate into this (empty) database instead of the cache")
    ap.add_argument("--clients", type=int, default=3)
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--moves", type=int, default=1_000_000)
    ap.add_argument("--orders", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if args.url:
        summary = generate(args.url, clients=args.clients, products=args.products, moves=args.moves,
                           orders=args.orders, seed=args.seed, progress=True)
        db.close()
        print(summary.text())
    else:
        print(ensure_dataset(args.products, clients=args.clients, moves=args.moves, orders=args.orders,
                             seed=args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
