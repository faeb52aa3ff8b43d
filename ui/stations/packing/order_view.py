"""The open order on the packing screen: its title and progress, the instructions, the
lines with their verified counts and the packages."""

from __future__ import annotations

import html

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app import packing
from app.kernel import units
from app.kernel.states import OrderStatus, PackageStatus, label
from ui.widgets.tables import fill_table, read_only_table, set_row

# Per-product instructions are in the orange box above the lines (big, impossible to miss).
LINE_HEADERS = ["SKU", "Description", "Ordered", "Picked", "Verified", "To scan"]
PACKAGE_HEADERS = ["#", "Status", "Box", "Weight", "Units", "SSCC", "Tracking"]
DONE_COLOUR = QColor("#c8e6c9")


def _cells(rows: list[tuple]) -> list[list[str]]:
    return [["" if v is None else str(v) for v in row] for row in rows]


def update_rows(table: QTableWidget, rows: list[tuple], drawn: list[list[str]]) -> list[int] | None:
    """Rewrite only the cells of ``rows`` that differ from ``drawn`` (what ``table`` shows),
    when it has as many rows and columns (no clear, no resize); ``drawn`` becomes the new
    cells. The rows rewritten, or None when the shape differs (the caller fills it anew)."""
    cells = _cells(rows)
    if len(drawn) != len(cells) or table.rowCount() != len(cells) or any(
            len(row) != len(old) for row, old in zip(cells, drawn, strict=True)):
        return None
    changed = []
    for r, (row, old) in enumerate(zip(cells, drawn, strict=True)):
        if row == old:
            continue
        if any(table.item(r, c) is None for c in range(len(row))):
            return None
        set_row(table, r, row)
        changed.append(r)
    drawn[:] = cells
    return changed


class OrderPanel(QWidget):
    """Shows a ``PackingView``: plain data in, no database."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shown = ""  # the order number drawn: a scan in it redraws the lines it changed only
        self._lines_drawn: list[list[str]] = []  # the cells of both tables as drawn
        self._packages_drawn: list[list[str]] = []
        self._colour = ""
        left = QVBoxLayout(self)
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(4)
        title_row = QHBoxLayout()
        self.order_title = QLabel("")
        font = self.order_title.font()
        font.setPointSize(15)
        font.setBold(True)
        self.order_title.setFont(font)
        self.order_title.setWordWrap(True)  # a long customer name must not widen the window
        title_row.addWidget(self.order_title, 1)
        self.progress = QLabel("")
        self.progress.setObjectName("PackingProgress")
        self.progress.setStyleSheet("QLabel#PackingProgress { font-size: 17pt; font-weight: bold; }")
        title_row.addWidget(self.progress)
        left.addLayout(title_row)
        self.instructions = QLabel("")
        self.instructions.setObjectName("PackingInstructions")
        self.instructions.setWordWrap(True)
        self.instructions.setStyleSheet(
            "QLabel#PackingInstructions { background:#fff3e0; color:#000; border:2px solid #ef6c00; "
            "padding:3px 8px; font-size:13pt; }")
        self.instructions.setVisible(False)
        left.addWidget(self.instructions)
        self.lines = read_only_table()
        # The tables take what is left (not their size hint): the page must not outgrow the screen.
        self.lines.setMinimumHeight(110)
        self.lines.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        left.addWidget(self.lines, 3)
        self.packages = read_only_table()
        self.packages.setMinimumHeight(80)
        self.packages.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        left.addWidget(self.packages, 2)

    def clear(self) -> None:
        """No order open."""
        self._shown = ""
        self.order_title.setText("")
        self.progress.setText("")
        self.instructions.setVisible(False)
        fill_table(self.lines, LINE_HEADERS, [], {2, 3, 4, 5})
        fill_table(self.packages, PACKAGE_HEADERS, [], {0, 3, 4})

    def show_order(self, view: packing.PackingView, *, queue: str = "") -> None:
        """Show the order; ``queue`` says what of a pick list or tote is left."""
        self.order_title.setText(f"Order {view.number} — {view.client_name} — {view.customer_name}"
                                 f"   [{label(view.status, OrderStatus)}]{queue}")
        self.progress.setText(f"{view.verified} of {view.picked} verified")
        colour = "#1b5e20" if view.picked and not view.unverified else "#b71c1c"
        if colour != self._colour:  # (a style sheet costs more than the rest of a scan's redraw)
            self._colour = colour
            self.progress.setStyleSheet("QLabel#PackingProgress { font-size: 17pt; font-weight: bold; "
                                        f"color: {colour}; }}")
        notes = []
        esc = html.escape  # customers write '<', '&' and worse in their notes: show them as text
        if view.client_instructions:
            notes.append(f"<b>{esc(view.client_code)}:</b> {esc(view.client_instructions)}")
        if view.order_instructions:
            notes.append(f"<b>Order:</b> {esc(view.order_instructions)}")
        notes += [f"<b>{esc(sku)}:</b> {esc(text)}" for sku, text in view.product_instructions]
        if view.notes:
            notes.append(f"<b>Customer notes:</b> {esc(view.notes)}")
        text = "<br>".join(notes)
        if text != self.instructions.text():
            self.instructions.setText(text)
        self.instructions.setVisible(bool(notes))
        same_order, self._shown = self._shown == view.number, view.number
        lines = [(ln.sku, ln.name, ln.ordered, ln.picked, ln.verified, max(0, ln.remaining)) for ln in view.lines]
        changed = update_rows(self.lines, lines, self._lines_drawn) if same_order else None
        if changed is None:  # another order, or its lines changed: drawn anew
            fill_table(self.lines, LINE_HEADERS, lines, {2, 3, 4, 5}, stretch=1)
            self._lines_drawn, changed = _cells(lines), list(range(len(lines)))
        for r in changed:
            ln = view.lines[r]
            brush = QBrush(DONE_COLOUR) if ln.picked and ln.remaining <= 0 else QBrush()
            for c in range(len(LINE_HEADERS)):
                self.lines.item(r, c).setBackground(brush)
        packages = [(p.seq, label(p.status, PackageStatus), p.box or "-",
                     "-" if p.weight_kg is None else units.weight_text(p.weight_kg), p.units, p.sscc, p.tracking)
                    for p in view.packages]
        if not same_order or update_rows(self.packages, packages, self._packages_drawn) is None:
            fill_table(self.packages, PACKAGE_HEADERS, packages, {0, 3, 4})
            self._packages_drawn = _cells(packages)
