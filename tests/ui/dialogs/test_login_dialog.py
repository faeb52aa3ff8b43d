"""Login by name + PIN or badge; wrong PIN and a locked user are said clearly."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.catalog import users
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
    return d


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
    assert dialog.error.text() == "Unknown user or wrong PIN"
    assert dialog.pin.text() == ""
    assert dialog.error.font().pointSize() >= 18
    assert "d50000" in dialog.error.styleSheet()
    assert dialog.result() != LoginDialog.DialogCode.Accepted


def test_locked_user_message(qtbot, dialog):
    for _ in range(users.MAX_FAILED):
        dialog.name.setText("Pat Packer")
        dialog.pin.setText("0000")
        dialog.try_login()
    assert dialog.error.text() == "Pat Packer is locked for 5 min after 5 wrong PINs"
    dialog.pin.setText("3333")  # even the right PIN is refused while locked
    dialog.try_login()
    assert dialog.actor is None
    assert "locked" in dialog.error.text()


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
