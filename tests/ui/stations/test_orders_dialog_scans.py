"""Scanner bursts in the orders page's dialogs: the new order (a product scanned in the lines is
a line of it; anywhere else nothing), the import (nothing imported), the cancel reason."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from app import catalog, orders
from app.catalog.scan import client_product as scanned_product
from app.kernel.errors import UnknownBarcode
from tests.support.qt import KeyClock, keys
from tests.ui.stations import test_orders_tab as orders_tests
from ui.stations.orders.import_dialog import ImportDialog
from ui.stations.orders.new_order import NewOrderDialog
from ui.widgets.ask import GuardedInput
from ui.widgets.scan_field import IGNORED_SCAN

shop, tab, FIXTURES = orders_tests.shop, orders_tests.tab, orders_tests.FIXTURES  # (fixtures)
CODE = "4006381333931"
NOTE = f"{IGNORED_SCAN.capitalize()}."


def keys_in_cell(qtbot, dialog, text: str, step: int) -> None:
    """Keys to the lines table's current cell (its editor opens at the first), then Enter."""
    dialog.lines_guard.clock_ms = KeyClock(step)
    for ch in text:
        qtbot.keyClicks(dialog.focusWidget(), ch)
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)


def lines(dialog) -> list[tuple[str, str]]:
    return [(dialog.lines.item(r, 0).text(), dialog.lines.item(r, 1).text())
            for r in range(dialog.lines.rowCount()) if dialog.lines.item(r, 0)]


def test_a_scan_in_the_new_order_dialog_enters_no_order(qtbot, tab, shop, ui_ctx, message_boxes):
    page = tab.orders_page
    catalog.link_barcode(shop["TENT-1"], CODE, actor=page.ctx.actor)
    catalog.link_barcode(shop["LAMP-2"], "10012345678902", pack_qty=6, actor=page.ctx.actor)
    ui_ctx.settings.scanner_suffix = "$"
    dialog = NewOrderDialog(page, submit=page.enter_order, settings=ui_ctx.settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.number.setText("M-9")
    for widget in (dialog.number, dialog.edits["customer_name"], dialog.priority, dialog.client, dialog.ship_by):
        keys(qtbot, dialog.guard, widget, CODE + "$", 5)
        assert (dialog.number.text(), dialog.edits["customer_name"].text(), dialog.priority.value(),
                dialog.client.currentData(), dialog.ship_by.text()) == ("M-9", "", 0, "ACME", ""), widget
        assert dialog.isVisible() and dialog.result() == 0
    assert dialog.note.text() == "A scan was ignored: this dialog takes typed input. Scan products into the lines."
    assert orders.list_orders(status="") == [] and message_boxes.boxes == []
    # Products scanned in the lines: a line each, one more unit (a case's six) a scan.
    dialog.lines.setFocus()
    dialog.lines.setCurrentCell(0, 0)
    for code in (CODE, CODE, "10012345678902", "NOPE-1"):
        keys_in_cell(qtbot, dialog, code + "$", 5)
    assert lines(dialog) == [("TENT-1", "2"), ("LAMP-2", "6")]
    assert dialog.note.text() == "NOPE-1 is no product of ACME"
    assert dialog.isVisible() and orders.list_orders(status="") == []
    # Typed by a person, Enter says OK (refused here: the address is missing, as before).
    keys(qtbot, dialog.guard, dialog.edits["customer_name"], "Al Bo", 150)
    assert message_boxes.texts("warning") == ["the order needs a shipping address, city, country"]
    for key, text in (("address1", "1 St"), ("city", "Town"), ("country", "US")):
        dialog.edits[key].setText(text)
    keys(qtbot, dialog.guard, dialog.number, "0", 150)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [(ln.sku, ln.qty_ordered) for ln in orders.order_detail(dialog.ref.id).lines] == [
        ("TENT-1", 2), ("LAMP-2", 6)]
    assert dialog.ref.number == "M-90"


def test_a_scan_in_the_import_dialog_imports_nothing(qtbot, ui_ctx, shop):
    dialog = ImportDialog(ui_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    path = str(FIXTURES / "shopify_orders.csv")
    dialog.path.setText(path)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert dialog.import_button.isEnabled() and dialog.focusWidget() is dialog.import_button
    for widget in (dialog.import_button, dialog.path, dialog.fmt, dialog.table):
        keys(qtbot, dialog.guard, widget, CODE, 5)
        assert (dialog.path.text(), dialog.fmt.currentData(), dialog.busy) == (path, "shopify", False), widget
        assert dialog.isVisible() and dialog.preview is not None and dialog.import_button.isEnabled()
    assert dialog.note.text() == NOTE
    assert orders.list_orders(status="") == []
    dialog.guard.clock_ms = KeyClock(150)
    qtbot.keyClick(dialog.import_button, Qt.Key.Key_Return)  # the person's Enter imports
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert dialog.result.orders == 4 and not dialog.isVisible()


def test_a_scan_never_gives_the_reason_an_order_is_cancelled(qtbot, tab, shop, monkeypatch):
    page = tab.orders_page
    ref = orders_tests._order("C-1", [("TENT-1", 1)], customer_name="Al", address1="1 St", city="Town",
                              country="US")
    page.reload()
    page.select_order(ref.id)
    seen = []

    def exec_(dialog: GuardedInput):
        dialog.show()
        qtbot.waitExposed(dialog)
        field = dialog.focusWidget()
        keys(qtbot, dialog.guard, field, CODE, 5)
        seen.append((dialog.isVisible(), dialog.textValue(), orders.order_detail(ref.id).status))
        keys(qtbot, dialog.guard, field, "typo", 150)
        return dialog.result()

    monkeypatch.setattr(GuardedInput, "exec", exec_)
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert seen == [(True, "", "new")]
    assert orders.order_detail(ref.id).status == "cancelled"
    assert QApplication.activeModalWidget() is None


def test_a_scanned_products_line_on_each_database(world):
    """The look-up behind a product scanned in the new order's lines (SQLite and PostgreSQL)."""
    tent = world.product("TENT-1", barcode="012345678905")
    catalog.link_barcode(tent.id, "10012345678902", pack_qty=6, actor=world.actor)
    assert scanned_product("ACME", "012345678905") == ("TENT-1", 1)
    assert scanned_product("ACME", "10012345678902") == ("TENT-1", 6)
    assert scanned_product("ACME", "TENT-1") == ("TENT-1", 1)
    with pytest.raises(UnknownBarcode, match="NOPE-1 is no product of ACME"):
        scanned_product("ACME", "NOPE-1")
