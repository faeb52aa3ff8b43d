"""What a transaction changed, said once it has committed.

Services call ``changed(kind, *ids)`` inside their transaction; when the outermost
transaction commits, every listener (the window's events object, a test) receives one
``Changes`` with every kind and id touched. A rolled-back transaction says nothing.
Kinds are the warehouse's words: stock, order, receipt, picklist, package, product, ...
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from app.store import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changes:
    """Document kinds and the ids of them one transaction changed (an empty set: unknown ids)."""

    kinds: dict[str, frozenset[int]]

    def __contains__(self, kind: object) -> bool:
        return kind in self.kinds


CHANNEL = "prepdesk"  # the PostgreSQL channel other stations listen on (``live``)
# This process, as its notices name it (a station skips its own).
STATION = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
MAX_PAYLOAD = 7900  # PostgreSQL refuses a NOTIFY payload of 8000 bytes or more


def encode(kinds: dict[str, set[int]]) -> str:
    """A notice's text: this station, then ``kind:id,id`` per kind (ids dropped if too long)."""
    text = STATION + " " + ";".join(f"{k}:{','.join(map(str, sorted(ids)))}" for k, ids in sorted(kinds.items()))
    if len(text) > MAX_PAYLOAD:  # a big import: say which kinds, not which ids
        text = STATION + " " + ";".join(f"{k}:" for k in sorted(kinds))
    return text


Listener = Callable[[Changes], None]
_listeners: list[Listener] = []
_pending = threading.local()


def listen(fn: Listener) -> Callable[[], None]:
    """Call ``fn`` after every commit that changed something; returns the way to stop."""
    _listeners.append(fn)

    def stop() -> None:
        if fn in _listeners:
            _listeners.remove(fn)

    return stop


def changed(kind: str, *ids: int | None) -> None:
    """Note that this transaction changed documents of ``kind`` (call inside it)."""
    obj = db.database.obj
    if obj.transaction_depth() == 0:  # autocommit: already committed
        kinds = {kind: {i for i in ids if i is not None}}
        if db.is_postgres(obj):
            obj.execute_sql("SELECT pg_notify(%s, %s)", (CHANNEL, encode(kinds)))
        _send(kinds)
        return
    outer = obj._state.transactions[0]  # the unit of work (nested ones are savepoints)
    if getattr(_pending, "tx", None) is not outer:  # a new transaction (a rolled-back one left nothing)
        _pending.tx = outer
        _pending.kinds = {}
        obj.after_commit(_deliver)
    _pending.kinds.setdefault(kind, set()).update(i for i in ids if i is not None)


def _notify_others() -> None:
    """PostgreSQL, just before the outermost COMMIT: tell the other stations, in the same
    transaction, what it changed (``live`` hears it; nothing is sent for a rollback)."""
    obj = db.database.obj
    if _deliver not in obj._state.commit_callbacks:  # this transaction noted no change
        return
    kinds: dict[str, set[int]] = getattr(_pending, "kinds", {}) or {}
    if kinds:
        obj.execute_sql("SELECT pg_notify(%s, %s)", (CHANNEL, encode(kinds)))


def _deliver() -> None:
    kinds: dict[str, set[int]] = getattr(_pending, "kinds", {}) or {}
    _pending.tx = None
    _pending.kinds = {}
    _send(kinds)


def _send(kinds: dict[str, set[int]]) -> None:
    if not kinds:
        return
    news = Changes({kind: frozenset(ids) for kind, ids in kinds.items()})
    for fn in list(_listeners):
        try:
            fn(news)
        except Exception:  # noqa: BLE001 - the commit stands; a broken listener must not undo the action's answer
            log.exception("a change listener failed; it is dropped")
            if fn in _listeners:
                _listeners.remove(fn)


db.before_commit.append(_notify_others)
