"""migrate-db: a SQLite warehouse (the demo) moved onto an empty PostgreSQL database, ids and
sequences and all; a target that already holds a warehouse is refused and left as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import ledger
from app.inventory import stock
from app.kernel.actor import Actor
from app.kernel.errors import PermissionDenied, ValidationError
from app.store import db
from app.store.copy import all_models, copy_warehouse
from app.store.models import StockLevel, StockMove
from tests.conftest import PG_URL
from tests.support.pg import throwaway_pg_database

ROOT = Path(__file__).resolve().parents[3]


def _run(*argv: str, user: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PREPDESK_USER="Sam Supervisor", PREPDESK_PIN="1111") if user else dict(os.environ)
    for name in ("PREPDESK_DB", *(() if user else ("PREPDESK_USER", "PREPDESK_PIN"))):
        env.pop(name, None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def _counts(url: str) -> dict[str, int]:
    database = db.open_database(url)
    try:
        return {m._meta.table_name: m.select().count() for m in all_models()
                if m._meta.table_name != "schema_version"}
    finally:
        db.close()
        database.close()


@pytest.fixture
def demo_sqlite(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'station.db'}"
    done = _run("--db", url, "init", "--demo", user=False)
    assert done.returncode == 0, done.stderr
    return url


@pytest.fixture
def pg_target():
    if not PG_URL:
        pytest.skip("PREPDESK_TEST_PG_URL not set")
    with throwaway_pg_database(PG_URL, "prepdesk_mig") as url:
        yield url


def test_only_a_supervisor_may_migrate(tmp_path):
    packer = Actor(None, "Pat", "packer", "test")
    with pytest.raises(PermissionDenied, match="may not migrate databases"):
        copy_warehouse(f"sqlite:///{tmp_path / 'a.db'}", "postgresql://nowhere/x", actor=packer)


@pytest.mark.pg
def test_the_demo_warehouse_moves_onto_postgresql(demo_sqlite, pg_target):
    done = _run("migrate-db", "--from", demo_sqlite, "--to", pg_target)
    assert done.returncode == 0, done.stderr
    assert "ledger check on the copy: ok" in done.stdout
    source, target = _counts(demo_sqlite), _counts(pg_target)
    assert source == target
    assert source["stock_move"] > 0 and source["product"] > 0

    db.open_database(pg_target)
    assert ledger.check().ok
    # The sequences were reset: a new move gets the next id, not one the copy already used.
    last = StockMove.select().order_by(StockMove.id.desc()).get()
    level = StockLevel.select().where(StockLevel.on_hand > 0).first()
    sku = level.product.sku
    stock.adjust(sku, level.location.code, 1, reason="count", client_id=level.product.client_id,
                 actor=Actor(None, "Sam Supervisor", "supervisor", "test"))
    newest = StockMove.select().order_by(StockMove.id.desc()).get()
    assert newest.id == last.id + 1
    assert ledger.check().ok
    db.close()


@pytest.mark.pg
def test_a_target_holding_a_warehouse_is_refused_and_left_alone(demo_sqlite, pg_target):
    assert _run("migrate-db", "--from", demo_sqlite, "--to", pg_target).returncode == 0
    before = _counts(pg_target)
    again = _run("migrate-db", "--from", demo_sqlite, "--to", pg_target)
    assert again.returncode == 1
    assert again.stderr.count("\n") == 1 and "already holds a warehouse" in again.stderr
    assert _counts(pg_target) == before


@pytest.mark.pg
def test_a_copy_failing_its_check_is_not_kept(demo_sqlite, pg_target):
    boss = Actor(None, "Sam Supervisor", "supervisor", "test")
    with pytest.raises(ValidationError, match="fails the ledger check .*nothing was kept"):
        copy_warehouse(demo_sqlite, pg_target, actor=boss, verify=lambda: ["a balance is wrong"])
    db.close()
    after = _counts(pg_target)
    assert after["client"] == after["product"] == after["stock_move"] == after["user"] == 0
