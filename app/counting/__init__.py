"""Cycle counts: blind counts of bins, their differences adjusted or approved by a supervisor."""

from __future__ import annotations

from app.counting.finish import FinishResult, RecountResult, approve, finish, recount
from app.counting.scan import (
    BinResult,
    ScanResult,
    StationResult,
    count_empty,
    open_bin,
    scan,
    station_scan,
)
from app.counting.tasks import (
    APPROVE_UNITS_KEY,
    APPROVE_VALUE_KEY,
    DEFAULT_APPROVE_UNITS,
    CreatedTask,
    approve_units,
    approve_value,
    cancel_task,
    create_task,
    set_approve_value,
    valid_approve_units,
)
from app.counting.views import (
    CounterBin,
    CounterView,
    Difference,
    TaskSummary,
    counter_view,
    differences,
    task_list,
)

__all__ = [
    "APPROVE_UNITS_KEY",
    "APPROVE_VALUE_KEY",
    "DEFAULT_APPROVE_UNITS",
    "BinResult",
    "CounterBin",
    "CounterView",
    "CreatedTask",
    "Difference",
    "FinishResult",
    "RecountResult",
    "ScanResult",
    "StationResult",
    "TaskSummary",
    "approve",
    "approve_units",
    "approve_value",
    "cancel_task",
    "count_empty",
    "counter_view",
    "create_task",
    "differences",
    "finish",
    "open_bin",
    "recount",
    "scan",
    "set_approve_value",
    "valid_approve_units",
    "station_scan",
    "task_list",
]
