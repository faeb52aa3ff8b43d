"""A scan on a page, or in a page's field, that takes none: caught, taken back out and answered
(what to do instead), never lost in silence nor left in a field to be saved.

A wedge scanner types into whatever has the cursor; on a page without a scan field that is a
table or a text field, on a page with one it may be a form field beside it (a carrier service,
a client's city). A burst of scanner-speed keys ending in Enter (``KeyBurst``, as in the scan
field) is such a scan: the field or list gets back what it had before the burst (a
``ScanBurstGuard``), its Enter is swallowed and ``on_stray(code)`` says what to do.

A field that takes scans itself (a ``ScanField``, a search box marked ``takes_scans``, a field
another guard watches) is left alone, and so is whatever sits in a window of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from ui.widgets.scan_field import GUARDED, KeyBurst, ScanBurstGuard, ScanField, key_time_ms, keyed

# The property of a field whose scans are its input (a search box that finds a scanned code).
TAKES_SCANS = "takes_scans"


def takes_scans(field: QWidget) -> QWidget:
    """Mark ``field`` as one a scan may be typed into: no catcher takes a scan back out of it."""
    field.setProperty(TAKES_SCANS, True)
    return field


class StrayScanCatcher(QObject):
    """An event filter on a page and its widgets (``watch``), or on its plain text fields only
    (``watch_fields``); ``clock_ms`` may be replaced (tests); ``settings`` gives the scanner's
    prefix/suffix."""

    def __init__(self, parent: QObject, on_stray: Callable[[str], None], settings=None) -> None:
        super().__init__(parent)
        self.on_stray = on_stray
        self._timer = QElapsedTimer()
        self._timer.start()
        self._clock_ms: Callable[[], int] | None = None
        self._burst = KeyBurst()
        self._typed = ""
        self.fields = ScanBurstGuard(self, on_scan=on_stray, settings=settings)

    @property
    def clock_ms(self) -> Callable[[], int] | None:
        """The clock keys are timed by (``key_time_ms``): tests inject one."""
        return self._clock_ms

    @clock_ms.setter
    def clock_ms(self, clock: Callable[[], int] | None) -> None:
        self._clock_ms = clock
        self.fields.clock_ms = clock

    def watch(self, page: QWidget) -> StrayScanCatcher:
        """Catch a scan anywhere on ``page``: its fields, lists and buttons get back what they had."""
        widgets = _own(page)
        self.fields.watch(*(w for w in widgets if _plain_field(w)))
        self.fields.watch_keys(*(w for w in widgets if keyed(w) and not w.property(GUARDED)))
        for widget in widgets:
            if not widget.property(GUARDED):
                widget.installEventFilter(self)
        return self

    def watch_fields(self, page: QWidget) -> StrayScanCatcher:
        """Catch a scan in ``page``'s plain text fields only (the page's scan field takes the rest)."""
        widgets = _own(page)
        self.fields.watch(*(w for w in widgets if _plain_field(w)))
        self.fields.watch_keys(*(w for w in widgets if isinstance(w, (QPlainTextEdit, QTextEdit))
                                 and not w.isReadOnly() and not w.property(GUARDED)))
        return self

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        now = key_time_ms(event, self._clock_ms, self._timer)
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


def _own(page: QWidget) -> list[QWidget]:
    """``page`` and its widgets but those that take scans or sit in a window of their own."""
    return [w for w in (page, *page.findChildren(QWidget)) if not _excluded(w, page)]


def _excluded(widget: QWidget, page: QWidget) -> bool:
    at: QWidget | None = widget
    while at is not None and at is not page:
        if at.isWindow() or isinstance(at, ScanField) or at.property(TAKES_SCANS):
            return True
        at = at.parentWidget()
    return False


def _plain_field(widget: QWidget) -> bool:
    """A one-line text field a person types into (an editable combo box's too): not a spin
    box's, not one another guard watches, not a field of its own kind (a scale's weight)."""
    return (type(widget) is QLineEdit and not widget.isReadOnly() and not widget.property(GUARDED)
            and not isinstance(widget.parentWidget(), QAbstractSpinBox))
