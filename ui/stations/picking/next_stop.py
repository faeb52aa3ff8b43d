"""The next stop shown large on the picking panel: bin and quantity read from the cart, then the totes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QWidget

from app import picking

# An application style sheet's font-size wins over setFont(): big type goes in a style sheet.
BIG_STYLES = {
    "bin": "font-size: 44pt; font-weight: bold; color: #0d47a1;",
    "qty": "font-size: 44pt; font-weight: bold; color: #0d47a1;",
    "sku": "font-size: 26pt; font-weight: bold;",
    "name": "font-size: 18pt;",
    "totes": "font-size: 26pt; font-weight: bold; color: #1b5e20;",
    "note": "font-size: 16pt; font-weight: bold; color: #bf360c;",
    "lot": "font-size: 22pt; font-weight: bold; color: #4a148c;",
    "caption": "font-size: 12pt; font-weight: bold; color: #546e7a;",
    "prompt": "font-size: 20pt; font-weight: bold;",
}


def big_label(style: str) -> QLabel:
    """A word-wrapped label in one of the BIG_STYLES."""
    label = QLabel("")
    label.setStyleSheet(f"QLabel {{ {BIG_STYLES[style]} }}")
    label.setWordWrap(True)
    return label


class NextStopCard(QFrame):
    """Stop n of m: the bin, how many to take, the item, its lot and expiry, which totes get how
    many, packing notes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NextStop")
        self.setStyleSheet("QFrame#NextStop { border: 3px solid #0d47a1; border-radius: 8px; "
                           "background: #e3f2fd; }")
        grid = QGridLayout(self)
        grid.setContentsMargins(14, 4, 14, 4)
        grid.setVerticalSpacing(0)
        self.bin = big_label("bin")
        self.sku = big_label("sku")
        self.name = big_label("name")
        self.qty = big_label("qty")
        self.qty.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.totes = big_label("totes")
        self.lot = big_label("lot")  # the lot and expiry to take (first expired, first out)
        self.note = big_label("note")
        self.index = big_label("caption")
        qty_caption = big_label("caption")
        qty_caption.setText("TAKE")
        qty_caption.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.index, 0, 0)
        grid.addWidget(qty_caption, 0, 1)
        grid.addWidget(self.bin, 1, 0)
        grid.addWidget(self.qty, 1, 1)
        # SKU and name share a line (the name wraps beside the SKU): the next stop fits a
        # 1280x800 station screen with the bin and quantity still 44 pt.
        item_row = QHBoxLayout()
        item_row.setSpacing(18)
        self.sku.setWordWrap(False)
        item_row.addWidget(self.sku, 0, Qt.AlignmentFlag.AlignBottom)
        item_row.addWidget(self.name, 1, Qt.AlignmentFlag.AlignBottom)
        grid.addLayout(item_row, 2, 0, 1, 2)
        grid.addWidget(self.lot, 3, 0, 1, 2)
        # The packing note goes beside the totes, not under them: a stop with one is no taller
        # than one without (the bin and TAKE keep their 44 pt on a 1366x768 screen).
        totes_row = QHBoxLayout()
        totes_row.setSpacing(18)
        self.totes.setWordWrap(False)
        totes_row.addWidget(self.totes, 0, Qt.AlignmentFlag.AlignVCenter)
        self.note.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        totes_row.addWidget(self.note, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.addLayout(totes_row, 4, 0, 1, 2)
        self.note.setVisible(False)  # only when the stop has packing instructions
        self.lot.setVisible(False)  # only for a product kept by lot
        grid.setColumnStretch(0, 1)

    def show_stop(self, stop: picking.Stop | None, *, stops: int, done_text: str = "DONE") -> None:
        """Show ``stop`` (one of ``stops``); None: nothing left (``done_text``, "" for no list)."""
        for label in (self.index, self.bin, self.sku, self.name, self.qty, self.lot, self.totes, self.note):
            label.setText("")
        if stop is None:
            self.bin.setText(done_text)
        else:
            self.index.setText(f"STOP {stop.index} OF {stops} — BIN")
            self.bin.setText(stop.bin_code)
            self.sku.setText(stop.sku)
            self.name.setText(stop.name)
            self.qty.setText(str(stop.remaining))
            self.totes.setText("Put in  " + "   ".join(
                f"T{t.tote} × {t.remaining}" for t in stop.totes if t.remaining))
            self.note.setText(f"Packing: {stop.packing_instructions}" if stop.packing_instructions else "")
            self.lot.setText(f"Take {stop.lot_text()}" if stop.lots else "")
        self.note.setVisible(bool(self.note.text()))
        self.lot.setVisible(bool(self.lot.text()))


STEP_PROMPTS = {
    "list": "Scan a pick list barcode (or choose one and press Open)",
    "bin": "Step 1 of 3 — scan the BIN",
    "item": "Step 2 of 3 — scan the ITEM",
    "tote": "Step 3 of 3 — scan the TOTE",
}


def step_prompt(step: str, stop: picking.Stop | None, pack_qty: int | None, count: int) -> str:
    """The step and what is expected, e.g. 'Step 1 of 3 — scan the BIN: A-01-02-1'; at the
    tote, what is in hand (``count`` scans of ``pack_qty`` units each)."""
    text = STEP_PROMPTS[step]
    if stop is not None and step == "bin":
        text += f": {stop.bin_code}"
    elif stop is not None and step == "item":
        text += f": {stop.sku}"
    elif step == "tote" and pack_qty is not None:
        text += (f" · {count} case{'s' if count > 1 else ''} of {pack_qty} = {count * pack_qty} in hand"
                 if pack_qty > 1 else f" · {count} in hand")
    return text
