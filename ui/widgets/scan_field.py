"""The scan field every tab uses: keyboard-wedge input ending in Enter or Tab, cleaned, one signal.

A wedge scanner types a whole code in a few tens of milliseconds; a person needs 100+ ms
per key. We time the keys with a QElapsedTimer: a fast run of characters that begins
after a pause is a scanner burst, and when it ends with Enter/Tab it is taken as ONE scan
on its own, dropping anything a person had half-typed before it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from app.kernel.barcodes import clean_scan

# A key that follows the previous one within this many ms belongs to a scanner burst.
BURST_KEY_MS = 35
# A burst needs this many characters to count as a scan of its own.
BURST_MIN_CHARS = 4

_TERMINATORS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
# With these held a terminator key is a command, not the end of a scan: Ctrl+Tab must reach
# the tab widget around the field (switch sub-tab) instead of ending an empty scan.
_COMMAND_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


class ScanField(QLineEdit):
    """Emits ``scanned(code)`` with the cleaned code when Enter or Tab ends the input.

    The scanner's prefix/suffix come from ``settings`` (read at each scan, so a change in
    the settings dialog applies at once); control characters and AIM symbology
    identifiers are removed by ``app.barcodes.clean_scan``.
    """

    scanned = Signal(str)

    def __init__(self, settings=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setObjectName("ScanField")
        font = self.font()
        font.setPointSize(22)
        self.setFont(font)
        self.setMinimumHeight(52)
        self.setPlaceholderText("Scan a barcode…")
        self.setClearButtonEnabled(False)
        self._timer = QElapsedTimer()
        self._timer.start()
        self.clock_ms: Callable[[], int] = self._timer.elapsed  # tests may inject a clock
        self._last_key_ms: int | None = None
        self._burst_start: int | None = None  # text position where the current burst began
        self.last_scan_was_burst = False
        self.keep_focus = True

    # --- focus -----------------------------------------------------------------------
    def grab_focus(self) -> None:
        """Put the cursor back here (after feedback, a dialog, or when the tab is shown)."""
        QTimer.singleShot(0, self, self._refocus)  # dropped if the field is gone

    def _refocus(self) -> None:
        if self.isVisible() and self.isEnabled():
            # Focus within our own window only: never pull the window in front of others.
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.keep_focus:
            self.grab_focus()

    # --- keys ------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        # Tab is taken by QWidget for focus changes before keyPressEvent sees it: a scanner
        # that ends codes with Tab must not move the cursor off the scan field.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if (event.key() == Qt.Key.Key_Tab and self.text()
                    and not event.modifiers() & _COMMAND_MODIFIERS):
                self._finish()
                event.accept()
                return True
        return super().event(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        # An empty field lets the keyboard user Tab on; with text Tab ends a scan (event()).
        if self.text():
            return False
        return super().focusNextPrevChild(next)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in _TERMINATORS and not event.modifiers() & _COMMAND_MODIFIERS:
            self._finish()
            event.accept()
            return
        if event.text() and event.text().isprintable():
            self._note_key_time()
        super().keyPressEvent(event)

    def _note_key_time(self) -> None:
        now = self.clock_ms()
        gap = None if self._last_key_ms is None else now - self._last_key_ms
        self._last_key_ms = now
        if gap is None or gap > BURST_KEY_MS:
            # A pause: this key may be the first of a scanner burst (the run of fast keys
            # since the last pause is "the current burst").
            self._burst_start = (self.selectionStart() if self.hasSelectedText()
                                 else self.cursorPosition())

    def _finish(self) -> None:
        text = self.text()
        self.last_scan_was_burst = False
        start = self._burst_start
        if start is not None and len(text) - start >= BURST_MIN_CHARS:
            self.last_scan_was_burst = True
            if start > 0:
                # A person had half-typed something, then scanned: the scan wins.
                text = text[start:]
        self._reset_timing()
        self.clear()
        prefix = suffix = ""
        if self._settings is not None:
            prefix, suffix = self._settings.scanner_prefix, self._settings.scanner_suffix
        code = clean_scan(text, prefix=prefix, suffix=suffix)
        if code:
            self.scanned.emit(code)
        if self.keep_focus:
            self.grab_focus()

    def _reset_timing(self) -> None:
        self._last_key_ms = None
        self._burst_start = None
