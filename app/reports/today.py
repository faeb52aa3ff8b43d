"""Figures and small queries for the supervisor screen and the staging (returns) list.

Everything here is plain data in, frozen dataclasses out; no Qt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app import inventory
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import ValidationError
from app.ledger.lots import expiry_text
from app.store import db

STAGING_FOR_DISPOSITION = ("RETURNS", "QUARANTINE")


@dataclass(frozen=True)
class KindCount:
    kind: str
    moves: int
    units: int


@dataclass(frozen=True)
class StatusCount:
    status: str
    orders: int


@dataclass(frozen=True)
class StagedStock:
    location: str
    product_id: int
    client: str
    sku: str
    name: str
    on_hand: int
    reserved: int
    lot: str = ""  # "" for a product without lots
    expiry: dt.date | None = None

    @property
    def lot_text(self) -> str:
        """``SOON EXP 05-31-2026`` (the marketplace date format), "" without a lot."""
        return " ".join(x for x in (self.lot, expiry_text(self.expiry) if self.lot else "") if x)


@dataclass(frozen=True)
class StockTotals:
    in_bins: int        # units on hand in bins
    reserved: int       # of those, reserved for orders
    available: int
    receiving: int      # received, waiting for putaway
    returns: int        # waiting in RETURNS or QUARANTINE for a disposition
    packing: int        # picked, waiting in PACKING
    products_out: int   # active products with stock history and nothing free in bins


def stock_totals() -> StockTotals:
    """Warehouse-wide unit counts by kind of place, for the supervisor's overview."""
    # Bins and receiving from the per-product totals (kept by triggers, see migration 3);
    # the small staging areas through stock_level's location index. 230 ms -> a few ms on
    # 100,000 products.
    row = db.execute(
        "SELECT COALESCE(SUM(on_hand), 0), COALESCE(SUM(reserved), 0), COALESCE(SUM(receiving), 0) "
        "FROM product_stock"
    ).fetchone()
    staged = dict(db.execute(
        "SELECT l.code, COALESCE(SUM(sl.on_hand), 0) FROM location l "
        "JOIN stock_level sl ON sl.location_id = l.id "
        "WHERE l.code IN ('RETURNS', 'QUARANTINE', 'PACKING') GROUP BY l.code"
    ).fetchall())
    row = (*row, staged.get("RETURNS", 0) + staged.get("QUARANTINE", 0), staged.get("PACKING", 0))
    # Nothing free in any bin: on hand never falls below reserved in a bin (check() holds
    # it), so a product's bins have no free unit exactly when its available total is 0.
    out = db.execute(
        "SELECT COUNT(*) FROM product p JOIN product_stock ps ON ps.product_id = p.id "
        "WHERE p.active = ? AND ps.available <= 0 "
        "AND EXISTS (SELECT 1 FROM stock_level s0 WHERE s0.product_id = p.id)",
        (True,),
    ).fetchone()[0]
    in_bins, reserved, receiving, returns, packing = (int(v) for v in row)
    return StockTotals(in_bins, reserved, in_bins - reserved, receiving, returns, packing, int(out))


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The warehouse day ``day`` (local midnight to midnight) as naive UTC [start, end)."""
    return clock.period(day, day)


def moves_by_kind(day: dt.date | None = None) -> list[KindCount]:
    """Stock moves (and units) per kind on one warehouse day (today by default), busiest first."""
    start, end = day_bounds(day or clock.local_today())
    rows = db.execute(
        "SELECT kind, COUNT(*), COALESCE(SUM(qty), 0) FROM stock_move "
        "WHERE created_at >= ? AND created_at < ? GROUP BY kind ORDER BY COUNT(*) DESC, kind",
        (start, end),
    ).fetchall()
    return [KindCount(k, int(n), int(u)) for k, n, u in rows]


def orders_by_status() -> list[StatusCount]:
    """How many orders are in each status (empty when there are no orders yet)."""
    rows = db.execute('SELECT status, COUNT(*) FROM "order" GROUP BY status ORDER BY status').fetchall()
    return [StatusCount(s, int(n)) for s, n in rows]


def staged_stock(codes: tuple[str, ...] = STAGING_FOR_DISPOSITION) -> list[StagedStock]:
    """What waits in staging areas (by default RETURNS and QUARANTINE) for a disposition."""
    if not codes:
        return []
    marks = ", ".join("?" for _ in codes)
    rows = db.execute(
        "SELECT l.code, p.id, c.code, p.sku, p.name, sl.on_hand, sl.reserved, sl.lot, t.expiry "
        "FROM stock_level sl "
        "JOIN location l ON l.id = sl.location_id JOIN product p ON p.id = sl.product_id "
        "JOIN client c ON c.id = p.client_id "
        "LEFT JOIN lot t ON t.product_id = sl.product_id AND t.lot = sl.lot AND sl.lot <> '' "
        f"WHERE l.code IN ({marks}) AND sl.on_hand > 0 "
        "ORDER BY l.code, c.code, p.sku, t.expiry, sl.lot",
        tuple(codes),
    ).fetchall()
    return [StagedStock(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], db.as_date(r[8])) for r in rows]


def scrap_staged(product_id: int, location_code: str, qty: int, *, actor: Actor,
                 reason: str = "", lot: str | None = None) -> int:
    """Dispose of units waiting in RETURNS or QUARANTINE: a 'scrap' move to SCRAP. Supervisors only.

    ``lot``: which lot of a product with lots (none: the only lot waiting there).

    Returns:
        The move id.

    Raises:
        PermissionDenied: the actor is not a supervisor.
        ValidationError: the location is not one of the disposition staging areas.
        OutOfStock: fewer units wait there.
    """
    actor.require_to("scrap stock")
    code = location_code.strip().upper()
    if code not in STAGING_FOR_DISPOSITION:
        raise ValidationError(f"only stock in {' or '.join(STAGING_FOR_DISPOSITION)} is scrapped here")
    return inventory.move(product_id, code, "SCRAP", qty, actor=actor, kind="scrap",
                          reason=reason.strip() or "scrapped from " + code, lot=lot or None)
