"""Scanner bursts are told from typing by the time the window system stamped on each key, not
the time the key was handled: keys that waited in the queue while the window was busy (the
database opening under the login dialog) keep their real spacing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit

from ui.widgets.scan_field import ScanBurstGuard, ScanField


def _press(widget, text: str, stamp_ms: int, key: Qt.Key = Qt.Key.Key_A) -> None:
    event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text)
    event.setTimestamp(stamp_ms)
    QApplication.sendEvent(widget, event)


def _type(widget, text: str, start_ms: int, step_ms: int, end: Qt.Key) -> None:
    for i, char in enumerate(text):
        _press(widget, char, start_ms + i * step_ms)
    _press(widget, "", start_ms + len(text) * step_ms, end)


def test_a_person_s_typing_handled_late_is_not_a_scan_and_a_burst_handled_late_is(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    name = QLineEdit(dialog)
    scans: list[str] = []
    ScanBurstGuard(dialog, on_scan=scans.append).watch(name)
    # Typed 60 ms a key (a fast typist) while the dialog was busy: all handled back to back.
    _type(name, "Sam Supervisor", 10_000, 60, Qt.Key.Key_Tab)
    assert scans == [] and name.text() == "Sam Supervisor"
    name.clear()
    # A badge scanned 4 ms a key, handled just as late.
    _type(name, "BADGE-0042", 20_000, 4, Qt.Key.Key_Return)
    assert scans == ["BADGE-0042"] and name.text() == ""


def test_the_scan_field_tells_a_burst_by_its_stamps(qtbot):
    field = ScanField()
    qtbot.addWidget(field)
    got: list[str] = []
    field.scanned.connect(got.append)
    _type(field, "4006381333931", 5_000, 3, Qt.Key.Key_Return)
    assert got == ["4006381333931"] and field.last_scan_was_burst
    _type(field, "ACM-0001", 9_000, 200, Qt.Key.Key_Return)  # keyed by hand
    assert got == ["4006381333931", "ACM-0001"] and not field.last_scan_was_burst
