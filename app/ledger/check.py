"""The ledger check: every invariant of the stock ledger, verified against the tables."""

from __future__ import annotations

from dataclasses import dataclass

from app.ledger.moves import sku_of
from app.store import db
from app.store.migrations import TOTAL_COLUMNS, product_totals_sql
from app.store.places import location_by_id


@dataclass(frozen=True)
class CheckReport:
    problems: list[str]
    moves: int
    balances: int

    @property
    def ok(self) -> bool:
        return not self.problems


def check(*, limit: int = 50) -> CheckReport:
    """Verify the ledger invariants; returns every breach found (up to ``limit``).

    Balances are per product, location and lot, and each invariant holds per lot.

    1. every real location's balance equals the moves into it minus the moves out of it;
    2. no negative on-hand, 0 <= reserved <= on-hand, virtual locations hold no balance, and
       reservations equal the open allocations;
    3. every move is well formed and says who, when and why; 4. an undo mirrors its move;
    5. the per-product totals kept by triggers equal the balances.
    """
    problems: list[str] = []
    # 1. balance = moves in - moves out, for every product, real location and lot
    rows = db.execute(
        """
        SELECT x.product_id, x.location_id, x.lot, x.moved, COALESCE(sl.on_hand, 0) FROM (
          SELECT product_id, location_id, lot, SUM(q) AS moved FROM (
            SELECT product_id, to_location_id AS location_id, lot, qty AS q FROM stock_move
            UNION ALL
            SELECT product_id, from_location_id AS location_id, lot, -qty AS q FROM stock_move
          ) t GROUP BY product_id, location_id, lot
        ) x
        JOIN location l ON l.id = x.location_id AND l.kind <> 'virtual'
        LEFT JOIN stock_level sl ON sl.product_id = x.product_id AND sl.location_id = x.location_id
          AND sl.lot = x.lot
        WHERE x.moved <> COALESCE(sl.on_hand, 0)
        """
    ).fetchall()
    for product_id, location_id, lot, moved, bal in rows[:limit]:
        problems.append(
            f"balance of {_named(product_id, lot)} in {location_by_id(location_id).code} is {bal}, "
            f"moves say {moved}"
        )
    orphan = db.execute(
        """
        SELECT sl.product_id, sl.location_id, sl.lot, sl.on_hand FROM stock_level sl
        WHERE sl.on_hand <> 0 AND NOT EXISTS (
          SELECT 1 FROM stock_move m WHERE m.product_id = sl.product_id AND m.lot = sl.lot
          AND (m.to_location_id = sl.location_id OR m.from_location_id = sl.location_id))
        """
    ).fetchall()
    for product_id, location_id, lot, bal in orphan[:limit]:
        problems.append(f"balance of {_named(product_id, lot)} in {location_by_id(location_id).code} "
                        f"is {bal} without any move")
    # 2. no negative on-hand; 0 <= reserved <= on-hand; virtual locations hold no balance
    for product_id, location_id, lot, oh, rs, kind in db.execute(
        "SELECT sl.product_id, sl.location_id, sl.lot, sl.on_hand, sl.reserved, l.kind FROM stock_level sl "
        "JOIN location l ON l.id = sl.location_id "
        "WHERE sl.on_hand < 0 OR sl.reserved < 0 OR sl.reserved > sl.on_hand OR "
        "(l.kind = 'virtual' AND (sl.on_hand <> 0 OR sl.reserved <> 0))"
    ).fetchall()[:limit]:
        problems.append(f"{_named(product_id, lot)} in {location_by_id(location_id).code} ({kind}): "
                        f"on hand {oh}, reserved {rs}")
    # reservations in balances are exactly the open allocations, lot by lot
    for product_id, location_id, lot, rs, alloc in db.execute(
        """
        SELECT COALESCE(sl.product_id, a.product_id), COALESCE(sl.location_id, a.location_id),
               COALESCE(sl.lot, a.lot), COALESCE(sl.reserved, 0), COALESCE(a.qty, 0)
        FROM stock_level sl
        FULL OUTER JOIN (SELECT product_id, location_id, lot, SUM(qty) AS qty FROM allocation
                         GROUP BY product_id, location_id, lot) a
          ON a.product_id = sl.product_id AND a.location_id = sl.location_id AND a.lot = sl.lot
        WHERE COALESCE(sl.reserved, 0) <> COALESCE(a.qty, 0)
        """
    ).fetchall()[:limit]:
        problems.append(f"{_named(product_id, lot)} in {location_by_id(location_id).code}: reserved {rs} "
                        f"but allocations total {alloc}")
    # 3./4. moves are well-formed and say who, where, when, why
    for (move_id,) in db.execute(
        "SELECT id FROM stock_move WHERE qty <= 0 OR from_location_id = to_location_id "
        "OR kind = '' OR created_at IS NULL OR (user_name = '' AND user_id IS NULL)"
    ).fetchall()[:limit]:
        problems.append(f"stock move #{move_id} is malformed (quantity, locations, kind, who or when)")
    for (move_id,) in db.execute(
        "SELECT m.id FROM stock_move m JOIN stock_move o ON o.id = m.reverses_id "
        "WHERE m.product_id <> o.product_id OR m.qty <> o.qty OR m.lot <> o.lot "
        "OR m.from_location_id <> o.to_location_id "
        "OR m.to_location_id <> o.from_location_id"
    ).fetchall()[:limit]:
        problems.append(f"stock move #{move_id} claims to undo a move it does not mirror")
    problems += _product_total_problems(limit)
    counts = db.execute("SELECT (SELECT COUNT(*) FROM stock_move), (SELECT COUNT(*) FROM stock_level)").fetchone()
    return CheckReport(problems=problems[:limit], moves=int(counts[0]), balances=int(counts[1]))


def _named(product_id: int, lot: str) -> str:
    return sku_of(product_id) + (f" lot {lot}" if lot else "")


def _product_total_problems(limit: int) -> list[str]:
    """5. the per-product totals (product_stock, kept by triggers) equal the balances."""
    differs = " OR ".join(f"ps.{c} <> COALESCE(s.{c}, 0)" for c in TOTAL_COLUMNS)
    rows = db.execute(
        f"SELECT p.id, ps.product_id, {', '.join(f'ps.{c}' for c in TOTAL_COLUMNS)}, "
        f"{', '.join(f'COALESCE(s.{c}, 0)' for c in TOTAL_COLUMNS)} "
        f"FROM product p LEFT JOIN product_stock ps ON ps.product_id = p.id "
        f"LEFT JOIN ({product_totals_sql()}) s ON s.product_id = p.id "
        f"WHERE ps.product_id IS NULL OR {differs} ORDER BY p.id LIMIT {int(limit)}"
    ).fetchall()
    problems = []
    n = len(TOTAL_COLUMNS)
    for row in rows:
        sku = sku_of(row[0])
        if row[1] is None:
            problems.append(f"{sku} has no stock totals row")
            continue
        kept, actual = row[2:2 + n], row[2 + n:]
        for column, k, a in zip(TOTAL_COLUMNS, kept, actual, strict=True):
            if k != a:
                problems.append(f"stock total {column} of {sku} is {k}, balances say {a}")
    return problems
