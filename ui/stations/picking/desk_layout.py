"""How the pick-list page shares its room: at the desk (no list open) the table of lists and
the short picks to resolve; while a list is walked, its next stop and walk."""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter, QTableWidget

from ui.widgets.tables import table_width

# The table of lists beside an open list's walk (pixels; the walk takes the rest).
OPEN_LISTS_WIDTH = 300


def fit_panes(splitter: QSplitter, vertical: QSplitter | None, lists: QTableWidget, *, opened: bool) -> None:
    """No list open: the table of lists as wide as its columns (up to 3/5 of the width) and
    the short picks (``vertical``'s lower pane, a supervisor's) a third of the height, so the
    desk reads every column and several short picks. A list open: the walk takes the width back.

    Called when a list opens or closes, never per pick: a width the person dragged stays."""
    total = sum(splitter.sizes()) or splitter.width()
    if opened:
        width = min(OPEN_LISTS_WIDTH, total // 4)
    else:
        width = min(table_width(lists), total * 3 // 5)
    splitter.setSizes([width, max(total - width, 1)])
    if vertical is not None and not opened:
        height = sum(vertical.sizes()) or vertical.height()
        vertical.setSizes([height * 2 // 3, height - height * 2 // 3])
