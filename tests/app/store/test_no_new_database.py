"""A missing or empty SQLite file is never made into a warehouse except by ``init``."""

from __future__ import annotations

import sqlite3

import psycopg2
import pytest

from app.cli import main
from app.store import db
from tests.conftest import PG_URL
from tests.support.pg import throwaway_pg_database


@pytest.mark.parametrize("empty_file", [False, True])
@pytest.mark.parametrize("command", [["stock"], ["client", "list"], ["check"],
                                     ["adjust", "X-1", "--bin", "A-01", "--qty=-7", "--reason", "count"]])
def test_a_command_refuses_a_missing_database_and_creates_nothing(tmp_path, capsys, command, empty_file):
    path = tmp_path / "typo.db"
    if empty_file:
        path.write_bytes(b"")
    code = main(["--db", f"sqlite:///{path}", *command])
    err = capsys.readouterr().err
    assert code == 1
    assert err == f"error: no database at {path}: run `prepdesk init` to create one (or check --db)\n"
    assert path.exists() == empty_file and (not empty_file or path.stat().st_size == 0)
    assert sorted(p.name for p in tmp_path.iterdir()) == (["typo.db"] if empty_file else [])


def test_init_creates_it_and_then_commands_work(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert main(["--db", url, "init"]) == 0
    assert main(["--db", url, "client", "add", "ACME", "--name", "Acme"]) == 0
    assert main(["--db", url, "client", "list"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "ACME\tAcme"


def test_open_database_says_no_database_unless_asked_to_create(tmp_path):
    path = tmp_path / "x.db"
    with pytest.raises(db.NoDatabase, match="no database at"):
        db.open_database(f"sqlite:///{path}")
    assert not path.exists()
    db.open_database(f"sqlite:///{path}", create=True)
    db.close()
    db.open_database(f"sqlite:///{path}")  # it exists now
    db.close()


def test_another_programs_sqlite_file_is_no_warehouse_and_is_left_alone(tmp_path, capsys):
    path = tmp_path / "notes.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE note (text TEXT)")
    con.execute("INSERT INTO note VALUES ('keep me')")
    con.commit()
    con.close()
    assert main(["--db", f"sqlite:///{path}", "stock"]) == 1
    assert capsys.readouterr().err == (f"error: no PrepDesk warehouse in {path}: run `prepdesk init` to create "
                                       "one (or check --db)\n")
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT name FROM sqlite_master").fetchall() == [("note",)]
        assert con.execute("SELECT text FROM note").fetchall() == [("keep me",)]
    finally:
        con.close()


@pytest.fixture
def empty_pg_database():
    """A PostgreSQL database that exists and holds nothing (a mistyped name, the server's own)."""
    if not PG_URL:
        pytest.skip("PREPDESK_TEST_PG_URL not set")
    with throwaway_pg_database(PG_URL, "prepdesk_empty") as url:
        yield url


def _tables(url: str) -> list[str]:
    con = psycopg2.connect(url, connect_timeout=5)
    try:
        with con.cursor() as cur:
            cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
            return sorted(name for (name,) in cur.fetchall())
    finally:
        con.close()


@pytest.mark.pg
@pytest.mark.parametrize("command", [["stock"], ["check"], ["client", "add", "ACME", "--name", "Acme"]])
def test_a_command_on_an_empty_postgresql_database_makes_no_warehouse_there(empty_pg_database, capsys, command):
    assert main(["--db", empty_pg_database, *command]) == 1
    assert capsys.readouterr().err == (f"error: no PrepDesk warehouse in {empty_pg_database}: run `prepdesk init` "
                                       "to create one (or check --db)\n")
    assert _tables(empty_pg_database) == []
    with pytest.raises(db.NoDatabase):
        db.open_database(empty_pg_database)
    assert _tables(empty_pg_database) == []


@pytest.mark.pg
def test_init_makes_the_warehouse_on_an_empty_postgresql_database(empty_pg_database, capsys):
    assert main(["--db", empty_pg_database, "init"]) == 0
    assert "schema_version" in _tables(empty_pg_database)
    assert main(["--db", empty_pg_database, "stock"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 products"
