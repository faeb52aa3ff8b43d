"""The window inside the screen, where it was left at this station; the station's text size."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QDialog

from app.kernel.actor import Actor
from ui.dialogs.settings import SettingsDialog
from ui.main_window import MainWindow
from ui.screen_fit import auto_text_size, fitted, scaled_style, text_size_for


def test_a_too_big_or_off_screen_window_is_brought_inside_the_available_area():
    available = QRect(0, 0, 1366, 728)  # 1366x768 less a 40 px taskbar
    assert fitted(QRect(0, 0, 1500, 920), available) == QRect(0, 0, 1366, 728)
    assert fitted(QRect(900, 500, 800, 600), available) == QRect(566, 128, 800, 600)
    assert fitted(QRect(-50, -20, 400, 300), available) == QRect(0, 0, 400, 300)


def test_the_window_opens_inside_the_screen_and_where_it_was_left(qtbot, make_ctx, ui_settings):
    ctx = make_ctx("supervisor", station="packer")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()
    assert available.contains(window.geometry())
    window.setGeometry(QRect(10, 20, 700, 500))
    window.close()
    assert ui_settings.window_geometry("packer")
    assert not ui_settings.window_geometry("receiving")  # remembered per station
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    assert again.geometry().size() == window.geometry().size()
    assert available.contains(again.geometry())


def test_text_size_scales_the_style_sheet_and_follows_the_screen(ui_settings):
    assert scaled_style("QWidget { font-size: 15pt; } QLabel { font-size: 19.5pt; }", 150) == (
        "QWidget { font-size: 22.5pt; } QLabel { font-size: 29.25pt; }")
    assert scaled_style("a { font-size: 15pt; }", 100) == "a { font-size: 15pt; }"
    assert (auto_text_size(728), auto_text_size(1040)) == (100, 125)  # 1366x768, 1920x1080
    assert text_size_for(ui_settings, 1040) == 125  # nothing chosen: sized to the screen
    ui_settings.text_size = 160
    assert text_size_for(ui_settings, 1040) == 160
    ui_settings.text_size = 900
    assert text_size_for(ui_settings, 728) == 200


def test_text_size_is_a_setting(qtbot, ui_settings, tmp_path):
    ui_settings.db_url = f"sqlite:///{tmp_path / 'station.db'}"
    dialog = SettingsDialog(ui_settings, actor=Actor(None, "boss", "supervisor", "packer"))
    qtbot.addWidget(dialog)
    assert dialog.text_size.value() == 0 and dialog.text_size.text() == "sized to the screen"
    dialog.text_size.setValue(150)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()
    assert ui_settings.text_size == 150


def test_a_silent_station_says_so_once_in_the_status_bar(qtbot, make_ctx, monkeypatch):
    from ui.widgets import feedback as fb

    monkeypatch.setattr(fb, "QSoundEffect", None)
    monkeypatch.setattr(fb, "SOUND_UNAVAILABLE", "libpulse.so.0: cannot open shared object file")
    monkeypatch.delenv("PREPDESK_SOUND")
    ctx = make_ctx("supervisor", station="receiving")
    ctx.settings.sound_enabled = True
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    ctx.feedback.error()
    message = window.statusBar().currentMessage()
    # a few words a worker reads at a glance, not a library's error (that is in the log):
    # the status bar's user, station and database stay whole beside it at 1366 pixels
    assert message == "No sound: sound support is not installed"
    labels = (window.user_label, window.station_label, window.db_label)
    # (the bar lays its items out again on the event loop's next pass after the message)
    qtbot.waitUntil(lambda: all(label.shown_text() == label.text() for label in labels), timeout=2000)
    window.statusBar().clearMessage()
    ctx.feedback.error()
    assert window.statusBar().currentMessage() == ""  # once, not at every scan


def test_a_scan_on_reports_says_where_to_go(qtbot, make_ctx):
    from PySide6.QtCore import Qt

    window = MainWindow(make_ctx("supervisor", station="receiving"))
    qtbot.addWidget(window)
    ticks = iter(range(0, 10_000, 5))
    window.stray_scans["reports"].clock_ms = lambda: next(ticks)
    window.statusBar().clearMessage()
    page = window.pages["reports"]
    qtbot.keyClicks(page, "012345678905")
    qtbot.keyClick(page, Qt.Key.Key_Return)
    assert window.statusBar().currentMessage() == (
        "Scan here does nothing (012345678905): go to Receiving (Alt+1) or Packing (Alt+5)")
    assert window.ctx.feedback.played[-1:] == ["error"]

