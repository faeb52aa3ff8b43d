"""Stock health: per client and product on hand, reserved and available, the products at or
below their reorder point and the slow movers (report ``stock``); bin occupancy per zone
(report ``bins``).

Stock is a snapshot of now (the period is not used for quantities); "slow" looks back
``days`` days from now for an outbound move (kind ``ship``: units that left for a customer).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from app.catalog import client_by_code
from app.kernel import clock
from app.kernel.errors import ValidationError
from app.reports.table import Cell, Period, Table
from app.store import db

STOCK_COLUMNS = ("client", "sku", "name", "on_hand", "reserved", "available", "reorder_point",
                 "at_reorder_point", "last_outbound", "slow_mover")
BINS_COLUMNS = ("zone", "bins", "occupied", "empty", "occupancy_rate", "units")
DEFAULT_SLOW_DAYS = 30
MAX_SLOW_DAYS = 3650  # ten years

STOCK_NOTES = (
    "On hand, reserved and available: units in bins now.",
    "At reorder point: the product has a reorder point and its available units are at or below it.",
    "Slow mover: units on hand and no unit shipped to a customer in the last {days} days.",
    "Last outbound: the warehouse day the product last shipped to a customer.",
)
BINS_NOTES = (
    "A bin is occupied when it holds at least one unit (of the client, when a client is chosen).",
    "Occupancy rate: occupied bins / active bins, a fraction with 4 decimals.",
)


def _client_id(client: str | None) -> int | None:
    return client_by_code(client).id if client else None


def check_days(days: object) -> int:
    """A look-back in days: a whole number from 1 to ``MAX_SLOW_DAYS``."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_SLOW_DAYS:
        raise ValidationError(f"days must be a whole number from 1 to {MAX_SLOW_DAYS}, not {days!r}")
    return days


def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a fraction with 4 decimals (None when ``whole`` is 0)."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def stock(period: Period | None = None, *, client: str | None = None,
          days: int = DEFAULT_SLOW_DAYS) -> Table:
    """One row per active product with units in bins or a reorder point, by client and SKU.

    Raises:
        NotFound: unknown client. ValidationError: bad ``days``.
    """
    days = check_days(days)
    client_id = _client_id(client)
    since = clock.now() - dt.timedelta(days=days)
    where = "p.active = ? AND (COALESCE(ps.on_hand, 0) > 0 OR p.reorder_point > 0)"
    params: list[object] = [True]
    if client_id is not None:
        where += " AND p.client_id = ?"
        params.append(client_id)
    rows = db.execute(
        "SELECT c.code, p.sku, p.name, COALESCE(ps.on_hand, 0), COALESCE(ps.reserved, 0), "
        "COALESCE(ps.available, 0), p.reorder_point, p.id "
        "FROM product p JOIN client c ON c.id = p.client_id "
        "LEFT JOIN product_stock ps ON ps.product_id = p.id "
        f"WHERE {where} ORDER BY c.code, p.sku", params,
    ).fetchall()
    last = _last_outbound([int(r[7]) for r in rows], client_id)
    out: list[tuple[Cell, ...]] = []
    for code, sku, name, on_hand, reserved, available, reorder_point, pid in rows:
        shipped = last.get(int(pid))
        at_reorder = int(reorder_point) > 0 and int(available) <= int(reorder_point)
        slow = int(on_hand) > 0 and (shipped is None or shipped < since)
        out.append((code, sku, name, int(on_hand), int(reserved), int(available), int(reorder_point),
                    "yes" if at_reorder else "", clock.local_day(shipped).isoformat() if shipped else "",
                    "yes" if slow else ""))
    notes = tuple(n.format(days=days) for n in STOCK_NOTES)
    return Table("stock", f"Stock by product (slow: no shipment in {days} days)", STOCK_COLUMNS, out, notes)


def _last_outbound(product_ids: list[int], client_id: int | None) -> dict[int, dt.datetime]:
    """When each product last shipped to a customer (one grouped query over the ship moves)."""
    if not product_ids:
        return {}
    # From the index (kind, product_id, created_at) alone; a move's client column is optional
    # (older moves lack it), so a client's products are chosen by the product.
    sql = "SELECT product_id, MAX(created_at) FROM stock_move WHERE kind = 'ship'"
    params: list[object] = []
    if client_id is not None:
        sql += " AND product_id IN (SELECT id FROM product WHERE client_id = ?)"
        params.append(client_id)
    wanted = set(product_ids)
    out: dict[int, dt.datetime] = {}
    for pid, when in db.execute(sql + " GROUP BY product_id", params).fetchall():
        moment = db.as_datetime(when)
        if int(pid) in wanted and moment is not None:
            out[int(pid)] = moment
    return out


def bin_occupancy(period: Period | None = None, *, client: str | None = None) -> Table:
    """Active bins per zone, how many hold stock, and the units in them; a row ``ALL``.

    Raises:
        NotFound: unknown client.
    """
    client_id = _client_id(client)
    if client_id is None:
        held = "SELECT location_id AS loc, SUM(on_hand) AS units FROM stock_level WHERE on_hand > 0 GROUP BY location_id"
        params: list[object] = []
    else:
        held = ("SELECT sl.location_id AS loc, SUM(sl.on_hand) AS units FROM stock_level sl "
                "JOIN product p ON p.id = sl.product_id WHERE sl.on_hand > 0 AND p.client_id = ? "
                "GROUP BY sl.location_id")
        params = [client_id]
    rows = db.execute(
        "SELECT l.zone, COUNT(*), SUM(CASE WHEN u.units > 0 THEN 1 ELSE 0 END), COALESCE(SUM(u.units), 0) "
        f"FROM location l LEFT JOIN ({held}) u ON u.loc = l.id "
        "WHERE l.kind = 'bin' AND l.active = ? GROUP BY l.zone ORDER BY l.zone", [*params, True],
    ).fetchall()
    out: list[tuple[Cell, ...]] = []
    totals = [0, 0, 0]
    for zone, bins, occupied, units in rows:
        bins, occupied, units = int(bins), int(occupied or 0), int(units or 0)
        out.append((zone or "(no zone)", bins, occupied, bins - occupied, rate(occupied, bins), units))
        totals = [totals[0] + bins, totals[1] + occupied, totals[2] + units]
    out.append(("ALL", totals[0], totals[1], totals[0] - totals[1], rate(totals[1], totals[0]), totals[2]))
    return Table("bins", "Bin occupancy by zone", BINS_COLUMNS, out, BINS_NOTES)
