"""A station after its first login: the main window for each person who logs in, until nobody
does.

``ui.app`` loads this module (through ``ui.lazy``) only once the login dialog has been
answered, so the dialog opens without the window's shell, the station's sounds (QtMultimedia),
the live updates from other stations or the printing machinery having been imported.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.devices import printing
from app.kernel import gs1
from app.kernel.actor import Actor
from app.kernel.errors import DatabaseUnavailable, PrepDeskError
from app.store import backup, db, station_lock
from ui import lazy, worker
from ui.context import UiContext
from ui.events import AppEvents
from ui.live import LiveUpdates
from ui.main_window import TABS as TABS  # the smoke test checks every tab opened
from ui.main_window import MainWindow, first_tab_module
from ui.ops import one_line, show_warning
from ui.settings import Settings
from ui.widgets import file_dialog
from ui.widgets.feedback import Feedback
from ui.widgets.feedback import sound_problem as sound_problem  # the bundle's smoke test asks

log = logging.getLogger(__name__)

# How long after the window shows its sounds and GS1 tables load (a scan sooner loads them).
WARM_UP_AFTER_MS = 250
# How often a station looks whether its SQLite file was replaced under it (one stat).
FILE_CHECK_MS = 1000


def print_on_system_printer(printer_name: str, pdf_bytes: bytes, title: str) -> None:
    """``printer://NAME`` targets print through QPrinter (``ui.printing``, QtPdf), imported
    the first time something is printed that way."""
    lazy.attribute("ui.printing:print_pdf_to_printer")(printer_name, pdf_bytes, title)


def take_daily_backup() -> None:
    """The first station to start each day copies a SQLite database (``backup.daily_backup``);
    a failure is logged, never stops the station. Runs on the worker once the window shows."""
    if not db.is_sqlite():
        return  # PostgreSQL: `prepdesk backup --auto` from cron on one machine, not every station
    try:
        path, made, removed = backup.daily_backup()
    except PrepDeskError as exc:
        log.warning("daily backup not taken: %s", exc)
        return
    if made:
        log.info("daily backup written to %s (%d old ones removed)", path, len(removed))


def warm_up(feedback: Feedback) -> None:
    """What the first scan would otherwise wait for, loaded once the window is up: the
    station's sounds (QtMultimedia) and biip's GS1 tables (40-100 ms). On the GUI thread: an
    import on a worker may run the garbage collector, which can free Qt objects off it."""
    feedback.prepare()
    gs1.load_parser()


def watch_database_file(parent: Callable[[], QWidget | None]) -> QTimer:
    """Look every second whether the database file this station opened was replaced or
    removed (a restore elsewhere): its screens would go on showing the old file's data, so
    it says so once, in one line, over ``parent()`` (writes are refused anyway)."""
    timer = QTimer()
    timer.setInterval(FILE_CHECK_MS)

    def check() -> None:
        try:
            station_lock.check_held()
        except DatabaseUnavailable as exc:
            timer.stop()
            log.error("%s", exc)
            show_warning(parent(), one_line(exc))

    timer.timeout.connect(check)
    timer.start()
    return timer


def load_first_screen(station: str) -> None:
    """Import the module of the tab ``station`` shows first (its window imports it anyway):
    ahead of the login's answer, so the window is built as soon as somebody is let in."""
    lazy.load(first_tab_module(station))


def run(app: QApplication, settings: Settings, url: str, actor: Actor,
        login: Callable[[], Actor | None]) -> int:
    """Show ``actor``'s window, then the next person's after each logout; the exit code.

    ``login`` asks who is next (the login dialog); None quits."""
    printing.use_system_printer(print_on_system_printer)
    events, feedback = AppEvents(), Feedback(settings)
    file_dialog.remember_folders_in(settings)  # each file dialog opens where its kind was last chosen
    other_stations = LiveUpdates(events)  # their work shows on this station's screens too
    other_stations.start()
    windows: list[MainWindow] = []  # the open session's window (Python keeps it alive)

    def open_window(person: Actor) -> None:
        station_lock.describe_held(settings.describe(person.name))  # a refused restore names them
        ctx = UiContext(actor=person, settings=settings, events=events, feedback=feedback, db_url=url)
        window = MainWindow(ctx)
        window.logout_requested.connect(lambda: logout(window))
        windows.append(window)
        if settings.window_geometry(settings.station_kind):
            window.show()  # where it was left at this station, inside the screen
        else:
            window.showMaximized()  # a station's screen belongs to PrepDesk

    def logout(window: MainWindow) -> None:
        log.info("logout %s", window.ctx.actor.name)
        window.hide()
        window.deleteLater()
        windows.remove(window)
        station_lock.describe_held(settings.describe())
        os.environ.pop("PREPDESK_AUTOLOGIN", None)
        person = login()
        if person is None:
            app.quit()
        else:
            open_window(person)

    open_window(actor)
    file_watch = watch_database_file(lambda: windows[-1] if windows else None)
    QTimer.singleShot(WARM_UP_AFTER_MS, lambda: warm_up(feedback))
    # The day's first copy of a SQLite database, off the GUI thread once the window is up.
    worker.run_task(take_daily_backup)
    try:
        return app.exec()
    finally:
        # A ledger check still running is interrupted, other work finishes, before the
        # database closes: nothing reports to a window that is gone.
        file_watch.stop()
        worker.stop_all()
        other_stations.stop()
