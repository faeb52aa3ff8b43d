"""The client editor: every field of a client's account, the logo with its preview, and Save.

It holds the form only: what is a good email, country or logo is the service's to say
(``clients.set_client``); the editor shows its message and keeps what was typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import shipping
from app.catalog import clients
from app.catalog.clients import ClientDetail
from app.catalog.shelf_life import MAX_SHELF_LIFE_DAYS
from ui.ops import run_op
from ui.stations.clients import product_import
from ui.widgets.ask import guard_letters
from ui.widgets.file_dialog import CSV_FILES, ask_open_path
from ui.worker import Task

# (field, label with its Alt key, placeholder, row, column) of the one-line fields, three
# to a row so the whole account fits a laptop's screen beside the client list.
LINE_FIELDS: tuple[tuple[str, str, str, int, int], ...] = (
    ("name", "&Name", "Acme Outdoor Co.", 0, 1),
    ("contact", "Con&tact", "who to call", 0, 2),
    ("phone", "&Phone", "", 1, 0),
    ("email", "E&mail", "name@example.com", 1, 1),
    ("gs1_company_prefix", "&GS1 prefix", "own, 6–12 digits", 1, 2),
    ("address1", "&Address", "street and number", 2, 0),
    ("address2", "&Bldg/suite", "address line 2", 2, 1),  # (no Alt+digit: Alt+1..8 choose the tab)
    ("city", "Cit&y", "", 2, 2),
    ("province", "State/prov.", "", 3, 0),  # (no Alt+letter: v is the View menu's)
    ("zip", "&ZIP", "", 3, 1),
    ("country", "Co&untry", "US, CA, GB…", 3, 2),
    ("default_service", "Servi&ce", "e.g. Ground", 4, 1),
)
PREVIEW_W, PREVIEW_H = 230, 74


class ClientEditor(QWidget):
    """One client's account; ``saved(code)`` after a successful Save."""

    saved = Signal(str)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: ClientDetail | None = None
        self.logo: bytes | None = None  # what the preview shows (stored or newly chosen)
        self.logo_changed = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel("New client")
        self.heading.setObjectName("Heading")
        self.heading.setWordWrap(True)  # a long name wraps: it never widens past the screen
        outer.addWidget(self.heading)

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        self.code = QLineEdit()
        self.code.setPlaceholderText("one word, e.g. ACME")
        self._add(grid, 0, 0, "C&ode", self.code)
        self.fields: dict[str, QLineEdit] = {}
        self.carrier = QComboBox()
        self.carrier.setEditable(True)
        self.carrier.addItems(["", *(c for c in shipping.CARRIERS if c != "Other")])
        for field, label, hint, row_no, col in LINE_FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText(hint)
            self.fields[field] = edit
            if field == "default_service":  # after the carrier, on its row
                self._add(grid, row_no, 0, "Carr&ier", self.carrier)
            self._add(grid, row_no, col, label, edit)
        self.shelf_life = QSpinBox()
        self.shelf_life.setRange(0, MAX_SHELF_LIFE_DAYS)
        self.shelf_life.setSuffix(" d")
        self.shelf_life.setToolTip("Dated goods received with fewer days left are refused or quarantined")
        self.active = QCheckBox("Activ&e")
        shelf_label = QLabel("Shelf life")  # (no Alt+letter: h is the Help menu's, f the File menu's)
        shelf_label.setBuddy(self.shelf_life)
        grid.addWidget(shelf_label, 4, 4)
        grid.addWidget(self.shelf_life, 4, 5)
        for col in (1, 3, 5):
            grid.setColumnStretch(col, 1)
        outer.addLayout(grid)

        notes = QHBoxLayout()
        self.returns_note = self._note(notes, "&Returns note (printed on slips)")
        self.packing_instructions = self._note(notes, "Pac&king instructions (for the packer)")
        logo_box = QVBoxLayout()
        logo_box.addWidget(QLabel("Logo (on slips)"))
        self.preview = QLabel("no logo")
        self.preview.setFixedSize(PREVIEW_W, PREVIEW_H)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("border: 1px solid #90a4ae; background: #ffffff;")
        logo_box.addWidget(self.preview)
        buttons = QHBoxLayout()
        self.logo_button = QPushButton("&Logo…")
        self.logo_button.setToolTip("Choose a PNG or JPEG picture (at most 2 MB)")
        self.remove_logo_button = QPushButton("No logo")
        buttons.addWidget(self.logo_button)
        buttons.addWidget(self.remove_logo_button)
        logo_box.addLayout(buttons)
        notes.addLayout(logo_box)
        outer.addLayout(notes)

        bottom = QHBoxLayout()
        bottom.addWidget(self.active)  # (beside Save: the account's last word, clear of the window's edge)
        self.save_button = QPushButton("&Save")
        self.save_button.setToolTip("Save the client (Ctrl+S)")
        bottom.addWidget(self.save_button)
        self.import_button = QPushButton("Import products… (Ctrl+I)")
        self.import_button.setToolTip("This client's products and barcodes from a CSV file (sku, name, "
                                      "barcode, …): added or updated, all or nothing")
        bottom.addWidget(self.import_button)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        bottom.addWidget(self.message, 1)
        outer.addLayout(bottom)
        outer.addStretch(1)

        self.logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button.clicked.connect(self.remove_logo)
        self.save_button.clicked.connect(self.save)
        self.import_button.clicked.connect(self.import_products)
        self.importing: Task | None = None
        self.load(None)

    @staticmethod
    def _add(grid: QGridLayout, row: int, col: int, text: str, widget: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        grid.addWidget(label, row, col * 2)
        grid.addWidget(widget, row, col * 2 + 1)

    @staticmethod
    def _note(layout: QHBoxLayout, title: str) -> QPlainTextEdit:
        box = QVBoxLayout()
        label = QLabel(title)
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(104)
        label.setBuddy(edit)
        box.addWidget(label)
        box.addWidget(edit)
        layout.addLayout(box, 1)
        return edit

    # --- showing ------------------------------------------------------------------------
    def load(self, detail: ClientDetail | None) -> None:
        """Show ``detail`` (None: an empty form for a new client). The same client read again
        (a change elsewhere) keeps the message line: it may be telling how an import went."""
        same = detail is not None and self.detail is not None and self.detail.code == detail.code
        self.detail = detail
        self.code.setReadOnly(detail is not None)
        self.code.setText(detail.code if detail else "")
        self.heading.setText(f"{detail.code} — {detail.name}" if detail else "New client")
        for field, edit in self.fields.items():
            edit.setText(str(getattr(detail, field)) if detail else "")
        self.carrier.setCurrentText(detail.default_carrier if detail else "")
        self.shelf_life.setValue(detail.min_shelf_life_days if detail else 0)
        self.active.setChecked(detail.active if detail else True)
        self.returns_note.setPlainText(detail.returns_note if detail else "")
        self.packing_instructions.setPlainText(detail.packing_instructions if detail else "")
        self.logo_changed = False
        self._show_logo(detail.logo if detail else None)
        self.import_button.setEnabled(detail is not None and self.ctx.actor.may("import products"))
        if not same:
            self.say("")

    def _show_logo(self, data: bytes | None) -> None:
        self.logo = data
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.preview.setPixmap(pixmap.scaled(PREVIEW_W - 4, PREVIEW_H - 4, Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))
        else:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("no logo" if not data else "logo (no preview)")
        self.remove_logo_button.setEnabled(bool(data))

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setObjectName("ErrorText" if error else "StatusText")
        self.message.style().unpolish(self.message)  # the object name picks the style sheet's colour
        self.message.style().polish(self.message)
        self.message.setText(text)

    # --- editing ------------------------------------------------------------------------
    def ask_logo_file(self) -> str:
        return ask_open_path(self, "Client logo", "Pictures (*.png *.jpg *.jpeg)") or ""

    def choose_logo(self) -> None:
        path = self.ask_logo_file()
        if not path:
            return
        data = run_op(self, clients.read_logo, path, banner=lambda m: self.say(m, error=True))
        if data is not None:
            self.logo_changed = True
            self._show_logo(data)
            self.say("Logo chosen: Save to keep it.")

    def ask_products_file(self) -> str:
        return ask_open_path(self, "Products to import", CSV_FILES) or ""

    def import_products(self, _checked: bool = False) -> None:
        """The shown client's products from a CSV file, on the worker pool (the window keeps
        drawing); the outcome in the message line."""
        if self.detail is None or not self.import_button.isEnabled():
            return
        path = self.ask_products_file()
        if path:
            self.importing = product_import.import_products(
                self, self.ctx.actor, self.detail.code, path, lambda text, error: self.say(text, error=error))

    def remove_logo(self) -> None:
        self.logo_changed = True
        self._show_logo(None)
        self.say("Logo removed: Save to keep it.")

    def typed(self) -> dict[str, Any]:
        """The fields that differ from the client as loaded (every filled one for a new client)."""
        values: dict[str, Any] = {field: edit.text() for field, edit in self.fields.items()}
        values["default_carrier"] = self.carrier.currentText()
        values["min_shelf_life_days"] = self.shelf_life.value()
        values["active"] = self.active.isChecked()
        values["returns_note"] = self.returns_note.toPlainText()
        values["packing_instructions"] = self.packing_instructions.toPlainText()
        if self.detail is None:
            out = {k: v for k, v in values.items() if v not in ("", 0) or k == "name"}
            out["active"] = values["active"]
        else:
            out = {k: v for k, v in values.items() if v != getattr(self.detail, k)}
        if self.logo_changed:
            out["logo"] = self.logo
        return out

    def unsaved(self) -> bool:
        """Whether the form holds something typed or chosen and not saved."""
        if self.detail is not None:
            return bool(self.typed())
        return bool(self.code.text().strip()) or self.typed() != {"name": "", "active": True}

    def unsaved_box(self) -> QMessageBox:
        """Save / Discard / Cancel (Enter: Cancel, the step that loses nothing; a scanned S or D
        answers nothing)."""
        what = self.detail.code if self.detail is not None else "the new client"
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                          f"Changes to {what} are not saved yet.", parent=self)
        box.addButton("&Save", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("&Cancel", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        return guard_letters(box)

    def ask_unsaved(self) -> str:
        """"save", "discard" or "cancel": what to do with the unsaved changes."""
        box = self.unsaved_box()
        try:
            box.exec()
            role = box.buttonRole(box.clickedButton()) if box.clickedButton() is not None else None
        finally:
            box.deleteLater()
        return {QMessageBox.ButtonRole.AcceptRole: "save",
                QMessageBox.ButtonRole.DestructiveRole: "discard"}.get(role, "cancel")

    def may_leave(self) -> bool:
        """Whether the form may show something else: nothing unsaved, or the person saved
        (and the save went through) or discarded it."""
        if not self.unsaved():
            return True
        answer = self.ask_unsaved()
        return answer == "discard" or (answer == "save" and self.save())

    def save(self, _checked: bool = False) -> bool:
        code = self.detail.code if self.detail else self.code.text()
        fields = self.typed()
        if self.detail is not None and not fields:
            self.say("Nothing changed.")
            return True
        detail = run_op(self, clients.set_client, code, actor=self.ctx.actor, new=self.detail is None,
                        banner=lambda m: self.say(m, error=True), **fields)
        if detail is None:
            return False
        self.load(detail)
        self.say(f"Saved {detail.code}.")
        self.saved.emit(detail.code)
        return True
