"""Small widget helpers shared by the tabs: page shortcuts, the cursor put on a page, a
dialog's OK/Cancel row, dividers that stay where they were dragged, and a tab that refreshes
when its data changed — now if it is on screen, else when it is next shown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QSplitter,
    QTabBar,
    QWidget,
)

from ui.settings import Settings


def add_shortcuts(page: QWidget, *pairs: tuple[str, Callable[[], object]]) -> None:
    """Keys (``("F5", slot)``, ...) that work anywhere on the page (other pages have their own)."""
    for keys, slot in pairs:
        sc = QShortcut(QKeySequence(keys), page)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sc.activated.connect(slot)


def remember_divider(splitter: QSplitter, settings: Settings, name: str) -> None:
    """``splitter`` opens where it was last dragged at this station (kept in its settings as
    ``name``); never dragged, it keeps the sizes its page gave it."""
    state = settings.splitter_state(name)
    if state:
        splitter.restoreState(state)
    def keep(_pos: int, _index: int) -> None:
        settings.set_splitter_state(name, splitter.saveState().data())

    splitter.splitterMoved.connect(keep)


def focus_into(page: QWidget) -> None:
    """Put the cursor on ``page`` when it is not there yet (a tab chosen with the mouse leaves
    it on the tab bar, where the page's own keys, F5 and the like, do nothing): its scan field
    when it has one (the page's ``grab_focus``), else the control last used there, else its
    first."""
    grab = getattr(page, "grab_focus", None)
    if callable(grab):
        grab()
        return
    current = QApplication.focusWidget()
    if current is not None and page.isAncestorOf(current):
        return
    last = page.focusWidget()
    if last is not None and _takes_focus(page, last):
        last.setFocus(Qt.FocusReason.OtherFocusReason)
        return
    widget = page.nextInFocusChain()
    for _ in range(10_000):  # the chain is a ring through the window; this only bounds it
        if widget is None or widget is page:
            return
        if _takes_focus(page, widget):
            widget.setFocus(Qt.FocusReason.TabFocusReason)
            return
        widget = widget.nextInFocusChain()


def _takes_focus(page: QWidget, widget: QWidget) -> bool:
    """A control of ``page`` the Tab key would stop on (a tab bar only switches tabs)."""
    return (page.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled()
            and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and not isinstance(widget, QTabBar))


def enter_presses_nothing(dialog: QWidget) -> None:
    """No button of ``dialog`` is pressed by Enter (a scanner ends every code with one): each
    is pressed by a click, Space or its Alt+letter."""
    for button in dialog.findChildren(QPushButton):
        button.setAutoDefault(False)
        button.setDefault(False)


def message_line() -> QLabel:
    """A dialog's line saying what its last action did, or why it was refused."""
    label = QLabel("")
    label.setObjectName("StatusText")
    label.setWordWrap(True)
    return label


def ok_cancel_buttons(dialog: QDialog) -> QDialogButtonBox:
    """An OK / Cancel row that accepts or rejects ``dialog``."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class RefreshWhenShown:
    """Mixin for a tab (put it before QWidget) whose ``refresh()`` reads its data again and
    sets ``self._dirty = False``: ``refresh_or_defer`` (connect it to a "data changed" signal)
    refreshes a visible tab at once and a hidden one when it is next shown."""

    _dirty = False

    def refresh_or_defer(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()
