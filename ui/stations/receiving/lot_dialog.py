"""The receiving desk asks for a lot and expiry date the scan did not carry, and what to do
with short-dated units (quarantine or refuse)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Protocol

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from app import receiving
from app.kernel import clock
from ui.ops import run_op


class LotDialog(QDialog):
    """Lot and expiry date of the units just scanned."""

    def __init__(self, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Lot and expiry")
        form = QFormLayout(self)
        form.addRow(QLabel(note))
        self.lot = QLineEdit()
        self.lot.setMaxLength(100)
        self.expiry = QDateEdit()
        self.expiry.setCalendarPopup(True)
        self.expiry.setDisplayFormat("yyyy-MM-dd")
        today = clock.local_today()
        self.expiry.setDate(QDate(today.year, today.month, today.day))
        form.addRow("Lot", self.lot)
        form.addRow("Expiry date", self.expiry)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def answer(self) -> tuple[str, dt.date]:
        d = self.expiry.date()
        return self.lot.text().strip(), dt.date(d.year(), d.month(), d.day())


class Desk(Protocol):
    """What the receiving tab offers these helpers."""

    scan_context: receiving.DeskContext | None

    def apply(self, outcome: receiving.Outcome) -> None: ...

    def _error(self, message: str) -> None: ...


def ask_lot(parent: QWidget, note: str) -> tuple[str, dt.date] | None:
    """The lot and expiry the clerk keys in, or None when cancelled (tests replace this)."""
    dialog = LotDialog(note, parent)
    return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_quarantine(parent: QWidget, note: str) -> bool:
    """True when the receiver sends short-dated units to QUARANTINE instead of refusing them."""
    answer = QMessageBox.question(parent, "Short shelf life", f"{note}\n\nSend them to QUARANTINE instead?")
    return answer == QMessageBox.StandardButton.Yes


def settle(desk: Desk, parent: QWidget, outcome: receiving.Outcome) -> None:
    """Scan again with what the receiver answered: the keyed lot and expiry, or quarantine."""
    context = desk.scan_context
    if context is None:
        return
    if outcome.kind == "lot_needed":
        keyed = ask_lot(parent, outcome.note)
        if keyed is None:
            desk._error("not received: no lot and expiry date given")
            return
        context = replace(context, lot=keyed[0], expiry=keyed[1])
    elif outcome.kind == "short_dated":
        if not ask_quarantine(parent, outcome.note):
            desk._error(outcome.note)
            return
        context = replace(context, short_shelf_life=receiving.SHORT_QUARANTINE)
    desk.scan_context = context
    again = run_op(parent, receiving.station_scan, outcome.code, context, banner=desk._error)
    if again is not None:
        desk.apply(again)
