"""Inventory tab: search, detail panel, adjust (supervisor) and transfer through the services."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app import inventory, ledger
from tests.support.qt import KeyClock, put_stock
from ui.stations.inventory.tab import AdjustDialog, AdjustRequest, InventoryTab, TransferRequest


@pytest.fixture
def tent(small_world):
    from app import catalog

    p = catalog.add_product("ACME", "TENT-2P", "Two-person tent", barcodes=["012345678905"],
                            actor=small_world)
    put_stock(p.id, "A-01-01", 10, actor=small_world)
    catalog.add_product("ACME", "LAMP-1", "Headlamp", actor=small_world)
    return p


def make_tab(qtbot, ctx) -> InventoryTab:
    tab = InventoryTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)  # shortcuts need an active window
    return tab


def search(qtbot, tab, text):
    tab.search.clear()
    qtbot.keyClicks(tab.search, text)
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)


def test_search_by_barcode_selects_and_shows_bins_and_moves(qtbot, ui_ctx, tent):
    tab = make_tab(qtbot, ui_ctx)
    assert tab.model.total == 2
    search(qtbot, tab, "012345678905")
    assert tab.model.total == 1
    assert tab.product_id == tent.id
    assert "TENT-2P" in tab.title.text()
    assert tab.bins_table.rowCount() == 1
    assert [tab.bins_table.item(0, c).text() for c in range(4)] == ["A-01-01", "10", "0", "10"]
    assert tab.moves_table.rowCount() == 1
    assert tab.moves_table.item(0, 4).text() == "receive"
    assert tab.adjust_button.isEnabled()


def test_client_filter(qtbot, ui_ctx, tent):
    from app import catalog

    catalog.add_client("NOVA", "Nova Gadgets")
    catalog.add_product("NOVA", "CABLE", "USB-C Cable")
    tab = make_tab(qtbot, ui_ctx)
    assert tab.model.total == 3
    tab.client.setCurrentIndex(tab.client.findData("NOVA"))
    assert tab.model.total == 1
    assert tab.product_id is not None


def test_supervisor_adjust_changes_the_balance(qtbot, ui_ctx, tent, monkeypatch, message_boxes):
    tab = make_tab(qtbot, ui_ctx)
    search(qtbot, tab, "TENT-2P")
    monkeypatch.setattr(tab, "ask_adjust", lambda: AdjustRequest("A-01-01", -3, "damaged", "crushed"))
    changed = []
    ui_ctx.events.stock_changed.connect(lambda: changed.append(1))
    qtbot.keyClick(tab.table, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert ledger.on_hand(tent.id, "A-01-01") == 7
    qtbot.waitUntil(lambda: changed == [1])  # AppEvents says so after the commit
    assert message_boxes.boxes == []
    assert tab.bins_table.item(0, 1).text() == "7"
    assert tab.moves_table.item(0, 4).text() == "adjust"
    assert tab.moves_table.item(0, 6).text() == "damaged: crushed"
    assert tab.moves_table.item(0, 5).text() == "test-supervisor"
    assert "by -3" in tab.message.text()


def test_packer_adjust_shows_permission_error(qtbot, make_ctx, tent, monkeypatch, message_boxes):
    tab = make_tab(qtbot, make_ctx("packer", name="Pat Packer"))
    search(qtbot, tab, "TENT-2P")
    asked = []
    monkeypatch.setattr(tab, "ask_adjust", lambda: asked.append(1) or AdjustRequest("A-01-01", 5, "found", ""))
    assert tab.adjust_selected() is False  # shown, not raised
    assert asked == []  # refused before the form is filled in
    assert ledger.on_hand(tent.id, "A-01-01") == 10
    assert message_boxes.texts("warning") == [
        "Pat Packer (packer) may not adjust stock: needs supervisor"]
    # the buttons are not even offered to a packer
    assert tab.adjust_button.isHidden() and tab.transfer_button.isHidden()
    assert tab.adjust_button.toolTip() == "Only a supervisor may adjust stock."
    # The service refuses on its own too, whatever any UI shows.
    from app.kernel.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        inventory.adjust(tent.id, "A-01-01", 5, reason="found", actor=tab.ctx.actor)


def test_transfer(qtbot, ui_ctx, tent, monkeypatch, message_boxes):
    tab = make_tab(qtbot, ui_ctx)
    search(qtbot, tab, "TENT-2P")
    monkeypatch.setattr(tab, "ask_transfer", lambda: TransferRequest("A-01-01", "B-01-01", 4))
    assert tab.transfer_selected()
    assert ledger.on_hand(tent.id, "A-01-01") == 6
    assert ledger.on_hand(tent.id, "B-01-01") == 4
    # too many: refused with the service's message, nothing changed
    monkeypatch.setattr(tab, "ask_transfer", lambda: TransferRequest("A-01-01", "B-01-01", 99))
    assert not tab.transfer_selected()
    assert ledger.on_hand(tent.id, "A-01-01") == 6
    assert message_boxes.texts("warning")[0].startswith("A-01-01 has 6 of TENT-2P free")


def test_dialogs_build(qtbot, ui_ctx, tent):
    from ui.stations.inventory.tab import AdjustDialog, TransferDialog

    bins = ledger.balances(tent.id)
    adjust = AdjustDialog("TENT-2P", bins)
    qtbot.addWidget(adjust)
    adjust.delta.setValue(-2)
    assert adjust.request() == AdjustRequest("A-01-01", -2, "count", "")
    transfer = TransferDialog("TENT-2P", bins)
    qtbot.addWidget(transfer)
    transfer.target.setCurrentText("a-02-01")
    transfer.qty.setValue(3)
    assert transfer.request() == TransferRequest("A-01-01", "A-02-01", 3)


def test_a_scan_landing_in_the_adjust_note_books_nothing(qtbot, ui_ctx, tent):
    bins = ledger.balances(tent.id)
    adjust = AdjustDialog("TENT-2P", bins)
    qtbot.addWidget(adjust)
    adjust.show()
    adjust.delta.setValue(-2)
    adjust.guard.clock_ms = KeyClock(5)  # the scanner's keys
    qtbot.keyClicks(adjust.note, "0012345678905")
    qtbot.keyClick(adjust.note, Qt.Key.Key_Return)
    assert adjust.isVisible() and adjust.result() == 0
    assert adjust.note.text() == "" and adjust.guard.last_ignored
    adjust.guard.clock_ms = KeyClock(150)  # a person's note, then Enter books it
    qtbot.keyClicks(adjust.note, "dented")
    qtbot.keyClick(adjust.note, Qt.Key.Key_Return)
    assert adjust.result() == adjust.DialogCode.Accepted
    assert adjust.request() == AdjustRequest("A-01-01", -2, "count", "dented")


def test_scanned_search_is_cleaned_and_new_clients_appear(qtbot, ui_ctx, tent, ui_settings):
    from app import catalog

    ui_settings.scanner_prefix = "#"
    tab = make_tab(qtbot, ui_ctx)
    search(qtbot, tab, "#]E0012345678905")
    assert tab.search.text() == "012345678905"
    assert tab.product_id == tent.id
    catalog.add_client("NOVA", "Nova Gadgets")
    qtbot.keyClick(tab.table, Qt.Key.Key_F5)
    assert tab.client.findData("NOVA") > 0
    assert tab.client.currentData() is None


def test_dialogs_offer_ok_only_when_there_is_something_to_book(qtbot, ui_ctx, tent):
    from ui.stations.inventory.tab import AdjustDialog, TransferDialog

    bins = ledger.balances(tent.id)
    adjust = AdjustDialog("TENT-2P", bins)
    qtbot.addWidget(adjust)
    assert not adjust.ok_button.isEnabled()
    adjust.delta.setValue(-2)
    assert adjust.ok_button.isEnabled()
    assert adjust.request() == AdjustRequest("A-01-01", -2, "count", "")
    transfer = TransferDialog("TENT-2P", bins)
    qtbot.addWidget(transfer)
    assert not transfer.ok_button.isEnabled()
    transfer.target.setCurrentText("b-01-01")
    assert transfer.ok_button.isEnabled()
    assert transfer.request() == TransferRequest("A-01-01", "B-01-01", 10)  # all that is free, by default
    empty = TransferDialog("LAMP-1", [])
    qtbot.addWidget(empty)
    empty.target.setCurrentText("B-01-01")
    assert not empty.ok_button.isEnabled()
    assert empty.source.currentText() == "no free stock to move"


def test_client_filter_has_a_keyboard_shortcut(qtbot, ui_ctx, tent):
    tab = make_tab(qtbot, ui_ctx)
    tab.search.setFocus()
    qtbot.waitUntil(tab.search.hasFocus)
    qtbot.keyClick(tab, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(tab.client.hasFocus)


@pytest.mark.parametrize("scanned", ["0100012345678905", "]C10100012345678905", "]C1010001234567890517271231<GS>10LOT42"])
def test_a_gs1_scan_in_the_search_finds_its_product(qtbot, ui_ctx, tent, scanned):
    tab = make_tab(qtbot, ui_ctx)
    search(qtbot, tab, scanned)
    assert tab.model.total == 1 and tab.count_label.text() == "1 products"
    assert tab.product_id == tent.id
