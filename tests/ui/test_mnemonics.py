"""Every Alt+letter of every tab does one thing: no two buttons or labels of a page share a
letter, and none takes the menu bar's (File, View, Help), whose menu would open instead, nor
a digit (Alt+1..8 choose the tab)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTabWidget

from ui.main_window import STATION_TAB_ORDER, MainWindow


def _letter(text: str) -> str | None:
    plain = text.replace("&&", "")
    i = plain.find("&")
    return plain[i + 1].lower() if 0 <= i < len(plain) - 1 else None


@pytest.mark.parametrize("station", sorted(STATION_TAB_ORDER))
def test_alt_letters_are_unique_and_leave_the_menu_bar_its_own(qtbot, make_ctx, station):
    window = MainWindow(make_ctx("supervisor", station=station))
    qtbot.addWidget(window)
    window.resize(1366, 700)
    window.show()
    menu = {_letter(a.text()) for a in window.menuBar().actions()}
    assert menu == {"f", "v", "h"}
    problems = []
    for index, key in enumerate(window.tab_keys):
        window.show_tab(index)
        QApplication.processEvents()
        page = window.pages[key]
        inner = page.findChildren(QTabWidget)  # a tab of pages (Orders & Picking): each page in turn
        for sub in [(t, i) for t in inner for i in range(t.count())] or [(None, 0)]:
            if sub[0] is not None:
                sub[0].setCurrentIndex(sub[1])
                QApplication.processEvents()
            seen: dict[str, list[str]] = {}
            for widget in page.findChildren(QAbstractButton) + page.findChildren(QLabel):
                letter = _letter(widget.text())
                if letter and widget.isVisibleTo(window):
                    seen.setdefault(letter, []).append(widget.text())
            where = key if sub[0] is None else f"{key}/{sub[0].tabText(sub[1])}"
            problems += [f"{where}: Alt+{k} is {v}" for k, v in seen.items() if len(v) > 1 or k in menu or k.isdigit()]
    assert problems == []
