"""Login by name + PIN or badge; wrong PIN and a locked user are said clearly."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.catalog import users
from app.store.models import User
from ui.dialogs.login import LoginDialog


@pytest.fixture
def people(sqlite_database):
    users.create_user("Rita Receiver", "receiver", "2222", badge="BADGE-REC-1")
    users.create_user("Pat Packer", "packer", "3333")


@pytest.fixture
def dialog(qtbot, people, ui_settings):
    d = LoginDialog(ui_settings, station="receiving")
    qtbot.addWidget(d)
    d.show()
    # qtbot types instantly, like a scanner: here each key comes at a person's pace.
    person = {"ms": 0}

    def person_clock():
        person["ms"] += 150
        return person["ms"]

    d.scan_guard.clock_ms = person_clock
    return d


def scanner_clock(d):
    """From now on keys come at a scanner's pace (5 ms apart)."""
    now = {"ms": 10**9}

    def clock():
        now["ms"] += 5
        return now["ms"]

    d.scan_guard.clock_ms = clock


def type_login(qtbot, d, name, pin):
    qtbot.keyClicks(d.name, name)
    qtbot.keyClick(d.name, Qt.Key.Key_Return)
    qtbot.keyClicks(d.pin, pin)
    qtbot.keyClick(d.pin, Qt.Key.Key_Return)


def test_login_success(qtbot, dialog):
    type_login(qtbot, dialog, "rita receiver", "2222")
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.actor.name == "Rita Receiver"
    assert dialog.actor.role == "receiver"
    assert dialog.actor.station == "receiving"


def test_wrong_pin_is_shown_in_red(qtbot, dialog):
    type_login(qtbot, dialog, "Pat Packer", "9999")
    assert dialog.actor is None
    assert dialog.error.text() == "Unknown user or wrong PIN (5 wrong PINs lock a name for 5 minutes)"
    assert dialog.pin.text() == ""
    assert dialog.error.font().pointSize() >= 18
    assert "d50000" in dialog.error.styleSheet()
    assert dialog.result() != LoginDialog.DialogCode.Accepted


def test_locked_user_message(qtbot, dialog):
    for _ in range(users.MAX_FAILED):
        dialog.name.setText("Pat Packer")
        dialog.pin.setText("0000")
        dialog.try_login()
    # Said as for a name nobody has, so the lock does not tell which names exist.
    assert dialog.error.text() == "Unknown user or wrong PIN (5 wrong PINs lock a name for 5 minutes)"
    dialog.pin.setText("3333")  # even the right PIN is refused while locked
    dialog.try_login()
    assert dialog.actor is None
    assert dialog.error.text() == "Unknown user or wrong PIN (5 wrong PINs lock a name for 5 minutes)"


def test_badge_scan_logs_in(qtbot, dialog, ui_settings):
    ui_settings.scanner_suffix = "$"
    qtbot.keyClicks(dialog.name, "BADGE-REC-1$")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.name == "Rita Receiver"


def test_unknown_badge(qtbot, dialog):
    qtbot.keyClicks(dialog.name, "BADGE-NOPE")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.actor is None
    assert dialog.error.text() == "Badge not recognised"


def test_a_badge_scanned_into_the_pin_field_logs_in_by_badge(qtbot, dialog):
    qtbot.keyClicks(dialog.name, "Pat Packer")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.pin, "12")  # half a PIN, then a badge
    scanner_clock(dialog)
    qtbot.keyClicks(dialog.pin, "BADGE-REC-1")
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.name == "Rita Receiver"
    assert User.get(User.name == "Pat Packer").failed_attempts == 0


def test_badges_in_the_pin_field_never_lock_the_typed_user(qtbot, dialog):
    qtbot.keyClicks(dialog.name, "Pat Packer")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    scanner_clock(dialog)
    for _ in range(users.MAX_FAILED + 1):
        dialog.pin.setFocus()
        qtbot.keyClicks(dialog.pin, "BADGE-LOST-7")
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
        assert dialog.actor is None
        assert dialog.pin.text() == ""
    assert dialog.error.text().startswith("Too many attempts")  # the station's badge lock
    row = User.get(User.name == "Pat Packer")
    assert (row.failed_attempts, row.locked_until) == (0, None)
    dialog.pin.setText("3333")
    dialog.try_login()  # Pat types the PIN: still welcome
    assert dialog.actor is not None and dialog.actor.name == "Pat Packer"


def test_a_badge_scanned_after_a_typed_name_is_the_badge_alone(qtbot, dialog):
    qtbot.keyClicks(dialog.name, "Pat")
    scanner_clock(dialog)
    qtbot.keyClicks(dialog.name, "BADGE-REC-1")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.name == "Rita Receiver"


def _preparing_dialog(qtbot, ui_settings, prepare):
    d = LoginDialog(ui_settings, station="receiving", prepare=prepare)
    qtbot.addWidget(d)
    d.scan_guard.clock_ms = iter(range(0, 10**9, 150)).__next__  # a person's pace
    return d


def test_the_database_opens_after_the_dialog_is_drawn(qtbot, people, ui_settings):
    calls: list[str] = []
    d = _preparing_dialog(qtbot, ui_settings, lambda: calls.append("open") or True)
    assert calls == [] and d.name.completer().model().stringList() == []  # nothing loaded yet
    with qtbot.waitSignal(d.ready, timeout=5_000):
        d.show()
    assert calls == ["open"]
    assert d.name.completer().model().stringList() == ["Pat Packer", "Rita Receiver"]
    type_login(qtbot, d, "rita receiver", "2222")
    assert d.actor.name == "Rita Receiver" and calls == ["open"]  # opened once


def test_a_name_and_pin_typed_before_the_database_is_open_wait_for_it(qtbot, people, ui_settings):
    # Never shown (so never drawn): the submit itself opens the database, then checks the PIN.
    calls: list[str] = []
    d = _preparing_dialog(qtbot, ui_settings, lambda: calls.append("open") or True)
    type_login(qtbot, d, "Rita Receiver", "2222")
    assert calls == ["open"]
    assert d.result() == LoginDialog.DialogCode.Accepted and d.actor.name == "Rita Receiver"


def test_a_database_that_cannot_open_is_one_line_in_the_dialog(qtbot, people, ui_settings):
    from app.kernel.errors import DatabaseUnavailable

    answers = [DatabaseUnavailable("cannot open the database: disk I/O error"), True]

    def prepare():
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    d = _preparing_dialog(qtbot, ui_settings, prepare)
    qtbot.keyClicks(d.name, "Rita Receiver")
    qtbot.keyClick(d.name, Qt.Key.Key_Return)
    assert d.error.text() == "cannot open the database: disk I/O error"
    assert d.actor is None and d.result() != LoginDialog.DialogCode.Accepted
    assert d.name.text() == "Rita Receiver"  # what was typed stays
    qtbot.keyClicks(d.pin, "2222")
    qtbot.keyClick(d.pin, Qt.Key.Key_Return)  # the next submit tries again
    assert d.actor.name == "Rita Receiver"


def test_quitting_from_the_database_box_closes_the_dialog(qtbot, people, ui_settings):
    d = _preparing_dialog(qtbot, ui_settings, lambda: False)
    type_login(qtbot, d, "Rita Receiver", "2222")
    assert d.result() == LoginDialog.DialogCode.Rejected and d.actor is None


def test_a_badge_scanned_while_a_button_has_the_focus_is_the_badge(qtbot, dialog):
    """Its Enter never presses the focused Quit (which would close the station)."""
    for button in (dialog.quit_button, dialog.login_button):
        scanner_clock(dialog)
        button.setFocus()
        qtbot.keyClicks(button, "BADGE-NOPE")
        qtbot.keyClick(button, Qt.Key.Key_Return)
        assert dialog.result() == 0 and dialog.isVisible() and dialog.actor is None
        assert dialog.error.text() == "Badge not recognised"
    scanner_clock(dialog)
    dialog.quit_button.setFocus()
    qtbot.keyClicks(dialog.quit_button, "BADGE-REC-1")
    qtbot.keyClick(dialog.quit_button, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.name == "Rita Receiver"
    assert dialog.result() == LoginDialog.DialogCode.Accepted
