"""Inventory → Bins… (a supervisor's): a new bin added with its scanned code, a bin's label
scanned selects it, an emptied bin closed and opened again, a bin still holding units refused,
bins imported from CSV in the background; a scan never presses a button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from app import catalog, ledger
from app.kernel.actor import Actor
from tests.support.qt import keys, put_stock, shown
from ui.stations.inventory.bins import BinsDialog
from ui.stations.inventory.tab import InventoryTab

BOSS = Actor(None, "Sue", "supervisor", "test")


def make(qtbot) -> BinsDialog:
    return shown(qtbot, BinsDialog(BOSS))


def scan_into(qtbot, dialog, widget, code: str) -> None:
    keys(qtbot, dialog.guard, widget, code, 5)  # a scanner's burst and its Enter


def test_add_select_close_and_open_bins(qtbot, small_world):
    tent = catalog.add_product("ACME", "TENT", "Tent", actor=small_world)
    put_stock(tent.id, "A-01-01", 4, actor=small_world)
    dialog = make(qtbot)
    assert dialog.count.text() == f"{len(dialog.rows)} bins"
    scan_into(qtbot, dialog, dialog.code, "C-09-01")  # the new bin's label, scanned: its code
    assert dialog.code.text() == "C-09-01" and dialog.isVisible()
    dialog.zone.setText("c")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith("C-09-01 added (zone C, walk order ")
    assert dialog.selected_code() == "C-09-01" and dialog.code.text() == ""
    scan_into(qtbot, dialog, dialog.table, "A-01-01")  # a bin's label: that bin selected
    assert dialog.selected_code() == "A-01-01"
    assert dialog.chosen_text.text() == "A-01-01 (zone A): 4 units, 0 reserved; open"
    qtbot.mouseClick(dialog.toggle_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "A-01-01 holds 4 units: move them to another bin first (Transfer), then close it"
    scan_into(qtbot, dialog, dialog.table, "C-09-01")
    qtbot.mouseClick(dialog.toggle_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "C-09-01 is closed."
    row = dialog.table.currentRow()
    assert dialog.table.item(row, 5).text() == "CLOSED" and dialog.toggle_button.text() == "&Open bin again"
    assert dialog.count.text().endswith(", 1 closed")
    qtbot.mouseClick(dialog.toggle_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "C-09-01 is open again."
    scan_into(qtbot, dialog, dialog.table, "NOPE-1")
    assert dialog.note.text().startswith("A scan was ignored")
    assert ledger.check().ok


def test_bins_imported_in_the_background(qtbot, small_world, tmp_path, monkeypatch):
    good = tmp_path / "bins.csv"
    good.write_text("code,zone,seq\nD-01-01,D,900\nD-01-02,D,910\n", encoding="utf-8")
    dialog = make(qtbot)
    monkeypatch.setattr(dialog, "ask_bins_file", lambda: str(good))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Imported"))
    assert dialog.message.text() == "Imported bins.csv: 2 bins added, 0 updated."
    assert [b.code for b in dialog.rows][-2:] == ["D-01-01", "D-01-02"]


def test_the_bins_button_is_the_supervisors(qtbot, make_ctx, small_world):
    shown = QWidget()  # the station's window, active, as the tab is built inside it
    qtbot.addWidget(shown)
    shown.show()
    shown.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shown)
    boss = InventoryTab(make_ctx("supervisor"))
    qtbot.addWidget(boss)
    QApplication.processEvents()
    assert QApplication.activeWindow() is shown  # no part of the tab showed itself as a window
    assert not boss.bins_button.isHidden() and boss.bins_button.window() is boss
    packer = InventoryTab(make_ctx("packer", station="packer"))
    qtbot.addWidget(packer)
    assert packer.bins_button.isHidden()
