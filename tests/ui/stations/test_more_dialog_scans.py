"""Scanner bursts in the stock dialogs' spin boxes, lists and buttons (adjust, transfer,
restock, scrap) and in the receiving desk's new-shipment, label and unknown-barcode dialogs:
a burst changes no quantity and its Enter books nothing; a bin or reference scanned where one
is asked for is taken as that; a person's keys and Enter work as before."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from app import ledger
from app.reports.today import StagedStock
from tests.support.qt import keys
from tests.ui.stations import test_inventory_tab as inventory_tests
from ui.stations.inventory.dialogs import AdjustDialog, TransferDialog
from ui.stations.receiving.dialogs import LabelDialog, NewShipmentDialog, UnknownBarcodeDialog
from ui.stations.returns.tab import RestockDialog, ScrapDialog

tent, make_tab, search = inventory_tests.tent, inventory_tests.make_tab, inventory_tests.search  # (fixture)
CODE = "4006381333931"


def shown(qtbot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_scan_in_the_adjust_dialogs_change_books_nothing(qtbot, ui_ctx, tent, monkeypatch):
    tab = make_tab(qtbot, ui_ctx)
    search(qtbot, tab, "TENT-2P")
    seen = []

    def exec_(dialog: AdjustDialog):
        shown(qtbot, dialog)
        for widget in (dialog.delta, dialog.reason, dialog.location):
            keys(qtbot, dialog.guard, widget, CODE, 5)  # (the change has the cursor first)
            seen.append((dialog.isVisible(), dialog.result(), dialog.request(), dialog.ok_button.isEnabled(),
                         ledger.on_hand(tent.id, "A-01-01")))
        dialog.delta.selectAll()
        keys(qtbot, dialog.guard, dialog.delta, "-2", 150)  # typed: Enter books it
        return dialog.result()

    monkeypatch.setattr(AdjustDialog, "exec", exec_)
    assert tab.adjust_selected()
    untouched = inventory_tests.AdjustRequest("A-01-01", 0, "count", "")
    assert seen == [(True, 0, untouched, False, 10)] * 3
    assert ledger.on_hand(tent.id, "A-01-01") == 8


def test_a_bin_scanned_in_the_transfer_quantity_is_the_bin_to_go_to(qtbot, ui_ctx, tent, monkeypatch):
    tab = make_tab(qtbot, ui_ctx)
    search(qtbot, tab, "TENT-2P")
    seen = []

    def exec_(dialog: TransferDialog):
        shown(qtbot, dialog)
        dialog.qty.setValue(4)
        keys(qtbot, dialog.guard, dialog.qty, "b-01-01", 5)
        seen.append((dialog.isVisible(), dialog.result(), dialog.request(), dialog.focusWidget() is dialog.qty,
                     ledger.on_hand(tent.id, "B-01-01")))
        keys(qtbot, dialog.guard, dialog.qty, "", 150)  # the person's Enter
        return dialog.result()

    monkeypatch.setattr(TransferDialog, "exec", exec_)
    assert tab.transfer_selected()
    assert seen == [(True, 0, inventory_tests.TransferRequest("A-01-01", "B-01-01", 4), True, 0)]
    assert ledger.on_hand(tent.id, "B-01-01") == 4


def test_restock_and_scrap_quantities_keep_their_value(qtbot, tent):
    row = StagedStock("RETURNS", tent.id, "ACME", "TENT-2P", "Tent", 3, 0)
    restock = shown(qtbot, RestockDialog(row))
    restock.qty.setValue(2)
    keys(qtbot, restock.guard, restock.qty, "a-02-01", 5)  # a bin's label: the bin to go to
    assert (restock.isVisible(), restock.result(), restock.request().to_bin, restock.qty.value()) == (
        True, 0, "A-02-01", 2)
    keys(qtbot, restock.guard, restock.qty, "", 150)
    assert restock.result() == QDialog.DialogCode.Accepted
    scrap = shown(qtbot, ScrapDialog(row))
    keys(qtbot, scrap.guard, scrap.qty, CODE, 5)
    assert (scrap.isVisible(), scrap.result(), scrap.qty.value(), scrap.reason.text()) == (True, 0, 3, "")
    assert scrap.guard.last_ignored
    keys(qtbot, scrap.guard, scrap.reason, "opened", 150)
    assert scrap.result() == QDialog.DialogCode.Accepted and scrap.request().qty == 3


def test_a_new_shipment_takes_a_scanned_reference_and_no_scans_enter(qtbot, small_world):
    dialog = shown(qtbot, NewShipmentDialog(["ACME"]))
    date = dialog.date.date()
    keys(qtbot, dialog.field_scans[0], dialog.ref, "PO-55120", 5)
    keys(qtbot, dialog.field_scans[1], dialog.tracking, "1Z999AA10123456784", 5)
    for widget in (dialog.carrier, dialog.lines, dialog.date, dialog.client, dialog.csv):
        keys(qtbot, dialog.guard, widget, CODE, 5)
    req = dialog.request()
    assert (req.ref, req.tracking, req.carrier, req.lines_text, req.csv_path) == (
        "PO-55120", "1Z999AA10123456784", "", "", "")
    assert dialog.date.date() == date and dialog.isVisible() and dialog.result() == 0
    keys(qtbot, dialog.guard, dialog.carrier, "UPS", 150)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.request().carrier == "UPS"


def test_the_label_dialog_takes_scanned_bins_and_prints_on_no_scan(qtbot, small_world):
    dialog = shown(qtbot, LabelDialog("TENT-2P", count=5))
    dialog.kind.setCurrentIndex(dialog.kind.findData("bin"))
    keys(qtbot, dialog.field_scans[0], dialog.first, "a-01-01", 5)
    keys(qtbot, dialog.field_scans[1], dialog.last, "a-02-01", 5)
    dialog.kind.setCurrentIndex(dialog.kind.findData("unit"))
    for widget in (dialog.count, dialog.fmt, dialog.dest, dialog.kind):
        keys(qtbot, dialog.guard, widget, CODE, 5)
    keys(qtbot, dialog.sku_scan, dialog.sku, CODE, 5)  # no product has it: the field stays
    assert dialog.note.text() == f"No product has the code {CODE}."
    assert (dialog.first.text(), dialog.last.text(), dialog.count.value(), dialog.sku.text(),
            dialog.kind.currentData()) == ("A-01-01", "A-02-01", 5, "TENT-2P", "unit")
    assert dialog.isVisible() and dialog.result() == 0
    keys(qtbot, dialog.guard, dialog.count, "", 150)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_scan_in_the_unknown_barcodes_case_size_links_nothing(qtbot, tent):
    dialog = shown(qtbot, UnknownBarcodeDialog("10012345678902", "ACME", [(tent.id, "TENT-2P", "Tent")],
                                               find=lambda text: None))
    dialog.pack.setValue(6)
    keys(qtbot, dialog.guard, dialog.pack, CODE, 5)
    assert (dialog.pack.value(), dialog.isVisible(), dialog.result()) == (6, True, 0)
    assert dialog.note.text().startswith(f"Scanned {CODE}: no product of this client has it.")
