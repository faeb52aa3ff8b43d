"""A scan on a page that takes none: caught and answered (where to go), never lost in silence.

A wedge scanner types into whatever has the cursor; on a page without a scan field that is a
table or a note field. A burst of scanner-speed keys ending in Enter (``KeyBurst``, as in
the scan field) is such a scan: its Enter is swallowed and ``on_stray(code)`` says what to do.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from ui.widgets.scan_field import KeyBurst, key_time_ms


class StrayScanCatcher(QObject):
    """An event filter on a page and its widgets; ``clock_ms`` may be replaced (tests)."""

    def __init__(self, parent: QObject, on_stray: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.on_stray = on_stray
        self._timer = QElapsedTimer()
        self._timer.start()
        self.clock_ms: Callable[[], int] | None = None  # tests may inject a clock (key_time_ms)
        self._burst = KeyBurst()
        self._typed = ""

    def watch(self, page: QWidget) -> StrayScanCatcher:
        for widget in (page, *page.findChildren(QWidget)):
            widget.installEventFilter(self)
        return self

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        now = key_time_ms(event, self.clock_ms, self._timer)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            scanned = self._burst.ends_scan(now)
            code, self._typed = self._typed, ""
            self._burst.reset()
            if scanned:
                self.on_stray(code)
                return True
            return False
        if event.text() and event.text().isprintable():
            if self._burst.key(now, 0):
                self._typed = ""
            self._typed += event.text()
        return False
