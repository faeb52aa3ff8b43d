"""The Billing tab's side panels: a client's rate card (prices from a date on) and manual charges."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import billing
from app.kernel import clock
from app.kernel.actor import Actor
from ui.ops import run_op
from ui.widgets.tables import fill_table, read_only_table


def date_edit(day: QDate) -> QDateEdit:
    edit = QDateEdit(day)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    return edit


def today() -> QDate:
    d = clock.local_today()
    return QDate(d.year, d.month, d.day)


class RatePanel(QWidget):
    """The card in force today and a form to set a fee's price from a date on."""

    def __init__(self, client: Callable[[], str], on_changed: Callable[[], None], actor: Callable[[], Actor],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client, self.on_changed, self.actor = client, on_changed, actor
        layout = QVBoxLayout(self)
        form = QGridLayout()
        self.fee = QComboBox()
        self.fee.setEditable(True)  # a manual fee's own name may be typed
        # Enter ends the name typed and goes on to the price; it adds no list item (one added
        # would carry no fee code).
        self.fee.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for fee in billing.FEES:  # shown as people read it; the fee's code goes to the service
            self.fee.addItem(billing.fee_title(fee), fee)
        self.fee.setMinimumContentsLength(10)
        self.fee.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.fee.setToolTip("The fee (or a manual fee's name)")
        self.price = QLineEdit()
        self.price.setPlaceholderText("e.g. 0.35")
        self.price.setMaximumWidth(150)
        self.start = date_edit(today())
        self.start.setToolTip("The first day the price applies")
        self.set_button = QPushButton("Set &price")
        fee_label = QLabel("F&ee")
        fee_label.setBuddy(self.fee)
        from_label = QLabel("Fro&m")
        from_label.setBuddy(self.start)
        form.addWidget(fee_label, 0, 0)
        form.addWidget(self.fee, 0, 1)
        form.addWidget(self.price, 0, 2)
        form.addWidget(from_label, 1, 0)
        form.addWidget(self.start, 1, 1)
        form.addWidget(self.set_button, 1, 2)
        form.setColumnStretch(1, 1)
        layout.addLayout(form)
        self.table = read_only_table()
        layout.addWidget(self.table, 1)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.set_button.clicked.connect(self.set_price)
        self.price.returnPressed.connect(self.set_price)
        self.fee.lineEdit().returnPressed.connect(self.price.setFocus)

    def refresh(self) -> None:
        code = self.client()
        if not code:
            return
        card = run_op(self, billing.rate_card, code, banner=self.message.setText)
        if card is None:
            return
        fill_table(self.table, ["Fee", "Price", "Since"],
                   [(billing.fee_title(r.fee), r.amount_text, r.effective_from.isoformat()) for r in card.in_force],
                   {1}, stretch=0)
        header = self.table.horizontalHeader()
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def chosen_fee(self) -> str:
        """The fee's code: a listed fee's (by its title), or the name typed for a manual fee."""
        text = self.fee.currentText().strip()
        code = self.fee.itemData(self.fee.findText(text))
        return code if isinstance(code, str) else text

    def set_price(self) -> None:
        fee, price = self.chosen_fee(), self.price.text().strip()
        start = self.start.date().toPython()
        card = run_op(self, billing.set_rates, self.client(), {fee: price}, effective_from=start,
                      actor=self.actor(), banner=self.message.setText)
        if card is None:
            return
        self.message.setText(f"{billing.fee_title(fee)} = {billing.price_text(billing.parse_price(price))} "
                             f"from {start}")
        self.price.clear()
        self.refresh()
        self.on_changed()


class ChargePanel(QWidget):
    """Bill a manual fee today: its name, quantity, price of one (default the card's) and a note."""

    def __init__(self, client: Callable[[], str], on_changed: Callable[[], None], actor: Callable[[], Actor],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client, self.on_changed, self.actor = client, on_changed, actor
        layout = QVBoxLayout(self)
        form = QGridLayout()
        self.fee = QLineEdit()
        self.fee.setPlaceholderText("fee, e.g. pallet_wrap")
        self.qty = QSpinBox()
        self.qty.setRange(1, 1_000_000)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("price of one (card's if empty)")
        self.note = QLineEdit()
        self.note.setPlaceholderText("note")
        self.add_button = QPushButton("&Add charge")
        for row, (label, widget) in enumerate((("F&ee", self.fee), ("&Quantity", self.qty),
                                               ("P&rice", self.amount), ("&Note", self.note))):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addWidget(caption, row, 0)
            form.addWidget(widget, row, 1)
        form.setColumnStretch(1, 1)
        layout.addLayout(form)
        layout.addWidget(self.add_button)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.add_button.clicked.connect(self.add)
        self.note.returnPressed.connect(self.add)

    def add(self) -> None:
        row = run_op(self, billing.add_charge, self.client(), self.fee.text(), self.qty.value(),
                     amount=self.amount.text().strip() or None, note=self.note.text(), actor=self.actor(),
                     banner=self.message.setText)
        if row is None:
            return
        self.message.setText(f"{row.client_code} {row.day}: {row.qty} x {row.fee} at {row.rate_text} = "
                             f"{billing.money_text(row.amount)}")
        for edit in (self.fee, self.amount, self.note):
            edit.clear()
        self.qty.setValue(1)
        self.on_changed()
