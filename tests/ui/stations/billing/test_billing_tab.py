"""The Billing tab: a statement's lines and total for a client and period, saved as CSV and
PDF with the path shown; a price and a manual charge added from the keyboard."""

from __future__ import annotations

import datetime as dt
import errno
import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt

from app import billing
from app.store import db
from tests.app.billing.history import EXPECTED_LINES, EXPECTED_TOTAL, FIRST, LAST, at, build_history
from ui.stations.billing.tab import BillingTab
from ui.widgets.file_dialog import FileDialog


def _type_date(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def _rows(table) -> list[tuple[str, ...]]:
    return [tuple(table.item(r, c).text() for c in range(table.columnCount())) for r in range(table.rowCount())]


def test_shows_the_statement_and_saves_a_csv_and_a_pdf(qtbot, sqlite_world, frozen_clock, ui_ctx, tmp_path,
                                                        monkeypatch):
    build_history(sqlite_world, frozen_clock)
    t = BillingTab(ui_ctx)
    qtbot.addWidget(t)
    t.show()
    t.activateWindow()
    qtbot.waitUntil(t.isActiveWindow)
    assert t.client() == "ACME"
    _type_date(qtbot, t.first, "2026-03-02")
    _type_date(qtbot, t.last, "2026-03-06")
    assert t.period() == (FIRST, LAST)
    qtbot.keyClick(t.last, Qt.Key.Key_F5)  # the cursor is in the period: F5 shows the statement
    assert t.busy
    qtbot.waitUntil(lambda: not t.busy, timeout=10_000)
    assert t.total.text() == f"Total: {EXPECTED_TOTAL} USD"
    # fees as people read them on screen (the CSV below keeps their codes)
    assert _rows(t.table) == [(billing.fee_title(f), f"{q:,}", r, a) for f, q, r, a in EXPECTED_LINES]
    assert _rows(t.table)[0][0] == "Receiving, per unit"
    assert "93 unit-days and 16 bin-days" in t.status.text()

    csv_path = tmp_path / "acme.csv"
    monkeypatch.setattr(FileDialog, "chosen", lambda self: str(csv_path))
    t.csv_button.click()
    assert csv_path.read_text(encoding="utf-8") == billing.statement_csv(t.shown)
    assert csv_path.read_text(encoding="utf-8").splitlines()[-1] == f"TOTAL,,,{EXPECTED_TOTAL}"
    assert t.saved.text() == f"Saved {csv_path}"

    pdf_path = tmp_path / "acme.pdf"
    monkeypatch.setattr(FileDialog, "chosen", lambda self: str(pdf_path))
    t.pdf_button.click()
    qtbot.waitUntil(lambda: t.saved.text() == f"Saved {pdf_path}", timeout=10_000)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages).split())
    assert "Statement ST000001" in text and f"TOTAL {EXPECTED_TOTAL}" in text
    assert t.status.text() == "Statement ST000001 issued."


def test_a_price_and_a_manual_charge_from_the_keyboard(qtbot, small_world, frozen_clock, ui_ctx):
    frozen_clock.current = at(1, 10)
    t = BillingTab(ui_ctx)
    qtbot.addWidget(t)
    t.show()
    rates = t.rates
    rates.fee.setFocus()
    rates.fee.lineEdit().selectAll()
    qtbot.keyClicks(rates.fee, "pallet_wrap")
    qtbot.keyClicks(rates.price, "12.5")
    qtbot.keyClick(rates.price, Qt.Key.Key_Return)
    assert rates.message.text() == "Pallet wrap = 12.50 from 2026-03-02"
    assert _rows(rates.table) == [("Pallet wrap", "12.50", "2026-03-02")]
    qtbot.keyClicks(rates.price, "cheap")
    qtbot.keyClick(rates.price, Qt.Key.Key_Return)
    assert "is not an amount" in rates.message.text()

    t.pages.setCurrentWidget(t.charges)
    charges = t.charges
    qtbot.keyClicks(charges.fee, "pallet_wrap")
    charges.qty.setValue(2)
    qtbot.keyClicks(charges.note, "two pallets")
    qtbot.keyClick(charges.note, Qt.Key.Key_Return)
    assert charges.message.text() == "ACME 2026-03-02: 2 x pallet_wrap at 12.50 = 25.00"
    t.set_period(FIRST, FIRST)
    t.show_button.click()
    qtbot.waitUntil(lambda: t.shown is not None, timeout=10_000)
    assert _rows(t.table) == [("Pallet wrap", "2", "12.50", "25.00")]
    assert t.total.text() == "Total: 25.00 USD"


def test_a_manual_fee_typed_with_enter_keeps_its_name(qtbot, small_world, frozen_clock, ui_ctx):
    """Enter in the fee box, as a person ends what they type, then the price and Enter: the
    price is the typed fee's, now and when the typed name is chosen from the list again."""
    frozen_clock.current = at(1, 10)
    t = BillingTab(ui_ctx)
    qtbot.addWidget(t)
    t.show()
    t.activateWindow()
    qtbot.waitUntil(t.isActiveWindow)
    rates = t.rates
    rates.fee.setFocus()
    rates.fee.lineEdit().selectAll()
    qtbot.keyClicks(rates.fee, "pallet_wrap")
    qtbot.keyClick(rates.fee, Qt.Key.Key_Return)
    assert rates.price.hasFocus()  # Enter goes on to the price
    qtbot.keyClicks(rates.price, "12.50")
    qtbot.keyClick(rates.price, Qt.Key.Key_Return)
    assert rates.message.text() == "Pallet wrap = 12.50 from 2026-03-02"
    assert billing.rate_card("ACME").in_force[0].fee == "pallet_wrap"
    assert [r.fee for r in billing.rate_card("ACME").history] == ["pallet_wrap"]
    # typing it again (Enter each time) and a second price: still pallet_wrap, no fee "none"
    rates.fee.setFocus()
    rates.fee.lineEdit().selectAll()
    qtbot.keyClicks(rates.fee, "pallet_wrap")
    qtbot.keyClick(rates.fee, Qt.Key.Key_Return)
    qtbot.keyClicks(rates.price, "13")
    qtbot.keyClick(rates.price, Qt.Key.Key_Return)
    assert rates.message.text() == "Pallet wrap = 13.00 from 2026-03-02"
    assert _rows(rates.table) == [("Pallet wrap", "13.00", "2026-03-02")]
    # a listed fee chosen by its title still goes to the service by its code
    rates.fee.setCurrentIndex(rates.fee.findData("receive_unit"))
    qtbot.keyClicks(rates.price, "0.35")
    qtbot.keyClick(rates.price, Qt.Key.Key_Return)
    assert rates.message.text() == "Receiving, per unit = 0.35 from 2026-03-02"
    assert sorted(r.fee for r in billing.rate_card("ACME").in_force) == ["pallet_wrap", "receive_unit"]


def _issued() -> list[str]:
    return [d.split(" total")[0] for (d,) in
            db.execute("SELECT detail FROM audit_event WHERE kind = 'statement_issued' ORDER BY id")]


def _statement_shown(qtbot, t) -> None:
    t.set_period(FIRST, LAST)
    t.show_button.click()
    qtbot.waitUntil(lambda: t.shown is not None, timeout=10_000)


def test_a_pdf_path_that_cannot_be_written_takes_no_number(qtbot, sqlite_world, frozen_clock, ui_ctx, tmp_path,
                                                           monkeypatch, message_boxes):
    build_history(sqlite_world, frozen_clock)
    t = BillingTab(ui_ctx)
    qtbot.addWidget(t)
    _statement_shown(qtbot, t)
    gone = tmp_path / "gone" / "acme.pdf"
    monkeypatch.setattr(FileDialog, "chosen", lambda self: str(gone))
    t.pdf_button.click()
    assert message_boxes.texts() == [f"cannot write {gone}: folder {gone.parent} does not exist"]
    assert not t.busy and _issued() == []
    good = tmp_path / "acme.pdf"
    monkeypatch.setattr(FileDialog, "chosen", lambda self: str(good))
    t.pdf_button.click()
    qtbot.waitUntil(lambda: t.saved.text() == f"Saved {good}", timeout=10_000)
    assert t.status.text() == "Statement ST000001 issued."
    assert _issued() == ["ST000001 ACME 2026-03-02..2026-03-06"]


def test_a_pdf_failing_once_issued_is_saved_elsewhere(qtbot, sqlite_world, frozen_clock, ui_ctx, tmp_path,
                                                       monkeypatch, message_boxes):
    build_history(sqlite_world, frozen_clock)
    t = BillingTab(ui_ctx)
    qtbot.addWidget(t)
    _statement_shown(qtbot, t)
    full, other = tmp_path / "full.pdf", tmp_path / "other.pdf"
    real = Path.write_bytes

    def disk_full(self, data):
        if self == full:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    answers = [str(full), str(other)]
    monkeypatch.setattr(FileDialog, "chosen", lambda self: answers.pop(0))
    t.pdf_button.click()
    qtbot.waitUntil(lambda: t.saved.text() == f"Saved {other}", timeout=10_000)
    assert message_boxes.texts() == [f"Statement ST000001 was issued but cannot be saved to {full}: No space left "
                                     "on device. Choose another place to save it."]
    assert t.status.text() == "Statement ST000001 issued."
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(other.read_bytes())).pages).split())
    assert "Statement ST000001" in text and f"TOTAL {EXPECTED_TOTAL}" in text
    assert _issued() == ["ST000001 ACME 2026-03-02..2026-03-06"] and not full.exists()


def test_the_default_period_ends_yesterday_and_a_period_not_ended_is_not_issued(
        qtbot, sqlite_world, frozen_clock, ui_ctx, tmp_path, monkeypatch, message_boxes):
    build_history(sqlite_world, frozen_clock)  # the clock: 08:00 on 2026-03-07
    t = BillingTab(ui_ctx)
    qtbot.addWidget(t)
    assert t.period() == (dt.date(2026, 3, 1), dt.date(2026, 3, 6))  # the month to the last day ended
    frozen_clock.current = dt.datetime(2026, 4, 1, 9)
    assert BillingTab(ui_ctx).period() == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))  # on the 1st: last month
    frozen_clock.current = at(6, 8)

    t.set_period(FIRST, dt.date(2026, 3, 7))  # to today: a preview so far
    t.show_button.click()
    qtbot.waitUntil(lambda: t.shown is not None, timeout=10_000)
    assert t.total.text() == f"Total: {EXPECTED_TOTAL} USD"
    assert t.status.text().startswith("ACME, 2026-03-02 to 2026-03-07 (so far: the period has not ended; "
                                      "storage to the end of 2026-03-06): 93 unit-days and 16 bin-days")
    asked: list[str] = []
    monkeypatch.setattr(FileDialog, "chosen", lambda self: asked.append("asked") or str(tmp_path / "x.pdf"))
    t.pdf_button.click()
    said = ("the period 2026-03-02 to 2026-03-07 has not ended (today is 2026-03-07 in the warehouse): it can be "
            "issued from 2026-03-08 on; until then only previewed, without a number")
    assert message_boxes.texts() == [said] and t.status.text() == said
    assert asked == [] and not t.busy and _issued() == [] and not (tmp_path / "x.pdf").exists()
