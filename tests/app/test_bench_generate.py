"""The benchmark data generator: a consistent ledger, valid barcodes, open orders, reproducible."""

from __future__ import annotations

import hashlib

from app import ledger
from app.catalog import scan
from app.kernel.barcodes import is_valid_gtin
from app.store import db
from bench.generate import generate, product_gtin, product_sku


def test_generated_data_is_consistent(database):
    summary = generate(database.url, clients=2, products=300, moves=3000, orders=200, seed=4)
    assert (summary.products, summary.barcodes, summary.moves, summary.orders) == (300, 300, 3000, 200)
    report = ledger.check()
    assert report.ok, report.problems
    assert (report.moves, report.balances) == (3000, summary.balances)
    for n in (1, 2, 150, 300):
        code = product_gtin(n)
        assert is_valid_gtin(code)
        hit = scan.resolve(code)
        assert (hit.id, hit.label) == (n, product_sku(n))
    assert db.execute("SELECT COUNT(*) FROM client WHERE code LIKE ?", ("BENCH%",)).fetchone()[0] == 2
    assert db.execute('SELECT DISTINCT status FROM "order"').fetchall() == [("new",)]
    assert db.execute("SELECT COUNT(*) FROM order_line").fetchone()[0] == summary.order_lines
    assert db.execute("SELECT SUM(qty_allocated) FROM order_line").fetchone()[0] == 0
    # Lines belong to their order's client.
    assert db.execute('SELECT COUNT(*) FROM order_line ol JOIN "order" o ON o.id = ol.order_id '
                      "JOIN product p ON p.id = ol.product_id WHERE p.client_id <> o.client_id").fetchone()[0] == 0
    # The sequences continue after the generated ids (PostgreSQL needs them moved on).
    from app.catalog.products import add_product

    assert add_product("BENCH1", "NEW-1", "New").id == 301


def _fingerprint(path) -> str:
    import sqlite3

    con = sqlite3.connect(path)
    h = hashlib.sha256()
    for table in ("product", "product_barcode", "stock_move", "stock_level", '"order"', "order_line"):
        for row in con.execute(f"SELECT * FROM {table} ORDER BY id"):
            h.update(repr(row).encode())
    con.close()
    return h.hexdigest()


def test_same_seed_same_data(tmp_path):
    prints = []
    for name, seed in (("a", 9), ("b", 9), ("c", 10)):
        generate(f"sqlite:///{tmp_path / name}.db", products=200, moves=1000, orders=50, seed=seed)
        db.close()
        prints.append(_fingerprint(tmp_path / f"{name}.db"))
    assert prints[0] == prints[1] != prints[2]
