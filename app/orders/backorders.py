"""Back-orders: what waits for stock, when it is expected, and the notices that tell customers.

A line is back-ordered by the part of it that allocation could not reserve (and that was not
picked either). Orders never allocated yet (status ``new``) are not back-orders.

The ETA counts units, not just shipments. What is on its way to the bins, first to come first:
units already in RECEIVING (today), then the open inbound shipments still expecting more of
the product, by expected date. A product's ETA in the list is when enough will have come for
every waiting order; an order's ETA in a customer notice is when its own units will have
come, after the older orders' (arrivals fill back-orders oldest first). Too few on the way:
the last shipment's date with "only N expected"; nothing on the way: "unknown". A customer is
never promised a date that is past or not covered, and an overdue shipment promises nothing:
its units are left out of the notices' queue (they may come any day, or never), so the orders
waiting are covered by the shipments still ahead, first order first.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.kernel import clock
from app.kernel.csvsafe import safe_writer
from app.kernel.errors import ValidationError
from app.kernel.states import OrderStatus
from app.orders.status import OPEN_STATUSES, marks, short_sql
from app.store import db
from app.store.db import as_date, as_datetime

UNKNOWN = "unknown"
_WAITING = tuple(s for s in OPEN_STATUSES if s != OrderStatus.NEW)


@dataclass(frozen=True)
class Eta:
    date: dt.date | None
    ref: str
    covers: int | None = None  # units expected in all, when fewer than the shortage

    @property
    def overdue(self) -> bool:
        """The shipment should have arrived already: the date is no promise any more."""
        return self.date is not None and self.date < clock.local_today()

    @property
    def text(self) -> str:
        text = f"{self.date.isoformat() if self.date else 'no date'} ({self.ref})"
        if self.overdue:
            text += ", overdue"
        if self.covers is not None:
            text += f", only {self.covers} expected"
        return text

    @property
    def promise(self) -> dt.date | None:
        """The date a customer may be told: none when unknown, too few or already past."""
        return None if self.overdue or self.covers is not None else self.date


@dataclass(frozen=True)
class Supply:
    """Units on their way to the bins: waiting in RECEIVING (today) or on an open inbound."""

    date: dt.date | None
    ref: str
    qty: int


@dataclass(frozen=True)
class BackorderRow:
    """One product that orders wait for."""

    product_id: int
    client: str
    sku: str
    name: str
    qty_short: int
    qty_available: int
    orders: tuple[str, ...]  # order numbers, oldest first
    oldest_received_at: dt.datetime
    oldest_age: dt.timedelta
    eta: str                 # "2026-03-09 (ASN-7)" or "unknown"
    eta_date: dt.date | None

    @property
    def age_text(self) -> str:
        return age_text(self.oldest_age)


@dataclass(frozen=True)
class NoticeItem:
    sku: str
    name: str
    qty: int
    eta: str                 # YYYY-MM-DD a customer may be told, or "unknown"
    eta_date: dt.date | None = None


@dataclass(frozen=True)
class CustomerNotice:
    """One affected order: whom to tell, what is late, and when it is expected."""

    order_id: int
    client: str
    client_name: str
    order_number: str
    customer_name: str
    email: str
    items: tuple[NoticeItem, ...]
    eta: str                 # the latest of the items' ETAs (the order ships complete), or "unknown"
    eta_date: dt.date | None

    @property
    def items_text(self) -> str:
        return "; ".join(f"{i.qty} x {i.name} ({i.sku})" for i in self.items)

    @property
    def has_email(self) -> bool:
        return bool(self.email.strip())


def age_text(age: dt.timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} days"


def _short_lines(client: str | None) -> list[tuple[Any, ...]]:
    where = [f"o.status IN ({marks(len(_WAITING))})", f"{short_sql('ol')} > 0"]
    params: list[object] = list(_WAITING)
    if client:
        where.append("c.code = ?")
        params.append(client.strip().upper())
    rows: list[tuple[Any, ...]] = db.execute(
        f"SELECT ol.product_id, c.code, p.sku, p.name, o.id, o.number, o.received_at, {short_sql('ol')}, "
        "o.customer_name, o.email, c.name, COALESCE(NULLIF(ol.name, ''), p.name) "
        'FROM order_line ol JOIN "order" o ON o.id = ol.order_id JOIN product p ON p.id = ol.product_id '
        f"JOIN client c ON c.id = o.client_id WHERE {' AND '.join(where)} "
        # the order arrivals fill them in (allocation's urgency): ETAs and notices queue the same way
        "ORDER BY o.priority DESC, CASE WHEN o.ship_by IS NULL THEN 1 ELSE 0 END, o.ship_by, "
        "COALESCE(o.ordered_at, o.received_at), o.id, ol.line_no, ol.id", params).fetchall()
    return rows


def supplies(product_ids: list[int]) -> dict[int, list[Supply]]:
    """Per product, what is on its way, first to come first: units already in RECEIVING (they
    only need putting away), then the open inbound shipments still expecting more of it by
    expected date (undated last)."""
    out: dict[int, list[Supply]] = {}
    today = clock.local_today()  # expected dates are the warehouse's dates
    for start in range(0, len(product_ids), 900):
        part = list(product_ids[start:start + 900])
        m = marks(len(part))
        for pid, qty in db.execute(
            "SELECT sl.product_id, sl.on_hand FROM stock_level sl JOIN location l ON l.id = sl.location_id "
            f"WHERE l.code = 'RECEIVING' AND sl.on_hand > 0 AND sl.product_id IN ({m})", part).fetchall():
            out.setdefault(pid, []).append(Supply(today, "in RECEIVING", int(qty)))
        for pid, expected, ref, qty in db.execute(
            "SELECT rl.product_id, s.expected_date, s.ref, rl.expected_qty - rl.received_qty FROM receipt_line rl "
            "JOIN inbound_shipment s ON s.id = rl.shipment_id "
            "WHERE s.status IN ('open', 'receiving') AND rl.expected_qty > rl.received_qty "
            f"AND rl.product_id IN ({m}) "
            "ORDER BY rl.product_id, CASE WHEN s.expected_date IS NULL THEN 1 ELSE 0 END, "
            "s.expected_date, s.created_at, s.id", part).fetchall():
            out.setdefault(pid, []).append(Supply(as_date(expected), ref, int(qty)))
    return out


def covering(supply: list[Supply], upto: int) -> Eta | None:
    """When the first ``upto`` units on their way will have come: the supply that completes
    them, or the last one marked with how few are expected; None when nothing is on its way."""
    if not supply:
        return None
    total = 0
    for s in supply:
        total += s.qty
        if total >= upto:
            return Eta(s.date, s.ref)
    last = supply[-1]
    return Eta(last.date, last.ref, covers=total)


def promising(supply: list[Supply]) -> list[Supply]:
    """The part of ``supply`` a customer may be given a date from: an overdue shipment is left
    out, so it neither takes the first orders' places in the queue nor leaves them undated."""
    today = clock.local_today()
    return [s for s in supply if s.date is None or s.date >= today]


def etas(product_ids: list[int]) -> dict[int, Eta]:
    """Per product: the earliest supply (RECEIVING, then open inbound shipments) on its way."""
    return {pid: Eta(found[0].date, found[0].ref) for pid, found in supplies(product_ids).items()}


def _available(product_ids: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for start in range(0, len(product_ids), 900):
        part = list(product_ids[start:start + 900])
        for pid, free in db.execute(
            "SELECT sl.product_id, SUM(sl.on_hand - sl.reserved) FROM stock_level sl "
            "JOIN location l ON l.id = sl.location_id "
            f"WHERE l.kind = 'bin' AND sl.product_id IN ({marks(len(part))}) GROUP BY sl.product_id",
            part).fetchall():
            out[pid] = int(free or 0)
    return out


def backorder_list(*, client: str | None = None) -> list[BackorderRow]:
    """Per product waiting for stock: quantity short and available, orders oldest first, the
    age of the oldest and the ETA. Sorted by client and SKU."""
    lines = _short_lines(client)
    if not lines:
        return []
    grouped: dict[int, dict[str, Any]] = {}
    for pid, code, sku, name, _oid, number, received, short, *_ in lines:
        g = grouped.setdefault(pid, {"client": code, "sku": sku, "name": name, "short": 0,
                                     "orders": [], "oldest": as_datetime(received)})
        g["oldest"] = min(g["oldest"], as_datetime(received))  # waiting longest in the warehouse
        g["short"] += int(short)
        if number not in g["orders"]:
            g["orders"].append(number)
    ids = sorted(grouped)
    supply, free = supplies(ids), _available(ids)
    now = clock.now()
    rows = []
    for pid, g in grouped.items():
        e = covering(supply.get(pid, []), g["short"])  # when every waiting order has its units
        rows.append(BackorderRow(
            pid, g["client"], g["sku"], g["name"], g["short"], free.get(pid, 0), tuple(g["orders"]),
            g["oldest"], now - g["oldest"], e.text if e else UNKNOWN, e.date if e else None))
    rows.sort(key=lambda r: (r.client, r.sku))
    return rows


def backorders_csv(rows: list[BackorderRow]) -> str:
    out = io.StringIO()
    w = safe_writer(out, lineterminator="\n")
    w.writerow(["client", "sku", "name", "qty_short", "qty_available", "orders_waiting",
                "oldest_order_received", "oldest_age", "eta"])
    for r in rows:
        w.writerow([r.client, r.sku, r.name, r.qty_short, r.qty_available, " ".join(r.orders),
                    clock.local_text(r.oldest_received_at), r.age_text, r.eta])
    return out.getvalue()


def customer_notices(*, client: str | None = None) -> list[CustomerNotice]:
    """One notice per order that waits for stock, oldest order first."""
    lines = _short_lines(client)
    if not lines:
        return []
    supply = {pid: promising(found) for pid, found in supplies(sorted({r[0] for r in lines})).items()}
    queued: dict[int, int] = {}  # units of each product promised to older orders already
    by_order: dict[int, dict[str, Any]] = {}
    for pid, code, sku, _pname, oid, number, _rec, short, cust, email, cname, lname in lines:
        o = by_order.setdefault(oid, {"client": code, "client_name": cname, "number": number,
                                      "customer": cust, "email": email, "items": []})
        # arrivals fill back-orders oldest first: this line gets units after the older ones
        queued[pid] = queued.get(pid, 0) + int(short)
        e = covering(supply.get(pid, []), queued[pid])
        # a customer is told a date only while it is still ahead and covered
        promise = e.promise if e else None
        o["items"].append((NoticeItem(sku, lname, int(short), promise.isoformat() if promise else UNKNOWN,
                                      promise), promise))
    notices = []
    for oid, o in by_order.items():
        found = [d for _, d in o["items"]]
        if any(d is None for d in found):
            date, text = None, UNKNOWN
        else:
            date = max(found)
            text = date.isoformat()
        notices.append(CustomerNotice(oid, o["client"], o["client_name"], o["number"], o["customer"],
                                      o["email"], tuple(i for i, _ in o["items"]), text, date))
    return notices


def notices_csv(notices: list[CustomerNotice]) -> str:
    out = io.StringIO()
    w = safe_writer(out, lineterminator="\n")
    w.writerow(["customer_name", "email", "order_number", "items_backordered", "eta"])
    for n in notices:
        w.writerow([n.customer_name, n.email, n.order_number, n.items_text, n.eta])
    return out.getvalue()


def _day(date: dt.date) -> str:
    return f"{date:%A} {date.day} {date:%B %Y}"


def notice_message(n: CustomerNotice) -> str:
    """A ready-to-send plain-text message for one order, signed by the client (the seller).

    Only what the customer bought (the shop's item names, no internal codes) and a date only
    when every delayed item has one that is still ahead.
    """
    greeting = f"Dear {n.customer_name}," if n.customer_name.strip() else "Dear customer,"
    dates = {i.eta_date for i in n.items}
    several = len(n.items) > 1
    if not several and not n.eta_date:
        items = f"  - {n.items[0].qty} x {n.items[0].name}"
        when = "We do not have a firm date yet and will ship your order as soon as it arrives."
    elif n.eta_date and len(dates) == 1:
        items = "\n".join(f"  - {i.qty} x {i.name}" for i in n.items)
        when = (f"We expect {'them' if several else 'it'} back in stock around {_day(n.eta_date)} "
                "and will ship your order as soon as we have "
                f"{'them' if several else 'it'}.")
    else:
        items = "\n".join(
            f"  - {i.qty} x {i.name}: " + (f"expected around {_day(i.eta_date)}" if i.eta_date
                                          else "no date yet") for i in n.items)
        when = ("We will ship your order as soon as everything has arrived." if n.eta_date else
                "We do not have a firm date for everything yet and will ship your order as soon as "
                "it has all arrived.")
    what = ("The following items are temporarily out of stock:" if several else
            "The following item is temporarily out of stock:")
    return (
        f"To: {n.email}\n"
        f"Subject: Your order {n.order_number}: {'some items are' if several else 'an item is'} delayed\n"
        "\n"
        f"{greeting}\n"
        "\n"
        f"Thank you for your order {n.order_number}. {what}\n"
        f"{items}\n"
        "\n"
        f"{when}\n"
        "\n"
        "We are sorry for the wait.\n"
        "\n"
        f"Kind regards,\n{n.client_name}\n"
    )


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "order"


def write_messages(notices: list[CustomerNotice], target: str | Path) -> list[Path]:
    """Write the messages: one ``.txt`` per order into a folder, or all into one file.

    A target that is an existing folder, ends with a slash or has no file extension is a
    folder (created if needed); anything else is one file.

    Raises:
        ValidationError: the target cannot be written.
    """
    target_s = str(target)
    path = Path(target)
    try:
        if path.is_dir() or target_s.endswith(("/", "\\")) or not path.suffix:
            path.mkdir(parents=True, exist_ok=True)
            written = []
            for n in notices:
                f = path / f"{_safe(n.client)}-{_safe(n.order_number)}.txt"
                f.write_text(notice_message(n), encoding="utf-8")
                written.append(f)
            return written
        sep = "\n" + "-" * 72 + "\n\n"
        path.write_text(sep.join(notice_message(n) for n in notices), encoding="utf-8")
        return [path]
    except OSError as exc:
        raise ValidationError(f"cannot write {target_s}: {exc.strerror or exc}") from None
