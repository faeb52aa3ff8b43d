"""Backups of a SQLite station database and restoring one (only a sound PrepDesk file)."""

from __future__ import annotations

import sqlite3

import pytest

from app import inventory, ledger
from app.kernel.errors import DatabaseUnavailable, ValidationError
from app.store import backup, db


def test_backup_and_restore_round_trip(sqlite_world, tmp_path):
    world = sqlite_world
    p = world.product("TENT-1", barcode="012345678905")
    world.stock(p.id, "A-01-01", 10)
    out = backup.backup(tmp_path / "copy.db")
    assert out == tmp_path / "copy.db"
    assert not (tmp_path / "copy.db.part").exists()
    # Work goes on after the backup...
    inventory.transfer(p.id, "A-01-01", "A-01-02", 4, actor=world.actor)
    world.product("LAMP-1")
    db.close()
    # ...and restoring brings the database back to the moment of the backup.
    target = backup.restore(out, world.db.url)
    assert target == world.db.url[len("sqlite:///"):]
    db.open_database(world.db.url)
    assert ledger.on_hand(p.id, "A-01-01") == 10
    assert ledger.on_hand(p.id, "A-01-02") == 0
    assert [r.sku for r in ledger.stock_rows()] == ["TENT-1"]
    assert db.execute("SELECT COUNT(*) FROM stock_move").fetchone()[0] == 1
    assert ledger.check().ok


def test_backup_refuses_a_missing_folder(sqlite_database, tmp_path):
    with pytest.raises(ValidationError, match="does not exist"):
        backup.backup(tmp_path / "nowhere" / "copy.db")


@pytest.mark.parametrize("content", [b"\x00\x01garbage" * 1000, b"just some text\n", b""])
def test_restore_refuses_a_bad_file(sqlite_database, tmp_path, content):
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    before = (tmp_path / "prepdesk.db").read_bytes()
    with pytest.raises(DatabaseUnavailable) as info:
        backup.restore(bad, sqlite_database.url)
    assert "\n" not in str(info.value)
    assert (tmp_path / "prepdesk.db").read_bytes() == before


def test_restore_refuses_a_sqlite_file_that_is_not_prepdesk(sqlite_database, tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (x TEXT)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseUnavailable, match="is not a sound PrepDesk database"):
        backup.restore(other, sqlite_database.url)


def test_restore_refuses_a_missing_file_and_postgres(sqlite_database, tmp_path):
    with pytest.raises(ValidationError, match="no such file"):
        backup.restore(tmp_path / "nope.db", sqlite_database.url)
    copy = backup.backup(tmp_path / "copy.db")
    with pytest.raises(ValidationError, match="pg_restore"):
        backup.restore(copy, "postgresql://127.0.0.1/x")


def test_cli_backup_and_restore(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    main = Path(__file__).resolve().parents[3] / "main.py"
    url = f"sqlite:///{tmp_path / 'st.db'}"

    def run(*args):
        return subprocess.run([sys.executable, str(main), "--db", url, *args], capture_output=True, text=True,
                              cwd=tmp_path, timeout=120)

    assert run("init").returncode == 0
    assert run("client", "add", "ACME", "--name", "Acme").returncode == 0
    proc = run("backup", "--out", str(tmp_path / "b.db"))
    assert (proc.returncode, proc.stdout.strip()) == (0, f"backup written to {tmp_path / 'b.db'}")
    assert run("client", "add", "BETA", "--name", "Beta").returncode == 0
    proc = run("restore", str(tmp_path / "b.db"))
    assert proc.returncode == 0, proc.stderr
    assert run("client", "list").stdout.strip().splitlines() == ["ACME\tAcme"]
    (tmp_path / "junk.db").write_text("junk")
    proc = run("restore", str(tmp_path / "junk.db"))
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert run("client", "list").stdout.strip().splitlines() == ["ACME\tAcme"]


def test_backup_and_restore_refuse_odd_targets(sqlite_database, tmp_path):
    (tmp_path / "folder").mkdir()
    with pytest.raises(ValidationError, match="is a folder: name the backup file"):
        backup.backup(tmp_path / "folder")
    assert not (tmp_path / "folder.part").exists()
    with pytest.raises(ValidationError, match="is the database itself"):
        backup.backup(tmp_path / "prepdesk.db")
    with pytest.raises(ValidationError, match="is the database itself"):
        backup.restore(tmp_path / "prepdesk.db", sqlite_database.url)
    odd = backup.backup(tmp_path / "odd name #1?.db")
    db.close()
    assert backup.restore(odd, sqlite_database.url) == str(tmp_path / "prepdesk.db")
    with pytest.raises(ValidationError, match="cannot restore into"):
        backup.restore(odd, f"sqlite:///{tmp_path}/nowhere/x.db")
    db.open_database(sqlite_database.url)


def test_backup_never_overwrites_a_database_in_use(sqlite_database, tmp_path):
    from app.store import station_lock

    live = tmp_path / "w.db"
    con = sqlite3.connect(live)
    con.execute("PRAGMA journal_mode = wal")
    con.execute("CREATE TABLE notes (x TEXT)")
    con.execute("INSERT INTO notes VALUES ('keep me')")
    con.commit()
    marker = station_lock.hold(live, who="receiving station (Rita Receiver)")
    with pytest.raises(DatabaseUnavailable) as info:
        backup.backup(live)
    assert str(info.value) == (f"backup refused: {live} is open at receiving station (Rita Receiver) on "
                               f"{__import__('socket').gethostname()}, process {__import__('os').getpid()}: "
                               "choose another file")
    marker.release()
    # No station, but another program has it open: its -wal is beside it.
    with pytest.raises(ValidationError, match=r"^backup refused: .*w\.db is a database in use \(w\.db-wal"):
        backup.backup(live)
    con.close()
    # Closed everywhere, but still a working database (WAL mode), never a backup.
    with pytest.raises(ValidationError, match=r"^backup refused: .*w\.db is a working database, not a backup"):
        backup.backup(live)
    assert not (tmp_path / "w.db.part").exists()
    con = sqlite3.connect(live)
    assert con.execute("SELECT x FROM notes").fetchall() == [("keep me",)]
    con.close()
    text = tmp_path / "notes.txt"
    text.write_text("shopping list\n")
    with pytest.raises(ValidationError, match="exists and is not a PrepDesk backup"):
        backup.backup(text)
    assert text.read_text() == "shopping list\n"


def test_backup_replaces_a_previous_backup(sqlite_world, tmp_path):
    world = sqlite_world
    out = backup.backup(tmp_path / "copy.db")
    world.product("LAMP-1")
    assert backup.backup(out) == out
    con = sqlite3.connect(out)
    try:
        assert con.execute("SELECT COUNT(*) FROM product WHERE sku = 'LAMP-1'").fetchone()[0] == 1
    finally:
        con.close()
    assert not (tmp_path / "copy.db-wal").exists()
