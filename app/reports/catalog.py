"""Every supervisor report by name: what it shows, how to run it, and its CSV.

The Reports tab and ``main.py report NAME`` both go through :func:`run` and :func:`to_csv`,
so a CSV from the command line is exactly the table the screen shows.

A report is a function ``fn(period, *, client=None, **options) -> Table``; ``options`` are the
report's own extra settings (each declared as an :class:`Option`, so the command line offers it).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.kernel import states
from app.kernel.csvsafe import safe_writer
from app.kernel.errors import ValidationError
from app.kernel.text import INT_MAX as MAX_INT
from app.reports.backorders import backorders
from app.reports.fulfillment import fulfillment
from app.reports.late import late
from app.reports.processing import processing_times
from app.reports.productivity import productivity
from app.reports.returns import CSV_COLUMNS as RETURNS_COLUMNS
from app.reports.returns import returns_report
from app.reports.shipping_report import shipping
from app.reports.stock_report import DEFAULT_SLOW_DAYS, MAX_SLOW_DAYS, bin_occupancy, stock
from app.reports.table import Cell, Period, Table

ReportFn = Callable[..., Table]


@dataclass(frozen=True)
class Option:
    """An extra whole-number setting of one report (``--days N`` on the command line), from
    ``low`` to ``high``."""

    name: str
    help: str
    default: int
    low: int = 1
    high: int = MAX_INT


@dataclass(frozen=True)
class Report:
    function: ReportFn
    description: str
    options: tuple[Option, ...] = ()


def returns(period: Period, *, client: str | None = None) -> Table:
    """Report ``returns``: the returns report over the period's days as a ``Table``."""
    rows: list[tuple[Cell, ...]] = []
    for r in returns_report(period.first, period.last, client=client):
        rate: Decimal | None = r.return_rate
        rows.append((r.client, r.sku, r.name, r.shipped, r.returned, rate, *r.by_reason, r.restocked,
                     r.quarantined, r.scrapped))
    return Table("returns", f"Returns {period.first} to {period.last}", RETURNS_COLUMNS, rows,
                 ("Returns: units shipped and returned per product over the period's days, why they came "
                  "back and what became of them.",))


REPORTS: dict[str, Report] = {
    "fulfillment": Report(fulfillment, "orders received: cancelled, shipped complete, on time; fill rates"),
    "processing-times": Report(processing_times, "hours from received to shipped and per stage: median, p90, max"),
    "late": Report(late, "open orders past due or due by the next cut-off, and what holds them back"),
    "backorders": Report(backorders, "back-ordered units per product by age, ETA, orders at risk"),
    "stock": Report(stock, "per product: on hand, reserved, available; at reorder point; slow movers",
                    (Option("days", "slow mover: no unit shipped in this many days", DEFAULT_SLOW_DAYS,
                            high=MAX_SLOW_DAYS),)),
    "bins": Report(bin_occupancy, "bin occupancy per zone: bins, occupied, empty, units"),
    "productivity": Report(productivity, "per user and hour: received, put away, picked, packed, shipped, "
                           "mis-scans per 1,000, short picks"),
    "shipping": Report(shipping, "packages and shipping cost per client and carrier/service"),
    "returns": Report(returns, "per product: shipped, returned, rate, reasons, dispositions"),
}


def names() -> list[str]:
    return list(REPORTS)


def run(name: str, period: Period, *, client: str | None = None, **options: Any) -> Table:
    """The report ``name`` over ``period`` (for one client, if given).

    Raises:
        ValidationError: unknown report or option.
        NotFound: unknown client.
    """
    entry = REPORTS.get(name)
    if entry is None:
        raise ValidationError(f"no report {name!r}; reports: {', '.join(REPORTS)}")
    known = {o.name for o in entry.options}
    extra = sorted(set(options) - known)
    if extra:
        raise ValidationError(f"report {name} has no option {extra[0]!r}")
    values = {o.name: options.get(o.name, o.default) for o in entry.options}
    return entry.function(period, client=client, **values)


def cell_text(value: Cell) -> str:
    """A cell as CSV text: rates and hours as their decimals, nothing as empty."""
    return "" if value is None else str(value)


def to_csv(table: Table) -> str:
    """The table as CSV (header ``table.columns``), safe to open in a spreadsheet."""
    buf = io.StringIO()
    writer = safe_writer(buf, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([v if isinstance(v, int) else cell_text(v) for v in row])
    return buf.getvalue()


def is_rate(column: str) -> bool:
    return column.endswith("_rate")


def cell_display(column: str, value: Cell) -> str:
    """A cell as a person reads it: rates as percentages, nothing as a dash."""
    if value is None:
        return "-"
    if is_rate(column) and isinstance(value, Decimal):
        return f"{value * 100:.2f}%"
    return str(value)


# Column names whose words are not the name with its underscores as spaces.
HEADERS = {
    "sku": "SKU", "p90_hours": "90th pct hours", "mis_scans_per_1000": "Mis-scans per 1,000",
    "on_hand": "On hand", "put_away": "Put away", "at_reorder_point": "At reorder point",
    "eta": "ETA", "cost_per_package": "Cost / package", "mis_scans": "Mis-scans",
}


def header_words(column: str) -> str:
    """A column as the screen and the printed report head it: ``shipped_on_time`` ->
    ``Shipped on time``."""
    return HEADERS.get(column, column.replace("_", " ").capitalize())


def cell_words(column: str, value: Cell) -> str:
    """A cell as the screen and the printed report show it: rates as percentages and nothing
    as a dash (as ``report NAME`` prints them), whole numbers with thousands separators,
    money and hours with 2 decimals, statuses in words."""
    if value is None or (isinstance(value, Decimal) and is_rate(column)):
        return cell_display(column, value)
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int):
        return f"{value:,}" if column not in ("hour", "year") else str(value)
    text = str(value)
    if column == "status" or column.endswith("_status"):
        return states.label(text, states.OrderStatus)
    return text
