"""The picking panel at the tote step: another code of the units in hand is one more unit,
and a long number is a refused tote, not a crash (pytest-qt, scans typed key by key)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app import ledger
from tests.app.picking.test_fefo import GS
from tests.app.picking.test_pick_scan_codes import FNSKU, LOT_GTIN, UPC, make_gloves
from tests.support.qt import shown
from tests.ui.widgets.test_scan_field import scan_gs1
from ui.stations.picking.tab import PickingPanel


@pytest.fixture
def gloves(frozen_clock, sqlite_world):
    return make_gloves(sqlite_world)


@pytest.fixture
def panel(qtbot, gloves, make_ctx):
    return shown(qtbot, PickingPanel(make_ctx("packer", name="pat")))


def scan(qtbot, panel, code: str) -> None:
    qtbot.keyClicks(panel.scan_field, code)
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)


def test_upc_then_fnsku_then_gs1_of_one_product_count_as_units_in_hand(qtbot, panel, gloves):
    _world, gloves_id, _vit, ref = gloves
    scan(qtbot, panel, ref.number)
    scan(qtbot, panel, "A-01-01")
    scan(qtbot, panel, UPC)
    assert panel.step == "tote" and panel.stop_sku.text() == "GLOVES"
    scan(qtbot, panel, FNSKU)
    assert panel.banner.state == "ok" and panel.qty.value() == 2
    scan(qtbot, panel, f"]C101{UPC}")  # the same GTIN as GS1 (the field drops the AIM prefix)
    assert panel.banner.state == "ok" and panel.qty.value() == 3
    assert panel.ctx.feedback.played[-2:] == ["ok", "ok"]
    assert panel.prompt.text() == "Step 3 of 3 — scan the TOTE · 3 in hand"
    scan(qtbot, panel, "T1")
    assert panel.banner.state == "ok", panel.banner.text()
    assert panel.banner.text().startswith("Picked 3 × GLOVES → tote 1.")
    assert ledger.on_hand(gloves_id, "PACKING") == 3
    assert "error" not in panel.ctx.feedback.played
    assert ledger.check().ok


def test_serialised_gs1_units_of_one_lot_and_a_long_number_at_the_tote_step(qtbot, panel, gloves):
    _world, gloves_id, vit, ref = gloves
    scan(qtbot, panel, ref.number)
    scan(qtbot, panel, "A-01-01")
    scan(qtbot, panel, UPC)
    # a 26-digit GS1 code of another product, then a 20-digit "tote": refused in one line each
    scan(qtbot, panel, f"]C101{LOT_GTIN}17271231")
    assert panel.banner.state == "error"
    assert panel.banner.text() == f"tote must be a number like 3 or T3, not '01{LOT_GTIN}17271231'"
    scan(qtbot, panel, "99999999999999999999")
    assert panel.banner.text() == "tote must be a number like 3 or T3, not '99999999999999999999'"
    assert "Something went wrong" not in panel.banner.text() and panel.step == "tote"
    scan(qtbot, panel, f"]C101{UPC}17271231")  # the all-digit GS1 code of the units in hand
    assert panel.ctx.feedback.played[-1] == "ok" and panel.qty.value() == 2
    scan(qtbot, panel, "T1")
    assert ledger.on_hand(gloves_id, "PACKING") == 2
    # gloves left for tote 1: 3; then VITAMIN-C by serialised units of lot L1
    scan(qtbot, panel, UPC)
    key = panel.qty
    key.selectAll()
    qtbot.keyClicks(key, "3")
    scan(qtbot, panel, "T1")
    assert panel.stop_sku.text() == "VITAMIN-C" and panel.step == "item"
    scan_gs1(qtbot, panel.scan_field, f"]C101{LOT_GTIN}21SN001{GS}10L1")
    assert panel.step == "tote"
    scan_gs1(qtbot, panel.scan_field, f"]C101{LOT_GTIN}21SN002{GS}10L1")
    assert panel.ctx.feedback.played[-1] == "ok" and panel.qty.value() == 2
    scan_gs1(qtbot, panel.scan_field, f"]C101{LOT_GTIN}21SN003{GS}10L2")  # another lot
    assert panel.banner.state == "error"
    assert panel.banner.text() == ("that is VITAMIN-C lot L2, with 2 units in hand of lot L1: "
                                   "put them into a tote first")
    assert "\x1d" not in panel.banner.text() and "\\x1d" not in panel.banner.text()
    scan(qtbot, panel, "T1")
    assert panel.banner.state == "ok", panel.banner.text()
    assert ledger.on_hand(vit, "PACKING") == 2
    assert ledger.check().ok
