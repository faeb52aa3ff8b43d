"""ui.widgets.common.RefreshWhenShown as the tabs use it: data changed while hidden refreshes once on show."""

from __future__ import annotations

import pytest

from ui.stations.inventory.tab import InventoryTab
from ui.stations.reports.tab import ReportsTab
from ui.stations.returns.tab import ReturnsTab


@pytest.mark.parametrize("cls", [InventoryTab, ReturnsTab, ReportsTab])
def test_tab_refreshes_now_when_shown_else_when_next_shown(qtbot, ui_ctx, small_world, cls, monkeypatch):
    tab = cls(ui_ctx)
    qtbot.addWidget(tab)
    if cls is ReportsTab:
        tab.auto_check = False
    calls = []
    orig = tab.refresh
    monkeypatch.setattr(tab, "refresh", lambda: (calls.append(1), orig()))
    ui_ctx.events.stock_changed.emit()
    assert calls == [] and tab._dirty
    tab.show()
    qtbot.waitExposed(tab)
    assert calls == [1] and not tab._dirty
    ui_ctx.events.stock_changed.emit()
    assert calls == [1, 1]
    tab.hide()
    tab.show()
    assert calls == [1, 1]
