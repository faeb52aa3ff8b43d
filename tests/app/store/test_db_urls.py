"""Opening databases: bad URLs, unwritable folders and corrupt files give one clear line;
and the headless command line end to end (run as a user runs it, in a subprocess)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from app.kernel.errors import DatabaseUnavailable
from app.store import db

ROOT = Path(__file__).resolve().parents[3]


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**{k: v for k, v in os.environ.items() if k != "PREPDESK_DB"}, **(env or {})}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def _one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize(("url", "expected"), [
    ("foo://x", "unsupported database URL 'foo://x': use sqlite:///FILE or postgresql://HOST/DB"),
    ("sqlite://", "no file named in database URL 'sqlite://'"),
    ("", "empty database URL"),
    ("postgresql://127.0.0.1/", "no database named in URL 'postgresql://127.0.0.1/'"),
    ("postgresql://127.0.0.1:1/x", "cannot open database postgresql://127.0.0.1:1/x: connection to server"),
    ("postgresql://u:secret@127.0.0.1:1/x", "cannot open database postgresql://u:***@127.0.0.1:1/x:"),
])
def test_bad_urls(url, expected):
    with pytest.raises(DatabaseUnavailable) as info:
        db.open_database(url, create=True)
    message = str(info.value)
    assert message.startswith(expected)
    assert "\n" not in message
    assert "secret" not in message


@pytest.mark.parametrize(("url", "expected"), [
    ("sqlite:///x%00y.db", "database URL 'sqlite:///x%00y.db' contains a NUL byte (%00)"),
    ("postgresql://postgres@127.0.0.1:5432/db%00", "database URL 'postgresql://postgres@127.0.0.1:5432/db%00' "
                                                   "contains a NUL byte (%00)"),
    ("postgresql://u:secret@[::1/x", "bad database URL 'postgresql://u:***@[::1/x': Invalid IPv6 URL"),
    ("postgresql://postgres@[::1/x", "bad database URL 'postgresql://postgres@[::1/x': Invalid IPv6 URL"),
    ("sqlite:///:memory:", "sqlite:///:memory: is not a warehouse: name a database file"),
])
def test_urls_nobody_can_open_are_one_line_wherever_they_are_typed(url, expected, tmp_path, monkeypatch):
    """Not a ValueError: the command line says one line, and the window offers its settings."""
    monkeypatch.chdir(tmp_path)
    for attempt in (lambda: db.open_database(url, create=True), lambda: db.make_database(url),
                    lambda: db.would_create(url)):
        with pytest.raises(DatabaseUnavailable) as info:
            attempt()
        assert str(info.value).startswith(expected) and "\n" not in str(info.value)
        assert "secret" not in str(info.value)
    assert db.probe(url).startswith(expected)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("url", ["sqlite:///x%00y.db", "postgresql://postgres@[::1/x", "sqlite:///:memory:",
                                 "postgresql://postgres@127.0.0.1:5432/db%00"])
def test_cli_bad_url_is_one_line_not_an_internal_error(tmp_path, url):
    line = _one_line_error(cli("--db", url, "stock", cwd=tmp_path))
    assert "internal error" not in line and ("database URL" in line or ":memory:" in line)
    assert list(tmp_path.iterdir()) == []


def test_an_empty_db_argument_is_refused_not_read_as_the_default(tmp_path):
    proc = cli("--db", "", "check", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: --db is empty: give a database URL, or leave --db out for the default (")
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stdout == ""


def test_a_missing_folder_is_no_database_yet_and_a_new_warehouse_makes_it(tmp_path):
    url = f"sqlite:///{tmp_path}/nowhere/deeper/x.db"
    with pytest.raises(db.NoDatabase, match=r"^no database at .*/nowhere/deeper/x\.db: its folder '.*deeper' "
                                            r"does not exist \(run `prepdesk init` to create it, or check --db\)$"):
        db.open_database(url)
    assert not (tmp_path / "nowhere").exists()  # nothing made
    db.open_database(url, create=True)  # init, or the first-run question answered yes
    try:
        assert (tmp_path / "nowhere" / "deeper" / "x.db").is_file()
        assert db.execute(f"SELECT COUNT(*) FROM {db.SCHEMA_TABLE}").fetchone()[0] >= 1
    finally:
        db.close()


def test_a_new_stations_default_database_is_made_in_its_data_folder(tmp_path):
    """A station's first start: no --db, no PREPDESK_DB, the data folder not there yet."""
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state")}
    proc = cli("check", cwd=tmp_path, env=env)
    assert proc.returncode == 1 and "does not exist (run `prepdesk init` to create it" in proc.stderr
    assert cli("init", cwd=tmp_path, env=env).returncode == 0
    assert (tmp_path / "data" / "prepdesk" / "prepdesk.db").is_file()
    assert cli("check", cwd=tmp_path, env=env).returncode == 0


def test_a_folder_nobody_may_create_files_in():
    # An unwritable folder: /proc refuses new files even to root (CI runs as root, so a
    # chmod'ed folder would not do).
    with pytest.raises(DatabaseUnavailable) as info:
        db.open_database("sqlite:////proc/prepdesk-test.db", create=True)
    assert "\n" not in str(info.value)
    assert "/proc" in str(info.value)


@pytest.mark.parametrize("content", [
    bytes(random.Random(3).randrange(256) for _ in range(50_000)),
    b"sku,name\nA-1,not a database\n" * 200,
    b"SQLite format 3\x00" + b"\x00" * 4000,
])
def test_corrupt_files(tmp_path, content):
    path = tmp_path / "broken.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseUnavailable) as info:
        db.open_database(f"sqlite:///{path}", create=True)
    message = str(info.value)
    assert message.startswith(f"cannot open database sqlite:///{path}: ") or "damaged" in message
    assert "\n" not in message
    assert path.read_bytes() == content  # left as it was
    assert db.database.obj is None or db.database.obj.is_closed()


# --- the command line ---------------------------------------------------------------


@pytest.mark.parametrize("url", ["foo://x", "sqlite://", "postgresql://127.0.0.1:1/x", "sqlite:///nodir/x.db",
                                 "sqlite:///random.db", "sqlite:///text.db"])
def test_cli_bad_database_one_line_non_zero(tmp_path, url):
    (tmp_path / "random.db").write_bytes(bytes(random.Random(5).randrange(256) for _ in range(20_000)))
    (tmp_path / "text.db").write_text("hello, this is a text file\n")
    line = _one_line_error(cli("--db", url, "check", cwd=tmp_path))
    assert "database" in line or "folder" in line


GOOD_CSV = """sku,name,barcode,barcodes,case_barcode,case_qty,weight_kg,fnsku
TENT-1,Tent 2p,012345678905,4006381333931|ALIAS-TENT,10012345678902,12,2.5,X00TENT001
LAMP-1,Headlamp,,,,,0.2,
"""


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("cli")
    url = f"sqlite:///{folder / 'demo.db'}"
    proc = cli("--db", url, "init", "--demo", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert "PIN" in proc.stdout
    return folder, url


def test_cli_init_demo_then_check(demo_db):
    folder, url = demo_db
    proc = cli("--db", url, "check", cwd=folder)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("ledger ok: ")
    assert proc.stderr == ""


def test_cli_stock_csv(demo_db):
    import csv
    import io

    folder, url = demo_db
    proc = cli("--db", url, "stock", "--csv", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert list(rows[0]) == ["client", "sku", "name", "on_hand", "reserved", "available", "receiving",
                             "quarantine", "elsewhere"]
    assert len(rows) >= 100
    assert all(int(r["available"]) == int(r["on_hand"]) - int(r["reserved"]) for r in rows)
    assert sum(int(r["on_hand"]) for r in rows) > 0
    assert [r["sku"] for r in rows] == sorted(r["sku"] for r in rows)
    proc = cli("--db", url, "stock", "--client", "NOSUCH", cwd=folder)
    assert _one_line_error(proc) == "error: no client 'NOSUCH'"


def _new_database(url: str) -> str:
    db.open_database(url, create=True)  # what `init` does: commands never create one
    db.close()
    return url


def test_cli_client_add_twice_is_a_conflict(tmp_path):
    url = _new_database(f"sqlite:///{tmp_path / 'c.db'}")
    proc = cli("--db", url, "client", "add", "north", "--name", "North Goods", cwd=tmp_path)
    assert (proc.returncode, proc.stdout.strip()) == (0, "client NORTH added")
    proc = cli("--db", url, "client", "add", "NORTH", "--name", "Other", cwd=tmp_path)
    assert _one_line_error(proc) == "error: client NORTH exists already"
    proc = cli("--db", url, "client", "list", cwd=tmp_path)
    assert proc.stdout.strip().splitlines() == ["NORTH\tNorth Goods"]


def _products(url: str) -> list[tuple]:
    db.open_database(url, create=True)
    try:
        return [tuple(r) for r in db.execute(
            "SELECT p.sku, b.code, b.kind, b.pack_qty FROM product p LEFT JOIN product_barcode b "
            "ON b.product_id = p.id ORDER BY p.sku, b.code").fetchall()]
    finally:
        db.close()


def test_cli_import_products(tmp_path):
    url = _new_database(f"sqlite:///{tmp_path / 'p.db'}")
    assert cli("--db", url, "client", "add", "ACME", "--name", "Acme", cwd=tmp_path).returncode == 0
    good = tmp_path / "products.csv"
    good.write_text(GOOD_CSV)
    proc = cli("--db", url, "import", "products", str(good), "--client", "acme", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "products: 2 created, 0 updated, 5 barcodes linked"
    assert _products(url) == [
        ("LAMP-1", None, None, None),
        ("TENT-1", "00012345678905", "upc", 1),
        ("TENT-1", "04006381333931", "ean", 1),
        ("TENT-1", "10012345678902", "case", 12),
        ("TENT-1", "ALIAS-TENT", "alias", 1),
        ("TENT-1", "X00TENT001", "fnsku", 1),
    ]
    # A UPC-A scanned as EAN-13 and the case code find the product.
    db.open_database(url, create=True)
    try:
        from app.catalog import scan

        assert scan.resolve("0012345678905").label == "TENT-1"
        case = scan.resolve("10012345678902")
        assert (case.label, case.pack_qty) == ("TENT-1", 12)
    finally:
        db.close()
    # Importing again updates, links nothing new.
    proc = cli("--db", url, "import", "products", str(good), "--client", "ACME", cwd=tmp_path)
    assert proc.stdout.strip() == "products: 0 created, 2 updated, 0 barcodes linked"


@pytest.mark.parametrize(("content", "client", "expected"), [
    ("sku,barcode\nX-1,012345678905\n", "ACME",
     "error: product file rejected, nothing imported: line 1: missing column(s) name"),
    ("sku,name,weight_kg\nX-1,Thing,1.0\nX-2,Other,heavy\n", "ACME",
     "error: product file rejected, nothing imported: line 3: weight_kg 'heavy' is not a number"),
    ("sku,name,case_barcode,case_qty\nX-1,Thing,10012345678902,twelve\n", "ACME",
     "error: product file rejected, nothing imported: line 2: case_qty 'twelve' is not a whole number"),
    ("sku,name\nX-1,Thing\n", "NOBODY", "error: no client 'NOBODY'"),
    ("sku,name,barcode\nX-1,Thing,4006381333931\nX-2,Other,4006381333931\n", "ACME",
     "error: product file rejected, nothing imported: line 3: barcode 4006381333931 also on line 2"),
    ("", "ACME", "error: product file rejected, nothing imported: line 1: the file is empty"),
])
def test_cli_import_bad_products_imports_nothing(tmp_path, content, client, expected):
    url = _new_database(f"sqlite:///{tmp_path / 'p.db'}")
    assert cli("--db", url, "client", "add", "ACME", "--name", "Acme", cwd=tmp_path).returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    proc = cli("--db", url, "import", "products", str(bad), "--client", client, cwd=tmp_path)
    assert _one_line_error(proc) == expected
    assert _products(url) == []


def test_cli_import_missing_file(tmp_path):
    url = _new_database(f"sqlite:///{tmp_path / 'p.db'}")
    proc = cli("--db", url, "import", "products", str(tmp_path / "nope.csv"), "--client", "ACME", cwd=tmp_path)
    assert _one_line_error(proc) == f"error: no such file: {tmp_path / 'nope.csv'}"


def _mangled_database(tmp_path) -> Path:
    """A real PrepDesk database whose ``stock_move`` table page was overwritten with noise."""

    path = tmp_path / "mangled.db"
    db.open_database(f"sqlite:///{path}", create=True)
    db.close()
    return _mangle_table(path, "stock_move")


def _mangle_table(path: Path, table: str) -> Path:
    """Overwrite ``table``'s root page of the database at ``path`` with noise."""
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    con = sqlite3.connect(path)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    con.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    offset = (root - 1) * page_size
    data[offset:offset + page_size] = bytes(random.Random(1).randrange(256) for _ in range(page_size))
    path.write_bytes(bytes(data))
    con = sqlite3.connect(path)
    assert con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] > 0  # the schema still reads
    con.close()
    return path


def test_a_damaged_file_is_refused_with_one_line(tmp_path):
    path = _mangled_database(tmp_path)
    with pytest.raises(DatabaseUnavailable) as info:
        db.open_database(f"sqlite:///{path}", create=True)
    message = str(info.value)
    assert message.startswith(("database file is damaged: ", f"cannot open database sqlite:///{path}: "))
    assert "\n" not in message
    assert "restore the last backup with 'prepdesk restore FILE'" in message  # what to do about it


def test_check_finds_damage_in_a_large_file(tmp_path, monkeypatch, capsys):
    # Large files skip the full page check at start-up; `check` always runs it.
    from app import cli

    path = _mangled_database(tmp_path)
    monkeypatch.setattr(db, "QUICK_CHECK_MAX_BYTES", 0)
    try:
        db.open_database(f"sqlite:///{path}", migrate=False, create=True)
        assert db.integrity_problems()
    except DatabaseUnavailable:
        pass  # the damage was bad enough to fail while opening: also fine
    finally:
        db.close()
    code = cli.main(["--db", f"sqlite:///{path}", "check"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(err) == 1 and "damaged" in err[0]


def test_integrity_of_a_sound_database(database):
    assert db.integrity_problems() == []


def test_odd_sqlite_paths(tmp_path, monkeypatch):
    (tmp_path / "folder.db").mkdir()
    with pytest.raises(DatabaseUnavailable, match=r"^'.*folder.db' is a folder, not a database file$"):
        db.open_database(f"sqlite:///{tmp_path / 'folder.db'}", create=True)
    with pytest.raises(DatabaseUnavailable, match="File name too long"):
        db.open_database(f"sqlite:///{tmp_path / ('x' * 300)}.db", create=True)
    monkeypatch.setenv("HOME", str(tmp_path))
    db.open_database("sqlite:///~/home.db", create=True)
    try:
        assert db.database.obj.database == str(tmp_path / "home.db")
    finally:
        db.close()
    assert (tmp_path / "home.db").is_file()


# --- PostgreSQL restarted under a running station ---------------------------------------


def _kill_my_connection() -> None:
    """What a server restart does to this station's connection (the other stations' tests
    on the same server are left alone: only our own backend is terminated)."""
    from tests.conftest import _pg_admin_connect

    pid = db.execute("SELECT pg_backend_pid()").fetchone()[0]
    admin = _pg_admin_connect()
    try:
        with admin.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
            assert cur.fetchone()[0] is True
    finally:
        admin.close()


@pytest.mark.parametrize("database", ["pg"], indirect=True)
def test_a_lost_postgresql_connection_reconnects(database, world):
    from peewee import InterfaceError, OperationalError

    from app import inventory, ledger

    p = world.product("LOST-1")
    world.stock(p.id, "A-01-01", 5)
    a1, a2 = ledger.location("A-01-01").id, ledger.location("A-01-02").id
    # Idle through a restart: the next read just works (retried once on a new connection).
    _kill_my_connection()
    assert ledger.on_hand(p.id, "A-01-01") == 5
    # ... and so does the next write (its BEGIN finds the connection gone, outside any work).
    _kill_my_connection()
    inventory.transfer(p.id, "A-01-01", "A-01-02", 1, actor=world.actor)
    # Lost in the middle of a write: that unit of work is refused with the database's own
    # error (not a confusing rollback error), nothing of it is kept ...
    with pytest.raises((OperationalError, InterfaceError)) as info:
        with db.write():
            ledger.apply_move(p.id, a1, a2, 1, kind="transfer", actor=world.actor)
            _kill_my_connection()
            ledger.apply_move(p.id, a1, a2, 1, kind="transfer", actor=world.actor)
    assert db.connection_lost(info.value), info.value
    assert "rollback" not in str(info.value).lower()
    # ... and the next action reconnects and finds the ledger as it was before.
    assert (ledger.on_hand(p.id, "A-01-01"), ledger.on_hand(p.id, "A-01-02")) == (4, 1)
    inventory.transfer(p.id, "A-01-01", "A-01-02", 2, actor=world.actor)
    assert (ledger.on_hand(p.id, "A-01-01"), ledger.on_hand(p.id, "A-01-02")) == (2, 3)
    assert ledger.check().ok


def test_only_a_lost_connection_counts_as_lost():
    from peewee import IntegrityError, InterfaceError, OperationalError

    assert db.connection_lost(OperationalError("server closed the connection unexpectedly"))
    assert db.connection_lost(InterfaceError("connection already closed"))
    assert not db.connection_lost(OperationalError("deadlock detected"))
    assert not db.connection_lost(IntegrityError("duplicate key value"))


def test_cli_meets_a_damaged_page_mid_command_with_one_line(tmp_path, monkeypatch, capsys):
    # A file too big for the start-up page check, damaged where the command writes.
    from app import catalog, cli
    from app.kernel.actor import Actor

    monkeypatch.setattr(db, "QUICK_CHECK_MAX_BYTES", 0)
    path = tmp_path / "mangled.db"
    db.open_database(f"sqlite:///{path}", create=True)
    catalog.add_client("ACME", "Acme")
    catalog.add_product("ACME", "TENT-1", "Tent", actor=Actor.system())
    db.close()
    _mangle_table(path, "stock_move")
    code = cli.main(["--db", f"sqlite:///{path}", "adjust", "TENT-1", "--bin", "RECEIVING",
                     "--qty", "5", "--reason", "found"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1, err
    assert len(err) == 1 and "Traceback" not in err[0]
    assert err[0].startswith("error: the database file is damaged (database disk image is malformed)")


@pytest.mark.parametrize(("readable", "expected"), [
    (True, "is read-only for this user; PrepDesk needs to write to it"),
    (False, "cannot be read by this user"),
])
def test_a_file_this_user_may_not_write_or_read(tmp_path, monkeypatch, readable, expected):
    # (CI runs as root, whom chmod does not stop: the permission answer is simulated.)
    path = tmp_path / "ro.db"
    db.open_database(f"sqlite:///{path}", create=True)
    db.close()
    real_access = os.access

    def access(p, mode):
        if Path(p) == path:
            return readable and not mode & os.W_OK
        return real_access(p, mode)

    monkeypatch.setattr(os, "access", access)
    with pytest.raises(DatabaseUnavailable) as info:
        db.open_database(f"sqlite:///{path}", create=True)
    assert str(info.value) == f"database file {str(path)!r} {expected}"


# --- URL options and passwords (issue "Installable") -------------------------------------

def test_query_options_reach_the_driver():
    options = db.postgresql_options(
        "postgresql://pack%40wh@db.example:6543/prep?sslmode=require&application_name=pack1")
    assert options == {"database": "prep", "user": "pack@wh", "host": "db.example", "port": 6543,
                       "connect_timeout": 5, "sslmode": "require", "application_name": "pack1"}
    # given in the URL, an option overrides our default
    assert db.postgresql_options("postgresql://h/d?connect_timeout=20")["connect_timeout"] == "20"


def test_no_password_in_the_url_leaves_it_to_pgpass():
    # libpq then reads ~/.pgpass or the file PGPASSFILE names
    assert "password" not in db.postgresql_options("postgresql://pack1@h/d")
    assert db.postgresql_options("postgresql://pack1:s%3Acret@h/d")["password"] == "s:cret"


def test_an_option_twice_is_refused():
    with pytest.raises(DatabaseUnavailable, match="'sslmode' given twice"):
        db.postgresql_options("postgresql://h/d?sslmode=require&sslmode=disable")


def test_make_database_passes_the_options():
    database = db.make_database("postgresql://u@h/d?sslmode=require&application_name=pack1")
    assert database.database == "d"
    assert database.connect_params["sslmode"] == "require"
    assert database.connect_params["application_name"] == "pack1"


def test_sqlite_urls_take_no_options(tmp_path):
    with pytest.raises(DatabaseUnavailable, match="take no options"):
        db.make_database(f"sqlite:///{tmp_path}/x.db?mode=ro")


def test_describe_hides_passwords_in_options_too():
    assert db.describe("postgresql://u:pw@h/d?sslmode=require") == "postgresql://u:***@h/d?sslmode=require"
    assert (db.describe("postgresql://u@h/d?password=pw&application_name=a")
            == "postgresql://u@h/d?password=***&application_name=a")


def test_the_data_folder_is_the_platforms(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("PREPDESK_DB", raising=False)
    assert db.user_data_dir() == tmp_path / "prepdesk"
    assert db.default_url() == "sqlite:///" + str(tmp_path / "prepdesk" / "prepdesk.db")


@pytest.mark.pg
def test_application_name_shows_in_pg_stat_activity():
    from tests.conftest import PG_URL

    if not PG_URL:
        pytest.skip("PREPDESK_TEST_PG_URL not set")
    separator = "&" if "?" in PG_URL else "?"
    database = db.make_database(f"{PG_URL}{separator}application_name=pack1")
    database.connect()
    try:
        name = database.execute_sql(
            "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()").fetchone()[0]
    finally:
        database.close()
    assert name == "pack1"
