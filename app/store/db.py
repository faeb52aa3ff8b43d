"""The database: one proxy, opened from a URL, with durable settings and versioned migrations.

SQLite runs in WAL mode with foreign keys, a busy timeout and ``synchronous=FULL`` (an
acknowledged scan survives power loss); every transaction begins IMMEDIATE so it holds the
write lock from its first statement. PostgreSQL is reached through psycopg2 and uses row
locks (``SELECT ... FOR UPDATE``) where several stations could race.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import peewee
import platformdirs
import psycopg2
from peewee import (
    Database,
    DatabaseError,
    InterfaceError,
    OperationalError,
    PostgresqlDatabase,
    SqliteDatabase,
)
from psycopg2.extras import execute_batch

from app.kernel.errors import DatabaseUnavailable
from app.store import locale, migrations, places, station_lock, urls
from app.store.connection import database as database
from app.store.connection import execute as execute
from app.store.connection import for_update as for_update
from app.store.connection import is_postgres as is_postgres
from app.store.connection import is_sqlite as is_sqlite
from app.store.urls import describe as describe
from app.store.urls import postgresql_options as postgresql_options

_T = TypeVar("_T")

log = logging.getLogger(__name__)

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 2,  # FULL
    "busy_timeout": 15000,
    "cache_size": -32000,
}


APP_DIR_NAME = "prepdesk"  # the folder name under each platform's data folder


def default_url() -> str:
    """``PREPDESK_DB`` if set, else a SQLite file in the user's data directory."""
    env = os.environ.get("PREPDESK_DB")
    if env:
        return env
    return "sqlite:///" + str(user_data_dir() / "prepdesk.db")


def user_data_dir() -> Path:
    """This platform's folder for the user's data: ``~/.local/share/prepdesk`` (or under
    ``$XDG_DATA_HOME``) on Linux, ``%LOCALAPPDATA%\\prepdesk`` on Windows,
    ``~/Library/Application Support/prepdesk`` on macOS."""
    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))


def make_database(url: str, *, create_folder: bool = False) -> Database:
    """Build (but do not yet open) the peewee database a URL names. ``create_folder``: make
    a SQLite file's missing folder (a new warehouse is being created, e.g. a station's first
    start in the user's data folder).

    Raises:
        NoDatabase: a SQLite file whose folder does not exist (nothing made).
        DatabaseUnavailable: the URL is not one we understand, or names a file that cannot
            be used (a folder, unreadable or read-only).
    """
    if not isinstance(url, str) or not url.strip():
        raise DatabaseUnavailable("empty database URL")
    url = url.strip()
    kind = urls.engine(url)
    if kind == urls.SQLITE:
        path = urls.sqlite_file(url)
        try:
            if create_folder:
                Path(path).resolve().parent.mkdir(parents=True, exist_ok=True)
            _check_sqlite_path(path)
        except (OSError, ValueError) as exc:  # e.g. a name too long for the file system
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise DatabaseUnavailable(f"cannot use database file {path[:80]!r}: {reason}") from None
        return SqliteDatabase(
            path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", check_same_thread=False
        )
    if kind == urls.POSTGRESQL:
        options = postgresql_options(url)
        return ReconnectingPostgresqlDatabase(options.pop("database"), autoconnect=True, **options)
    raise DatabaseUnavailable(
        f"unsupported database URL {describe(url)!r}: use sqlite:///FILE or postgresql://HOST/DB"
    )


# psycopg2's words for a connection that is gone (server restarted, network cut, idle
# connection killed by an administrator or a firewall).
_LOST_CONNECTION = (
    "server closed the connection",
    "connection already closed",
    "terminating connection",
    "could not receive data from server",
    "could not send data to server",
    "no connection to the server",
    "ssl connection has been closed",
    "connection not open",
)


def connection_lost(exc: BaseException) -> bool:
    """True when ``exc`` says the database connection itself is gone (not a refused statement)."""
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return False
    text = str(exc).lower()
    return any(fragment in text for fragment in _LOST_CONNECTION)


class ReconnectingPostgresqlDatabase(PostgresqlDatabase):
    """A PostgreSQL connection that survives a server restart.

    A statement that finds the connection gone *outside* a transaction (a read: every write
    here is a ``db.write()`` transaction) is run again once on a fresh connection, so a
    station that sat idle through a restart just carries on. Inside a transaction nothing
    is retried (the server discarded the work): the error reaches the caller, whose whole
    unit of work is refused, and the next statement or transaction reconnects.
    """

    def _retry(self, func: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        try:
            return func(*args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if self.in_transaction() or not connection_lost(exc):
                raise
            log.warning("database connection lost (%s); reconnecting", first_line(exc))
            with contextlib.suppress(Exception):
                self.close()
            return func(*args, **kwargs)  # opens a new connection (autoconnect)

    def execute_sql(self, sql: str, params: Sequence[Any] | None = None) -> Any:  # a DB-API cursor
        return self._retry(super().execute_sql, sql, params)

    def begin(self, *args: Any, **kwargs: Any) -> None:
        return self._retry(super().begin, *args, **kwargs)

    def commit(self) -> None:
        for hook in list(before_commit):
            hook()
        super().commit()
        _commits.n = getattr(_commits, "n", 0) + 1

    def rollback(self) -> None:
        try:
            super().rollback()
        except (OperationalError, InterfaceError) as exc:
            # The connection died with the transaction: the server has already thrown the
            # work away, and the error that ended the transaction is the one to report.
            if not connection_lost(exc):
                raise


# Called on PostgreSQL just before the outermost COMMIT, in the transaction (the change
# signal sends its NOTIFY here, so the notice and the change commit together or not at all).
before_commit: list[Callable[[], None]] = []
_commits = threading.local()  # PostgreSQL commits made by this thread (a retried call made none)


def commit_count() -> int:
    """How many PostgreSQL transactions this thread has committed so far."""
    return int(getattr(_commits, "n", 0))


# SQLSTATEs of a transaction aborted because another one got in its way: deadlock_detected,
# serialization_failure. Nothing was written; the same work may simply be done again.
_CONTENTION = ("40P01", "40001")

BUSY_MESSAGE = "The database is busy (other stations are working on the same items): try again"


def contention(exc: BaseException) -> bool:
    """True when ``exc`` (or what it wraps) is a deadlock or serialization failure."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if getattr(item, "pgcode", None) in _CONTENTION:
            return True
        todo.extend([item.__cause__, item.__context__, *item.args[:1]])
    return False


def _check_sqlite_path(path: str) -> None:
    file = Path(path)
    folder = file.resolve().parent
    if not folder.is_dir():
        # No warehouse there yet: the first-run question (or `init`) may make the folder too.
        raise NoDatabase(f"no database at {path}: its folder {str(folder)!r} does not exist "
                         "(run `prepdesk init` to create it, or check --db)")
    if not os.access(folder, os.W_OK):
        raise DatabaseUnavailable(f"cannot write to folder {str(folder)!r}")
    if file.is_dir():
        raise DatabaseUnavailable(f"{path!r} is a folder, not a database file")
    if file.exists() and not os.access(file, os.R_OK):
        raise DatabaseUnavailable(f"database file {path!r} cannot be read by this user")
    if file.exists() and not os.access(file, os.W_OK):
        # Every scan is a write: a read-only file is refused at the door, not at the first scan.
        raise DatabaseUnavailable(f"database file {path!r} is read-only for this user; "
                                  "PrepDesk needs to write to it")


class NoDatabase(DatabaseUnavailable):
    """The database a URL names holds no warehouse (a missing or empty SQLite file, a
    PostgreSQL database without PrepDesk's tables) and none was to be created."""


SCHEMA_TABLE = "schema_version"  # every PrepDesk warehouse has it, from its first migration


def open_database(url: str, *, migrate: bool = True, who: str = "", create: bool = False) -> Database:
    """The start-up path: open the database at ``url``, bind the proxy to it, forget the
    location lookups cached for the previous one and bring its schema up to date.

    The command line, the window and the tests all open their database here.

    Args:
        url: ``sqlite:///FILE`` or ``postgresql://HOST/DB``.
        migrate: False only for a database known to be current (a test reopening its own).
        who: how a restore names this station while it holds a SQLite file open
            ("packing station (Pat Packer)"); a restore waits until every station closed it.
        create: make a new warehouse when the SQLite file does not exist or is empty, or
            the database holds no PrepDesk schema yet (only ``init``, the window's first-run
            question, the demo, ``migrate-db``'s target, tests and benches): a typo in a URL
            must not quietly start an empty warehouse.

    Raises:
        DatabaseUnavailable: bad URL, unreachable server, unreadable or corrupt file, or a
            schema newer than this program.
        NoDatabase: the SQLite file is missing or empty, or the database holds no PrepDesk
            warehouse, and ``create`` is False (nothing made).
    """
    db = make_database(url, create_folder=create)
    if not create and _no_file_yet(db):
        raise NoDatabase(f"no database at {db.database}: run `prepdesk init` to create one (or check --db)")
    try:
        db.connect(reuse_if_open=True)
        if is_sqlite(db):
            # A corrupt or foreign file fails here, not in the middle of a scan. Reading the
            # schema catches files that are not databases or are cut short; a full
            # quick_check reads every page, so it runs here only while the file is small
            # (0.7 s at 330 MB) and always in the ``check`` command.
            db.execute_sql("SELECT COUNT(*) FROM sqlite_master").fetchone()
            if _file_size(db.database) <= QUICK_CHECK_MAX_BYTES:
                problems = integrity_problems(db)
                if problems:
                    raise DatabaseUnavailable(f"database file is damaged: {problems[0]}{RESTORE_ADVICE}")
        if not create and not db.table_exists(SCHEMA_TABLE):
            # An existing but empty PostgreSQL database (or another program's SQLite file) is
            # no warehouse: a mistyped name must not quietly get a whole new schema.
            where = db.database if is_sqlite(db) else describe(url)
            raise NoDatabase(f"no PrepDesk warehouse in {where}: run `prepdesk init` to create one "
                             "(or check --db)")
    except DatabaseUnavailable:
        db.close()
        raise
    except (OperationalError, DatabaseError, InterfaceError, sqlite3.DatabaseError) as exc:
        with contextlib.suppress(Exception):
            db.close()
        advice = ""
        if is_sqlite(db) and damaged(exc):
            advice = (RESTORE_ADVICE if "malformed" in str(exc).lower() else
                      " (another program's file, or a damaged one: check --db, or restore the last "
                      "backup with 'prepdesk restore FILE')")
        raise DatabaseUnavailable(f"cannot open database {describe(url)}: {first_line(exc)}{advice}") from None
    _release_marker()
    if is_sqlite(db):
        try:
            _marker.append(station_lock.hold(db.database, who=who))
        except DatabaseUnavailable:
            db.close()
            raise
    database.initialize(db)
    places.clear_caches()
    if migrate:
        try:
            migrations.upgrade()
        except DatabaseUnavailable:
            db.close()
            raise
        except (OperationalError, DatabaseError, InterfaceError) as exc:
            with contextlib.suppress(Exception):
                db.close()
            raise DatabaseUnavailable(f"cannot prepare database {describe(url)}: {first_line(exc)}") from None
    try:
        locale.load()
    except (OperationalError, DatabaseError, InterfaceError):
        # A database not migrated yet has no settings table: the computer's zone, metric.
        locale.apply(locale.TIMEZONE_KEY, None)
        locale.apply(locale.UNITS_KEY, None)
    log.info("connected to %s", describe(url))
    return db


# The name scripts and benches used before open_database existed; the same function.
connect = open_database


QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024


def _no_file_yet(db: Database) -> bool:
    """A SQLite file that does not exist or is empty: opening it would make a new warehouse."""
    return is_sqlite(db) and _file_size(db.database) == 0


def would_create(url: str) -> bool:
    """Whether opening ``url`` would start a new, empty warehouse (a missing SQLite file)."""
    return _no_file_yet(make_database(url))


def url_in_use() -> str:
    """The URL of the database this process has open (no password), or "" if none."""
    obj = database.obj
    if obj is None:
        return ""
    if is_sqlite(obj):
        return f"sqlite:///{obj.database}"
    params = obj.connect_params
    user = f"{params['user']}@" if params.get("user") else ""
    port = f":{params['port']}" if params.get("port") else ""
    return f"postgresql://{user}{params.get('host') or ''}{port}/{obj.database}"


def probe(url: str) -> str | None:
    """Open the database at ``url`` and close it again: the one-line reason it cannot be
    used, or None. A SQLite file that does not exist yet is not made here."""
    try:
        candidate = make_database(url)
    except DatabaseUnavailable as exc:
        return str(exc)
    if _no_file_yet(candidate):
        return None
    try:
        candidate.connect()
        candidate.execute_sql("SELECT COUNT(*) FROM sqlite_master" if is_sqlite(candidate)
                              else "SELECT 1").fetchone()
    except (peewee.PeeweeException, sqlite3.Error, OSError, ValueError) as exc:
        return f"cannot open {describe(url)}: {first_line(exc)}"
    finally:
        if not candidate.is_closed():
            candidate.close()
    return None


def _file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except (OSError, TypeError):
        return 0


def integrity_problems(db: Database | None = None, *, limit: int = 20) -> list[str]:
    """SQLite's page-level ``quick_check`` of the database file, one line per problem
    (empty when sound, and always empty on PostgreSQL, which checks its own pages)."""
    db = db if db is not None else database.obj
    if not is_sqlite(db):
        return []
    try:
        rows = db.execute_sql(f"PRAGMA quick_check({int(limit)})").fetchall()
    except (DatabaseError, sqlite3.DatabaseError) as exc:  # too damaged to even walk
        return [first_line(exc)]
    lines = [line.strip() for (text,) in rows for line in str(text).splitlines() if line.strip()]
    return [] if lines == ["ok"] else [line for line in lines if line != "*** in database main ***"]


_marker: list[station_lock.StationMarker] = []  # this station's hold on its SQLite file


def _release_marker() -> None:
    while _marker:
        _marker.pop().release()


def close_connection() -> None:
    """Close the calling thread's connection only (peewee keeps one per thread): a worker
    thread's when its task ends. The station keeps its hold on the database file, which a
    restore elsewhere must wait for (``close`` ends the station's use of the database)."""
    obj = database.obj
    if obj is not None and not obj.is_closed():
        obj.close()


def close() -> None:
    """The station is done with the database: its connection closed and its hold released."""
    close_connection()
    _release_marker()


def first_line(exc: BaseException) -> str:
    """An error's message as one line (the first), or its type's name if it has none."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def unavailable_during_work(exc: BaseException) -> bool:
    """The database stopped answering under a unit of work (server restart, network, a file
    locked too long): nothing was committed, and the next action reconnects."""
    return isinstance(exc, (OperationalError, InterfaceError))


# What to do about a damaged SQLite file, said at start-up as under a scan.
RESTORE_ADVICE = " (the file is damaged: restore the last backup with 'prepdesk restore FILE')"


def damaged(exc: BaseException) -> bool:
    """SQLite met a damaged page (a large file is not fully checked at start-up)."""
    if not isinstance(exc, (DatabaseError, sqlite3.DatabaseError)):
        return False
    text = str(exc).lower()
    return "malformed" in text or "file is not a database" in text


def failure_message(exc: BaseException) -> str | None:
    """What a station tells its user when the database fails under a service call, or None
    when ``exc`` is no database failure (then it is a bug)."""
    if contention(exc):
        return BUSY_MESSAGE + "."
    if unavailable_during_work(exc):
        return (f"The database did not answer ({first_line(exc)}). Nothing was changed: "
                "try again in a moment (PrepDesk reconnects by itself).")
    if damaged(exc):
        return (f"The database file is damaged ({first_line(exc)}). Nothing was changed. "
                "Stop work at this station and restore the last backup "
                "(python main.py restore FILE); 'python main.py check' lists the damage.")
    if refused(exc):
        return f"The database refused the change ({first_line(exc)}). Nothing was changed."
    return None


def refused(exc: BaseException) -> bool:
    """The database refused a statement (a value too long for its column, a broken
    constraint): the transaction is rolled back; a service should have said it first."""
    return isinstance(exc, (DatabaseError, sqlite3.DatabaseError, psycopg2.Error))


def as_datetime(value: object) -> dt.datetime | None:
    """A timestamp read by raw SQL (text on SQLite, datetime on PostgreSQL) as a datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return dt.datetime.fromisoformat(str(value))


def as_date(value: object) -> dt.date | None:
    """A date read by raw SQL (text on SQLite, date on PostgreSQL) as a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def write() -> contextlib.AbstractContextManager[Any]:
    """One unit of work that writes: a transaction holding the write lock from the start.

    On SQLite the database's transactions begin IMMEDIATE; nested calls become savepoints.
    A station whose database file was replaced under it (a restore elsewhere) stops here
    with a clear message instead of writing into a file nobody will read again.
    """
    station_lock.check_held()
    return database.atomic()


_PEEWEE_ERRORS = getattr(peewee, "__exception_wrapper__")  # noqa: B009 - a dunder module global


def executemany(sql: str, rows: Sequence[Sequence[Any]]) -> int:
    """One statement for many parameter rows ('?' placeholders), in the current transaction.

    For bulk work (imports): a few hundred times cheaper per row than building each
    INSERT with peewee's query builder. Returns the number of rows given.
    """
    if not rows:
        return 0
    obj = database.obj
    cur = obj.cursor()
    try:
        with _PEEWEE_ERRORS:  # peewee's exception types, as db.execute raises
            if is_sqlite(obj):
                cur.executemany(sql, rows)
            else:
                execute_batch(cur, sql.replace("?", "%s"), rows, page_size=1000)
    finally:
        cur.close()
    return len(rows)


def after_commit(fn: Callable[[], None]) -> None:
    """Run ``fn`` once the current transaction commits (e.g. tell the UI something changed)."""
    database.obj.after_commit(fn)


@contextlib.contextmanager
def bound(url: str) -> Iterator[Database]:
    """Open a database for the length of a block (scripts, worker threads)."""
    db = open_database(url)
    try:
        yield db
    finally:
        db.close()
