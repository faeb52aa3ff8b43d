"""Read-only tables of plain rows (bins, moves, lines): filled in one call, the same look everywhere."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
)


def fill_table(table: QTableWidget, headers: list[str], rows: list[tuple], numeric: set[int],
               *, stretch: int | None = None) -> None:
    """Put plain rows into a read-only QTableWidget (small lists: bins, moves).

    ``stretch`` names the column that takes the spare width (default: the last one).
    """
    table.setSortingEnabled(False)
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem("" if value is None else str(value))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            if c in numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    fit_columns_to_contents(table)
    header = table.horizontalHeader()
    # resizing also sized the last section: toggling makes it stretch again
    header.setStretchLastSection(False)
    header.setStretchLastSection(stretch is None)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def fit_columns_to_contents(view: QTableView) -> None:
    """Each column as wide as its heading and rows: ``resizeColumnsToContents()``, column by
    column, because Qt's own does nothing while the header is not on screen (a table filled
    behind another sub-tab kept 100-pixel columns, cutting a long one)."""
    for column in range(view.model().columnCount() if view.model() is not None else 0):
        view.resizeColumnToContents(column)


def set_row(table: QTableWidget, row: int, values: tuple | list) -> None:
    """Rewrite the cells of ``row`` whose text changed, in place; a column widens where a text
    grew."""
    longer = set()
    for c, value in enumerate(values):
        item, text = table.item(row, c), "" if value is None else str(value)
        if text == item.text():
            continue
        if len(text) > len(item.text()):
            longer.add(c)
        item.setText(text)
    widen_to_cells(table, longer)


def widen_to_cells(table: QTableWidget, columns: set[int]) -> None:
    """Columns of ``columns`` sized to their cells grow to show them whole (a box's type
    where "-" was; never narrower, so nothing jumps at each scan)."""
    header = table.horizontalHeader()
    last = table.columnCount() - 1
    for c in columns:
        if header.sectionResizeMode(c) != QHeaderView.ResizeMode.Interactive or (
                c == last and header.stretchLastSection()):
            continue  # (a stretched column takes the room left, whatever its cells)
        needed = max(table.sizeHintForColumn(c), header.sectionSizeHint(c))
        if needed > header.sectionSize(c):
            header.resizeSection(c, needed)


def read_only_table() -> QTableWidget:
    table = QTableWidget()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def table_width(table: QTableWidget) -> int:
    """The width that shows every column of ``table`` whole: its cells and headings, its frame
    and room for its vertical scroll bar."""
    header = table.horizontalHeader()
    columns = sum(max(table.sizeHintForColumn(c), header.sectionSizeHint(c))
                  for c in range(table.columnCount()) if not table.isColumnHidden(c))
    row_heads = table.verticalHeader().width() if table.verticalHeader().isVisible() else 0
    return columns + row_heads + 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width()
