"""The command barcode sheets: ``print command-sheet STATION --out FILE.pdf``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import CliError
from app.documents.command_sheet import station_sheet
from app.kernel.commands import STATION_COMMANDS

if TYPE_CHECKING:
    from app.cli.common import Subcommands


def register(sub: Subcommands, groups: dict[str, Subcommands]) -> None:
    p = groups["print"].add_parser("command-sheet",
                                   help="a station's sheet of command barcodes (PDF) to keep by the scanner")
    p.add_argument("station", choices=sorted(STATION_COMMANDS))
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.set_defaults(func=cmd_command_sheet, needs_db=False)


def cmd_command_sheet(args: argparse.Namespace) -> int:
    try:
        Path(args.out).write_bytes(station_sheet(args.station))
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(f"{args.station} command sheet: {Path(args.out).resolve()}")
    return 0
