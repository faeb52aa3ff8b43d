"""A tab chosen with the mouse takes the cursor from the tab bar into the page, so the keys
the page names (Show (F5), Refresh (F5)) work at once, as they do after Alt+number."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTabWidget

from tests.app.billing.history import EXPECTED_TOTAL, FIRST, LAST, build_history
from ui.main_window import MainWindow


def _click_tab(qtbot, tabs: QTabWidget, index: int) -> None:
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())


def test_f5_shows_the_statement_right_after_the_billing_tab_is_clicked(qtbot, make_ctx, sqlite_world,
                                                                      frozen_clock):
    build_history(sqlite_world, frozen_clock)
    window = MainWindow(make_ctx("supervisor", station="receiving"))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.tabs.tabBar().setFocus()  # where a click on a tab leaves the cursor
    billing = window.pages["billing"]
    _click_tab(qtbot, window.tabs, window.tab_keys.index("billing"))
    focused = QApplication.focusWidget()
    assert focused is not None and billing.isAncestorOf(focused)
    billing.set_period(FIRST, LAST)
    qtbot.keyClick(focused, Qt.Key.Key_F5)
    assert billing.busy  # the shortcut fired
    qtbot.waitUntil(lambda: not billing.busy, timeout=10_000)
    assert billing.total.text() == f"Total: {EXPECTED_TOTAL} USD"


def test_an_orders_page_clicked_takes_the_cursor_too(qtbot, make_ctx, sqlite_world):
    window = MainWindow(make_ctx("supervisor", station="receiving"))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    _click_tab(qtbot, window.tabs, window.tab_keys.index("orders"))
    orders = window.pages["orders"]
    orders.tabBar().setFocus()
    _click_tab(qtbot, orders, orders.indexOf(orders.backorders_page))
    focused = QApplication.focusWidget()
    assert focused is not None and orders.backorders_page.isAncestorOf(focused)
    _click_tab(qtbot, orders, orders.indexOf(orders.picking))  # its scan field, as always
    qtbot.waitUntil(lambda: QApplication.focusWidget() is orders.picking.scan_field)
    _click_tab(qtbot, window.tabs, window.tab_keys.index("reports"))
    _click_tab(qtbot, window.tabs, window.tab_keys.index("orders"))  # back to its page shown
    qtbot.waitUntil(lambda: QApplication.focusWidget() is orders.picking.scan_field)
