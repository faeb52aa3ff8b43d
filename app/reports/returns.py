"""Returns per product over a period: units shipped, returned, the return rate, why they came
back and what became of them. Figures come from the ledger's moves, by warehouse day."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from app.kernel import clock
from app.kernel.csvsafe import safe_writer
from app.kernel.errors import NotFound, ValidationError
from app.store import db

REASON_COLUMNS = ("damaged", "wrong_item", "not_as_described", "unwanted", "other")
CSV_COLUMNS = ("client", "sku", "name", "shipped", "returned", "return_rate", *REASON_COLUMNS,
               "restocked", "quarantined", "scrapped")
_RATE = Decimal("0.0001")


@dataclass(frozen=True)
class ReturnsRow:
    """One product's returns in the period."""

    client: str
    sku: str
    name: str
    shipped: int
    returned: int
    by_reason: tuple[int, ...]  # in REASON_COLUMNS order
    restocked: int
    quarantined: int
    scrapped: int

    @property
    def return_rate(self) -> Decimal | None:
        """Returned / shipped in the period, 4 decimals (None when nothing shipped)."""
        if self.shipped == 0:
            return None
        return (Decimal(self.returned) / Decimal(self.shipped)).quantize(_RATE)


def returns_report(start: dt.date, end: dt.date, *, client: str | None = None) -> list[ReturnsRow]:
    """Per product with shipments or returns from ``start`` 00:00 to ``end`` 24:00 in the
    warehouse's time zone.

    Raises:
        ValidationError: the period ends before it starts.
        NotFound: unknown client.
    """
    if end < start:
        raise ValidationError(f"the period ends ({end}) before it starts ({start})")
    lo, hi = clock.period(start, end)
    where, params = "", []
    if client:
        code = client.strip().upper()
        if not db.execute("SELECT 1 FROM client WHERE code = ?", (code,)).fetchone():
            raise NotFound(f"no client {code}")
        where, params = " AND c.code = ?", [code]
    rows = db.execute(
        "SELECT c.code, p.sku, p.name, "
        "SUM(CASE WHEN m.kind = 'ship' THEN m.qty ELSE 0 END), "
        "SUM(CASE WHEN m.kind = 'return' THEN m.qty ELSE 0 END), "
        + "".join(f"SUM(CASE WHEN m.kind = 'return' AND m.reason = '{r}' THEN m.qty ELSE 0 END), "
                  for r in REASON_COLUMNS)
        + "SUM(CASE WHEN m.kind = 'restock' THEN m.qty ELSE 0 END), "
        "SUM(CASE WHEN m.kind = 'quarantine' THEN m.qty ELSE 0 END), "
        "SUM(CASE WHEN m.kind = 'scrap' THEN m.qty ELSE 0 END) "
        "FROM stock_move m JOIN product p ON p.id = m.product_id JOIN client c ON c.id = p.client_id "
        "JOIN location lt ON lt.id = m.to_location_id "
        "WHERE m.created_at >= ? AND m.created_at < ? AND m.reverses_id IS NULL "
        "AND ((m.kind = 'ship' AND lt.code = 'CUSTOMER') OR (m.doc_type = 'return' "
        "AND m.kind IN ('return', 'restock', 'quarantine', 'scrap')))" + where
        + " GROUP BY c.code, p.sku, p.name ORDER BY c.code, p.sku",
        [lo, hi, *params]).fetchall()
    out = []
    for code, sku, name, shipped, returned, *rest in rows:
        reasons = tuple(int(x) for x in rest[:len(REASON_COLUMNS)])
        restocked, quarantined, scrapped = (int(x) for x in rest[len(REASON_COLUMNS):])
        out.append(ReturnsRow(code, sku, name, int(shipped), int(returned), reasons, restocked, quarantined,
                              scrapped))
    return out


def returns_csv(rows: list[ReturnsRow]) -> str:
    """The report as CSV text (``CSV_COLUMNS``), safe to open in a spreadsheet."""
    buf = io.StringIO()
    writer = safe_writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        rate = r.return_rate
        writer.writerow([r.client, r.sku, r.name, r.shipped, r.returned, "" if rate is None else str(rate),
                         *r.by_reason, r.restocked, r.quarantined, r.scrapped])
    return buf.getvalue()
