"""Consistent copies of a SQLite station database, and restoring one (checked, and only with no station open)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from app.kernel.errors import DatabaseUnavailable, ValidationError
from app.store import db, station_lock


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

    Only while no station has the database open: the restore holds the stations' marker
    exclusively (``station_lock``: no station is open, none can open meanwhile) and checks
    that no other program is in a write (``BEGIN EXCLUSIVE``). The backup is then copied
    with SQLite's backup API *into* the live file, in one step under the database's own
    write lock, never by unlinking and renaming files (a connection left open on the old
    file would go on writing into a deleted file, and its work would be lost unseen).

    Raises:
        ValidationError: no such file, not a SQLite URL, the file is the database itself,
            or the target cannot be written.
        DatabaseUnavailable: the file is not a sound PrepDesk database, or a station (named
            when it can be) or another program has the database open (nothing replaced).
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
        con = sqlite3.connect(_read_only_uri(file), uri=True)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0]
            has = con.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_version'").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnavailable(f"{file} is not a database: {exc}") from None
    if ok != "ok" or not has:
        raise DatabaseUnavailable(f"{file} is not a sound PrepDesk database")
    try:
        with station_lock.exclusive(target):
            _copy_into(file, target)
    except (OSError, sqlite3.Error) as exc:
        raise ValidationError(f"cannot restore into {target}: "
                              f"{getattr(exc, 'strerror', None) or db.first_line(exc)}") from None
    return str(target)


# How long a restore waits for another program's write to end before it gives up.
RESTORE_BUSY_MS = 2000


def _read_only_uri(file: Path) -> str:
    return file.resolve().as_uri() + "?mode=ro"


def _copy_into(file: Path, target: Path) -> None:
    src = sqlite3.connect(_read_only_uri(file), uri=True)
    try:
        # Autocommit mode: the transactions below are the ones written, nothing implicit.
        dst = sqlite3.connect(target, isolation_level=None)
        try:
            dst.execute(f"PRAGMA busy_timeout = {RESTORE_BUSY_MS}")
            try:
                # A program that is not a station (no marker) may be in a write: wait for it
                # or give up. The backup API cannot start while this connection is in a
                # transaction, so the lock is let go and the backup takes it again at once.
                dst.execute("BEGIN EXCLUSIVE")
                dst.execute("ROLLBACK")
            except sqlite3.OperationalError as exc:
                raise DatabaseUnavailable(f"restore refused: another program is writing to {target} "
                                          f"({db.first_line(exc)}): stop it first") from None
            src.backup(dst)  # every page in one step, under the destination's write lock
            dst.execute("PRAGMA journal_mode = wal")
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    finally:
        src.close()
