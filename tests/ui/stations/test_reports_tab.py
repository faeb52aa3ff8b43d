"""Reports tab: ledger check on a worker thread, moves per kind today, orders by status."""

from __future__ import annotations

from app import catalog, inventory
from tests.support.qt import put_stock
from ui.stations.reports.tab import ReportsTab


def test_figures_and_check(qtbot, ui_ctx, small_world):
    p = catalog.add_product("ACME", "TENT-2P", "Two-person tent", actor=small_world)
    put_stock(p.id, "A-01-01", 10, actor=small_world)
    inventory.transfer(p.id, "A-01-01", "A-01-02", 4, actor=small_world)
    inventory.transfer(p.id, "A-01-01", "A-02-01", 1, actor=small_world)
    tab = ReportsTab(ui_ctx)
    qtbot.addWidget(tab)
    rows = [[tab.moves_table.item(r, c).text() for c in range(3)]
            for r in range(tab.moves_table.rowCount())]
    assert rows == [["transfer", "2", "5"], ["receive", "1", "10"]]
    assert tab.orders_table.rowCount() == 0
    assert {k: v.text() for k, v in tab.tiles.items()} == {
        "in_bins": "10", "available": "10", "reserved": "0", "receiving": "0", "packing": "0",
        "returns": "0", "products_out": "0"}
    assert not tab.orders_empty.isHidden()

    tab.run_check()
    assert tab.check_running
    qtbot.waitUntil(lambda: not tab.check_running, timeout=10_000)
    assert tab.last_check is not None and tab.last_check.ok
    assert tab.check_result.text() == "OK — 3 moves and 3 balances agree."


def test_orders_by_status(qtbot, ui_ctx, small_world):
    from app.store.models import Client, Order

    client = Client.get(Client.code == "ACME")
    for number, status in (("1001", "new"), ("1002", "new"), ("1003", "backordered")):
        Order.create(client=client, number=number, status=status)
    tab = ReportsTab(ui_ctx)
    qtbot.addWidget(tab)
    rows = [[tab.orders_table.item(r, c).text() for c in range(2)]
            for r in range(tab.orders_table.rowCount())]
    assert rows == [["Back-ordered", "1"], ["New", "2"]]  # statuses in words
    assert tab.orders_empty.isHidden()


def test_check_runs_when_first_shown(qtbot, ui_ctx, small_world):
    tab = ReportsTab(ui_ctx)
    qtbot.addWidget(tab)
    assert tab.last_check is None
    tab.show()
    qtbot.waitUntil(lambda: tab.last_check is not None, timeout=10_000)
    assert tab.last_check.ok
    assert tab.check_result.text().startswith("OK — 0 moves")


def test_the_automatic_check_reads_only_the_moves_since_the_last_one(qtbot, ui_ctx, small_world):
    p = catalog.add_product("ACME", "TENT-3P", "Three-person tent", actor=small_world)
    put_stock(p.id, "A-01-01", 10, actor=small_world)
    tab = ReportsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: tab.last_check is not None and not tab.check_running, timeout=10_000)
    assert tab.last_check.full  # nothing checked before: the first one reads everything
    tab.hide()
    inventory.transfer(p.id, "A-01-01", "A-01-02", 4, actor=small_world)
    tab.on_data_changed()
    first = tab.last_check
    tab.show()
    qtbot.waitUntil(lambda: tab.last_check is not first and not tab.check_running, timeout=10_000)
    assert (tab.last_check.ok, tab.last_check.full, tab.last_check.new_moves) == (True, False, 1)
    assert tab.check_result.text() == "OK — 2 moves and 2 balances agree (1 new since the last check)."
    # The button checks everything.
    tab.check_button.click()
    qtbot.waitUntil(lambda: not tab.check_running, timeout=10_000)
    assert tab.last_check.full and tab.check_result.text() == "OK — 2 moves and 2 balances agree."
