"""Keeps a scanner's burst out of an open menu: a menu fires an item on one plain letter (its
Alt+letter underlined), so the first character of a scan would choose an item.

A letter typed into an open menu or the menu bar is held back for a moment (``HOLD_MS``):
when no key follows at scanner speed it is a person's, and it goes on to the menu as typed;
when more keys follow at once (``KeyBurst``, as in the scan field) it was a scan's first
character, and the whole burst, its Enter or Tab too, reaches nothing: the menus close and
``on_scan(code)`` says the scan was ignored.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar, QWidget

from app.kernel.barcodes import clean_scan
from ui.widgets.scan_field import BURST_KEY_MS, KeyBurst, key_time_ms

# How long a letter in a menu waits for a scanner's next key before it counts as a person's.
HOLD_MS = 2 * BURST_KEY_MS

_TERMINATORS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
_COMMAND_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
_MODIFIER_KEYS = (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta,
                  Qt.Key.Key_CapsLock)


class MenuScanGuard(QObject):
    """An event filter on a window's menu bar and menus; ``clock_ms`` may be replaced (tests)
    and ``let_go()`` called in place of the hold's timer."""

    def __init__(self, parent: QObject, on_scan: Callable[[str], None], settings=None) -> None:
        super().__init__(parent)
        self.on_scan = on_scan
        self._settings = settings
        self._clock = QElapsedTimer()
        self._clock.start()
        self.clock_ms: Callable[[], int] | None = None  # tests may inject a clock (key_time_ms)
        self._burst = KeyBurst()
        self._typed = ""  # the keys held or swallowed since the last pause
        self._held: tuple[QWidget, QKeyEvent] | None = None  # a letter waiting to see what follows
        self._replaying = False
        self._watched: set[QWidget] = set()
        self.hold = QTimer(self)
        self.hold.setSingleShot(True)
        self.hold.setInterval(HOLD_MS)
        self.hold.timeout.connect(self.let_go)

    def watch(self, bar: QMenuBar) -> MenuScanGuard:
        """Guard ``bar`` and its menus and submenus, those added later too (each as it is polished)."""
        self._watch(bar)
        for menu in bar.findChildren(QMenu):
            self._watch(menu)
        return self

    def _watch(self, widget: QWidget) -> None:
        if widget not in self._watched:
            self._watched.add(widget)
            widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.ChildPolished and isinstance(event.child(), QMenu):  # type: ignore[attr-defined]
            self._watch(event.child())  # type: ignore[attr-defined]
            return False
        if (self._replaying or event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent)
                or not isinstance(obj, QWidget) or obj not in self._watched):
            return False
        if event.key() in _MODIFIER_KEYS:  # (a scanner holds Shift for its capitals)
            return False
        if event.modifiers() & _COMMAND_MODIFIERS:
            self.let_go()
            return False
        now = key_time_ms(event, self.clock_ms, self._clock)
        if event.key() in _TERMINATORS:
            if self._typed and self._burst.fast(now):
                self._ignore()
                return True
            self.let_go()
            return False
        text = event.text()
        if not text or not text.isprintable():
            self.let_go()
            return False
        if self._burst.key(now, 0):  # after a pause: a person's letter, or a scan's first one
            self.let_go()
            self._typed = text
            self._held = (obj, QKeyEvent(event.type(), event.key(), event.modifiers(), text))
        else:  # at scanner speed: what was held and this are a scan's
            self._held = None
            self._typed += text
        self.hold.start()
        return True

    def let_go(self) -> None:
        """No key followed at scanner speed: a held letter goes on to its menu as typed; a burst
        that ended without Enter is ignored now."""
        self.hold.stop()
        held, self._held = self._held, None
        if held is not None:
            self._typed = ""
            widget, key = held
            if widget.isVisible():
                self._replaying = True
                try:
                    QApplication.sendEvent(widget, key)
                finally:
                    self._replaying = False
        elif self._typed:
            self._ignore()

    def _ignore(self) -> None:
        """A scan reached an open menu: close the menus, say so, trigger nothing."""
        self.hold.stop()
        raw, self._typed, self._held = self._typed, "", None
        self._burst.reset()
        self._watched = {w for w in self._watched if shiboken6.isValid(w)}
        for widget in self._watched:
            if isinstance(widget, QMenu) and widget.isVisible():
                widget.hide()
        for widget in self._watched:
            if isinstance(widget, QMenuBar):
                widget.setActiveAction(None)  # type: ignore[arg-type]
        prefix = suffix = ""
        if self._settings is not None:
            prefix, suffix = self._settings.scanner_prefix, self._settings.scanner_suffix
        self.on_scan(clean_scan(raw, prefix=prefix, suffix=suffix) or raw)
