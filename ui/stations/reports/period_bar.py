"""The Reports tab's choice of period (today, yesterday, this week, last 7 / 30 days, custom
from/to) and client, in the warehouse's days."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from app import catalog
from app.kernel import clock
from app.reports.table import Period

PRESETS = ("Today", "Yesterday", "This week", "Last 7 days", "Last 30 days", "Custom")
CUSTOM = PRESETS.index("Custom")
ALL_CLIENTS = "All clients"


def preset_days(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last warehouse day of a named period (weeks start on Monday)."""
    if preset == "Yesterday":
        day = today - dt.timedelta(days=1)
        return day, day
    if preset == "This week":
        return today - dt.timedelta(days=today.weekday()), today
    if preset == "Last 7 days":
        return today - dt.timedelta(days=6), today
    if preset == "Last 30 days":
        return today - dt.timedelta(days=29), today
    return today, today


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class PeriodBar(QWidget):
    """``changed`` is emitted when the period or the client changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.preset = QComboBox()
        self.preset.addItems(PRESETS)
        self.preset.setCurrentText("Last 7 days")
        self.first = QDateEdit()
        self.last = QDateEdit()
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.client = QComboBox()
        self.client.setMinimumContentsLength(8)
        for text, widget in (("&Period", self.preset), ("Fro&m", self.first), ("&To", self.last),
                             ("C&lient", self.client)):
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
        row.addStretch(1)
        self.load_clients()
        self._apply_preset()
        self.preset.currentIndexChanged.connect(self._on_preset)
        self.first.dateChanged.connect(self._on_date)
        self.last.dateChanged.connect(self._on_date)
        self.client.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def load_clients(self) -> None:
        """The client list as it is now (keeps the choice when the client still exists)."""
        chosen = self.client.currentText()
        self.client.blockSignals(True)
        self.client.clear()
        self.client.addItem(ALL_CLIENTS)
        self.client.addItems([c.code for c in catalog.list_clients()])
        index = self.client.findText(chosen)
        self.client.setCurrentIndex(max(0, index))
        self.client.blockSignals(False)

    def _apply_preset(self) -> None:
        custom = self.preset.currentIndex() == CUSTOM
        if not custom:
            first, last = preset_days(self.preset.currentText(), clock.local_today())
            for edit, day in ((self.first, first), (self.last, last)):
                edit.blockSignals(True)
                edit.setDate(_qdate(day))
                edit.blockSignals(False)
        self.first.setEnabled(custom)
        self.last.setEnabled(custom)

    def _on_preset(self, _index: int) -> None:
        self._apply_preset()
        self.changed.emit()

    def _on_date(self, _date: QDate) -> None:
        if self.last.date() < self.first.date():
            sender = self.sender()
            other = self.last if sender is self.first else self.first
            other.blockSignals(True)
            other.setDate(sender.date())  # type: ignore[attr-defined]
            other.blockSignals(False)
        self.changed.emit()

    def set_range(self, first: dt.date, last: dt.date) -> None:
        """Choose "Custom" from ``first`` to ``last`` (emits ``changed`` once)."""
        self.blockSignals(True)
        self.preset.setCurrentIndex(CUSTOM)
        self.first.setDate(_qdate(first))
        self.last.setDate(_qdate(last))
        self.blockSignals(False)
        self.changed.emit()

    def refresh_days(self) -> None:
        """A named period follows the clock ("today" moves at midnight)."""
        if self.preset.currentIndex() != CUSTOM:
            self._apply_preset()

    def period(self) -> Period:
        return Period.of(self.first.date().toPython(), self.last.date().toPython())

    def client_code(self) -> str | None:
        text = self.client.currentText()
        return None if text in ("", ALL_CLIENTS) else text

    def describe(self) -> str:
        p = self.period()
        days = p.first.isoformat() if p.first == p.last else f"{p.first.isoformat()} to {p.last.isoformat()}"
        return f"{self.preset.currentText()}: {days} · {self.client_code() or ALL_CLIENTS}"
