"""The dialog guard keeps scanner bursts out of spin boxes, dates, combo boxes, text boxes,
buttons and table cells too, and leaves a person's keys (Enter included) alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
)

from tests.support.qt import KeyClock
from ui.widgets.common import ok_cancel_buttons
from ui.widgets.scan_field import IGNORED_SCAN, ScanBurstGuard

CODE = "4006381333931"


class Form(QDialog):
    def __init__(self) -> None:
        super().__init__()
        form = QFormLayout(self)
        self.qty = QSpinBox()
        self.qty.setRange(1, 500)
        self.qty.setValue(3)
        self.weight = QDoubleSpinBox()
        self.weight.setValue(1.5)
        self.when = QDateEdit(QDate(2026, 5, 31))
        self.when.setDisplayFormat("yyyy-MM-dd")
        self.kind = QComboBox()
        self.kind.addItems(["alpha", "beta", "4 four", "0 zero"])
        self.notes = QPlainTextEdit("first line")
        self.flag = QCheckBox("flag")
        self.other = QPushButton("Other")
        self.table = QTableWidget(3, 2)
        self.name = QLineEdit()
        self.bin = QComboBox()
        self.bin.setEditable(True)
        self.bin.addItems(["A-01-01", "B-01-01"])
        self.bin.setCurrentText("A-0")
        for widget in (self.qty, self.weight, self.when, self.kind, self.notes, self.flag, self.other,
                       self.table, self.name, self.bin):
            form.addRow(widget)
        form.addRow(ok_cancel_buttons(self))
        self.pressed: list[str] = []
        self.other.clicked.connect(lambda: self.pressed.append("other"))


@pytest.fixture
def form(qtbot):
    dialog = Form()
    qtbot.addWidget(dialog)
    notes: list[str] = []
    dialog.guard = ScanBurstGuard(dialog, on_ignored=notes.append).watch_dialog(dialog)
    dialog.guard.watch_editors(dialog.table)
    dialog.notes_seen = notes
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def burst(qtbot, form, widget, text=CODE, key=Qt.Key.Key_Return):
    form.guard.clock_ms = KeyClock(5)
    widget.setFocus()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, key)


def keys_to_focus(qtbot, text, key=Qt.Key.Key_Return):
    """Each key to the widget that has the focus as it comes (a table's cell editor opens
    at the first)."""
    for ch in text:
        qtbot.keyClicks(QApplication.focusWidget(), ch)
    qtbot.keyClick(QApplication.focusWidget(), key)


def test_a_burst_into_a_spin_box_is_taken_back_and_its_enter_swallowed(qtbot, form):
    changes: list[int] = []
    form.qty.valueChanged.connect(changes.append)
    burst(qtbot, form, form.qty)
    assert form.qty.value() == 3 and form.qty.text() == "3"
    assert form.isVisible() and form.result() == 0  # Enter accepted nothing
    assert form.notes_seen == [IGNORED_SCAN]
    assert changes[-1] == 3  # the keys did change it; it is back
    burst(qtbot, form, form.weight, "12345")
    assert form.weight.value() == 1.5
    burst(qtbot, form, form.when, "20991231", Qt.Key.Key_Tab)
    assert form.when.date() == QDate(2026, 5, 31) and form.when.hasFocus()
    assert form.isVisible() and form.result() == 0
    assert len(form.notes_seen) == 3


def test_a_person_typing_in_a_spin_box_and_pressing_enter_accepts(qtbot, form):
    form.guard.clock_ms = KeyClock(150)
    form.qty.setFocus()
    form.qty.selectAll()
    qtbot.keyClicks(form.qty, "42")
    qtbot.keyClick(form.qty, Qt.Key.Key_Return)
    assert form.qty.value() == 42
    assert form.result() == QDialog.DialogCode.Accepted and not form.isVisible()
    assert form.notes_seen == []


def test_a_half_typed_number_comes_back_as_it_was(qtbot, form):
    form.qty.setFocus()
    form.qty.selectAll()
    form.guard.clock_ms = clock = KeyClock(150)
    qtbot.keyClicks(form.qty, "1")
    clock.ms += 2000  # a while later the scanner
    clock.step = 5
    qtbot.keyClicks(form.qty, "99887")
    qtbot.keyClick(form.qty, Qt.Key.Key_Return)
    assert form.qty.text() == "1" and form.qty.value() == 1
    assert form.isVisible() and form.result() == 0


def test_combo_text_box_check_box_and_button_keep_their_value(qtbot, form):
    burst(qtbot, form, form.kind)
    assert form.kind.currentText() == "alpha"
    burst(qtbot, form, form.notes)
    assert form.notes.toPlainText() == "first line"
    form.flag.setChecked(True)
    burst(qtbot, form, form.flag, "  4 ")  # (a space toggles a check box)
    assert form.flag.isChecked()
    burst(qtbot, form, form.other)
    assert form.pressed == []
    assert form.isVisible() and form.result() == 0
    assert form.notes_seen == [IGNORED_SCAN] * 4


def test_a_burst_into_a_table_cell_is_taken_back(qtbot, form):
    form.table.setFocus()
    form.table.setCurrentCell(0, 0)
    form.guard.clock_ms = KeyClock(5)
    keys_to_focus(qtbot, CODE)
    editor = form.table.focusWidget() if isinstance(form.table.focusWidget(), QLineEdit) else None
    assert editor is None or editor.text() == ""
    form.name.setFocus()  # the editor closes and gives the cell what it holds
    item = form.table.item(0, 0)
    assert item is None or item.text() == ""
    assert form.isVisible() and form.result() == 0
    assert form.notes_seen == [IGNORED_SCAN]


def test_a_person_types_in_a_table_cell(qtbot, form):
    form.table.setFocus()
    form.table.setCurrentCell(0, 0)
    form.guard.clock_ms = KeyClock(150)
    keys_to_focus(qtbot, "SKU-1", Qt.Key.Key_Tab)
    assert form.table.item(0, 0).text() == "SKU-1"
    assert form.notes_seen == []


def test_an_editable_combo_box_is_guarded_where_its_keys_arrive(qtbot, form):
    """The combo box has the focus and hands its keys to its line edit past any filter."""
    burst(qtbot, form, form.bin, "1-01")
    assert form.bin.currentText() == "A-0"
    assert form.isVisible() and form.result() == 0 and form.notes_seen == [IGNORED_SCAN]
    form.guard.clock_ms = KeyClock(150)
    qtbot.keyClicks(form.bin, "1-01")
    qtbot.keyClick(form.bin, Qt.Key.Key_Return)
    assert form.bin.currentText() == "A-01-01" and form.result() == QDialog.DialogCode.Accepted


def test_a_space_inside_a_burst_presses_no_button(qtbot, form):
    burst(qtbot, form, form.other, "AB CD 12")
    assert form.pressed == [] and form.isVisible() and form.notes_seen == [IGNORED_SCAN]
    form.guard.clock_ms = KeyClock(150)
    qtbot.keyClick(form.other, Qt.Key.Key_Space)  # a person's Space presses it
    assert form.pressed == ["other"]
