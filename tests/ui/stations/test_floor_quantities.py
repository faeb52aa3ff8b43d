"""Quantities as the worker sees them, driven like a scanner: putaway moves what the Qty box
shows (all by default, fewer when keyed), a transfer's bin scan waits for the quantity, and a
misread bin says "unknown bin"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app import catalog, ledger, receiving
from app.kernel.actor import Actor
from app.store.models import StockMove
from tests.support.helpers import add_acme_and_bins
from tests.support.qt import put_stock
from ui.context import UiContext
from ui.events import AppEvents
from ui.settings import Settings
from ui.stations.inventory.tab import InventoryTab, TransferDialog
from ui.stations.receiving.tab import ReceivingTab
from ui.widgets.feedback import Feedback


class ScannerClock:
    def __init__(self) -> None:
        self.ms = 0

    def __call__(self) -> int:
        self.ms += 5
        return self.ms


@pytest.fixture
def desk(qtbot, sqlite_database, tmp_path):
    boss = Actor(None, "tester", "supervisor", "test")
    add_acme_and_bins()
    cup = catalog.add_product("ACME", "CUP-3", "Camp cup", barcodes=["CUP-3-CODE"], actor=boss)
    ship = receiving.create_shipment("ACME", "ASN-Q-1", [("CUP-3", 9)], actor=boss)
    settings = Settings.from_file(str(tmp_path / "station.ini"))
    settings.sound_enabled = False
    ctx = UiContext(actor=Actor(None, "rita", "receiver", "receiving"), settings=settings,
                    events=AppEvents(), feedback=Feedback(settings), db_url=sqlite_database.url)
    tab = ReceivingTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    return tab, ship, cup


def scan(qtbot, widget, code: str) -> None:
    qtbot.keyClicks(widget, code)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_putaway_moves_what_the_qty_box_shows(qtbot, desk):
    tab, ship, cup = desk
    scan(qtbot, tab.scan_field, "ASN-Q-1")
    tab.qty.setValue(9)
    scan(qtbot, tab.scan_field, "CUP-3-CODE")
    assert ledger.on_hand(cup.id, "RECEIVING") == 9
    qtbot.keyClick(tab.scan_field, Qt.Key.Key_F9)
    assert tab.qty.value() == 1  # putaway mode starts clean
    scan(qtbot, tab.scan_field, "CUP-3-CODE")
    assert tab.qty.value() == 9  # all that waits, shown before the bin scan
    assert "Qty 9, scan the bin" in tab.putaway_hint.text()
    # the clerk takes 4 of them to the bin: keys 4, Enter, scans the bin
    tab.qty.setFocus()
    tab.qty.selectAll()
    qtbot.keyClicks(tab.qty, "4")
    qtbot.keyClick(tab.qty, Qt.Key.Key_Return)
    qtbot.waitUntil(tab.scan_field.hasFocus)
    scan(qtbot, tab.scan_field, "A-01-01")
    assert ledger.on_hand(cup.id, "A-01-01") == 4
    assert ledger.on_hand(cup.id, "RECEIVING") == 5
    assert "4 CUP-3 -> A-01-01 (5 left in RECEIVING)" in tab.banner.text()
    # the rest, as shown: 5
    scan(qtbot, tab.scan_field, "CUP-3-CODE")
    assert tab.qty.value() == 5
    scan(qtbot, tab.scan_field, "A-01-01")
    assert ledger.on_hand(cup.id, "A-01-01") == 9
    assert [m.qty for m in StockMove.select().where(StockMove.kind == "putaway")] == [4, 5]
    assert ledger.check().ok


def test_unknown_bin_at_putaway_says_unknown_bin(qtbot, desk):
    tab, ship, cup = desk
    scan(qtbot, tab.scan_field, "ASN-Q-1")
    scan(qtbot, tab.scan_field, "CUP-3-CODE")
    qtbot.keyClick(tab.scan_field, Qt.Key.Key_F9)
    scan(qtbot, tab.scan_field, "CUP-3-CODE")
    scan(qtbot, tab.scan_field, "Z-99-99")
    assert tab.banner.state == "error"
    assert tab.banner.text().startswith("unknown bin Z-99-99")
    assert "product" not in tab.banner.text().split(":")[0]
    assert ledger.on_hand(cup.id, "RECEIVING") == 1
    assert tab.putaway_product is not None  # still waiting for its bin


def test_transfer_bin_scan_waits_for_the_quantity(qtbot, ui_ctx, small_world, monkeypatch):
    tent = catalog.add_product("ACME", "TENT-2P", "Tent", actor=small_world)
    put_stock(tent.id, "A-01-01", 10, actor=small_world)
    seen: dict[str, object] = {}

    def clerk(dialog):
        dialog.show()
        seen["default"] = dialog.qty.value()
        dialog.guard.clock_ms = ScannerClock()
        scan(qtbot, dialog.target.lineEdit(), "B-01-01")
        seen["after scan"] = (dialog.result(), dialog.target.currentText(), dialog.focusWidget() is dialog.qty)
        qtbot.keyClicks(dialog.qty, "3")  # the whole value was selected: 3 replaces it
        qtbot.keyClick(dialog.qty, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(TransferDialog, "exec", clerk)
    tab = InventoryTab(ui_ctx)
    qtbot.addWidget(tab)
    assert tab.select_product(tent.id)
    assert tab.transfer_selected()
    assert seen["default"] == 10  # all that is free in A-01-01
    assert seen["after scan"] == (0, "B-01-01", True)  # nothing committed yet
    assert ledger.on_hand(tent.id, "B-01-01") == 3
    assert ledger.on_hand(tent.id, "A-01-01") == 7
    assert ledger.check().ok


def test_command_barcodes_at_the_desk(qtbot, desk):
    tab, ship, cup = desk
    scan(qtbot, tab.scan_field, "ASN-Q-1")
    scan(qtbot, tab.scan_field, "%CMD-QTY-3")
    assert tab.qty.value() == 3 and tab.banner.text() == "Qty 3 for the next scan"
    scan(qtbot, tab.scan_field, "%CMD-DAMAGED")
    assert tab.damaged.isChecked()
    scan(qtbot, tab.scan_field, "CUP-3-CODE")
    assert ledger.on_hand(cup.id, "QUARANTINE") == 3
    scan(qtbot, tab.scan_field, "%CMD-UNDO")
    assert ledger.on_hand(cup.id, "QUARANTINE") == 0
    scan(qtbot, tab.scan_field, "%CMD-QTY-2")
    scan(qtbot, tab.scan_field, "%CMD-CANCEL")
    assert tab.qty.value() == 1 and not tab.damaged.isChecked()
    scan(qtbot, tab.scan_field, "%CMD-PRINT-SLIP")  # the packing station's, not the desk's
    assert tab.banner.state == "error" and "PRINT SLIP is not a receiving command" in tab.banner.text()
    scan(qtbot, tab.scan_field, "%CMD-PUTAWAY")
    assert tab.putaway_mode.isChecked()
    assert ledger.check().ok


def test_saved_labels_say_where_and_open_their_folder(qtbot, desk, monkeypatch, tmp_path):
    from PySide6.QtGui import QDesktopServices

    from ui.stations.receiving.dialogs import LabelRequest

    tab, ship, cup = desk
    target = tmp_path / "labels-CUP-3.zpl"

    def save(parent, data, name, filt):
        target.write_bytes(data)
        return str(target)

    monkeypatch.setattr("ui.printing.save_file", save)
    monkeypatch.setattr(tab, "ask_labels", lambda: LabelRequest("unit", "CUP-3", 16, "", "", "zpl", "save"))
    assert not tab.open_folder.isVisible()
    assert tab.print_labels()
    qtbot.waitUntil(lambda: tab.label_jobs_done == 1, timeout=10_000)
    assert tab.banner.text() == f"16 labels saved to {target}"
    assert tab.open_folder.isVisible() and tab.open_folder.folder == str(tmp_path)
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    tab.open_folder.click()
    assert opened == [str(tmp_path)]
