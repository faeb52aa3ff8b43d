"""``report NAME --from D --to D [--client C] [--csv]``: every report of the catalog, as a
readable table or as the CSV the Reports tab exports (the same function writes both)."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.cli.common import EXIT_USAGE, columns, day, whole
from app.kernel.errors import NotFound, ValidationError
from app.reports import catalog
from app.reports.table import Period, Table

if TYPE_CHECKING:
    from app.cli.common import Subcommands


def register(sub: Subcommands, groups: dict[str, Subcommands]) -> None:
    reports = groups["report"]
    for name, entry in catalog.REPORTS.items():
        if name in reports.choices:  # registered by its own area with its own options (returns)
            continue
        p = reports.add_parser(name, help=entry.description)
        p.add_argument("--from", dest="start", required=True, type=day, metavar="YYYY-MM-DD")
        p.add_argument("--to", dest="end", required=True, type=day, metavar="YYYY-MM-DD")
        p.add_argument("--client", help="one client's orders (code)")
        p.add_argument("--csv", action="store_true", help="CSV on standard output (as the Reports tab exports it)")
        for option in entry.options:
            p.add_argument(f"--{option.name}", type=whole_number(option), default=option.default, metavar="N",
                           help=f"{option.help} ({option.low} to {option.high:,}; default {option.default})")
        p.set_defaults(func=cmd_report, report=name, options=tuple(o.name for o in entry.options))


def whole_number(option: catalog.Option) -> Callable[[str], int]:
    """The parser of a report's option: digits 0-9 from ``option.low`` to ``option.high``
    (argparse turns a refusal into one line and exit 2)."""

    def parse(value: str) -> int:
        text = value.strip()
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number")
        number = int(text)
        if not option.low <= number <= option.high:
            raise argparse.ArgumentTypeError(f"{option.name} must be a whole number from {option.low} to "
                                             f"{option.high:,}, not {text}")
        return number

    return parse


def cmd_report(args: argparse.Namespace) -> int:
    options = {name: getattr(args, name) for name in args.options}
    try:
        table = catalog.run(args.report, Period.of(args.start, args.end), client=args.client, **options)
    except (NotFound, ValidationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.csv:
        sys.stdout.write(catalog.to_csv(table))
    else:
        sys.stdout.write(text_table(table))
    return 0


def text_table(table: Table) -> str:
    """The table for a terminal: a title, aligned columns (numbers to the right), the notes."""
    cells = [[catalog.cell_display(c, v) for c, v in zip(table.columns, row, strict=True)] for row in table.rows]
    widths = [max([columns(c), *(columns(r[i]) for r in cells)]) for i, c in enumerate(table.columns)]
    right = [bool(table.rows) and all(isinstance(r[i], (int, float)) or (r[i] is not None and not isinstance(r[i], str))
                                      for r in table.rows) for i in range(len(table.columns))]

    def line(values: list[str]) -> str:
        return "  ".join(" " * (w - columns(v)) + v if r else whole(v, w)
                         for v, w, r in zip(values, widths, right, strict=True)).rstrip()

    out = [table.title, line(list(table.columns)), *(line(r) for r in cells)]
    if not table.rows:
        out.append("(nothing in this period)")
    out += ["", *table.notes]
    return "\n".join(out) + "\n"
