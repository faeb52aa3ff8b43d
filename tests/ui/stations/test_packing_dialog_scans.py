"""Scanner bursts in the packing station's dialogs: a unit's code never becomes the override's
reason nor says OK; a supervisor's badge scanned in the name or PIN field signs."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.catalog import users
from app.store.models import Package
from tests.support.qt import KeyClock
from tests.ui.stations import test_packing_tab as packing
from ui.stations.packing.dialogs import OverrideDialog, OverrideRequest

world, order, tab, scan = packing.world, packing.order, packing.tab, packing.scan  # (fixtures)
CODE = "012345678905"  # the next unit, scanned while the dialog is open


def keys(qtbot, field, text: str, step: int, guard) -> None:
    guard.clock_ms = KeyClock(step)
    field.setFocus()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_a_scan_in_the_override_dialog_fills_nothing_and_a_badge_signs(qtbot, tab, order, world, monkeypatch):
    users.create_user("Sam", "supervisor", "1111", badge="BADGE-SUP-1", actor=world.actor)
    scan(qtbot, tab.scan_field, "1001")
    scan(qtbot, tab.scan_field, "LAMP-1")
    tab.weight.setValue(3.2)
    seen = []

    def exec_(dialog: OverrideDialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        keys(qtbot, dialog.reason, CODE, 5, dialog.other_keys)  # a unit's code in the reason
        seen.append((dialog.isVisible(), dialog.result(), dialog.supervisor.text(), dialog.pin.text(),
                     dialog.reason.text(), dialog.note.text()))
        ok = dialog.findChildren(type(tab.override_button))[0]  # (OK, the first button)
        keys(qtbot, ok, CODE, 5, dialog.other_keys)  # ... or with the cursor on the OK button
        seen.append((dialog.isVisible(), dialog.result(), Package.get(Package.order == order.id).status))
        keys(qtbot, dialog.pin, "BADGE-SUP-1", 5, dialog.guard)  # the supervisor's badge
        seen.append((dialog.isVisible(), dialog.supervisor.text(), dialog.pin.text(), dialog.focusWidget() is dialog.reason,
                     dialog.note.text()))
        keys(qtbot, dialog.reason, "label torn", 150, dialog.other_keys)  # typed: Enter says OK
        return dialog.result()

    monkeypatch.setattr(OverrideDialog, "exec", exec_)
    qtbot.mouseClick(tab.override_button, Qt.MouseButton.LeftButton)
    assert seen == [
        (True, 0, "", "", "", "A scan was ignored: this dialog takes typed input. Type the reason."),
        (True, 0, "open"),
        (True, "BADGE-SUP-1", "", True, "Badge read: now type the reason, then OK."),
    ]
    pkg = Package.get(Package.order == order.id)
    assert (pkg.status, pkg.override_reason) == ("closed", "label torn")
    assert "supervisor override" in tab.banner.text()


def test_a_badge_scanned_after_the_reason_signs_at_once(qtbot):
    dialog = OverrideDialog(2)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.reason.setText("label torn")
    keys(qtbot, dialog.supervisor, "BADGE-SUP-1", 5, dialog.guard)
    assert dialog.result() == dialog.DialogCode.Accepted and not dialog.isVisible()
    assert dialog.request() == OverrideRequest("BADGE-SUP-1", "", "label torn")
