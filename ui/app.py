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
from app.store import db
from resources import resource_path
from ui.context import UiContext
from ui.dialogs.login import LoginDialog
from ui.dialogs.settings import SettingsDialog
from ui.events import AppEvents
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.widgets.feedback import Feedback

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
    while True:
        try:
            db.open_database(url, who=f"{settings.station_label} station")
            return url
        except DatabaseUnavailable as exc:
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
    """Open the window (``python main.py`` without a command). Returns the exit code."""
    log_file = setup_logging()
    install_excepthook()
    install_qt_logging()
    app = application()
    log.info("PrepDesk starting (log %s)", log_file)
    settings = Settings()
    url = connect_database(settings, db_url)
    if url is None:
        return 1
    events, feedback = AppEvents(), Feedback(settings)
    windows: list[MainWindow] = []  # the open session's window (Python keeps it alive)

    def start_session() -> bool:
        actor = login(settings)
        if actor is None:
            return False
        ctx = UiContext(actor=actor, settings=settings, events=events, feedback=feedback, db_url=url)
        window = MainWindow(ctx)
        window.logout_requested.connect(lambda: logout(window))
        windows.append(window)
        window.showMaximized()  # a station's screen belongs to PrepDesk
        return True

    def logout(window: MainWindow) -> None:
        log.info("logout %s", window.ctx.actor.name)
        window.hide()
        window.deleteLater()
        windows.remove(window)
        os.environ.pop("PREPDESK_AUTOLOGIN", None)
        if not start_session():
            app.quit()

    if not start_session():
        db.close()
        return 0
    try:
        return app.exec()
    finally:
        db.close()
