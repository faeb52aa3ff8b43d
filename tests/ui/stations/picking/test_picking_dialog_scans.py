"""Scanner bursts in the picking panel's dialogs (new wave, short pick): the code lands in no
field, its Enter makes no wave and shorts nothing; a person's typing and Enter still do."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

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


def _cut_off(dialog) -> list[str]:
    """The dialog's visible labels and buttons not drawn whole inside it."""
    bounds = QRect(QPoint(0, 0), dialog.size())
    out = []
    for w in dialog.findChildren(QWidget):
        if isinstance(w, QAbstractButton | QLabel) and w.isVisible():
            rect = QRect(w.mapTo(dialog, QPoint(0, 0)), w.size())
            if not bounds.contains(rect) or (isinstance(w, QLabel) and w.height() < w.heightForWidth(w.width())):
                out.append(w.text())
    return out


@pytest.mark.parametrize("make", ["short", "wave"])
def test_an_ignored_scan_s_note_grows_the_dialog_to_show_it_and_its_buttons_whole(qtbot, wave, make):
    from ui.app import apply_style

    app = QApplication.instance()
    apply_style(app)  # the station's real type sizes: the note wraps to two lines
    try:
        ref = picking.create_picklist(actor=wave.actor)
        stop = picking.picklist_view(ref.id).next_stop
        dialog = ShortDialog(stop) if make == "short" else WaveDialog(["ACME"])
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        before = dialog.height()
        field = dialog.qty if make == "short" else dialog.picker
        keys(qtbot, dialog.guard, field, CODE, 5)
        QApplication.processEvents()
        assert dialog.note.text() == NOTE
        assert _cut_off(dialog) == []
        assert dialog.height() >= before
    finally:
        app.setStyleSheet("")
