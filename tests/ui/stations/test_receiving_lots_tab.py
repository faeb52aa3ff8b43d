"""The Receiving tab with lot- and expiry-tracked goods: a GS1 scan (FNC1 as the GS key)
receives its lot; a plain scan asks for lot and expiry; short-dated units at the receiver's choice."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from app import catalog, ledger, receiving
from app.kernel.actor import Actor
from app.store.models import Client, StockMove
from tests.support.helpers import add_acme_and_bins
from ui.context import UiContext
from ui.events import AppEvents
from ui.settings import Settings
from ui.stations.receiving import lot_dialog
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
