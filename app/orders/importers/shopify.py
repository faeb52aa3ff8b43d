"""Shopify's order export CSV, read as Shopify writes it.

One row per line item. The order-level columns (Email, Created at, Shipping ..., Notes,
Fulfillment Status, Financial Status, Cancelled at) are filled only on an order's first row;
``Name`` (the order number, e.g. ``#1001``) is on every row. Columns are found by header name,
so their set and order may vary between exports. ``Created at`` looks like
``2025-10-07 09:50:26 +0200``; zip codes and phones may carry a leading apostrophe that
protects leading zeros in spreadsheets. Orders fulfilled (or restocked), cancelled, refunded or
voided in the shop are skipped, as are line items already fulfilled or not requiring shipping,
and so are orders left with nothing to ship (a gift card only, every item fulfilled). A line keeps
the item's name as the shop sold it (``Lineitem name``, e.g. "Head Lamp - Blue"): that is what
the customer recognises on a packing slip or a back-order notice.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from app.orders.importers.common import Parsed, ParsedOrder, Progress, add_line

REQUIRED = {"name", "lineitem quantity", "lineitem sku"}
WANTED = REQUIRED | {
    "email", "created at", "billing name", "billing phone", "phone", "shipping name", "shipping phone",
    "shipping company", "shipping address1", "shipping street", "shipping address2", "shipping city",
    "shipping province", "shipping province name", "shipping zip", "shipping country",
    "shipping method", "notes", "fulfillment status", "cancelled at", "lineitem fulfillment status",
    "lineitem requires shipping", "lineitem name", "financial status",
}

SKIP_FULFILLMENT = {"fulfilled", "restocked"}
# Money given back or never taken: shipping would send goods nobody pays for.
SKIP_FINANCIAL = {"refunded", "voided"}


_STAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(?:([+-])(\d{2}):?(\d{2})|Z|UTC)?$")


def parse_created_at(text: str) -> dt.datetime | None:
    """Shopify's ``Created at`` (``2025-10-07 09:50:26 +0200``) as naive UTC; None if unreadable.

    A regular expression rather than ``strptime``: it is a third of a 50,000-row import's time.
    """
    text = text.strip()
    if not text:
        return None
    m = _STAMP.match(text)
    if m is None:
        return None
    y, mo, d, h, mi, sec, sign, oh, om = m.groups()
    try:
        value = dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec or 0))
    except ValueError:
        return None
    if sign:
        offset = dt.timedelta(hours=int(oh), minutes=int(om))
        value = value - offset if sign == "+" else value + offset
    return value


def _unprotect(value: str) -> str:
    """Remove the apostrophe spreadsheets need to keep leading zeros (``'02134``)."""
    return value[1:].strip() if value.startswith("'") else value


def _order_fields(row: dict[str, str], line: int, errors: list[str], number: str) -> dict[str, Any]:
    g = row.get
    created = g("created at", "")
    ordered_at = parse_created_at(created)
    if created and ordered_at is None:
        errors.append(f"line {line}: order {number}: Created at {created!r} is not a date and time")
    return {
        "channel": "shopify",
        "customer_name": g("billing name", "") or g("shipping name", ""),
        "email": g("email", ""),
        "phone": _unprotect(g("shipping phone", "") or g("phone", "") or g("billing phone", "")),
        "ship_name": g("shipping name", "") or g("billing name", ""),
        "ship_company": g("shipping company", ""),
        "address1": g("shipping address1", "") or g("shipping street", ""),
        "address2": g("shipping address2", ""),
        "city": g("shipping city", ""),
        "province": g("shipping province", "") or g("shipping province name", ""),
        "zip": _unprotect(g("shipping zip", "")),
        "country": g("shipping country", ""),
        "service": g("shipping method", ""),
        "notes": g("notes", ""),
        "ordered_at": ordered_at,
    }


def parse(rows: list[tuple[int, dict[str, str]]], *, progress: Progress | None = None) -> Parsed:
    """Group the export's rows into orders; line-numbered errors for bad quantities."""
    orders: dict[str, ParsedOrder] = {}
    skipped: dict[str, str] = {}
    errors: list[str] = []
    current: str | None = None
    total = len(rows)
    for i, (line, row) in enumerate(rows):
        if progress and i % 5000 == 0:
            progress(i, total)
        number = row.get("name", "")
        if not number:
            if current is None:
                errors.append(f"line {line}: no order Name")
                continue
            number = current
        current = number
        if number in skipped:
            continue
        order = orders.get(number)
        if order is None:
            status = row.get("fulfillment status", "").lower()
            if status in SKIP_FULFILLMENT:
                skipped[number] = f"{status} in the shop"
                continue
            if row.get("cancelled at", ""):
                skipped[number] = "cancelled in the shop"
                continue
            financial = row.get("financial status", "").lower()
            if financial in SKIP_FINANCIAL:
                skipped[number] = f"payment {financial} in the shop"
                continue
            order = orders[number] = ParsedOrder(line, number, _order_fields(row, line, errors, number))
        line_status = row.get("lineitem fulfillment status", "").lower()
        if line_status == "fulfilled":
            continue
        if line_status == "partial":
            # some of the line's units left from the shop; the export does not say how many
            skipped[number] = "a line partly fulfilled in the shop: enter what is left by hand"
            del orders[number]
            continue
        if row.get("lineitem requires shipping", "").lower() == "false":
            continue
        add_line(order, line, row.get("lineitem sku", ""), row.get("lineitem quantity", ""),
                 row.get("lineitem name", ""), errors, unnamed="the line item")
    # Digital-only orders (gift cards) and orders whose items were all fulfilled by the shop:
    # nothing for the warehouse to do. Not an error, or one such order would reject the file.
    for number, order in list(orders.items()):
        if not order.lines and not order.bad_lines:
            skipped[number] = "nothing left to ship"
            del orders[number]
    if progress:
        progress(total, total)
    return Parsed(list(orders.values()), list(skipped.items()), errors)
