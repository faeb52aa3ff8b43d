"""A command run in a test the way a shell runs it, on the test's database."""

from __future__ import annotations

from app import cli
from app.store import db


def run_cli(database, capsys, *argv: str) -> tuple[int, str, str]:
    """``main.py --db URL ARGV...`` on ``database`` as its own process would (the test's
    connection closed meanwhile, opened again after): exit code, stdout, stderr."""
    db.close()
    code = cli.main(["--db", database.url, *argv])
    out, err = capsys.readouterr()
    db.connect(database.url)
    return code, out, err
