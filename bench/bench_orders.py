"""Orders benchmarks: allocating 10,000 order lines against 100,000 products, and importing a
50,000-row Shopify order export — each next to a bare stdlib-sqlite3 equivalent measured in
the same run on the same file.

    .venv/bin/python -m bench.bench_orders [--lines 10000] [--rows 50000] [--repeat 5] [--only allocate|import]

Allocation works on a copy of the cached dataset in which only the oldest orders totalling
exactly ``--lines`` lines are open (the rest marked shipped); every sample starts from the
same unallocated state (reset untimed) and commits. The bare equivalent runs the same
statements by hand: read free bin balances and waiting lines, match in Python, write the
reservations, allocations, line quantities, order statuses and status history, commit.

The import reads a generated Shopify export (``--rows`` line items, 2-3 per order, order
fields on the first row of each order, quoted commas, apostrophe zips, non-ASCII names) for
client BENCH1 with fresh order numbers each sample. The bare equivalent parses the same file
with ``csv.reader`` and executemany-inserts the same orders, lines and status rows.
"""

from __future__ import annotations

import argparse
import csv
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.kernel.actor import Actor
from app.orders import allocation, importers
from app.store import db
from bench.generate import DATA_DIR, ensure_dataset, product_sku
from bench.harness import Table, bare_sqlite

ACTOR = Actor(None, "bench", "supervisor", "bench")
NOW = "2026-11-28 12:00:00"


def timed(fn: Callable[[], object], setup: Callable[[], object], *, repeat: int) -> float:
    """Median seconds of ``fn`` with an untimed ``setup`` before every call (one warm-up)."""
    times = []
    for i in range(repeat + 1):
        setup()
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            fn()
            elapsed = time.perf_counter() - start
        finally:
            gc.enable()
        if i:
            times.append(elapsed)
    return statistics.median(times)


# --- Allocation -----------------------------------------------------------------------------


def prepare_allocation(path: Path, lines: int) -> tuple[int, int]:
    """Leave open only the oldest orders holding exactly ``lines`` lines; returns (orders, lines)."""
    conn = bare_sqlite(path)
    counts = conn.execute("SELECT order_id, COUNT(*) FROM order_line GROUP BY order_id ORDER BY order_id").fetchall()
    keep, total = [], 0
    for oid, n in counts:
        if total + n <= lines:
            keep.append(oid)
            total += n
        if total == lines:
            break
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("CREATE TEMP TABLE keep_ids (id INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO keep_ids VALUES (?)", [(i,) for i in keep])
    conn.execute("UPDATE \"order\" SET status = 'shipped' WHERE id NOT IN (SELECT id FROM keep_ids)")
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return len(keep), total


def reset_allocation(conn) -> None:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("DELETE FROM allocation")
    conn.execute("UPDATE stock_level SET reserved = 0 WHERE reserved <> 0")
    conn.execute("UPDATE order_line SET qty_allocated = 0 WHERE qty_allocated <> 0")
    conn.execute("UPDATE \"order\" SET status = 'new', allocated_at = NULL WHERE status <> 'shipped'")
    conn.execute("COMMIT")


def bare_allocate(conn) -> int:
    """The same allocation written by hand against sqlite3."""
    conn.execute("BEGIN IMMEDIATE")
    where = ("o.status IN ('new', 'partially_allocated', 'allocated', 'backordered', 'picking') AND "
             "ol.qty_ordered - ol.qty_cancelled - ol.qty_allocated - MAX(ol.qty_picked, ol.qty_packed, "
             "ol.qty_shipped) > 0")
    base = f'FROM order_line ol JOIN "order" o ON o.id = ol.order_id WHERE {where}'
    stock = conn.execute(
        "SELECT sl.product_id, sl.location_id, sl.on_hand - sl.reserved FROM stock_level sl "
        "WHERE sl.on_hand > sl.reserved AND sl.location_id IN (SELECT id FROM location WHERE kind = 'bin') "
        f"AND sl.product_id IN (SELECT ol.product_id {base}) ORDER BY sl.product_id, sl.location_id").fetchall()
    lines = conn.execute(
        f"SELECT ol.id, ol.order_id, ol.product_id, ol.qty_ordered - ol.qty_allocated {base} "
        "ORDER BY o.priority DESC, CASE WHEN o.ship_by IS NULL THEN 1 ELSE 0 END, o.ship_by, "
        "o.received_at, o.id, ol.id").fetchall()
    seq = dict(conn.execute("SELECT id, pick_seq FROM location WHERE kind = 'bin'").fetchall())
    free: dict[int, list[list[int]]] = {}
    for pid, loc, qty in stock:
        free.setdefault(pid, []).append([loc, qty])
    for slots in free.values():
        slots.sort(key=lambda s: seq[s[0]])
    balance, alloc, per_line, short_orders, orders = {}, [], {}, set(), set()
    for line, oid, pid, short in lines:
        orders.add(oid)
        for slot in free.get(pid, ()):
            if short == 0:
                break
            take = min(short, slot[1])
            if take:
                slot[1] -= take
                short -= take
                balance[(pid, slot[0])] = balance.get((pid, slot[0]), 0) + take
                alloc.append((line, pid, slot[0], take, NOW))
                per_line[line] = per_line.get(line, 0) + take
        if short:
            short_orders.add(oid)
    conn.executemany("UPDATE stock_level SET reserved = reserved + ? WHERE product_id = ? AND location_id = ? "
                     "AND on_hand - reserved >= ?", [(q, p, loc, q) for (p, loc), q in balance.items()])
    conn.executemany("INSERT INTO allocation (order_line_id, product_id, location_id, qty, created_at) "
                     "VALUES (?, ?, ?, ?, ?)", alloc)
    conn.executemany("UPDATE order_line SET qty_allocated = qty_allocated + ? WHERE id = ?",
                     [(q, line) for line, q in per_line.items()])
    status = [("partially_allocated" if o in short_orders else "allocated", o) for o in orders]
    conn.executemany('UPDATE "order" SET status = ?, allocated_at = COALESCE(allocated_at, \'' + NOW +
                     "') WHERE id = ?", status)
    conn.executemany("INSERT INTO status_change (doc_type, doc_id, client_id, from_status, to_status, "
                     "user_name, station, note, created_at) VALUES ('order', ?, 1, 'new', ?, 'bench', "
                     "'bench', '', ?)", [(o, s, NOW) for s, o in status])
    conn.execute("COMMIT")
    return len(alloc)


def bench_allocation(table: Table, *, lines: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="prepdesk-bench-orders-", dir=DATA_DIR) as tmp:
        copy = Path(tmp) / "alloc.db"
        url = ensure_dataset(100_000, copy_to=copy)
        n_orders, n_lines = prepare_allocation(copy, lines)
        conn = bare_sqlite(copy)
        db.connect(url, create=True)
        results = []

        def run():
            results.append(allocation.allocate_orders(actor=ACTOR))

        app_s = timed(run, lambda: reset_allocation(conn), repeat=repeat)
        r = results[-1]
        print(f"allocation: {n_orders} orders, {n_lines} lines -> {r.text()}", file=sys.stderr)
        from app import ledger

        reset_allocation(conn)
        allocation.allocate_orders(actor=ACTOR)
        check = ledger.check()
        print(f"ledger check after allocation: {'ok' if check.ok else check.problems[:3]}", file=sys.stderr)
        db.close()
        bare_s = timed(lambda: bare_allocate(conn), lambda: reset_allocation(conn), repeat=repeat)
        conn.close()
    table.row(f"allocate {n_lines:,} lines ({n_orders:,} orders) vs 100,000 products", app_s, bare_s,
              "< 2 s")


# --- Shopify import --------------------------------------------------------------------------

SHOPIFY_COLUMNS = (  # Shopify's full order export header, in Shopify's order (79 columns)
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,"
    "Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,"
    "Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,"
    "Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,"
    "Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,"
    "Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,"
    "Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,"
    "Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,"
    "Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,"
    "Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,"
    "Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,"
    "Shipping Province Name,Payment ID,Payment Terms Name,Next Payment Due At,Payment References"
).split(",")
_NAMES = ("Zoë Müller", "José Ramírez", "Åsa Öberg", "Chloé Tremblay", "山田 太郎", "Liam O'Brien", "Emma Johnson")


def write_shopify_csv(path: Path, *, rows: int, prefix: str, products: int = 100_000) -> int:
    """A Shopify order export with ``rows`` line items of client BENCH1's products; returns orders."""
    skus = [product_sku(n) for n in range(1, products + 1, 3)]  # BENCH1 owns products 1, 4, 7, ...
    idx = {c: i for i, c in enumerate(SHOPIFY_COLUMNS)}
    written = orders = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(SHOPIFY_COLUMNS)
        while written < rows:
            orders += 1
            n_lines = min(2 + orders % 2, rows - written)
            name = _NAMES[orders % len(_NAMES)]
            for k in range(n_lines):
                r = [""] * len(SHOPIFY_COLUMNS)
                r[idx["Name"]] = f"#{prefix}{orders:06d}"
                r[idx["Email"]] = f"customer{orders}@example.com"
                r[idx["Lineitem quantity"]] = str(1 + (orders + k) % 3)
                r[idx["Lineitem name"]] = "Bench item"
                r[idx["Lineitem price"]] = "9.90"
                r[idx["Lineitem sku"]] = skus[(orders * 7 + k * 13) % len(skus)]
                r[idx["Lineitem requires shipping"]] = "true"
                r[idx["Lineitem fulfillment status"]] = "pending"
                r[idx["Created at"]] = f"2025-10-{1 + orders % 28:02d} 09:50:26 +0200"  # on every row
                r[idx["Vendor"]] = "Bench"
                if k == 0:
                    for col, value in (
                        ("Financial Status", "paid"), ("Fulfillment Status", "unfulfilled"),
                        ("Currency", "USD"), ("Total", "29.70"), ("Shipping Method", "Standard"),
                        ("Created at", f"2025-10-{1 + orders % 28:02d} 09:50:26 +0200"),
                        ("Billing Name", name), ("Shipping Name", name),
                        ("Shipping Address1", f"{orders % 900 + 1} Elm St, Apt {orders % 40 + 1}"),
                        ("Shipping City", "Boston"), ("Shipping Zip", "'02134"),
                        ("Shipping Province", "MA"), ("Shipping Country", "US"), ("Id", str(orders)),
                    ):
                        r[idx[col]] = value
                w.writerow(r)
                written += 1
    return orders


def bare_import(conn, path: Path) -> int:
    """Parse the same file with csv.reader and executemany the same rows (orders, lines, status)."""
    sku_ids = dict(conn.execute("SELECT sku, id FROM product WHERE client_id = 1").fetchall())
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = [h.lower() for h in next(reader)]
        i_name, i_qty, i_sku = header.index("name"), header.index("lineitem quantity"), header.index("lineitem sku")
        i_ship, i_addr, i_city = header.index("shipping name"), header.index("shipping address1"), header.index("shipping city")
        i_zip, i_country, i_email = header.index("shipping zip"), header.index("shipping country"), header.index("email")
        orders: dict[str, tuple] = {}
        lines: list[tuple[str, int, int]] = []
        for row in reader:
            number = row[i_name]
            if number not in orders:
                orders[number] = (row[i_ship], row[i_email], row[i_addr], row[i_city], row[i_zip].lstrip("'"),
                                  row[i_country])
            lines.append((number, sku_ids[row[i_sku]], int(row[i_qty])))
    conn.execute("BEGIN IMMEDIATE")
    max_id = conn.execute('SELECT COALESCE(MAX(id), 0) FROM "order"').fetchone()[0]
    conn.executemany(
        'INSERT INTO "order" (client_id, number, status, received_at, channel, customer_name, email, phone, '
        "ship_name, ship_company, address1, address2, city, province, zip, country, priority, carrier, "
        "service, notes, packing_instructions, import_ref) VALUES "
        "(1, ?, 'new', ?, 'shopify', ?, ?, '', ?, '', ?, '', ?, '', ?, ?, 0, '', '', '', '', '')",
        [(n, NOW, o[0], o[1], o[0], o[2], o[3], o[4], o[5]) for n, o in orders.items()])
    ids = dict(conn.execute('SELECT number, id FROM "order" WHERE client_id = 1 AND id > ?', (max_id,)).fetchall())
    conn.executemany("INSERT INTO order_line (order_id, line_no, product_id, qty_ordered, qty_allocated, "
                     "qty_picked, qty_packed, qty_shipped, qty_cancelled, name) VALUES (?, 1, ?, ?, 0, 0, 0, 0, 0, '')",
                     [(ids[n], pid, q) for n, pid, q in lines])
    conn.executemany("INSERT INTO status_change (doc_type, doc_id, client_id, from_status, to_status, user_name, "
                     "station, note, created_at) VALUES ('order', ?, 1, '', 'new', 'bench', 'bench', '', ?)",
                     [(i, NOW) for i in ids.values()])
    conn.execute("COMMIT")
    return len(lines)


def bench_import(table: Table, *, rows: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="prepdesk-bench-orders-", dir=DATA_DIR) as tmp:
        copy = Path(tmp) / "import.db"
        url = ensure_dataset(100_000, copy_to=copy)
        files = []
        for i in range(2 * (repeat + 1)):
            f = Path(tmp) / f"shopify-{i}.csv"
            n_orders = write_shopify_csv(f, rows=rows, prefix=f"S{i:02d}")
            files.append(f)
        db.connect(url, create=True)
        it = iter(files)
        results = []
        app_s = timed(lambda: results.append(importers.import_orders(next(it), client_code="BENCH1",
                                                                     actor=ACTOR)),
                      lambda: None, repeat=repeat)
        print(f"import: {results[-1].text()}", file=sys.stderr)
        again = importers.import_orders(files[0], client_code="BENCH1", actor=ACTOR)
        print(f"re-import: {again.text()}", file=sys.stderr)
        db.close()
        conn = bare_sqlite(copy)
        bare_s = timed(lambda: bare_import(conn, next(it)), lambda: None, repeat=repeat)
        conn.close()
    table.row(f"import Shopify CSV, {rows:,} rows ({n_orders:,} orders)", app_s, bare_s, "< 10 s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=("allocate", "import"), help="run one of the two")
    args = parser.parse_args(argv)
    table = Table("Orders and allocation (SQLite, 100,000 products)")
    if args.only != "import":
        bench_allocation(table, lines=args.lines, repeat=args.repeat)
    if args.only != "allocate":
        bench_import(table, rows=args.rows, repeat=args.repeat)
    table.print()
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
