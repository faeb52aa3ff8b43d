"""A wrong-lot scan at the picking panel: a supervisor may take the scanned lot instead."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app import picking
from app.catalog import users
from ui.ops import run_op
from ui.widgets.common import ok_cancel_buttons
from ui.widgets.scan_field import ScanBurstGuard


@dataclass(frozen=True)
class SwapRequest:
    """A supervisor's yes to taking another lot: who signs (empty when the user is one)."""

    supervisor: str
    pin: str


class SwapLotDialog(QDialog):
    """After a wrong-lot scan: take the scanned lot instead? A supervisor confirms (at a
    picker's station with name and PIN, or a badge scan). Esc cancels.

    The picker's scanner is live while it is open, so a scan never says yes by itself: at a
    picker's station a scan in the name or PIN field is taken as a supervisor's badge (which
    signs, or is refused by the sign-off); where the user is a supervisor, Enter does not
    confirm (Space on the Take button, which has the focus, does) and a scan's Enter is
    swallowed."""

    def __init__(self, refusal: picking.WrongLot, *, signed: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Take another lot?")
        form = QFormLayout(self)
        text = QLabel(f"{refusal}.\nA supervisor may accept lot {refusal.lot} instead of lot "
                      f"{refusal.allocated} (only if it is free in this bin); the swap is recorded.")
        text.setWordWrap(True)
        form.addRow(text)
        self.supervisor = QLineEdit()
        self.supervisor.setPlaceholderText("name, or scan the supervisor's badge")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText("not needed with a badge")
        if not signed:  # the user is no supervisor: one signs here
            form.addRow("&Supervisor", self.supervisor)
            form.addRow("&PIN", self.pin)
        buttons = ok_cancel_buttons(self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText(f"&Take lot {refusal.lot}")
        form.addRow(buttons)
        self.guard = ScanBurstGuard(self, on_scan=self._badge).watch(self.supervisor, self.pin)
        self._signed, self._buttons = signed, buttons

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)  # (the button box makes OK the default button as it shows)
        if self._signed:  # nothing to type: no button answers Enter, so a scan's Enter says nothing
            for button in self._buttons.buttons():
                if isinstance(button, QPushButton):
                    button.setAutoDefault(False)
                    button.setDefault(False)

    def _badge(self, code: str) -> None:
        """A badge scanned in the name or PIN field: the supervisor signs with it."""
        self.supervisor.setText(code)
        self.pin.clear()
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._signed:
            event.accept()  # (a supervisor's own dialog: Enter, a scanner's too, says nothing)
            return
        super().keyPressEvent(event)

    def request(self) -> SwapRequest:
        return SwapRequest(self.supervisor.text().strip(), self.pin.text())


def ask_swap(parent: QWidget, refusal: picking.WrongLot, *, signed: bool) -> SwapRequest | None:
    """The supervisor's yes (and signature when ``signed`` is False), or None if cancelled."""
    dialog = SwapLotDialog(refusal, signed=signed, parent=parent)
    return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None


def offer_swap(panel: Any, refusal: picking.WrongLot, code: str) -> picking.SwapResult | None:
    """After ``refusal``: ask (``panel.ask_swap``), swap the lot as the supervisor who said yes
    (``picking.swap_lot``), redraw the list and take the scan ``code`` again."""
    req = panel.ask_swap(refusal)
    panel.scan_field.grab_focus()
    if req is None:
        return None
    actor = panel.ctx.actor
    if not actor.may("resolve pick exceptions"):  # a supervisor signs at the picker's station
        actor = run_op(panel, users.sign_override, req.supervisor, req.pin, actor=panel.ctx.actor,
                       action="resolve pick exceptions", banner=panel._error)
        if actor is None:
            return None
    result = run_op(panel, picking.swap_lot, refusal.line_id, refusal.lot, actor=actor, banner=panel._error)
    if result is None:
        return None
    panel._reload_view()
    panel.ctx.feedback.ok()
    panel.banner.show_ok(result.message())
    if panel.step == "item":  # the unit in hand is now the one to take
        panel.on_scan_field_scanned(code)
    return result
