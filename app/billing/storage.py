"""Storage from the ledger: the client's units and bins in stock at the end of each day.

Unit-days: for each warehouse day of the period, the units of the client's products in real
locations (bins and staging areas; virtual ones stand for the outside world) at the end of
that day, summed over the days. Bin-days: for each day, the bins (kind ``bin``) holding any
of the client's units at its end, summed over the days.

Both come from the moves alone, so a past period can be billed at any time. One statement
reads, in one snapshot, the client's balances now and every move of the client's products
since the period began; the balance at the start of the period is the balance now less what
moved since (the same as the sum of every move before it, by the ledger's first invariant,
and far fewer rows to read for a recent period). Each day's end is then the opening plus the
day's changes, walked through in order.

A day that has not ended has no end-of-day stock yet: today and the days after it count
nothing (``ended`` says how many days of the period have ended), so a period still running
is billed only for the days behind it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

from app.billing.days import Days
from app.store import db

# A move belongs to the client named on it; a move written without one, to its product's.
_CLIENT_MOVES = ("(m.client_id = ? OR (m.client_id IS NULL AND EXISTS "
                 "(SELECT 1 FROM product p WHERE p.id = m.product_id AND p.client_id = ?)))")
STORAGE_SQL = (
    "SELECT NULL, 0, s.location_id, SUM(s.on_hand) FROM stock_level s JOIN product p ON p.id = s.product_id "
    "WHERE p.client_id = ? AND s.on_hand <> 0 GROUP BY s.location_id "
    "UNION ALL "
    "SELECT m.created_at, m.from_location_id, m.to_location_id, m.qty FROM stock_move m "
    f"WHERE m.created_at >= ? AND {_CLIENT_MOVES}"
)


@dataclass(frozen=True)
class StorageDays:
    """Per day of the period: units and bins in stock at its end (0 for a day not ended); their sums."""

    days: Days
    units: tuple[int, ...]
    bins: tuple[int, ...]
    ended: int  # the days of the period that have ended (the first ``ended`` days)

    @property
    def unit_days(self) -> int:
        return sum(self.units)

    @property
    def bin_days(self) -> int:
        return sum(self.bins)


def storage_days(client_id: int, days: Days) -> StorageDays:
    """The client's units and bins at the end of each day of ``days`` (see the module)."""
    kinds = {int(i): k for i, k in db.execute("SELECT id, kind FROM location WHERE kind <> 'virtual'").fetchall()}
    rows = db.execute(STORAGE_SQL, (client_id, days.start, client_id, client_id)).fetchall()
    n = len(days)
    now: dict[int, int] = {}
    change: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))  # location -> day -> units
    bounds: list[object] = list(days.bounds)
    text_times = False
    for when, src, dst, qty in rows:
        if when is None:
            now[int(dst)] = int(qty)
            continue
        if not text_times and isinstance(when, str):  # SQLite returns its timestamps as text
            text_times = True
            bounds = [b.strftime("%Y-%m-%d %H:%M:%S") if b.microsecond == 0 else b.isoformat(" ")
                      for b in days.bounds]
        day = bisect.bisect_right(bounds, when) - 1  # day n: after the period
        if day > n:
            day = n
        if src in kinds:
            change[src][day] -= qty
        if dst in kinds:
            change[dst][day] += qty
    units = [0] * (n + 1)
    bins = [0] * (n + 1)  # as differences: bins[k] counts from day k on
    for loc in kinds.keys() & (now.keys() | change.keys()):
        steps = change.get(loc, {})
        balance = now.get(loc, 0) - sum(steps.values())  # at the start of the period
        is_bin = kinds[loc] == "bin"
        day = 0
        for k in sorted(steps):
            if k >= n:
                break
            if balance and k > day:
                units[day] += balance
                units[k] -= balance
                if is_bin and balance > 0:
                    bins[day] += 1
                    bins[k] -= 1
            balance += steps[k]
            day = k
        if balance:
            units[day] += balance
            units[n] -= balance
            if is_bin and balance > 0:
                bins[day] += 1
                bins[n] -= 1
    ended = days.ended()
    return StorageDays(days, _ended_only(units[:n], ended), _ended_only(bins[:n], ended), ended)


def _ended_only(diffs: list[int], ended: int) -> tuple[int, ...]:
    """The running totals of the days that have ended, 0 for the others."""
    return _running(diffs)[:ended] + (0,) * (len(diffs) - ended)


def _running(diffs: list[int]) -> tuple[int, ...]:
    out, total = [], 0
    for d in diffs:
        total += d
        out.append(total)
    return tuple(out)
