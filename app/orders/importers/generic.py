"""PrepDesk's generic order CSV, for shops without a Shopify export.

Columns (header names, any order; only ``order_number``, ``sku`` and ``qty`` are required)::

    order_number  the order's number, unique per client
    sku           the client's SKU
    qty           units ordered (whole number, 1 to 100,000)
    customer_name, email, phone
    ship_name     name on the parcel (default: customer_name)
    address1, address2, city, province, zip, country
    ship_by       YYYY-MM-DD, the date the order must leave the warehouse (optional)
    priority      whole number from 0 to 99, higher is more urgent (default 0)
    carrier, service, notes

One row per order line. The order's own fields may repeat on every row of the order or be
given only on its first row: the first non-empty value of each counts. An order needs a
name and a shipping address (address1, city, country). A file with any error is rejected
whole with line-numbered messages.
"""

from __future__ import annotations

from app.orders.importers.common import Parsed, ParsedOrder, Progress, add_line

REQUIRED = {"order_number", "sku", "qty"}
ORDER_COLUMNS = ("customer_name", "email", "phone", "ship_name", "address1", "address2", "city",
                 "province", "zip", "country", "ship_by", "priority", "carrier", "service", "notes")
WANTED = REQUIRED | set(ORDER_COLUMNS)


def parse(rows: list[tuple[int, dict[str, str]]], *, progress: Progress | None = None) -> Parsed:
    orders: dict[str, ParsedOrder] = {}
    errors: list[str] = []
    total = len(rows)
    for i, (line, row) in enumerate(rows):
        if progress and i % 5000 == 0:
            progress(i, total)
        number = row.get("order_number", "")
        if not number:
            errors.append(f"line {line}: empty order_number")
            continue
        order = orders.get(number)
        if order is None:
            order = orders[number] = ParsedOrder(line, number, {"channel": "csv"})
        for col in ORDER_COLUMNS:
            value = row.get(col, "")
            if value and not order.fields.get(col):
                order.fields[col] = value.lstrip("'") if col in ("zip", "phone") else value
        add_line(order, line, row.get("sku", ""), row.get("qty", ""), "", errors, unnamed="the line")
    if progress:
        progress(total, total)
    return Parsed(list(orders.values()), [], errors)
