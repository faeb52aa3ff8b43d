"""Small questions (a line of text, one item of a list) whose fields a scanner burst never
fills nor answers: ``QInputDialog`` with a ``ScanBurstGuard`` on its fields.

A floor worker's scan meant for the station lands in whatever field has the cursor; in a
plain ``QInputDialog.getText`` its code would become the answer and its Enter would say OK
(an order cancelled "because 4006381333931"). Here a burst is taken back out and the dialog
says that a scan was ignored; or, where the question asks for a scan (``scan_answers``),
the scanned code is the answer.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QInputDialog, QWidget

from ui.widgets.scan_field import ScanBurstGuard


class GuardedInput(QInputDialog):
    """A ``QInputDialog`` whose fields are guarded once it shows (Qt builds them late).

    ``scan_answers``: a scan is the answer (text mode: the cleaned code, then OK); otherwise
    a scan is dropped and the label says so. ``guard.clock_ms`` may be set by tests."""

    def __init__(self, parent: QWidget | None, title: str, label: str, *, settings=None,
                 scan_answers: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setLabelText(label)
        self._label = label
        self.scan_answers = scan_answers
        self.guard = ScanBurstGuard(self, on_scan=self._scanned if scan_answers else None,
                                    on_ignored=self._note, settings=settings)
        self._guarded = False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._guarded:  # the line edit or combo box exists now
            self._guarded = True
            self.guard.watch_dialog(self)

    def _scanned(self, code: str) -> None:
        self.setTextValue(code)
        self.accept()

    def _note(self, note: str) -> None:
        self.setLabelText(f"{self._label}\n\n({note.capitalize()}.)")


def ask_text(parent: QWidget | None, title: str, label: str, *, text: str = "", settings=None,
             scan_answers: bool = False) -> str | None:
    """The line the person typed (or, with ``scan_answers``, scanned), or None when cancelled."""
    dialog = GuardedInput(parent, title, label, settings=settings, scan_answers=scan_answers)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextValue(text)
    try:
        return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def ask_item(parent: QWidget | None, title: str, label: str, items: list[str], current: int = 0) -> str | None:
    """One of ``items`` (a list box no key burst can choose from or confirm), or None."""
    dialog = GuardedInput(parent, title, label)
    dialog.setComboBoxItems(items)
    dialog.setComboBoxEditable(False)
    if 0 <= current < len(items):
        dialog.setTextValue(items[current])
    try:
        return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
