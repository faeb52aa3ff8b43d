"""Shipping (report ``shipping``): packages shipped in the period and their shipping cost per
client and carrier/service, with a subtotal per client, the same per carrier/service over
all clients (client ``ALL``) and a grand total.

The cost is recorded per package when it ships, as money to the cent (rounded half up then,
``shipping.parse_cost``): each package's cost is read in SQL as whole cents and added up exactly.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from app.catalog import client_by_code
from app.reports.table import Cell, Period, Table
from app.store import db

COLUMNS = ("client", "carrier", "service", "packages", "orders", "units", "cost",
           "cost_per_package", "packages_without_cost")
ALL = "ALL"
ANY = "all"  # every carrier or service of the row's client
NOTES = (
    "Packages shipped in the period (by the time they left), with the order count and units in them.",
    "Cost: the shipping cost recorded for each package, in the account's currency; "
    "cost per package is over the packages that have a cost.",
    "A client's 'all' row adds up its carriers; client ALL adds up every client.",
)
CENT = Decimal("0.01")

# Per (client, carrier, service): packages, orders, units, costed packages, cost in cents.
_Key = tuple[str, str, str]


def _cents_sql() -> str:
    # Whole cents per package. PostgreSQL keeps the cost as a decimal; SQLite has no decimal
    # type and keeps the cent amount as the nearest binary number, a hair off whole cents
    # after * 100, which ROUND takes back.
    if db.is_postgres():
        return "CAST(pk.cost * 100 AS BIGINT)"
    return "CAST(ROUND(pk.cost * 100) AS INTEGER)"


def shipping(period: Period, *, client: str | None = None) -> Table:
    """Raises NotFound for an unknown client."""
    client_id = client_by_code(client).id if client else None
    where = "pk.status = 'shipped' AND pk.shipped_at >= ? AND pk.shipped_at < ?"
    params: list[object] = [period.start, period.end]
    if client_id is not None:
        where += " AND pk.client_id = ?"
        params.append(client_id)
    codes = {int(i): str(c) for i, c in db.execute("SELECT id, code FROM client").fetchall()}
    rows = db.execute(
        "SELECT pk.client_id, pk.carrier, pk.service, COUNT(*), COUNT(DISTINCT pk.order_id), "
        "COALESCE(SUM((SELECT SUM(pl.qty) FROM package_line pl WHERE pl.package_id = pk.id)), 0), "
        f"COUNT(pk.cost), COALESCE(SUM({_cents_sql()}), 0) FROM package pk WHERE {where} GROUP BY 1, 2, 3",
        params,
    ).fetchall()
    by_key: dict[_Key, list[int]] = {}
    for cid, carrier, service, packages, n_orders, units, costed, cents in rows:
        by_key[(codes[int(cid)], str(carrier or ""), str(service or ""))] = [
            int(packages), int(n_orders), int(units), int(costed), int(cents)]
    # Orders are counted distinct, so a client's subtotal cannot add up its rows (an order may
    # use two services): one more grouped count. An order has one client, so the counts over
    # every client are the sums of the clients' counts.
    per_client = {codes[int(cid)]: int(n) for cid, n in db.execute(
        f"SELECT pk.client_id, COUNT(DISTINCT pk.order_id) FROM package pk WHERE {where} GROUP BY 1",
        params).fetchall()}
    out: list[tuple[Cell, ...]] = []
    for code in sorted({k[0] for k in by_key}):
        total = [0, 0, 0, 0, 0]
        for key in sorted(k for k in by_key if k[0] == code):
            out.append(_row(key, by_key[key]))
            total = [a + b for a, b in zip(total, by_key[key], strict=True)]
        total[1] = per_client[code]
        out.append(_row((code, ANY, ANY), total))
    grand = [0, 0, 0, 0, 0]
    for carrier, service in sorted({(k[1], k[2]) for k in by_key}):
        total = [0, 0, 0, 0, 0]
        for key, figures in by_key.items():
            if (key[1], key[2]) == (carrier, service):
                total = [a + b for a, b in zip(total, figures, strict=True)]
        out.append(_row((ALL, carrier, service), total))
        grand = [a + b for a, b in zip(grand, total, strict=True)]
    grand[1] = sum(per_client.values())
    out.append(_row((ALL, ANY, ANY), grand))
    return Table("shipping", "Packages and shipping cost by carrier and client", COLUMNS, out, NOTES)


def _row(key: _Key, figures: list[int]) -> tuple[Cell, ...]:
    packages, orders, units, costed, cents = figures
    cost = (Decimal(cents) / 100).quantize(CENT)
    per = (Decimal(cents) / 100 / costed).quantize(CENT, ROUND_HALF_UP) if costed else None
    return (*key, packages, orders, units, cost, per, packages - costed)
