"""The packing screen's small pieces: the acknowledge button, the supervisor's override
dialog, the void-box question, and the rule that the cursor goes back to the scan field."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.kernel.text import agreeing, counted
from ui.widgets.ask import ask_item
from ui.widgets.common import ok_cancel_buttons
from ui.widgets.scan_field import ScanBurstGuard, ScanNote

F = TypeVar("F", bound=Callable[..., Any])


class AckButton(QPushButton):
    """The acknowledge button: Enter, Return, Space or Esc press it."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape, Qt.Key.Key_Space):
            self.click()
            event.accept()
            return
        super().keyPressEvent(event)


def keeps_scan_focus(handler: F) -> F:
    """After the action (a click, Alt+letter, a dialog) the cursor is back in the scan field:
    the packer's next scan must never land in a button or a form field."""

    @functools.wraps(handler)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return handler(self, *args, **kwargs)
        finally:
            self.scan_field.grab_focus()

    return cast(F, wrapper)


@dataclass(frozen=True)
class OverrideRequest:
    supervisor: str
    pin: str
    reason: str


class OverrideDialog(QDialog):
    """A supervisor signs the override with name and PIN, or a badge scan, and says why."""

    def __init__(self, unverified: int, parent: QWidget | None = None, *, settings=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Supervisor override")
        form = QFormLayout(self)
        form.addRow(QLabel(f"{counted(unverified, 'picked unit')} {agreeing(unverified, 'is', 'are')} not verified. A supervisor may close the "
                           "last box anyway; the units are counted in without a scan and the reason "
                           "is recorded."))
        self.supervisor = QLineEdit()
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. label unreadable, counted by eye")
        self.supervisor.setPlaceholderText("name, or scan the supervisor's badge")
        self.pin.setPlaceholderText("not needed with a badge")
        form.addRow("Supervisor", self.supervisor)
        form.addRow("PIN", self.pin)
        form.addRow("Reason", self.reason)
        self.note = ScanNote("type the reason")
        form.addRow(self.note)
        form.addRow(ok_cancel_buttons(self))
        # The packer's scanner is live: a badge scanned in the name or PIN field signs; any
        # other burst (a unit's code in the reason, Enter on a button) is taken back out and
        # neither fills a field nor says OK.
        self.guard = ScanBurstGuard(self, on_scan=self._badge, settings=settings).watch(self.supervisor, self.pin)
        self.other_keys = ScanBurstGuard(self, on_ignored=self.note.ignored, settings=settings).watch_dialog(
            self, but=(self.supervisor, self.pin))

    def _badge(self, code: str) -> None:
        """A badge scanned in the name or PIN field: the supervisor signs with it (once the
        reason is there: the override is refused without one)."""
        self.supervisor.setText(code)
        self.pin.clear()
        if self.reason.text().strip():
            self.accept()
            return
        self.note.setText("Badge read: now type the reason, then OK.")
        self.reason.setFocus()

    def request(self) -> OverrideRequest:
        return OverrideRequest(self.supervisor.text().strip(), self.pin.text(), self.reason.text().strip())


def ask_override(parent: QWidget, unverified: int, *, settings=None) -> OverrideRequest | None:
    """The supervisor's signature and reason, or None if the dialog is cancelled."""
    dialog = OverrideDialog(unverified, parent, settings=settings)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.request()


def ask_void(parent: QWidget, choices: list[int]) -> int | None:
    """Which of the boxes ``choices`` (sequence numbers) to void; None if cancelled."""
    names = [f"Box {seq}" for seq in choices]
    name = ask_item(parent, "Void box", "Void which box? Its units go back to unverified and must be scanned "
                    "again.", names, len(names) - 1)
    return None if name is None else choices[names.index(name)]
