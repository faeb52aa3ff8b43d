"""The settings dialog's text size, lists and Save button: a scan's burst changes none of them
and its Enter saves nothing; a person's change and Enter save as before."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from tests.support.qt import KeyClock
from tests.ui.dialogs import test_settings_dialog as settings_tests

answers, BOSS = settings_tests.answers, settings_tests.BOSS  # (fixture)


def keys(qtbot, dialog, widget, text: str, step: int) -> None:
    dialog.scan_guard.clock_ms = KeyClock(step)
    widget.setFocus()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_a_scan_in_the_text_size_a_list_or_on_save_saves_nothing(qtbot, ui_settings, answers, tmp_path):
    ui_settings.db_url = f"sqlite:///{tmp_path / 'station.db'}"
    dialog = settings_tests.make(qtbot, ui_settings, actor=BOSS)
    size, station = dialog.text_size.value(), dialog.station.currentIndex()
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    for widget in (dialog.text_size, dialog.station, dialog.sound, save):
        keys(qtbot, dialog, widget, "4006381333931", 5)
        assert (dialog.text_size.value(), dialog.station.currentIndex()) == (size, station), widget
        assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.text() == "A scan was ignored: this dialog takes typed input"
    assert ui_settings.text_size == size and answers.asked == []
    dialog.text_size.selectAll()
    keys(qtbot, dialog, dialog.text_size, "140", 150)
    assert dialog.result() == QDialog.DialogCode.Accepted and ui_settings.text_size == 140
