"""Small questions (a line of text, one item of a list, yes or no) whose fields a scanner
burst never fills nor answers: ``QInputDialog`` with a ``ScanBurstGuard`` on its fields, and
``YesNo`` (a question no Enter answers).

A floor worker's scan meant for the station lands in whatever field has the cursor; in a
plain ``QInputDialog.getText`` its code would become the answer and its Enter would say OK
(an order cancelled "because 4006381333931"). Here a burst is taken back out and the dialog
says that a scan was ignored; or, where the question asks for a scan (``scan_answers``),
the scanned code is the answer.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.scan_field import BURST_KEY_MS, ScanBurstGuard, ScanNote


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


class YesNo(QDialog):
    """A yes-or-no question no scan answers (a message box's default button would take a
    scan's Enter, its &Yes/&No a scanned Y or N). A person answers as in a message box:
    Enter says yes, Esc no, a click, Space on a button or Alt+its letter what it says; a
    scan's burst and Enter are dropped with a note."""

    def __init__(self, parent: QWidget | None, title: str, text: str, yes: str, no: str,
                 default: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        self.note = ScanNote()
        layout.addWidget(self.note)
        row = QHBoxLayout()
        row.addStretch(1)
        self.yes, self.no = QPushButton(yes), QPushButton(no)
        for button in (self.yes, self.no):
            row.addWidget(button)
        layout.addLayout(row)
        self.yes.clicked.connect(self.accept)
        self.no.clicked.connect(self.reject)
        self.guard = ScanBurstGuard(self, on_ignored=self.note.ignored)
        self.guard.watch_dialog(self)
        first = self.yes if default else self.no  # what Enter says
        first.setDefault(True)
        first.setFocus()


def ask_yes_no(parent: QWidget | None, title: str, text: str, *, yes: str = "&Yes", no: str = "&No",
               default: bool = True) -> bool:
    """True when the person says yes (``YesNo``: no scan answers); ``default`` is what a
    person's Enter says (False where yes is the step to think twice about)."""
    dialog = YesNo(parent, title, text, yes, no, default)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()


# What a guarded message box says under its question when it dropped a scan.
SCAN_IGNORED_BY_BOX = "A scan was ignored: answer with a button, or its letter typed on its own."


class LetterKeys(QObject):
    """On a message box: a button's letter (a box answers Y for &Yes, N for &No, without Alt)
    counts only when typed on its own, never from inside a scanner's burst ("TOY-1" would
    say Yes). Plain keys are held until no other key follows within a few scanner key
    times: a lone key then reaches the box as typed, a run of keys (a scan) is dropped, and
    so is the Enter that ends it (it would press the default button): the box stays, saying
    that a scan was ignored. Esc, Alt+letter and a person's Enter reach the box at once."""

    def __init__(self, box: QMessageBox) -> None:
        super().__init__(box)
        self._box = box
        self._held: list[QKeyEvent] = []
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(3 * BURST_KEY_MS)
        self._timer.timeout.connect(self._release)
        self.dropped = ""  # the last run of keys taken for a scan (tests, logs)
        box.installEventFilter(self)
        for button in box.buttons():  # a focused button takes Enter before the box sees it
            button.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (self._replaying or event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent)
                or (obj is not self._box and obj not in self._box.buttons())):
            return False
        plain = not event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
        if plain and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._held:
            if len(self._held) > 1:  # the Enter that ends a scanner's burst: dropped with it
                self._timer.stop()
                self._drop()
                return True
            self._release()  # a letter typed, then Enter: the letter first, as typed
            return False
        if not (plain and event.text() and event.text().isprintable()):
            return False
        self._held.append(QKeyEvent(event.type(), event.key(), event.modifiers(), event.text()))
        self._timer.start()  # (again: the run goes on)
        return True

    def _drop(self) -> None:
        held, self._held = self._held, []
        self.dropped = "".join(e.text() for e in held)
        self._box.setInformativeText(SCAN_IGNORED_BY_BOX)

    def _release(self) -> None:
        if len(self._held) != 1:
            if self._held:
                self._drop()
            return
        held, self._held = self._held, []
        self._replaying = True
        try:
            QApplication.sendEvent(self._box, held[0])
        finally:
            self._replaying = False


def guard_letters(box: QMessageBox) -> QMessageBox:
    """``box`` with ``LetterKeys`` (kept as ``box.letter_keys``), for questions asked while a
    scanner is in hand."""
    box.letter_keys = LetterKeys(box)  # type: ignore[attr-defined]
    return box


def tell(parent: QWidget | None, text: str, *, title: str = "PrepDesk", critical: bool = False) -> None:
    """A message the person must read (a refusal, a failed print): OK, Enter or Esc typed by a
    person closes it; a scanner's burst and its Enter do not (they would close it unread, and
    the scan would be gone without a word): the box stays and says a scan was ignored."""
    box = QMessageBox(QMessageBox.Icon.Critical if critical else QMessageBox.Icon.Warning, title, text,
                      QMessageBox.StandardButton.Ok, parent)
    try:
        guard_letters(box).exec()
    finally:
        box.deleteLater()
