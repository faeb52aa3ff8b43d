"""Consistent copies of a SQLite station database, and restoring one (checked before it replaces)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from app import db
from app.errors import DatabaseUnavailable, ValidationError


def backup(out: str | Path) -> Path:
    """Copy the open SQLite database with SQLite's online backup (safe while stations work)."""
    if not db.is_sqlite():
        raise ValidationError("backup copies a SQLite database; back a PostgreSQL server up with pg_dump")
    out = Path(out)
    if not out.parent.is_dir():
        raise ValidationError(f"folder {out.parent} does not exist")
    tmp = out.with_suffix(out.suffix + ".part")
    src = db.database.obj.connection()
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst)
    finally:
        dst.close()
    os.replace(tmp, out)
    return out


def restore(file: str | Path, url: str) -> str:
    """Replace the database at ``url`` by ``file`` after checking the file is a sound PrepDesk database."""
    file = Path(file)
    if not file.is_file():
        raise ValidationError(f"no such file: {file}")
    if not url.startswith("sqlite:///"):
        raise ValidationError("restore replaces a SQLite database; restore PostgreSQL with pg_restore")
    try:
        con = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0]
            has = con.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_version'").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnavailable(f"{file} is not a database: {exc}") from None
    if ok != "ok" or not has:
        raise DatabaseUnavailable(f"{file} is not a sound PrepDesk database")
    target = Path(url[len("sqlite:///"):])
    tmp = target.with_suffix(target.suffix + ".restoring")
    shutil.copyfile(file, tmp)
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(tmp, target)
    return str(target)
