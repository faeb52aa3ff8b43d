"""Slow work off the GUI thread: one helper running a function on the global QThreadPool.

The function runs in a worker thread; peewee opens that thread's own connection to the
same database on first use, and we close it when the function returns. Results, errors
and progress come back to the GUI thread through queued signals.

Quitting while tasks run (``stop_all``, before the window's database closes): a task started
``cancellable`` (a read such as the ledger check) has its statement interrupted and reports
nothing; every other task (an import, a write) is waited for, so nothing acknowledged is lost.
"""

from __future__ import annotations

import gc
import inspect
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from app.store import db, retry

log = logging.getLogger(__name__)

T = TypeVar("T")

_running: set[Task] = set()  # keep tasks (and their signal objects) alive until they end


class TaskSignals(QObject):
    """Lives in the GUI thread: signals emitted by the worker reach its slots queued."""

    finished = Signal(object)   # the function's result
    failed = Signal(object)     # the exception
    progress = Signal(int, int)  # done, total

    def __init__(self) -> None:
        super().__init__()
        self.on_done: Callable[[Any], None] | None = None
        self.on_error: Callable[[BaseException], None] | None = None
        self.on_progress: Callable[[int, int], None] | None = None
        self.finished.connect(self._finished)
        self.failed.connect(self._failed)
        self.progress.connect(self._progress)
        self.task: Task | None = None

    @Slot(object)
    def _finished(self, result: Any) -> None:
        _running.discard(self.task)
        if self.task is not None:
            self.task.done = True
        if self.on_done is not None:
            self.on_done(result)

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        _running.discard(self.task)
        if self.task is not None:
            self.task.done = True
        if self.on_error is not None:
            self.on_error(exc)
        else:
            log.error("background task failed", exc_info=(type(exc), exc, exc.__traceback__))

    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        if self.on_progress is not None:
            self.on_progress(done, total)


class Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict, *, cancellable: bool = False) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it (the _running set)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = TaskSignals()  # created in the GUI thread: slots run there
        self.signals.task = self
        self.done = False
        self.cancellable = cancellable
        self.cancelled = False
        self.finished_running = threading.Event()  # set by the worker thread when run() returns
        self._lock = threading.Lock()
        self._connection: Any = None  # the worker thread's DB-API connection (cancellable tasks)
        if _accepts_progress(fn):
            self.kwargs = {**kwargs, "progress": self._report_progress}

    def _report_progress(self, done: int, total: int) -> None:
        self.signals.progress.emit(int(done), int(total))

    def run(self) -> None:
        try:
            if self.cancellable:
                with self._lock:
                    if self.cancelled:
                        return
                    self._connection = db.database.obj.connection()  # this thread's, to interrupt
            result = retry.retrying(self.fn, *self.args, **self.kwargs)  # a lost deadlock: again
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self._emit(self.signals.failed, exc)
        else:
            self._emit(self.signals.finished, result)
        finally:
            with self._lock:
                self._connection = None
            _close_thread_connection()
            self.finished_running.set()

    def cancel(self) -> None:
        """Stop a cancellable task: its running statement is interrupted (SQLite) or cancelled
        (PostgreSQL) and it reports nothing. Any thread."""
        with self._lock:
            self.cancelled = True
            conn = self._connection
        if conn is not None:
            stop = getattr(conn, "interrupt", None) or getattr(conn, "cancel", None)  # sqlite3 / psycopg2
            if stop is not None:
                try:
                    stop()
                except Exception:  # noqa: BLE001 - the statement may have ended meanwhile
                    log.debug("interrupting a background task failed", exc_info=True)

    def _emit(self, signal: Any, value: Any) -> None:
        if self.cancelled:
            log.debug("background task cancelled (the window is closing)")
            return
        try:
            signal.emit(value)
        except RuntimeError:
            # The window closed while the task ran: its signal object is gone and nobody
            # waits for the answer. Drop it quietly.
            log.debug("background task finished after its window closed")


def _accepts_progress(fn: Callable[..., Any]) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return "progress" in params


def _close_thread_connection() -> None:
    try:
        db.close_connection()  # this thread's only: the station keeps its hold on the file
    except Exception:  # noqa: BLE001
        log.debug("closing worker connection failed", exc_info=True)


def run_task(fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None,
             on_progress: Callable[[int, int], None] | None = None, cancellable: bool = False,
             **kwargs: Any) -> Task:
    """Run ``fn(*args, **kwargs)`` on the global thread pool.

    ``on_done(result)``, ``on_error(exc)`` and ``on_progress(done, total)`` run in the GUI
    thread. If ``fn`` has a ``progress`` parameter it receives a callable(done, total).
    Without ``on_error`` a failure is logged. ``cancellable``: a read that may be stopped
    half-way when the window quits (``stop_all``); it gets its connection up front.
    """
    task = Task(fn, args, kwargs, cancellable=cancellable)
    task.signals.on_done, task.signals.on_error = on_done, on_error
    task.signals.on_progress = on_progress
    _running.add(task)
    QThreadPool.globalInstance().start(task)
    return task


def run_beside(fn: Callable[[], T], meanwhile: Callable[[], object]) -> T:
    """``fn()`` on a thread of its own while ``meanwhile()`` runs on this one; returns what
    ``fn`` returned, or raises what it raised, once both are done.

    For a wait that is not Python's (a PIN's hash leaves the interpreter's lock free) beside
    work that is (importing the window's modules). ``fn`` uses its thread's own connection,
    closed when it ends. No garbage collection runs meanwhile: one started on ``fn``'s thread
    could free Qt objects off the GUI thread (it runs later, here)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = fn()
        except BaseException as exc:  # noqa: BLE001 - raised again on the calling thread
            outcome["error"] = exc
        finally:
            _close_thread_connection()

    collecting = gc.isenabled()
    gc.disable()
    try:
        thread = threading.Thread(target=run, name="prepdesk-beside")
        thread.start()
        try:
            meanwhile()
        finally:
            thread.join()
    finally:
        if collecting:
            gc.enable()
    if "error" in outcome:
        raise outcome["error"]
    result: T = outcome["result"]
    return result


def running() -> int:
    """How many tasks started here have not reported back yet."""
    return len(_running)


def stop_all(timeout_s: float = 30.0) -> bool:
    """Quitting: cancel the cancellable tasks (one not started yet never runs), wait for every
    other task's thread to finish (up to ``timeout_s`` in all); nothing reports back
    afterwards. True when all have finished."""
    tasks = list(_running)
    pool = QThreadPool.globalInstance()
    waiting = []
    for task in tasks:
        if task.cancellable:
            task.cancel()
            if pool.tryTake(task):  # still queued: never runs
                continue
        waiting.append(task)
    deadline = time.monotonic() + timeout_s
    finished = True
    for task in waiting:
        # A cancellable task is interrupted again until it ends: the first interrupt may come
        # between two of its statements, where it stops nothing.
        while not task.finished_running.wait(0.05 if task.cancellable else max(0.0, deadline - time.monotonic())):
            if time.monotonic() >= deadline:
                finished = False
                break
            task.cancel()
    for task in tasks:
        task.cancelled = True  # whatever still arrives from them is dropped
        _running.discard(task)
    return finished
