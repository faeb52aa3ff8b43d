"""The headless command line: ``python main.py [--db URL] COMMAND ...``.

Each capability registers its commands from its own module (``register(sub, groups)``);
shared command groups (``import``, ``print``) are created here. Bad input gives one line on
stderr and a non-zero exit; a failed command leaves the database as it was.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn, TypeAlias

import peewee

from app.kernel.actor import Actor
from app.kernel.errors import DatabaseUnavailable, PrepDeskError
from app.store import db

if TYPE_CHECKING:  # argparse's class is not subscriptable at runtime
    Subcommands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

log = logging.getLogger(__name__)

COMMAND_MODULES = (
    "app.cli.core",
    "app.cli.receiving",
    "app.cli.orders",
    "app.cli.picking",
    "app.cli.packing",
)

EXIT_USAGE = 2
EXIT_FAILED = 1
EXIT_INTERNAL = 70


class CliError(PrepDeskError):
    """A command-line usage problem found after parsing (bad date, missing file...)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not a usage dump
        self.exit(EXIT_USAGE, f"error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="prepdesk",
        description="PrepDesk: receiving, stock, orders, picking and packing for a 3PL warehouse. "
        "Without a command the window opens.",
    )
    parser.add_argument("--db", metavar="URL", help="sqlite:///FILE or postgresql://USER@HOST/DB "
                        "(default: $PREPDESK_DB, else a file in the user data directory)")
    parser.add_argument("--station", default="cli", help="station name recorded on every move")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    groups: dict[str, Subcommands] = {}
    imp = sub.add_parser("import", help="import products, locations, orders or an inbound shipment from CSV")
    groups["import"] = imp.add_subparsers(dest="what", metavar="WHAT", required=True, parser_class=_Parser)
    prt = sub.add_parser("print", help="print documents and labels to a file (PDF or ZPL)")
    groups["print"] = prt.add_subparsers(dest="what", metavar="WHAT", required=True, parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub, groups)
    return parser


def actor_for(args: argparse.Namespace) -> Actor:
    return Actor.system(station=args.station or "cli")


def main(argv: Sequence[str] | None = None) -> int:
    from app.kernel.logsetup import setup_logging

    logfile = setup_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    func = getattr(args, "func", None)
    if func is None:
        parser.parse_args([*(argv or sys.argv[1:]), "--help"])
        return EXIT_USAGE
    try:
        if getattr(args, "needs_db", True):
            db.connect(args.db or db.default_url())
        return int(func(args) or 0)
    except DatabaseUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except PrepDeskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except (peewee.DatabaseError, peewee.InterfaceError) as exc:
        if db.unavailable_during_work(exc):
            log.exception("database error in %s", args.command)
            print(f"error: database: {db.first_line(exc)}; nothing was changed", file=sys.stderr)
            return EXIT_FAILED
        if not db.damaged(exc):
            raise
        # A damaged page met during the command (big files are not fully checked on open).
        log.exception("database damaged in %s", args.command)
        print(f"error: the database file is damaged ({db.first_line(exc)}); nothing was changed: "
              "restore the last backup (main.py restore FILE), 'main.py check' lists the damage",
              file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted; nothing was committed by the unfinished step", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the user gets one line; the log gets the traceback
        log.exception("command %s failed", args.command)
        where = f" (details in {logfile})" if logfile else ""
        print(f"error: internal error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        db.close()
