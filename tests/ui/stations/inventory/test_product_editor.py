"""The product editor: reached from the Inventory tab with F2, changes typed with the keyboard
(weight as "2 lb" in a US-units warehouse), barcodes added and removed, refusals shown in place."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app import catalog
from app.kernel import units
from app.store import db
from ui.stations.inventory.product_editor import ProductEditor
from ui.stations.inventory.tab import InventoryTab


@pytest.fixture
def tent(small_world):
    return catalog.add_product("ACME", "TENT-2P", "Two-person tent", barcodes=["012345678905"], actor=small_world,
                               weight_kg=1.5, length_cm=60.0, width_cm=20.0, height_cm=20.0)


def make_editor(qtbot, ctx, product_id: int) -> ProductEditor:
    dialog = ProductEditor(ctx, product_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def retype(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def stored(product_id: int) -> tuple:
    row = db.execute("SELECT name, weight_kg, length_cm, width_cm, height_cm, prep_services, unit_cost, reorder_point "
                     "FROM product WHERE id = ?", (product_id,)).fetchone()
    return (*row[:6], None if row[6] is None else Decimal(str(row[6])), row[7])


def codes(product_id: int) -> list[tuple]:
    return [tuple(r) for r in db.execute("SELECT code, kind, pack_qty FROM product_barcode WHERE product_id = ? "
                                         "ORDER BY code", (product_id,)).fetchall()]


def test_weight_typed_as_2_lb_in_a_us_warehouse(qtbot, ui_ctx, tent):
    units.set_system("us")
    dialog = make_editor(qtbot, ui_ctx, tent.id)
    assert dialog.weight.text() == "3.31 lb"
    assert dialog.dims.text() == "23.6x7.9x7.9 in"
    retype(qtbot, dialog.weight, "2 lb")
    retype(qtbot, dialog.dims, "24x8x8")
    dialog.prep["polybag"].setFocus()
    qtbot.keyClick(dialog.prep["polybag"], Qt.Key.Key_Space)
    retype(qtbot, dialog.cost, "3.50")
    qtbot.keyClick(dialog.cost, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert stored(tent.id) == ("Two-person tent", 0.9072, 60.96, 20.32, 20.32, "polybag", Decimal("3.50"), 0)


def test_barcodes_added_and_removed_on_save(qtbot, ui_ctx, tent):
    dialog = make_editor(qtbot, ui_ctx, tent.id)
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # Enter elsewhere neither saves nor closes
    assert dialog.isVisible() and dialog.result() == 0
    dialog.new_code.setFocus()
    qtbot.keyClicks(dialog.new_code, "10012345678902")
    dialog.pack_qty.setValue(12)
    qtbot.keyClick(dialog.new_code, Qt.Key.Key_Return)
    assert [dialog.codes_table.item(r, 0).text() for r in range(dialog.codes_table.rowCount())] == [
        "00012345678905", "10012345678902"]
    dialog.codes_table.selectRow(0)
    dialog.remove_button.click()
    assert codes(tent.id) == [("00012345678905", "upc", 1)]  # nothing stored before Save
    dialog.save_button.click()
    assert codes(tent.id) == [("10012345678902", "case", 12)]


def test_a_refusal_is_shown_and_nothing_is_saved(qtbot, ui_ctx, tent):
    dialog = make_editor(qtbot, ui_ctx, tent.id)
    retype(qtbot, dialog.name, "Tent for two")
    retype(qtbot, dialog.weight, "heavy")
    qtbot.keyClick(dialog.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.message.text() == "weight 'heavy' is not a number (e.g. 2.5 or 2.5 kg)"
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert stored(tent.id)[:2] == ("Two-person tent", 1.5)


def test_f2_on_the_inventory_tab_opens_the_editor(qtbot, ui_ctx, tent, message_boxes, monkeypatch):
    tab = InventoryTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    tab.select_row(0)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_F2)
    assert message_boxes.dialogs == ["ProductEditor"]

    def rename(dialog):
        dialog.name.setText("Tent for two")
        return dialog.save()

    monkeypatch.setattr(ProductEditor, "exec", lambda self: QDialog.DialogCode.Accepted if rename(self) else 0)
    assert tab.edit_selected()
    assert tab.message.text() == "Saved TENT-2P."
    assert tab.model.row_at(0).name == "Tent for two"


def test_the_edit_button_is_the_supervisors(qtbot, make_ctx, tent):
    tab = InventoryTab(make_ctx("receiver"))
    qtbot.addWidget(tab)
    assert tab.edit_button.isHidden() and not tab.edit_button.isEnabled()
    assert tab.edit_button.toolTip() == "Only a supervisor may edit products."
