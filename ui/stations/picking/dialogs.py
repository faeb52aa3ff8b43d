"""The picking panel's dialogs: the filters of a new wave, and a short pick's quantity and reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app import picking
from app.kernel import clock
from ui.ops import run_op
from ui.widgets.common import ok_cancel_buttons
from ui.widgets.scan_field import ScanBurstGuard, ScanNote

# (client, carrier, service, ship_by, include_partial) -> orders waiting
WaitingCount = Callable[[str | None, str | None, str | None, dt.date | None, bool], int]


def note_and_grow(dialog: QDialog, note: ScanNote) -> Callable[[str], None]:
    """A guard's ``on_ignored`` that writes the note and lets the dialog grow to show it, and
    the buttons under it, whole (the note wraps to a second line at the station's type size)."""

    def ignored(text: str) -> None:
        note.ignored(text)
        layout = dialog.layout()
        layout.activate()
        height = max(layout.totalHeightForWidth(dialog.width()), layout.totalMinimumSize().height())
        if height > dialog.height():
            dialog.resize(dialog.width(), height)

    return ignored


@dataclass(frozen=True)
class WaveRequest:
    client: str | None
    carrier: str | None
    service: str | None
    ship_by: dt.date | None
    max_orders: int
    picker: str
    include_partial: bool


@dataclass(frozen=True)
class ShortRequest:
    qty: int
    reason: str


class WaveDialog(QDialog):
    """Filters for a new wave: client, carrier, service, ship-by, cart size, picker."""

    def __init__(self, clients: list[str], parent: QWidget | None = None, *,
                 count: WaitingCount | None = None) -> None:
        super().__init__(parent)
        self._count = count  # (client, carrier, service, ship_by, include_partial) -> orders waiting
        self.setWindowTitle("New pick list (wave)")
        self.setMinimumWidth(620)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.client = QComboBox()
        self.client.addItem("All clients", None)
        for code in clients:
            self.client.addItem(code, code)
        form.addRow("&Client", self.client)
        self.carrier = QLineEdit()
        self.carrier.setPlaceholderText("any")
        form.addRow("C&arrier", self.carrier)
        self.service = QLineEdit()
        self.service.setPlaceholderText("any")
        form.addRow("&Service", self.service)
        row = QHBoxLayout()
        self.use_ship_by = QCheckBox("due on or before")
        today = clock.local_today()  # the warehouse's date, not the computer's
        self.ship_by = QDateEdit(QDate(today.year, today.month, today.day))
        self.ship_by.setDisplayFormat("yyyy-MM-dd")
        self.ship_by.setCalendarPopup(True)
        self.ship_by.setEnabled(False)
        self.use_ship_by.toggled.connect(self.ship_by.setEnabled)
        row.addWidget(self.use_ship_by)
        row.addWidget(self.ship_by)
        ship_label = QLabel("Ship-&by")
        ship_label.setBuddy(self.use_ship_by)
        form.addRow(ship_label, row)
        self.max_orders = QSpinBox()
        self.max_orders.setRange(1, 500)
        self.max_orders.setValue(picking.DEFAULT_MAX_ORDERS)
        form.addRow("&Totes (cart size)", self.max_orders)
        self.partial = QCheckBox("also orders only partly allocated")
        form.addRow("", self.partial)
        self.picker = QLineEdit()
        form.addRow("&Picker", self.picker)
        self.waiting = QLabel("")
        self.waiting.setObjectName("StatusText")
        form.addRow(self.waiting)
        if count is not None:
            self._debounce = QTimer(self)
            self._debounce.setSingleShot(True)
            self._debounce.setInterval(250)
            self._debounce.timeout.connect(self.update_count)
            for signal in (self.client.currentIndexChanged, self.carrier.textChanged, self.service.textChanged,
                           self.use_ship_by.toggled, self.ship_by.dateChanged, self.partial.toggled,
                           self.max_orders.valueChanged):
                signal.connect(self._debounce.start)
            self.update_count()
        self.note = ScanNote()
        form.addRow(self.note)
        box = ok_cancel_buttons(self)
        box.button(QDialogButtonBox.StandardButton.Ok).setText("Create &wave")
        form.addRow(box)
        # A unit's scan landing here (the picker's scanner is live) fills no filter and makes
        # no wave: every field and button takes its bursts back out.
        self.guard = ScanBurstGuard(self, on_ignored=note_and_grow(self, self.note)).watch_dialog(self)

    def update_count(self) -> None:
        """'37 orders waiting: this cart takes 24' for the filters as they are now."""
        req = self.request()
        n = run_op(self, self._count, req.client, req.carrier, req.service, req.ship_by, req.include_partial,
                   banner=self.waiting.setText)
        if n is None:  # refused (e.g. unknown client): the label says why
            return
        if not n:
            self.waiting.setText("No allocated order waits for these filters")
        else:
            self.waiting.setText(f"{n} order{'s' if n != 1 else ''} waiting: this cart takes "
                                 f"{min(n, req.max_orders)}")

    def request(self) -> WaveRequest:
        q = self.ship_by.date()
        return WaveRequest(
            client=self.client.currentData(), carrier=self.carrier.text().strip() or None,
            service=self.service.text().strip() or None,
            ship_by=dt.date(q.year(), q.month(), q.day()) if self.use_ship_by.isChecked() else None,
            max_orders=self.max_orders.value(), picker=self.picker.text().strip(),
            include_partial=self.partial.isChecked(),
        )


class ShortDialog(QDialog):
    """How many are missing at this stop, and why."""

    def __init__(self, stop: picking.Stop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Short pick — {stop.sku} in {stop.bin_code}")
        form = QFormLayout(self)
        form.addRow(QLabel(f"{stop.remaining} of {stop.sku} still to take from {stop.bin_code}."))
        self.qty = QSpinBox()
        self.qty.setRange(1, max(1, stop.remaining))
        self.qty.setValue(max(1, stop.remaining))
        form.addRow("&Missing", self.qty)
        self.reason = QComboBox()
        for reason in picking.SHORT_REASONS:
            self.reason.addItem(reason)
        form.addRow("&Reason", self.reason)
        self.note = ScanNote()
        form.addRow(self.note)
        form.addRow(ok_cancel_buttons(self))
        # The next unit scanned with this open must not short the stop with its code as the
        # quantity, nor confirm it: the burst is taken back out, its Enter swallowed.
        self.guard = ScanBurstGuard(self, on_ignored=note_and_grow(self, self.note)).watch_dialog(self)

    def request(self) -> ShortRequest:
        return ShortRequest(self.qty.value(), self.reason.currentText())

