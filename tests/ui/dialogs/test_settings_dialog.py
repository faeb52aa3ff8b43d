"""Settings: a supervisor's dialog; scans never land in it; a new database is tried and confirmed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from app.kernel.actor import Actor
from app.store import db
from ui.dialogs import settings as settings_dialog
from ui.dialogs.settings import SettingsDialog

BOSS = Actor(None, "Sue", "supervisor", "test")
PACKER = Actor(None, "Pat", "packer", "test")


class Keys:
    def __init__(self, qtbot, dialog):
        self.qtbot, self.ms = qtbot, 0
        dialog.scan_guard.clock_ms = lambda: self.ms

    def type(self, widget, text, ms_per_key):
        for ch in text:
            self.ms += ms_per_key
            self.qtbot.keyClicks(widget, ch)

    def enter(self, widget, after_ms):
        self.ms += after_ms
        self.qtbot.keyClick(widget, Qt.Key.Key_Return)


@pytest.fixture
def answers(monkeypatch):
    """The questions asked, answered from ``answers.reply`` (No unless changed)."""

    class Answers:
        reply = QMessageBox.StandardButton.No
        asked: list[str] = []

    rec = Answers()
    rec.asked = []

    def question(parent, title, text, **kwargs):
        rec.asked.append(text)
        assert kwargs == {"default": False}  # a person's Enter says No
        return rec.reply == QMessageBox.StandardButton.Yes

    monkeypatch.setattr(settings_dialog, "ask_yes_no", question)
    return rec


def make(qtbot, ui_settings, **kwargs):
    dialog = SettingsDialog(ui_settings, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_only_a_supervisor_opens_it(qtbot, ui_settings, message_boxes):
    dialog = SettingsDialog(ui_settings, actor=PACKER)
    qtbot.addWidget(dialog)
    assert dialog.exec() == QDialog.DialogCode.Rejected
    assert message_boxes.dialogs == []  # never shown
    kind, title, text = message_boxes.boxes[0]
    assert (kind, title) == ("warning", "PrepDesk settings")
    assert text == "Settings are for a supervisor: Pat (packer) may not change this station's settings."
    finished = []
    dialog.finished.connect(finished.append)
    dialog.open()
    assert finished == [0] and not dialog.isVisible()
    assert SettingsDialog(ui_settings, actor=BOSS).exec() == QDialog.DialogCode.Rejected  # shown
    assert message_boxes.dialogs == ["SettingsDialog"]


def test_it_shows_the_database_in_use(qtbot, ui_settings, sqlite_database):
    dialog = make(qtbot, ui_settings, actor=BOSS)
    assert dialog.db_in_use is not None and dialog.db_in_use.isReadOnly()
    assert dialog.db_in_use.text() == sqlite_database.url
    other = make(qtbot, ui_settings, actor=BOSS, in_use="postgresql://u:secret@h/prep")
    assert other.db_in_use.text() == "postgresql://u:***@h/prep"
    assert make(qtbot, ui_settings).db_in_use is None  # start-up: as before


def test_a_scan_while_settings_are_open_changes_nothing(qtbot, ui_settings, answers):
    ui_settings.db_url = "sqlite:////var/prep/prepdesk.db"
    dialog = make(qtbot, ui_settings, actor=BOSS)
    keys = Keys(qtbot, dialog)
    dialog.db_url.setFocus()
    dialog.db_url.end(False)
    keys.ms += 5000
    keys.type(dialog.db_url, "0123456789012", 6)
    keys.enter(dialog.db_url, 6)
    assert dialog.db_url.text() == "sqlite:////var/prep/prepdesk.db"
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert ui_settings.db_url == "sqlite:////var/prep/prepdesk.db"
    assert dialog.error.isVisibleTo(dialog)
    assert dialog.error.text() == "A scan was ignored: this dialog takes typed input"
    assert answers.asked == []


def test_a_scan_can_go_to_the_station(qtbot, ui_settings):
    got = []
    dialog = make(qtbot, ui_settings, actor=BOSS, on_scan=got.append)
    keys = Keys(qtbot, dialog)
    dialog.prefix.setFocus()
    keys.type(dialog.prefix, "4006381333931", 5)
    keys.enter(dialog.prefix, 5)
    assert got == ["4006381333931"]
    assert dialog.prefix.text() == ""


def test_a_database_that_does_not_open_is_not_saved(qtbot, ui_settings, answers, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    dialog = make(qtbot, ui_settings, actor=BOSS)
    dialog.db_url.setText(f"sqlite:///{junk}")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    text = dialog.error.text()
    assert text.startswith(f"Database not changed: cannot open sqlite:///{junk}: ")
    assert text.endswith("Nothing was saved.") and "\n" not in text
    assert ui_settings.db_url == ""
    assert answers.asked == []  # nothing to confirm


def test_a_new_database_is_confirmed_before_it_is_saved(qtbot, ui_settings, answers, sqlite_database,
                                                         tmp_path):
    dialog = make(qtbot, ui_settings, actor=BOSS)
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    dialog.db_url.setText(fresh)
    dialog.accept()  # answered No
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert ui_settings.db_url == ""
    assert dialog.error.text() == "Database not changed: nothing was saved."
    assert "NEW, EMPTY database" in answers.asked[0]
    assert sqlite_database.url in answers.asked[0]
    assert not (tmp_path / "fresh.db").exists()  # trying it made no file
    answers.reply = QMessageBox.StandardButton.Yes
    dialog.db_url.setText(sqlite_database.url)  # an existing one: opened and closed, then asked
    dialog.accept()
    assert "NEW, EMPTY" not in answers.asked[1], dialog.error.text()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert ui_settings.db_url == sqlite_database.url
    assert not db.database.obj.is_closed()  # the station's own connection is untouched


def test_other_settings_save_without_questions(qtbot, ui_settings, answers, tmp_path):
    ui_settings.db_url = f"sqlite:///{tmp_path / 'station.db'}"
    dialog = make(qtbot, ui_settings, actor=BOSS)
    dialog.sound.setChecked(True)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert ui_settings.sound_enabled is True
    assert answers.asked == []


def test_a_station_started_on_another_database_saves_its_other_settings(qtbot, ui_settings, answers,
                                                                          sqlite_database, monkeypatch,
                                                                          tmp_path):
    """Started with --db, the station's own URL is unset and its default folder does not exist:
    that URL, left as it is, neither blocks nor is written by a save of the other settings."""
    unset = f"sqlite:///{tmp_path / 'no-such-folder' / 'prepdesk.db'}"
    monkeypatch.setattr(db, "default_url", lambda: unset)
    dialog = make(qtbot, ui_settings, actor=BOSS, in_use=sqlite_database.url)
    assert dialog.db_url.text() == unset
    dialog.sound.setChecked(True)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()
    assert ui_settings.sound_enabled is True
    assert ui_settings.db_url == ""  # still unset: the default, wherever it is
    assert answers.asked == []
    changed = make(qtbot, ui_settings, actor=BOSS, in_use=sqlite_database.url)
    changed.db_url.setText(f"sqlite:///{tmp_path / 'other-missing' / 'x.db'}")  # typed: checked
    changed.accept()
    assert changed.result() != QDialog.DialogCode.Accepted
    assert changed.error.text().startswith("Database URL not usable: no database at ") and "does not exist" in changed.error.text()
    assert ui_settings.db_url == ""


def test_probe():
    assert db.probe("ftp://x").startswith("unsupported database URL")
    assert db.probe("sqlite:///:memory:").startswith("sqlite:///:memory: is not a warehouse")
    assert db.probe("postgresql://postgres@[::1/x").startswith("bad database URL")


def test_a_long_database_error_scrolls_under_the_form_and_goes_before_the_question(
        qtbot, ui_settings, answers, monkeypatch, tmp_path):
    url = ("postgresql://prepdesk_station_receiving_01@warehouse-db-primary.eu-west-1.internal.example.com:5432/"
           "prepdesk_production_warehouse_north?sslmode=verify-full&sslrootcert=/etc/prepdesk/certs/root.crt"
           "&connect_timeout=5&application_name=prepdesk-receiving-desk-01")
    long_error = (f"cannot open {url}: could not translate host name "
                  "\"warehouse-db-primary.eu-west-1.internal.example.com\" to address: Name or service not known; "
                  "check the host name, the network and that the server accepts connections from this station ") * 2
    monkeypatch.setattr(db, "probe", lambda _url: long_error)
    ui_settings.db_url = f"sqlite:///{tmp_path / 'station.db'}"
    dialog = make(qtbot, ui_settings, actor=BOSS)
    qtbot.waitExposed(dialog)
    dialog.db_url.setText(url)
    dialog.accept()
    assert dialog.error.text() == f"Database not changed: {long_error}. Nothing was saved."
    qtbot.waitUntil(dialog.error.isVisible)
    rows = [dialog.db_url, dialog.station, dialog.label_printer, dialog.label_language, dialog.document_printer,
            dialog.prefix, dialog.suffix, dialog.sound, dialog.text_size, dialog.error]
    seen = [w.visibleRegion().boundingRect() for w in rows]  # (a message that scrolls: the part in sight)
    boxes = [QRect(w.mapTo(dialog, r.topLeft()), r.size()) for w, r in zip(rows, seen, strict=True)]
    overlaps = [(i, j) for i in range(len(rows)) for j in range(i + 1, len(rows)) if boxes[i].intersects(boxes[j])]
    assert overlaps == []
    assert boxes[-1].height() >= 2 * dialog.error.fontMetrics().lineSpacing()  # the message can be read
    assert all(w.height() >= w.minimumSizeHint().height() for w in rows[:-1])
    assert dialog.height() <= dialog.screen().availableGeometry().height()
    # the next try: the old message is gone while the question is asked
    monkeypatch.setattr(db, "probe", lambda _url: None)
    seen = []
    monkeypatch.setattr(settings_dialog, "ask_yes_no",
                        lambda *args, **kwargs: seen.append(dialog.error.isHidden()) or False)
    dialog.accept()
    assert seen == [True]
    assert dialog.error.text() == "Database not changed: nothing was saved."
