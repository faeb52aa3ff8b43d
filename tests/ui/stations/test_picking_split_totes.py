"""A stop split over totes, driven like a scanner: the units in hand are remembered from one
tote to the next, each tote takes what it needs, and the screen says what to do next."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app import ledger, picking
from tests.app.picking.test_picking import Wave, expected_stops
from tests.support.qt import shown
from ui.stations.picking.tab import PickingPanel


@pytest.fixture
def wave(frozen_clock, sqlite_world):
    w = Wave(sqlite_world)
    w.allocate()
    return w


@pytest.fixture
def panel(qtbot, wave, make_ctx):
    return shown(qtbot, PickingPanel(make_ctx("packer", name="pat")))


def scan(qtbot, panel, code: str) -> None:
    qtbot.keyClicks(panel.scan_field, code)
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)


def test_units_in_hand_go_tote_by_tote(qtbot, panel, wave):
    bin_code, sku, total, totes = expected_stops()[0]
    assert (bin_code, total, totes) == ("C-01-01", 3, ((1, 2), (2, 1)))
    ref = picking.create_picklist(actor=wave.actor)
    scan(qtbot, panel, ref.number)
    scan(qtbot, panel, bin_code)
    for _ in range(3):  # all three units of the stop in hand
        scan(qtbot, panel, f"BC-{sku}")
    assert panel.qty.value() == 3
    scan(qtbot, panel, "T2")  # T2 needs 1 of the 3: it takes 1
    assert panel.banner.state == "ok", panel.banner.text()
    assert panel.banner.text() == f"Picked 1 × {sku} → tote 2. 2 still in hand: scan tote T1 × 2"
    assert panel.step == "tote" and panel.qty.value() == 2
    assert "2 in hand" in panel.prompt.text()
    scan(qtbot, panel, "T1")  # the other two, remembered
    assert panel.banner.state == "ok", panel.banner.text()
    assert panel.banner.text().startswith(f"Picked 2 × {sku} → tote 1. Next: ")
    assert panel.step == "bin"
    assert ledger.on_hand(wave.products[sku], "PACKING") == 3
    view = picking.picklist_view(ref.id)
    first = view.stops[0]
    assert [(t.tote, t.picked) for t in first.totes] == [(1, 2), (2, 1)]
    assert ledger.check().ok


def test_two_in_hand_for_a_tote_needing_one_takes_one(qtbot, panel, wave):
    bin_code, sku, _total, _totes = expected_stops()[0]
    ref = picking.create_picklist(actor=wave.actor)
    scan(qtbot, panel, ref.number)
    scan(qtbot, panel, bin_code)
    scan(qtbot, panel, f"BC-{sku}")
    scan(qtbot, panel, f"BC-{sku}")
    scan(qtbot, panel, "T2")
    assert "error" not in panel.ctx.feedback.played  # no "needs 1, not 2"
    assert panel.step == "tote" and panel.qty.value() == 1
    scan(qtbot, panel, "T1")  # not "wrong item T1": the unit in hand goes in
    assert panel.banner.state == "ok", panel.banner.text()
    # T1 needs one more: scan the item
    assert panel.step == "item"
    first = picking.picklist_view(ref.id).stops[0]
    assert [(t.tote, t.picked, t.remaining) for t in first.totes] == [(1, 1, 1), (2, 1, 0)]
    assert ledger.check().ok


def test_qty_and_cancel_from_the_command_sheet(qtbot, panel, wave):
    bin_code, sku, _total, _totes = expected_stops()[0]
    ref = picking.create_picklist(actor=wave.actor)
    scan(qtbot, panel, ref.number)
    scan(qtbot, panel, bin_code)
    scan(qtbot, panel, f"BC-{sku}")
    scan(qtbot, panel, "%CMD-QTY-2")
    assert panel.qty.value() == 2 and panel.step == "tote"
    scan(qtbot, panel, "%CMD-CANCEL")  # start the stop over: nothing picked
    assert panel.step == "bin" and panel.qty.value() == 1
    assert ledger.on_hand(wave.products[sku], "PACKING") == 0
