"""Running a station's unit of work again when PostgreSQL chose it as a deadlock's loser.

Two stations that lock the same rows in opposite orders (a pick and a cancel on one
order's lines) deadlock now and then; PostgreSQL aborts one of the two transactions with
nothing written, and a serializable conflict is the same story. The unit of work is the
service call (one ``db.write()`` transaction), so the call is simply made again, a few
times, after a short random pause that keeps the two stations from colliding again in
step. A call that committed anything before failing is never repeated (a command that
runs several transactions would otherwise do its first ones twice).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from app.store import db

_T = TypeVar("_T")

log = logging.getLogger(__name__)

ATTEMPTS = 5  # the first try and four more
PAUSE_S = 0.03  # the first pause's ceiling; it doubles on each retry (0.03, 0.06, 0.12, 0.24 s)

# Replaced by tests that count pauses; the pause is real time between two real attempts.
sleep: Callable[[float], None] = time.sleep


def retrying(fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    """``fn(*args, **kwargs)``, made again (up to ``ATTEMPTS`` in all) while it fails on a
    deadlock or serialization conflict and has committed nothing.

    Inside a transaction the call is made once (its caller owns the unit of work), and on
    SQLite, which serialises writers and never deadlocks, it is always made once. After the
    last attempt the conflict reaches the caller, and ``db.failure_message`` reads it as
    ``db.BUSY_MESSAGE``.
    """
    obj = db.database.obj
    if obj is None or db.is_sqlite(obj) or obj.in_transaction():
        return fn(*args, **kwargs)
    for attempt in range(1, ATTEMPTS + 1):
        before = db.commit_count()
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            if attempt == ATTEMPTS or not db.contention(exc) or db.commit_count() != before:
                raise
            log.info("%s lost a deadlock (attempt %d of %d); trying again",
                     getattr(fn, "__name__", fn), attempt, ATTEMPTS)
        sleep(random.uniform(PAUSE_S / 2, PAUSE_S * 2 ** (attempt - 1)))  # noqa: S311 - jitter, not secrecy
    raise AssertionError("unreachable")  # the loop returns or raises
