"""What the picking panel redraws: a scan on another pick list refreshes the table of lists, not
the walk open on this screen; its own pick redraws one row, the lists once scanning pauses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem

from app import picking
from app.kernel import states
from tests.app.picking.test_picking import Wave
from ui.stations.picking import tab
from ui.stations.picking.tab import PickingPanel

real_set_text = QTableWidgetItem.setText


@pytest.fixture
def wave(frozen_clock, sqlite_world):
    w = Wave(sqlite_world)
    w.allocate(["1001", "1002"])
    return w


def test_a_pick_on_another_list_does_not_reload_the_open_walk(qtbot, wave, make_ctx, monkeypatch):
    mine = picking.create_picklist(actor=wave.actor, max_orders=1)
    wave.allocate(["1003", "1004", "1005"])
    other = picking.create_picklist(actor=wave.actor)
    panel = PickingPanel(make_ctx("packer", name="ann"))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.keyClicks(panel.scan_field, mine.number)
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)
    assert panel.picklist_id == mine.id
    views = []
    real_view = picking.picklist_view
    monkeypatch.setattr(picking, "picklist_view", lambda *a, **k: views.append(a) or real_view(*a, **k))
    stop = picking.next_stop(other.id)
    split = stop.totes[0]
    picking.confirm_pick(other.id, bin_code=stop.bin_code, scan_code=stop.sku, qty=split.remaining,
                         tote=split.tote, actor=wave.actor)  # another picker, another station
    qtbot.waitUntil(lambda: any(  # the table of lists shows the other list's pick
        panel.lists.item(r, 0).text() == other.number and panel.lists.item(r, 1).text() == states.label("picking")
        for r in range(panel.lists.rowCount())))
    assert views == []  # the open walk was not read again
    assert panel.picklist_id == mine.id and panel.step == "bin"


def test_a_change_to_the_open_list_elsewhere_still_reloads_it(qtbot, wave, make_ctx, monkeypatch):
    mine = picking.create_picklist(actor=wave.actor)
    panel = PickingPanel(make_ctx("packer", name="ann"))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.keyClicks(panel.scan_field, mine.number)
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)
    views = []
    real_view = picking.picklist_view
    monkeypatch.setattr(picking, "picklist_view", lambda *a, **k: views.append(a) or real_view(*a, **k))
    stop = picking.next_stop(mine.id)
    split = stop.totes[0]
    picking.confirm_pick(mine.id, bin_code=stop.bin_code, scan_code=stop.sku, qty=split.remaining,
                         tote=split.tote, actor=wave.actor)  # a second picker on the same list
    qtbot.waitUntil(lambda: views == [(mine.id,)])
    assert panel.view.stops[stop.index - 1].picked == split.remaining


def test_a_pick_redraws_one_row_and_the_lists_catch_up_once_scanning_pauses(qtbot, wave, make_ctx, monkeypatch):
    ref = picking.create_picklist(actor=wave.actor)
    panel = PickingPanel(make_ctx("packer", name="ann"))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.keyClicks(panel.scan_field, ref.number)
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)
    qtbot.wait(50)  # the wave's own change signals
    fills, list_reads, set_texts = [], [], []
    real_fill, real_lists = tab.fill_table, picking.open_picklists
    monkeypatch.setattr(tab, "fill_table", lambda table, *a, **k: fills.append(table) or real_fill(table, *a, **k))
    monkeypatch.setattr(picking, "open_picklists", lambda *a, **k: list_reads.append(a) or real_lists(*a, **k))
    monkeypatch.setattr(QTableWidgetItem, "setText", lambda item, text: set_texts.append(
        (item.tableWidget(), item.row())) or real_set_text(item, text))
    stop = panel.current_stop
    for code in (stop.bin_code, stop.sku, f"T{stop.totes[0].tote}"):  # one unit
        qtbot.keyClicks(panel.scan_field, code)
        qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)
    qtbot.wait(50)  # the commit's change signals arrive
    assert panel.banner.state == "ok"
    # Only the picked stop's row was written, nothing was filled or read again.
    assert fills == [] and list_reads == []
    assert {row for table, row in set_texts if table is panel.stops} == {stop.index - 1}
    assert panel.stops.item(stop.index - 1, 5).text() == "1"
    qtbot.waitUntil(lambda: list_reads != [], timeout=5000)  # the table of lists, once scanning pauses
    assert fills == [panel.lists]
    row = next(r for r in range(panel.lists.rowCount()) if panel.lists.item(r, 0).text() == ref.number)
    assert panel.lists.item(row, 1).text() == states.label("picking")


def test_a_stop_picked_by_another_picker_moves_this_screens_prompt_on(qtbot, wave, make_ctx):
    mine = picking.create_picklist(actor=wave.actor)
    panel = PickingPanel(make_ctx("packer", name="ann"))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.keyClicks(panel.scan_field, mine.number)
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)
    first = picking.next_stop(mine.id)
    qtbot.keyClicks(panel.scan_field, first.bin_code)  # this picker is at the first bin
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)
    assert panel.step == "item"
    for split in first.totes:  # a second picker on the same list takes that whole stop
        picking.confirm_pick(mine.id, bin_code=first.bin_code, scan_code=first.sku, qty=split.remaining,
                             tote=split.tote, actor=wave.actor)
    nxt = picking.next_stop(mine.id)
    qtbot.waitUntil(lambda: panel.step == "bin" and panel.prompt.text().endswith(f": {nxt.bin_code}"))
    assert panel.banner.text() == (f"{first.bin_code} was picked at another station: nothing was picked here, "
                                   "put the units back and scan the next bin")
