"""What screens and the command line show of counts: the task list, the counter's view
(bins and what was counted, never what the ledger expects) and the supervisor's differences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.counting.tasks import task_row
from app.kernel.actor import Actor
from app.store import db


@dataclass(frozen=True)
class TaskSummary:
    id: int
    number: str
    status: str
    scope: str
    bins: int
    bins_counted: int
    pending: int  # lines waiting for approval
    created_at: dt.datetime | None


@dataclass(frozen=True)
class CounterBin:
    """A bin as the counter sees it: its state and the units counted so far, nothing expected."""

    code: str
    status: str
    counted: int


@dataclass(frozen=True)
class CounterView:
    number: str
    status: str
    bins: tuple[CounterBin, ...]


@dataclass(frozen=True)
class Difference:
    """A counted line for the supervisor: expected, counted and what became of it."""

    line: int
    bin_code: str
    sku: str
    name: str
    expected: int
    counted: int
    difference: int
    status: str
    adjusted: int
    lot: str = ""  # "" for a product without lots


def _when(value: object) -> dt.datetime | None:
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value if isinstance(value, dt.datetime) else None


def task_list(*, status: str | None = None, limit: int = 500) -> list[TaskSummary]:
    """Count tasks, newest first (only those in ``status`` when given)."""
    where, params = ("WHERE t.status = ?", [status]) if status else ("", [])
    rows = db.execute(
        "SELECT t.id, t.number, t.status, t.scope, "
        "(SELECT COUNT(*) FROM count_bin cb WHERE cb.task_id = t.id), "
        "(SELECT COUNT(*) FROM count_bin cb WHERE cb.task_id = t.id AND cb.status <> 'open'), "
        "(SELECT COUNT(*) FROM count_line cl WHERE cl.task_id = t.id AND cl.status = 'pending'), "
        f"t.created_at FROM count_task t {where} ORDER BY t.id DESC LIMIT {int(limit)}", params).fetchall()
    return [TaskSummary(int(r[0]), r[1], r[2], r[3], int(r[4]), int(r[5]), int(r[6]), _when(r[7]))
            for r in rows]


def counter_view(task: int | str) -> CounterView:
    """The counter's view of a task: its bins in walk order and the units counted in each."""
    t = task_row(task)
    rows = db.execute(
        "SELECT l.code, cb.status, COALESCE((SELECT SUM(cl.counted) FROM count_line cl "
        "WHERE cl.task_id = cb.task_id AND cl.location_id = cb.location_id), 0) FROM count_bin cb "
        "JOIN location l ON l.id = cb.location_id WHERE cb.task_id = ? ORDER BY l.pick_seq, l.code",
        (t.id,)).fetchall()
    return CounterView(t.number, t.status, tuple(CounterBin(r[0], r[1], int(r[2])) for r in rows))


def differences(task: int | str, *, actor: Actor, only_open: bool = False) -> list[Difference]:
    """A task's counted lines with their differences, for a supervisor (they show what the
    ledger expected, so a counter may not see them). ``only_open``: lines with a difference
    still waiting for approval.

    Raises:
        PermissionDenied: not a supervisor.
    """
    actor.require_to("see count differences")
    t = task_row(task)
    extra = " AND cl.status = 'pending'" if only_open else ""
    rows = db.execute(
        "SELECT cl.id, l.code, p.sku, p.name, cl.expected_at_start, cl.counted, cl.status, cl.adjusted, cl.lot "
        "FROM count_line cl JOIN location l ON l.id = cl.location_id JOIN product p ON p.id = cl.product_id "
        f"WHERE cl.task_id = ?{extra} ORDER BY l.pick_seq, l.code, p.sku, cl.lot", (t.id,)).fetchall()
    return [Difference(int(r[0]), r[1], r[2], r[3], int(r[4]), int(r[5]), int(r[5]) - int(r[4]), r[6], int(r[7]),
                       r[8] or "") for r in rows]
