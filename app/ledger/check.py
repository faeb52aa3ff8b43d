"""The ledger check: every invariant of the stock ledger, verified against the tables.

A full check reads every move and balance; an incremental one only the moves since the last
clean check and the balances they touched (remembered in ``ledger_check_state``).

Balances are per product, location and lot, and each invariant holds per lot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.kernel import clock
from app.ledger.moves import sku_of
from app.store import db
from app.store.migrations import TOTAL_COLUMNS, product_totals_sql
from app.store.places import location_by_id

# An incremental check becomes a full one when the last full check is older than this: the
# first supervisor look of the day re-reads everything (what a touched balance cannot show,
# e.g. a balance row edited by hand, a full check finds).
FULL_EVERY = dt.timedelta(hours=20)

# One balance's (product, location, lot) moves in minus its moves out, from the covering
# indexes on stock_move.
_MOVED = (
    "(COALESCE((SELECT SUM(m.qty) FROM stock_move m WHERE m.product_id = {p} AND m.to_location_id = {loc} "
    "AND m.lot = {lot}), 0)"
    " - COALESCE((SELECT SUM(m.qty) FROM stock_move m WHERE m.product_id = {p} "
    "AND m.from_location_id = {loc} AND m.lot = {lot}), 0))"
)
# The open allocations of one balance (index on allocation (product, location), then the lot).
_ALLOCATED = ("(SELECT COALESCE(SUM(a.qty), 0) FROM allocation a WHERE a.product_id = {p} "
              "AND a.location_id = {loc} AND a.lot = {lot})")
# An undo mirrors its move: same product, quantity and lot, locations swapped.
# A balance row at fault (``sl``, its location ``l``): against its moves, its bounds, its
# allocations (the same rules as ``_level_problems``, which names them).
_BAD_BALANCE = ("(l.kind <> 'virtual' AND sl.on_hand <> {moved}) OR sl.on_hand < 0 OR sl.reserved < 0 "
                "OR sl.reserved > sl.on_hand OR (l.kind = 'virtual' AND (sl.on_hand <> 0 OR sl.reserved <> 0)) "
                "OR sl.reserved <> {allocated}")
_MIRRORS = ("m.product_id = o.product_id AND m.qty = o.qty AND m.lot = o.lot "
            "AND m.from_location_id = o.to_location_id AND m.to_location_id = o.from_location_id")
_MALFORMED = ("m.qty <= 0 OR m.from_location_id = m.to_location_id OR m.kind = '' OR m.created_at IS NULL "
              "OR (m.user_name = '' AND m.user_id IS NULL)")
_BAD_MOVE = f"{_MALFORMED} OR (o.id IS NOT NULL AND NOT ({_MIRRORS}))"


@dataclass(frozen=True)
class CheckReport:
    problems: list[str]
    moves: int
    balances: int
    full: bool = True
    new_moves: int = 0  # moves verified by an incremental check (all of them for a full one)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(*, limit: int = 50, incremental: bool = False) -> CheckReport:
    """Verify the ledger invariants; returns every breach found (up to ``limit``).

    1. every real location's balance of a product and lot equals the moves of that lot into
       it minus those out of it;
    2. no negative on-hand, 0 <= reserved <= on-hand, virtual locations hold no balance, and
       reservations equal the open allocations (of the same product, location and lot);
    3. every move is well formed and says who, when and why; 4. an undo mirrors its move;
    5. the per-product totals kept by triggers equal the balances.

    ``incremental``: verify the moves since the last clean check and the balances, products
    and reservations they touched, plus the total on hand (a full check instead when none
    was clean yet or the last full one is older than ``FULL_EVERY``). A clean check records
    where it stopped.
    """
    state = _state()
    if incremental and state is not None and state[4] is not None and \
            clock.now() - _as_dt(state[4]) < FULL_EVERY:
        report = _incremental(state, limit)
        if not report.ok:
            # Without a snapshot a station's move can land between two reads: look once more
            # before calling it a breach.
            report = _incremental(state, limit)
        return report
    return _full(limit)


def _as_dt(value: object) -> dt.datetime:
    parsed = db.as_datetime(value)
    assert parsed is not None
    return parsed


def _state() -> tuple[int, int, int, object, object] | None:
    """(last move id, moves, on-hand total, checked at, full at) of the last clean check."""
    row = db.execute("SELECT last_move_id, moves, on_hand_total, checked_at, full_at "
                     "FROM ledger_check_state ORDER BY id LIMIT 1").fetchone()
    return None if row is None else (int(row[0]), int(row[1]), int(row[2]), row[3], row[4])


def _last_move_id() -> int:
    return int(db.execute("SELECT COALESCE(MAX(id), 0) FROM stock_move").fetchone()[0])


def _virtual_ids() -> list[tuple[int, int]]:
    """The virtual locations' ids as (first, last) runs of consecutive ids (one or two runs:
    they are made together when the warehouse is set up)."""
    runs: list[tuple[int, int]] = []
    for (i,) in db.execute("SELECT id FROM location WHERE kind = 'virtual' ORDER BY id").fetchall():
        if runs and runs[-1][1] == int(i) - 1:
            runs[-1] = (runs[-1][0], int(i))
        else:
            runs.append((int(i), int(i)))
    return runs or [(0, 0)]


def _is_virtual(column: str, runs: list[tuple[int, int]]) -> str:
    """SQL: ``column`` names a virtual location (ranges compare faster than an IN list)."""
    return "(" + " OR ".join(f"{column} BETWEEN {a} AND {b}" for a, b in runs) + ")"


def _on_hand_total(*, kept: bool = False) -> int:
    """On hand over every balance row (virtual locations hold none: that is checked too).

    ``kept``: added up from the per-product totals instead (bins, RECEIVING, QUARANTINE and
    the other staging places make every real location), each through its own index: the
    bins' over one index entry per product, the others over their non-zero entries only.
    Equal to the balances' once a full check passed, and kept so by triggers; an incremental
    check verifies the totals of the products it touches."""
    if not kept:
        return int(db.execute("SELECT COALESCE(SUM(on_hand), 0) FROM stock_level").fetchone()[0])
    staged = " + ".join(f"(SELECT COALESCE(SUM({c}), 0) FROM product_stock WHERE {c} > 0 OR {c} < 0)"
                        for c in ("receiving", "quarantine", "elsewhere"))
    return int(db.execute(f"SELECT (SELECT COALESCE(SUM(on_hand), 0) FROM product_stock) + {staged}").fetchone()[0])


def _moves_pass(since: int, until: int, virtual: list[tuple[int, int]]) -> tuple[int, int, int]:
    """One read of the moves in (since, until]: how many, their net units into real locations,
    and how many are malformed or false undos (named by ``_move_problems`` only when any).

    The net is counted on the moves that cross between a virtual and a real location (+ in,
    - out), one range test per side. The undos are looked at apart, through the
    ``reverses_id`` index (few moves are undos): the pass over every move reads each row
    alone, with no join."""
    from_v, to_v = _is_virtual("m.from_location_id", virtual), _is_virtual("m.to_location_id", virtual)
    row = db.execute(
        f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {from_v} THEN (CASE WHEN {to_v} THEN 0 ELSE m.qty END) "
        f"WHEN {to_v} THEN -m.qty ELSE 0 END), 0), "
        f"COUNT(CASE WHEN {_MALFORMED} THEN 1 END) FROM stock_move m WHERE m.id > ? AND m.id <= ?",
        (since, until)).fetchone()
    # A full check asks every undo (an index range); an incremental one the window's moves.
    window, params = ("", ()) if since == 0 else (" AND m.id > ? AND m.id <= ?", (since, until))
    false_undos = db.execute(
        "SELECT COUNT(*) FROM stock_move m JOIN stock_move o ON o.id = m.reverses_id "
        f"WHERE m.reverses_id > 0{window} AND NOT ({_MIRRORS})", params).fetchone()[0]
    return int(row[0]), int(row[1]), int(row[2]) + int(false_undos)


def _full(limit: int) -> CheckReport:
    last = _last_move_id()
    virtual = _virtual_ids()
    # One pass over the balances: every row against its own moves (index sums) and its
    # allocations, its bounds, and each product's totals against product_stock. The rows at
    # fault are named by a second read only when there are any.
    where = {"p": "sl.product_id", "loc": "sl.location_id", "lot": "sl.lot"}
    total_problems, bad_balances = _product_total_problems(limit, bad_balance=_BAD_BALANCE.format(
        moved=_MOVED.format(**where), allocated=_ALLOCATED.format(**where)))
    problems: list[str] = []
    if bad_balances:  # ("+" keeps SQLite reading the balances in order, not by location)
        problems = _level_problems(
            "SELECT sl.product_id, sl.location_id, sl.lot, sl.on_hand, sl.reserved, l.kind, "
            f"CASE WHEN l.kind = 'virtual' THEN sl.on_hand ELSE {_MOVED.format(**where)} "
            f"END, {_ALLOCATED.format(**where)} "
            "FROM stock_level sl JOIN location l ON l.id = +sl.location_id", limit)
    count, net, bad = _moves_pass(0, last, virtual)
    on_hand = _on_hand_total()
    if on_hand != net:
        # Every balance row equals its moves, yet the totals differ: moves into or out of a
        # real location without any balance row. Name them.
        problems += _unbalanced_moves(limit)
        if on_hand != net and not problems:
            problems.append(f"on hand over all locations is {on_hand}, the moves say {net}")
    # Reservations held by allocations of a lot in a place without any balance row for it.
    for product_id, location_id, lot, alloc in db.execute(
        "SELECT a.product_id, a.location_id, a.lot, SUM(a.qty) FROM allocation a WHERE NOT EXISTS "
        "(SELECT 1 FROM stock_level sl WHERE sl.product_id = a.product_id AND sl.location_id = a.location_id "
        "AND sl.lot = a.lot) "
        f"GROUP BY a.product_id, a.location_id, a.lot HAVING SUM(a.qty) <> 0 LIMIT {int(limit)}"
    ).fetchall():
        problems.append(f"{_named(product_id, lot)} in {location_by_id(location_id).code}: reserved 0 "
                        f"but allocations total {alloc}")
    if bad:
        problems += _move_problems(0, limit, until=last)
    problems += total_problems
    balances = int(db.execute("SELECT COUNT(*) FROM stock_level").fetchone()[0])
    report = CheckReport(problems=problems[:limit], moves=count, balances=balances, full=True, new_moves=count)
    if report.ok:
        _remember(last, report.moves, on_hand, full=True)
    return report


def _unbalanced_moves(limit: int) -> list[str]:
    """Real locations with moves of a product's lot but no balance row for it."""
    problems: list[tuple[tuple[int, int, str], str]] = []
    for side in ("to_location_id", "from_location_id"):
        rows = db.execute(
            f"SELECT x.product_id, x.{side}, x.lot, "
            f"{_MOVED.format(p='x.product_id', loc=f'x.{side}', lot='x.lot')} "
            f"FROM (SELECT DISTINCT product_id, {side}, lot FROM stock_move) x "
            f"JOIN location l ON l.id = x.{side} AND l.kind <> 'virtual' WHERE NOT EXISTS "
            f"(SELECT 1 FROM stock_level sl WHERE sl.product_id = x.product_id AND sl.location_id = x.{side} "
            "AND sl.lot = x.lot)"
        ).fetchall()
        for product_id, location_id, lot, moved in rows:
            where = (product_id, location_id, lot)
            if moved and len(problems) < limit and where not in {p for p, _ in problems}:
                problems.append((where, f"balance of {_named(product_id, lot)} in "
                                        f"{location_by_id(location_id).code} is 0, moves say {moved}"))
    return [text for _, text in problems]


def _incremental(state: tuple[int, int, int, object, object], limit: int) -> CheckReport:
    since, moves_before, on_hand_before = state[0], state[1], state[2]
    last = _last_move_id()
    virtual = _virtual_ids()
    count, net, bad = _moves_pass(since, last, virtual)
    touched = ("SELECT product_id, to_location_id AS location_id, lot FROM stock_move WHERE id > ? AND id <= ? "
               "UNION SELECT product_id, from_location_id, lot FROM stock_move WHERE id > ? AND id <= ?")
    window = (since, last, since, last)
    where = {"p": "t.product_id", "loc": "t.location_id", "lot": "t.lot"}
    problems = _level_problems(
        "SELECT t.product_id, t.location_id, t.lot, COALESCE(sl.on_hand, 0), COALESCE(sl.reserved, 0), l.kind, "
        f"CASE WHEN l.kind = 'virtual' THEN COALESCE(sl.on_hand, 0) "
        f"ELSE {_MOVED.format(**where)} END, {_ALLOCATED.format(**where)} "
        f"FROM ({touched}) t JOIN location l ON l.id = t.location_id "
        "LEFT JOIN stock_level sl ON sl.product_id = t.product_id AND sl.location_id = t.location_id "
        "AND sl.lot = t.lot",
        limit, window)
    on_hand = _on_hand_total(kept=True)
    if on_hand != on_hand_before + net:
        problems.append(f"on hand over all locations is {on_hand}, the last check and the moves since "
                        f"say {on_hand_before + net}")
    if bad:
        problems += _move_problems(since, limit, until=last)
    problems += _product_total_problems(limit, products=f"SELECT product_id FROM ({touched}) tp",
                                        params=window)[0]
    balances = int(db.execute("SELECT COUNT(*) FROM stock_level").fetchone()[0])
    report = CheckReport(problems=problems[:limit], moves=moves_before + count, balances=balances,
                         full=False, new_moves=count)
    if report.ok:
        _remember(last, report.moves, on_hand, full=False)
    return report


def _level_problems(sql: str, limit: int, params: tuple[object, ...] = ()) -> list[str]:
    """1./2. balance rows (product, location, lot, on hand, reserved, kind, moved, allocated)
    that disagree with their moves or their allocations (of that lot), or break a bound."""
    cond = ("(kind <> 'virtual' AND on_hand <> moved) OR on_hand < 0 OR reserved < 0 OR reserved > on_hand "
            "OR (kind = 'virtual' AND (on_hand <> 0 OR reserved <> 0)) OR reserved <> allocated")
    rows = db.execute(
        f"WITH x (product_id, location_id, lot, on_hand, reserved, kind, moved, allocated) AS ({sql}) "
        f"SELECT * FROM x WHERE {cond} LIMIT {int(limit)}", params,
    ).fetchall()
    problems = []
    for row in rows:
        product_id, location_id, lot, oh, rs, kind, moved, allocated = row
        where = f"{_named(product_id, lot)} in {location_by_id(location_id).code}"
        if kind != "virtual" and oh != moved:
            problems.append(f"balance of {where} is {oh} without any move" if not moved else
                            f"balance of {where} is {oh}, moves say {moved}")
        if oh < 0 or rs < 0 or rs > oh or (kind == "virtual" and (oh or rs)):
            problems.append(f"{where} ({kind}): on hand {oh}, reserved {rs}")
        if rs != allocated:
            problems.append(f"{where}: reserved {rs} but allocations total {allocated}")
    return problems


def _named(product_id: int, lot: str) -> str:
    return sku_of(product_id) + (f" lot {lot}" if lot else "")


def _move_problems(since: int, limit: int, *, until: int | None = None) -> list[str]:
    """3./4. malformed moves and undos that do not mirror their move, among ids > ``since``."""
    window = "m.id > ?" + ("" if until is None else " AND m.id <= ?")
    params = (since,) if until is None else (since, until)
    problems = []
    for move_id, mirrored in db.execute(
        f"SELECT m.id, CASE WHEN o.id IS NULL OR ({_MIRRORS}) "
        "THEN 1 ELSE 0 END FROM stock_move m LEFT JOIN stock_move o ON o.id = m.reverses_id "
        f"WHERE {window} AND ({_BAD_MOVE}) ORDER BY m.id LIMIT {int(limit)}", params,
    ).fetchall():
        if not mirrored:
            problems.append(f"stock move #{move_id} claims to undo a move it does not mirror")
        else:
            problems.append(f"stock move #{move_id} is malformed (quantity, locations, kind, who or when)")
    return problems


def _product_total_problems(limit: int, *, products: str | None = None, params: tuple[object, ...] = (),
                            bad_balance: str | None = None) -> tuple[list[str], bool]:
    """5. the per-product totals (product_stock, kept by triggers) equal the balances (of the
    ``products`` subquery's products only, when given). With ``bad_balance`` (SQL over ``sl``
    and ``l``: a balance row at fault) the same pass also says whether any balance row is.

    Returns the problems and whether a balance row is at fault."""
    differs = " OR ".join(f"ps.{c} <> COALESCE(s.{c}, 0)" for c in TOTAL_COLUMNS)
    totals = product_totals_sql()
    only = ""
    if products is not None:
        totals = totals.replace(" GROUP BY", f" WHERE sl.product_id IN ({products}) GROUP BY")
        only = f"p.id IN ({products}) AND "
        params = params + params
    at_fault = "0"
    if bad_balance is not None:
        totals = totals.replace(" FROM stock_level", f", COUNT(CASE WHEN {bad_balance} THEN 1 END) AS bad "
                                "FROM stock_level", 1)
        at_fault, differs = "COALESCE(s.bad, 0)", f"s.bad > 0 OR {differs}"
    rows = db.execute(
        f"SELECT p.id, ps.product_id, {', '.join(f'ps.{c}' for c in TOTAL_COLUMNS)}, "
        f"{', '.join(f'COALESCE(s.{c}, 0)' for c in TOTAL_COLUMNS)}, {at_fault} "
        f"FROM product p LEFT JOIN product_stock ps ON ps.product_id = p.id "
        f"LEFT JOIN ({totals}) s ON s.product_id = p.id "
        f"WHERE {only}(ps.product_id IS NULL OR {differs}) ORDER BY p.id LIMIT {int(limit)}", params,
    ).fetchall()
    problems = []
    n = len(TOTAL_COLUMNS)
    for row in rows:
        sku = sku_of(row[0])
        if row[1] is None:
            problems.append(f"{sku} has no stock totals row")
            continue
        kept, actual = row[2:2 + n], row[2 + n:2 + 2 * n]
        for column, k, a in zip(TOTAL_COLUMNS, kept, actual, strict=True):
            if k != a:
                problems.append(f"stock total {column} of {sku} is {k}, balances say {a}")
    return problems, any(row[-1] for row in rows)


def _remember(last_move_id: int, moves: int, on_hand: int, *, full: bool) -> None:
    """Record where a clean check stopped (and, for a full one, when)."""
    now = clock.now()
    with db.write():
        cur = db.execute(
            "UPDATE ledger_check_state SET last_move_id = ?, moves = ?, on_hand_total = ?, checked_at = ?"
            + (", full_at = ?" if full else ""),
            (last_move_id, moves, on_hand, now, *((now,) if full else ())))
        if cur.rowcount == 0:
            db.execute("INSERT INTO ledger_check_state (last_move_id, moves, on_hand_total, checked_at, full_at) "
                       "VALUES (?, ?, ?, ?, ?)", (last_move_id, moves, on_hand, now, now if full else None))
