"""What a transaction changed, said once it has committed.

Services call ``changed(kind, *ids)`` inside their transaction; when the outermost
transaction commits, every listener (the window's events object, a test) receives one
``Changes`` with every kind and id touched. A rolled-back transaction says nothing.
Kinds are the warehouse's words: stock, order, receipt, picklist, package, product, ...
"""

from __future__ import annotations

import logging
import threading
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
        _send({kind: {i for i in ids if i is not None}})
        return
    outer = obj._state.transactions[0]  # the unit of work (nested ones are savepoints)
    if getattr(_pending, "tx", None) is not outer:  # a new transaction (a rolled-back one left nothing)
        _pending.tx = outer
        _pending.kinds = {}
        obj.after_commit(_deliver)
    _pending.kinds.setdefault(kind, set()).update(i for i in ids if i is not None)


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
