"""Test configuration: offscreen Qt, throw-away databases (SQLite always, PostgreSQL when
``PREPDESK_TEST_PG_URL`` is set), an injectable clock, and a ledger check after every test."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_TMP = Path(tempfile.mkdtemp(prefix="prepdesk-tests-"))
os.environ["PREPDESK_LOG_DIR"] = str(_TMP / "logs")
os.environ["XDG_DATA_HOME"] = str(_TMP / "data")
os.environ["XDG_CONFIG_HOME"] = str(_TMP / "config")
os.environ.pop("PREPDESK_DB", None)
# The computer's zone is UTC for the suite whatever the machine's (a warehouse with no
# `timezone` setting uses the computer's); tests of other zones set the warehouse's own.
os.environ["TZ"] = "UTC"

import pytest  # noqa: E402

from app import ledger  # noqa: E402
from app.catalog import users  # noqa: E402
from app.kernel import clock, units  # noqa: E402
from app.kernel.actor import Actor  # noqa: E402
from app.store import changes, db, locale  # noqa: E402
from tests.support.pg import throwaway_pg_database  # noqa: E402

PG_URL = os.environ.get("PREPDESK_TEST_PG_URL", "").strip()
BACKENDS = ["sqlite"] + (["pg"] if PG_URL else [])


def pytest_configure(config):
    config.addinivalue_line("markers", "breaks_ledger: the test corrupts the ledger on purpose")


@dataclass
class DbHandle:
    url: str
    kind: str  # sqlite or pg

    @property
    def is_pg(self) -> bool:
        return self.kind == "pg"


# --- SQLite: one migrated template per session, copied for each test -------------------


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    db.open_database(f"sqlite:///{path}", create=True)
    db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


# --- PostgreSQL: one throw-away database per run (and per xdist worker) ---------------


def _pg_admin_connect():
    import psycopg2

    conn = psycopg2.connect(PG_URL, connect_timeout=5)
    conn.autocommit = True
    return conn


@pytest.fixture(scope="session")
def _pg_database():
    if not PG_URL:
        pytest.skip("PREPDESK_TEST_PG_URL not set")
    with throwaway_pg_database(PG_URL, "prepdesk_t") as url:
        db.open_database(url, create=True)  # a new, empty database: init makes the schema
        tables = [m._meta.table_name for m in _all_models() if m._meta.table_name != "schema_version"]
        db.close()
        yield url, tables


def _all_models():
    from app.store.billing_models import BILLING_MODELS
    from app.store.check_models import CHECK_MODELS
    from app.store.count_models import COUNT_MODELS
    from app.store.lot_models import LOT_MODELS
    from app.store.models import CORE_MODELS, DOCUMENT_MODELS
    from app.store.totals_models import DERIVED_MODELS

    return CORE_MODELS + DOCUMENT_MODELS + DERIVED_MODELS + COUNT_MODELS + LOT_MODELS + CHECK_MODELS + BILLING_MODELS


def _pg_reset(url: str, tables: list[str]) -> None:
    db.open_database(url, migrate=False)
    quoted = ", ".join(f'"{t}"' for t in tables)
    # TRUNCATE bypasses the append-only row triggers: it is the test harness, not the app.
    db.database.execute_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
    from app.store import migrations

    migrations.ensure_system_locations()
    ledger.clear_caches()  # TRUNCATE restarted the ids under the same connection
    locale.load()  # opening read the previous test's zone and units, before the TRUNCATE


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path) -> DbHandle:
    """A fresh, migrated database bound to the app; the ledger is checked afterwards."""
    if request.param == "sqlite":
        template = request.getfixturevalue("_sqlite_template")
        path = tmp_path / "prepdesk.db"
        shutil.copyfile(template, path)
        handle = DbHandle(f"sqlite:///{path}", "sqlite")
        db.open_database(handle.url)
    else:
        url, tables = request.getfixturevalue("_pg_database")
        _pg_reset(url, tables)
        handle = DbHandle(url, "pg")
    yield handle
    if db.database.obj is not None and db.database.obj.is_closed():
        db.open_database(handle.url, migrate=False)
    if not request.node.get_closest_marker("breaks_ledger"):
        report = ledger.check()
        db.close()
        assert report.ok, "ledger invariants broken after the test:\n" + "\n".join(report.problems)
    else:
        db.close()


@pytest.fixture
def sqlite_database(tmp_path, _sqlite_template) -> DbHandle:
    """SQLite only (UI tests, file-level tests)."""
    path = tmp_path / "prepdesk.db"
    shutil.copyfile(_sqlite_template, path)
    handle = DbHandle(f"sqlite:///{path}", "sqlite")
    db.open_database(handle.url)
    yield handle
    report = ledger.check()
    db.close()
    assert report.ok, "ledger invariants broken after the test:\n" + "\n".join(report.problems)


@pytest.fixture(autouse=True)
def _fast_pins(monkeypatch):
    monkeypatch.setattr(users, "PIN_ITERATIONS", 1000)


@pytest.fixture(autouse=True)
def _utc_metric_warehouse():
    """Each test starts in a UTC, metric warehouse whatever the machine's own zone; a test of
    another zone or of US units sets it (setting, or clock.set_zone / units.set_system)."""
    clock.set_zone("Etc/UTC")
    units.set_system("metric")
    yield
    clock.set_zone("Etc/UTC")
    units.set_system("metric")


@pytest.fixture(autouse=True)
def _unstyled_application_after():
    """Each test leaves the one QApplication of its process unstyled, as it found it: a test
    that opens the window the way a station does (its style sheet, the stations' big type)
    would otherwise make every later test measure text in that type. (Only where Qt is
    loaded: the command line's tests never import it.)"""
    yield
    widgets = sys.modules.get("PySide6.QtWidgets")
    app = widgets.QApplication.instance() if widgets is not None else None
    if app is not None and app.styleSheet():
        app.setStyleSheet("")


@pytest.fixture(autouse=True)
def _no_change_listeners_left_behind():
    """Each test starts with the change listeners it found: a window or events object that an
    earlier test left alive must not react (and query) when this test commits."""
    before = list(changes._listeners)
    yield
    changes._listeners[:] = before


@pytest.fixture
def frozen_clock():
    fc = clock.FrozenClock(dt.datetime(2026, 3, 2, 9, 0, 0))
    clock.set_clock(fc)
    yield fc
    clock.set_clock(None)


@pytest.fixture
def supervisor() -> Actor:
    return Actor(None, "test-supervisor", "supervisor", "test")


CLI_USER, CLI_PIN = "cli-boss", "1357"


@pytest.fixture
def cli_user(request, monkeypatch) -> str:
    """The command line acts as a logged-in supervisor: the user is added to the test's
    database and named in PREPDESK_USER / PREPDESK_PIN, as a script's environment would."""
    for name in ("database", "sqlite_database"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
            break
    users.create_user(CLI_USER, "supervisor", CLI_PIN, actor=Actor.system())
    monkeypatch.setenv("PREPDESK_USER", CLI_USER)
    monkeypatch.setenv("PREPDESK_PIN", CLI_PIN)
    return CLI_USER


# --- Small builders shared by tests -------------------------------------------------


def _make_world(handle: DbHandle) -> World:
    from tests.support.helpers import add_acme_and_bins

    add_acme_and_bins()
    return World(handle)


@pytest.fixture
def world(database):
    """One client, a few bins in walk order, and a helper to make products."""
    return _make_world(database)


@pytest.fixture
def sqlite_world(sqlite_database):
    """The same world on SQLite only (file-level features: backup, restore)."""
    return _make_world(sqlite_database)


class World:
    def __init__(self, handle: DbHandle) -> None:
        self.db = handle
        self.actor = Actor(None, "tester", "supervisor", "test")

    def product(self, sku: str, *, barcode: str | None = None, client: str = "ACME", **fields):
        from app import catalog

        return catalog.add_product(client, sku, f"Product {sku}", barcodes=[barcode] if barcode else [],
                                   actor=self.actor, **fields)

    def stock(self, product_id: int, bin_code: str, qty: int) -> None:
        """Put stock in a bin the way the ledger does: a move from SUPPLIER."""
        with db.write():
            ledger.apply_move(product_id, ledger.location("SUPPLIER").id,
                                 ledger.location(bin_code).id, qty, kind="receive",
                                 actor=self.actor, reason="test stock")
