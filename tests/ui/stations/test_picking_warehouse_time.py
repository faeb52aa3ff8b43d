"""The Pick lists panel in the warehouse's time zone: the lists' and short picks' times, and
the New wave dialog's "due on or before" day (pytest-qt; the clock and zone are set)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt

from app import picking
from app.kernel import clock
from tests.app.picking.test_picking import Wave
from ui.stations.picking.dialogs import WaveDialog
from ui.stations.picking.tab import PickingPanel

# 02:12 on 6 December in UTC is 18:12 on 5 December in Los Angeles
EVENING_UTC = dt.datetime(2026, 12, 6, 2, 12)


@pytest.fixture
def pacific(frozen_clock, sqlite_world):
    clock.set_zone("America/Los_Angeles")
    frozen_clock.current = EVENING_UTC
    w = Wave(sqlite_world)
    w.allocate()
    return w


def test_list_and_short_pick_times_are_the_warehouses(qtbot, pacific, make_ctx):
    ref = picking.create_picklist(actor=pacific.actor)
    picking.short_pick(ref.id, bin_code="C-01-01", product="SKU-H", qty_short=1, reason="short",
                       actor=pacific.actor)
    panel = PickingPanel(make_ctx("supervisor"))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.lists.horizontalHeaderItem(5).text() == "Created"
    assert (panel.lists.item(0, 0).text(), panel.lists.item(0, 5).text()) == (ref.number, "2026-12-05 18:12")
    assert panel.exceptions.horizontalHeaderItem(0).text() == "When"
    assert panel.exceptions.item(0, 0).text() == "2026-12-05 18:12"


def test_the_wave_dialogs_ship_by_day_is_the_warehouses_today(qtbot, pacific):
    dialog = WaveDialog(["ACME"], count=lambda *filters: 0)
    qtbot.addWidget(dialog)
    assert dialog.ship_by.date() == QDate(2026, 12, 5)
    dialog.use_ship_by.setFocus()
    qtbot.keyClick(dialog.use_ship_by, Qt.Key.Key_Space)
    assert dialog.use_ship_by.isChecked() and dialog.request().ship_by == dt.date(2026, 12, 5)
