"""What every order file format shares: a parsed order, the parse result, the progress callback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.orders.entry import MAX_LINE_QTY, QTY_DIGITS, qty_value

Progress = Callable[[int, int], None]


@dataclass
class ParsedOrder:
    line: int                       # file line of the order's first row
    number: str
    fields: dict[str, Any]          # raw order-level fields (see orders.ORDER_FIELDS)
    # (file line, sku, qty, name as the shop sold it -- "" to use the product's name)
    lines: list[tuple[int, str, int, str]] = field(default_factory=list)
    bad_lines: int = 0              # lines rejected by the parser (bad quantity)


def add_line(order: ParsedOrder, line: int, sku: str, raw_qty: str, name: str, errors: list[str],
             *, unnamed: str) -> None:
    """Add a file line to ``order``, or record why its quantity (1 to MAX_LINE_QTY) is bad."""
    digits = raw_qty.strip()
    qty = qty_value(digits) if QTY_DIGITS.fullmatch(digits) else 0
    if not 0 < qty <= MAX_LINE_QTY:
        too_many = f" (at most {MAX_LINE_QTY:,} a line)" if qty > MAX_LINE_QTY else ""
        errors.append(f"line {line}: bad quantity {raw_qty!r} for {sku or unnamed} of order "
                      f"{order.number}{too_many}")
        order.bad_lines += 1
        return
    order.lines.append((line, sku, qty, name))


@dataclass
class Parsed:
    orders: list[ParsedOrder]
    skipped: list[tuple[str, str]]  # (order number, why) skipped by the format's rules
    errors: list[str]

