"""The floor as a scanner drives it: dialogs a scan cannot settle, another client's code,
the station in force after Settings, a closed shipment that looks closed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from app import catalog, ledger, receiving
from app.kernel.actor import Actor
from app.store.models import ProductBarcode, StatusChange, StockMove
from tests.support.helpers import add_acme_and_bins
from ui.context import UiContext
from ui.dialogs.settings import SettingsDialog
from ui.events import AppEvents
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.stations.receiving.dialogs import UnknownBarcodeDialog
from ui.stations.receiving.tab import ReceivingTab
from ui.widgets.feedback import Feedback


class ScannerClock:
    """A wedge scanner's keys: 5 ms apart (a person needs 100+)."""

    def __init__(self) -> None:
        self.ms = 0

    def __call__(self) -> int:
        self.ms += 5
        return self.ms


@pytest.fixture
def desk(sqlite_database, tmp_path):
    boss = Actor(None, "tester", "supervisor", "test")
    add_acme_and_bins()
    catalog.add_client("BETA", "Beta Goods")
    cup = catalog.add_product("ACME", "CUP-3", "Camp cup", barcodes=["CUP-3-CODE"], actor=boss)
    catalog.add_product("BETA", "BETA-MUG", "Beta mug", barcodes=["4006381333931"], actor=boss)
    ship = receiving.create_shipment("ACME", "ASN-F-1", [("CUP-3", 4)], actor=boss)
    settings = Settings.from_file(str(tmp_path / "station.ini"))
    settings.sound_enabled = False
    settings.station_kind = "receiving"
    ctx = UiContext(actor=Actor(None, "rita", "receiver", "receiving"), settings=settings,
                    events=AppEvents(), feedback=Feedback(settings), db_url=sqlite_database.url)
    return ctx, ship, cup


@pytest.fixture
def tab(qtbot, desk):
    widget = ReceivingTab(desk[0])
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def scan(qtbot, widget, code: str) -> None:
    qtbot.keyClicks(widget, code)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def scanner_in(qtbot, dialog: UnknownBarcodeDialog, code: str) -> None:
    """The next unit scanned while the dialog is open: keys at scanner speed, then Enter,
    into whichever field has the cursor (the product field)."""
    dialog.guard.clock_ms = ScannerClock()
    scan(qtbot, dialog.product.lineEdit(), code)


def test_next_scan_during_unknown_dialog_only_asks_and_no_is_the_default(qtbot, tab, desk,
                                                                         monkeypatch, message_boxes):
    ctx, ship, cup = desk
    seen: dict[str, object] = {}

    def clerk(dialog):
        scanner_in(qtbot, dialog, "CUP-3-CODE")
        seen["box"] = dialog.link_box("CUP-3 — Camp cup")
        seen["note"] = dialog.note.text()
        return dialog.result()  # still open: the scan settled nothing; the clerk then escapes

    monkeypatch.setattr(UnknownBarcodeDialog, "exec", clerk)
    scan(qtbot, tab.scan_field, "ASN-F-1")
    scan(qtbot, tab.scan_field, "CUP-NEW-99")
    # the scan asked "link X to Y?" (the recorded box; its Enter-default is No)
    assert ("exec", "Link barcode?", "Link CUP-NEW-99 to CUP-3 — Camp cup?") in message_boxes.boxes
    box = seen["box"]
    assert isinstance(box, QMessageBox)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert seen["note"] == "Scanned CUP-3-CODE (CUP-3 — Camp cup): not linked."
    assert not ProductBarcode.select().where(ProductBarcode.code == "CUP-NEW-99").exists()
    assert StockMove.select().count() == 0
    assert tab.line_values("CUP-3") == (4, 0, 0, 4)
    assert tab.banner.state == "error" and "not received" in tab.banner.text()
    assert ledger.check().ok


def test_yes_to_the_question_links_the_scanned_product_and_counts_one(qtbot, tab, desk, monkeypatch):
    ctx, ship, cup = desk
    monkeypatch.setattr(UnknownBarcodeDialog, "confirm_link", lambda self, named: named == "CUP-3 — Camp cup")

    def clerk(dialog):
        scanner_in(qtbot, dialog, "CUP-3-CODE")
        return dialog.result()

    monkeypatch.setattr(UnknownBarcodeDialog, "exec", clerk)
    scan(qtbot, tab.scan_field, "ASN-F-1")
    scan(qtbot, tab.scan_field, "CUP-NEW-99")
    assert ProductBarcode.get(ProductBarcode.code == "CUP-NEW-99").product_id == cup.id
    assert tab.line_values("CUP-3") == (4, 1, 0, 3)
    assert ledger.on_hand(cup.id, "RECEIVING") == 1
    assert ledger.check().ok


def test_a_scan_of_nothing_known_in_the_dialog_is_a_note_not_a_link(qtbot, desk):
    ctx, ship, cup = desk
    dialog = UnknownBarcodeDialog("CUP-NEW-99", "ACME", [(cup.id, "CUP-3", "Camp cup")],
                                  find=lambda text: None)
    qtbot.addWidget(dialog)
    dialog.show()
    scanner_in(qtbot, dialog, "SOMETHING-ELSE")
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.isVisible()
    assert dialog.product.currentText() == ""  # the scan was taken back out of the field
    assert "no product of this client has it" in dialog.note.text()


def test_another_clients_code_is_named_and_not_offered_for_linking(qtbot, tab, desk, monkeypatch):
    ctx, ship, cup = desk
    asked: list[str] = []
    monkeypatch.setattr(tab, "ask_unknown_barcode", lambda code: asked.append(code))
    scan(qtbot, tab.scan_field, "ASN-F-1")
    scan(qtbot, tab.scan_field, "4006381333931")
    assert asked == []
    assert tab.banner.state == "error"
    assert "BETA's BETA-MUG (Beta mug), not a ACME product" in tab.banner.text()
    assert StockMove.select().count() == 0


def test_moves_and_audit_name_the_station_set_in_settings(qtbot, desk, monkeypatch):
    ctx, ship, cup = desk
    window = MainWindow(ctx)
    qtbot.addWidget(window)

    def change_station(dialog):
        ctx.settings.station_kind = "supervisor"
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", change_station)
    window.open_settings()
    assert ctx.actor.station == "supervisor" and ctx.actor.name == "rita"
    page = window.pages["receiving"]
    window.show_tab("receiving")
    scan(qtbot, page.scan_field, "ASN-F-1")
    scan(qtbot, page.scan_field, "CUP-3-CODE")
    move = StockMove.get(StockMove.kind == "receive")
    assert (move.user_name, move.station) == ("rita", "supervisor")
    change = StatusChange.get(StatusChange.to_status == "receiving")
    assert (change.user_name, change.station) == ("rita", "supervisor")


def test_a_closed_shipment_looks_closed_and_says_so(qtbot, tab, desk):
    ctx, ship, cup = desk
    receiving.close_shipment(ship.id, actor=Actor(None, "boss", "supervisor", "test"))
    scan(qtbot, tab.scan_field, "ASN-F-1")
    assert tab.banner.state == "idle"  # grey, not a green "open: scan units"
    assert tab.banner.text() == "Shipment ASN-F-1 closed: nothing more can be received"
    scan(qtbot, tab.scan_field, "CUP-3-CODE")
    assert tab.banner.state == "error"
    assert "closed: nothing more can be received" in tab.banner.text()
    assert StockMove.select().count() == 0
