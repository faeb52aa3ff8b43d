"""Near-expiry stock: units of expiry-tracked lots that expire within N days, per client and location."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.kernel import clock
from app.kernel.errors import ValidationError
from app.store import db

MAX_DAYS = 3650


@dataclass(frozen=True)
class ExpiringRow:
    client: str
    location: str
    sku: str
    name: str
    lot: str
    expiry: dt.date
    days_left: int  # negative: expired that many days ago
    on_hand: int
    reserved: int


def expiring_within(days: int, *, client: str | None = None) -> list[ExpiringRow]:
    """Stock in bins and staging areas whose lot expires within ``days`` days of today
    (expired lots included), soonest first, then client, location and SKU.

    Raises:
        ValidationError: ``days`` is not a whole number from 0 to 3650.
    """
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_DAYS:
        raise ValidationError(f"days must be a whole number from 0 to {MAX_DAYS}, not {days!r}")
    today = clock.local_today()
    sql = ("SELECT c.code, l.code, p.sku, p.name, sl.lot, t.expiry, sl.on_hand, sl.reserved "
           "FROM stock_level sl JOIN lot t ON t.product_id = sl.product_id AND t.lot = sl.lot "
           "JOIN product p ON p.id = sl.product_id JOIN client c ON c.id = p.client_id "
           "JOIN location l ON l.id = sl.location_id "
           "WHERE sl.on_hand > 0 AND l.kind <> 'virtual' AND t.expiry IS NOT NULL AND t.expiry <= ?")
    params: list[object] = [today + dt.timedelta(days=days)]
    if client:
        sql += " AND c.code = ?"
        params.append(client.strip().upper())
    rows = db.execute(sql + " ORDER BY t.expiry, c.code, l.code, p.sku, sl.lot", params).fetchall()
    result = []
    for code, loc, sku, name, lot, expiry, on_hand, reserved in rows:
        when = expiry if isinstance(expiry, dt.date) else dt.date.fromisoformat(str(expiry)[:10])
        result.append(ExpiringRow(code, loc, sku, name, lot, when, (when - today).days,
                                  int(on_hand), int(reserved)))
    return result
