"""A unit of work lost to a deadlock is made again; one that keeps losing says the database is busy."""

from __future__ import annotations

import threading

import pytest

from app.store import db, retry
from app.store.models import Setting

pytestmark = pytest.mark.pg


@pytest.fixture
def pg(database, monkeypatch):
    if not database.is_pg:
        pytest.skip("deadlocks happen on PostgreSQL (SQLite serialises its writers)")
    pauses: list[float] = []
    monkeypatch.setattr(retry, "sleep", pauses.append)  # the pause is counted, not waited for
    Setting.insert_many([("probe.a", "0"), ("probe.b", "0")], fields=[Setting.key, Setting.value]).execute()
    return pauses


def _touch(key: str) -> None:
    db.execute("UPDATE setting SET value = value || 'x' WHERE key = ?", (key,))


def _crossing(first: str, second: str, barrier: threading.Barrier, calls: list[str]):
    """A unit of work that locks ``first`` then ``second``; on its first try both threads
    meet at ``barrier`` holding their first lock, so the second locks cross."""

    def work() -> str:
        calls.append(first)
        with db.write():
            _touch(first)
            if calls.count(first) == 1:
                barrier.wait(timeout=10)
            _touch(second)
        return first

    return work


def _run_pair(call_a, call_b):
    results: dict[str, object] = {}

    def run(name: str, call) -> None:
        try:
            results[name] = call()
        except Exception as exc:  # noqa: BLE001 - the test looks at what each thread ended with
            results[name] = exc
        finally:
            db.database.obj.close()  # this thread's connection

    threads = [threading.Thread(target=run, args=("a", call_a)), threading.Thread(target=run, args=("b", call_b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_a_deadlocked_unit_of_work_is_made_again_and_succeeds(pg):
    barrier = threading.Barrier(2)
    calls: list[str] = []
    a = _crossing("probe.a", "probe.b", barrier, calls)
    b = _crossing("probe.b", "probe.a", barrier, calls)
    results = _run_pair(lambda: retry.retrying(a), lambda: retry.retrying(b))
    assert results == {"a": "probe.a", "b": "probe.b"}
    assert len(calls) >= 3  # the loser (at least) twice
    assert len(pg) == len(calls) - 2
    values = dict(Setting.select(Setting.key, Setting.value).where(Setting.key.startswith("probe.")).tuples())
    assert values == {"probe.a": "0xx", "probe.b": "0xx"}  # each unit of work counted once


def test_a_unit_of_work_that_keeps_losing_ends_with_the_busy_message(pg, monkeypatch):
    monkeypatch.setattr(retry, "ATTEMPTS", 1)  # no second try: the first deadlock is the last word
    barrier = threading.Barrier(2)
    calls: list[str] = []
    a = _crossing("probe.a", "probe.b", barrier, calls)
    b = _crossing("probe.b", "probe.a", barrier, calls)
    results = _run_pair(lambda: retry.retrying(a), lambda: retry.retrying(b))
    lost = [r for r in results.values() if isinstance(r, BaseException)]
    assert len(lost) == 1 and db.contention(lost[0])
    assert db.failure_message(lost[0]) == db.BUSY_MESSAGE + "."
    assert "did not answer" not in (db.failure_message(lost[0]) or "")
    # A conflict that comes back every time is given up after ATTEMPTS tries, never more.
    monkeypatch.setattr(retry, "ATTEMPTS", 4)
    tries: list[int] = []

    def always_losing() -> None:
        tries.append(1)
        raise lost[0]

    with pytest.raises(type(lost[0])):
        retry.retrying(always_losing)
    assert len(tries) == 4
    assert len(pg) == 3


def test_a_refusal_or_a_committed_step_is_not_made_again(pg):
    tries: list[int] = []

    def commits_then_loses() -> None:
        tries.append(1)
        with db.write():
            _touch("probe.a")
        raise _Deadlock()

    with pytest.raises(_Deadlock):
        retry.retrying(commits_then_loses)
    assert tries == [1]


class _Deadlock(Exception):
    pgcode = "40P01"
