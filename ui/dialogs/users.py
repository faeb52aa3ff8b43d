"""The warehouse's people (File → Users…, a supervisor's): who may log in, with which role and
badge; a new hire added, a forgotten PIN replaced (which also lifts a lock-out), a leaver's
access taken away. A badge scanned while a badge field has the cursor is that badge; a scan
anywhere else is dropped with a note, and no scan ever says OK or saves."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app import catalog
from app.kernel import clock
from app.kernel.actor import ROLES, Actor
from ui.ops import run_op
from ui.widgets.rows_dialog import RowsDialog
from ui.widgets.scan_field import IGNORED_SCAN

HEADERS = ["Name", "Role", "Badge", "Logs in", "Locked until"]
# What the badge field says while empty (short: the field shares its row with Take away), and
# its tool tip, for a user with a badge and one without.
BADGE_SET = ("scan to replace", "Has a badge: scan a new one to replace it (Take away: no badge at all)")
NO_BADGE = ("scan the badge", "No badge yet: scan one to give it, or leave this empty")


def _pin_field(placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(12)
    field.setPlaceholderText(placeholder)
    return field


def _label(text: str, buddy: QWidget) -> QLabel:
    """A row's label whose Alt+letter goes to ``buddy`` (not to the row that holds it)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _beside(field: QWidget, button: QWidget) -> QWidget:
    """A field and the button that acts on it, on one row."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(field, 1)
    layout.addWidget(button)
    return row


def _roles() -> QComboBox:
    combo = QComboBox()
    for role in ROLES:
        combo.addItem(role, role)
    return combo


class UsersDialog(RowsDialog[catalog.UserRow]):
    """The list of users, the selected one's role, badge and access, a new PIN, a new user."""

    def __init__(self, actor: Actor, parent: QWidget | None = None, *, settings=None) -> None:
        super().__init__("PrepDesk — users", parent, width=1240, split=(3, 2))
        self.actor = actor
        # Two compact forms (a field and its button on one row): the dialog fits 768 px high.
        chosen = QGroupBox("Selected user")
        form = QFormLayout(chosen)
        self.role = _roles()
        form.addRow("&Role", self.role)
        self.badge = QLineEdit()
        self.badge.setPlaceholderText(NO_BADGE[0])
        self.badge.setToolTip(NO_BADGE[1])
        self.no_badge_button = QPushButton("Take a&way")
        self.no_badge_button.setToolTip("A lost badge: it no longer logs anybody in")
        self.no_badge_button.clicked.connect(self.take_badge_away)
        form.addRow(_label("&Badge", self.badge), _beside(self.badge, self.no_badge_button))
        self.active = QCheckBox("May &log in")
        self.save_button = QPushButton("&Save changes")
        self.save_button.clicked.connect(self.save_selected)
        form.addRow(_beside(self.active, self.save_button))
        self.new_pin = _pin_field("4 to 12 digits")
        self.pin_button = QPushButton("Set PI&N")
        self.pin_button.setToolTip("A new PIN (a forgotten one); it also lifts a lock-out")
        self.pin_button.clicked.connect(self.set_pin)
        form.addRow(_label("New &PIN", self.new_pin), _beside(self.new_pin, self.pin_button))
        self.right.addWidget(chosen)

        added = QGroupBox("New user")
        add_form = QFormLayout(added)
        self.add_name = QLineEdit()
        self.add_name.setMaxLength(100)
        add_form.addRow("Na&me", self.add_name)
        self.add_role = _roles()
        add_form.addRow("R&ole", self.add_role)
        self.add_pin = _pin_field("4 to 12 digits")
        add_form.addRow("P&IN", self.add_pin)
        self.add_badge = QLineEdit()
        self.add_badge.setPlaceholderText("scan the badge (optional)")
        add_form.addRow("Ba&dge", self.add_badge)
        self.add_button = QPushButton("&Add user")
        self.add_button.clicked.connect(self.add_user)
        add_form.addRow(self.add_button)
        self.right.addWidget(added)
        self.finish(settings=settings)

    # --- the list --------------------------------------------------------------------------
    def key(self, row: catalog.UserRow) -> str:
        return row.name

    def refresh(self, keep: str | None = None) -> None:
        rows = run_op(self, catalog.list_users, banner=self.say) or []
        now = clock.now()
        self.show_rows(rows, [(u.name, u.role, "yes" if u.has_badge else "", "yes" if u.active else "no",
                               clock.local_text(u.locked_until) if u.locked_until and u.locked_until > now else "")
                              for u in rows], set(), HEADERS, keep or self.selected_key())

    def selected_name(self) -> str | None:
        return self.selected_key()

    def show_selected(self) -> None:
        user = self.selected()
        for widget in (self.role, self.badge, self.active, self.save_button, self.new_pin, self.pin_button):
            widget.setEnabled(user is not None)
        self.no_badge_button.setEnabled(user is not None and user.has_badge)
        if user is None:
            return
        self.role.setCurrentIndex(max(0, self.role.findData(user.role)))
        self.badge.clear()  # a badge's code is never shown: type or scan a new one, or leave empty
        hint, tip = BADGE_SET if user.has_badge else NO_BADGE
        self.badge.setPlaceholderText(hint)
        self.badge.setToolTip(tip)
        self.active.setChecked(user.active)
        self.new_pin.clear()

    # --- what a supervisor does --------------------------------------------------------------
    def save_selected(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        # an empty badge field leaves the badge as it is (Take away removes one)
        badge = self.badge.text().strip() or None
        done = run_op(self, catalog.update_user, name, role=self.role.currentData(), badge=badge,
                      active=self.active.isChecked(), actor=self.actor, banner=self.say)
        if done is not None:
            self.say(f"{name}: saved.")
            self.refresh(keep=name)

    def take_badge_away(self) -> None:
        """The selected user's badge no longer logs in (a lost badge)."""
        name = self.selected_name()
        if name is not None and run_op(self, catalog.update_user, name, badge="", actor=self.actor,
                                       banner=self.say) is not None:
            self.say(f"{name}: badge taken away.")
            self.refresh(keep=name)

    def set_pin(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        if run_op(self, catalog.set_pin, name, self.new_pin.text(), actor=self.actor, banner=self.say) is not None:
            self.say(f"{name}: new PIN set.")
            self.refresh(keep=name)

    def add_user(self) -> None:
        name = self.add_name.text().strip()
        made = run_op(self, catalog.create_user, name, self.add_role.currentData(), self.add_pin.text(),
                      badge=self.add_badge.text().strip() or None, actor=self.actor, banner=self.say)
        if made is not None:
            for field in (self.add_name, self.add_pin, self.add_badge):
                field.clear()
            self.say(f"{made.name} added ({made.role}).")
            self.refresh(keep=made.name)

    # --- scans -----------------------------------------------------------------------------
    def on_scan(self, code: str) -> None:
        """A badge scanned into a badge field is that badge; anywhere else it is dropped."""
        where = self.focusWidget()
        if where in (self.badge, self.add_badge):
            where.setText(code)
            self.note.setText("")
        else:
            self.note.ignored(IGNORED_SCAN)
