"""The ``prepdesk`` program: with a command it runs the command line, without one it opens the window.

The choice is made from the arguments alone, before any parser is built, so ``prepdesk``
and ``prepdesk --db URL`` open the window while ``prepdesk --help`` and ``prepdesk init``
are the command line's. A checkout's ``main.py`` and the installed ``prepdesk`` and
``prepdesk-gui`` scripts all call :func:`main`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QLabel

from app import cli
from app.devices import printing
from app.kernel.actor import Actor
from app.store import db
from resources import resource_path
from ui import app as window_app
from ui.context import UiContext
from ui.events import AppEvents
from ui.main_window import MainWindow
from ui.printing import print_pdf_to_printer
from ui.settings import Settings
from ui.widgets.feedback import Feedback

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


def show_as_prepdesk() -> None:
    """The application's icon in the title bar and task bar, and on Wayland its .desktop entry."""
    qt_app = window_app.application()
    qt_app.setWindowIcon(QIcon(str(resource_path("prepdesk.png"))))
    QGuiApplication.setDesktopFileName("prepdesk")


def smoke_test_window(url: str | None) -> int:
    """Open the main window on ``url``, print its tabs, style sheet and icon, and close it.

    Returns 0 when all six tabs are real, the style sheet is applied and the icon is set.
    """
    show_as_prepdesk()
    qt_app = window_app.application()
    db.connect(url or db.default_url())
    try:
        settings = Settings()
        ctx = UiContext(actor=Actor.system(station="smoke"), settings=settings,
                        events=AppEvents(), feedback=Feedback(settings), db_url=url or "")
        window = MainWindow(ctx)
        window.show()
        qt_app.processEvents()
        style = qt_app.styleSheet()
        icon = not qt_app.windowIcon().isNull()
        # a tab whose module did not import is a QLabel saying why
        broken = {key: page.text() for key, page in window.pages.items() if isinstance(page, QLabel)}
        print("tabs:", ", ".join(window.tab_titles()))
        print("style sheet:", f"{len(style)} characters;", "icon:", "yes" if icon else "missing")
        for key, why in broken.items():
            print(f"tab {key} not available: {why}", file=sys.stderr)
        window.close()
        ok = len(window.pages) == 6 and not broken and bool(style.strip()) and icon
        print("smoke test:", "ok" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        db.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run PrepDesk with ``argv`` (default: the process's arguments); returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if SMOKE_OPTION in args:
        args.remove(SMOKE_OPTION)
        wants_window, url = window_request(args)
        if not wants_window:
            print(f"error: {SMOKE_OPTION} takes only --db", file=sys.stderr)
            return cli.EXIT_USAGE
        return smoke_test_window(url)
    wants_window, url = window_request(args)
    if wants_window:
        # printer://NAME targets print through QPrinter, which needs the window's QApplication.
        printing.use_system_printer(print_pdf_to_printer)
        show_as_prepdesk()
        return window_app.run(db_url=url)
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
