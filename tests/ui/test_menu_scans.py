"""A scan into an open menu chooses nothing (Quit and Log out least of all); a person's letter
in an open menu still chooses its item."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from tests.support.qt import KeyClock
from ui.main_window import MainWindow


def _window_with_file_open(qtbot, make_ctx, step: int) -> tuple[MainWindow, QMenu]:
    window = MainWindow(make_ctx("supervisor", station="receiving"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.menu_scans.clock_ms = KeyClock(step)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu) and menu.title() == "&File"
    return window, menu


def _spy(window: MainWindow) -> list[str]:
    fired: list[str] = []
    window.logout_requested.connect(lambda: fired.append("log out"))
    window.quit_action.triggered.connect(lambda: fired.append("quit"))
    window.settings_action.triggered.connect(lambda: fired.append("settings"))
    window.users_action.triggered.connect(lambda: fired.append("users"))
    return fired


def test_a_scan_into_the_open_file_menu_quits_nothing_and_logs_nobody_out(qtbot, make_ctx):
    for code in ("QC-PASS-01", "LPN-000123", "SKU-1"):
        window, menu = _window_with_file_open(qtbot, make_ctx, 5)
        fired = _spy(window)
        qtbot.keyClicks(menu, code)
        qtbot.keyClick(menu, Qt.Key.Key_Return)
        window.menu_scans.let_go()
        assert fired == [] and window.isVisible()
        assert not menu.isVisible()
        assert window.statusBar().currentMessage() == (
            f"Scan ignored ({code}): a menu was open; nothing was chosen")
        assert window.ctx.feedback.played[-1:] == ["error"]


def test_quit_and_log_out_have_no_plain_letter_but_keep_their_shortcuts(qtbot, make_ctx):
    window, menu = _window_with_file_open(qtbot, make_ctx, 500)
    fired = _spy(window)
    for letter in ("Q", "L"):
        qtbot.keyClicks(menu, letter)
        window.menu_scans.let_go()
    assert fired == [] and menu.isVisible()
    assert "&" not in window.quit_action.text() and "&" not in window.logout_action.text()
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert window.logout_action.shortcut().toString() == "Ctrl+Shift+L"


def test_a_persons_letter_in_the_open_menu_still_chooses_its_item(qtbot, make_ctx, monkeypatch):
    window, menu = _window_with_file_open(qtbot, make_ctx, 500)
    fired = _spy(window)
    monkeypatch.setattr(window, "open_admin", lambda *_args: None)
    qtbot.keyClicks(menu, "u")
    assert fired == []  # held a moment: a scanner's next key may follow
    window.menu_scans.let_go()
    assert fired == ["users"]
    assert not menu.isVisible()
    assert window.statusBar().currentMessage() == ""


def test_a_scanners_shift_for_its_capitals_does_not_split_the_burst(qtbot, make_ctx):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    window, menu = _window_with_file_open(qtbot, make_ctx, 5)
    fired = _spy(window)
    for char in "QC-PASS-01":
        if char.isupper():
            QApplication.sendEvent(menu, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift,
                                                   Qt.KeyboardModifier.ShiftModifier, ""))
        qtbot.keyClicks(menu, char)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    assert fired == [] and not menu.isVisible()
    assert window.statusBar().currentMessage() == "Scan ignored (QC-PASS-01): a menu was open; nothing was chosen"
