"""What the order screens share: tables, the client picker, the message line, worker errors."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QTableView,
    QWidget,
)

from app import catalog
from app.kernel import clock
from app.kernel.states import OrderStatus, label
from ui.ops import run_op
from ui.widgets.tables import fit_columns_to_contents

STATUS_CHOICES = [("Open orders", "open"), ("All orders", "")] + [
    (label(s, OrderStatus), str(s)) for s in OrderStatus]


def _raise(exc: BaseException) -> None:
    raise exc


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """A worker's failure, said by the window's one error presenter (``ui.ops.run_op``): one
    line for a refusal or a database failure, a logged bug otherwise."""
    run_op(parent, _raise, exc)


def table_view(model) -> QTableView:
    """A read-only table of whole rows, one selected at a time."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    fit_columns_to_contents(view)  # at least its headings whole, before any row is read
    return view


def fit_column_to(view: QTableView, column: int, texts: Iterable[str]) -> None:
    """Widen ``column`` to show the longest of ``texts`` whole (every value it can take, e.g.
    each status), so it need not be resized as its rows change."""
    metrics = view.fontMetrics()
    padding = 2 * view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 16
    widest = max((metrics.horizontalAdvance(t) for t in texts), default=0) + padding
    if view.columnWidth(column) < widest:
        view.setColumnWidth(column, widest)


def client_combo(*, with_all: bool, compact: bool = False) -> QComboBox:
    """Clients by code and name; ``compact`` shows only the code (a crowded tool bar)."""
    combo = QComboBox()
    if with_all:
        combo.addItem("All clients", "")
    for c in catalog.list_clients():
        combo.addItem(c.code if compact else f"{c.code} — {c.name}", c.code)
        combo.setItemData(combo.count() - 1, f"{c.code} — {c.name}", Qt.ItemDataRole.ToolTipRole)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def when(value) -> str:
    """A stored (UTC) time as the screens show it, in the warehouse's zone (minutes), or a dash."""
    return clock.local_text(value) if value else "-"


class MessageLine(QLabel):
    """The page's last word on what happened; takes no room while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # it quotes order numbers and searches
        self.setWordWrap(True)
        self.setVisible(False)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self.setVisible(bool(text))


def focus_field(field: QLineEdit) -> None:
    """Put the cursor in a search field with its text selected (Ctrl+F)."""
    field.setFocus(Qt.FocusReason.ShortcutFocusReason)
    field.selectAll()

