"""The Inventory tab's near-expiry list follows the days chosen and the client filter."""

from __future__ import annotations

import datetime as dt

from app import catalog, ledger
from app.store import db
from ui.stations.inventory.tab import InventoryTab


def put_lot(product_id, bin_code, qty, lot, expiry, actor):
    with db.write():
        ledger.register_lot(product_id, lot, expiry)
        ledger.apply_move(product_id, ledger.location("SUPPLIER").id, ledger.location(bin_code).id, qty,
                          kind="receive", actor=actor, reason="test stock", lot=lot)


def rows(table):
    return [tuple(table.item(r, c).text() for c in range(table.columnCount())) for r in range(table.rowCount())]


def test_expiring_list_follows_days_and_client(qtbot, ui_ctx, small_world, frozen_clock):
    vit = catalog.add_product("ACME", "VITAMIN-C", "Vitamin C", track_lot=True, track_expiry=True,
                              actor=small_world)
    put_lot(vit.id, "A-01-01", 4, "A", dt.date(2026, 3, 12), small_world)
    put_lot(vit.id, "A-01-01", 6, "B", dt.date(2026, 9, 18), small_world)
    catalog.add_client("NOVA", "Nova Gadgets")
    tab = InventoryTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.refresh()
    box = tab.expiring
    assert rows(box.table) == [("ACME", "A-01-01", "VITAMIN-C", "A", "2026-03-12", "10", "4")]
    box.days.setValue(365)
    assert [r[3] for r in rows(box.table)] == ["A", "B"]
    tab.client.setCurrentIndex(tab.client.findData("NOVA"))
    assert rows(box.table) == []


def test_expiring_list_is_filled_when_the_tab_is_first_shown(qtbot, ui_ctx, small_world, frozen_clock):
    vit = catalog.add_product("ACME", "VITAMIN-C", "Vitamin C", track_lot=True, track_expiry=True,
                              actor=small_world)
    put_lot(vit.id, "A-01-01", 4, "A", dt.date(2026, 3, 12), small_world)
    tab = InventoryTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    assert rows(tab.expiring.table) == [("ACME", "A-01-01", "VITAMIN-C", "A", "2026-03-12", "10", "4")]
