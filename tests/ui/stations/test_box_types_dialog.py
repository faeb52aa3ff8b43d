"""Packing → Box types… (a supervisor's): a box added in the warehouse's units (a US
warehouse types inches and pounds), retired and offered again; a bad size is refused in words;
the packing screen offers what is offered; a scan presses nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app import packing
from app.kernel.actor import Actor
from app.store import settings
from tests.support.qt import KeyClock, shown
from ui.app import apply_style
from ui.main_window import MainWindow
from ui.stations.packing.box_types import BoxTypesDialog
from ui.stations.packing.tab import PackingTab

BOSS = Actor(None, "Sue", "supervisor", "test")


def make(qtbot) -> BoxTypesDialog:
    return shown(qtbot, BoxTypesDialog(BOSS))


def test_a_box_typed_in_inches_and_pounds_then_retired(qtbot, small_world, frozen_clock):
    settings.set_setting("units", "us", actor=small_world)
    dialog = make(qtbot)
    assert dialog.table.rowCount() == 0
    dialog.name.setText("Medium")
    dialog.dims.setText("12x8x6")
    dialog.weight.setText("10 oz")
    dialog.max_weight.setText("30")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith("Medium added: ")
    (box,) = packing.list_box_types()
    assert (round(box.length_cm, 2), round(box.width_cm, 2), round(box.height_cm, 2)) == (30.48, 20.32, 15.24)
    assert round(box.weight_kg, 3) == 0.283 and round(box.max_weight_kg, 2) == 13.61
    assert [dialog.table.item(0, c).text() for c in (0, 2, 3, 4)] == ["Medium", "0.63 lb", "30.00 lb", "yes"]
    dialog.name.setText("Huge")
    dialog.dims.setText("12x8")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Dimensions must look like 12x8x6 (in), not '12x8'"
    dialog.dims.setText("12x8x6")
    dialog.weight.setText("heavy")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith("Empty weight: ")
    assert len(packing.list_box_types()) == 1
    qtbot.mouseClick(dialog.toggle_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Medium is retired." and packing.list_box_types() == []
    assert dialog.toggle_button.text() == "&Offer it again"
    dialog.guard.clock_ms = KeyClock(5)
    dialog.name.setFocus()
    qtbot.keyClicks(dialog.name, "4006381333931")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.name.text() == "Huge" and dialog.note.text().startswith("A scan was ignored")
    qtbot.mouseClick(dialog.toggle_button, Qt.MouseButton.LeftButton)
    assert [b.name for b in packing.list_box_types()] == ["Medium"]


def test_box_types_is_in_the_file_menu_for_a_supervisor_and_reaches_the_packing_screen(qtbot, make_ctx,
                                                                                     small_world):
    boss = MainWindow(make_ctx("supervisor", station="packer"))
    qtbot.addWidget(boss)
    assert boss.box_types_action.isVisible() and boss.box_types_action.text() == "Bo&x types…"
    tab = PackingTab(make_ctx("packer", station="packer"))
    qtbot.addWidget(tab)
    assert [tab.box.itemText(i) for i in range(tab.box.count())] == ["(none)"]
    packing.add_box_type("Mailer", length_cm=30, width_cm=20, height_cm=5, actor=BOSS)
    qtbot.waitUntil(lambda: tab.box.count() == 2)  # the change reaches the open packing screen
    assert tab.box.itemText(1).startswith("Mailer")
    packer = MainWindow(make_ctx("packer", station="packer"))
    qtbot.addWidget(packer)
    assert not packer.box_types_action.isVisible()


def test_a_refusal_is_shown_as_an_error_and_an_old_scan_note_goes(qtbot, small_world, frozen_clock):
    dialog = make(qtbot)
    dialog.guard.clock_ms = KeyClock(5)
    dialog.name.setFocus()
    qtbot.keyClicks(dialog.name, "4006381333931")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.note.text().startswith("A scan was ignored")
    dialog.guard.clock_ms = None
    dialog.name.setText("Poly")
    dialog.dims.setText("12x8x4 in")
    dialog.max_weight.setText("1e400")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith("Carries at most: weight '1e400' is not a number")
    assert dialog.message.objectName() == "ErrorText" and packing.list_box_types() == []
    dialog.max_weight.setText("")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Poly added: 30.48x20.32x10.16 cm."
    assert dialog.message.objectName() == "StatusText" and dialog.note.text() == ""


def test_every_column_stays_in_view_with_the_stations_type_sizes(qtbot, qapp, small_world, frozen_clock):
    font = qapp.font()
    apply_style(qapp)  # the station's real type sizes
    try:
        dialog = make(qtbot)
        for name, dims in (("Small", "30x20x10"), ("Poly", "12x8x4 in")):
            dialog.name.setText(name)
            dialog.dims.setText(dims)
            qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        assert dialog.table.rowCount() == 2
        header = dialog.table.horizontalHeader()  # "Offered" is readable without scrolling sideways:
        assert header.sectionPosition(4) + header.fontMetrics().horizontalAdvance("Offered") \
            <= dialog.table.viewport().width()
    finally:
        qapp.setStyleSheet("")
        qapp.setFont(font)
