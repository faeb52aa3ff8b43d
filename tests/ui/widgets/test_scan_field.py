"""The scan field takes keyboard-wedge input the way a scanner types it."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from app.catalog import scan as catalog_scan
from ui.widgets.scan_field import IGNORED_SCAN, ScanBurstGuard, ScanField


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
    # GS (FNC1) pasted into the field the way some wedges send it stays: it ends the lot
    field.setText("#0109506000134352\x1d10ABC$")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert got == ["SKU-1", "0109506000134352\x1d10ABC"]


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


# --- ScanBurstGuard: a dialog's text fields take typed input only ---------------------


class FakeKeys:
    """A clock the test moves: ``type(widget, text, ms_per_key)``."""

    def __init__(self, qtbot):
        self.qtbot, self.ms = qtbot, 10_000

    def clock(self):
        return self.ms

    def type(self, widget, text, ms_per_key):
        for ch in text:
            self.ms += ms_per_key
            self.qtbot.keyClicks(widget, ch)

    def key(self, widget, key, after_ms):
        self.ms += after_ms
        self.qtbot.keyClick(widget, key)


@pytest.fixture
def dialog_fields(qtbot):
    host = QWidget()
    layout = QVBoxLayout(host)
    first, second = QLineEdit(), QLineEdit()
    layout.addWidget(first)
    layout.addWidget(second)
    qtbot.addWidget(host)
    host.show()
    return host, first, second


def test_guard_takes_a_burst_out_of_the_field_and_swallows_enter(qtbot, dialog_fields):
    host, first, second = dialog_fields
    keys = FakeKeys(qtbot)
    notes, entered = [], []
    guard = ScanBurstGuard(host, on_ignored=notes.append).watch_all(host)
    guard.clock_ms = keys.clock
    first.returnPressed.connect(lambda: entered.append(first.text()))
    keys.type(first, "sqlite:///a.db", 200)  # a person typing
    keys.ms += 2000
    keys.type(first, "0123456789012", 8)  # then a scan lands in the field
    keys.key(first, Qt.Key.Key_Return, 5)
    assert first.text() == "sqlite:///a.db"
    assert first.cursorPosition() == len("sqlite:///a.db")
    assert entered == []  # Enter never reached the field (nothing saved)
    assert notes == [IGNORED_SCAN] == [guard.last_ignored]
    # A person's own Enter still works.
    keys.key(first, Qt.Key.Key_Return, 300)
    assert entered == ["sqlite:///a.db"]


def test_guard_hands_the_code_to_the_station_and_restores_a_selection(qtbot, dialog_fields, ui_settings):
    host, first, second = dialog_fields
    keys = FakeKeys(qtbot)
    ui_settings.scanner_suffix = "$"
    got = []
    guard = ScanBurstGuard(host, on_scan=got.append, settings=ui_settings).watch(second)
    guard.clock_ms = keys.clock
    second.setFocus()
    second.setText("12")
    second.selectAll()  # a scan replaces the selected text...
    keys.type(second, "BADGE-9$", 6)
    keys.key(second, Qt.Key.Key_Tab, 6)
    assert got == ["BADGE-9"]
    assert second.text() == "12"  # ...and it comes back
    assert second.hasFocus()  # Tab did not move on


def test_guard_leaves_typing_and_short_fast_runs_alone(qtbot, dialog_fields):
    host, first, second = dialog_fields
    keys = FakeKeys(qtbot)
    notes, entered = [], []
    guard = ScanBurstGuard(host, on_ignored=notes.append).watch(first)
    guard.clock_ms = keys.clock
    first.returnPressed.connect(lambda: entered.append(first.text()))
    keys.type(first, "4711", 150)
    keys.key(first, Qt.Key.Key_Return, 20)
    keys.type(first, "ab", 5)  # two fast keys are no scan
    keys.key(first, Qt.Key.Key_Return, 5)
    keys.type(first, "cdefgh", 5)  # a fast run, but Enter comes at a person's pace
    keys.key(first, Qt.Key.Key_Return, 400)
    assert entered == ["4711", "4711ab", "4711abcdefgh"]
    assert notes == []


def test_guard_default_note_is_a_tool_tip(qtbot, dialog_fields):
    host, first, second = dialog_fields
    keys = FakeKeys(qtbot)
    guard = ScanBurstGuard(host).watch(first)
    guard.clock_ms = keys.clock
    keys.type(first, "0123456789", 5)
    keys.key(first, Qt.Key.Key_Enter, 5)
    assert first.text() == ""
    assert guard.last_ignored == IGNORED_SCAN



def scan_gs1(qtbot, field, text):
    """Key by key as a wedge scanner types it; FNC1 comes as Ctrl+] carrying the GS
    character (QTest cannot type control characters itself). The clock stands still, so a
    loaded test machine cannot split the burst."""
    field.clock_ms = lambda: 0
    for n, part in enumerate(text.split("\x1d")):
        if n:
            QApplication.sendEvent(field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_BracketRight,
                                                    Qt.KeyboardModifier.ControlModifier, "\x1d"))
        qtbot.keyClicks(field, part)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_a_gs1_scan_keeps_its_separator_and_resolves_with_lot_and_expiry(qtbot, field, world):
    """Typed key by key as a wedge scanner does, FNC1 as the GS character."""
    product = world.product("VITAMIN-C", barcode="00000000100014")
    got = []
    field.scanned.connect(got.append)
    scan_gs1(qtbot, field, "]C1010000000010001417271231\x1d10LOT42")
    scan_gs1(qtbot, field, "]d201000000001000141728020010LOT-7\x1d21SN1")
    assert got == ["010000000010001417271231\x1d10LOT42", "01000000001000141728020010LOT-7\x1d21SN1"]
    first, second = (catalog_scan.resolve(code) for code in got)
    assert (first.id, first.lot, first.expiry) == (product.id, "LOT42", dt.date(2027, 12, 31))
    assert (second.id, second.lot, second.expiry, second.serial) == (product.id, "LOT-7", dt.date(2028, 2, 29), "SN1")
