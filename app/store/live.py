"""Other stations' changes, heard at this one: NOTIFY on PostgreSQL, the data version on SQLite.

On PostgreSQL each committing transaction sends ``NOTIFY prepdesk, '<station> kind:ids;...'``
just before its COMMIT (``changes`` does it through ``db.before_commit``), so the notice
travels with the change: sent if and only if the change committed. A watcher listens on a
connection of its own and ``poll()`` returns what other stations changed since the last call
(its own station's notices are skipped: its screens heard them already, straight from
``changes``).

On SQLite a watcher reads ``PRAGMA data_version`` on the station's own connection: the number
moves whenever *another* connection commits to the file, never for this connection's own
commits. When it moved, ``poll()`` says every kind may have changed (the file keeps no note
of what), and the open screens reload what they show.
"""

from __future__ import annotations

import contextlib
import logging
import select
from typing import Any, Protocol

import psycopg2
import psycopg2.extensions

from app.store import db
from app.store.changes import CHANNEL, STATION, Changes

log = logging.getLogger(__name__)

# Every kind a service notes (``changes.changed``); "all may have changed" names each with no ids.
ALL_KINDS = ("stock", "order", "receipt", "picklist", "package", "product", "client", "count", "return",
             "setting", "box")


def decode(payload: str) -> tuple[str, dict[str, set[int]]]:
    """The station and the kinds and ids of a notice (an empty set: unknown ids)."""
    station, _, body = payload.partition(" ")
    kinds: dict[str, set[int]] = {}
    for part in filter(None, body.split(";")):
        kind, _, ids = part.partition(":")
        kinds.setdefault(kind, set()).update(int(i) for i in ids.split(",") if i.isdigit())
    return station, kinds


def everything() -> Changes:
    """'Anything may have changed': every kind, no ids."""
    return Changes({kind: frozenset() for kind in ALL_KINDS})


class Watcher(Protocol):
    def poll(self) -> Changes | None: ...
    def close(self) -> None: ...


class PostgresWatcher:
    """Listens for other stations' notices on a connection of its own."""

    def __init__(self, database: Any) -> None:
        self._params = dict(database.connect_params)
        self._name = database.database
        self._conn: Any = None
        self._connect()

    def _connect(self) -> None:
        conn = psycopg2.connect(dbname=self._name, **self._params)
        conn.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
        with conn.cursor() as cur:
            cur.execute(f"LISTEN {CHANNEL}")
        self._conn = conn

    def fileno(self) -> int:
        """The listening connection's socket (to wait on it instead of polling)."""
        return int(self._conn.fileno()) if self._conn is not None else -1

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a notice to arrive (True when one may have)."""
        if self._conn is None:
            return False
        readable, _, _ = select.select([self._conn], [], [], timeout)
        return bool(readable)

    def poll(self) -> Changes | None:
        """What other stations committed since the last call, or None."""
        if self._conn is None:
            try:
                self._connect()
            except psycopg2.Error as exc:
                log.info("cannot listen for other stations yet: %s", db.first_line(exc))
                return None
            return everything()  # notices sent while we were not listening are lost
        try:
            self._conn.poll()
        except psycopg2.Error as exc:
            log.warning("lost the connection that listens for other stations: %s", db.first_line(exc))
            self.close()
            return None
        kinds: dict[str, set[int]] = {}
        while self._conn.notifies:
            note = self._conn.notifies.pop(0)
            station, said = decode(note.payload)
            if station == STATION:
                continue
            for kind, ids in said.items():
                kinds.setdefault(kind, set()).update(ids)
        if not kinds:
            return None
        return Changes({kind: frozenset(ids) for kind, ids in kinds.items()})

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg2.Error):
                self._conn.close()
            self._conn = None


class SqliteWatcher:
    """Notices another connection's commit to the station's SQLite file."""

    def __init__(self) -> None:
        self._version = self._read()

    @staticmethod
    def _read() -> int:
        return int(db.execute("PRAGMA data_version").fetchone()[0])

    def poll(self) -> Changes | None:
        """Everything, when another station committed since the last call; else None."""
        version = self._read()
        if version == self._version:
            return None
        self._version = version
        return everything()

    def close(self) -> None:
        return None


def watch() -> Watcher:
    """A watcher of the open database (call on the thread that will poll it)."""
    obj = db.database.obj
    if db.is_sqlite(obj):
        return SqliteWatcher()
    return PostgresWatcher(obj)
