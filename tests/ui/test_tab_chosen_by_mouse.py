"""A tab chosen with the mouse takes the cursor from the tab bar into the page, so the keys
the page names (Show (F5), Refresh (F5)) work at once, as they do after Alt+number."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTabBar

from tests.app.billing.history import EXPECTED_TOTAL, FIRST, LAST, build_history
from ui.main_window import MainWindow


def _click_tab(qtbot, bar: QTabBar, title: str) -> None:
    shown = [bar.tabText(i).replace("&&", "\0").replace("&", "").replace("\0", "&") for i in range(bar.count())]
    index = shown.index(title)
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
    _click_tab(qtbot, window.tabs.tabBar(), "Billing")
    billing = window.pages["billing"]
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
    _click_tab(qtbot, window.tabs.tabBar(), "Orders & Picking")
    orders = window.pages["orders"]
    inner = orders.tabBar()
    inner.setFocus()
    _click_tab(qtbot, inner, "Back-orders")
    focused = QApplication.focusWidget()
    assert focused is not None and orders.backorders_page.isAncestorOf(focused)
    _click_tab(qtbot, inner, "Pick lists")  # its scan field, as always
    qtbot.waitUntil(lambda: QApplication.focusWidget() is orders.picking.scan_field)
    _click_tab(qtbot, window.tabs.tabBar(), "Reports")
    _click_tab(qtbot, window.tabs.tabBar(), "Orders & Picking")  # back to its page shown
    qtbot.waitUntil(lambda: QApplication.focusWidget() is orders.picking.scan_field)
