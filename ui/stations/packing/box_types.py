"""The boxes the packing station offers (Packing → Box types…, a supervisor's): each with its
inside size, empty weight and the most it carries, in the warehouse's units; a new box added,
a box retired (no longer offered or suggested; packed boxes keep it) and offered again. A scan
is dropped with a note; no scan says OK."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import packing
from app.kernel import units
from app.kernel.actor import Actor
from app.kernel.errors import ValidationError
from ui.ops import run_op
from ui.widgets.common import enter_presses_nothing, message_line
from ui.widgets.scan_field import IGNORED_SCAN, ScanBurstGuard, ScanNote
from ui.widgets.tables import fill_table, read_only_table

HEADERS = ["Box", "Inside", "Empty weight", "Carries at most", "Offered"]


def _kg(text: str, what: str) -> float:
    """A typed weight in kg (empty: 0); ValidationError names the field."""
    if not text.strip():
        return 0.0
    try:
        return float(units.parse_weight(text))
    except ValueError as exc:
        raise ValidationError(f"{what}: {exc}") from None


class BoxTypesDialog(QDialog):
    def __init__(self, actor: Actor, parent: QWidget | None = None, *, settings=None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.rows: list[packing.BoxTypeRow] = []
        self.setWindowTitle("PrepDesk — box types")
        self.setMinimumWidth(1200)
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        self.table = read_only_table()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.currentCellChanged.connect(lambda *_: self._show_selected())
        left.addWidget(self.table, 1)
        self.toggle_button = QPushButton("&Retire box")
        self.toggle_button.setToolTip("A retired box is no longer offered or suggested; packed boxes keep it")
        self.toggle_button.clicked.connect(self.toggle_selected)
        left.addWidget(self.toggle_button)
        self.note = ScanNote()
        left.addWidget(self.note)
        outer.addLayout(left, 3)

        right = QVBoxLayout()
        added = QGroupBox("New box")
        form = QFormLayout(added)
        self.name = QLineEdit()
        self.name.setMaxLength(60)
        self.name.setPlaceholderText("e.g. Medium")
        self.dims = QLineEdit()
        self.dims.setPlaceholderText(f"e.g. {'30x20x15' if units.system() == 'metric' else '12x8x6'} "
                                     f"{units.length_unit()}")
        self.dims.setToolTip("The inside: length x width x height")
        self.weight = QLineEdit()
        self.weight.setPlaceholderText(f"e.g. 0.3 {units.weight_unit()}")
        self.max_weight = QLineEdit()
        self.max_weight.setPlaceholderText(f"no limit, or e.g. 15 {units.weight_unit()}")
        for text, field in (("&Name", self.name), ("&Inside", self.dims), ("&Empty weight", self.weight),
                            ("Carries at &most", self.max_weight)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        self.add_button = QPushButton("&Add box")
        self.add_button.clicked.connect(self.add_box)
        form.addRow(self.add_button)
        right.addWidget(added)
        self.message = message_line()
        right.addWidget(self.message)
        right.addStretch(1)
        close = QPushButton("Close window")
        close.clicked.connect(self.accept)
        right.addWidget(close)
        outer.addLayout(right, 2)
        enter_presses_nothing(self)
        self.guard = ScanBurstGuard(self, on_scan=self.on_scan, settings=settings).watch_dialog(self)
        self.refresh()

    def refresh(self, keep: str | None = None) -> None:
        keep = keep or self.selected_name()
        self.rows = run_op(self, packing.list_box_types, include_inactive=True, banner=self.say) or []
        fill_table(self.table, HEADERS, [
            (b.name, b.dims_text, units.weight_text(b.weight_kg),
             units.weight_text(b.max_weight_kg) if b.max_weight_kg else "no limit", "yes" if b.active else "retired")
            for b in self.rows], set())
        names = [b.name for b in self.rows]
        if names:
            self.table.setCurrentCell(names.index(keep) if keep in names else 0, 0)
        self._show_selected()

    def selected_name(self) -> str | None:
        row = self.table.currentRow()
        return self.rows[row].name if 0 <= row < len(self.rows) else None

    def _show_selected(self) -> None:
        row = self.table.currentRow()
        b = self.rows[row] if 0 <= row < len(self.rows) else None
        self.toggle_button.setEnabled(b is not None)
        self.toggle_button.setText("&Retire box" if b is None or b.active else "&Offer it again")

    def toggle_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            return
        b = self.rows[row]
        done = run_op(self, packing.update_box_type, b.name, active=not b.active, actor=self.actor, banner=self.say)
        if done is not None:
            self.say(f"{done.name} is offered again." if done.active else f"{done.name} is retired.")
            self.refresh(keep=done.name)

    def add_box(self) -> None:
        made = run_op(self, self._add, banner=self.say)
        if made is not None:
            for field in (self.name, self.dims, self.weight, self.max_weight):
                field.clear()
            self.say(f"{made.name} added: {made.dims_text}.")
            self.refresh(keep=made.name)

    def _add(self) -> packing.BoxTypeRow:
        length, width, height = packing.parse_dims(self.dims.text())
        return packing.add_box_type(self.name.text(), length_cm=length, width_cm=width, height_cm=height,
                                    weight_kg=_kg(self.weight.text(), "empty weight"),
                                    max_weight_kg=_kg(self.max_weight.text(), "carries at most"),
                                    actor=self.actor)

    def say(self, text: str) -> None:
        self.message.setText(text[:1].upper() + text[1:])

    def on_scan(self, _code: str) -> None:
        self.note.ignored(IGNORED_SCAN)
