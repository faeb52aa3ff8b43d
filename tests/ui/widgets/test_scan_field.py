"""The scan field takes keyboard-wedge input the way a scanner types it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from ui.widgets.scan_field import ScanField


@pytest.fixture
def field(qtbot, ui_settings):
    f = ScanField(settings=ui_settings)
    qtbot.addWidget(f)
    return f


def scan(qtbot, field, text, terminator=Qt.Key.Key_Return):
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, terminator)


def test_burst_and_enter_is_one_scan(qtbot, field):
    got = []
    field.scanned.connect(got.append)
    scan(qtbot, field, "012345678905")
    assert got == ["012345678905"]
    assert field.text() == ""
    assert field.last_scan_was_burst is True
    scan(qtbot, field, "A-01-02", Qt.Key.Key_Enter)
    assert got == ["012345678905", "A-01-02"]


def test_prefix_suffix_and_control_characters_are_stripped(qtbot, field, ui_settings):
    ui_settings.scanner_prefix = "#"
    ui_settings.scanner_suffix = "$"
    got = []
    field.scanned.connect(got.append)
    scan(qtbot, field, "#]C0SKU-1$")
    # control characters (GS = FNC1) pasted into the field the way some wedges send them
    field.setText("#0109506000134352\x1d10ABC$")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert got == ["SKU-1", "010950600013435210ABC"]


def test_tab_ends_a_scan_and_keeps_focus(qtbot, ui_settings):
    host = QWidget()
    layout = QVBoxLayout(host)
    field = ScanField(settings=ui_settings)
    other = QLineEdit()
    layout.addWidget(field)
    layout.addWidget(other)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    got = []
    field.scanned.connect(got.append)
    scan(qtbot, field, "FNSKU123", Qt.Key.Key_Tab)
    assert got == ["FNSKU123"]
    assert field.hasFocus()
    assert not other.hasFocus()


def test_empty_enter_emits_nothing(qtbot, field):
    got = []
    field.scanned.connect(got.append)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    field.setText("  \x1d ")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert got == []


def test_scanner_burst_replaces_half_typed_text(qtbot, field):
    """A person typed 'AB' slowly, then scanned: the burst alone is the scan."""
    now = {"ms": 0}
    field.clock_ms = lambda: now["ms"]
    got = []
    field.scanned.connect(got.append)
    for ch in "AB":
        now["ms"] += 400
        qtbot.keyClicks(field, ch)
    now["ms"] += 2000
    for ch in "0123456789012":
        now["ms"] += 8
        qtbot.keyClicks(field, ch)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert got == ["0123456789012"]
    assert field.last_scan_was_burst


def test_person_typing_slowly_is_one_code_too(qtbot, field):
    now = {"ms": 0}
    field.clock_ms = lambda: now["ms"]
    got = []
    field.scanned.connect(got.append)
    for ch in "SKU-42":
        now["ms"] += 180
        qtbot.keyClicks(field, ch)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert got == ["SKU-42"]
    assert field.last_scan_was_burst is False


def test_big_font(field):
    assert field.font().pointSize() >= 20
