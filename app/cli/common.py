"""What every command module shares: the usage error, the exit codes, the actor of a command."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, NoReturn, TypeAlias

from app.kernel.actor import Actor
from app.kernel.errors import PrepDeskError

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


def actor_for(args: argparse.Namespace) -> Actor:
    """The actor recorded on what a command does: the system, at the named station."""
    return Actor.system(station=args.station or "cli")
