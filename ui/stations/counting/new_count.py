"""A supervisor asks for a blind count from the window: one bin, a zone, the bins holding a
product, or the bins not counted for some days (``app.counting.create_task``, as the command
line's ``count create``). A scanned bin label or product barcode fills the field it belongs
in; a scan never says OK."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app import catalog, counting
from ui.ops import run_op
from ui.widgets.common import ok_cancel_buttons
from ui.widgets.scan_field import IGNORED_SCAN, ScanBurstGuard, ScanNote

# What a count covers: (key, the choice's words, the field's label and hint).
SCOPES: tuple[tuple[str, str, str, str], ...] = (
    ("bin", "One bin", "&Bin", "scan the bin's label or type its code"),
    ("zone", "Every bin of a zone", "&Zone", "the zone's letter(s), e.g. A"),
    ("product", "The bins holding a product", "&Product", "scan the product or type its SKU"),
    ("stale", "The bins not counted for a while", "", ""),
)
DEFAULT_DAYS = 90


class NewCountDialog(QDialog):
    """What to count (and, optionally, only one client's goods). ``created`` is the new task
    once OK succeeded."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.created: counting.CreatedTask | None = None
        self.setWindowTitle("New count")
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        self.scope = QComboBox()
        for key, words, _label, _hint in SCOPES:
            self.scope.addItem(words, key)
        scope_label = QLabel("&Count")
        scope_label.setBuddy(self.scope)
        form.addRow(scope_label, self.scope)
        self.value = QLineEdit()
        self.value_label = QLabel()
        self.value_label.setBuddy(self.value)
        form.addRow(self.value_label, self.value)
        self.days = QSpinBox()
        self.days.setRange(0, 3650)
        self.days.setValue(DEFAULT_DAYS)
        self.days.setSuffix(" days")
        self.days_label = QLabel("&Not counted for")
        self.days_label.setBuddy(self.days)
        form.addRow(self.days_label, self.days)
        self.client = QComboBox()
        self.client.addItem("Any client", None)
        for c in run_op(self, catalog.list_clients) or []:
            self.client.addItem(f"{c.code} — {c.name}", c.code)
        client_label = QLabel("C&lient's goods only")
        client_label.setBuddy(self.client)
        form.addRow(client_label, self.client)
        self.note = ScanNote()
        form.addRow(self.note)
        self.buttons = ok_cancel_buttons(self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create count")
        form.addRow(self.buttons)
        self.scope.currentIndexChanged.connect(lambda _i: self._scope_changed())
        self._scope_changed()
        self.guard = ScanBurstGuard(self, on_scan=self.on_scan, settings=ctx.settings).watch_dialog(self)

    def key(self) -> str:
        return str(self.scope.currentData())

    def _scope_changed(self) -> None:
        _key, _words, label, hint = next(s for s in SCOPES if s[0] == self.key())
        stale = not label
        for widget in (self.value_label, self.value):
            widget.setVisible(not stale)
        for widget in (self.days_label, self.days):
            widget.setVisible(stale)
        if not stale:
            self.value_label.setText(label)
            self.value.setPlaceholderText(hint)
        self.note.setText("")

    def on_scan(self, code: str) -> None:
        """A bin's label or a product's barcode goes into the field that takes it (never OK)."""
        if self.key() in ("bin", "product"):
            self.value.setText(code)
            self.value.setFocus()
            self.note.setText("")
        else:
            self.note.ignored(IGNORED_SCAN)

    def request(self) -> dict[str, object]:
        """``create_task``'s keywords for what was chosen."""
        asked: dict[str, object] = {"client": self.client.currentData()}
        key = self.key()
        if key == "stale":
            asked["stale_days"] = self.days.value()
        else:
            asked[{"bin": "bin_code", "zone": "zone", "product": "product"}[key]] = self.value.text()
        return asked

    def accept(self) -> None:
        created = run_op(self, counting.create_task, **self.request(), actor=self.ctx.actor,
                         banner=self._refused)
        if created is not None:
            self.created = created
            super().accept()

    def _refused(self, message: str) -> None:
        self.note.setText(message[:1].upper() + message[1:])
        self.value.setFocus()
