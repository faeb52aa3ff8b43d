"""The audit log's Document filter in the window: a document's number scanned into it finds
that document's events; a word that is neither a number nor a kind is told in one line."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.support import floor_history
from tests.support.qt import keys
from ui.main_window import MainWindow


def test_a_scanned_document_number_finds_its_events(qtbot, make_ctx, sqlite_world, frozen_clock):
    floor_history.build(sqlite_world, frozen_clock)
    window = MainWindow(make_ctx("supervisor", station="supervisor"))
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_tab("reports")
    tab = window.pages["reports"]
    tab.show_section("audit")
    audit = tab.audit
    qtbot.waitUntil(lambda: not audit.loading)
    audit.document.setFocus()
    keys(qtbot, window.stray_scans["reports"], audit.document, "PL000003", 5)  # a scanner: Enter ends it
    qtbot.waitUntil(lambda: not audit.loading)
    assert audit.document.text() == "PL000003"
    assert "Scan here does nothing" not in window.statusBar().currentMessage()
    assert [r[4] for r in audit.model.rows_text()] == ["picklist PL000003", "picklist PL000003"]
    assert audit.page_label.text() == "Page 1 of 1 (2 events)"
    audit.document.clear()
    qtbot.keyClicks(audit.document, "nonsense")
    qtbot.keyClick(audit.document, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not audit.loading)
    assert audit.page_label.text() == (
        "'nonsense' is no document's number nor a kind: type a number (1001), "
        "a kind (count, order, package, picklist, receipt, return) or both (order 1001)")
