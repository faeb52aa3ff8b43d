"""Timing helpers: medians, a printed table with ratios to the bare-SQLite equivalent, and a
stdlib sqlite3 connection opened with the app's durability settings so ratios compare like
with like."""

from __future__ import annotations

import gc
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


def median(fn: Callable[[], object], *, repeat: int = 30, warmup: int = 3) -> float:
    """Median wall time of ``fn()`` in seconds over ``repeat`` calls after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    times: list[float] = []
    gc_was_enabled = gc.isenabled()
    gc.disable()  # a collection in the middle of one sample is noise, not the operation
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    finally:
        if gc_was_enabled:
            gc.enable()
    return statistics.median(times)


def paired_medians(fn: Callable[[], object], bare: Callable[[], object], *, repeat: int,
                   warmup: int = 10, pause_gc: bool = True) -> tuple[float, float]:
    """Medians of ``fn`` and ``bare`` timed alternately (A, B, A, B, ...) after ``warmup`` calls
    of each, so both see the same disk and load conditions (a durable commit's cost drifts).
    ``pause_gc``: no garbage collection during the samples, as in ``median``."""
    for _ in range(warmup):
        fn()
        bare()
    a: list[float] = []
    b: list[float] = []
    gc_was_enabled = gc.isenabled()
    if pause_gc:
        gc.disable()
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            a.append(time.perf_counter() - start)
            start = time.perf_counter()
            bare()
            b.append(time.perf_counter() - start)
    finally:
        if pause_gc and gc_was_enabled:
            gc.enable()
    return statistics.median(a), statistics.median(b)


def format_duration(seconds: float | None) -> str:
    """A duration for humans: µs below a millisecond, ms below a second, else s."""
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def _target_ok(target: str, median_s: float, ratio: float | None) -> bool | None:
    """Evaluate a target such as ``"< 3x"`` (ratio to bare) or ``"< 50 ms"`` (absolute)."""
    text = target.strip().replace(" ", "").lower()
    if not text.startswith("<"):
        return None
    text = text[1:]
    try:
        if text.endswith("x") or text.endswith("×"):
            if ratio is None:
                return None
            return ratio < float(text[:-1])
        for unit, scale in (("µs", 1e-6), ("us", 1e-6), ("ms", 1e-3), ("s", 1.0)):
            if text.endswith(unit):
                return median_s < float(text[: -len(unit)]) * scale
    except ValueError:
        return None
    return None


@dataclass
class _Row:
    name: str
    median_s: float
    bare_s: float | None
    target: str

    @property
    def ratio(self) -> float | None:
        if self.bare_s is None or self.bare_s <= 0:
            return None
        return self.median_s / self.bare_s


@dataclass
class Table:
    """Rows of measured medians, printed with the bare operation, the ratio and the target."""

    title: str
    rows: list[_Row] = field(default_factory=list)
    bare_label: str = "bare sqlite"  # what the bare column measured (e.g. "bare psycopg2")

    def row(self, name: str, median_s: float, bare_s: float | None = None, target: str = "") -> None:
        self.rows.append(_Row(name, median_s, bare_s, target))

    @property
    def failed(self) -> list[str]:
        return [r.name for r in self.rows if _target_ok(r.target, r.median_s, r.ratio) is False]

    def lines(self) -> list[str]:
        header = ("operation", "median", self.bare_label, "ratio", "target")
        body = []
        for r in self.rows:
            ok = _target_ok(r.target, r.median_s, r.ratio)
            verdict = "" if ok is None else (" pass" if ok else " FAIL")
            body.append((
                r.name,
                format_duration(r.median_s),
                format_duration(r.bare_s),
                "-" if r.ratio is None else f"{r.ratio:.2f}x",
                (r.target + verdict).strip() or "-",
            ))
        widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(header)]

        def fmt(cells) -> str:
            out = [cells[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(cells[1:4], widths[1:4], strict=True)]
            out.append(cells[4].ljust(widths[4]))
            return "| " + " | ".join(out) + " |"

        sep = "|" + "|".join(
            ("-" * (w + 1)) + (":" if 0 < i < 4 else "-") for i, w in enumerate(widths)) + "|"
        return [f"### {self.title}", "", fmt(header), sep] + [fmt(b) for b in body]

    def markdown(self) -> str:
        return "\n".join(self.lines()) + "\n"

    def print(self, file=None) -> None:
        print("\n" + self.markdown(), file=file or sys.stdout, flush=True)


def bare_sqlite(path: str | Path) -> sqlite3.Connection:
    """A stdlib connection with the app's pragmas (WAL, synchronous=FULL, foreign keys, busy
    timeout, cache size), in autocommit mode so the caller writes its own BEGIN/COMMIT."""
    from app.store.db import SQLITE_PRAGMAS

    path = str(path)
    if path.startswith("sqlite:///"):
        path = path[len("sqlite:///"):]
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for name, value in SQLITE_PRAGMAS.items():
        conn.execute(f"PRAGMA {name} = {value}")
    return conn


def paired_medians_prepared(prepare: Callable[[], object], fn: Callable[[object], object],
                            bare: Callable[[], object], *, repeat: int,
                            warmup: int = 3) -> tuple[float, float]:
    """``paired_medians`` for an ``fn`` that needs something made first: each round calls
    ``prepare()`` untimed, then times ``fn`` on what it made, then ``bare()`` (alternately,
    no garbage collection during the samples)."""
    for _ in range(warmup):
        fn(prepare())
        bare()
    a: list[float] = []
    b: list[float] = []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            made = prepare()
            start = time.perf_counter()
            fn(made)
            a.append(time.perf_counter() - start)
            start = time.perf_counter()
            bare()
            b.append(time.perf_counter() - start)
    finally:
        if gc_was_enabled:
            gc.enable()
    return statistics.median(a), statistics.median(b)
