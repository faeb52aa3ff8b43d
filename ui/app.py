"""Starting the window: logging, settings, the login dialog, the database (with a way out when
it is not there), the main window — and an excepthook so nobody ever sees a traceback.

The login dialog is on screen before the database layer (``app.store``: peewee, the
migrations, the station lock) and the user catalogue are imported: they load, and the
database opens, right after the dialog is first drawn, while the person types (or when the
person submits first). They are named through ``ui.lazy``."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from app.kernel.actor import Actor
from app.kernel.errors import DatabaseUnavailable, PrepDeskError
from app.kernel.logsetup import setup_logging
from resources import resource_path
from ui import lazy
from ui.dialogs.login import LoginDialog
from ui.gui_collector import GuiThreadCollector
from ui.screen_fit import apply_text_size, text_size_for
from ui.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

STYLE_SHEET = resource_path("style.qss")
_in_hook = False


def _db() -> Any:
    """``app.store.db``, imported the first time it is needed (after the login dialog shows)."""
    return lazy.load("app.store.db")


def handle_exception(exc_type, exc, tb) -> None:
    """sys.excepthook: log the traceback, show the user one line (never a traceback)."""
    global _in_hook
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log.error("unexpected error", exc_info=(exc_type, exc, tb))
    if _in_hook or QApplication.instance() is None:
        traceback.print_exception(exc_type, exc, tb, limit=1, file=sys.stderr)
        return
    _in_hook = True
    try:
        db = _db()
        text = db.first_line(exc)
        if issubclass(exc_type, PrepDeskError):
            QMessageBox.warning(None, "PrepDesk", text)
        elif (message := db.failure_message(exc)) is not None:
            # Not a bug: the server restarted, the network dropped or the file is damaged;
            # say so instead of "unexpected error" (the next action reconnects, app.db).
            QMessageBox.warning(None, "PrepDesk", message)
        else:
            QMessageBox.critical(None, "PrepDesk",
                                 f"Unexpected error: {exc_type.__name__}: {text} "
                                 "(details in the log file)")
    finally:
        _in_hook = False


def install_excepthook() -> None:
    sys.excepthook = handle_exception


_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}


def _qt_message(kind: QtMsgType, context, message: str) -> None:
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def install_qt_logging() -> None:
    """Qt's own warnings go to the log file too (a station has no console to read)."""
    qInstallMessageHandler(_qt_message)


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("PrepDesk")
    QCoreApplication.setApplicationName("PrepDesk")
    apply_style(app)
    return app


def apply_style(app: QApplication) -> None:
    try:
        app.setStyleSheet(Path(STYLE_SHEET).read_text(encoding="utf-8"))
    except OSError as exc:
        log.warning("style sheet not loaded: %s", exc)


def connect_database(settings: Settings, url: str | None) -> str | None:
    """Open the database, offering the settings dialog while it cannot be opened.

    Returns the URL that opened, or None if the user gave up.
    """
    db = _db()
    url = url or settings.db_url or db.default_url()
    create = False
    while True:
        try:
            db.open_database(url, who=settings.describe(), create=create)
            return url
        except DatabaseUnavailable as exc:
            if isinstance(exc, db.NoDatabase) and not create and confirm_new_database(url):
                create = True  # the first start: the person said yes to a new, empty warehouse
                continue
            log.error("database unavailable: %s", exc)
            box = QMessageBox(QMessageBox.Icon.Critical, "PrepDesk — database",
                              f"Cannot open the database.\n\n{exc}")
            # Wide enough that a PostgreSQL error is two or three lines, not a narrow column.
            box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 640px; }")
            settings_button = box.addButton("Open &settings…", QMessageBox.ButtonRole.AcceptRole)
            retry_button = box.addButton("&Retry", QMessageBox.ButtonRole.ActionRole)
            box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            clicked = box.clickedButton()
            if clicked is retry_button:
                continue
            if clicked is not settings_button:
                return None
            settings_dialog = lazy.attribute("ui.dialogs.settings:SettingsDialog")
            dialog = settings_dialog(settings, message=f"Cannot open the database: {exc}")
            dialog.db_url.setText(url)  # the URL that failed, to correct (may be from --db)
            if dialog.exec() != settings_dialog.DialogCode.Accepted:
                return None
            url = settings.db_url
            create = False


class OpenDatabase:
    """The login dialog's preparation: open the station's database once (``connect_database``).

    Called (``opening()``, True when it is open) right after the dialog is drawn, or when the
    person submits first; ``url`` is the one that opened, ``gave_up`` when the person quit
    from the database's error box instead."""

    def __init__(self, settings: Settings, url: str | None) -> None:
        self._settings, self._asked = settings, url
        self.url: str | None = None
        self.gave_up = False

    def __call__(self) -> bool:
        if self.url is None and not self.gave_up:
            # the dialog is on screen: the log file's size rotation takes over now
            lazy.load("app.kernel.logrotate").rotate_log()
            self.url = connect_database(self._settings, self._asked)
            self.gave_up = self.url is None
        return self.url is not None


def confirm_new_database(url: str) -> bool:
    """Ask before a new, empty warehouse is made at ``url`` (a first start, or a mistyped name)."""
    # No scan answers it (a scanned Y, or a scan's Enter), and a person's Enter says No.
    ask_yes_no: Callable[..., bool] = lazy.attribute("ui.widgets.ask:ask_yes_no")  # (first start only)
    return ask_yes_no(
        None, "PrepDesk — new database",
        f"There is no PrepDesk database at\n{_db().describe(url)}\n\n"
        "Create a new, empty warehouse there? (Choose No if the name is wrong or the "
        "shared drive is not connected.)", default=False)


class WindowModules:
    """The main window's modules (``ui.session`` and the station's first tab), imported ahead
    of the login's answer, always on the GUI thread.

    ``start`` imports them a step at a time from the event loop while the person types (a
    step holds the dialog a few tens of milliseconds; keys typed meanwhile wait in the queue
    with their own time stamps, so typing is never taken for a scan); ``check`` runs a login
    beside them, the PIN's hash on a thread while this one imports whatever is not loaded
    yet, so the window is built as soon as the login answers. Modules are never imported on
    another thread: an import there may run Python's garbage collector, which can free Qt
    objects off the GUI thread. A module that fails to import fails loudly (the error box at
    once, and the login, as it would have failed the window)."""

    def __init__(self, station: str, steps: list[Callable[[], object]] | None = None) -> None:
        self._steps = steps if steps is not None else [
            lambda: lazy.load("ui.session"),
            lambda: lazy.load("ui.session").load_first_screen(station),
        ]

    def start(self) -> None:
        """Import the modules from the event loop, one step a turn."""
        QTimer.singleShot(0, self._step)

    def _step(self) -> None:
        if self._steps:
            self._steps.pop(0)()
        if self._steps:
            QTimer.singleShot(0, self._step)

    def wait(self) -> None:
        """Import here and now what is not imported yet."""
        while self._steps:
            self._steps.pop(0)()

    def check(self, fn: Callable[[], T]) -> T:
        """``fn()`` (a login) on a thread while the modules finish loading here."""
        run_beside: Callable[[Callable[[], T], Callable[[], object]], T] = lazy.attribute("ui.worker:run_beside")
        return run_beside(fn, self.wait)


def autologin(station: str, window: WindowModules | None = None) -> Actor | None:
    """``PREPDESK_AUTOLOGIN=name:pin`` logs in without the dialog (screenshots, demos).

    Harmless: it goes through ``users.login`` like the dialog, so it needs the right PIN.
    """
    value = os.environ.get("PREPDESK_AUTOLOGIN", "")
    if ":" not in value:
        return None
    name, pin = value.rsplit(":", 1)
    check = lazy.attribute("app.catalog.users:login")
    try:
        if window is None:
            actor: Actor = check(name, pin, station=station)
        else:
            actor = window.check(lambda: check(name, pin, station=station))
        return actor
    except PrepDeskError as exc:
        log.warning("autologin failed: %s", exc)
        return None


def login(settings: Settings, prepare: Callable[[], bool] | None = None,
          window: WindowModules | None = None) -> Actor | None:
    """Who logs in (None: nobody, the person quit). ``prepare`` opens the database (first
    login: :class:`OpenDatabase`); without it the database is already open. ``window``: the
    main window's modules, to import while the person types and the PIN is checked (first
    login)."""
    if os.environ.get("PREPDESK_AUTOLOGIN"):
        if prepare is not None and not prepare():
            return None
        actor = autologin(settings.station_name, window)
        if actor is not None:
            return actor
    dialog = LoginDialog(settings, station=settings.station_name, prepare=prepare,
                         check=window.check if window is not None else None)
    if window is not None:
        dialog.ready.connect(window.start)  # the database is open: load the window meanwhile
    if dialog.exec() != LoginDialog.DialogCode.Accepted:
        return None
    return dialog.actor


def run(db_url: str | None) -> int:
    """Open the window (``python main.py`` without a command). Returns the exit code.

    The login dialog opens before the database layer is imported and the database opened
    (:class:`OpenDatabase`, right after the dialog is drawn), and before the main window's
    modules are imported (``ui.session``, loaded once somebody has logged in): the dialog is
    on screen sooner, and a station left at its login screen never loads the window."""
    log_file = setup_logging()
    install_excepthook()
    install_qt_logging()
    app = application()
    log.info("PrepDesk starting (log %s)", log_file)
    collector = GuiThreadCollector(app)  # reference cycles freed on the GUI thread only
    collector.start()
    settings = Settings()
    apply_text_size(app, text_size_for(settings))  # the station's text size (Settings)
    opening = OpenDatabase(settings, db_url)
    try:
        actor = login(settings, opening, WindowModules(settings.station_kind))
        if actor is None:
            return 1 if opening.gave_up else 0
        if not opening():  # (a login that did not need the database: none does today)
            return 1
        session = lazy.load("ui.session")
        return int(session.run(app, settings, opening.url, actor, lambda: login(settings)))
    finally:
        collector.stop()
        if opening.url is not None:
            _db().close()
