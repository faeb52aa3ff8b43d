"""The boxes the packing stations offer (File → Box types…, a supervisor's): each with its
inside size, empty weight and the most it carries, in the warehouse's units; a new box added,
a box retired (no longer offered or suggested; packed boxes keep it) and offered again. A scan
is dropped with a note; no scan says OK."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app import packing
from app.kernel import units
from app.kernel.actor import Actor
from app.kernel.errors import ValidationError
from ui.ops import run_op
from ui.widgets.rows_dialog import RowsDialog
from ui.widgets.scan_field import IGNORED_SCAN

HEADERS = ["Box", "Inside", "Empty weight", "Carries at most", "Offered"]


def _kg(text: str, what: str) -> float:
    """A typed weight in kg (empty: 0); ValidationError names the field."""
    if not text.strip():
        return 0.0
    try:
        return float(units.parse_weight(text))
    except ValueError as exc:
        raise ValidationError(f"{what}: {exc}") from None


class BoxTypesDialog(RowsDialog[packing.BoxTypeRow]):
    def __init__(self, actor: Actor, parent: QWidget | None = None, *, settings=None) -> None:
        # (the list takes two thirds: a box sized in inches shows its inside to the hundredth
        # of a cm, and every column stays in view on a 1366x768 screen)
        super().__init__("PrepDesk — box types", parent, width=1200, split=(2, 1))
        self.actor = actor
        self.toggle_button = QPushButton("&Retire box")
        self.toggle_button.setToolTip("A retired box is no longer offered or suggested; packed boxes keep it")
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.left.addWidget(self.toggle_button)

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
        self.right.addWidget(added)
        self.finish(settings=settings)

    def key(self, row: packing.BoxTypeRow) -> str:
        return row.name

    def refresh(self, keep: str | None = None) -> None:
        rows = run_op(self, packing.list_box_types, include_inactive=True, banner=self.refused) or []
        self.show_rows(rows, [(b.name, b.dims_text, units.weight_text(b.weight_kg),
                               units.weight_text(b.max_weight_kg) if b.max_weight_kg else "no limit",
                               "yes" if b.active else "retired") for b in rows], set(), HEADERS,
                       keep or self.selected_key())

    def show_selected(self) -> None:
        b = self.selected()
        self.toggle_button.setEnabled(b is not None)
        self.toggle_button.setText("&Retire box" if b is None or b.active else "&Offer it again")

    def say(self, text: str, *, error: bool = False) -> None:
        """What the last action did, or (``error``) why it was refused, in the error colour; an
        earlier note about an ignored scan goes (it was about the action before)."""
        self.note.setText("")
        self.message.setObjectName("ErrorText" if error else "StatusText")
        self.message.style().unpolish(self.message)  # the object name picks the style sheet's colour
        self.message.style().polish(self.message)
        super().say(text)

    def refused(self, text: str) -> None:
        self.say(text, error=True)

    def toggle_selected(self) -> None:
        b = self.selected()
        if b is None:
            return
        done = run_op(self, packing.update_box_type, b.name, active=not b.active, actor=self.actor,
                      banner=self.refused)
        if done is not None:
            self.say(f"{done.name} is offered again." if done.active else f"{done.name} is retired.")
            self.refresh(keep=done.name)

    def add_box(self) -> None:
        made = run_op(self, self._add, banner=self.refused)
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

    def on_scan(self, _code: str) -> None:
        self.note.ignored(IGNORED_SCAN)
