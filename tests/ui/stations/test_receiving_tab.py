"""The Receiving tab driven like a keyboard-wedge scanner: type the code, press Enter."""

from __future__ import annotations

import io
import socket

import pypdf
import pypdfium2
import pytest
import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox

from app import catalog, ledger, receiving
from app.kernel.actor import Actor
from app.store.models import ProductBarcode, StockMove
from tests.support.helpers import add_acme_and_bins
from ui import printing
from ui.context import UiContext
from ui.events import AppEvents
from ui.settings import Settings
from ui.stations.receiving.dialogs import (
    CreateAnswer,
    LabelDialog,
    LabelRequest,
    LinkAnswer,
    NewShipmentRequest,
    UnknownBarcodeDialog,
)
from ui.stations.receiving.tab import ReceivingTab
from ui.widgets.feedback import Feedback


@pytest.fixture
def desk(sqlite_database, tmp_path):
    boss = Actor(None, "tester", "supervisor", "test")
    add_acme_and_bins()
    tent = catalog.add_product("ACME", "TENT-1", "Tent 2p", barcodes=["012345678905"], zone="A",
                               actor=boss)
    lamp = catalog.add_product("ACME", "LAMP-2", "Headlamp", barcodes=["LAMP-2-CODE"], zone="A",
                               actor=boss)
    cup = catalog.add_product("ACME", "CUP-3", "Camp cup", barcodes=["CUP-3-CODE"], zone="B",
                              actor=boss)
    ship = receiving.create_shipment("ACME", "ASN-UI-1", [("TENT-1", 2), ("LAMP-2", 3), ("CUP-3", 4)],
                                     actor=boss)
    settings = Settings.from_file(str(tmp_path / "station.ini"))
    settings.sound_enabled = False
    ctx = UiContext(actor=Actor(None, "rita", "receiver", "recv-1"), settings=settings,
                    events=AppEvents(), feedback=Feedback(settings), db_url=sqlite_database.url)
    return ctx, ship, tent, lamp, cup


@pytest.fixture
def tab(qtbot, desk):
    ctx = desk[0]
    widget = ReceivingTab(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def scan(qtbot, tab, code: str) -> None:
    qtbot.keyClicks(tab.scan_field, code)
    qtbot.keyClick(tab.scan_field, Qt.Key.Key_Return)


def test_scanner_receives_three_line_shipment_with_damage_unknown_code_and_undo(qtbot, tab, desk,
                                                                                 monkeypatch):
    ctx, ship, tent, lamp, cup = desk
    changed = {"stock": 0, "shipments": 0}
    ctx.events.stock_changed.connect(lambda: changed.__setitem__("stock", changed["stock"] + 1))
    ctx.events.shipments_changed.connect(
        lambda: changed.__setitem__("shipments", changed["shipments"] + 1))

    scan(qtbot, tab, "ASN-UI-1")  # opening the shipment by scanning its reference
    assert tab.shipment is not None and tab.shipment.ref == "ASN-UI-1"
    assert tab.line_values("TENT-1") == (2, 0, 0, 2)

    scan(qtbot, tab, "012345678905")
    scan(qtbot, tab, "0012345678905")  # the same UPC read as EAN-13
    assert tab.line_values("TENT-1") == (2, 2, 0, 0)
    assert tab.banner.state == "ok" and "+1 TENT-1" in tab.banner.text()

    # keyed quantity: type 2 into the quantity box, then scan
    tab.qty.setFocus()
    tab.qty.selectAll()
    qtbot.keyClicks(tab.qty, "2")
    qtbot.keyClick(tab.qty, Qt.Key.Key_Return)  # Enter takes the cursor back to the scan field
    qtbot.waitUntil(lambda: tab.scan_field.hasFocus())
    scan(qtbot, tab, "LAMP-2-CODE")
    assert tab.line_values("LAMP-2") == (3, 2, 0, 1)
    assert tab.qty.value() == 1  # back to 1 after the scan

    # damaged toggle from the keyboard, then one damaged lamp
    tab.scan_field.setFocus()
    qtbot.keyClick(tab.scan_field, Qt.Key.Key_F8)
    assert tab.damaged.isChecked()
    scan(qtbot, tab, "LAMP-2-CODE")
    assert tab.line_values("LAMP-2") == (3, 2, 1, 0)
    assert not tab.damaged.isChecked()  # one scan only
    assert tab.banner.state == "warning" and "DAMAGED" in tab.banner.text()  # amber, not a green "good unit"

    # an unknown barcode, linked on the spot to CUP-3; the scan then counts
    asked = []
    monkeypatch.setattr(tab, "ask_unknown_barcode",
                        lambda code: asked.append(code) or LinkAnswer(cup.id))
    scan(qtbot, tab, "CUP-NEW-99")
    assert asked == ["CUP-NEW-99"]
    assert ProductBarcode.get(ProductBarcode.code == "CUP-NEW-99").product_id == cup.id
    assert tab.line_values("CUP-3") == (4, 1, 0, 3)
    scan(qtbot, tab, "CUP-3-CODE")
    scan(qtbot, tab, "CUP-3-CODE")
    assert tab.line_values("CUP-3") == (4, 3, 0, 1)

    # a mistaken extra scan, then Ctrl+Z
    scan(qtbot, tab, "012345678905")
    assert tab.banner.state == "warning" and "over-receipt" in tab.banner.text()
    assert tab.line_values("TENT-1") == (2, 3, 0, 0)
    tab.scan_field.setFocus()
    qtbot.keyClick(tab.scan_field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tab.line_values("TENT-1") == (2, 2, 0, 0)
    assert "undone: -1 TENT-1" in tab.banner.text()

    # exact balances and document counts afterwards
    assert ledger.on_hand(tent.id, "RECEIVING") == 2
    assert ledger.on_hand(lamp.id, "RECEIVING") == 2
    assert ledger.on_hand(lamp.id, "QUARANTINE") == 1
    assert ledger.on_hand(cup.id, "RECEIVING") == 3
    assert ledger.on_hand(cup.id, "QUARANTINE") == 0
    assert tab.line_values("TOTAL") == (9, 7, 1, 1)
    detail = receiving.shipment_detail(ship.id)
    assert [(ln.sku, ln.received, ln.damaged) for ln in detail.lines] == [
        ("CUP-3", 3, 0), ("LAMP-2", 2, 1), ("TENT-1", 2, 0)]
    assert StockMove.select().where(StockMove.kind == "receive").count() == 8
    assert StockMove.select().where(StockMove.kind == "undo").count() == 1
    assert {m.user_name for m in StockMove.select()} == {"rita"}
    # each scan and the undo said so once, after its commit (the events arrive queued)
    qtbot.waitUntil(lambda: changed == {"stock": 9, "shipments": 9}, timeout=10000)
    qtbot.wait(50)
    assert changed == {"stock": 9, "shipments": 9}
    assert ledger.check().ok


def test_unknown_barcode_creates_product_and_error_feedback(qtbot, tab, desk, monkeypatch):
    ctx, ship, *_ = desk
    tab.open_shipment(ship.id)
    monkeypatch.setattr(tab, "ask_unknown_barcode", lambda code: CreateAnswer("MUG-9", "Enamel mug"))
    scan(qtbot, tab, "MUG-9-CODE")
    assert ctx.feedback.played[-2:] == ["error", "warning"]  # unknown, then the extra line
    assert tab.line_values("MUG-9") == (0, 1, 0, 0)
    assert "not on shipment" in tab.banner.text()
    # cancelled dialog: nothing happens, error stays on screen
    monkeypatch.setattr(tab, "ask_unknown_barcode", lambda code: None)
    scan(qtbot, tab, "WHAT-IS-THIS")
    assert tab.banner.state == "error"
    assert StockMove.select().count() == 1


def test_putaway_mode_suggests_bin_and_moves(qtbot, tab, desk):
    ctx, ship, tent, lamp, cup = desk
    tab.open_shipment(ship.id)
    scan(qtbot, tab, "012345678905")
    scan(qtbot, tab, "012345678905")
    tab.scan_field.setFocus()
    qtbot.keyClick(tab.scan_field, Qt.Key.Key_F9)
    assert tab.putaway_mode.isChecked()
    scan(qtbot, tab, "012345678905")
    assert "suggested bin A-01-01" in tab.putaway_hint.text()
    assert "2 in RECEIVING" in tab.putaway_hint.text()
    scan(qtbot, tab, "A-01-01")
    assert ledger.on_hand(tent.id, "A-01-01") == 2
    assert ledger.on_hand(tent.id, "RECEIVING") == 0
    move = StockMove.get(StockMove.kind == "putaway")
    assert (move.doc_type, move.doc_id, move.doc_ref) == ("receipt", ship.id, "ASN-UI-1")
    assert tab.banner.state == "ok"
    scan(qtbot, tab, "012345678905")  # nothing left to put away
    assert tab.banner.state == "error" and "no TENT-1 waits in RECEIVING" in tab.banner.text()


def test_close_shipment_produces_report(qtbot, tab, desk, monkeypatch):
    ctx, ship, *_ = desk
    tab.open_shipment(ship.id)
    scan(qtbot, tab, "LAMP-2-CODE")
    monkeypatch.setattr(tab, "confirm_close", lambda detail: True)
    monkeypatch.setattr(tab, "report_action", lambda: "none")
    result = tab.close_shipment()
    assert (result.received, result.short) == (1, 8)
    text = " ".join(pypdf.PdfReader(io.BytesIO(tab.last_report_pdf)).pages[0].extract_text().split())
    assert "Receiving report: ASN-UI-1" in text and "Received by: rita" in text
    assert "Total 3 lines 9 1 0 8 0" in text
    assert not tab.close_button.isEnabled()
    scan(qtbot, tab, "LAMP-2-CODE")
    assert tab.banner.state == "error" and "ASN-UI-1 is closed" in tab.banner.text()
    other = receiving.create_shipment("ACME", "ASN-UI-5", [("CUP-3", 1)], actor=ctx.actor)
    scan(qtbot, tab, "ASN-UI-5")  # the next shipment opens by its reference
    assert tab.shipment.id == other.id and tab.close_button.isEnabled()


def wait_labels(qtbot, tab, jobs: int) -> None:
    qtbot.waitUntil(lambda: tab.label_jobs_done >= jobs and not tab.label_progress.isVisible(),
                    timeout=20_000)


def test_labels_saved_and_sent_to_label_printer(qtbot, tab, desk, monkeypatch, tmp_path):
    ctx, *_ = desk
    saved = []
    monkeypatch.setattr("ui.printing.save_file",
                        lambda parent, data, name, filt: saved.append((name, data)) or name)
    monkeypatch.setattr(tab, "ask_labels", lambda: LabelRequest("unit", "TENT-1", 3, "", "", "zpl", "save"))
    assert tab.print_labels()
    wait_labels(qtbot, tab, 1)
    assert saved[0][0] == "labels-TENT-1.zpl" and saved[0][1].startswith(b"^XA")
    assert b"^PQ3" in saved[0][1]
    sent = []
    monkeypatch.setattr("app.devices.printing.send_zpl", lambda target, data: sent.append((target, data)))
    ctx.settings.label_printer = "zpl://127.0.0.1:9100"
    monkeypatch.setattr(tab, "ask_labels",
                        lambda: LabelRequest("bin", "", 1, "A-01-01", "A-01-02", "zpl", "printer"))
    assert tab.print_labels()
    wait_labels(qtbot, tab, 2)
    assert sent[0][0] == "zpl://127.0.0.1:9100" and b"^FDA-01-02^FS" in sent[0][1]
    assert "2 labels sent to zpl://127.0.0.1:9100" in tab.banner.text()
    ctx.settings.label_printer = ""
    monkeypatch.undo()
    monkeypatch.setattr(tab, "ask_labels",
                        lambda: LabelRequest("bin", "", 1, "A-01-01", "A-01-02", "zpl", "printer"))
    assert not tab.print_labels()
    assert tab.banner.state == "error" and "no printer configured" in tab.banner.text()


def test_unreachable_label_printer_is_a_red_banner_not_a_freeze(qtbot, tab, desk, monkeypatch):
    ctx, *_ = desk

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there
    ctx.settings.label_printer = f"zpl://127.0.0.1:{port}"
    monkeypatch.setattr(tab, "ask_labels", lambda: LabelRequest("unit", "TENT-1", 2, "", "", "zpl", "printer"))
    assert tab.print_labels()
    qtbot.waitUntil(lambda: tab.banner.state == "error", timeout=10_000)
    assert f"127.0.0.1:{port} unreachable" in tab.banner.text()
    assert not tab.label_progress.isVisible() and tab.labels_button.isEnabled()


def test_a_thousand_labels_render_off_the_gui_thread_with_progress(qtbot, tab, desk, monkeypatch):
    """1,000 thermal labels: the call returns at once, a progress bar fills, and the desk
    keeps taking scans while the worker renders."""
    ctx, ship, tent, *_ = desk
    printed, steps = [], []
    monkeypatch.setattr("ui.printing.print_pdf",
                        lambda parent, pdf, title: printed.append((title, pdf)) or True)
    monkeypatch.setattr(tab, "ask_labels",
                        lambda: LabelRequest("unit", "TENT-1", 1000, "", "", "thermal", "dialog"))
    tab.label_progress.valueChanged.connect(steps.append)
    tab.open_shipment(ship.id)
    assert tab.print_labels()
    assert tab.label_job is not None and not tab.label_job.done  # returned before rendering
    assert tab.label_progress.isVisible() and tab.label_progress.maximum() == 1000
    assert not tab.labels_button.isEnabled()
    scan(qtbot, tab, "012345678905")  # the desk is not frozen meanwhile
    assert tab.line_values("TENT-1") == (2, 1, 0, 1)
    assert not tab.print_labels()  # one job at a time
    wait_labels(qtbot, tab, 1)
    assert len(printed) == 1 and printed[0][1].startswith(b"%PDF")
    assert len(pypdf.PdfReader(io.BytesIO(printed[0][1])).pages) == 1000
    assert steps[-1] == 1000 and len([v for v in steps if 0 < v < 1000]) >= 10
    assert tab.labels_button.isEnabled() and not tab.label_progress.isVisible()
    qtbot.waitUntil(lambda: tab.scan_field.hasFocus())


def test_choose_shipment_from_list_and_create_new_one(qtbot, tab, desk, monkeypatch):
    ctx, ship, *_ = desk
    index = tab.chooser.findData(ship.id)
    assert index > 0 and "ASN-UI-1" in tab.chooser.itemText(index)
    tab.chooser.setCurrentIndex(index)
    tab.chooser.activated.emit(index)
    assert tab.shipment.id == ship.id

    monkeypatch.setattr(tab, "ask_new_shipment", lambda: NewShipmentRequest(
        "ACME", "ASN-UI-2", None, "UPS", "1Z1", "", "TENT-1 5\nCUP-3, 2"))
    with qtbot.waitSignal(ctx.events.shipments_changed):
        ref = tab.new_shipment()
    assert ref.ref == "ASN-UI-2" and tab.shipment.id == ref.id
    assert tab.line_values("TENT-1") == (5, 0, 0, 5)
    assert tab.line_values("CUP-3") == (2, 0, 0, 2)
    assert tab.chooser.findData(ref.id) > 0
    # a bad line is one message, nothing created
    monkeypatch.setattr(tab, "ask_new_shipment", lambda: NewShipmentRequest(
        "ACME", "ASN-UI-3", None, "", "", "", "TENT-1 lots"))
    assert tab.new_shipment() is None
    assert receiving.list_shipments()[-1].ref == "ASN-UI-2"


def test_another_desks_scans_and_close_reach_the_open_shipment(qtbot, tab, desk):
    ctx, ship, tent, lamp, cup = desk
    other_desk = Actor(None, "sam", "receiver", "recv-2")
    scan(qtbot, tab, "ASN-UI-1")
    scan(qtbot, tab, "LAMP-2-CODE")
    tab._select_sku("LAMP-2")
    receiving.receive_scan(ship.id, "012345678905", actor=other_desk)  # at the other desk
    ctx.events.shipments_changed.emit()  # as the live updates say it
    qtbot.waitUntil(lambda: tab.line_values("TENT-1") == (2, 1, 0, 1), timeout=2000)
    assert tab.line_values("TOTAL") == (9, 2, 0, 7)
    assert tab.lines.currentRow() == tab._line_rows["LAMP-2"]  # the clerk's line stays selected
    assert "Receiving" in tab.header.text()

    nine = receiving.create_shipment("ACME", "ASN-UI-9", [("CUP-3", 1)], actor=other_desk)
    receiving.close_shipment(ship.id, actor=other_desk)
    ctx.events.shipments_changed.emit()
    qtbot.waitUntil(lambda: tab.shipment.status == "closed", timeout=2000)
    assert tab.banner.text() == ("Shipment ASN-UI-1 was closed at another station: "
                                 "nothing more can be received")
    assert "Closed" in tab.header.text()
    assert not tab.close_button.isEnabled() and not tab.undo_button.isEnabled()
    scan(qtbot, tab, "ASN-UI-9")  # the next shipment opens by its reference
    assert tab.shipment.id == nine.id and tab.line_values("CUP-3") == (1, 0, 0, 1)
    assert ledger.check().ok


def test_the_same_person_at_two_desks_undoes_only_this_desks_scan(qtbot, desk, tmp_path, monkeypatch):
    from app.catalog import users
    from ui import app as ui_app

    ctx, ship, *_ = desk
    users.create_user("Rita Receiver", "receiver", "4321")
    monkeypatch.setenv("PREPDESK_AUTOLOGIN", "Rita Receiver:4321")
    tabs = []
    for n in (1, 2):
        settings = Settings.from_file(str(tmp_path / f"desk{n}.ini"))
        settings.sound_enabled = False
        rita = ui_app.login(settings)  # as the station logs her in
        assert rita.station == settings.station_name
        assert rita.station == f"receiving@{socket.gethostname().split('.')[0]}#{settings.station_id}"
        widget = ReceivingTab(UiContext(actor=rita, settings=settings, events=AppEvents(),
                                        feedback=Feedback(settings), db_url=ctx.db_url))
        qtbot.addWidget(widget)
        tabs.append(widget)
    one, two = tabs
    assert one.ctx.actor.station != two.ctx.actor.station
    for widget, code in ((one, "012345678905"), (two, "LAMP-2-CODE")):
        widget.show()
        scan(qtbot, widget, "ASN-UI-1")
        scan(qtbot, widget, code)
    one.show()
    assert one.undo_last().sku == "TENT-1"  # this desk's scan, not the other desk's later one
    assert one.banner.text().startswith("undone: -1 TENT-1")
    assert receiving.shipment_detail(ship.id).total_received == 1
    assert [(ln.sku, ln.received) for ln in receiving.shipment_detail(ship.id).lines if ln.received] == [
        ("LAMP-2", 1)]
    moves = {m.station for m in StockMove.select().where(StockMove.kind == "receive")}
    assert moves == {one.ctx.actor.station, two.ctx.actor.station}
    assert ledger.check().ok


def test_scanning_another_shipment_ref_switches_to_it(qtbot, tab, desk):
    ctx, ship, *_ = desk
    other = receiving.create_shipment("ACME", "ASN-UI-9", [("CUP-3", 1)], actor=ctx.actor)
    scan(qtbot, tab, "ASN-UI-1")
    scan(qtbot, tab, "ASN-UI-9")
    assert tab.shipment.id == other.id
    assert StockMove.select().count() == 0


def test_sheet_labels_go_through_the_print_dialog(qtbot, tab, desk, monkeypatch):
    printed = []
    monkeypatch.setattr("ui.printing.print_pdf",
                        lambda parent, pdf, title: printed.append((title, pdf)) or True)
    monkeypatch.setattr(tab, "ask_labels", lambda: LabelRequest("unit", "CUP-3", 30, "", "", "sheet", "dialog"))
    assert tab.print_labels()
    wait_labels(qtbot, tab, 1)
    assert printed[0][0] == "labels-CUP-3" and printed[0][1].startswith(b"%PDF")


def test_labels_a_printer_cannot_start_are_not_printed_and_the_banner_says_so(qtbot, tab, desk, monkeypatch):
    """No usable printer: Ctrl+P in the preview prints nothing and says so there; once the
    preview is closed the desk says the labels were not printed (it said "ready")."""
    def without_a_printer(printer, pdf_bytes, title, paint):
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # no file, no queue: begin() fails
        printer.setOutputFileName("")
        return real_print_document(printer, pdf_bytes, title, paint)

    real_print_document = printing.print_document
    monkeypatch.setattr(printing, "print_document", without_a_printer)
    said = []

    def ctrl_p_then_close(dialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.keyClick(dialog.scan_field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        said.append(dialog.message.text())
        dialog.reject()
        dialog.hide()
        return dialog.result()

    monkeypatch.setattr(printing.PrintPreview, "exec", ctrl_p_then_close)
    monkeypatch.setattr(tab, "ask_labels", lambda: LabelRequest("unit", "TENT-1", 1, "", "", "thermal", "dialog"))
    assert tab.print_labels()
    wait_labels(qtbot, tab, 1)
    assert said == ["Nothing printed: no printer is available on this computer (labels-TENT-1)"]
    assert (tab.banner.state, tab.banner.text()) == ("warning", "1 label not printed")

    monkeypatch.setattr(printing, "print_pdf", lambda parent, pdf, title: True)
    assert tab.print_labels()
    wait_labels(qtbot, tab, 2)
    assert (tab.banner.state, tab.banner.text()) == ("ok", "1 label printed")


def table_cells(tab) -> list[tuple[str, ...]]:
    t = tab.lines
    return [tuple(t.item(r, c).text() for c in range(t.columnCount())) for r in range(t.rowCount())]


def test_scan_updates_its_row_in_place_exactly_as_a_full_rebuild(qtbot, tab, desk, monkeypatch):
    """A scan updates one row and the totals (no 500-row rebuild per unit); what it shows
    must be what a rebuild from the database shows, tints included, and the chooser's
    counts follow once the scanning pauses."""
    ctx, ship, tent, lamp, cup = desk
    scan(qtbot, tab, "ASN-UI-1")
    rebuilds = []
    real_refresh = tab.refresh_lines
    monkeypatch.setattr(tab, "refresh_lines", lambda: rebuilds.append(1) or real_refresh())
    for code in ("LAMP-2-CODE", "012345678905", "012345678905", "LAMP-2-CODE", "012345678905"):
        scan(qtbot, tab, code)
    assert len(rebuilds) == 1  # the first scan (status open -> receiving) only
    shown = table_cells(tab)
    assert shown[-1] == ("TOTAL", "", "9", "5", "0", "5", "")
    assert tab.line_values("TENT-1") == (2, 3, 0, 0)
    tent_row = [r for r in range(tab.lines.rowCount()) if tab.lines.item(r, 0).text() == "TENT-1"][0]
    assert tab.lines.item(tent_row, 6).text() == "OVER by 1"
    assert tab.lines.item(tent_row, 0).background().color().name() == "#ffe0b2"
    assert "Tent 2p" in tab.banner.text()
    real_refresh()
    assert table_cells(tab) == shown
    qtbot.waitUntil(lambda: "5/9" in tab.chooser.currentText(), timeout=3000)
    scan(qtbot, tab, "CUP-3-CODE")
    scan(qtbot, tab, "LAMP-2-CODE")  # LAMP-2 complete: 3 of 3
    lamp_row = [r for r in range(tab.lines.rowCount()) if tab.lines.item(r, 0).text() == "LAMP-2"][0]
    assert tab.lines.item(lamp_row, 6).text() == "complete"
    assert tab.lines.item(lamp_row, 3).background().color().name() == "#dcedc8"


def test_unknown_barcode_dialog_works_from_the_keyboard(qtbot, desk):
    """Typing part of a name finds the product; typing a new SKU switches to 'create'."""

    ctx, ship, tent, lamp, cup = desk
    products = [(tent.id, "TENT-1", "Tent 2p"), (lamp.id, "LAMP-2", "Headlamp"), (cup.id, "CUP-3", "Camp cup")]
    dialog = UnknownBarcodeDialog("4006381333931", "ACME", products)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.answer() is None  # nothing chosen yet: no silent link to the first product
    assert "is not a barcode of any ACME product" in dialog.findChild(QLabel).text()
    qtbot.keyClicks(dialog.product.lineEdit(), "head")
    popup = dialog.product.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 1  # "head" is inside "LAMP-2 — Headlamp"
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.answer() == LinkAnswer(lamp.id, 1)
    # a case code is unknown: scan the unit's own barcode into the product field
    found = UnknownBarcodeDialog("10012345678902", "ACME", products,
                                 find=lambda text: tent.id if text == "012345678905" else None)
    qtbot.addWidget(found)
    found.pack.setValue(6)
    qtbot.keyClicks(found.product.lineEdit(), "012345678905")
    assert found.answer() == LinkAnswer(tent.id, 6)
    found.product.lineEdit().setText("NOT-A-CODE")
    assert found.answer() is None
    qtbot.keyClicks(dialog.sku, "KETTLE-1")
    qtbot.keyClicks(dialog.name, "Camping kettle")
    assert dialog.create.isChecked()
    assert dialog.answer() == CreateAnswer("KETTLE-1", "Camping kettle")


def test_garbage_scans_are_one_red_line_and_change_nothing(qtbot, tab, desk, monkeypatch):
    ctx, ship, *_ = desk
    asked = []
    monkeypatch.setattr(tab, "ask_unknown_barcode", lambda code: asked.append(code))
    scan(qtbot, tab, "ASN-UI-1")
    tab.scan_field.setText("\x01\x02\x1b")  # control characters only (QTest cannot type them)
    qtbot.keyClick(tab.scan_field, Qt.Key.Key_Return)  # the field cleans them away: no scan
    assert tab.banner.state == "ok" and "ASN-UI-1 open" in tab.banner.text()
    scan(qtbot, tab, "Z" * 300)  # a jammed key: refused, no offer to link it to a product
    assert tab.banner.state == "error" and "300 characters" in tab.banner.text()
    assert len(tab.banner.text()) < 150 and asked == []
    qtbot.keyClick(tab.scan_field, Qt.Key.Key_F9)  # putaway: a bin before any product
    scan(qtbot, tab, "A-01-01")
    assert tab.banner.state == "error" and "scan the product first" in tab.banner.text()
    assert StockMove.select().count() == 0
    assert tab.line_values("TOTAL") == (9, 0, 0, 9)
    qtbot.waitUntil(lambda: tab.scan_field.hasFocus())


def test_scan_field_gets_the_focus_back_after_every_action(qtbot, tab, desk, monkeypatch):
    """Clicking a button or closing a dialog moves the keyboard focus; the next scan must
    still land in the scan field, whatever the clerk just did."""

    ctx, ship, *_ = desk
    monkeypatch.setattr("ui.printing.print_pdf", lambda parent, pdf, title: True)

    def away(widget, answer):
        def ask(*_args):
            widget.setFocus()  # what a click or a closing dialog leaves behind
            return answer
        return ask

    def back() -> None:
        qtbot.waitUntil(tab.scan_field.hasFocus, timeout=2000)

    scan(qtbot, tab, "ASN-UI-1")
    scan(qtbot, tab, "LAMP-2-CODE")
    for button in (tab.damaged, tab.damaged, tab.putaway_mode, tab.putaway_mode, tab.undo_button):
        button.setFocus()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        back()
    monkeypatch.setattr(tab, "ask_new_shipment", away(tab.new_button, NewShipmentRequest(
        "ACME", "ASN-UI-7", None, "", "", "", "TENT-1 1")))
    tab.new_button.click()
    back()
    monkeypatch.setattr(tab, "ask_new_shipment", away(tab.new_button, None))  # cancelled
    tab.new_button.click()
    back()
    monkeypatch.setattr(tab, "ask_labels", away(tab.labels_button, LabelRequest(
        "unit", "TENT-1", 2, "", "", "thermal", "dialog")))
    tab.labels_button.click()
    wait_labels(qtbot, tab, 1)
    back()
    monkeypatch.setattr(tab, "confirm_close", away(tab.close_button, True))
    monkeypatch.setattr(tab, "report_action", lambda: "none")
    tab.close_button.click()
    back()
    tab.chooser.setFocus()
    index = tab.chooser.findData(ship.id)
    tab.chooser.setCurrentIndex(index)
    tab.chooser.activated.emit(index)
    back()
    tab.qty.setFocus()
    qtbot.keyClick(tab.qty, Qt.Key.Key_Return)
    back()


def test_label_dialog_proposes_the_received_count_and_the_label_printer(qtbot, tab, desk, monkeypatch):

    ctx, ship, *_ = desk
    seen = []

    def fake_exec(dialog):
        seen.append((dialog.request(), dialog.sku.isEnabled(), dialog.first.isEnabled(),
                     [dialog.kind.itemText(i) for i in range(dialog.kind.count())]))
        return 0  # cancelled

    monkeypatch.setattr(LabelDialog, "exec", fake_exec)
    scan(qtbot, tab, "ASN-UI-1")
    tab.qty.setValue(3)
    scan(qtbot, tab, "LAMP-2-CODE")
    scan(qtbot, tab, "CUP-3-CODE")
    scan(qtbot, tab, "LAMP-2-CODE")  # the LAMP-2 line selected again, 4 received
    ctx.settings.label_printer = "zpl://10.0.0.9:9100"
    assert tab.print_labels() is False
    request, sku_on, bins_on, kinds = seen[0]
    assert request == LabelRequest("unit", "LAMP-2", 4, "", "", "zpl", "printer")
    assert (sku_on, bins_on) == (True, False)  # bin range fields off for unit labels
    assert kinds[1] == "Unit labels for all 5 good units of ASN-UI-1"  # counted after the scans
    ctx.settings.label_printer = ""
    tab.print_labels()
    assert seen[1][0].fmt == "sheet" and seen[1][0].destination == "dialog"
    dialog = LabelDialog("", "cups://zebra")
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(1)
    assert (dialog.sku.isEnabled(), dialog.first.isEnabled()) == (False, True)
    # a CUPS queue gets what its printer speaks: ZPL by default, the thermal PDF for a PDF printer
    assert dialog.request().fmt == "zpl" and dialog.request().destination == "printer"
    pdf_printer = LabelDialog("", "cups://rollo", language="pdf")
    qtbot.addWidget(pdf_printer)
    assert pdf_printer.request().fmt == "thermal"


def test_putaway_moves_the_product_that_was_scanned_even_if_its_sku_is_another_barcode(
        qtbot, tab, desk):
    """SKU '777' of one product is the barcode of another: the desk must put away the
    product it showed, not look its SKU up again (a barcode match wins over a SKU)."""
    ctx, ship, tent, lamp, cup = desk
    seven = catalog.add_product("ACME", "777", "Seven", barcodes=["SEVEN-CODE"], actor=ctx.actor)
    catalog.link_barcode(cup.id, "777", actor=ctx.actor)
    receiving.add_line(ship.id, "777", 2, actor=ctx.actor)
    scan(qtbot, tab, "ASN-UI-1")
    scan(qtbot, tab, "SEVEN-CODE")
    scan(qtbot, tab, "CUP-3-CODE")
    qtbot.keyClick(tab.scan_field, Qt.Key.Key_F9)
    scan(qtbot, tab, "SEVEN-CODE")
    assert tab.putaway_product.product_id == seven.id
    scan(qtbot, tab, "B-01-01")
    assert tab.banner.state in ("ok", "warning"), tab.banner.text()
    assert ledger.on_hand(seven.id, "B-01-01") == 1
    assert ledger.on_hand(cup.id, "RECEIVING") == 1


def test_labels_for_every_good_unit_of_the_shipment(qtbot, tab, desk, monkeypatch):
    """One run labels the whole delivery: each product's good units, FNSKU else SKU; the
    damaged unit gets none."""
    ctx, ship, *_ = desk
    printed = []
    monkeypatch.setattr("ui.printing.print_pdf",
                        lambda parent, pdf, title: printed.append((title, pdf)) or True)
    scan(qtbot, tab, "ASN-UI-1")
    scan(qtbot, tab, "012345678905")
    tab.qty.setValue(2)
    scan(qtbot, tab, "LAMP-2-CODE")
    qtbot.keyClick(tab.scan_field, Qt.Key.Key_F8)
    scan(qtbot, tab, "CUP-3-CODE")  # damaged
    monkeypatch.setattr(tab, "ask_labels", lambda: LabelRequest("shipment", "", 1, "", "", "thermal", "dialog"))
    assert tab.print_labels()
    wait_labels(qtbot, tab, 1)
    title, pdf = printed[0]
    assert title == "labels-ASN-UI-1"

    doc = pypdfium2.PdfDocument(pdf)
    codes = [[r.text for r in zxingcpp.read_barcodes(
        page.render(scale=300 / 72, fill_color=(255, 255, 255, 255)).to_pil())] for page in doc]
    doc.close()
    assert codes == [["LAMP-2"], ["LAMP-2"], ["TENT-1"]]


def test_close_confirmation_defaults_to_no_so_a_scanners_enter_cannot_close(qtbot, tab, desk):

    ctx, ship, *_ = desk
    scan(qtbot, tab, "ASN-UI-1")
    box = tab.close_box(receiving.shipment_detail(ship.id))
    qtbot.addWidget(box)
    assert "Close shipment ASN-UI-1? 0 received, 0 damaged, 9 still missing." == box.text()
    # explicit, not left to the platform style (some make Yes the default of question())
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    box.show()
    qtbot.waitExposed(box)
    qtbot.keyClicks(box, "LAMP")  # the next scan typed into the box...
    qtbot.keyClick(box, Qt.Key.Key_Return)  # ...and its Enter: neither answers; the box says so
    assert box.isVisible() and box.clickedButton() is None
    assert box.informativeText().startswith("A scan was ignored")
    assert receiving.shipment_ref(ship.id).status == "open"
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # the person: not now
    assert box.clickedButton() is box.button(QMessageBox.StandardButton.No)
    assert receiving.shipment_ref(ship.id).status == "open"


def test_unknown_case_code_linked_by_scanning_the_units_barcode(qtbot, tab, desk, monkeypatch):
    """At the desk: an unknown case code pops the dialog; the clerk keys 6 units per scan
    and scans the unit's UPC into it; the case counts 6 of that product at once."""


    ctx, ship, tent, *_ = desk

    def clerk(dialog):
        dialog.pack.setValue(6)
        qtbot.keyClicks(dialog.product.lineEdit(), "]E00012345678905")  # AIM prefix and all
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(UnknownBarcodeDialog, "exec", clerk)
    scan(qtbot, tab, "ASN-UI-1")
    scan(qtbot, tab, "CASE-OF-TENTS")
    assert ProductBarcode.get(ProductBarcode.code == "CASE-OF-TENTS").pack_qty == 6
    assert tab.line_values("TENT-1") == (2, 6, 0, 0)
    assert ledger.on_hand(tent.id, "RECEIVING") == 6


def test_asn_file_imports_off_the_gui_thread_and_refusals_list_every_line(
        qtbot, tab, desk, monkeypatch, tmp_path, message_boxes):

    ctx, ship, *_ = desk
    good = tmp_path / "asn.csv"
    good.write_text("sku,qty,barcode,name\nTENT-1,4,,\nKETTLE-9,2,KETTLE-9-CODE,Camp kettle\n",
                    encoding="utf-8")
    monkeypatch.setattr(tab, "ask_new_shipment", lambda: NewShipmentRequest(
        "ACME", "PO-FILE-1", None, "DHL", "", str(good), ""))
    assert tab.new_shipment() is None  # the import runs on a worker thread
    assert not tab.new_button.isEnabled()
    qtbot.waitUntil(lambda: tab.shipment is not None and tab.shipment.ref == "PO-FILE-1", timeout=10_000)
    assert tab.new_button.isEnabled()
    assert tab.line_values("KETTLE-9") == (2, 0, 0, 2)
    assert "PO-FILE-1 imported: 2 lines, 6 units, 1 new products" in tab.banner.text()
    scan(qtbot, tab, "KETTLE-9-CODE")
    assert tab.line_values("KETTLE-9") == (2, 1, 0, 1)

    bad = tmp_path / "bad.csv"
    bad.write_text("sku,qty\n" + "".join(f"TENT-1,x{i}\n" for i in range(30)), encoding="utf-8")
    for path in (bad, tmp_path / "missing.csv"):
        monkeypatch.setattr(tab, "ask_new_shipment", lambda path=path: NewShipmentRequest(
            "ACME", "PO-FILE-2", None, "", "", str(path), ""))
        tab.new_shipment()
        qtbot.waitUntil(lambda: tab.new_button.isEnabled() and tab.banner.state == "error", timeout=10_000)
    box = [b for b in message_boxes.boxes if b[0] == "warning"][0][2]
    assert box.startswith("ASN file rejected, nothing imported:\nline 2: qty 'x0' is not a whole number")
    assert "line 26: qty 'x24'" in box and "… and 5 more" in box
    assert receiving.list_shipments()[-1].ref == "PO-FILE-1"
    assert tab.shipment.ref == "PO-FILE-1"
