"""Scanner bursts in the product editor: a barcode scanned into any field but the new-code one
changes nothing and saves nothing; scanned into the new-code field it is the barcode added."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.support.qt import keys
from tests.ui.stations.inventory import test_product_editor as editor_tests

tent, make_editor, stored, codes = (editor_tests.tent, editor_tests.make_editor, editor_tests.stored,
                                    editor_tests.codes)  # (the editor tests' fixture and helpers)
CODE = "4006381333931"


def fields(dialog) -> tuple:
    return (dialog.name.text(), dialog.weight.text(), dialog.dims.text(), dialog.cost.text(), dialog.reorder.value(),
            dialog.instructions.toPlainText(), dialog.track_lot.isChecked(), dialog.new_code.text(),
            dialog.codes_table.rowCount())


def test_a_scan_lands_in_no_field_of_the_product_editor(qtbot, ui_ctx, tent):
    dialog = make_editor(qtbot, ui_ctx, tent.id)
    dialog.reorder.setValue(5)
    before, in_db = fields(dialog), stored(tent.id)
    for widget in (dialog.name, dialog.weight, dialog.dims, dialog.cost, dialog.reorder, dialog.instructions,
                   dialog.track_lot, dialog.codes_table, dialog.save_button):
        keys(qtbot, dialog.guard, widget, CODE, 5)
        assert (fields(dialog), dialog.isVisible(), dialog.result()) == (before, True, 0), widget
    assert dialog.message.text() == "A scan was ignored: this dialog takes typed input. Scan barcodes into the new code field."
    assert stored(tent.id) == in_db and codes(tent.id) == [("00012345678905", "upc", 1)]
    # A person's typing still counts (Enter in a field neither saves nor closes, as before).
    dialog.name.selectAll()
    keys(qtbot, dialog.guard, dialog.name, "Tent", 150)
    assert dialog.name.text() == "Tent" and dialog.isVisible()
    qtbot.keyClick(dialog.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert stored(tent.id)[0] == "Tent"


def test_a_scan_in_the_new_code_field_is_the_barcode_added(qtbot, ui_ctx, tent):
    ui_ctx.settings.scanner_suffix = "$"
    dialog = make_editor(qtbot, ui_ctx, tent.id)
    dialog.pack_qty.setValue(12)
    keys(qtbot, dialog.code_guard, dialog.new_code, "10012345678902$", 5)
    keys(qtbot, dialog.code_guard, dialog.pack_qty, "4006381333931$", 5)  # (beside it: the same)
    rows = [tuple(dialog.codes_table.item(r, c).text() for c in range(3)) for r in range(dialog.codes_table.rowCount())]
    assert rows == [("00012345678905", "UPC", "1"), ("10012345678902", "Case", "12"), (CODE, "Unsaved", "1")]
    assert dialog.new_code.text() == "" and dialog.pack_qty.value() == 1
    assert dialog.message.text() == f"Barcode {CODE} added: Save stores it."
    assert dialog.isVisible() and dialog.result() == 0
    assert codes(tent.id) == [("00012345678905", "upc", 1)]  # nothing stored before Save
    keys(qtbot, dialog.code_guard, dialog.new_code, "ABC-1", 150)  # typed, with Enter: added too
    assert dialog.codes_table.item(3, 0).text() == "ABC-1" and dialog.isVisible()
    dialog.save_button.click()
    assert codes(tent.id) == [("00012345678905", "upc", 1), ("0" + CODE, "ean", 1), ("10012345678902", "case", 12),
                              ("ABC-1", "alias", 1)]


def test_a_gs1_scan_in_the_new_code_field_adds_its_gtin(qtbot, ui_ctx, tent):
    dialog = make_editor(qtbot, ui_ctx, tent.id)
    keys(qtbot, dialog.code_guard, dialog.new_code, "]C1010400638133393117271231<GS>10LOT42", 5)
    assert dialog.codes_table.item(1, 0).text() == "04006381333931"
    assert dialog.message.text() == "Barcode 04006381333931 added: Save stores it."
    assert dialog.message.objectName() == "StatusText"  # a confirmation, not in the error colour
    keys(qtbot, dialog.code_guard, dialog.new_code, "]C10112345<GS>10LOT1", 5)  # unreadable: refused in place
    assert "01123" in dialog.message.text() and "added" not in dialog.message.text()
    assert dialog.message.objectName() == "ErrorText" and dialog.codes_table.rowCount() == 2
    dialog.save_button.click()
    assert codes(tent.id) == [("00012345678905", "upc", 1), ("04006381333931", "gtin", 1)]


def test_tab_leaves_the_barcode_list_for_the_new_code_field_and_alt_d_reaches_it(qtbot, ui_ctx, tent):
    dialog = make_editor(qtbot, ui_ctx, tent.id)
    dialog.codes_table.setFocus()
    qtbot.keyClick(dialog.codes_table, Qt.Key.Key_Tab)
    assert dialog.new_code.hasFocus()
    dialog.name.setFocus()
    qtbot.keyClick(dialog.name, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert dialog.new_code.hasFocus()
    keys(qtbot, dialog.code_guard, dialog.new_code, "ABC-9", 150)
    assert dialog.codes_table.item(1, 0).text() == "ABC-9"
