"""Start-up builds only the station's own tab; each other tab is built the first time it is shown."""

from __future__ import annotations

from ui.main_window import MainWindow
from ui.stations.inventory.tab import InventoryTab
from ui.stations.receiving.tab import ReceivingTab


def test_only_the_stations_tab_is_built_before_the_window_shows(qtbot, make_ctx):
    w = MainWindow(make_ctx("receiver", station="receiving"))
    qtbot.addWidget(w)
    assert list(dict.items(w.pages)) == [("receiving", w.pages["receiving"])]
    assert isinstance(w.pages["receiving"], ReceivingTab)
    assert w.tabs.currentWidget().widget() is w.pages["receiving"]
    # Showing a tab builds it once, in its frame; showing it again reuses it.
    w.show_tab("inventory")
    built = dict.get(w.pages, "inventory")
    assert isinstance(built, InventoryTab)
    assert w.tabs.currentWidget().widget() is built
    w.show_tab("receiving")
    w.show_tab("inventory")
    assert w.pages["inventory"] is built
    assert sorted(dict.keys(w.pages)) == ["inventory", "receiving"]
