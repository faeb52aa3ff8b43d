"""The product editor dialog (supervisor): name, barcodes and case packs, weight and size in the
warehouse's units, reorder point, packing instructions, prep services, unit cost, lot tracking.

Barcodes added or removed wait in the dialog's list; Save sends everything to
``catalog.update_product`` at once, which checks it and stores all of it or nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import catalog
from app.catalog import ProductDetail
from app.catalog.scan import product_code
from app.kernel import units
from app.kernel.text import INT_MAX
from ui.ops import run_op
from ui.widgets.common import add_shortcuts
from ui.widgets.scan_field import ScanBurstGuard
from ui.widgets.tables import fit_columns_to_contents

# A code added in the dialog, stored when Save is pressed.
NEW_CODE = "Unsaved"
PREP_LABELS = {"label": "Labe&l", "polybag": "Pol&ybag", "bubble_wrap": "&Bubble wrap", "insert": "I&nsert",
               "bundle": "B&undle"}


class ProductEditor(QDialog):
    """Edit one product; accepted after a successful Save (``detail`` is then what was stored)."""

    def __init__(self, ctx, product_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.product_id = product_id
        self.detail: ProductDetail | None = run_op(parent, catalog.product_detail, product_id)
        self.codes: list[tuple[str, str, int]] = []  # the barcode list as the dialog shows it
        self.adds: dict[str, int] = {}
        self.removes: list[str] = []
        self.setMinimumWidth(1240)

        outer = QVBoxLayout(self)
        self.heading = QLabel("")
        self.heading.setObjectName("Heading")
        outer.addWidget(self.heading)
        columns = QHBoxLayout()
        outer.addLayout(columns)

        grid = QGridLayout()
        self.name = QLineEdit()
        self.weight = QLineEdit()
        self.weight.setPlaceholderText(f"e.g. 1.2 {units.weight_unit()}")
        self.weight.setToolTip("A bare number is in the warehouse's unit; 12 oz, 700 g, 1.5 lb say their own")
        self.dims = QLineEdit()
        self.dims.setPlaceholderText(f"L x W x H, e.g. 30x20x10 {units.length_unit()}")
        self.reorder = QSpinBox()
        self.reorder.setRange(0, INT_MAX)
        self.cost = QLineEdit()
        self.cost.setPlaceholderText("e.g. 3.50")
        for row, (text, widget) in enumerate((("&Name", self.name), ("&Weight", self.weight), ("Si&ze", self.dims),
                                              ("&Reorder point", self.reorder), ("Unit &cost", self.cost))):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1)
        flags = QHBoxLayout()
        self.track_lot = QCheckBox("L&ots")
        self.track_expiry = QCheckBox("E&xpiry")
        self.active = QCheckBox("Ac&tive")
        for box in (self.track_lot, self.track_expiry, self.active):
            flags.addWidget(box)
        grid.addWidget(QLabel("Tracking"), 5, 0)
        grid.addLayout(flags, 5, 1)
        self.prep = {name: QCheckBox(PREP_LABELS.get(name, name)) for name in catalog.PREP_SERVICES}
        prep_grid = QGridLayout()
        for i, box in enumerate(self.prep.values()):
            prep_grid.addWidget(box, i // 3, i % 3)
        grid.addWidget(QLabel("Prep"), 6, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(prep_grid, 6, 1)
        self.instructions = QPlainTextEdit()
        self.instructions.setTabChangesFocus(True)
        self.instructions.setFixedHeight(90)
        label = QLabel("&Packing\ninstructions")
        label.setBuddy(self.instructions)
        grid.addWidget(label, 7, 0)
        grid.addWidget(self.instructions, 7, 1)
        columns.addLayout(grid, 5)

        codes_box = QGroupBox("Barcodes")
        cl = QVBoxLayout(codes_box)
        self.codes_table = QTableWidget(0, 3)
        self.codes_table.setHorizontalHeaderLabels(["Code", "Kind", "Units"])
        self.codes_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.codes_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.codes_table.verticalHeader().setVisible(False)
        self.codes_table.horizontalHeader().setStretchLastSection(False)
        # Tab leaves the list (the arrows move in it), on to the new code, Add and Save.
        self.codes_table.setTabKeyNavigation(False)
        cl.addWidget(self.codes_table, 1)
        add_row = QHBoxLayout()
        self.new_code = QLineEdit()
        self.new_code.setPlaceholderText("new code")
        self.new_code.setMinimumWidth(200)
        new_code_label = QLabel("New co&de")
        new_code_label.setBuddy(self.new_code)
        add_row.addWidget(new_code_label)
        self.pack_qty = QSpinBox()
        self.pack_qty.setRange(1, 100_000)
        self.pack_qty.setToolTip("Units in a case with this code (1: a single unit)")
        self.add_button = QPushButton("&Add")
        add_row.addWidget(self.new_code, 1)
        add_row.addWidget(self.pack_qty)
        add_row.addWidget(self.add_button)
        cl.addLayout(add_row)
        self.remove_button = QPushButton("Re&move selected")
        cl.addWidget(self.remove_button)
        columns.addWidget(codes_box, 4)

        bottom = QHBoxLayout()
        self.message = QLabel("")
        self.message.setObjectName("ErrorText")  # (say() sets it per message)
        self.message.setWordWrap(True)
        bottom.addWidget(self.message, 1)
        self.save_button = QPushButton("&Save")
        self.save_button.setToolTip("Save the product (Ctrl+S)")
        self.cancel_button = QPushButton("Cancel")
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.cancel_button)
        outer.addLayout(bottom)

        self.add_button.clicked.connect(self.add_code)
        self.new_code.returnPressed.connect(self.add_code)
        self.remove_button.clicked.connect(self.remove_code)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        add_shortcuts(self, ("Ctrl+S", self.save))
        # Enter (a scanner ends every code with it) never saves nor cancels: only Save does.
        for button in (self.add_button, self.remove_button, self.save_button, self.cancel_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        # A scan in the new-code field (or its case size) is the barcode being added, as if
        # typed there with Enter; a burst anywhere else is taken back out with a note: no
        # product gets a barcode for its name, weight or packing instructions.
        settings = ctx.settings
        self.code_guard = ScanBurstGuard(self, on_scan=self.add_scanned_code, settings=settings)
        self.code_guard.watch(self.new_code).watch_keys(self.pack_qty)
        self.guard = ScanBurstGuard(self, on_ignored=self._ignored, settings=settings).watch_dialog(
            self, but=(self.new_code, self.pack_qty))
        if self.detail is not None:
            self._load(self.detail)
        else:
            self.save_button.setEnabled(False)
        self.name.setFocus()

    def _load(self, d: ProductDetail) -> None:
        self.setWindowTitle(f"Edit product — {d.client_code} {d.sku}")
        self.heading.setText(f"{d.client_code}  {d.sku}")
        self.name.setText(d.name)
        self.weight.setText(self._weight_text(d))
        self.dims.setText(self._size_text(d))
        self.reorder.setValue(d.reorder_point)
        self.cost.setText("" if d.unit_cost is None else str(d.unit_cost))
        self.track_lot.setChecked(d.track_lot)
        self.track_expiry.setChecked(d.track_expiry)
        self.active.setChecked(d.active)
        for name, box in self.prep.items():
            box.setChecked(name in d.prep_services)
        self.instructions.setPlainText(d.packing_instructions)
        self.codes = list(d.barcodes)
        self.adds, self.removes = {}, []
        self._show_codes()

    @staticmethod
    def _weight_text(d: ProductDetail) -> str:
        return units.weight_text(d.weight_kg) if d.weight_kg else ""

    @staticmethod
    def _size_text(d: ProductDetail) -> str:
        if not (d.length_cm or d.width_cm or d.height_cm):
            return ""
        return units.dimensions_text(d.length_cm, d.width_cm, d.height_cm).replace(" x ", "x")

    def _show_codes(self) -> None:
        self.codes_table.setRowCount(len(self.codes))
        for r, (code, kind, qty) in enumerate(self.codes):
            for c, value in enumerate((code, catalog.BARCODE_KIND_LABELS.get(kind, kind), qty)):
                item = QTableWidgetItem(str(value))
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.codes_table.setItem(r, c, item)
        fit_columns_to_contents(self.codes_table)
        self.codes_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    # --- barcodes (sent on Save) -----------------------------------------------------------
    def say(self, text: str, *, error: bool = True) -> None:
        """A line under the form: a refusal in the error colour, a confirmation in the normal one."""
        self.message.setObjectName("ErrorText" if error else "StatusText")
        self.message.style().unpolish(self.message)  # the object name picks the style sheet's colour
        self.message.style().polish(self.message)
        self.message.setText(text)

    def add_code(self) -> str:
        """The code typed or scanned in the new-code field, added to the list (a GS1 code as its
        GTIN, as Save would store it); "" when there was none or it was refused."""
        typed = self.new_code.text().strip()
        if not typed:
            return ""
        code = run_op(self, product_code, typed, banner=self.say)
        if not code:
            self.new_code.selectAll()
            return ""
        qty = self.pack_qty.value()
        self.adds[code] = qty
        self.codes = [c for c in self.codes if c[0] != code] + [(code, "case" if qty > 1 else NEW_CODE, qty)]
        self._show_codes()
        self.new_code.clear()
        self.pack_qty.setValue(1)
        self.new_code.setFocus()
        return code

    def add_scanned_code(self, code: str) -> None:
        """A barcode scanned into the new-code field: added with the case size set beside it."""
        self.new_code.setText(code)
        added = self.add_code()
        if added:
            self.say(f"Barcode {added} added: Save stores it.", error=False)

    def _ignored(self, note: str) -> None:
        self.say(f"{note[:1].upper()}{note[1:]}. Scan barcodes into the new code field.")

    def remove_code(self) -> None:
        row = self.codes_table.currentRow()
        if not 0 <= row < len(self.codes):
            return
        code = self.codes.pop(row)[0]
        if code in self.adds:
            del self.adds[code]
        else:
            self.removes.append(code)
        self._show_codes()

    # --- saving ------------------------------------------------------------------------------
    def changes(self) -> dict[str, Any]:
        """The fields that differ from the product as loaded."""
        d = self.detail
        if d is None:
            return {}
        typed: dict[str, Any] = {
            "name": self.name.text(), "reorder_point": self.reorder.value(),
            "packing_instructions": self.instructions.toPlainText(), "track_lot": self.track_lot.isChecked(),
            "track_expiry": self.track_expiry.isChecked(), "active": self.active.isChecked(),
        }
        out = {k: v for k, v in typed.items() if v != getattr(d, k)}
        if self.weight.text().strip() != self._weight_text(d):
            out["weight"] = self.weight.text()
        if self.dims.text().strip() != self._size_text(d):
            out["dimensions"] = self.dims.text()
        if self.cost.text().strip() != ("" if d.unit_cost is None else str(d.unit_cost)):
            out["unit_cost"] = self.cost.text()
        prep = tuple(name for name, box in self.prep.items() if box.isChecked())
        if prep != d.prep_services:
            out["prep_services"] = prep
        if self.adds:
            out["add_barcodes"] = list(self.adds.items())
        if self.removes:
            out["remove_barcodes"] = list(self.removes)
        return out

    def save(self) -> bool:
        fields = self.changes()
        if not fields:
            self.reject()
            return True
        detail = run_op(self, catalog.update_product, self.product_id, actor=self.ctx.actor,
                        banner=self.say, **fields)
        if detail is None:
            return False
        self.detail = detail
        self.accept()
        return True
