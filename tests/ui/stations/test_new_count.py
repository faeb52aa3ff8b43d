"""A supervisor asks for a count from the window (Counts → New count…): the bins holding a
scanned product, a zone, bins not counted for a while; the new count is then on the station,
and the counter counts it by scanner. A scan never says OK, and a refusal changes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from app import catalog, counting, ledger
from app.store.count_models import CountTask
from tests.support.qt import KeyClock, put_stock
from ui.stations.counting.new_count import NewCountDialog
from ui.stations.counting.tab import CountsDialog


@pytest.fixture
def shelves(small_world):
    tent = catalog.add_product("ACME", "TENT", "Tent", barcodes=["00012345678905"], actor=small_world)
    put_stock(tent.id, "A-01-01", 5, actor=small_world)
    put_stock(tent.id, "A-01-02", 3, actor=small_world)
    return tent


def burst(qtbot, dialog, widget, code: str) -> None:
    """A scanner's burst and its Enter into ``widget`` (5 ms a key)."""
    dialog.guard.clock_ms = KeyClock(5)
    qtbot.keyClicks(widget, code)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_new_count_of_a_scanned_products_bins_goes_onto_the_station(qtbot, make_ctx, shelves, monkeypatch):
    ctx = make_ctx("supervisor", station="receiving")
    counts = CountsDialog(ctx)
    qtbot.addWidget(counts)
    assert counts.approvals is not None
    seen: dict[str, object] = {}

    def supervisor(dialog: NewCountDialog):
        dialog.show()
        dialog.scope.setCurrentIndex(dialog.scope.findData("product"))
        dialog.value.setFocus()
        burst(qtbot, dialog, dialog.value, "00012345678905")  # the product's barcode, scanned
        seen["after scan"] = (dialog.isVisible(), dialog.value.text(), CountTask.select().count())
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(NewCountDialog, "exec", supervisor)
    qtbot.mouseClick(counts.approvals.new_button, Qt.MouseButton.LeftButton)
    assert seen["after scan"] == (True, "00012345678905", 0)  # filled in; nothing asked yet
    station = counts.station
    assert station.task == "CNT000001" and station.bin_code is None
    assert station.banner.text() == "CNT000001: 2 bins to count — scan the first bin"
    assert [station.bins.item(r, 0).text() for r in range(station.bins.rowCount())] == ["A-01-01", "A-01-02"]
    assert counting.counter_view("CNT000001").bins[0].code == "A-01-01"
    # the counter goes on by scanner: the first bin and its five units
    for code in ("A-01-01", "00012345678905", "00012345678905", "00012345678905", "00012345678905",
                 "00012345678905"):
        station.scan_field.clock_ms = lambda: 0
        qtbot.keyClicks(station.scan_field, code)
        qtbot.keyClick(station.scan_field, Qt.Key.Key_Return)
    assert station.pending_error == ""
    assert [(b.code, b.counted) for b in counting.counter_view("CNT000001").bins][0] == ("A-01-01", 5)
    assert ledger.check().ok


def test_a_refused_count_says_why_and_creates_nothing(qtbot, make_ctx, shelves):
    dialog = NewCountDialog(make_ctx("supervisor", station="receiving"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.scope.setCurrentIndex(dialog.scope.findData("zone"))
    assert dialog.value_label.text() == "&Zone" and not dialog.days.isVisibleTo(dialog)
    dialog.value.setFocus()
    burst(qtbot, dialog, dialog.value, "B-09-09-9")  # a scan where a zone is typed: dropped
    assert dialog.value.text() == "" and dialog.note.text().startswith("A scan was ignored")
    dialog.accept()  # no zone typed
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.note.text() == "Type or scan the zone to count"
    qtbot.keyClicks(dialog.value, "Q")
    dialog.accept()
    assert dialog.note.text() == "No bins to count for zone Q" and dialog.created is None
    assert CountTask.select().count() == 0
    dialog.scope.setCurrentIndex(dialog.scope.findData("stale"))
    assert dialog.days.isVisibleTo(dialog) and not dialog.value.isVisibleTo(dialog) and dialog.days.value() == 90
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.created is not None
    assert dialog.created.number == "CNT000001" and "A-01-01" in dialog.created.bins
