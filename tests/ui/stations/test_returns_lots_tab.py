"""Returns tab: restocking quarantined units of a product with lots takes the lot chosen (the
lots waiting there, with expiry and units, Alt+O), which keeps its lot in the bin."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from app import catalog, ledger
from app.store import db
from ui.stations.returns.tab import RestockDialog, ReturnsTab

SOON, LATE = dt.date(2026, 5, 31), dt.date(2026, 9, 30)


def test_restock_of_one_of_two_quarantined_lots(qtbot, ui_ctx, small_world, monkeypatch, message_boxes):
    vit = catalog.add_product("ACME", "VITAMIN-C", "Vitamin C", track_lot=True, track_expiry=True,
                              actor=small_world).id
    with db.write():
        for lot, expiry, qty in (("SOON", SOON, 1), ("LATE", LATE, 2)):
            ledger.register_lot(vit, lot, expiry)
            ledger.apply_move(vit, ledger.location("CUSTOMER").id, ledger.location("QUARANTINE").id, qty,
                              kind="return", actor=small_world, reason="test return", lot=lot)
    tab = ReturnsTab(ui_ctx)
    qtbot.addWidget(tab)
    assert tab.select("QUARANTINE", "VITAMIN-C")
    seen: dict[str, object] = {}

    def clerk(dialog):
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        seen["lots"] = [dialog.lot.itemText(i) for i in range(dialog.lot.count())]
        qtbot.keyClicks(dialog.target.lineEdit(), "A-01-02")
        qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClick(dialog.lot, Qt.Key.Key_Down)  # LATE
        seen["qty"] = dialog.qty.value()
        qtbot.keyClick(dialog.qty, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(RestockDialog, "exec", clerk)
    assert tab.restock_selected()
    assert seen == {"lots": ["SOON  EXP 05-31-2026  1 on hand", "LATE  EXP 09-30-2026  2 on hand"], "qty": 2}
    assert message_boxes.boxes == []
    assert tab.message.text() == "Restocked 2 × VITAMIN-C lot LATE from QUARANTINE to A-01-02."
    rows = db.execute("SELECT l.code, sl.lot, sl.on_hand FROM stock_level sl JOIN location l "
                      "ON l.id = sl.location_id WHERE sl.product_id = ? AND sl.on_hand <> 0 ORDER BY l.code",
                      (vit,)).fetchall()
    assert [tuple(r) for r in rows] == [("A-01-02", "LATE", 2), ("QUARANTINE", "SOON", 1)]
    assert ledger.check().ok
