"""Looking returns up: an RMA with its lines, the list of RMAs, what its document prints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.kernel.errors import NotFound
from app.kernel.states import ReturnStatus
from app.returns.common import REPLACEMENT, rma_head, rma_lines
from app.store import db
from app.store.db import as_datetime


@dataclass(frozen=True)
class RmaLineRow:
    """One RMA line with its quantities and decisions."""

    sku: str
    name: str
    reason: str
    wants: str
    note: str
    expected: int
    received: int
    restocked: int
    quarantined: int
    scrapped: int


@dataclass(frozen=True)
class RmaDetail:
    """An RMA with its order, customer, lines and replacements."""

    id: int
    number: str
    client_code: str
    client_name: str
    order_number: str
    customer_name: str
    address: tuple[str, ...]
    status: ReturnStatus
    note: str
    created_at: dt.datetime | None
    exchange_order: str
    lines: tuple[RmaLineRow, ...]
    replacements: tuple[tuple[str, str, int], ...]  # sku, name, qty
    returns_note: str  # the client's instructions for returns

    @property
    def expected(self) -> int:
        return sum(ln.expected for ln in self.lines)

    @property
    def received(self) -> int:
        return sum(ln.received for ln in self.lines)

    @property
    def replacement_state(self) -> str:
        """What becomes of an exchange's replacements ("" without any): on their order, sent
        once every unit is in, or never (the RMA was closed short before they were released)."""
        if not self.replacements:
            return ""
        if self.exchange_order:
            return f"on exchange order {self.exchange_order}"
        if self.status == ReturnStatus.CLOSED:
            return "not sent: closed short"
        return "sent when all units are in"


@dataclass(frozen=True)
class RmaRow:
    """One RMA in a list."""

    id: int
    number: str
    client_code: str
    order_number: str
    customer_name: str
    status: ReturnStatus
    expected: int
    received: int
    created_at: dt.datetime | None


def rma_detail(rma: int | str) -> RmaDetail:
    """An RMA by id or number.

    Raises:
        NotFound: no such RMA.
    """
    head = rma_head(rma)
    row = db.execute(
        'SELECT c.code, c.name, c.returns_note, COALESCE(o.number, \'\'), COALESCE(o.customer_name, \'\'), '
        "o.ship_name, o.address1, o.address2, o.city, o.province, o.zip, o.country, r.note, r.created_at, "
        'COALESCE(x.number, \'\') FROM "return" r JOIN client c ON c.id = r.client_id '
        'LEFT JOIN "order" o ON o.id = r.order_id LEFT JOIN "order" x ON x.id = r.exchange_order_id '
        "WHERE r.id = ?", (head.id,)).fetchone()
    code, cname, returns_note, order_no, customer, ship_name, a1, a2, city, prov, zip_, country, note, at, xno = row
    city_line = " ".join(x for x in (city, prov, zip_) if x)
    address = tuple(x for x in (ship_name or customer, a1, a2, city_line, country) if x)
    names = dict(db.execute("SELECT id, name FROM product WHERE id IN "
                            "(SELECT product_id FROM return_line WHERE rma_id = ?)", (head.id,)).fetchall())
    extra = {r[0]: r for r in db.execute("SELECT id, wants, note FROM return_line WHERE rma_id = ?",
                                         (head.id,)).fetchall()}
    lines = tuple(RmaLineRow(ln.sku, str(names.get(ln.product_id, "")), ln.reason, extra[ln.id][1],
                             extra[ln.id][2], ln.expected, ln.received, ln.restocked, ln.quarantined,
                             ln.scrapped) for ln in rma_lines(head.id))
    swaps = tuple((s, n, int(q)) for s, n, q in db.execute(
        "SELECT p.sku, p.name, x.qty_expected FROM return_line x JOIN product p ON p.id = x.product_id "
        "WHERE x.rma_id = ? AND x.wants = ? ORDER BY x.id", (head.id, REPLACEMENT)).fetchall())
    return RmaDetail(head.id, head.number, code, cname, order_no, customer, address, head.status, note or "",
                     as_datetime(at), xno, lines, swaps, returns_note or "")


def list_rmas(*, open_only: bool = False, client: str | None = None, limit: int = 500) -> list[RmaRow]:
    """RMAs, newest first; ``open_only`` leaves the closed ones out.

    Raises:
        NotFound: unknown client.
    """
    where: list[str] = []
    params: list[object] = []
    if open_only:
        where.append("r.status <> ?")
        params.append(ReturnStatus.CLOSED)
    if client:
        code = client.strip().upper()
        if not db.execute("SELECT 1 FROM client WHERE code = ?", (code,)).fetchone():
            raise NotFound(f"no client {code}")
        where.append("c.code = ?")
        params.append(code)
    sql = ('SELECT r.id, r.number, c.code, COALESCE(o.number, \'\'), COALESCE(o.customer_name, \'\'), r.status, '
           f"(SELECT COALESCE(SUM(qty_expected), 0) FROM return_line WHERE rma_id = r.id AND wants <> '{REPLACEMENT}'), "
           "(SELECT COALESCE(SUM(qty_received), 0) FROM return_line WHERE rma_id = r.id), r.created_at "
           'FROM "return" r JOIN client c ON c.id = r.client_id LEFT JOIN "order" o ON o.id = r.order_id')
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = db.execute(sql + " ORDER BY r.id DESC LIMIT ?", [*params, limit]).fetchall()
    return [RmaRow(int(i), n, c, o, cu, ReturnStatus(s), int(e), int(rc), as_datetime(at))
            for i, n, c, o, cu, s, e, rc, at in rows]
