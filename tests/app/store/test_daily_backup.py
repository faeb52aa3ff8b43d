"""The daily automatic copy: named by date, taken once a day, old ones removed; pg_dump on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess

import pytest

from app.catalog import users
from app.cli import main
from app.kernel.actor import Actor
from app.kernel.errors import ValidationError
from app.store import backup, db
from app.store.settings import set_setting


def _clients(path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT code FROM client ORDER BY code")]
    finally:
        con.close()


def test_one_copy_a_day_and_old_ones_removed(sqlite_world, frozen_clock, tmp_path, supervisor):
    folder = tmp_path / "copies"
    set_setting("backup_dir", str(folder), actor=supervisor)
    set_setting("backup_keep_days", "3", actor=supervisor)
    path, made, removed = backup.daily_backup()
    assert (path.name, made, removed) == ("prepdesk-2026-03-02.db", True, [])
    assert _clients(path) == ["ACME"]
    assert backup.daily_backup() == (path, False, [])  # the second start that day copies nothing
    stranger = folder / "notes.txt"
    stranger.write_text("not a backup")
    for day in range(3, 7):
        frozen_clock.current = dt.datetime(2026, 3, day, 7, 0)
        backup.daily_backup()
    names = sorted(p.name for p in folder.iterdir())
    # Three days kept (4, 5 and 6 March); the 2nd and 3rd removed; someone else's file left alone.
    assert names == ["notes.txt", "prepdesk-2026-03-04.db", "prepdesk-2026-03-05.db", "prepdesk-2026-03-06.db"]


def test_backup_auto_from_the_command_line(sqlite_world, frozen_clock, tmp_path, capsys, supervisor):
    set_setting("backup_dir", str(tmp_path / "nightly"), actor=supervisor)
    url = sqlite_world.db.url
    db.close()
    assert main(["--db", url, "backup", "--auto"]) == 0
    assert main(["--db", url, "backup", "--auto"]) == 0
    out = capsys.readouterr().out.splitlines()
    target = tmp_path / "nightly" / "prepdesk-2026-03-02.db"
    assert out == [f"backup written to {target}", f"today's backup is there already: {target}"]
    db.connect(url)


def test_default_folder_is_beside_the_database(sqlite_world, frozen_clock, tmp_path):
    path, made, _ = backup.daily_backup()
    assert made and path == tmp_path / "backups" / "prepdesk-2026-03-02.db"


def test_postgresql_backup_through_pg_dump(world, tmp_path, monkeypatch):
    if not world.db.is_pg:
        pytest.skip("pg_dump is for PostgreSQL")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ValidationError, match="^pg_dump is not installed on this computer"):
        backup.backup(tmp_path / "x.dump")
    monkeypatch.undo()
    if shutil.which("pg_dump") is None:
        pytest.skip("no pg_dump here")
    out = backup.backup(tmp_path / "wh.dump")
    assert out.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format, read back by pg_restore
    listing = subprocess.run(["pg_restore", "--list", str(out)], capture_output=True, text=True)
    assert "TABLE DATA public client" in listing.stdout


@pytest.mark.parametrize("value", ["abc", "0", "-3", "99999999999", "3.5", ""])
def test_backup_keep_days_is_checked_like_the_other_known_keys(database, capsys, monkeypatch, value):
    users.create_user("sue", "supervisor", "1111", actor=Actor.system())
    monkeypatch.setenv("PREPDESK_USER", "sue")
    monkeypatch.setenv("PREPDESK_PIN", "1111")
    url = database.url
    assert main(["--db", url, "setting", "set", "backup_keep_days", "30"]) == 0
    assert main(["--db", url, "setting", "set", "backup_keep_days", value]) == 2
    out, err = capsys.readouterr()
    assert out == "backup_keep_days = 30\n"
    assert err == ("error: backup keep days must be a whole number of days from 1 to 3650, "
                   f"not {value.strip()!r}\n")
    db.connect(url, migrate=False)
    assert backup.keep_days() == 30  # nothing stored


def test_keep_days_stored_unchecked_by_an_older_version(database, supervisor):
    for stored, kept in (("abc", 14), ("0", 14), ("99999999999", 3650), ("45", 45)):
        db.execute("INSERT INTO setting (key, value) VALUES ('backup_keep_days', ?) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (stored,))
        assert backup.keep_days() == kept
