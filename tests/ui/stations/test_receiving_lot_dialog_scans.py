"""The lot dialog scanned into: the lot's barcode is the lot, a GS1 code gives its lot and
expiry date; the scan's Enter receives nothing (the receiver checks, then OK); typing and
Enter work as before."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from app.store.models import StockMove
from tests.support.qt import KeyClock
from tests.ui.stations import test_receiving_lots_tab as lots_tab
from ui.stations.receiving.lot_dialog import LotDialog

tab, scan, lots, GTIN = lots_tab.tab, lots_tab.scan, lots_tab.lots, lots_tab.GTIN  # (fixture, helpers)


def keys(qtbot, dialog: LotDialog, widget, text: str, step: int) -> None:
    """Keys as typed (``step`` ms apart; FNC1 as the GS character), then Enter."""
    dialog.guard.clock_ms = KeyClock(step)
    widget.setFocus()
    for n, part in enumerate(text.split("\x1d")):
        if n:
            QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_BracketRight,
                                                     Qt.KeyboardModifier.ControlModifier, "\x1d"))
        qtbot.keyClicks(widget, part)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def state(dialog: LotDialog) -> tuple:
    return (dialog.isVisible(), dialog.result(), dialog.lot.text(), dialog.expiry.date().toString("yyyy-MM-dd"),
            dialog.read.text(), StockMove.select().count())


def test_a_scan_fills_the_lot_dialog_and_receives_nothing_until_ok(qtbot, tab, monkeypatch):
    widget, vit = tab
    widget.ctx.settings.scanner_suffix = "$"
    seen = []

    def exec_(dialog: LotDialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        keys(qtbot, dialog, dialog.lot, f"]C101{GTIN}17271231\x1d10LOT42\x1d21SER9$", 5)  # the carton's GS1 code
        seen.append(state(dialog))
        keys(qtbot, dialog, dialog.lot, "LOT-B-77$", 5)  # the lot's own barcode
        seen.append(state(dialog))
        keys(qtbot, dialog, dialog.expiry, "0100000000100014$", 5)  # GS1 with no lot, in the date
        seen.append(state(dialog))
        keys(qtbot, dialog, dialog.lot, "0100000000100015$", 5)  # a GS1 code with a wrong check digit
        seen.append(state(dialog))
        qtbot.keyClick(dialog.lot, Qt.Key.Key_Return)  # the receiver's own Enter, later: OK
        return dialog.result()

    monkeypatch.setattr(LotDialog, "exec", exec_)
    scan(qtbot, widget.scan_field, GTIN)
    assert seen[:3] == [
        (True, 0, "LOT42", "2027-12-31", "Lot LOT42, expiry 2027-12-31 scanned: OK to take them.", 0),
        (True, 0, "LOT-B-77", "2027-12-31", "Lot LOT-B-77 scanned: check the expiry date, then OK.", 0),
        (True, 0, "LOT-B-77", "2027-12-31",
         "Not taken: the GS1 code carries no lot (AI 10): scan the lot or type it", 0),
    ]
    assert seen[3][:4] == (True, 0, "LOT-B-77", "2027-12-31") and seen[3][4].startswith("Not taken: GS1 code")
    assert lots(vit.id) == [("LOT-B-77", dt.date(2027, 12, 31), 1)]


def test_a_lot_typed_with_enter_is_taken_as_before(qtbot, tab, monkeypatch):
    widget, vit = tab

    def exec_(dialog: LotDialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.expiry.setDate(QDate(2027, 5, 31))
        keys(qtbot, dialog, dialog.lot, "KEYED-1", 150)
        return dialog.result()

    monkeypatch.setattr(LotDialog, "exec", exec_)
    scan(qtbot, widget.scan_field, GTIN)
    assert lots(vit.id) == [("KEYED-1", dt.date(2027, 5, 31), 1)]


def test_another_product_s_gs1_label_gives_no_lot(qtbot, tab, monkeypatch):
    """The carton beside it carries another product's GS1 label: its lot is not taken."""
    from app import catalog
    from app.kernel.actor import Actor

    widget, vit = tab
    catalog.add_product("ACME", "ZINC", "Zinc", barcodes=["00000000200011"], track_lot=True,
                        actor=Actor(None, "tester", "supervisor", "test"))
    seen = []

    def exec_(dialog: LotDialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        keys(qtbot, dialog, dialog.lot, "]C10100000000200011\x1d10ZN-1", 5)
        seen.append(state(dialog))
        keys(qtbot, dialog, dialog.lot, f"]C101{GTIN}17271231\x1d10VC-9", 5)  # its own label
        seen.append(state(dialog))
        qtbot.keyClick(dialog.lot, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(LotDialog, "exec", exec_)
    scan(qtbot, widget.scan_field, GTIN)
    assert seen == [
        (True, 0, "", dialog_today(), "Not taken: that GS1 code is for ZINC, not VITAMIN-C: scan this "
                                      "product's own label", 0),
        (True, 0, "VC-9", "2027-12-31", "Lot VC-9, expiry 2027-12-31 scanned: OK to take them.", 0),
    ]
    assert lots(vit.id) == [("VC-9", dt.date(2027, 12, 31), 1)]


def dialog_today() -> str:
    from app.kernel import clock

    return clock.local_today().isoformat()
