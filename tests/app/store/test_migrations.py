"""Schema migrations: a database made at schema version 1 opens and upgrades without loss;
a database newer than the program is refused."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from app import inventory, ledger
from app.kernel.errors import DatabaseUnavailable
from app.store import db, migrations

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "schema_v1.sql"


def _load_v1(path: Path) -> str:
    con = sqlite3.connect(path)
    con.executescript(FIXTURE.read_text())
    con.close()
    return f"sqlite:///{path}"


def _tables() -> set[str]:
    return set(db.database.get_tables())


def test_the_fixture_is_schema_version_1(tmp_path):
    con = sqlite3.connect(":memory:")
    con.executescript(FIXTURE.read_text())
    assert con.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "stock_move" in tables and "order" not in tables and "allocation" not in tables


def test_a_version_1_database_upgrades_without_loss(tmp_path):
    url = _load_v1(tmp_path / "old.db")
    try:
        db.open_database(url, create=True)
        assert migrations.current_version() == migrations.LATEST
        from app.store.models import DOCUMENT_MODELS

        assert {m._meta.table_name for m in DOCUMENT_MODELS} <= _tables()
        versions = [v for (v,) in db.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
        assert versions == [number for number, _, _ in migrations.MIGRATIONS]
        # The old rows are intact.
        assert db.execute("SELECT code, name FROM client").fetchall() == [("OLDCO", "Old Client Ltd")]
        assert db.execute("SELECT sku, name, weight_kg FROM product").fetchall() == [("OLD-1", "Old Widget", 0.5)]
        from app.catalog import scan

        hit = scan.resolve("012345678905")
        assert (hit.kind, hit.label) == ("product", "OLD-1")
        pid = hit.id
        assert ledger.on_hand(pid, "Z-01-01") == 5
        # The per-product totals (version 3) were filled in from the old balances.
        assert [(r.sku, r.on_hand) for r in ledger.stock_rows(sort="on_hand")] == [("OLD-1", 5)]
        moves = ledger.moves_for(product_id=pid)
        assert [(m.from_location, m.to_location, m.qty, m.kind, m.user_name, m.station) for m in moves] == [
            ("Z-01-01", "CUSTOMER", 2, "ship", "olduser", "desk-1"),
            ("SUPPLIER", "Z-01-01", 7, "receive", "olduser", "desk-1"),
        ]
        assert str(moves[-1].created_at).startswith("2025-06-01 08:30:00")
        report = ledger.check()
        assert report.ok, report.problems
        assert (report.moves, report.balances) == (2, 1)
        # The append-only rule survived the upgrade, and the upgraded database works.
        with pytest.raises(Exception, match="append-only"):
            with db.write():
                db.execute("DELETE FROM stock_move")
        from app.kernel.actor import Actor

        inventory.transfer(pid, "Z-01-01", "RECEIVING", 1, actor=Actor.system())
        assert ledger.check().ok
    finally:
        db.close()
    # Opening it again is a no-op.
    try:
        db.open_database(url, create=True)
        assert migrations.current_version() == migrations.LATEST
        assert db.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == len(migrations.MIGRATIONS)
    finally:
        db.close()


def test_a_database_newer_than_the_program_is_refused(tmp_path):
    url = _load_v1(tmp_path / "future.db")
    con = sqlite3.connect(tmp_path / "future.db")
    con.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, '2030-01-01 00:00:00')",
                (migrations.LATEST + 1,))
    con.commit()
    con.close()
    with pytest.raises(DatabaseUnavailable) as info:
        db.open_database(url, create=True)
    message = str(info.value)
    assert message == (f"database schema version {migrations.LATEST + 1} is newer than this program "
                       f"({migrations.LATEST}); update PrepDesk")
    # Nothing was migrated: the documents tables were not created.
    con = sqlite3.connect(tmp_path / "future.db")
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    assert "order" not in tables


def test_the_cli_refuses_a_newer_database_with_one_line(tmp_path):
    import subprocess
    import sys

    url = _load_v1(tmp_path / "future.db")
    con = sqlite3.connect(tmp_path / "future.db")
    con.execute("INSERT INTO schema_version (version, applied_at) VALUES (99, '2030-01-01 00:00:00')")
    con.commit()
    con.close()
    root = Path(__file__).resolve().parents[3]
    proc = subprocess.run([sys.executable, str(root / "main.py"), "--db", url, "check"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"error: database schema version 99 is newer than this program ({migrations.LATEST}); update PrepDesk"]
    assert "Traceback" not in proc.stderr


def test_opening_a_current_database_does_not_wait_for_the_write_lock(tmp_path, monkeypatch):
    # Another station is in the middle of a write: a report or a second window still opens.
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    db.open_database(url, create=True)
    db.close()
    monkeypatch.setitem(db.SQLITE_PRAGMAS, "busy_timeout", 200)
    other = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        db.open_database(url, create=True)
        assert migrations.current_version() == migrations.LATEST
        assert ledger.stock_count() == 0
    finally:
        db.close()
        other.execute("ROLLBACK")
        other.close()


def test_a_version_3_database_gains_the_returns_columns(tmp_path):
    url = f"sqlite:///{tmp_path / 'v3.db'}"
    try:
        db.open_database(url, create=True)
        # Made as a version-3 database: the return tables without the returns desk's columns.
        # (SQLite cannot drop a foreign-key column: exchange_order_id stays.)
        for table, column in (("return", "note"), ("return_line", "wants"), ("return_line", "qty_scrapped")):
            db.database.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN {column}')
        db.database.execute_sql("DELETE FROM schema_version WHERE version > 3")
    finally:
        db.close()
    try:
        db.open_database(url)
        assert migrations.current_version() == migrations.LATEST
        columns = {c.name for c in db.database.get_columns("return_line")}
        assert {"wants", "note", "qty_restocked", "qty_quarantined", "qty_scrapped"} <= columns
        assert {"note", "exchange_order_id"} <= {c.name for c in db.database.get_columns("return")}
    finally:
        db.close()


def _move_indexes() -> set[str]:
    return {i.name for i in db.database.get_indexes("stock_move")}


def test_an_upgraded_database_has_the_same_move_indexes_as_a_new_one(tmp_path):
    """Version 14: the moves keep no index of their own on the product (the indexes that begin
    with it serve every lookup); a database from version 1 ends with the same set as a new one."""
    try:
        db.open_database(f"sqlite:///{tmp_path / 'new.db'}", create=True)
        fresh = _move_indexes()
    finally:
        db.close()
    try:
        db.open_database(_load_v1(tmp_path / "old.db"), create=True)
        upgraded = _move_indexes()
    finally:
        db.close()
    assert "stock_move_product_id" not in fresh
    assert upgraded == fresh
    assert {"stock_move_product_id_created_at", "stock_move_kind"} <= fresh


def _cost_column_as_before_version_15() -> None:
    """The package table as versions before 15 left it: the shipping cost a float column."""
    if db.is_postgres():
        db.database.execute_sql("ALTER TABLE package ALTER COLUMN cost TYPE DOUBLE PRECISION")
    else:
        for sql in ("ALTER TABLE package RENAME COLUMN cost TO cost_decimal",
                    "ALTER TABLE package ADD COLUMN cost REAL",
                    "UPDATE package SET cost = cost_decimal",
                    "ALTER TABLE package DROP COLUMN cost_decimal"):
            db.database.execute_sql(sql)
    db.execute("DELETE FROM schema_version WHERE version >= 15")


def _cost_type() -> str:
    return {c.name: c.data_type for c in db.database.get_columns("package")}["cost"].lower()


def test_a_version_14_database_keeps_its_shipping_costs_as_money_to_the_cent(database, world, frozen_clock):
    """Version 15: the float costs on file become decimals to the cent, half up, as typed
    (0.285 was kept as 0.28499... and reported as 0.28)."""
    from app import packing, shipping
    from app.reports import shipping_report
    from app.reports.table import Period
    from app.store.models import Package
    from tests.support.packing import PACKER, make_products, picked_order

    prods = make_products(world, [("TENT", "TENT-1")])
    order = picked_order(world, "1001", [("TENT", 4, 4)], products=prods)
    for n in range(4):
        packing.pack(order.id, scans=["TENT-1"], close="last" if n == 3 else "next", actor=PACKER)
    shipping.ship_order(order.id, tracking="1Z999AA10123456784", actor=PACKER)
    with db.write():
        _cost_column_as_before_version_15()
        for seq, cost in ((1, 0.285), (2, 1.005), (3, 10.075)):
            db.execute("UPDATE package SET cost = ? WHERE seq = ?", (cost, seq))
    assert _cost_type() in ("real", "double precision")
    db.close()
    db.open_database(database.url)
    assert migrations.current_version() == migrations.LATEST
    assert _cost_type() == ("numeric" if db.is_postgres() else "decimal(12, 2)")
    assert [p.cost for p in Package.select().order_by(Package.seq)] == [
        Decimal("0.29"), Decimal("1.01"), Decimal("10.08"), None]
    table = shipping_report.shipping(Period.of(dt.date(2026, 3, 2)))
    assert table.rows[-1] == ("ALL", "all", "all", 4, 1, 4, Decimal("11.38"), Decimal("3.79"), 1)
    # and shipping goes on to the cent
    second = picked_order(world, "1002", [("TENT", 1, 1)], products=prods)
    packing.pack(second.id, scans=["TENT-1"], close="last", actor=PACKER)
    shipping.ship_order(second.id, tracking="1Z999AA10123456785", cost="0.285", actor=PACKER)
    assert Package.get(Package.order == second.id).cost == Decimal("0.29")
    assert ledger.check().ok
    db.close()
    db.open_database(database.url)  # once is enough: opening again changes nothing
    assert [p.cost for p in Package.select().order_by(Package.id)][:3] == [
        Decimal("0.29"), Decimal("1.01"), Decimal("10.08")]
