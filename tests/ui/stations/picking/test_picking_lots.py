"""The picking panel with lots: the stop names the lot and "EXP MM-DD-YYYY" to take, a GS1
scan of another lot is refused, and a supervisor's signature swaps the lot (pytest-qt)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app import orders, picking
from app.catalog import users
from app.orders import allocation
from app.store.models import AuditEvent, PickLine, StockMove
from tests.app.picking.test_fefo import GTIN, LATE, SOON, balances, gs1, put
from tests.support.qt import KeyClock, shown
from tests.ui.widgets.test_scan_field import scan_gs1
from ui.stations.picking.lot_swap import SwapLotDialog, SwapRequest
from ui.stations.picking.tab import PickingPanel


@pytest.fixture
def lots(frozen_clock, sqlite_world):
    world = sqlite_world
    vit = world.product("VITAMIN-C", barcode=GTIN, track_lot=True, track_expiry=True)
    put(world, vit.id, "A-01-01", 5, "LATE", LATE)
    put(world, vit.id, "A-02-01", 4, "LATE", LATE)
    put(world, vit.id, "A-02-01", 3, "SOON", SOON)
    ref = orders.create_order("ACME", "5001", [("VITAMIN-C", 2)], actor=world.actor)
    allocation.allocate_orders(actor=world.actor, order_ids=[ref.id])
    users.create_user("Sam", "supervisor", "1111", actor=world.actor)
    return world, vit.id, picking.create_picklist(actor=world.actor)


@pytest.fixture
def panel(qtbot, lots, make_ctx):
    return shown(qtbot, PickingPanel(make_ctx("packer", name="pat")))


def scan(qtbot, panel, code: str) -> None:
    qtbot.keyClicks(panel.scan_field, code)
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)


def test_the_stop_names_the_lot_and_a_wrong_lot_scan_is_refused_then_swapped(qtbot, panel, lots):
    world, vit, ref = lots
    scan(qtbot, panel, ref.number)
    assert panel.stop_bin.text() == "A-02-01"
    assert panel.stop_frame.lot.isVisible()
    assert panel.stop_frame.lot.text() == "Take lot SOON EXP 05-31-2026"
    lot_column = panel.stops.columnCount() - 1
    assert panel.stops.horizontalHeaderItem(lot_column).text() == "Lot / expiry"
    assert panel.stops.item(0, lot_column).text() == "lot SOON EXP 05-31-2026"
    scan(qtbot, panel, "A-02-01")
    assert panel.step == "item"
    assert "lot SOON EXP 05-31-2026" in panel.banner.text()

    asked = []
    panel.ask_swap = lambda refusal: asked.append(refusal) or None  # the picker says no
    moves = StockMove.select().count()
    scan_gs1(qtbot, panel.scan_field, gs1("LATE", LATE))
    assert panel.banner.state == "error"
    assert panel.banner.text() == "wrong lot LATE of VITAMIN-C: take lot SOON EXP 05-31-2026 from A-02-01"
    assert "error" in panel.ctx.feedback.played
    assert [(r.lot, r.allocated) for r in asked] == [("LATE", "SOON")]
    assert panel.step == "item" and StockMove.select().count() == moves
    assert PickLine.get().lot == "SOON"

    # again, and this time the supervisor signs at the picker's station: lot LATE is taken
    panel.ask_swap = lambda refusal: SwapRequest("Sam", "1111")
    scan_gs1(qtbot, panel.scan_field, gs1("LATE", LATE))
    assert PickLine.get().lot == "LATE"
    assert AuditEvent.get(AuditEvent.kind == "lot_swapped").user_name == "Sam"
    assert panel.stop_frame.lot.text() == "Take lot LATE EXP 09-30-2026"
    assert panel.step == "tote"  # the scan was taken again: the unit in hand is the one to take
    scan_gs1(qtbot, panel.scan_field, gs1("LATE", LATE))
    scan(qtbot, panel, "T1")
    assert panel.banner.state == "ok", panel.banner.text()
    assert balances(vit)[("PACKING", "LATE")] == (2, 0)
    assert balances(vit)[("A-02-01", "SOON")] == (3, 0)


def test_the_swap_dialog_is_keyboard_reachable(qtbot, lots):
    refusal = picking.WrongLot("wrong lot LATE of VITAMIN-C: take lot SOON EXP 05-31-2026 from A-02-01",
                               line_id=1, lot="LATE", allocated="SOON")
    dialog = SwapLotDialog(refusal, signed=False)
    qtbot.addWidget(dialog)
    dialog.guard.clock_ms = KeyClock(150)  # a person's keys
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.supervisor.setFocus()
    qtbot.keyClicks(dialog.supervisor, "Sam")
    qtbot.keyClick(dialog.supervisor, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.focusWidget(), "1111")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.request() == SwapRequest("Sam", "1111")


def _refusal() -> picking.WrongLot:
    return picking.WrongLot("wrong lot LATE of VITAMIN-C: take lot SOON EXP 05-31-2026 from A-02-01",
                            line_id=1, lot="LATE", allocated="SOON")


def test_a_scan_never_says_yes_in_a_supervisors_own_swap_dialog(qtbot):
    dialog = SwapLotDialog(_refusal(), signed=True)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClicks(dialog.focusWidget() or dialog, "00000000100014")  # the next unit, scanned
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0  # neither taken nor refused
    assert dialog.focusWidget().text() == "&Take lot LATE"
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Space)  # the supervisor's yes
    assert dialog.result() == dialog.DialogCode.Accepted


def test_a_badge_scanned_at_a_pickers_station_signs_the_swap(qtbot):
    dialog = SwapLotDialog(_refusal(), signed=False)
    qtbot.addWidget(dialog)
    dialog.guard.clock_ms = KeyClock(5)  # the scanner's keys
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.supervisor.setFocus()
    qtbot.keyClicks(dialog.supervisor, "BADGE-SUP-1")
    qtbot.keyClick(dialog.supervisor, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.request() == SwapRequest("BADGE-SUP-1", "")
