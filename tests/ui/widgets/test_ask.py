"""ask_text / ask_item: a scanner burst neither fills the answer nor says OK; a person's typing
and Enter do; a question that asks for a scan takes the scanned code as the answer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from tests.support.qt import KeyClock
from ui.widgets.ask import GuardedInput, YesNo, ask_item, ask_text, guard_letters, tell
from ui.widgets.scan_field import IGNORED_SCAN

CODE = "4006381333931"


def keys(qtbot, dialog: QDialog, text: str, key=Qt.Key.Key_Return) -> None:
    """Keys to the dialog's field with the focus, as a keyboard (or a wedge scanner) sends them."""
    target = dialog.focusWidget()
    assert target is not None
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, key)


def drive(monkeypatch, qtbot, *steps):
    """``GuardedInput.exec`` shows the dialog and plays ``steps`` (ms per key, text); it
    records what the dialog looked like after each and answers the dialog's result."""
    seen: list[tuple[bool, str, str]] = []

    def exec_(self):
        self.show()
        qtbot.waitExposed(self)
        self.activateWindow()
        for step, text in steps:
            if not self.isVisible():
                break
            self.guard.clock_ms = KeyClock(step)
            keys(qtbot, self, text)
            seen.append((self.isVisible(), self.textValue(), self.labelText()))
        return self.result()

    monkeypatch.setattr(GuardedInput, "exec", exec_)
    return seen


def test_a_burst_in_ask_text_is_taken_out_then_typing_answers(qtbot, monkeypatch):
    seen = drive(monkeypatch, qtbot, (5, CODE), (150, "typo"))
    assert ask_text(None, "Cancel order", "Why is order 1001 cancelled?") == "typo"
    note = f"Why is order 1001 cancelled?\n\n({IGNORED_SCAN.capitalize()}.)"
    assert seen == [(True, "", note), (False, "typo", note)]


def test_only_a_burst_leaves_ask_text_open(qtbot, monkeypatch):
    seen = drive(monkeypatch, qtbot, (5, CODE))
    assert ask_text(None, "Cancel order", "Why?") is None
    assert seen[0][:2] == (True, "")


def test_a_question_that_asks_for_a_scan_takes_it(qtbot, monkeypatch, ui_settings):
    ui_settings.scanner_prefix = "#"
    seen = drive(monkeypatch, qtbot, (5, "#1001"))
    assert ask_text(None, "Reprint", "Scan or type the order number:", settings=ui_settings,
                    scan_answers=True) == "1001"
    assert seen == [(False, "1001", "Scan or type the order number:")]


def test_a_burst_never_chooses_in_ask_item(qtbot, monkeypatch):
    seen = drive(monkeypatch, qtbot, (5, "1003"), (150, "1"))
    assert ask_item(None, "Take order off the list", "Order", ["1001", "1002", "1003"]) == "1001"
    assert [s[:2] for s in seen] == [(True, "1001"), (False, "1001")]


def test_ask_item_without_keys_is_cancelled(qtbot):
    assert ask_item(None, "Void box", "Which?", ["Box 1", "Box 2"], 1) is None  # exec: Rejected
    assert QDialog.DialogCode.Rejected == 0


def test_no_scan_nor_enter_answers_a_yes_no_question(qtbot):
    dialog = YesNo(None, "Short shelf life", "Send them to QUARANTINE instead?", "Send to &QUARANTINE", "&Refuse")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for button in (dialog.no, dialog.yes):
        dialog.guard.clock_ms = KeyClock(5)
        button.setFocus()
        qtbot.keyClicks(button, "NY-QR-1234")  # letters a message box would take as its buttons'
        qtbot.keyClick(button, Qt.Key.Key_Return)
        assert dialog.isVisible() and dialog.result() == 0
    assert dialog.note.text() == f"{IGNORED_SCAN.capitalize()}."
    dialog.guard.clock_ms = KeyClock(150)
    qtbot.keyClick(dialog.yes, Qt.Key.Key_Return)  # a person's Enter answers, as in a message box
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()


def test_a_message_box_takes_a_letter_typed_alone_never_one_inside_a_scan(qtbot):
    def box():
        made = QMessageBox(QMessageBox.Icon.Question, "Close shipment", "Close shipment ASN-1?",
                           QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        made.setDefaultButton(QMessageBox.StandardButton.No)
        guard_letters(made)
        qtbot.addWidget(made)
        made.show()
        qtbot.waitExposed(made)
        return made

    scanned = box()
    qtbot.keyClicks(scanned.focusWidget(), "TOY-1")  # a plain Y would press &Yes
    qtbot.waitUntil(lambda: scanned.letter_keys.dropped == "TOY-1")
    assert scanned.isVisible() and scanned.clickedButton() is None
    assert scanned.informativeText() == "A scan was ignored: answer with a button, or its letter typed on its own."
    qtbot.keyClick(scanned.focusWidget(), Qt.Key.Key_Return)  # a person's Enter, later: the default, No
    assert scanned.clickedButton() is scanned.button(QMessageBox.StandardButton.No)
    burst = box()
    qtbot.keyClicks(burst.focusWidget(), "0100000000100014")
    qtbot.keyClick(burst.focusWidget(), Qt.Key.Key_Return)  # the scanner's own Enter, at once: dropped too
    assert burst.isVisible() and burst.clickedButton() is None
    assert burst.letter_keys.dropped == "0100000000100014" and "A scan was ignored" in burst.informativeText()
    qtbot.keyClicks(burst.focusWidget(), "n")  # then a person's N on its own: No
    qtbot.waitUntil(lambda: burst.clickedButton() is not None)
    assert burst.clickedButton() is burst.button(QMessageBox.StandardButton.No)
    typed = box()
    qtbot.keyClicks(typed.focusWidget(), "y")  # a person's Y on its own: Yes
    qtbot.waitUntil(lambda: typed.clickedButton() is not None)
    assert typed.clickedButton() is typed.button(QMessageBox.StandardButton.Yes)


def test_a_question_whose_enter_says_no(qtbot):
    """Where yes is the step to think twice about (a new, empty database), Enter says No."""
    dialog = YesNo(None, "PrepDesk — new database", "Create a new, empty warehouse there?", "&Yes", "&No",
                   default=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.no.isDefault() and not dialog.yes.isDefault() and dialog.focusWidget() is dialog.no
    dialog.guard.clock_ms = KeyClock(5)
    qtbot.keyClicks(dialog.no, "YES-1234")
    qtbot.keyClick(dialog.no, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0  # a scan answers nothing
    dialog.guard.clock_ms = KeyClock(150)
    qtbot.keyClick(dialog.no, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()


def test_a_warning_box_is_not_closed_unread_by_a_scan(qtbot, monkeypatch):
    """A failed print's message pops up while the packer scans on: the scan's Enter would have
    closed it unread; it stays, says the scan was ignored, and the person's Enter closes it."""
    seen: dict[str, object] = {}

    def run(box):
        qtbot.addWidget(box)
        box.show()
        qtbot.waitExposed(box)
        qtbot.keyClicks(box.focusWidget(), "4006381333931")
        qtbot.keyClick(box.focusWidget(), Qt.Key.Key_Return)
        seen["scanned"] = (box.isVisible(), box.clickedButton(), box.informativeText())
        qtbot.keyClick(box.focusWidget(), Qt.Key.Key_Return)  # the person, having read it
        seen["closed by"] = box.clickedButton() is box.button(QMessageBox.StandardButton.Ok)
        seen["icon"] = box.icon()
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", run)
    tell(None, "Cannot print slip 1001: the printer is offline")
    assert seen == {"scanned": (True, None, "A scan was ignored: answer with a button, or its letter typed on "
                                "its own."),
                    "closed by": True, "icon": QMessageBox.Icon.Warning}
