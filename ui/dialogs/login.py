"""Log in: a user name and PIN, or a badge scanned into the same dialog.

The dialog itself imports no database code: the user catalogue (``app.catalog.users``, with
``app.store`` under it) is named through ``ui.lazy`` and loaded when the dialog first needs
it. At a station's start the dialog is drawn first, then its ``prepare`` (opening the
database) runs at once, while the person types; a name or PIN submitted before that is done
waits for it, so nothing typed is lost."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.kernel.actor import Actor
from app.kernel.barcodes import clean_scan
from app.kernel.errors import AuthError, PrepDeskError
from ui import lazy
from ui.widgets.scan_field import ScanBurstGuard

NO_USERS = "No users yet: create them with 'python main.py init --demo' or 'python main.py user add'."


def _users() -> Any:
    """``app.catalog.users`` (the PIN check, with the database layer under it)."""
    return lazy.load("app.catalog.users")

log = logging.getLogger(__name__)


class LoginDialog(QDialog):
    """On success ``actor`` holds who logged in.

    Enter in the name field moves to the PIN when the text is a user's name; anything
    else there is taken as a badge scan (``users.login_badge``). A scanner burst in either
    field is a badge scan whatever the field holds: it never lands in the PIN (where it
    would count as a wrong PIN against the typed user) nor sticks to a typed name
    (``ScanBurstGuard``; its clock is ``scan_guard.clock_ms``).

    ``prepare`` (returns True when the database is open) runs right after the dialog is
    first drawn, or at the first submit if that comes sooner; False (the person quit from the
    database's error box) closes the dialog unanswered. Without it the database is open
    already. ``ready`` is emitted once the users' names are loaded. ``check`` runs the login
    call it is given (default: here and now); the station's start passes one that checks the
    PIN beside loading the window's modules.
    """

    ready = Signal()

    def __init__(self, settings=None, station: str = "", parent: QWidget | None = None,
                 prepare: Callable[[], bool] | None = None,
                 check: Callable[[Callable[[], Actor]], Actor] | None = None) -> None:
        super().__init__(parent)
        self._check = check
        self._settings = settings
        self._station = station
        self._prepare = prepare
        self._ready = False
        self._drawn = False
        self._preparing = False
        self.actor: Actor | None = None
        self.setWindowTitle("PrepDesk — log in")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        title = QLabel("Log in: type your name and PIN, or scan your badge")
        title.setObjectName("Heading")
        title.setWordWrap(True)
        layout.addWidget(title)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(form)
        self.name = QLineEdit()
        self.name.setObjectName("BigInput")
        self.name.setPlaceholderText("Name or badge")
        self._names: dict[str, str] = {}
        completer = QCompleter([], self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.name.setCompleter(completer)
        form.addRow(self._label("&Name", self.name), self.name)
        self.pin = QLineEdit()
        self.pin.setObjectName("BigInput")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText("PIN")
        form.addRow(self._label("&PIN", self.pin), self.pin)

        self.error = QLabel("")
        self.error.setObjectName("LoginError")
        self.error.setWordWrap(True)
        font = self.error.font()
        font.setPointSize(20)
        font.setBold(True)
        self.error.setFont(font)
        self.error.setStyleSheet("color: #d50000;")
        # Room for a two-line message (a lock) from the start: the fields never get squeezed.
        self.error.setMinimumHeight(2 * self.error.fontMetrics().lineSpacing() + 4)
        self.error.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.error)

        buttons = QDialogButtonBox()
        self.login_button = buttons.addButton("&Log in", QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = buttons.addButton("&Quit", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            button.setAutoDefault(False)
        layout.addWidget(buttons)

        self.scan_guard = ScanBurstGuard(self, on_scan=self.on_badge_scanned, settings=settings)
        self.scan_guard.watch(self.name, self.pin)
        # A badge scanned while a button has the focus is a badge too: its Enter never
        # presses Quit (or Log in with what the fields hold).
        self.scan_guard.watch_keys(self.login_button, self.quit_button)
        self.name.returnPressed.connect(self.on_name_entered)
        self.pin.returnPressed.connect(self.try_login)
        self.name.setFocus()
        if prepare is None:
            self._load_names()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._drawn:
            self._drawn = True  # on screen: now load what the PIN check needs
            QTimer.singleShot(0, self, self.make_ready)  # (never after the dialog is gone)

    def make_ready(self) -> bool:
        """Open the database (``prepare``) and load the users' names, once; True when done."""
        if self._ready or self._preparing:
            return self._ready  # (preparing: a box about the database is open over the dialog)
        if self._prepare is not None:
            self._preparing = True
            try:
                opened = self._prepare()
            except PrepDeskError as exc:
                self._fail(str(exc))
                return False
            finally:
                self._preparing = False
            if not opened:
                self.reject()  # the person chose Quit in the database's error box
                return False
            self._prepare = None
        self._load_names()
        return True

    def _load_names(self) -> None:
        try:
            self._names = {u.name.casefold(): u.name for u in _users().list_users() if u.active}
        except Exception:  # noqa: BLE001 - the dialog stays open; login will say what is wrong
            log.exception("cannot list users")
            self._names = {}
        completer = self.name.completer()
        completer.model().setStringList(sorted(self._names.values()))
        if not self._names:
            self.error.setText(NO_USERS)
        self._ready = True
        self.ready_for_pin()

    def ready_for_pin(self) -> None:
        """The database is open and the names are loaded (the start-up benchmark times it)."""
        self.ready.emit()

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        # In the style sheet: the application's QWidget font-size would win over setFont().
        label.setStyleSheet("font-size: 18pt; font-weight: bold;")
        label.setBuddy(buddy)
        # As tall as the big field beside it, text centred on the field's middle.
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setMinimumHeight(buddy.sizeHint().height())
        return label

    def keyPressEvent(self, event) -> None:
        # Enter belongs to the fields (name -> PIN -> log in), not to a default button;
        # on a focused button it presses that button.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            if isinstance(focused, QPushButton):
                focused.click()
            event.accept()
            return
        super().keyPressEvent(event)

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.pin.clear()

    def on_name_entered(self) -> None:
        text = self.name.text().strip()
        if not text or not self.make_ready():
            return
        if text.casefold() in self._names:
            self.name.setText(self._names[text.casefold()])
            self.pin.setFocus()
            return
        if self.pin.text():
            self.try_login()
            return
        prefix = self._settings.scanner_prefix if self._settings is not None else ""
        suffix = self._settings.scanner_suffix if self._settings is not None else ""
        self._login(_users().login_badge, clean_scan(text, prefix=prefix, suffix=suffix))
        if self.actor is None:
            self.name.selectAll()

    def on_badge_scanned(self, code: str) -> None:
        """A badge scanned into the name or PIN field (the guard took it back out)."""
        if not self.make_ready():
            return
        self._login(_users().login_badge, code)
        if self.actor is None:
            self.name.setFocus()

    def try_login(self) -> None:
        name, pin = self.name.text().strip(), self.pin.text()
        if not name:
            self._fail("Type your name (or scan your badge).")
            self.name.setFocus()
            return
        if not pin:
            self._fail("Type your PIN.")
            self.pin.setFocus()
            return
        if not self.make_ready():
            return
        self._login(_users().login, name, pin)
        if self.actor is None:
            self.pin.setFocus()

    def _login(self, fn, *args: str) -> None:
        try:
            if self._check is None:
                self.actor = fn(*args, station=self._station)
            else:
                self.actor = self._check(lambda: fn(*args, station=self._station))
        except AuthError as exc:  # also a lock: "too many attempts: try again in N minutes"
            self._fail(str(exc)[:1].upper() + str(exc)[1:])
            return
        except PrepDeskError as exc:
            self._fail(str(exc))
            return
        log.info("login %s (%s)", self.actor.name, self.actor.role)
        self.accept()
