"""The packing screen's side panels: the box (type, weight, close, override, void) and the
shipment (tracking number, carrier, service, cost)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app import packing, shipping
from app.kernel import units
from ui.widgets.scan_field import ScanField

# The longest weight a packer types or a scale sends: kg or lb to the gram or the thousandth.
WIDEST_WEIGHT = "12.345"


class WeightField(QLineEdit):
    """The package weight as typed or read from a scale: a bare number is in the warehouse's
    unit (lb in a US warehouse), or it says its own ("40 oz", "1.2 kg", "700 g")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # as tall as the spin box it replaces: the packing screen has no height to spare at 1366x768
        self.setObjectName("WeightField")
        self.setStyleSheet("QLineEdit#WeightField { padding: 1px 6px; min-height: 24px; }")
        self.setPlaceholderText("weigh…")
        # the unit beside the field, in sight while a number is typed (a placeholder is cut
        # short in this narrow field and gone once something is typed)
        self.unit_label = QLabel()
        self.unit_label.setObjectName("WeightUnit")
        self.unit_label.setStyleSheet("QLabel#WeightUnit { padding: 0 6px 0 3px; font-weight: bold; }")
        self.say_unit()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Wide enough for a weight like 12.345 whole, in the type size in force (a weight cut
        short reads as another weight)."""
        hint = super().minimumSizeHint()
        metrics = self.fontMetrics()
        # Qt's own minimum is its frame and padding around the widest character: the same
        # frame and padding around the weight, and room for the cursor.
        frame = hint.width() - metrics.maxWidth()
        return QSize(max(hint.width(), frame + metrics.horizontalAdvance(f"{WIDEST_WEIGHT}0")), hint.height())

    def say_unit(self) -> None:
        """Name the warehouse's unit (again when shown, and when the settings change)."""
        self.unit_label.setText(units.weight_unit())
        self.setToolTip(f"The box's weight in {units.weight_unit()}, or with its unit: "
                        "40 oz, 2.5 lb, 1.2 kg, 700 g")

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.say_unit()
        super().showEvent(event)

    def setValue(self, value: float) -> None:  # noqa: N802 - the scale's (and a spin box's) word
        """Show ``value`` in the warehouse's unit; 0 empties the field (not weighed)."""
        self.setText(f"{value:g}" if value else "")

    def value(self) -> float:
        """The weight in the warehouse's unit (0.0: empty, or not a weight)."""
        try:
            kg = units.parse_weight(self.text()) if self.text().strip() else Decimal(0)
        except ValueError:
            return 0.0
        return float(kg / units.KG_PER_LB if units.system() == "us" else kg)

    def weight_kg(self) -> float | None:
        """The weight in kg (None: not weighed).

        Raises:
            ValidationError: not a weight, in one line.
        """
        return packing.parse_weight(self.text())


class BoxPanel(QGroupBox):
    """Box type (with the suggested one), weight, and the buttons that end a box.

    Alt+letter reaches every field and button: the packer's hands stay on the keyboard
    (F, V and H open the window's menus). Buttons take no focus: a click or Alt+letter acts
    and the cursor stays in the scan field for the next unit.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Box", parent)
        g = QGridLayout(self)
        g.setVerticalSpacing(4)
        self.box = QComboBox()
        self.suggestion = QLabel("")
        self.suggestion.setObjectName("BoxSuggestion")
        self.suggestion.setStyleSheet("QLabel#BoxSuggestion { font-size: 11pt; color: #37474f; }")
        self.suggestion.setWordWrap(True)
        self.weight = WeightField()
        g.addWidget(box_label := QLabel("&Box type"), 0, 0)
        box_label.setBuddy(self.box)
        g.addWidget(self.box, 0, 1)
        g.addWidget(self.suggestion, 1, 0, 1, 2)
        weight_label = QLabel("&Weight")
        weight_label.setBuddy(self.weight)
        self.use_estimate = QCheckBox("Use &estimate")
        self.use_estimate.setToolTip("Close without weighing: box + products' weights, recorded and "
                                     "printed as an estimate")
        self.use_estimate.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # One row (a 1366x768 screen has no height to spare) across both columns: the box
        # type's column is narrower than the label, the weight and its unit, and the estimate.
        weighing = QHBoxLayout()
        weighing.setSpacing(6)
        weighing.addWidget(weight_label)
        weighing.addWidget(self.weight, 1)
        weighing.addWidget(self.weight.unit_label)
        weighing.addWidget(self.use_estimate)
        g.addLayout(weighing, 2, 0, 1, 2)
        g.setColumnStretch(1, 1)  # the box type's names take the room, as before
        self.next_box_button = QPushButton("Ne&xt box")
        self.next_box_button.setToolTip("Close this box and go on in another one")
        self.close_button = QPushButton("&Close box")
        self.close_button.setToolTip("Close the last box: every picked unit must be verified")
        self.override_button = QPushButton("&Override…")
        self.override_button.setToolTip("Supervisor override: close the last box with unverified units "
                                        "(name, PIN and a reason are recorded)")
        self.void_button = QPushButton("Voi&d box…")
        g.addWidget(self.next_box_button, 3, 0)
        g.addWidget(self.close_button, 3, 1)
        g.addWidget(self.override_button, 4, 0)
        g.addWidget(self.void_button, 4, 1)
        for button in self.buttons():
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def buttons(self) -> tuple[QPushButton, ...]:
        return self.next_box_button, self.close_button, self.override_button, self.void_button

    def box_name(self) -> str | None:
        """The chosen box type's name (None: no box type)."""
        return self.box.currentData() or None

    def weight_kg(self) -> float | None:
        """The weight typed or read from the scale, in kg (None: not weighed).

        Raises:
            ValidationError: what was typed is not a weight.
        """
        return self.weight.weight_kg()

    def fill_boxes(self, rows: list[packing.BoxTypeRow]) -> None:
        """Offer these box types (the choice stays if it is still offered)."""
        current = self.box.currentData()
        names = [("(none)", None)] + [(f"{b.name} {b.dims_text}", b.name) for b in rows]
        if [(self.box.itemText(i), self.box.itemData(i)) for i in range(self.box.count())] == names:
            return  # (the same boxes, sized in the same unit: nothing to redraw)
        self.box.clear()
        for text, name in names:
            self.box.addItem(text, name)
        self.box.setCurrentIndex(max(self.box.findData(current), 0))

    def show_suggestion(self, suggestion: packing.BoxSuggestion) -> None:
        """Say which box fits and choose it."""
        self.suggestion.setText(f"Suggested: {suggestion.message}" if suggestion.units else "")
        if suggestion.box is not None:
            index = self.box.findData(suggestion.box.name)
            if index >= 0:
                self.box.setCurrentIndex(index)


class ShipPanel(QGroupBox):
    """The carrier's tracking number (scanned), carrier, service, cost and the Ship button."""

    def __init__(self, settings: object, parent: QWidget | None = None) -> None:
        super().__init__("Ship", parent)
        f = QGridLayout(self)
        f.setVerticalSpacing(4)
        self.tracking = ScanField(settings)
        self.tracking.keep_focus = False
        font = self.tracking.font()
        font.setPointSize(16)
        self.tracking.setFont(font)
        self.tracking.setStyleSheet("font-size: 16pt; padding: 2px;")
        self.tracking.setMinimumHeight(40)
        self.tracking.setPlaceholderText("scan the tracking number")
        self.tracking.textEdited.connect(self.guess_carrier)  # typed: the carrier follows
        self.carrier = QComboBox()
        self.carrier.setEditable(True)
        self.carrier.addItems(["", *shipping.CARRIERS])
        self.carrier.setMinimumWidth(120)
        self.carrier.lineEdit().setPlaceholderText("carrier")
        self._guessed = ""  # the carrier the tracking number's pattern chose, while it stands
        self.service = QLineEdit()
        self.service.setPlaceholderText("service")
        self.service.setToolTip("Carrier service, e.g. Ground")
        self.cost = QLineEdit()
        self.cost.setPlaceholderText("optional")
        self.cost.setToolTip("Shipping cost of each package (optional)")
        f.addWidget(tracking_label := QLabel("&Tracking"), 0, 0)
        tracking_label.setBuddy(self.tracking)
        f.addWidget(self.tracking, 0, 1, 1, 2)
        f.addWidget(carrier_label := QLabel("C&arrier"), 1, 0)
        carrier_label.setBuddy(self.carrier)
        f.addWidget(self.carrier, 1, 1)
        f.addWidget(self.service, 1, 2)
        f.addWidget(QLabel("Cost"), 2, 0)
        f.addWidget(self.cost, 2, 1)
        self.ship_button = QPushButton("&Ship")
        self.ship_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        f.addWidget(self.ship_button, 2, 2)
        f.setColumnStretch(1, 1)
        f.setColumnStretch(2, 1)

    def fields(self) -> tuple[QLineEdit, ...]:
        """The typed fields (Enter in them goes back to scanning)."""
        return self.service, self.cost, self.carrier.lineEdit()

    def cost_value(self) -> Decimal | None:
        """The cost typed as money (a decimal comma is an amount); None if empty.

        Raises:
            ValidationError: not an amount.
        """
        return shipping.parse_cost(self.cost.text())

    def guess_carrier(self, tracking: str) -> None:
        """Fill the carrier from the tracking number's pattern when none is chosen (editable).
        A guess follows the number as it changes (a scan arriving key by key looks like
        another carrier's number halfway); a carrier chosen or asked for stays."""
        guess = shipping.guess_carrier(tracking)
        current = self.carrier.currentText().strip()
        if (guess or current) and (not current or current == self._guessed):
            self.carrier.setCurrentText(guess)
            self._guessed = guess

    def prefill(self, carrier: str, service: str) -> None:
        """The carrier and service the order asked for (the packer may change them)."""
        self._guessed = ""
        self.carrier.setCurrentText(carrier)
        self.service.setText(service)
        self.tracking.clear()
        self.cost.clear()

    def clear(self) -> None:
        self.prefill("", "")
