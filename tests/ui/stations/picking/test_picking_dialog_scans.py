"""Scanner bursts in the picking panel's dialogs (new wave, short pick): the code lands in no
field, its Enter makes no wave and shorts nothing; a person's typing and Enter still do."""

from __future__ import annotations

from app import picking
from app.store.models import PickException, PickList
from tests.support.qt import keys
from tests.ui.stations import test_picking_panel as picking_panel
from ui.stations.picking.dialogs import ShortDialog, WaveDialog
from ui.widgets.scan_field import IGNORED_SCAN

wave, panel, scan = picking_panel.wave, picking_panel.panel, picking_panel.scan  # (fixtures)
CODE = "4006381333931"
NOTE = f"{IGNORED_SCAN.capitalize()}."


def test_a_scan_in_the_short_dialog_shorts_nothing(qtbot, panel, wave, monkeypatch):
    ref = picking.create_picklist(actor=wave.actor)
    scan(qtbot, panel, ref.number)
    seen = []

    def exec_(dialog: ShortDialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        start = (dialog.qty.value(), dialog.reason.currentText())
        for widget in (dialog.qty, dialog.reason):
            keys(qtbot, dialog.guard, widget, CODE, 5)
            seen.append((dialog.isVisible(), dialog.result(), (dialog.qty.value(), dialog.reason.currentText()) == start,
                         dialog.note.text(), PickException.select().count()))
        dialog.qty.selectAll()
        keys(qtbot, dialog.guard, dialog.qty, "1", 150)  # the picker keys 1 missing: Enter says OK
        return dialog.result()

    monkeypatch.setattr(ShortDialog, "exec", exec_)
    result = panel.short_current()
    assert seen == [(True, 0, True, NOTE, 0)] * 2
    assert result is not None and [(e.qty, e.reason) for e in picking.exceptions_list()] == [
        (1, picking.SHORT_REASONS[0])]


def test_a_scan_in_the_wave_dialog_makes_no_wave(qtbot, panel, wave, monkeypatch):
    seen = []

    def exec_(dialog: WaveDialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        for widget in (dialog.picker, dialog.max_orders, dialog.carrier, dialog.client, dialog.partial):
            keys(qtbot, dialog.guard, widget, CODE, 5)
            seen.append((dialog.isVisible(), dialog.result(), dialog.request(), dialog.note.text(),
                         PickList.select().count()))
        keys(qtbot, dialog.guard, dialog.picker, "Pat", 150)  # typed: Enter creates the wave
        return dialog.result()

    monkeypatch.setattr(WaveDialog, "exec", exec_)
    ref = panel.new_wave()
    untouched = picking_panel.WaveRequest(None, None, None, None, picking.DEFAULT_MAX_ORDERS, "", False)
    assert seen == [(True, 0, untouched, NOTE, 0)] * 5
    assert ref is not None and panel.picklist_id == ref.id
    assert PickList.get_by_id(ref.id).picker == "Pat"
