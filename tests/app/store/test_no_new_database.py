"""A missing or empty SQLite file is never made into a warehouse except by ``init``."""

from __future__ import annotations

import pytest

from app.cli import main
from app.store import db


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
