"""What the packing station shows: an order's lines, verified counts and packages, and
the mis-scan counts of the packing scans.

Quantities per order line:
    verified = units in the order's non-void packages (open, closed or shipped)
    qty_packed = units in closed or shipped packages; qty_shipped = units in shipped ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.kernel import clock
from app.kernel.errors import NotFound, ValidationError
from app.kernel.states import PackageStatus
from app.kernel.units import weight_text
from app.store import db


@dataclass(frozen=True)
class PackLineView:
    line_id: int
    line_no: int
    product_id: int
    sku: str
    name: str
    ordered: int
    picked: int
    verified: int
    packed: int
    shipped: int
    instructions: str
    barcode: str

    @property
    def remaining(self) -> int:
        """Picked units still to be scanned."""
        return self.picked - self.verified


@dataclass(frozen=True)
class PackageView:
    id: int
    seq: int
    number: int  # n of the order's non-void packages (0 for a void one)
    status: str
    box: str
    weight_kg: float | None
    sscc: str
    carrier: str
    service: str
    tracking: str
    cost: Decimal | None  # the shipping cost, to the cent
    override_reason: str
    lines: tuple[tuple[str, str, int], ...]  # (sku, name, qty)
    weight_estimated: bool = False  # the weight is box + products, not a scale's

    @property
    def weight_text(self) -> str:
        """'1.25 kg', '2.76 lb est.' (the warehouse's unit) or 'not weighed'."""
        if self.weight_kg is None:
            return "not weighed"
        return weight_text(self.weight_kg) + (" est." if self.weight_estimated else "")

    @property
    def units(self) -> int:
        return sum(q for _, _, q in self.lines)


@dataclass(frozen=True)
class PackingView:
    order_id: int
    number: str
    status: str
    client_id: int
    client_code: str
    client_name: str
    customer_name: str
    ship_to: tuple[str, ...]
    notes: str
    client_instructions: str
    order_instructions: str
    carrier: str
    service: str
    lines: tuple[PackLineView, ...]
    packages: tuple[PackageView, ...]
    mis_scans: int

    @property
    def picked(self) -> int:
        return sum(line.picked for line in self.lines)

    @property
    def verified(self) -> int:
        return sum(line.verified for line in self.lines)

    @property
    def unverified(self) -> int:
        return sum(max(0, line.remaining) for line in self.lines)

    @property
    def open_package(self) -> PackageView | None:
        return next((p for p in self.packages if p.status == PackageStatus.OPEN), None)

    @property
    def live_packages(self) -> tuple[PackageView, ...]:
        return tuple(p for p in self.packages if p.status != PackageStatus.VOID)

    @property
    def packing_complete(self) -> bool:
        """Every picked unit is in a closed (or shipped) package."""
        return self.picked > 0 and all(line.packed >= line.picked for line in self.lines)

    @property
    def ready_to_ship(self) -> bool:
        return self.packing_complete and any(p.status == PackageStatus.CLOSED for p in self.packages)

    @property
    def product_instructions(self) -> tuple[tuple[str, str], ...]:
        return tuple((line.sku, line.instructions) for line in self.lines if line.instructions)


def order_row(order_id: int) -> tuple[Any, ...]:
    """The order's header with its client (raises NotFound)."""
    row: tuple[Any, ...] | None = db.execute(
        'SELECT o.id, o.number, o.status, o.client_id, c.code, c.name, o.customer_name, o.ship_name, '
        'o.ship_company, o.address1, o.address2, o.city, o.province, o.zip, o.country, o.notes, '
        'c.packing_instructions, o.packing_instructions, o.carrier, o.service, o.phone '
        'FROM "order" o JOIN client c ON c.id = o.client_id WHERE o.id = ?', (order_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no order #{order_id}")
    return row


def ship_to_lines(name: str, company: str, address1: str, address2: str, city: str,
                  province: str, zip_code: str, country: str) -> tuple[str, ...]:
    """An address as the lines printed on a label or a slip (empty parts left out)."""
    city_line = " ".join(x for x in (city + ("," if city and (province or zip_code) else ""),
                                      province, zip_code) if x).strip()
    return tuple(x for x in (name, company, address1, address2, city_line, country) if x and x.strip())


def packing_view(order_id: int) -> PackingView:
    """Everything the packing screen shows for one order (plain data, no rows)."""
    (oid, number, status, client_id, client_code, client_name, customer, ship_name, company,
     a1, a2, city, province, zip_code, country, notes, client_instr, order_instr, carrier,
     service, _phone) = order_row(order_id)
    verified = verified_by_line(order_id)
    lines = []
    for (line_id, line_no, product_id, sku, name, ordered, picked, packed, shipped, instr,
         barcode) in db.execute(
        "SELECT ol.id, ol.line_no, ol.product_id, p.sku, COALESCE(NULLIF(ol.name, ''), p.name), "
        "ol.qty_ordered, ol.qty_picked, ol.qty_packed, ol.qty_shipped, p.packing_instructions, "
        "(SELECT MIN(b.code) FROM product_barcode b WHERE b.product_id = p.id AND b.pack_qty = 1) "
        "FROM order_line ol JOIN product p ON p.id = ol.product_id WHERE ol.order_id = ? "
        "ORDER BY ol.line_no, ol.id", (order_id,),
    ).fetchall():
        lines.append(PackLineView(line_id, line_no, product_id, sku, name, ordered, picked,
                                  verified.get(line_id, 0), packed, shipped, instr or "",
                                  barcode or ""))
    mis = db.execute("SELECT COUNT(*) FROM pack_scan WHERE order_id = ? AND result <> 'ok'",
                     (order_id,)).fetchone()[0]
    return PackingView(
        oid, number, status, client_id, client_code, client_name, customer,
        ship_to_lines(ship_name or customer, company, a1, a2, city, province, zip_code, country),
        notes or "", client_instr or "", order_instr or "", carrier or "", service or "",
        tuple(lines), tuple(packages_of(order_id)), int(mis),
    )


def verified_by_line(order_id: int) -> dict[int, int]:
    """Units of each order line in the order's live (non-void) packages."""
    return {lid: int(q) for lid, q in db.execute(
        "SELECT pl.order_line_id, SUM(pl.qty) FROM package_line pl JOIN package pk ON pk.id = pl.package_id "
        f"WHERE pk.order_id = ? AND pk.status <> '{PackageStatus.VOID}' GROUP BY pl.order_line_id", (order_id,),
    ).fetchall()}


def packages_of(order_id: int) -> list[PackageView]:
    """Every package of the order, void ones too, by sequence."""
    rows = db.execute(
        "SELECT pk.id, pk.seq, pk.status, COALESCE(b.name, ''), pk.weight_kg, pk.sscc, pk.carrier, "
        "pk.service, pk.tracking, pk.cost, pk.override_reason, pk.weight_estimated FROM package pk "
        "LEFT JOIN box_type b ON b.id = pk.box_type_id WHERE pk.order_id = ? ORDER BY pk.seq",
        (order_id,),
    ).fetchall()
    contents: dict[int, list[tuple[str, str, int]]] = {}
    for package_id, sku, name, qty in db.execute(
        "SELECT pl.package_id, p.sku, COALESCE(NULLIF(ol.name, ''), p.name), pl.qty FROM package_line pl "
        "JOIN package pk ON pk.id = pl.package_id JOIN product p ON p.id = pl.product_id "
        "JOIN order_line ol ON ol.id = pl.order_line_id "
        "WHERE pk.order_id = ? AND pl.qty > 0 ORDER BY ol.line_no, ol.id", (order_id,),
    ).fetchall():
        contents.setdefault(package_id, []).append((sku, name, int(qty)))
    result, n = [], 0
    for pid, seq, status, box, weight, sscc, carrier, service, tracking, cost, override, est in rows:
        number = 0
        if status != PackageStatus.VOID:
            n += 1
            number = n
        result.append(PackageView(pid, seq, number, status, box, weight, sscc, carrier, service,
                                  tracking, money(cost), override or "", tuple(contents.get(pid, ())),
                                  bool(est)))
    return result


def money(value: object) -> Decimal | None:
    """A money column as read: a Decimal from PostgreSQL, a number from SQLite (no decimal
    type there), both to the cent."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def package_view(order_id: int, seq: int) -> PackageView:
    """One package of the order by its sequence number (raises NotFound)."""
    for p in packages_of(order_id):
        if p.seq == seq:
            return p
    raise NotFound(f"order #{order_id} has no package {seq}")


def unverified_total(order_id: int) -> int:
    """Picked units of the order not yet verified into a live package."""
    row = db.execute(
        "SELECT COALESCE(SUM(ol.qty_picked), 0) - COALESCE((SELECT SUM(pl.qty) FROM package_line pl "
        f"JOIN package pk ON pk.id = pl.package_id WHERE pk.order_id = ? AND pk.status <> '{PackageStatus.VOID}'), 0) "
        "FROM order_line ol WHERE ol.order_id = ?", (order_id, order_id),
    ).fetchone()
    return int(row[0])


@dataclass(frozen=True)
class MisScanRow:
    key: str  # client code, user name or day, by ``group``
    ok: int
    wrong_item: int
    over_scan: int
    unknown: int
    keyed: int = 0  # product codes typed instead of scanned (refused)

    @property
    def mis_scans(self) -> int:
        return self.wrong_item + self.over_scan + self.unknown + self.keyed

    @property
    def scans(self) -> int:
        return self.ok + self.mis_scans


def mis_scan_counts(*, date_from: dt.date | None = None, date_to: dt.date | None = None,
                    client: str | None = None,
                    group: str = "client") -> list[MisScanRow]:
    """Packing scans by result (ok / wrong item / over-scan / unknown / keyed), grouped by client,
    user or warehouse day; ``date_to`` is exclusive. Dates are the warehouse's days (from local
    midnight); a datetime is a stored, naive UTC time.

    Raises:
        ValidationError: an unknown grouping, a period that ends before it starts, a date out of range.
        NotFound: unknown client.
    """
    keys = {"client": "c.code", "user": "s.user_name", "day": _quarter_hour("s.created_at")}
    if group not in keys:
        raise ValidationError(f"group mis-scans by client, user or day, not {group!r}")
    bounds = [clock.day_start(v) if type(v) is dt.date else v for v in (date_from, date_to)]
    if bounds[0] is not None and bounds[1] is not None and bounds[1] < bounds[0]:
        raise ValidationError(f"the period ends ({date_to}) before it starts ({date_from})")
    where: list[str] = []
    params: list[object] = []
    for value, op in zip(bounds, (">=", "<"), strict=True):
        if value is not None:
            where.append(f"s.created_at {op} ?")
            params.append(value)
    if client:
        code = client.strip().upper()
        if db.execute("SELECT 1 FROM client WHERE code = ?", (code,)).fetchone() is None:
            raise NotFound(f"no client {code}")
        where.append("c.code = ?")
        params.append(code)
    sql = (f"SELECT {keys[group]}, s.result, COUNT(*) FROM pack_scan s JOIN client c ON c.id = s.client_id"
           + (" WHERE " + " AND ".join(where) if where else "") + " GROUP BY 1, s.result")
    acc: dict[str, dict[str, int]] = {}
    for key, result, count in db.execute(sql, params).fetchall():
        k = _local_day(str(key)) if group == "day" else str(key)
        acc.setdefault(k, {}).setdefault(result, 0)
        acc[k][result] += int(count)
    return [MisScanRow(k, v.get("ok", 0), v.get("wrong_item", 0), v.get("over_scan", 0), v.get("unknown", 0),
                       v.get("keyed", 0))
            for k, v in sorted(acc.items())]


def _quarter_hour(column: str) -> str:
    """SQL for a stored time's UTC quarter-hour as text ``YYYY-MM-DD HH:q`` (q = 0..3): every
    zone is a whole number of quarter-hours off UTC, so each lands on one warehouse day."""
    if db.is_postgres():
        return (f"to_char({column}, 'YYYY-MM-DD HH24') || ':' || "
                f"CAST(FLOOR(EXTRACT(MINUTE FROM {column}) / 15) AS INTEGER)")
    return f"substr({column}, 1, 13) || ':' || (CAST(substr({column}, 15, 2) AS INTEGER) / 15)"


def _local_day(bucket: str) -> str:
    """The warehouse day (``YYYY-MM-DD``) of a ``_quarter_hour`` bucket."""
    hour, _, quarter = bucket.partition(":")
    start = dt.datetime.strptime(hour, "%Y-%m-%d %H") + dt.timedelta(minutes=15 * int(quarter))
    return clock.local_day(start).isoformat()

