"""What every command module shares: the usage error, the exit codes, who a command acts as,
and columns that line up whatever script a name is written in."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import getpass
import os
import socket
import sys
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn, TypeAlias

from app.catalog import users
from app.kernel.actor import Actor
from app.kernel.errors import NotFound, PrepDeskError, ValidationError

if TYPE_CHECKING:  # argparse's class is not subscriptable at runtime
    Subcommands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

EXIT_USAGE = 2
EXIT_FAILED = 1
EXIT_INTERNAL = 70


class CliError(PrepDeskError):
    """A command-line usage problem found after parsing (bad date, missing file...)."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"error: {message} (see '{self.prog} --help')\n")


def cells(ch: str) -> int:
    """How many terminal columns one character takes, by the Unicode data the standard library
    carries: 2 for a wide or full-width one (山, Ａ), none for a combining accent or a control
    or format character, else 1."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cc", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes (山田 太郎: 9)."""
    return sum(cells(ch) for ch in text)


def whole(text: str, width: int) -> str:
    """``text`` padded to ``width`` columns, never cut (an SKU or an order number must stay
    usable: a longer one pushes the rest of its row along)."""
    return text + " " * max(0, width - columns(text))


def fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` columns: padded, or cut with "…" (names, free text)."""
    if columns(text) <= width:
        return whole(text, width)
    out, used = "", 0
    for ch in text:
        w = cells(ch)
        if used + w > width - 1:
            break
        out, used = out + ch, used + w
    return whole(out + "…", width)


NEEDS_USER = "this command changes the warehouse: give --user NAME (and the PIN)"
# While the warehouse has no user yet (right after ``init``) the command line acts as the
# supervisor setting it up, so the first supervisor can be added and the demo loaded.
SETUP_NAME = "setup"


def day(value: str) -> dt.date:
    """A ``YYYY-MM-DD`` argument (argparse turns the error into one line and exit 2)."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def where(station: str) -> str:
    """The station recorded on what a command does: its name and the OS user and host behind it."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (e.g. in a bare container)
        who = str(os.getuid()) if hasattr(os, "getuid") else "?"
    return f"{station or 'cli'}:{who}@{socket.gethostname()}"[:100]


def read_pin(name: str) -> str:
    """The PIN of ``--user``: $PREPDESK_PIN, else a prompt when a person is at the terminal."""
    pin = os.environ.get("PREPDESK_PIN")
    if pin is not None:
        return pin
    if sys.stdin is not None and sys.stdin.isatty():
        try:
            return getpass.getpass(f"PIN for {name}: ")
        except EOFError:  # Ctrl+D at the prompt: no PIN given, nothing done
            print(file=sys.stderr)
            raise CliError(f"no PIN given for {name}: nothing was done") from None
    raise CliError(f"no PIN for {name}: set PREPDESK_PIN or run the command at a terminal")


def actor_for(args: argparse.Namespace, *, why: str = NEEDS_USER) -> Actor:
    """Who a command that changes the warehouse acts as: ``--user`` (or $PREPDESK_USER) logged in
    with the PIN, at this station; the setting-up supervisor while there is no user yet.

    Raises:
        CliError: no user given while users exist, or no PIN to be had.
        AuthError, UserLocked: the PIN is wrong (each wrong PIN counts toward the lock-out).
    """
    known = getattr(args, "acting", None)
    if isinstance(known, Actor):
        return known  # one login per command, however many services it calls
    station = where(args.station)
    name = (getattr(args, "user", None) or os.environ.get("PREPDESK_USER") or "").strip()
    if name:
        actor = users.login(name, read_pin(name), station=station)
    elif not users.any_user():
        actor = Actor(None, SETUP_NAME, "supervisor", station)
    else:
        raise CliError(why)
    args.acting = actor
    return actor


# The commands whose bad input is a usage error (``bad_input_is_usage``).
_USAGE_COMMANDS: set[Callable[[argparse.Namespace], int]] = set()


def bad_input_is_usage(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Bad input (a value, a date, a file, an unknown client or product) is a usage error:
    one line on stderr and exit 2; the service changed nothing. The same goes for an argument
    refused before the command runs (``bad_input_exit``)."""

    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except (ValidationError, NotFound) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE

    _USAGE_COMMANDS.add(run)
    return run


def bad_input_exit(func: Callable[[argparse.Namespace], int] | None) -> int:
    """The exit code of an argument the command ``func`` is refused before it runs (a number
    beyond its column, a control character): 2 where its bad input is a usage error, else 1."""
    return EXIT_USAGE if func in _USAGE_COMMANDS else EXIT_FAILED
