"""Background tasks: a task that ends after its window closed reports nothing and raises nothing;
quitting interrupts a cancellable read and waits for any other task."""

from __future__ import annotations

import logging
import threading

import pytest
import shiboken6
from PySide6.QtCore import QThreadPool

from app.kernel.errors import DatabaseUnavailable
from app.store import db, station_lock
from ui.worker import Task, run_beside, run_task, running, stop_all


def test_a_task_finishing_after_its_signals_are_gone_is_dropped_quietly(qtbot, caplog):
    for fn in (lambda: 42, lambda: 1 / 0):
        task = Task(fn, (), {})
        shiboken6.delete(task.signals)  # what quitting does to the GUI-side object
        with caplog.at_level(logging.DEBUG, logger="ui.worker"):
            task.run()
        assert "finished after its window closed" in caplog.text
        assert "RuntimeError" not in caplog.text
        caplog.clear()


# A statement that runs until it is interrupted (a ledger check on a very large warehouse).
ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c"


def test_quitting_interrupts_a_cancellable_task_and_nothing_reports_back(qtbot, sqlite_database, caplog):
    answers: list[object] = []
    task = run_task(lambda: db.execute(ENDLESS).fetchone(), cancellable=True,
                    on_done=answers.append, on_error=answers.append)
    qtbot.waitUntil(lambda: task._connection is not None)  # its statement is under way
    with caplog.at_level(logging.DEBUG, logger="ui.worker"):
        assert stop_all(timeout_s=20) is True
    assert task.finished_running.is_set() and running() == 0
    qtbot.wait(50)  # a queued answer would arrive now
    assert answers == []
    assert "RuntimeError" not in caplog.text and "Signal source" not in caplog.text


def test_quitting_waits_for_a_task_that_writes(qtbot, sqlite_database):
    gate = threading.Event()
    done: list[int] = []

    def write() -> int:
        gate.wait(10)
        done.append(1)
        return 1

    task = run_task(write)
    qtbot.waitUntil(lambda: QThreadPool.globalInstance().activeThreadCount() > 0)
    threading.Timer(0.05, gate.set).start()
    assert stop_all(timeout_s=20) is True
    assert done == [1] and task.finished_running.is_set() and running() == 0


def test_a_finished_task_leaves_the_station_holding_its_database(qtbot, sqlite_database, tmp_path):
    """A worker closes its own connection, never the station's hold on the file: while the
    window is open a restore elsewhere still finds this station connected and waits."""
    path = sqlite_database.url.removeprefix("sqlite:///")
    assert len(station_lock.connected(path)) == 1
    answers: list[object] = []
    run_task(lambda: db.execute("SELECT COUNT(*) FROM stock_move").fetchone()[0], on_done=answers.append)
    qtbot.waitUntil(lambda: answers == [0] and running() == 0)
    assert len(station_lock.connected(path)) == 1
    with pytest.raises(DatabaseUnavailable):
        with station_lock.exclusive(path):
            pass
    db.execute("SELECT 1")  # the station's own connection still works


def test_run_beside_runs_the_function_on_its_own_thread_while_this_one_works(sqlite_database):
    threads: list[str] = []

    def count() -> int:
        threads.append(threading.current_thread().name)
        return int(db.execute("SELECT COUNT(*) FROM stock_move").fetchone()[0]) + 7

    assert run_beside(count, lambda: threads.append(threading.current_thread().name)) == 7
    assert sorted(threads) == sorted(["prepdesk-beside", threading.current_thread().name])
    with pytest.raises(ZeroDivisionError):
        run_beside(lambda: 1 / 0, lambda: None)
    path = sqlite_database.url.removeprefix("sqlite:///")
    assert len(station_lock.connected(path)) == 1  # its connection closed, the station's hold kept


def test_run_beside_runs_no_garbage_collection_meanwhile():
    """A collection on the function's thread could free Qt objects off the GUI thread."""
    import gc

    assert gc.isenabled()
    during: list[bool] = []
    assert run_beside(gc.isenabled, lambda: during.append(gc.isenabled())) is False
    assert during == [False] and gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        run_beside(lambda: 1 / 0, lambda: None)
    assert gc.isenabled()
