"""File → Users…: a supervisor adds a new hire with a scanned badge, changes a role, sets a
forgotten PIN (lifting a lock-out), takes a lost badge away and a leaver's access; a scan
outside a badge field is dropped; a refusal is said in the dialog and changes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.catalog import users
from app.kernel.actor import Actor
from app.kernel.errors import AuthError, UserLocked
from app.store.models import User
from tests.support.qt import keys, shown
from ui.dialogs.users import UsersDialog
from ui.main_window import MainWindow

BOSS = Actor(None, "Sue", "supervisor", "test")


@pytest.fixture
def people(sqlite_database, frozen_clock):
    users.create_user("Sue", "supervisor", "9999")
    users.create_user("Pat", "packer", "2468", badge="BADGE-PAT")


def make(qtbot) -> UsersDialog:
    return shown(qtbot, UsersDialog(BOSS))


def scan_into(qtbot, dialog, widget, code: str) -> None:
    keys(qtbot, dialog.guard, widget, code, 5)  # a scanner's burst and its Enter


def type_into(qtbot, dialog, widget, text: str) -> None:
    keys(qtbot, dialog.guard, widget, text, 150, enter=False)  # a person's keys


def select(dialog: UsersDialog, name: str) -> None:
    dialog.table.setCurrentCell([u.name for u in dialog.rows].index(name), 0)


def test_a_new_hire_with_a_scanned_badge_logs_in_by_badge(qtbot, people):
    dialog = make(qtbot)
    assert [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())] == ["Pat", "Sue"]
    type_into(qtbot, dialog, dialog.add_name, "Rita")
    dialog.add_role.setCurrentIndex(dialog.add_role.findData("receiver"))
    type_into(qtbot, dialog, dialog.add_pin, "1357")
    scan_into(qtbot, dialog, dialog.add_badge, "BADGE-RITA-7")
    assert dialog.add_badge.text() == "BADGE-RITA-7" and dialog.isVisible()  # the scan said no OK
    assert User.select().count() == 2
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Rita added (receiver)."
    assert dialog.selected_name() == "Rita" and dialog.add_name.text() == "" and dialog.add_pin.text() == ""
    assert users.login_badge("BADGE-RITA-7").role == "receiver"
    assert users.login("Rita", "1357").name == "Rita"


def test_role_pin_lost_badge_and_a_leaver(qtbot, people, frozen_clock):
    for _ in range(users.MAX_FAILED):
        with pytest.raises(AuthError):
            users.login("Pat", "0000")
    dialog = make(qtbot)
    select(dialog, "Pat")
    assert dialog.table.item(dialog.table.currentRow(), 4).text() != ""  # locked out, until when
    dialog.role.setCurrentIndex(dialog.role.findData("receiver"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Pat: saved."
    assert dialog.table.item(dialog.table.currentRow(), 1).text() == "receiver"
    type_into(qtbot, dialog, dialog.new_pin, "12")
    qtbot.mouseClick(dialog.pin_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "A PIN is 4 to 12 digits"
    with pytest.raises(UserLocked):
        users.login("Pat", "2468")
    dialog.new_pin.clear()
    type_into(qtbot, dialog, dialog.new_pin, "8642")
    qtbot.mouseClick(dialog.pin_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Pat: new PIN set."
    assert dialog.table.item(dialog.table.currentRow(), 4).text() == ""  # the lock-out is lifted
    assert users.login("Pat", "8642").role == "receiver"
    qtbot.mouseClick(dialog.no_badge_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Pat: badge taken away."
    with pytest.raises(AuthError):
        users.login_badge("BADGE-PAT")
    dialog.active.setChecked(False)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.table.item(dialog.table.currentRow(), 3).text() == "no"
    with pytest.raises(AuthError):
        users.login("Pat", "8642")


def test_the_last_supervisor_is_kept_and_a_stray_scan_changes_nothing(qtbot, people):
    dialog = make(qtbot)
    select(dialog, "Sue")
    for label in dialog.findChildren(QLabel):  # every Alt+letter leads to a field that takes the cursor
        if "&" in label.text():
            assert label.buddy() is not None and label.buddy().focusPolicy() != Qt.FocusPolicy.NoFocus, label.text()
    scan_into(qtbot, dialog, dialog.new_pin, "4006381333931")  # a product scanned by mistake
    assert dialog.new_pin.text() == "" and dialog.note.text().startswith("A scan was ignored")
    dialog.active.setChecked(False)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Sue is the only active supervisor: give another user the supervisor role first"
    assert User.get(User.name == "Sue").active


def test_users_is_in_the_file_menu_for_a_supervisor_only(qtbot, make_ctx, people):
    boss = MainWindow(make_ctx("supervisor"))
    qtbot.addWidget(boss)
    assert boss.users_action.isVisible() and boss.users_action.text() == "&Users…"
    packer = MainWindow(make_ctx("packer", station="packer"))
    qtbot.addWidget(packer)
    assert not packer.users_action.isVisible()


def test_a_look_alike_name_is_refused_in_the_dialog(qtbot, people):
    """A name pasted with a zero-width space would be a second "Sue" nobody can type at the login."""
    dialog = make(qtbot)
    dialog.add_name.setText("Sue\u200b")  # pasted from a chat message
    dialog.add_role.setCurrentIndex(dialog.add_role.findData("supervisor"))
    type_into(qtbot, dialog, dialog.add_pin, "4321")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "A user's name contains an invisible character (U+200B): Sue\\u200b"
    assert [u.name for u in users.list_users()] == ["Pat", "Sue"]
    assert [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())] == ["Pat", "Sue"]
