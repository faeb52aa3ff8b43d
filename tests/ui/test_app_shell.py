"""Start-up and plumbing: excepthook, database error dialog, settings, feedback, worker, ops."""

from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6.QtCore import Qt

from app.kernel.errors import PermissionDenied
from ui import app as ui_app
from ui.dialogs.settings import SettingsDialog
from ui.ops import run_op
from ui.widgets import feedback as fb
from ui.widgets.feedback import Feedback, ScanBanner
from ui.worker import run_task


def test_excepthook_logs_and_shows_one_line(qtbot, message_boxes, caplog):
    try:
        raise ValueError("weird\nsecond line")
    except ValueError:
        info = sys.exc_info()
    with caplog.at_level(logging.ERROR):
        ui_app.handle_exception(*info)
    assert message_boxes.texts("critical") == [
        "Unexpected error: ValueError: weird (details in the log file)"]
    record = next(r for r in caplog.records if r.name == "ui.app")
    assert record.exc_info[0] is ValueError  # the traceback goes to the log file


def test_excepthook_domain_error_is_a_warning(qtbot, message_boxes):
    ui_app.handle_exception(PermissionDenied, PermissionDenied("not allowed"), None)
    assert message_boxes.texts("warning") == ["not allowed"]


@pytest.mark.parametrize(("bad", "said"), [
    ("mysql://nowhere/db", "unsupported database URL 'mysql://nowhere/db'"),
    ("postgresql://postgres@[::1/x", "bad database URL 'postgresql://postgres@[::1/x': Invalid IPv6 URL"),
    ("sqlite:///x%00y.db", "database URL 'sqlite:///x%00y.db' contains a NUL byte (%00)"),
])
def test_bad_database_offers_settings(qtbot, message_boxes, ui_settings, tmp_path, bad, said):
    url = ui_app.connect_database(ui_settings, bad)
    assert url is None  # the recorded box answered "rejected": the user quit
    ((kind, title, text),) = message_boxes.boxes  # the box with Open settings… / Retry / Quit
    assert kind == "exec" and text.startswith("Cannot open the database.") and said in text
    assert message_boxes.texts("critical") == []  # no "Unexpected error"


def test_bad_database_then_settings_then_good(qtbot, monkeypatch, ui_settings, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    good = f"sqlite:///{tmp_path / 'fresh.db'}"

    def click_settings(box):
        box.clickedButton = lambda: box.buttons()[0]  # "Open settings…"
        return 0

    def save_good_url(dialog):
        assert dialog.db_url.text() == "ftp://nowhere/x.db"  # the one that failed
        dialog.db_url.setText(good)
        dialog.accept()
        return SettingsDialog.DialogCode.Accepted

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", click_settings)
    monkeypatch.setattr(SettingsDialog, "exec", save_good_url)
    monkeypatch.setattr(ui_app, "confirm_new_database", lambda url: asked.append(url) or True)
    try:
        assert ui_app.connect_database(ui_settings, "ftp://nowhere/x.db") == good
        assert ui_settings.db_url == good
        assert asked == [good]  # the new file was made only after the person said yes
    finally:
        from app.store import db
        db.close()


def test_a_first_start_asks_and_makes_the_database_and_its_folder(qtbot, monkeypatch, ui_settings, tmp_path):
    """A station's first start: its data folder is not there yet; the person says yes."""
    path = tmp_path / "data" / "prepdesk" / "prepdesk.db"
    asked: list[str] = []
    monkeypatch.setattr(ui_app, "confirm_new_database", lambda url: asked.append(url) or True)
    try:
        assert ui_app.connect_database(ui_settings, f"sqlite:///{path}") == f"sqlite:///{path}"
        assert asked == [f"sqlite:///{path}"] and path.is_file()
    finally:
        from app.store import db
        db.close()


def test_a_missing_database_is_not_created_when_the_person_says_no(qtbot, message_boxes, ui_settings, tmp_path):
    path = tmp_path / "typo.db"
    assert ui_app.connect_database(ui_settings, f"sqlite:///{path}") is None  # "No", then "Quit"
    assert not path.exists()
    # the question is a YesNo (no scan answers it), answered No here, then the error box
    assert message_boxes.dialogs == ["YesNo", "QMessageBox"]
    ((box, _, text),) = message_boxes.boxes
    assert box == "exec" and "no database at" in text


def test_settings_dialog_validates_url(qtbot, ui_settings):
    dialog = SettingsDialog(ui_settings)
    qtbot.addWidget(dialog)
    dialog.db_url.setText("ftp://x")
    dialog.accept()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert dialog.error.text().startswith("Database URL not usable: unsupported database URL")
    assert ui_settings.db_url == ""
    dialog.db_url.setText("sqlite:////tmp/ok.db")
    dialog.station.setCurrentIndex(dialog.station.findData("packer"))
    dialog.label_printer.setCurrentText("zpl://10.0.0.5:9100")
    dialog.prefix.setText("#")
    dialog.sound.setChecked(True)
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert (ui_settings.db_url, ui_settings.station_kind, ui_settings.label_printer,
            ui_settings.scanner_prefix, ui_settings.sound_enabled) == (
        "sqlite:////tmp/ok.db", "packer", "zpl://10.0.0.5:9100", "#", True)


def test_autologin_needs_the_right_pin(sqlite_database, monkeypatch):
    from app.catalog import users

    users.create_user("Sam Supervisor", "supervisor", "1111")
    monkeypatch.setenv("PREPDESK_AUTOLOGIN", "Sam Supervisor:9999")
    assert ui_app.autologin("supervisor") is None
    monkeypatch.setenv("PREPDESK_AUTOLOGIN", "Sam Supervisor:1111")
    assert ui_app.autologin("supervisor").role == "supervisor"


def test_sound_failure_is_silent(qtbot, ui_settings, monkeypatch, caplog):
    # What the module's optional import leaves when QtMultimedia does not load.
    monkeypatch.setattr(fb, "QSoundEffect", None)
    monkeypatch.setattr(fb, "SOUND_UNAVAILABLE", "libpulse.so.0: cannot open shared object file")
    monkeypatch.delenv("PREPDESK_SOUND")
    ui_settings.sound_enabled = True
    feedback = Feedback(ui_settings)
    with caplog.at_level(logging.WARNING):
        feedback.ok()
        feedback.error()
        feedback.error()
    assert feedback.played == ["ok", "error", "error"]
    warnings = [r for r in caplog.records if r.name == "ui.widgets.feedback"]
    assert len(warnings) == 1 and "libpulse0" in warnings[0].getMessage()
    assert "QtMultimedia does not load (libpulse.so.0" in warnings[0].getMessage()
    assert feedback.problem == "sound support is not installed"


def test_sound_without_audio_device_is_silent(qtbot, ui_settings, monkeypatch, caplog):
    pytest.importorskip("PySide6.QtMultimedia", exc_type=ImportError)
    monkeypatch.delenv("PREPDESK_SOUND")
    ui_settings.sound_enabled = True
    feedback = Feedback(ui_settings)
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            feedback.ok()
            feedback.error()
            qtbot.wait(50)
    assert feedback.played == ["ok", "error"] * 3
    assert len([r for r in caplog.records if r.name == "ui.widgets.feedback"]) <= 1


def test_muted_by_environment(ui_settings, monkeypatch):
    ui_settings.sound_enabled = True
    feedback = Feedback(ui_settings)
    feedback.ok()
    assert feedback._effects is None  # nothing loaded: PREPDESK_SOUND=off in tests


def test_sound_files_are_distinct_wavs():
    import wave

    with wave.open(str(fb.SOUNDS["ok"])) as ok, wave.open(str(fb.SOUNDS["error"])) as err:
        assert ok.getnframes() / ok.getframerate() < 0.2
        assert err.getnframes() / err.getframerate() > 0.4


def test_banner_sticky_error_needs_acknowledging(qtbot):
    banner = ScanBanner()
    qtbot.addWidget(banner)
    banner.show()
    banner.show_ok("TENT-2P ×1")
    assert banner.state == "ok"
    banner.show_error("Unknown barcode 123", sticky=True)
    assert banner.state == "error" and banner.sticky
    banner.show_idle("ready")
    assert banner.state == "error"  # sticky: not replaced by idle
    with qtbot.waitSignal(banner.acknowledged):
        qtbot.keyClick(banner, Qt.Key.Key_Space)
    assert banner.state == "idle" and not banner.sticky
    banner.show_error("again", sticky=True)
    banner.acknowledge()
    assert not banner.sticky
    banner.show_warning("short pick")
    assert banner.state == "warning"


def test_run_op(qtbot, message_boxes, caplog):
    def refuse():
        raise PermissionDenied("Pat (packer) may not adjust stock: needs supervisor")

    def crash():
        raise ZeroDivisionError("division by zero")

    assert run_op(None, lambda x, y: x + y, 2, y=3) == 5
    assert run_op(None, refuse) is None
    with caplog.at_level(logging.ERROR):
        assert run_op(None, crash) is None
    assert message_boxes.texts("warning") == ["Pat (packer) may not adjust stock: needs supervisor"]
    assert message_boxes.texts("critical")[0].startswith(
        "Something went wrong: ZeroDivisionError: division by zero")
    assert any(r.exc_info for r in caplog.records if r.name == "ui.ops")


def test_run_op_database_gone(qtbot, message_boxes):
    from peewee import OperationalError

    def lost():
        raise OperationalError("server closed the connection unexpectedly\nThis probably means")

    assert run_op(None, lost) is None
    assert message_boxes.texts("warning") == [
        "The database did not answer (server closed the connection unexpectedly). "
        "Nothing was changed: try again in a moment (PrepDesk reconnects by itself)."]


def test_run_op_damaged_database_file(qtbot, message_boxes, caplog):
    from peewee import DatabaseError

    def damaged():
        raise DatabaseError("database disk image is malformed")

    with caplog.at_level(logging.ERROR):
        assert run_op(None, damaged) is None
    assert message_boxes.texts("critical") == []
    assert message_boxes.texts("warning") == [
        "The database file is damaged (database disk image is malformed). Nothing was changed. "
        "Stop work at this station and restore the last backup (python main.py restore FILE); "
        "'python main.py check' lists the damage."]


def test_a_lost_database_outside_run_op_is_not_an_unexpected_error(qtbot, message_boxes, caplog):
    from peewee import InterfaceError

    with caplog.at_level(logging.ERROR):
        ui_app.handle_exception(InterfaceError, InterfaceError("connection already closed"), None)
    assert message_boxes.texts("critical") == []
    assert message_boxes.texts("warning") == [
        "The database did not answer (connection already closed). "
        "Nothing was changed: try again in a moment (PrepDesk reconnects by itself)."]


def test_qt_messages_go_to_the_log(caplog):
    from PySide6.QtCore import QtMsgType

    with caplog.at_level(logging.WARNING, logger="qt"):
        ui_app._qt_message(QtMsgType.QtWarningMsg, None, "QPainter::begin: Paint device returned engine == 0")
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("qt", logging.WARNING, "QPainter::begin: Paint device returned engine == 0")]


def test_worker_runs_off_the_gui_thread_with_progress(qtbot, sqlite_database):
    import threading

    from app.store import db

    main = threading.get_ident()
    seen: dict = {"progress": []}

    def job(n, *, progress):
        seen["thread"] = threading.get_ident()
        for i in range(n):
            progress(i + 1, n)
        return db.execute("SELECT COUNT(*) FROM location").fetchone()[0]

    done = []
    run_task(job, 3, on_done=done.append, on_progress=lambda d, t: seen["progress"].append((d, t)))
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert done[0] >= 8  # the system locations
    assert seen["thread"] != main
    qtbot.waitUntil(lambda: len(seen["progress"]) == 3)
    assert seen["progress"] == [(1, 3), (2, 3), (3, 3)]

    errors = []
    run_task(lambda: 1 / 0, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert isinstance(errors[0], ZeroDivisionError)


def test_run_opens_the_window_and_logs_out(qtbot, sqlite_database, ui_settings, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from app.kernel.actor import Actor
    from ui import main_window

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own
    monkeypatch.setattr(ui_app, "setup_logging", lambda: None)
    monkeypatch.setattr(ui_app, "install_qt_logging", lambda: None)  # pytest-qt has its own
    monkeypatch.setattr(ui_app, "apply_style", lambda app: None)  # keep other tests unstyled
    monkeypatch.setattr(ui_app, "Settings", lambda: ui_settings)
    people = [Actor(1, "Rita Receiver", "receiver", "receiving"),
              Actor(2, "Sam Supervisor", "supervisor", "receiving"), None]
    monkeypatch.setattr(ui_app, "login", lambda settings, prepare=None, window=None: people.pop(0))
    shown: list = []
    real_init = main_window.MainWindow.__init__

    def track(self, ctx, parent=None):
        real_init(self, ctx, parent)
        shown.append(self)

    monkeypatch.setattr(main_window.MainWindow, "__init__", track)

    def event_loop(app):
        shown[0].logout_action.trigger()  # Rita logs out, Sam logs in
        shown[1].logout_action.trigger()  # Sam logs out, nobody logs in: the app quits
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    assert ui_app.run(sqlite_database.url) == 0
    assert [w.ctx.actor.name for w in shown] == ["Rita Receiver", "Sam Supervisor"]
    assert shown[0].ctx.db_url == sqlite_database.url
    assert shown[0].isHidden() and shown[1].isHidden()


def test_a_refused_restore_names_who_is_logged_in_at_the_station(qtbot, sqlite_database, ui_settings,
                                                                 monkeypatch, tmp_path):
    import os
    import socket

    from PySide6.QtWidgets import QApplication

    from app.kernel.actor import Actor
    from app.kernel.errors import DatabaseUnavailable
    from app.store import backup, station_lock
    from ui import main_window

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(ui_app, "setup_logging", lambda: None)
    monkeypatch.setattr(ui_app, "install_qt_logging", lambda: None)
    monkeypatch.setattr(ui_app, "apply_style", lambda app: None)
    monkeypatch.setattr(ui_app, "Settings", lambda: ui_settings)
    ui_settings.station_kind = "packer"
    copy = backup.backup(tmp_path / "copy.db")
    people = [Actor(1, "Pat Packer", "packer", "packer"), None]
    monkeypatch.setattr(ui_app, "login", lambda settings, prepare=None, window=None: people.pop(0))
    file = sqlite_database.url[len("sqlite:///"):]
    where = f"on {socket.gethostname()}, process {os.getpid()}"
    said: list = []
    shown: list = []
    real_init = main_window.MainWindow.__init__

    def track(self, ctx, parent=None):
        real_init(self, ctx, parent)
        shown.append(self)

    monkeypatch.setattr(main_window.MainWindow, "__init__", track)

    def event_loop(app):
        with pytest.raises(DatabaseUnavailable) as refused:
            backup.restore(copy, sqlite_database.url)
        said.append(str(refused.value))
        shown[0].logout_action.trigger()  # Pat logs out; nobody logs in: the app quits
        said.append(station_lock.connected(file))
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    assert ui_app.run(sqlite_database.url) == 0
    assert said == [
        f"restore refused: {file} is open at packer workstation (Pat Packer) {where}: close PrepDesk there first",
        [f"packer workstation (nobody logged in) {where}"],
    ]


def test_a_station_says_at_once_when_its_database_file_was_replaced(qtbot, message_boxes, sqlite_database,
                                                                     tmp_path, monkeypatch):
    import os

    from app.store import backup, db
    from ui import session

    path = sqlite_database.url[len("sqlite:///"):]
    copy = backup.backup(tmp_path / "copy.db")
    monkeypatch.setattr(session, "FILE_CHECK_MS", 10)
    watch = session.watch_database_file(lambda: None)
    try:
        qtbot.wait(50)  # a few looks: the file is the one opened, nothing said
        assert message_boxes.boxes == [] and watch.isActive()
        os.replace(copy, path)  # replaced by another file: no write is needed to notice
        qtbot.waitUntil(lambda: message_boxes.texts() != [], timeout=2000)
        assert message_boxes.texts() == [
            f"the database file {path} was replaced by another file while this station had it open "
            "(a restore?): nothing more is written here; close PrepDesk and start it again"]
        assert not watch.isActive()  # said once
    finally:
        watch.stop()
        db.close()
        db.connect(sqlite_database.url)  # the copy, for the fixture's ledger check


def test_style_sheet_parses(qtbot, qtlog):
    from PySide6.QtWidgets import QLabel

    label = QLabel("x")
    qtbot.addWidget(label)
    label.setStyleSheet(ui_app.STYLE_SHEET.read_text(encoding="utf-8"))
    label.show()
    label.ensurePolished()
    assert not [r for r in qtlog.records if "parse" in r.message.lower()]
    banner = ScanBanner()
    qtbot.addWidget(banner)
    banner.show_ok("ok")
    banner.ensurePolished()
    assert not [r for r in qtlog.records if "parse" in r.message.lower()]


def test_the_login_dialog_opens_the_database_and_quitting_its_box_quits(qtbot, ui_settings, monkeypatch):
    from ui.dialogs.login import LoginDialog

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own
    monkeypatch.setattr(ui_app, "setup_logging", lambda: None)
    monkeypatch.setattr(ui_app, "install_qt_logging", lambda: None)
    monkeypatch.setattr(ui_app, "apply_style", lambda app: None)
    monkeypatch.setattr(ui_app, "Settings", lambda: ui_settings)
    monkeypatch.delenv("PREPDESK_AUTOLOGIN", raising=False)
    asked: list[str | None] = []
    monkeypatch.setattr(ui_app, "connect_database", lambda settings, url: asked.append(url))  # "Quit"
    dialogs: list[LoginDialog] = []

    def person_submits(dialog):
        dialogs.append(dialog)
        assert asked == []  # the dialog is up before the database is opened
        dialog.make_ready()  # as after its first paint
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", person_submits)
    assert ui_app.run("sqlite:////no/such/folder/x.db") == 1
    assert asked == ["sqlite:////no/such/folder/x.db"]
    assert dialogs[0].result() == LoginDialog.DialogCode.Rejected


def test_the_dialog_checks_the_pin_beside_loading_the_window(qtbot, sqlite_database, ui_settings, monkeypatch):
    """The PIN's hash runs on a thread of its own while the GUI thread imports what the window
    still needs; a wrong PIN says so and lets nobody in."""
    from PySide6.QtCore import Qt

    from app.catalog import users
    from ui.dialogs.login import LoginDialog

    users.create_user("Rita Receiver", "receiver", "2468")
    loaded: list[str] = []
    window = ui_app.WindowModules("receiving", steps=[lambda: loaded.append(threading.current_thread().name)])
    checked_on: list[str] = []
    real_login = users.login

    def spy(*args, **kwargs):
        checked_on.append(threading.current_thread().name)
        return real_login(*args, **kwargs)

    monkeypatch.setattr(users, "login", spy)
    dialog = LoginDialog(ui_settings, station="receiving", check=window.check)
    qtbot.addWidget(dialog)
    dialog.scan_guard.clock_ms = iter(range(0, 10**9, 150)).__next__  # typed at a person's pace
    qtbot.keyClicks(dialog.name, "Rita Receiver")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.pin, "1111")
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert dialog.actor is None and "wrong PIN" in dialog.error.text()
    qtbot.keyClicks(dialog.pin, "2468")
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.name == "Rita Receiver"
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert checked_on == ["prepdesk-beside", "prepdesk-beside"]
    assert loaded == [threading.current_thread().name]  # nothing started it ahead: loaded here, once


def test_a_window_module_that_fails_to_import_fails_loudly(monkeypatch):
    window = ui_app.WindowModules("receiving")

    real_load = ui_app.lazy.load

    def missing(name: str):
        if name == "ui.session":
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real_load(name)

    monkeypatch.setattr(ui_app.lazy, "load", missing)
    with pytest.raises(ModuleNotFoundError, match="ui.session"):
        window.wait()
    with pytest.raises(ModuleNotFoundError, match="ui.session"):
        window.check(lambda: 1)


def test_the_sounds_load_when_prepared_not_with_the_window(ui_settings, monkeypatch):
    """QtMultimedia is imported by the first sound or by ``prepare`` (once the window shows)."""
    monkeypatch.delenv("PREPDESK_SOUND", raising=False)
    monkeypatch.setattr(fb, "QSoundEffect", fb._NOT_YET)
    made: list[str] = []

    class Effect:
        def setSource(self, url):
            made.append(url.toLocalFile())

        def setVolume(self, volume):
            pass

    real_attribute = fb.lazy.attribute
    monkeypatch.setattr(fb.lazy, "attribute",
                        lambda spec: Effect if spec == "PySide6.QtMultimedia:QSoundEffect" else real_attribute(spec))
    feedback = Feedback(ui_settings)
    assert made == [] and fb.QSoundEffect is fb._NOT_YET  # nothing loaded with the window
    feedback.prepare()
    assert sorted(made) == sorted(str(path) for path in fb.SOUNDS.values())
    feedback.prepare()
    assert len(made) == 2  # once
