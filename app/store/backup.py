"""Consistent copies of a SQLite station database, and restoring one (checked before it replaces)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from app.kernel.errors import DatabaseUnavailable, ValidationError
from app.store import db


def backup(out: str | Path) -> Path:
    """Copy the open SQLite database with SQLite's online backup (safe while stations work)."""
    if not db.is_sqlite():
        raise ValidationError("backup copies a SQLite database; back a PostgreSQL server up with pg_dump")
    out = Path(out).expanduser()
    if out.is_dir():
        raise ValidationError(f"{out} is a folder: name the backup file, e.g. {out / 'prepdesk-backup.db'}")
    if not out.parent.is_dir():
        raise ValidationError(f"folder {out.parent} does not exist")
    if _same_file(out, db.database.obj.database):
        raise ValidationError(f"{out} is the database itself: choose another file")
    tmp = out.with_suffix(out.suffix + ".part")
    src = db.database.obj.connection()
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
        os.replace(tmp, out)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationError(f"cannot write backup {out}: {getattr(exc, 'strerror', None) or exc}") from None
    return out


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def restore(file: str | Path, url: str) -> str:
    """Replace the database at ``url`` by ``file`` after checking the file is a sound PrepDesk database.

    Raises:
        ValidationError: no such file, not a SQLite URL, the file is the database itself,
            or the target cannot be written.
        DatabaseUnavailable: the file is not a sound PrepDesk database (nothing replaced).
    """
    file = Path(file).expanduser()
    if not file.is_file():
        raise ValidationError(f"no such file: {file}")
    if not url.startswith("sqlite:///"):
        raise ValidationError("restore replaces a SQLite database; restore PostgreSQL with pg_restore")
    target = Path(os.path.expanduser(url[len("sqlite:///"):]))
    if _same_file(file, target):
        raise ValidationError(f"{file} is the database itself: nothing to restore")
    try:
        # A URI (percent-encoded, read-only), so odd characters in the name cannot change its meaning.
        con = sqlite3.connect(file.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0]
            has = con.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_version'").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnavailable(f"{file} is not a database: {exc}") from None
    if ok != "ok" or not has:
        raise DatabaseUnavailable(f"{file} is not a sound PrepDesk database")
    tmp = target.with_suffix(target.suffix + ".restoring")
    try:
        shutil.copyfile(file, tmp)
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationError(f"cannot restore into {target}: {exc.strerror or exc}") from None
    return str(target)
