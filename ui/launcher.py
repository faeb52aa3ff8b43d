"""The ``prepdesk`` program: with a command it runs the command line, without one it opens the window.

The choice is made from the arguments alone, before any parser is built, so ``prepdesk``
and ``prepdesk --db URL`` open the window while ``prepdesk --help`` and ``prepdesk init``
are the command line's. A checkout's ``main.py`` and the installed ``prepdesk`` and
``prepdesk-gui`` scripts all call :func:`main`. This module imports neither side up front
(both imports are inside functions, listed in ``tests/test_layers.py``): the command line
never loads Qt (no Qt start-up cost, no Qt messages on a command's stderr), and the window
never builds the command line's parser or imports its command modules (ReportLab among
them).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

# The command line's exit code for bad usage (app.cli.EXIT_USAGE, not imported for the window).
EXIT_USAGE = 2

# The command line's global options that take a value (``--db URL`` or ``--db=URL``).
GLOBAL_OPTIONS_WITH_VALUE = ("--db", "--station")

# Opens the window, checks every tab and the style sheet, prints them and quits: for the
# bundle's smoke test in CI. A long name no user types by accident; not in --help.
SMOKE_OPTION = "--smoke-test-window"


def window_request(argv: Sequence[str]) -> tuple[bool, str | None]:
    """Whether ``argv`` asks for the window (only global options, or none) and its ``--db``.

    Anything else — a command, ``--help``, an unknown option — belongs to the command line,
    which explains it.
    """
    url: str | None = None
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        name, has_value, value = arg.partition("=")
        if name in GLOBAL_OPTIONS_WITH_VALUE:
            if not has_value:
                if i + 1 >= len(args):
                    return False, None  # the command line says the value is missing
                value = args[i + 1]
                i += 1
            if name == "--db":
                url = value
            i += 1
            continue
        return False, None
    return True, url


def main(argv: Sequence[str] | None = None) -> int:
    """Run PrepDesk with ``argv`` (default: the process's arguments); returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if SMOKE_OPTION in args:
        args.remove(SMOKE_OPTION)
        wants_window, url = window_request(args)
        if not wants_window:
            print(f"error: {SMOKE_OPTION} takes only --db", file=sys.stderr)
            return EXIT_USAGE
        from ui import window_launch  # the window only when asked for (see the docstring)

        return window_launch.smoke_test_window(url)
    wants_window, url = window_request(args)
    if wants_window:
        from ui import window_launch  # the window only when asked for (see the docstring)

        return window_launch.run_window(url)
    return run_command(args)


def run_command(args: list[str]) -> int:
    """The command line (``prepdesk COMMAND ...``); its modules only when a command is given."""
    from app import cli  # the command line only when asked for (see the docstring)

    code = cli.main(args)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        # `prepdesk stock | head`: the reader has gone. Output still buffered would fail
        # again at exit ("Exception ignored", exit 120), so it goes nowhere instead.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return code


if __name__ == "__main__":
    sys.exit(main())
