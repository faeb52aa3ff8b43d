"""The headless command line: ``python main.py [--db URL] COMMAND ...``.

``app.cli.common`` holds what the command modules share and must be imported first: the
command modules of older branches still import it through this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.cli.common import EXIT_FAILED, EXIT_INTERNAL, EXIT_USAGE, CliError, Parser, actor_for
from app.cli.parser import COMMAND_MODULES, build_parser, main

if TYPE_CHECKING:
    from app.cli.common import Subcommands as Subcommands

__all__ = [
    "COMMAND_MODULES",
    "EXIT_FAILED",
    "EXIT_INTERNAL",
    "EXIT_USAGE",
    "CliError",
    "Parser",
    "actor_for",
    "build_parser",
    "main",
]
