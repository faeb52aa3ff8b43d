"""Opening the window for the ``prepdesk`` program: the icon, printers, the smoke test."""

from __future__ import annotations

import sys

# First: PySide6 made ready for the window (its event types, the import statement back).
from ui import pyside_setup  # noqa: F401  # isort: skip
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QLabel

from app.kernel.actor import Actor
from resources import resource_path
from ui import app as window_app
from ui import lazy
from ui.settings import Settings


def show_as_prepdesk() -> None:
    """The application's icon in the title bar and task bar, and on Wayland its .desktop entry."""
    qt_app = window_app.application()
    qt_app.setWindowIcon(QIcon(str(resource_path("prepdesk.png"))))
    QGuiApplication.setDesktopFileName("prepdesk")


def smoke_test_window(url: str | None) -> int:
    """Open the main window on ``url``, print its tabs, style sheet and icon, and close it.

    Returns 0 when every tab of the main window (a supervisor's: all of them) is real, the
    style sheet is applied and the icon is set.
    """
    show_as_prepdesk()
    qt_app = window_app.application()
    db = lazy.load("app.store.db")  # (the window's own start loads it after the login dialog)
    db.connect(url or db.default_url())
    try:
        settings = Settings()
        session = lazy.load("ui.session")  # the window's modules, as after a login
        ctx = session.UiContext(actor=Actor.system(station="smoke"), settings=settings,
                                events=session.AppEvents(), feedback=session.Feedback(settings),
                                db_url=url or "")
        window = session.MainWindow(ctx)
        window.show()
        qt_app.processEvents()
        style = qt_app.styleSheet()
        icon = not qt_app.windowIcon().isNull()
        # every tab, built as it would be on first show; a tab whose module did not import
        # is a QLabel saying why
        pages = {key: window.pages[key] for key in window.tab_keys}
        broken = {key: page.text() for key, page in pages.items() if isinstance(page, QLabel)}
        print("tabs:", ", ".join(window.tab_titles()))
        print("style sheet:", f"{len(style)} characters;", "icon:", "yes" if icon else "missing")
        sound = session.sound_problem()  # QtMultimedia is imported by name: is it in the build?
        print("sound:", sound or "yes")
        for key, why in broken.items():
            print(f"tab {key} not available: {why}", file=sys.stderr)
        window.close()
        ok = set(pages) == set(session.TABS) and not broken and bool(style.strip()) and icon and not sound
        print("smoke test:", "ok" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        db.close()


def run_window(url: str | None) -> int:
    """Open the login dialog and the window on ``url`` (None: the station's database)."""
    # printer://NAME targets print through QPrinter, which needs the window's QApplication:
    # registered by ui.session once somebody has logged in.
    show_as_prepdesk()
    return window_app.run(db_url=url)
