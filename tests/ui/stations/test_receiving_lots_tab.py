"""The Receiving tab with lot- and expiry-tracked goods: a GS1 scan (FNC1 as the GS key)
receives its lot; a plain scan asks for lot and expiry; short-dated units at the receiver's choice."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from app import catalog, ledger, receiving
from app.catalog import scan as scan_service
from app.kernel.actor import Actor
from app.store.models import Client, StockMove
from tests.support.helpers import add_acme_and_bins
from tests.support.qt import keys, shown
from ui.context import UiContext
from ui.events import AppEvents
from ui.settings import Settings
from ui.stations.receiving import lot_dialog
from ui.stations.receiving.dialogs import LabelDialog
from ui.stations.receiving.tab import ReceivingTab
from ui.widgets.feedback import Feedback

GTIN = "00000000100014"


@pytest.fixture
def tab(qtbot, sqlite_database, tmp_path, frozen_clock):
    boss = Actor(None, "tester", "supervisor", "test")
    add_acme_and_bins()
    Client.update(min_shelf_life_days=90).where(Client.code == "ACME").execute()
    vit = catalog.add_product("ACME", "VITAMIN-C", "Vitamin C", barcodes=[GTIN], track_lot=True,
                              track_expiry=True, actor=boss)
    ship = receiving.create_shipment("ACME", "ASN-LOT", [("VITAMIN-C", 5)], actor=boss)
    settings = Settings.from_file(str(tmp_path / "station.ini"))
    settings.sound_enabled = False
    ctx = UiContext(actor=Actor(None, "rita", "receiver", "recv-1"), settings=settings,
                    events=AppEvents(), feedback=Feedback(settings), db_url=sqlite_database.url)
    widget = ReceivingTab(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.open_shipment(ship.id)
    return widget, vit


def scan(qtbot, field, text: str) -> None:
    """Key by key as the wedge types it; FNC1 arrives as Ctrl+] carrying GS. The field's
    clock stands still, so a loaded test machine cannot split the burst."""
    field.clock_ms = lambda: 0
    for n, part in enumerate(text.split("\x1d")):
        if n:
            QApplication.sendEvent(field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_BracketRight,
                                                    Qt.KeyboardModifier.ControlModifier, "\x1d"))
        qtbot.keyClicks(field, part)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def lots(product_id, code="RECEIVING"):
    return [(b.lot, b.expiry, b.on_hand) for b in ledger.lots_in(product_id, ledger.location(code).id)]


def test_gs1_scan_receives_its_lot_and_a_plain_scan_asks(qtbot, tab, monkeypatch):
    widget, vit = tab
    scan(qtbot, widget.scan_field, f"]C101{GTIN}17271231\x1d10LOT42")
    assert "+1 VITAMIN-C lot LOT42" in widget.banner.text()
    asked = []
    monkeypatch.setattr(lot_dialog, "ask_lot",
                        lambda parent, note, **which: asked.append((note, which)) or ("KEYED-1", dt.date(2027, 5, 31)))
    scan(qtbot, widget.scan_field, GTIN)
    assert asked == [("VITAMIN-C needs its lot and expiry date: scan the GS1 code or key them in",
                      {"product_code": GTIN, "client_id": vit.client_id})]
    assert lots(vit.id) == [("KEYED-1", dt.date(2027, 5, 31), 1), ("LOT42", dt.date(2027, 12, 31), 1)]
    monkeypatch.setattr(lot_dialog, "ask_lot", lambda parent, note, **which: None)
    scan(qtbot, widget.scan_field, GTIN)
    assert "no lot and expiry date given" in widget.banner.text()
    assert StockMove.select().count() == 2


def test_short_dated_units_are_refused_or_quarantined_at_the_receivers_choice(qtbot, tab, monkeypatch):
    widget, vit = tab
    monkeypatch.setattr(lot_dialog, "ask_quarantine", lambda parent, note: False)
    scan(qtbot, widget.scan_field, f"01{GTIN}17260501\x1d10SHORT")
    assert "refused (short shelf life: 60 days left, client accepts 90)" in widget.banner.text()
    assert StockMove.select().count() == 0
    monkeypatch.setattr(lot_dialog, "ask_quarantine", lambda parent, note: True)
    scan(qtbot, widget.scan_field, f"01{GTIN}17260501\x1d10SHORT")
    assert "to QUARANTINE (short shelf life" in widget.banner.text()
    assert lots(vit.id, "QUARANTINE") == [("SHORT", dt.date(2026, 5, 1), 1)]


def test_labels_of_a_product_with_lots_ask_the_lot_and_print_its_expiry(qtbot, tab, monkeypatch, tmp_path):
    """Labels… at the desk: the unit's GS1 code scanned into Product SKU fills the product,
    its lot and expiry; the ZPL saved carries EXP and LOT. Without a lot nothing is printed."""
    widget, vit = tab
    catalog.link_barcode(vit.id, "X00VITC001", actor=Actor(None, "tester", "supervisor", "test"))
    seen: list[tuple] = []

    def exec_with(steps):
        def fake_exec(dialog):
            steps(dialog)
            if dialog.isVisible():
                dialog.done(0)
            seen.append((dialog.sku.text(), dialog.lot.text(), dialog.expiry_note.text(), dialog.note.text()))
            return dialog.result()
        return fake_exec

    def plain_scan_then_print(dialog):
        dialog.show()
        dialog.sku.clear()
        keys(qtbot, dialog.sku_scan, dialog.sku, "X00VITC001", 5)
        keys(qtbot, dialog.guard, dialog.count, "", 150)  # Enter on the count: print

    monkeypatch.setattr(LabelDialog, "exec", exec_with(plain_scan_then_print))
    assert widget.print_labels() is False
    assert seen[-1] == ("VITAMIN-C", "", "", "VITAMIN-C keeps lots: scan a unit's GS1 code into Lot, or type the lot.")

    def gs1_scan_then_print(dialog):
        dialog.show()
        dialog.fmt.setCurrentIndex(dialog.fmt.findData("zpl"))
        dialog.dest.setCurrentIndex(dialog.dest.findData("save"))
        dialog.sku.clear()
        keys(qtbot, dialog.sku_scan, dialog.sku, f"01{GTIN}1727123110LOT42", 5)
        keys(qtbot, dialog.guard, dialog.count, "", 150)

    saved: list[bytes] = []
    monkeypatch.setattr("ui.printing.save_file", lambda parent, data, name, filt: saved.append(data) or name)
    monkeypatch.setattr(LabelDialog, "exec", exec_with(gs1_scan_then_print))
    assert widget.print_labels()
    assert seen[-1][:3] == ("VITAMIN-C", "LOT42", "EXP 2027-12-31")
    qtbot.waitUntil(lambda: widget.label_jobs_done >= 1, timeout=20_000)
    assert b"^FDEXP 12-31-2027  LOT LOT42^FS" in saved[0]


def test_a_scan_in_the_label_dialogs_product_field_is_the_product(qtbot, tab):
    widget, vit = tab
    dialog = LabelDialog("", find_product=lambda code: scan_service.find_product_code(code))
    shown(qtbot, dialog)
    keys(qtbot, dialog.sku_scan, dialog.sku, GTIN, 5)
    assert dialog.sku.text() == "VITAMIN-C" and dialog.focusWidget() is dialog.lot
    assert dialog.note.text() == "VITAMIN-C keeps lots: scan a unit's GS1 code into Lot, or type the lot."
    keys(qtbot, dialog.sku_scan, dialog.sku, "NOPE-0001", 5)
    assert dialog.sku.text() == "VITAMIN-C" and dialog.note.text() == "No product has the code NOPE-0001."
    dialog.count.setValue(4)
    keys(qtbot, dialog.guard, dialog.count, GTIN, 5)  # a scan in another field is still taken out
    assert dialog.count.value() == 4 and dialog.result() == 0
    assert dialog.note.text().startswith("A scan was ignored")
    keys(qtbot, dialog.lot_scan, dialog.lot, "LOT-7", 5)
    assert dialog.lot.text() == "LOT-7" and dialog.expiry_note.text() == ""
