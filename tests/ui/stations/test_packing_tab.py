"""The Packing tab driven like a keyboard-wedge scanner: type the code, press Enter."""

from __future__ import annotations

import datetime as dt
import socket
from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionFrame, QTableWidgetItem

from app import ledger, packing
from app.catalog import users
from app.store import db
from app.store.models import AuditEvent, Order, OrderLine, Package, PackScan
from tests.app.packing.test_packing_documents import _listener
from tests.conftest import World
from tests.support.helpers import add_acme_and_bins
from tests.support.packing import PACKER, make_products, pick_first_stop, picked_order
from ui.stations.packing import order_view
from ui.stations.packing.tab import OverrideRequest, PackingTab


@pytest.fixture
def world(sqlite_database, frozen_clock):
    add_acme_and_bins(packing_instructions="Insert a thank-you card")
    return World(sqlite_database)


@pytest.fixture
def order(world):
    prods = make_products(world, [("TENT", "012345678905"), ("LAMP", "LAMP-1"), ("CUP", "CUP-1"),
                                  ("STOVE", "STOVE-1")])
    with db.write():
        db.execute("UPDATE product SET packing_instructions = 'Fragile: bubble wrap' WHERE sku = 'CUP'")
    packing.add_box_type("Small", length_cm=25, width_cm=20, height_cm=12, weight_kg=0.2, max_weight_kg=8,
                         actor=world.actor)
    packing.add_box_type("Medium", length_cm=40, width_cm=30, height_cm=20, weight_kg=0.4,
                         max_weight_kg=15, actor=world.actor)
    return picked_order(world, "1001", [("TENT", 2, 2), ("LAMP", 1, 1), ("CUP", 3, 3)], products=prods)


@pytest.fixture
def tab(qtbot, make_ctx, order):
    widget = PackingTab(make_ctx("packer", station="packer", name="pat"))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def scan(qtbot, field, code: str) -> None:
    """A scanner: the whole code in one burst (the field's key clock stands still); FNC1
    as the GS character a scanner types (Ctrl+])."""
    field.clock_ms = lambda: 0
    for n, part in enumerate(code.split("\x1d")):
        if n:
            QApplication.sendEvent(field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_BracketRight,
                                                    Qt.KeyboardModifier.ControlModifier, "\x1d"))
        qtbot.keyClicks(field, part)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def type_by_hand(qtbot, field, code: str) -> None:
    """A person: 200 ms between keys."""
    ticks = iter(range(0, 100_000, 200))
    field.clock_ms = lambda: next(ticks)
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def verified(tab) -> list[int]:
    return [int(tab.lines.item(r, 4).text()) for r in range(tab.lines.rowCount())]


def test_verify_two_boxes_and_ship_by_scans(qtbot, tab, order, frozen_clock):
    t0 = frozen_clock.current
    scan(qtbot, tab.scan_field, "1001")
    assert tab.order_id == order.id
    assert tab.order_title.text().startswith("Order 1001 — Acme Outdoor Co. — Jane Doe")
    instructions = tab.instructions.text()
    assert "Insert a thank-you card" in instructions and "CUP:</b> Fragile: bubble wrap" in instructions
    assert "Leave at the back door, please." in instructions and tab.instructions.isVisible()
    assert [tab.lines.item(r, 0).text() for r in range(3)] == ["TENT", "LAMP", "CUP"]
    assert tab.box.currentData() == "Medium"  # 6 units of 20x15x10 cm need more than Small

    scan(qtbot, tab.scan_field, "012345678905")
    scan(qtbot, tab.scan_field, "012345678905")
    assert verified(tab) == [2, 0, 0] and tab.banner.state == "ok"

    # a wrong item: refused, sticky until acknowledged; scans meanwhile are not taken
    scan(qtbot, tab.scan_field, "STOVE-1")
    assert tab.pending_error and tab.banner.state == "error" and tab.banner.sticky
    assert "WRONG ITEM" in tab.banner.text() and tab.ack_button.isVisible()
    assert tab.ctx.feedback.played[-1] == "error"
    scan(qtbot, tab.scan_field, "LAMP-1")
    assert verified(tab) == [2, 0, 0] and tab.banner.state == "error"
    assert "Acknowledge the error first" in tab.status.text()
    scan(qtbot, tab.scan_field, "ACK")
    assert not tab.pending_error and tab.banner.state == "idle" and not tab.ack_button.isVisible()

    scan(qtbot, tab.scan_field, "LAMP-1")
    # one too many: refused; Esc acknowledges
    scan(qtbot, tab.scan_field, "LAMP-1")
    assert tab.pending_error.startswith("TOO MANY") and tab.banner.state == "error"
    qtbot.keyClick(tab.scan_field, Qt.Key.Key_Escape)
    assert not tab.pending_error and tab.banner.state == "idle"
    assert verified(tab) == [2, 1, 0]

    frozen_clock.advance(minutes=2)
    tab.box.setCurrentIndex(tab.box.findData("Small"))
    tab.weight.setValue(1.6)
    qtbot.mouseClick(tab.next_box_button, Qt.MouseButton.LeftButton)
    assert tab.packages.rowCount() == 1 and tab.packages.item(0, 1).text() == "Closed"
    # the suggestion now covers the three cups still to box (9,000 cm³ + margin: Medium)
    assert tab.box.currentData() == "Medium" and "for 3 units" in tab.suggestion.text()

    # the last box cannot close early
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    assert "3 picked units not verified" in tab.status.text()
    for _ in range(3):
        scan(qtbot, tab.scan_field, "CUP-1")
    assert verified(tab) == [2, 1, 3]
    frozen_clock.advance(minutes=3)
    tab.weight.setValue(0.9)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    assert "Packing complete" in tab.status.text()
    assert [tab.packages.item(r, 1).text() for r in range(2)] == ["Closed", "Closed"]

    frozen_clock.advance(minutes=10)
    tab.carrier.setCurrentText("UPS")
    tab.service.setText("Ground")
    scan(qtbot, tab.tracking, "1Z999AA10123456784")
    assert tab.order_id is None and "Order 1001 shipped: 6 units, 2 packages" in tab.banner.text()

    # exact outcome in the database
    o = Order.get_by_id(order.id)
    assert o.status == "shipped"
    assert o.packed_at == t0 + dt.timedelta(minutes=5)
    assert o.shipped_at == t0 + dt.timedelta(minutes=15)
    assert [(ln.qty_picked, ln.qty_packed, ln.qty_shipped) for ln in
            OrderLine.select().where(OrderLine.order == order.id).order_by(OrderLine.line_no)] == [
        (2, 2, 2), (1, 1, 1), (3, 3, 3)]
    pkgs = list(Package.select().where(Package.order == order.id).order_by(Package.seq))
    assert [(p.status, p.weight_kg, p.tracking, p.carrier, p.service) for p in pkgs] == [
        ("shipped", 1.6, "1Z999AA10123456784", "UPS", "Ground"),
        ("shipped", 0.9, "1Z999AA10123456784", "UPS", "Ground")]
    customer = ledger.location("CUSTOMER").id
    for sku, qty in (("TENT", 2), ("LAMP", 1), ("CUP", 3)):
        pid = order.products[sku]
        assert ledger.on_hand(pid, "PACKING") == 0
        assert db.execute("SELECT SUM(qty) FROM stock_move WHERE product_id = ? AND to_location_id = ?",
                          (pid, customer)).fetchone()[0] == qty
    results = [s.result for s in PackScan.select().where(PackScan.order == order.id).order_by(PackScan.id)]
    assert results.count("ok") == 6
    assert (results.count("wrong_item"), results.count("over_scan")) == (1, 1)
    (row,) = packing.mis_scan_counts()
    assert (row.ok, row.wrong_item, row.over_scan, row.mis_scans) == (6, 1, 1, 2)
    assert ledger.check().ok


def test_ack_button_takes_enter(qtbot, tab):
    scan(qtbot, tab.scan_field, "1001")
    scan(qtbot, tab.scan_field, "LAMP-1")
    scan(qtbot, tab.scan_field, "STOVE-1")
    assert tab.pending_error
    qtbot.keyClick(tab.banner, Qt.Key.Key_A)  # a stray key does not clear it
    assert tab.banner.state == "error" and tab.banner.sticky
    qtbot.mouseClick(tab.next_box_button, Qt.MouseButton.LeftButton)  # nor may the box close
    assert tab.banner.state == "error" and "Acknowledge the error first" in tab.status.text()
    assert tab.packages.item(0, 1).text() == "Open"
    qtbot.keyClick(tab.ack_button, Qt.Key.Key_Return)
    assert not tab.pending_error and tab.banner.state == "idle"


def test_supervisor_override_from_the_tab(qtbot, tab, order, world):
    users.create_user("Sam", "supervisor", "1111", actor=world.actor)
    users.create_user("Pat", "packer", "3333", actor=world.actor)
    scan(qtbot, tab.scan_field, "1001")
    scan(qtbot, tab.scan_field, "LAMP-1")
    tab.ask_override = lambda unverified: OverrideRequest("Pat", "3333", "in a hurry")
    qtbot.mouseClick(tab.override_button, Qt.MouseButton.LeftButton)
    assert "may not close a package with unverified units" in tab.status.text()
    assert Package.get(Package.order == order.id).status == "open"
    tab.ask_override = lambda unverified: OverrideRequest("Sam", "1111", "TENT labels unreadable")
    tab.weight.setValue(3.2)
    qtbot.mouseClick(tab.override_button, Qt.MouseButton.LeftButton)
    pkg = Package.get(Package.order == order.id)
    assert pkg.status == "closed" and pkg.override_reason == "TENT labels unreadable"
    assert "supervisor override" in tab.banner.text()
    signed = AuditEvent.get(AuditEvent.kind == "override_signed")
    assert signed.user_name == "Sam" and f"for {tab.ctx.actor.name} ({tab.ctx.actor.role})" in signed.detail


def test_a_supervisor_signs_the_override_with_a_badge(qtbot, tab, order, world):
    """The supervisor walks to the packer's station and scans the badge: no PIN; both names are audited."""
    users.create_user("Sam", "supervisor", "1111", badge="BADGE-SUP-1", actor=world.actor)
    scan(qtbot, tab.scan_field, "1001")
    scan(qtbot, tab.scan_field, "LAMP-1")
    tab.ask_override = lambda unverified: OverrideRequest("BADGE-NOBODY", "", "label torn")
    qtbot.mouseClick(tab.override_button, Qt.MouseButton.LeftButton)
    assert Package.get(Package.order == order.id).status == "open"
    tab.ask_override = lambda unverified: OverrideRequest("BADGE-SUP-1", "", "label torn")
    tab.weight.setValue(3.2)  # weighed: the box closes only with a weight
    qtbot.mouseClick(tab.override_button, Qt.MouseButton.LeftButton)
    pkg = Package.get(Package.order == order.id)
    assert (pkg.status, pkg.override_reason) == ("closed", "label torn")
    signed = AuditEvent.get(AuditEvent.kind == "override_signed")
    assert (signed.user_name, signed.station) == ("Sam", tab.ctx.actor.station)
    assert signed.detail == (f"Sam signed 'close a package with unverified units' for {tab.ctx.actor.name} "
                             f"({tab.ctx.actor.role}) at {tab.ctx.actor.station}")
    assert AuditEvent.get(AuditEvent.kind == "pack_override").user_name == "Sam"


def test_void_box_and_unknown_order(qtbot, tab, order):
    scan(qtbot, tab.scan_field, "NO-SUCH-ORDER")
    assert tab.order_id is None and tab.banner.state == "error" and not tab.pending_error
    scan(qtbot, tab.scan_field, "1001")
    scan(qtbot, tab.scan_field, "LAMP-1")
    qtbot.mouseClick(tab.void_button, Qt.MouseButton.LeftButton)  # the dialog is cancelled
    assert tab.packages.item(0, 1).text() == "Open" and verified(tab) == [0, 1, 0]
    asked = []
    tab.ask_void = lambda choices: asked.append(choices) or choices[-1]
    qtbot.mouseClick(tab.void_button, Qt.MouseButton.LeftButton)
    assert asked == [[1]]
    assert tab.packages.item(0, 1).text() == "Void" and verified(tab) == [0, 0, 0]


def test_auto_print_label_when_last_unit_verified(qtbot, make_ctx, world, frozen_clock):
    prods = make_products(world, [("MUG", "MUG-1")])
    picked_order(world, "2002", [("MUG", 1, 1)], products=prods)
    server, thread, received = _listener()
    try:
        ctx = make_ctx("packer", station="packer")
        ctx.settings.label_printer = f"zpl://127.0.0.1:{server.getsockname()[1]}"
        widget = PackingTab(ctx)
        qtbot.addWidget(widget)
        widget.show()
        assert widget.auto_print.isChecked()
        scan(qtbot, widget.scan_field, "2002")
        scan(qtbot, widget.scan_field, "MUG-1")
        qtbot.waitUntil(lambda: len(received) == 1, timeout=5000)
        qtbot.waitUntil(lambda: widget.status.text().startswith("Printed"), timeout=5000)
    finally:
        server.close()
        thread.join(5)
    assert received[0].startswith(b"^XA") and received[0].rstrip().endswith(b"^XZ")
    assert b"2002" in received[0]
    assert "Printed: label 1" in widget.status.text()
    assert AuditEvent.get(AuditEvent.kind == "documents_printed").detail.startswith("label 1 -> zpl://")


def test_pick_list_scan_opens_its_orders_one_after_another(qtbot, make_ctx, world, frozen_clock):
    from app import orders
    from tests.support.packing import stock_in

    prods = make_products(world, [("MUG", "MUG-1")])
    stock_in(world, prods["MUG"], 2)
    for n in ("3001", "3002"):
        orders.create_order("ACME", n, [("MUG", 1)], actor=world.actor, customer_name=f"C{n}")
    pl = pick_first_stop(world, "MUG-1")
    widget = PackingTab(make_ctx("packer", station="packer"))
    qtbot.addWidget(widget)
    widget.show()
    scan(qtbot, widget.scan_field, pl.number)
    first = widget.view.number
    assert len(widget.queue) == 1 and pl.number in widget.order_title.text()
    scan(qtbot, widget.scan_field, "MUG-1")
    widget.weight.setValue(0.4)
    qtbot.mouseClick(widget.close_button, Qt.MouseButton.LeftButton)
    scan(qtbot, widget.tracking, "TRACK-1")
    assert widget.view is not None and widget.view.number != first
    assert "Next order of pick list" in widget.status.text()
    picked_order(world, "3004", [("MUG", 1, 1)], products=prods)
    scan(qtbot, widget.scan_field, "3004")  # the packer moves on to another tote's order
    assert widget.status.text() == "0 of 1 picked unit verified: scan each unit"


def test_unreachable_printer_is_one_line_not_a_stuck_station(qtbot, make_ctx, world, frozen_clock):
    prods = make_products(world, [("MUG", "MUG-1")])
    picked_order(world, "2003", [("MUG", 1, 1)], products=prods)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ctx = make_ctx("packer", station="packer")
    ctx.settings.label_printer = f"zpl://127.0.0.1:{port}"
    widget = PackingTab(ctx)
    qtbot.addWidget(widget)
    widget.show()
    scan(qtbot, widget.scan_field, "2003")
    scan(qtbot, widget.scan_field, "MUG-1")
    qtbot.waitUntil(lambda: "unreachable" in widget.status.text(), timeout=8000)
    assert not widget.pending_error  # a printer problem is not a mis-scan
    assert verified(widget) == [1]


def test_page_fits_a_1280x800_station_screen_without_scrolling(qtbot, tab, order):
    """1280x800 with the window's menu, tabs and status bar (~150 px) leaves 1280x650 for the
    page: with an order open, its instructions, a two-line sticky mis-scan banner and two
    packages, nothing may scroll."""
    from PySide6.QtWidgets import QApplication

    from ui.app import apply_style

    app = QApplication.instance()
    apply_style(app)  # the station's real type sizes (big fonts, tall buttons)
    request_cleanup = app.setStyleSheet
    try:
        _fill_and_measure(qtbot, tab)
    finally:
        request_cleanup("")


def _fill_and_measure(qtbot, tab) -> None:
    from ui.main_window import _scrollable

    scan(qtbot, tab.scan_field, "1001")
    for code in ("012345678905", "012345678905", "LAMP-1"):
        scan(qtbot, tab.scan_field, code)
    tab.weight.setValue(1.5)
    qtbot.mouseClick(tab.next_box_button, Qt.MouseButton.LeftButton)
    scan(qtbot, tab.scan_field, "CUP-1")
    scan(qtbot, tab.scan_field, "STOVE-1")  # the long red banner wraps to two lines
    assert tab.pending_error and tab.packages.rowCount() == 2 and tab.instructions.isVisible()
    area = _scrollable(tab)
    qtbot.addWidget(area)
    area.resize(1280, 650)
    area.show()
    qtbot.waitExposed(area)
    qtbot.wait(10)
    assert area.verticalScrollBar().maximum() == 0, tab.height()
    assert area.horizontalScrollBar().maximum() == 0, tab.width()
    for widget in (tab.banner, tab.ack_button, tab.scan_field, tab.lines, tab.packages, tab.close_button,
                   tab.ship_button, tab.tracking, tab.slip_button, tab.void_button):
        assert widget.isVisible() and widget.height() >= 34, widget
    assert tab.banner.height() >= 64 and tab.scan_field.height() >= 52  # the big scan feedback stays big
    assert tab.lines.height() >= 110
    area.takeWidget()  # the tab fixture closes the tab itself


def test_scan_field_keeps_the_cursor_after_every_action(qtbot, tab, order):
    tab.activateWindow()
    scan(qtbot, tab.scan_field, "1001")
    scan(qtbot, tab.scan_field, "LAMP-1")
    actions = [
        lambda: qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton),  # refused: units missing
        lambda: qtbot.mouseClick(tab.next_box_button, Qt.MouseButton.LeftButton),
        lambda: qtbot.mouseClick(tab.ship_button, Qt.MouseButton.LeftButton),  # refused: no tracking
        lambda: qtbot.keyClick(tab.weight, Qt.Key.Key_Return),
        lambda: qtbot.keyClick(tab.tracking, Qt.Key.Key_Escape),
    ]
    for act in actions:
        tab.weight.setFocus() if act is actions[3] else tab.tracking.setFocus()
        act()
        qtbot.waitUntil(tab.scan_field.hasFocus, timeout=1000)
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in (
        tab.next_box_button, tab.close_button, tab.ship_button, tab.void_button, tab.override_button))


def test_tracking_number_scanned_into_the_scan_field_ships_once_packing_is_complete(qtbot, tab, order):
    scan(qtbot, tab.scan_field, "1001")
    for code in ("012345678905", "012345678905", "LAMP-1", "CUP-1", "CUP-1"):
        scan(qtbot, tab.scan_field, code)
    scan(qtbot, tab.scan_field, "1Z999AA10123456784")  # a unit is still missing: not a tracking number
    assert tab.pending_error.startswith("UNKNOWN BARCODE") and Order.get_by_id(order.id).status != "shipped"
    scan(qtbot, tab.scan_field, "ACK")
    scan(qtbot, tab.scan_field, "CUP-1")
    tab.weight.setValue(2.0)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    assert tab.prompt.text() == "Scan the tracking number"
    scan(qtbot, tab.scan_field, "CUP-1")  # a product is still a unit: one too many
    assert tab.pending_error.startswith("TOO MANY")
    scan(qtbot, tab.scan_field, "ACK")
    sscc = Package.get(Package.order == order.id).sscc
    scan(qtbot, tab.scan_field, "00" + sscc)  # our own carton label is not the carrier's
    assert "SSCC" in tab.status.text() and Order.get_by_id(order.id).status == "packed"
    tab.carrier.setCurrentText("UPS")
    scan(qtbot, tab.scan_field, "1Z999AA10123456784")
    o = Order.get_by_id(order.id)
    assert o.status == "shipped" and tab.order_id is None
    assert [(p.tracking, p.carrier) for p in Package.select().where(Package.order == order.id)] == [
        ("1Z999AA10123456784", "UPS")]
    assert "Order 1001 shipped: 6 units, 1 package" in tab.banner.text()
    assert "shipped with tracking 1Z999AA10123456784" in tab.status.text()
    assert (tab.carrier.currentText(), tab.tracking.text(), tab.box.currentData()) == ("", "", None)


def _verify_all_and_close(qtbot, tab) -> None:
    scan(qtbot, tab.scan_field, "1001")
    for code in ("012345678905", "012345678905", "LAMP-1", "CUP-1", "CUP-1", "CUP-1"):
        scan(qtbot, tab.scan_field, code)
    tab.weight.setValue(2.0)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)


def test_our_carton_labels_printed_line_scanned_is_refused_not_shipped(qtbot, tab, order):
    _verify_all_and_close(qtbot, tab)
    sscc = Package.get(Package.order == order.id).sscc
    scan(qtbot, tab.scan_field, f"(00){sscc}")  # the label's printed line, read by a camera scanner
    assert tab.status.text() == (f"'(00){sscc}' is one of our carton labels (SSCC), not the carrier's "
                                 "tracking number: scan the barcode on the carrier's label")
    assert Order.get_by_id(order.id).status == "packed" and tab.order_id == order.id
    assert Package.get(Package.order == order.id).tracking == ""


USPS_LABEL, USPS = "42090210\x1d9400111899223817262183", "9400111899223817262183"


def test_a_usps_labels_barcode_scanned_ships_with_its_tracking_number(qtbot, tab, order):
    _verify_all_and_close(qtbot, tab)
    scan(qtbot, tab.scan_field, USPS_LABEL)
    assert not tab.pending_error and Order.get_by_id(order.id).status == "shipped"
    assert [(p.tracking, p.carrier) for p in Package.select().where(Package.order == order.id)] == [
        (USPS, "USPS")]
    assert PackScan.select().where(PackScan.result != "ok").count() == 0  # not a mis-scan
    assert f"shipped with tracking {USPS}" in tab.status.text()


def test_a_usps_labels_barcode_scanned_into_the_tracking_field_ships(qtbot, tab, order):
    _verify_all_and_close(qtbot, tab)
    scan(qtbot, tab.tracking, USPS_LABEL)  # its first ten digits look like DHL's, on the way
    assert Order.get_by_id(order.id).status == "shipped"
    assert [(p.tracking, p.carrier) for p in Package.select().where(Package.order == order.id)] == [
        (USPS, "USPS")]


def test_a_carrier_label_scanned_before_packing_is_complete_is_no_mis_scan(qtbot, tab, order):
    scan(qtbot, tab.scan_field, "1001")
    scan(qtbot, tab.scan_field, "LAMP-1")
    scan(qtbot, tab.scan_field, USPS_LABEL)
    assert not tab.pending_error and tab.status.text() == "order 1001: a package is still open — close it before shipping"
    assert PackScan.select().where(PackScan.result != "ok").count() == 0
    assert Order.get_by_id(order.id).status != "shipped" and verified(tab) == [0, 1, 0]


def test_opening_another_order_says_that_orders_situation(qtbot, tab, order, world):
    prods = make_products(world, [("MUG", "MUG-1")])
    picked_order(world, "2007", [("MUG", 1, 1)], products=prods)
    scan(qtbot, tab.scan_field, "2007")
    assert tab.status.text() == "0 of 1 picked unit verified: scan each unit"
    scan(qtbot, tab.scan_field, "MUG-1")
    assert tab.status.text() == "Every picked unit is verified: weigh the box and close it"
    scan(qtbot, tab.scan_field, "1001")
    assert tab.status.text() == "0 of 6 picked units verified: scan each unit"
    scan(qtbot, tab.scan_field, "2007")  # its box still open, every unit in it
    assert tab.status.text() == "Every picked unit is verified: weigh the box and close it"
    tab.weight.setValue(0.4)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    scan(qtbot, tab.scan_field, "1001")
    scan(qtbot, tab.scan_field, "2007")
    assert tab.status.text() == "Packing complete: scan the carrier label's tracking number to ship"


def test_a_shipped_order_scanned_again_says_how_the_station_reprints_it(qtbot, tab, order):
    _verify_all_and_close(qtbot, tab)
    scan(qtbot, tab.scan_field, "1Z999AA10123456784")
    assert Order.get_by_id(order.id).status == "shipped" and tab.order_id is None
    scan(qtbot, tab.scan_field, "1001")
    assert tab.status.text() == "order 1001 was shipped already (6 units): Reprint… (Ctrl+R) prints its papers again"


def _text_room(field) -> int:
    """The width a line edit shows its text in (inside its frame, padding and text margins)."""
    option = QStyleOptionFrame()
    field.initStyleOption(option)
    rect = field.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, field)
    margins = field.textMargins()
    return rect.width() - margins.left() - margins.right() - 4  # Qt's own 2 px each side


@pytest.mark.parametrize("screen", [(1366, 768 - 70), (1280, 800 - 70)])
def test_the_weight_field_shows_a_whole_weight_with_its_unit_beside_it(qtbot, make_ctx, world, screen):
    from ui.app import apply_style
    from ui.main_window import MainWindow

    app = QApplication.instance()
    font = app.font()
    apply_style(app)  # the station's real type sizes
    try:
        window = MainWindow(make_ctx("packer", station="packer"))
        qtbot.addWidget(window)
        window.resize(*screen)
        window.show()
        qtbot.waitExposed(window)
        window.show_tab("packing")
        QApplication.processEvents()
        tab = window.pages["packing"]
        weight, unit, estimate, panel = (tab.weight, tab.weight.unit_label, tab.box_panel.use_estimate,
                                         tab.box_panel)
        weight.setText("12.345")
        assert _text_room(weight) >= weight.fontMetrics().horizontalAdvance("12.345"), weight.width()
        beside = weight.mapTo(panel, weight.rect().topRight())
        assert unit.text() == "kg" and unit.isVisible()
        assert unit.mapTo(panel, unit.rect().topLeft()).x() > beside.x()
        assert abs(unit.mapTo(panel, unit.rect().center()).y() - weight.mapTo(panel, weight.rect().center()).y()) <= 2
        for widget in (weight, unit, estimate):  # the row fits the panel
            right = widget.mapTo(panel, widget.rect().topRight()).x()
            assert right < panel.width() and widget.width() >= widget.minimumSizeHint().width(), widget
    finally:
        app.setStyleSheet("")
        app.setFont(font)


def test_customer_notes_show_as_text_not_markup(qtbot, tab, order):
    with db.write():
        db.execute('UPDATE "order" SET notes = ? WHERE id = ?', ("Size <M> & <b>no</b> bag", order.id))
    scan(qtbot, tab.scan_field, "1001")
    assert "Size &lt;M&gt; &amp; &lt;b&gt;no&lt;/b&gt; bag" in tab.instructions.text()


def test_a_unit_code_typed_by_hand_is_refused_but_an_order_number_may_be_typed(qtbot, tab, order):
    type_by_hand(qtbot, tab.scan_field, "1001")
    assert tab.order_id == order.id
    type_by_hand(qtbot, tab.scan_field, "LAMP-1")  # read off the screen: proves nothing
    assert tab.pending_error.startswith("TYPED, NOT SCANNED") and verified(tab) == [0, 0, 0]
    scan(qtbot, tab.scan_field, "ACK")
    scan(qtbot, tab.scan_field, "LAMP-1")
    assert verified(tab) == [0, 1, 0]
    assert [s.result for s in PackScan.select().order_by(PackScan.id)] == ["keyed", "ok"]
    (row,) = packing.mis_scan_counts()
    assert (row.keyed, row.mis_scans) == (1, 1)


def test_leaving_an_order_with_a_box_open_warns(qtbot, tab, order, world):
    prods = make_products(world, [("MUG", "MUG-1")])
    picked_order(world, "2004", [("MUG", 1, 1)], products=prods)
    scan(qtbot, tab.scan_field, "1001")
    scan(qtbot, tab.scan_field, "LAMP-1")
    scan(qtbot, tab.scan_field, "2004")
    assert tab.view.number == "2004" and tab.banner.state == "warning"
    assert "order 1001 still has box 1 open with 1 unit" in tab.banner.text()
    scan(qtbot, tab.scan_field, "1001")  # back to it: its box is still there, not a new one
    assert tab.banner.state == "ok" and tab.packages.rowCount() == 1


@pytest.mark.parametrize("cost, message", [("abc", "is not an amount"), ("-5", "positive amount"),
                                           ("1e9", "positive amount"), ("nan", "positive amount")])
def test_bad_shipping_cost_is_one_line_and_ships_nothing(qtbot, tab, order, cost, message):
    scan(qtbot, tab.scan_field, "1001")
    for code in ("012345678905", "012345678905", "LAMP-1", "CUP-1", "CUP-1", "CUP-1"):
        scan(qtbot, tab.scan_field, code)
    tab.weight.setValue(2.0)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    tab.cost.setText(cost)
    scan(qtbot, tab.scan_field, "1Z999AA10123456784")
    assert message in tab.status.text() and tab.banner.state == "error" and not tab.pending_error
    assert Order.get_by_id(order.id).status == "packed" and tab.order_id == order.id
    assert Package.get(Package.order == order.id).status == "closed"
    tab.cost.setText("6,50")  # a decimal comma is an amount
    scan(qtbot, tab.scan_field, "1Z999AA10123456784")
    assert Package.get(Package.order == order.id).cost == Decimal("6.50")


def count_statements(qtbot, fn) -> list[str]:
    """The SQL statements ``fn()`` runs, including what the tab does when the change signals
    of its commit arrive (they are queued: the event loop runs them)."""
    statements: list[str] = []
    conn = db.database.obj.connection()
    conn.set_trace_callback(statements.append)
    try:
        fn()
        qtbot.wait(50)  # the queued change signals of the commit
    finally:
        conn.set_trace_callback(None)
    return statements


def test_one_verify_scan_applies_its_outcome_without_reloading_the_order(qtbot, tab, order):
    scan(qtbot, tab.scan_field, "1001")
    # the box exists: the next scan changes no shape; its own change note has come back
    with qtbot.waitSignal(tab.ctx.events.changed, timeout=5000):
        scan(qtbot, tab.scan_field, "LAMP-1")
    qtbot.wait(50)
    statements = count_statements(qtbot, lambda: scan(qtbot, tab.scan_field, "CUP-1"))
    assert verified(tab) == [0, 1, 1] and tab.progress.text() == "2 of 6 verified"
    assert tab.packages.item(0, 4).text() == "2"
    # The product lookup of the scan router, then verify_scan's transaction (BEGIN, the order,
    # the product, its lines with the open box and the unverified total, the package line,
    # the scan, COMMIT): the tab reads nothing back (it used to read the whole order twice,
    # and verify_scan took two more statements: 24 in all).
    assert len(statements) == 8, "\n".join(statements)
    assert statements[1].startswith("BEGIN") and statements[-1] == "COMMIT"


def test_a_change_made_elsewhere_is_read_again(qtbot, tab, order):
    scan(qtbot, tab.scan_field, "1001")
    scan(qtbot, tab.scan_field, "LAMP-1")
    assert packing.verify_scan(order.id, "CUP-1", actor=PACKER).accepted  # another station's scan
    qtbot.waitUntil(lambda: verified(tab) == [0, 1, 1], timeout=2000)
    assert tab.progress.text() == "2 of 6 verified"


def test_a_verify_scan_rewrites_only_its_line_and_the_box_it_went_into(qtbot, tab, order, monkeypatch):
    scan(qtbot, tab.scan_field, "1001")
    with qtbot.waitSignal(tab.ctx.events.changed, timeout=5000):
        scan(qtbot, tab.scan_field, "LAMP-1")  # the box exists: the next scan changes no shape
    qtbot.wait(50)
    written, fills = [], []
    real_set_text = QTableWidgetItem.setText
    monkeypatch.setattr(QTableWidgetItem, "setText", lambda item, text: written.append(
        (item.tableWidget(), item.row(), item.column())) or real_set_text(item, text))
    monkeypatch.setattr(order_view, "fill_table", lambda table, *a, **k: fills.append(table))
    before = verified(tab)
    scan(qtbot, tab.scan_field, "CUP-1")
    assert tab.banner.state == "ok" and fills == []
    row = next(r for r, (a, b) in enumerate(zip(before, verified(tab), strict=True)) if a != b)
    # the line's Verified and To scan, the box's units, nothing else
    assert sorted((t is tab.lines, r, c) for t, r, c in written) == [(False, 0, 4), (True, row, 4), (True, row, 5)]
    assert verified(tab) == [0, 1, 1] and tab.packages.item(0, 4).text() == "2"


def test_another_orders_scan_elsewhere_leaves_the_open_order_as_drawn(qtbot, tab, order, world, monkeypatch):
    other = picked_order(world, "1002", [("MUG", 2, 2)], products=make_products(world, [("MUG", "MUG-1")]))
    scan(qtbot, tab.scan_field, "1001")
    scan(qtbot, tab.scan_field, "LAMP-1")
    qtbot.wait(50)
    reads = []
    real = packing.packing_view
    monkeypatch.setattr(packing, "packing_view", lambda *a, **k: reads.append(a) or real(*a, **k))
    with qtbot.waitSignal(tab.ctx.events.changed, timeout=5000):
        assert packing.verify_scan(other.id, "MUG-1", actor=PACKER).accepted  # another packer's table
    qtbot.wait(50)
    assert reads == [] and tab.order_id == order.id


def test_a_box_opened_at_another_station_shows_with_its_scans(qtbot, tab, order):
    scan(qtbot, tab.scan_field, "1001")  # nothing verified yet: this screen knows no box
    assert tab.view.packages == ()
    assert packing.verify_scan(order.id, "CUP-1", actor=PACKER).accepted  # another station's first box
    qtbot.waitUntil(lambda: verified(tab) == [0, 0, 1], timeout=2000)
    assert tab.progress.text() == "1 of 6 verified"
    assert tab.status.text() == "1 of 6 picked units verified: scan each unit"
    assert packing.verify_scan(order.id, "CUP-1", actor=PACKER).accepted  # its next scan, same box
    qtbot.waitUntil(lambda: verified(tab) == [0, 0, 2], timeout=2000)
    assert tab.packages.item(0, 4).text() == "2"
    assert tab.status.text() == "2 of 6 picked units verified: scan each unit"


def test_the_status_line_counts_each_verified_unit(qtbot, tab, order):
    scan(qtbot, tab.scan_field, "1001")
    assert tab.status.text() == "0 of 6 picked units verified: scan each unit"
    for n, code in enumerate(["LAMP-1", "CUP-1", "CUP-1"], start=1):
        scan(qtbot, tab.scan_field, code)
        assert tab.status.text() == f"{n} of 6 picked units verified: scan each unit"
    for code in ["CUP-1", "012345678905", "012345678905"]:
        scan(qtbot, tab.scan_field, code)
    assert tab.status.text() == "Every picked unit is verified: weigh the box and close it"
    assert ledger.check().ok


def test_a_closed_box_shows_its_type_whole_in_the_packages(qtbot, tab, order):
    """The package row was drawn with "-" for its box; closed into "Medium", the Box column
    widens to show it (it read "Me…" beside an empty Tracking column)."""
    scan(qtbot, tab.scan_field, "1001")
    for code in ("012345678905", "012345678905", "LAMP-1", "CUP-1", "CUP-1", "CUP-1"):
        scan(qtbot, tab.scan_field, code)
    box_column = order_view.PACKAGE_HEADERS.index("Box")
    assert tab.packages.item(0, box_column).text() == "-"  # drawn while the box was open
    tab.box.setCurrentIndex(tab.box.findData("Medium"))
    tab.weight.setValue(2.5)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    assert tab.packages.item(0, box_column).text() == "Medium"
    header = tab.packages.horizontalHeader()
    assert header.sectionSize(box_column) >= tab.packages.sizeHintForColumn(box_column)
