"""The Inventory tab with a product with lots, by keyboard: its bins show each lot and expiry,
the adjust and transfer dialogs offer the lots in the bin ("EXP MM-DD-YYYY" and quantity,
Alt+O), and the lot chosen is the lot moved; a product without lots shows no lot choice."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app import catalog, ledger
from app.store import db
from tests.support.qt import KeyClock, keys, put_stock
from ui.stations.inventory.tab import AdjustDialog, InventoryTab, TransferDialog

SOON, LATE = dt.date(2026, 5, 31), dt.date(2026, 9, 30)


def lot_balances(product_id: int) -> dict[tuple[str, str], int]:
    rows = db.execute("SELECT l.code, sl.lot, sl.on_hand FROM stock_level sl JOIN location l "
                      "ON l.id = sl.location_id WHERE sl.product_id = ? AND sl.on_hand <> 0",
                      (product_id,)).fetchall()
    return {(code, lot): int(oh) for code, lot, oh in rows}


@pytest.fixture
def goods(small_world):
    """VITAMIN-C (lots): SOON 3 and LATE 4 in A-02-01; TENT-2P (no lots): 10 in A-01-01."""
    vit = catalog.add_product("ACME", "VITAMIN-C", "Vitamin C", track_lot=True, track_expiry=True,
                              actor=small_world)
    with db.write():
        for lot, expiry, qty in (("SOON", SOON, 3), ("LATE", LATE, 4)):
            ledger.register_lot(vit.id, lot, expiry)
            ledger.apply_move(vit.id, ledger.location("SUPPLIER").id, ledger.location("A-02-01").id, qty,
                              kind="receive", actor=small_world, reason="test stock", lot=lot)
    tent = catalog.add_product("ACME", "TENT-2P", "Two-person tent", actor=small_world)
    put_stock(tent.id, "A-01-01", 10, actor=small_world)
    return vit.id, tent.id


def make_tab(qtbot, ctx) -> InventoryTab:
    tab = InventoryTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    return tab


def find(qtbot, tab, text: str) -> None:
    tab.search.clear()
    qtbot.keyClicks(tab.search, text)
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)


def show(qtbot, dialog) -> None:
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def test_bins_show_each_lot_and_a_transfer_moves_the_lot_chosen(qtbot, ui_ctx, goods, monkeypatch,
                                                               message_boxes):
    vit, _ = goods
    tab = make_tab(qtbot, ui_ctx)
    find(qtbot, tab, "VITAMIN-C")
    assert tab.product_id == vit
    assert [tab.bins_table.horizontalHeaderItem(c).text() for c in range(6)] == [
        "Location", "Lot", "Expiry", "On hand", "Reserved", "Available"]
    assert [[tab.bins_table.item(r, c).text() for c in range(6)] for r in range(2)] == [
        ["A-02-01", "SOON", "05-31-2026", "3", "0", "3"], ["A-02-01", "LATE", "09-30-2026", "4", "0", "4"]]
    seen: dict[str, object] = {}

    def clerk(dialog):
        show(qtbot, dialog)
        seen["sources"] = [dialog.source.itemText(i) for i in range(dialog.source.count())]
        seen["lots"] = [dialog.lot.itemText(i) for i in range(dialog.lot.count())]
        seen["default"] = dialog.qty.value()
        qtbot.keyClicks(dialog.target.lineEdit(), "B-01-01")  # typed by a person
        qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
        seen["lot has focus"] = dialog.lot.hasFocus()
        qtbot.keyClick(dialog.lot, Qt.Key.Key_Down)  # the second lot: LATE
        seen["late default"] = dialog.qty.value()
        qtbot.keyClick(dialog, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClicks(dialog.qty, "3")
        qtbot.keyClick(dialog.qty, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(TransferDialog, "exec", clerk)
    qtbot.keyClick(tab.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert seen == {"sources": ["A-02-01  (7 free)"],
                    "lots": ["SOON  EXP 05-31-2026  3 on hand", "LATE  EXP 09-30-2026  4 on hand"],
                    "default": 3, "lot has focus": True, "late default": 4}
    assert message_boxes.boxes == []
    assert lot_balances(vit) == {("A-02-01", "SOON"): 3, ("A-02-01", "LATE"): 1, ("B-01-01", "LATE"): 3}
    assert tab.message.text() == "Moved 3 × VITAMIN-C lot LATE from A-02-01 to B-01-01."
    assert ledger.lot_expiry(vit, "LATE") == LATE
    assert ledger.check().ok


def test_an_adjustment_of_the_lot_chosen(qtbot, ui_ctx, goods, monkeypatch, message_boxes):
    vit, _ = goods
    tab = make_tab(qtbot, ui_ctx)
    find(qtbot, tab, "VITAMIN-C")

    def clerk(dialog):
        show(qtbot, dialog)
        assert dialog.location.currentText() == "A-02-01"
        qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClick(dialog.lot, Qt.Key.Key_Down)  # LATE
        qtbot.keyClick(dialog, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
        dialog.delta.selectAll()
        qtbot.keyClicks(dialog.delta, "-2")
        qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Down)  # damaged
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(AdjustDialog, "exec", clerk)
    qtbot.keyClick(tab.table, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert message_boxes.boxes == []
    assert lot_balances(vit) == {("A-02-01", "SOON"): 3, ("A-02-01", "LATE"): 2}
    assert tab.message.text() == "Adjusted VITAMIN-C lot LATE in A-02-01 by -2 (damaged)."
    assert ledger.check().ok


def test_a_product_without_lots_shows_no_lot_choice(qtbot, ui_ctx, goods, monkeypatch, message_boxes):
    _, tent = goods
    tab = make_tab(qtbot, ui_ctx)
    find(qtbot, tab, "TENT-2P")
    assert tab.bins_table.columnCount() == 4
    seen: dict[str, object] = {}

    def clerk(dialog):
        show(qtbot, dialog)
        seen["lot"] = dialog.lot
        qtbot.keyClicks(dialog.target.lineEdit(), "B-01-01")
        qtbot.keyClick(dialog, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClicks(dialog.qty, "4")
        qtbot.keyClick(dialog.qty, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(TransferDialog, "exec", clerk)
    qtbot.keyClick(tab.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert seen["lot"] is None
    assert lot_balances(tent) == {("A-01-01", ""): 6, ("B-01-01", ""): 4}
    assert tab.message.text() == "Moved 4 × TENT-2P from A-01-01 to B-01-01."
    assert ledger.check().ok


GTIN = "00000000100014"


def test_a_new_lot_adjusted_in_needs_its_expiry_and_then_expires_soon(qtbot, ui_ctx, goods, monkeypatch,
                                                                     message_boxes, frozen_clock):
    vit, _ = goods
    tab = make_tab(qtbot, ui_ctx)
    find(qtbot, tab, "VITAMIN-C")

    def clerk(expiry: str):
        def fill(dialog):
            show(qtbot, dialog)
            dialog.guard.clock_ms = KeyClock(150)  # a person's keys
            qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
            dialog.lot.lineEdit().selectAll()
            qtbot.keyClicks(dialog.lot, "LOTC")
            qtbot.keyClick(dialog, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
            qtbot.keyClicks(dialog.expiry, expiry)
            qtbot.keyClick(dialog, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
            dialog.delta.selectAll()
            qtbot.keyClicks(dialog.delta, "5")
            qtbot.keyClick(dialog.delta, Qt.Key.Key_Return)
            assert dialog.message.text() == "", dialog.message.text()
            return dialog.result()
        return fill

    monkeypatch.setattr(AdjustDialog, "exec", clerk(""))
    qtbot.keyClick(tab.table, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert message_boxes.texts("warning") == ["lot LOTC of VITAMIN-C is new: give its expiry date"]
    assert lot_balances(vit) == {("A-02-01", "SOON"): 3, ("A-02-01", "LATE"): 4}
    monkeypatch.setattr(AdjustDialog, "exec", clerk("2026-03-20"))
    assert tab.adjust_selected()
    assert message_boxes.texts("warning")[1:] == []
    assert lot_balances(vit) == {("A-02-01", "SOON"): 3, ("A-02-01", "LATE"): 4, ("A-02-01", "LOTC"): 5}
    assert ledger.lot_expiry(vit, "LOTC") == dt.date(2026, 3, 20)
    qtbot.waitUntil(lambda: tab.expiring.table.rowCount() == 1)
    assert [tab.expiring.table.item(0, c).text() for c in range(7)] == [
        "ACME", "A-02-01", "VITAMIN-C", "LOTC", "2026-03-20", "18", "5"]
    assert ledger.check().ok


def test_a_units_gs1_scan_in_the_adjust_dialog_gives_its_lot_and_expiry(qtbot, ui_ctx, goods, small_world,
                                                                        monkeypatch, message_boxes):
    vit, _ = goods
    catalog.link_barcode(vit, GTIN, actor=small_world)
    tab = make_tab(qtbot, ui_ctx)
    find(qtbot, tab, "VITAMIN-C")

    def clerk(dialog):
        show(qtbot, dialog)
        keys(qtbot, dialog.guard, dialog.delta, f"]C101{GTIN}17270131<GS>10LOTD", 5)
        assert (dialog.lot.currentText(), dialog.expiry.text(), dialog.delta.value()) == ("LOTD", "2027-01-31", 0)
        assert dialog.isVisible() and dialog.message.text() == "Lot LOTD from the scan."
        keys(qtbot, dialog.guard, dialog.delta, "2", 150)
        return dialog.result()

    monkeypatch.setattr(AdjustDialog, "exec", clerk)
    qtbot.keyClick(tab.table, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert message_boxes.boxes == []
    assert lot_balances(vit)[("A-02-01", "LOTD")] == 2 and ledger.lot_expiry(vit, "LOTD") == dt.date(2027, 1, 31)
    assert ledger.check().ok


def test_a_units_gs1_scan_in_the_transfer_dialog_chooses_its_lot_never_the_bin(qtbot, ui_ctx, goods, small_world,
                                                                               monkeypatch, message_boxes):
    vit, _ = goods
    catalog.link_barcode(vit, GTIN, actor=small_world)
    tab = make_tab(qtbot, ui_ctx)
    find(qtbot, tab, "VITAMIN-C")

    def clerk(dialog):
        show(qtbot, dialog)
        assert dialog.lot.currentData() == "SOON"
        keys(qtbot, dialog.guard, dialog.target.lineEdit(), f"]C101{GTIN}17260930<GS>10LATE", 5)
        assert (dialog.lot.currentData(), dialog.target.currentText(), dialog.qty.value()) == ("LATE", "", 4)
        keys(qtbot, dialog.guard, dialog.qty, "0100000000100014", 5)  # its GTIN alone: no lot, no bin
        assert dialog.target.currentText() == "" and dialog.message.text().endswith("scan a bin to go to")
        dialog.target.lineEdit().setText("0100000000100014")  # typed: refused on OK, the dialog stays
        qtbot.keyClick(dialog.target, Qt.Key.Key_Return)
        assert dialog.isVisible() and dialog.result() == 0
        assert dialog.message.text() == "no bin '0100000000100014': scan or type the bin to go to"
        keys(qtbot, dialog.guard, dialog.target.lineEdit(), "B-01-01", 5)
        dialog.qty.selectAll()
        keys(qtbot, dialog.guard, dialog.qty, "3", 150)
        return dialog.result()

    monkeypatch.setattr(TransferDialog, "exec", clerk)
    qtbot.keyClick(tab.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert message_boxes.boxes == []
    assert lot_balances(vit) == {("A-02-01", "SOON"): 3, ("A-02-01", "LATE"): 1, ("B-01-01", "LATE"): 3}
    assert ledger.check().ok
