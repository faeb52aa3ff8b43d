"""The receiving desk asks for a lot and expiry date the scan did not carry, and what to do
with short-dated units (quarantine or refuse)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Protocol

from PySide6.QtCore import QDate
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app import receiving
from app.kernel import clock
from app.kernel.barcodes import GS
from app.kernel.errors import ValidationError
from app.kernel.gs1 import looks_gs1
from ui.ops import run_op
from ui.widgets.ask import ask_yes_no
from ui.widgets.scan_field import ScanBurstGuard


class LotField(QLineEdit):
    """The lot field: keeps the GS (FNC1) a scanner sends between a GS1 code's fields, which
    a line edit drops, so a GS1 code scanned here can be read."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.text() == GS:
            self.insert(GS)
            event.accept()
            return
        super().keyPressEvent(event)


class LotDialog(QDialog):
    """Lot and expiry date of the units just scanned.

    The receiver's scanner is live: a code scanned here (the lot's barcode, or the GS1 code
    on the carton) fills the lot, and the expiry date when the GS1 code carries one; its
    Enter says OK to nothing, so the receiver sees what was read before saying OK."""

    def __init__(self, note: str, parent: QWidget | None = None, *, settings=None, product_code: str = "",
                 client_id: int | None = None) -> None:
        super().__init__(parent)
        self._product_code, self._client_id = product_code, client_id
        self.setWindowTitle("Lot and expiry")
        form = QFormLayout(self)
        form.addRow(QLabel(note))
        self.lot = LotField()
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
        self.read = QLabel("")
        self.read.setObjectName("StatusText")
        self.read.setWordWrap(True)
        form.addRow(self.read)
        form.addRow(buttons)
        self.guard = ScanBurstGuard(self, on_scan=self.scanned, settings=settings).watch_dialog(self)
        self.lot.setFocus()

    def scanned(self, code: str) -> None:
        """A scan in the dialog: a GS1 code's lot (AI 10) and expiry (AI 17), when it is this
        product's own code; any other code is the lot. Nothing is accepted: OK (or Enter
        typed) does that."""
        try:
            read = receiving.lot_from_scan(code, product_code=self._product_code or code,
                                           client_id=self._client_id)
        except ValidationError as exc:
            self.read.setText(f"Not taken: {exc}")
            return
        self.lot.setText(read.lot[:self.lot.maxLength()])
        if not looks_gs1(code):
            self.read.setText(f"Lot {read.lot} scanned: check the expiry date, then OK.")
        elif read.expiry is not None:
            self.expiry.setDate(QDate(read.expiry.year, read.expiry.month, read.expiry.day))
            self.read.setText(f"Lot {read.lot}, expiry {read.expiry.isoformat()} scanned: OK to take them.")
        else:
            self.read.setText(f"Lot {read.lot} scanned (the code carries no expiry date): check it, then OK.")
        self.lot.setFocus()

    def answer(self) -> tuple[str, dt.date]:
        d = self.expiry.date()
        return self.lot.text().strip(), dt.date(d.year(), d.month(), d.day())


class Desk(Protocol):
    """What the receiving tab offers these helpers."""

    scan_context: receiving.DeskContext | None

    def apply(self, outcome: receiving.Outcome) -> None: ...

    def _error(self, message: str) -> None: ...


def ask_lot(parent: QWidget, note: str, *, product_code: str = "",
            client_id: int | None = None) -> tuple[str, dt.date] | None:
    """The lot and expiry the clerk keys in or scans for the units of ``product_code`` (the
    code scanned), or None when cancelled (tests replace this)."""
    ctx = getattr(parent, "ctx", None)  # the receiving desk's: the scanner's prefix and suffix
    dialog = LotDialog(note, parent, settings=getattr(ctx, "settings", None), product_code=product_code,
                       client_id=client_id)
    return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_quarantine(parent: QWidget, note: str) -> bool:
    """True when the receiver sends short-dated units to QUARANTINE instead of refusing them."""
    return ask_yes_no(parent, "Short shelf life", f"{note}\n\nSend them to QUARANTINE instead?",
                      yes="Send to &QUARANTINE", no="&Refuse them")


def settle(desk: Desk, parent: QWidget, outcome: receiving.Outcome) -> None:
    """Scan again with what the receiver answered: the keyed lot and expiry, or quarantine."""
    context = desk.scan_context
    if context is None:
        return
    if outcome.kind == "lot_needed":
        shipment = context.shipment
        keyed = ask_lot(parent, outcome.note, product_code=outcome.code,
                        client_id=shipment.client_id if shipment is not None else None)
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
