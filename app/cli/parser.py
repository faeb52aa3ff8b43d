"""The command line's parser and its one entry point, ``main``.

Each area registers its commands from its own module (``register(sub, groups)``); shared
command groups (``import``, ``print``) are created here. Bad input gives one line on
stderr and a non-zero exit; a failed command leaves the database as it was.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

import peewee

from app.cli import (
    billing,
    clients,
    command_sheet,
    core,
    counting,
    orders,
    packing,
    picking,
    receiving,
    reports,
    returns,
)
from app.cli.common import EXIT_FAILED, EXIT_INTERNAL, EXIT_USAGE, Parser, bad_input_exit
from app.kernel import text
from app.kernel.errors import DatabaseUnavailable, PrepDeskError, ValidationError
from app.kernel.logrotate import rotate_log
from app.kernel.logsetup import setup_logging
from app.store import db, retry

if TYPE_CHECKING:
    from app.cli.common import Subcommands

log = logging.getLogger(__name__)

# Every area's command module, imported by name: a missing one fails at start-up, naming it.
COMMAND_MODULES: tuple[ModuleType, ...] = (core, clients, receiving, orders, picking, packing, counting, returns,
                                             reports, billing, command_sheet)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: the shared groups and every area's commands."""
    parser = Parser(
        prog="prepdesk",
        description="PrepDesk: receiving, stock, orders, picking and packing for a 3PL warehouse. "
        "Without a command the window opens.",
    )
    parser.add_argument("--db", metavar="URL", help="sqlite:///FILE or postgresql://USER@HOST/DB "
                        "(default: $PREPDESK_DB, else a file in the user data directory)")
    parser.add_argument("--station", default="cli", help="station name recorded on every move")
    parser.add_argument("--user", metavar="NAME", help="who a command that changes anything acts as "
                        "(default: $PREPDESK_USER); the PIN comes from $PREPDESK_PIN or a prompt")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    groups: dict[str, Subcommands] = {}
    imp = sub.add_parser("import", help="import products, locations, orders or an inbound shipment from CSV")
    groups["import"] = imp.add_subparsers(dest="what", metavar="WHAT", required=True, parser_class=Parser)
    prt = sub.add_parser("print", help="print documents and labels to a file (PDF or ZPL)")
    groups["print"] = prt.add_subparsers(dest="what", metavar="WHAT", required=True, parser_class=Parser)
    rep = sub.add_parser("report", help="supervisor reports over a period")
    groups["report"] = rep.add_subparsers(dest="what", metavar="WHAT", required=True, parser_class=Parser)
    for module in COMMAND_MODULES:
        module.register(sub, groups)
    _name_positionals(parser)
    return parser


def _subcommands(parser: argparse.ArgumentParser) -> Subcommands | None:
    """The parser's subcommand action, if it has one."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def _name_positionals(parser: argparse.ArgumentParser) -> None:
    """Show every positional argument in capitals (``location add CODE``), in the usage line,
    in argparse's own errors and in ``check_arguments``' messages alike; an argument with a
    fixed set of values keeps its list (``{receiving,packing,picking}``)."""
    for action in parser._actions:
        if not action.option_strings and action.metavar is None and action.choices is None:
            action.metavar = action.dest.upper()
    subcommands = _subcommands(parser)
    if subcommands is not None:
        for child in set(subcommands.choices.values()):
            _name_positionals(child)


def _argument_names(parser: argparse.ArgumentParser, args: argparse.Namespace) -> dict[str, str]:
    """How each argument of the command given is typed, by its ``dest``: an option by its
    long flag (``--from`` for ``first``), a positional by its name in the usage line."""
    names: dict[str, str] = {}
    current: argparse.ArgumentParser | None = parser
    while current is not None:
        for action in current._actions:
            if action.option_strings:
                longs = [flag for flag in action.option_strings if flag.startswith("--")]
                names[action.dest] = (longs or action.option_strings)[0]
            elif isinstance(action.metavar, str):
                names[action.dest] = action.metavar
            else:
                names[action.dest] = action.dest
        subcommands = _subcommands(current)
        chosen = getattr(args, subcommands.dest, None) if subcommands is not None else None
        current = subcommands.choices.get(chosen) if subcommands is not None and chosen else None
    return names


# Arguments that are free text (tab and line breaks allowed); every other one is one line.
_FREE_TEXT = ("note", "reason", "instructions", "message", "comment")
# Codes as a scanner types them: the separators a scanner sends (a GS1 group separator, a
# line break) are the scan cleaning's work (``barcodes.clean_scan``); only what no scanner
# sends is refused here (``text.check_scan``).
_SCANNED = ("scan", "tracking")


def check_arguments(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Refuse, before the database is opened, any argument PrepDesk could not store: a
    number beyond its column, a control or invisible character, bytes that are not UTF-8.
    The message names the argument as it is typed (``--from``, ``CODE``)."""
    names = _argument_names(parser, args)
    for name, value in vars(args).items():
        if name in ("func",):
            continue
        what = names.get(name, "--" + name.replace("_", "-"))
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, bool):
                continue
            if isinstance(item, int):
                text.check_int(item, what)
            elif isinstance(item, str) and name in _SCANNED:
                text.check_scan(item, what)
            elif isinstance(item, str):
                text.check_text(item, what, multiline=any(word in name for word in _FREE_TEXT))


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (0 done, 1 refused, 2 usage, 70 internal)."""
    logfile = setup_logging()
    rotate_log()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    func = getattr(args, "func", None)
    if func is None:
        parser.parse_args([*(argv or sys.argv[1:]), "--help"])
        return EXIT_USAGE
    if args.db is not None and not args.db.strip():
        # An empty variable in a script must not quietly mean the default warehouse.
        print("error: --db is empty: give a database URL, or leave --db out for the default "
              f"({db.describe(db.default_url())})", file=sys.stderr)
        return EXIT_USAGE
    try:
        try:
            check_arguments(args, parser)
        except ValidationError as exc:  # refused before the database is opened
            print(f"error: {exc}", file=sys.stderr)
            return bad_input_exit(func)
        if getattr(args, "needs_db", True):
            db.open_database(args.db or db.default_url(), create=getattr(args, "creates_db", False))
        # A command lost to a deadlock is run again (retry.retrying: only if it committed nothing).
        return int(retry.retrying(func, args) or 0)
    except DatabaseUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except PrepDeskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except (peewee.DatabaseError, peewee.InterfaceError) as exc:
        if db.contention(exc):
            print(f"error: {db.BUSY_MESSAGE}; nothing was changed", file=sys.stderr)
            return EXIT_FAILED
        if db.unavailable_during_work(exc):
            log.exception("database error in %s", args.command)
            print(f"error: database: {db.first_line(exc)}; nothing was changed", file=sys.stderr)
            return EXIT_FAILED
        if db.damaged(exc):
            # A damaged page met during the command (big files are not fully checked on open).
            log.exception("database damaged in %s", args.command)
            print(f"error: the database file is damaged ({db.first_line(exc)}); nothing was changed: "
                  "restore the last backup (main.py restore FILE), 'main.py check' lists the damage",
                  file=sys.stderr)
            return EXIT_FAILED
        # A statement the database refused (a value too long for its column...): the
        # services check their input first, so this is the last resort, logged in full.
        log.exception("database refused %s", args.command)
        print(f"error: the database refused the command ({db.first_line(exc)}); nothing was changed",
              file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted; nothing was committed by the unfinished step", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the user gets one line; the log gets the traceback
        if db.contention(exc):  # psycopg2's own error class, which peewee does not wrap
            print(f"error: {db.BUSY_MESSAGE}; nothing was changed", file=sys.stderr)
            return EXIT_FAILED
        if db.refused(exc):  # psycopg2's or sqlite3's own class, met outside peewee
            log.exception("database refused %s", args.command)
            print(f"error: the database refused the command ({db.first_line(exc)}); nothing was changed",
                  file=sys.stderr)
            return EXIT_FAILED
        log.exception("command %s failed", args.command)
        where = f" (details in {logfile})" if logfile else ""
        print(f"error: internal error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        db.close()
