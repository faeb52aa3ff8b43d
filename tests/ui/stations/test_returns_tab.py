"""Returns tab: stock in RETURNS/QUARANTINE is restocked to a bin or scrapped (supervisor)."""

from __future__ import annotations

import pytest

from app import catalog, ledger
from tests.support.qt import put_stock
from ui.stations.returns.tab import RestockRequest, ReturnsTab, ScrapRequest


@pytest.fixture
def returned(small_world):
    p = catalog.add_product("ACME", "TENT-2P", "Two-person tent", actor=small_world)
    q = catalog.add_product("ACME", "LAMP-1", "Headlamp", actor=small_world)
    put_stock(p.id, "RETURNS", 3, actor=small_world, source="CUSTOMER", kind="return")
    put_stock(q.id, "QUARANTINE", 2, actor=small_world, source="CUSTOMER", kind="return")
    return p, q


def make_tab(qtbot, ctx) -> ReturnsTab:
    tab = ReturnsTab(ctx)
    qtbot.addWidget(tab)
    return tab


def test_lists_what_waits(qtbot, ui_ctx, returned):
    tab = make_tab(qtbot, ui_ctx)
    assert [(r.location, r.sku, r.on_hand) for r in tab.rows] == [
        ("QUARANTINE", "LAMP-1", 2), ("RETURNS", "TENT-2P", 3)]
    assert tab.summary.text().startswith("RETURNS: 3 units")
    assert tab.table.rowCount() == 2


def test_restock_to_bin(qtbot, ui_ctx, returned, monkeypatch, message_boxes):
    tent, _lamp = returned
    tab = make_tab(qtbot, ui_ctx)
    assert tab.select("RETURNS", "TENT-2P")
    monkeypatch.setattr(tab, "ask_restock", lambda row: RestockRequest("A-01-02", 2))
    assert tab.restock_selected()
    assert ledger.on_hand(tent.id, "A-01-02") == 2
    assert ledger.on_hand(tent.id, "RETURNS") == 1
    assert [(r.location, r.sku, r.on_hand) for r in tab.rows][1] == ("RETURNS", "TENT-2P", 1)
    assert message_boxes.boxes == []
    # a bin that does not exist: one line, nothing moved
    tab.select("RETURNS", "TENT-2P")
    monkeypatch.setattr(tab, "ask_restock", lambda row: RestockRequest("Z-99", 1))
    assert not tab.restock_selected()
    assert message_boxes.texts("warning") == ["no location 'Z-99'"]
    assert ledger.on_hand(tent.id, "RETURNS") == 1


def test_scrap_needs_a_supervisor(qtbot, make_ctx, returned, monkeypatch, message_boxes):
    _tent, lamp = returned
    tab = make_tab(qtbot, make_ctx("packer", name="Pat Packer"))
    tab.select("QUARANTINE", "LAMP-1")
    asked = []
    monkeypatch.setattr(tab, "ask_scrap", lambda row: asked.append(row) or ScrapRequest(2, "broken"))
    assert not tab.scrap_selected()
    assert asked == []  # refused before the form is filled in
    assert message_boxes.texts("warning") == ["Pat Packer (packer) may not scrap stock: needs supervisor"]
    assert ledger.on_hand(lamp.id, "QUARANTINE") == 2


def test_supervisor_scraps(qtbot, ui_ctx, returned, monkeypatch):
    _tent, lamp = returned
    tab = make_tab(qtbot, ui_ctx)
    tab.select("QUARANTINE", "LAMP-1")
    monkeypatch.setattr(tab, "ask_scrap", lambda row: ScrapRequest(2, "broken"))
    assert tab.scrap_selected()
    assert ledger.on_hand(lamp.id, "QUARANTINE") == 0
    move = ledger.moves_for(product_id=lamp.id, limit=1)[0]
    assert (move.from_location, move.to_location, move.kind, move.reason) == (
        "QUARANTINE", "SCRAP", "scrap", "broken")
    assert [r.sku for r in tab.rows] == ["TENT-2P"]
