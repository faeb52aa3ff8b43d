"""The main window builds all its tabs in the station's order and shows who/where/which db."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ui import lazy
from ui.main_window import STATION_TAB_ORDER, TABS, MainWindow
from ui.stations.inventory.tab import InventoryTab
from ui.stations.reports.tab import ReportsTab
from ui.stations.returns.tab import ReturnsTab

ALL_TITLES = {"Receiving", "Inventory", "Orders & Picking", "Packing", "Returns", "Reports", "Clients",
              "Billing"}


def window(qtbot, ctx) -> MainWindow:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    return w


@pytest.mark.parametrize("station,first", [("receiving", "Receiving"), ("packer", "Packing"),
                                           ("supervisor", "Reports")])
def test_all_tabs_in_station_order(qtbot, make_ctx, station, first):
    w = window(qtbot, make_ctx("supervisor", station=station))
    titles = w.tab_titles()
    assert set(titles) == ALL_TITLES and len(titles) == 8
    assert titles[0] == first
    assert w.tabs.currentIndex() == 0
    assert w.tab_keys == list(STATION_TAB_ORDER[station])


def test_own_tabs_are_real_widgets(qtbot, ui_ctx):
    w = window(qtbot, ui_ctx)
    assert isinstance(w.pages["inventory"], InventoryTab)
    assert isinstance(w.pages["returns"], ReturnsTab)
    assert isinstance(w.pages["reports"], ReportsTab)


def test_switching_to_inventory_puts_the_cursor_in_its_search_box(qtbot, make_ctx):
    w = window(qtbot, make_ctx("packer", station="packer"))
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.show_tab("inventory")
    qtbot.waitUntil(lambda: w.pages["inventory"].search.hasFocus())


def test_every_tab_class_is_imported_by_name():
    # Tab modules are imported on first show (ui.lazy): each name must lead to its class.
    assert {key: lazy.attribute(spec).__name__ for key, (_title, spec) in TABS.items()} == {
        "receiving": "ReceivingTab", "inventory": "InventoryTab", "orders": "OrdersTab",
        "packing": "PackingTab", "returns": "ReturnsTab", "reports": "ReportsTab", "clients": "ClientsTab",
        "billing": "BillingTab"}


def test_alt_number_switches_tabs(qtbot, make_ctx):
    w = window(qtbot, make_ctx("packer", station="packer"))
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    # a packer's four tabs: packing, orders & picking, inventory, the returns desk
    assert [a.shortcut().toString() for a in w.tab_actions] == [f"Alt+{i}" for i in range(1, 5)]
    w.tab_actions[2].trigger()
    assert w.current_key() == "inventory"
    qtbot.keyClick(w, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert w.current_key() == "packing"


@pytest.mark.parametrize(("role", "station", "keys"), [
    ("supervisor", "packer", ["packing", "orders", "inventory", "returns", "receiving", "reports", "clients", "billing"]),
    ("receiver", "receiving", ["receiving", "inventory", "returns"]),
    ("receiver", "packer", ["inventory", "returns", "receiving"]),
    ("packer", "packer", ["packing", "orders", "inventory", "returns"]),
    ("packer", "receiving", ["inventory", "returns", "orders", "packing"]),
    ("automation", "supervisor", ["reports", "inventory", "orders"]),
])
def test_each_role_gets_only_the_tabs_it_works_in(qtbot, make_ctx, role, station, keys):
    w = window(qtbot, make_ctx(role, station=station))
    assert w.tab_keys == keys and list(w.pages) == keys
    assert len(w.tab_actions) == len(keys)


def test_a_packer_is_offered_no_restock_and_no_stock_moves(qtbot, make_ctx):
    """Damaged units in QUARANTINE cannot be restocked from a packer's screen: the Returns tab
    is only the returns desk (its Restock and Scrap of staged stock are hidden), the
    inventory's Adjust and Transfer are hidden, Allocate/Import/New/Cancel too."""
    w = window(qtbot, make_ctx("packer", station="packer"))
    ret = w.pages["returns"]
    assert ret.restock_button.isHidden() and not ret.restock_button.isEnabled()
    assert ret.scrap_button.isHidden() and not ret.scrap_button.isEnabled()
    inv = w.pages["inventory"]
    assert inv.adjust_button.isHidden() and inv.transfer_button.isHidden()
    page = w.pages["orders"].orders_page
    for button in (page.allocate_button, page.new_button, page.import_button, page.cancel_button):
        assert button.isHidden() and not button.isEnabled()
    assert page.allocate_button.toolTip() == "Only a supervisor or automation may allocate orders."


def test_status_bar_and_menu(qtbot, make_ctx, sqlite_database):
    w = window(qtbot, make_ctx("packer", station="packer", name="Pat Packer"))
    text = w.status_text()
    assert "User: Pat Packer (packer)" in text
    assert "Station: Packer workstation" in text
    assert f"Database: {sqlite_database.url}" in text
    assert w.settings_action.shortcut().toString() == "Ctrl+,"
    assert w.quit_action.shortcut().toString() == "Ctrl+Q"
    got = []
    w.logout_requested.connect(lambda: got.append(1))
    w.logout_action.trigger()
    assert got == [1]


def test_station_change_reorders_tabs(qtbot, make_ctx, ui_settings):
    w = window(qtbot, make_ctx("supervisor", station="receiving"))
    inventory_page = w.pages["inventory"]
    w.show_tab("reports")
    ui_settings.station_kind = "packer"
    w.apply_station_order()
    assert w.tab_keys == list(STATION_TAB_ORDER["packer"])
    assert w.tab_titles()[0] == "Packing" and w.tabs.currentIndex() == 0
    assert w.page_at(w.tab_keys.index("inventory")) is inventory_page
    assert w.tabs.widget(w.tab_keys.index("inventory")).widget() is inventory_page
    assert w.tab_actions[1].text() == "2  Orders && Picking"
    assert w.station_label.text() == "Station: Packer workstation"


def test_saving_settings_without_a_station_change_keeps_the_current_tab(qtbot, make_ctx, ui_settings):
    w = window(qtbot, make_ctx("supervisor", station="packer"))
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.show_tab("inventory")
    ui_settings.label_printer = "zpl://10.0.0.5:9100"  # what the dialog changed
    w.apply_station_order()
    assert w.current_key() == "inventory"
    assert w.tab_keys == list(STATION_TAB_ORDER["packer"])
    qtbot.waitUntil(lambda: w.pages["inventory"].search.hasFocus())


def test_settings_menu_opens_the_dialog(qtbot, ui_ctx, message_boxes):
    w = window(qtbot, ui_ctx)
    w.settings_action.trigger()
    assert message_boxes.dialogs == ["SettingsDialog"]


def test_window_fits_a_small_screen(qtbot, ui_ctx):
    w = window(qtbot, ui_ctx)
    hint = w.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 720  # pages scroll instead
