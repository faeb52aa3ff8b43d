"""Consistent copies of the database (SQLite's backup API, or pg_dump), the daily automatic
copy with its retention, and restoring a SQLite one (checked, and only with no station open)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from app.kernel import clock
from app.kernel.errors import DatabaseUnavailable, ValidationError
from app.store import db, station_lock, urls
from app.store.settings import BACKUP_KEEP_DAYS_KEY, MAX_KEEP_DAYS, get_setting

DEFAULT_KEEP_DAYS = 14
PG_DUMP_TIMEOUT_S = 3600


def backup(out: str | Path) -> Path:
    """Copy the open database to ``out``: SQLite's online backup (safe while stations work),
    or on PostgreSQL ``pg_dump`` in its custom format (``pg_restore`` reads it).

    A SQLite backup goes to a new file, or replaces a previous backup nobody has open; it
    never replaces a database in use (see :func:`_check_target`). The copy is written in
    SQLite's rollback-journal mode, which is how a backup is told from a working database
    (PrepDesk opens every database in WAL mode).
    """
    if not db.is_sqlite():
        return _pg_dump(Path(out).expanduser())
    out = Path(out).expanduser()
    if out.is_dir():
        raise ValidationError(f"{out} is a folder: name the backup file, e.g. {out / 'prepdesk-backup.db'}")
    if not out.parent.is_dir():
        raise ValidationError(f"folder {out.parent} does not exist")
    if _same_file(out, db.database.obj.database):
        raise ValidationError(f"{out} is the database itself: choose another file")
    held = out.exists() and station_lock.lock_path(out).exists()
    # A file a station once opened has its marker beside it: held while it is replaced,
    # so none can open it meanwhile (and one that has it open is named).
    with (station_lock.exclusive(out, action="backup", advice="choose another file") if held
          else contextlib.nullcontext()):
        _check_target(out)
        _write_copy(out)
    return out


_SQLITE_HEADER = b"SQLite format 3\x00"
_WAL_MODE = 2  # the file format's read/write version bytes (offsets 18 and 19) in WAL mode


def _check_target(out: Path) -> None:
    """Refuse an existing ``out`` unless it is a previous backup: a database in use (WAL mode,
    or its -wal/-shm beside it) or any other file is never overwritten."""
    if not out.exists():
        return
    for suffix in ("-wal", "-shm"):
        if Path(f"{out}{suffix}").exists():
            raise ValidationError(f"backup refused: {out} is a database in use ({out.name}{suffix} "
                                  "is beside it): choose another file")
    try:
        with open(out, "rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise ValidationError(f"cannot write backup {out}: {exc.strerror or exc}") from None
    if not header.startswith(_SQLITE_HEADER):
        raise ValidationError(f"backup refused: {out} exists and is not a PrepDesk backup: choose another file")
    if len(header) < 20 or _WAL_MODE in (header[18], header[19]):
        raise ValidationError(f"backup refused: {out} is a working database, not a backup: "
                              "choose another file")


def _write_copy(out: Path) -> None:
    tmp = out.with_suffix(out.suffix + ".part")
    src = db.database.obj.connection()
    try:
        dst = sqlite3.connect(tmp, isolation_level=None)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = delete")  # marks the copy as a backup
        finally:
            dst.close()
        os.replace(tmp, out)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationError(f"cannot write backup {out}: {getattr(exc, 'strerror', None) or exc}") from None


def _pg_dump(out: Path) -> Path:
    program = shutil.which("pg_dump")
    if program is None:
        raise ValidationError("pg_dump is not installed on this computer: install the PostgreSQL "
                              "client tools (or back the server up where it runs)")
    if out.is_dir() or not out.parent.is_dir():
        raise ValidationError(f"cannot write backup {out}: name a file in a folder that exists")
    obj = db.database.obj
    params = obj.connect_params
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])  # never on the command line, where `ps` shows it
    argv = [program, "--format=custom", f"--file={out}.part", f"--dbname={obj.database}"]
    for option, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            argv.append(f"{option}={params[key]}")
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=PG_DUMP_TIMEOUT_S,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ValidationError(f"pg_dump failed: {exc}") from None
    part = Path(f"{out}.part")
    if done.returncode != 0:
        part.unlink(missing_ok=True)
        lines = (done.stderr or "").strip().splitlines() or [f"exit code {done.returncode}"]
        raise ValidationError(f"pg_dump failed: {lines[0]}")
    os.replace(part, out)
    return out


def backup_folder() -> Path:
    """Where the daily copies go: the ``backup_dir`` setting, else ``backups`` beside a SQLite
    file (or in the user's data folder for PostgreSQL)."""
    configured = get_setting("backup_dir")
    if configured:
        return Path(configured).expanduser()
    if db.is_sqlite():
        return Path(db.database.obj.database).resolve().parent / "backups"
    return db.user_data_dir() / "backups"


def keep_days() -> int:
    """How many days of daily copies are kept (the ``backup_keep_days`` setting, default 14)."""
    raw = (get_setting(BACKUP_KEEP_DAYS_KEY) or "").strip()
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        return DEFAULT_KEEP_DAYS  # unset, or stored unchecked by an older version
    # A longer time stored by an older version keeps as much as may be set now, never less.
    return min(int(raw), MAX_KEEP_DAYS)


def _stem() -> str:
    obj = db.database.obj
    return Path(obj.database).stem if db.is_sqlite(obj) else str(obj.database)


def daily_backup(*, folder: str | Path | None = None) -> tuple[Path, bool, list[Path]]:
    """Today's copy (``<name>-YYYY-MM-DD.db``, or ``.dump`` from pg_dump) unless there is one,
    and the copies older than ``keep_days()`` removed.

    Returns:
        (today's file, whether it was written now, the old copies removed).

    Raises:
        ValidationError: the folder cannot be made or written, or pg_dump is missing or failed.
    """
    where = Path(folder).expanduser() if folder else backup_folder()
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError(f"cannot make backup folder {where}: {exc.strerror or exc}") from None
    today = clock.local_today()
    stem, suffix = _stem(), ".db" if db.is_sqlite() else ".dump"
    target = where / f"{stem}-{today.isoformat()}{suffix}"
    made = False
    if not target.exists():
        backup(target)
        made = True
    oldest = today - dt.timedelta(days=keep_days() - 1)
    named = re.compile(re.escape(stem) + r"-(\d{4}-\d{2}-\d{2})" + re.escape(suffix) + "$")
    removed: list[Path] = []
    for file in sorted(where.iterdir()):
        found = named.match(file.name)
        if found is None:
            continue  # not one of ours: left alone
        try:
            day = dt.date.fromisoformat(found.group(1))
        except ValueError:
            continue
        if day < oldest:
            file.unlink(missing_ok=True)
            removed.append(file)
    return target, made, removed


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
        DatabaseUnavailable: a URL that names no file, the file is not a sound PrepDesk
            database, or a station (named when it can be) or another program has the
            database open (nothing replaced).
    """
    file = Path(file).expanduser()
    if not file.is_file():
        raise ValidationError(f"no such file: {file}")
    if urls.engine(url) != urls.SQLITE:
        raise ValidationError("restore replaces a SQLite database; restore PostgreSQL with pg_restore")
    target = Path(urls.sqlite_file(url))  # the file opening this URL opens, read the same way
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
