"""Starting the window: logging, settings, the database (with a way out when it is not
there), login, the main window — and an excepthook so nobody ever sees a traceback."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from app.catalog import users
from app.kernel.actor import Actor
from app.kernel.errors import DatabaseUnavailable, PrepDeskError
from app.kernel.logsetup import setup_logging
from app.store import backup, db
from resources import resource_path
from ui import lazy
from ui.dialogs.login import LoginDialog
from ui.dialogs.settings import SettingsDialog
from ui.screen_fit import apply_text_size, text_size_for
from ui.settings import Settings

log = logging.getLogger(__name__)

STYLE_SHEET = resource_path("style.qss")
_in_hook = False


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
    url = url or settings.db_url or db.default_url()
    create = False
    while True:
        try:
            db.open_database(url, who=f"{settings.station_label} station", create=create)
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
            dialog = SettingsDialog(settings, message=f"Cannot open the database: {exc}")
            dialog.db_url.setText(url)  # the URL that failed, to correct (may be from --db)
            if dialog.exec() != SettingsDialog.DialogCode.Accepted:
                return None
            url = settings.db_url
            create = False


def take_daily_backup() -> None:
    """The first station to start each day copies a SQLite database (``backup.daily_backup``);
    a failure is logged and said in the status bar's place (the log), never stops the start."""
    if not db.is_sqlite():
        return  # PostgreSQL: `prepdesk backup --auto` from cron on one machine, not every station
    try:
        path, made, removed = backup.daily_backup()
    except PrepDeskError as exc:
        log.warning("daily backup not taken: %s", exc)
        return
    if made:
        log.info("daily backup written to %s (%d old ones removed)", path, len(removed))


def confirm_new_database(url: str) -> bool:
    """Ask before a new, empty warehouse is made at ``url`` (a first start, or a mistyped name)."""
    answer = QMessageBox.question(
        None, "PrepDesk — new database",
        f"There is no PrepDesk database at\n{db.describe(url)}\n\n"
        "Create a new, empty warehouse there? (Choose No if the name is wrong or the "
        "shared drive is not connected.)",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def autologin(station: str) -> Actor | None:
    """``PREPDESK_AUTOLOGIN=name:pin`` logs in without the dialog (screenshots, demos).

    Harmless: it goes through ``users.login`` like the dialog, so it needs the right PIN.
    """
    value = os.environ.get("PREPDESK_AUTOLOGIN", "")
    if ":" not in value:
        return None
    name, pin = value.rsplit(":", 1)
    try:
        return users.login(name, pin, station=station)
    except PrepDeskError as exc:
        log.warning("autologin failed: %s", exc)
        return None


def login(settings: Settings) -> Actor | None:
    actor = autologin(settings.station_kind)
    if actor is not None:
        return actor
    dialog = LoginDialog(settings, station=settings.station_kind)
    if dialog.exec() != LoginDialog.DialogCode.Accepted:
        return None
    return dialog.actor


def run(db_url: str | None) -> int:
    """Open the window (``python main.py`` without a command). Returns the exit code.

    The login dialog opens before the main window's modules are imported (``ui.session``,
    loaded once somebody has logged in): the dialog is on screen sooner, and a station left
    at its login screen never loads them."""
    log_file = setup_logging()
    install_excepthook()
    install_qt_logging()
    app = application()
    log.info("PrepDesk starting (log %s)", log_file)
    settings = Settings()
    apply_text_size(app, text_size_for(settings))  # the station's text size (Settings)
    url = connect_database(settings, db_url)
    if url is None:
        return 1
    take_daily_backup()
    try:
        actor = login(settings)
        if actor is None:
            return 0
        session = lazy.load("ui.session")
        return int(session.run(app, settings, url, actor, lambda: login(settings)))
    finally:
        db.close()
