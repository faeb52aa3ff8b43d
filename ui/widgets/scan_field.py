"""The scan field every tab uses (keyboard-wedge input ending in Enter or Tab, cleaned, one
signal), and the guard that keeps scans out of a dialog's typed fields.

A wedge scanner types a whole code in a few tens of milliseconds; a person needs 100+ ms
per key. We time the keys (``KeyBurst``): a fast run of characters that begins after a
pause is a scanner burst. In the scan field, a burst ending with Enter/Tab is taken as ONE
scan on its own, dropping anything a person had half-typed before it. In a dialog
(``ScanBurstGuard``), a burst ending with Enter/Tab is taken back out of the field it
landed in, so a scan can never change a setting or count as a PIN.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Widget classes the login dialog never uses are named as QtWidgets.X where they are used:
# PySide6 builds a class the first time it is named (QAbstractItemView alone ≈1 ms), and
# this module is on the way to the login dialog.
from PySide6 import QtWidgets
from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QToolTip, QWidget

from app.kernel.barcodes import GS, clean_scan

# A key that follows the previous one within this many ms belongs to a scanner burst.
BURST_KEY_MS = 35
# A burst needs this many characters to count as a scan of its own.
BURST_MIN_CHARS = 4

_TERMINATORS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
# With these held a terminator key is a command, not the end of a scan: Ctrl+Tab must reach
# the tab widget around the field (switch sub-tab) instead of ending an empty scan.
_COMMAND_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def key_time_ms(event: QKeyEvent, clock_ms: Callable[[], int] | None, timer: QElapsedTimer) -> int:
    """When a key was pressed, in ms: the time the window system stamped on the key event, so
    keys that waited in the queue while the window was busy (opening the database, drawing)
    keep their real spacing: a person's typing handled late is never taken for a scanner's
    burst, nor a burst for typing. A clock given by a test wins; a key with no stamp (made
    by a program) takes the time it is handled."""
    if clock_ms is not None:
        return clock_ms()
    return int(event.timestamp()) or timer.elapsed()


class KeyBurst:
    """The timing of one field's keys: where the current run of fast keys (a burst) began."""

    def __init__(self) -> None:
        self.last_ms: int | None = None
        self.start: int | None = None  # text position where the current burst began
        self.keys = 0  # keys typed since then

    def key(self, now_ms: int, position: int) -> bool:
        """Note a printable key typed at ``now_ms`` at text ``position``; True when it
        begins a new burst (it follows a pause, or is the first key)."""
        gap = None if self.last_ms is None else now_ms - self.last_ms
        self.last_ms = now_ms
        if gap is None or not 0 <= gap <= BURST_KEY_MS:  # (a clock that went back: a pause)
            self.start, self.keys = position, 1
            return True
        self.keys += 1
        return False

    def ends_scan(self, now_ms: int) -> bool:
        """True when Enter/Tab at ``now_ms`` ends a scanner's burst: at least ``BURST_MIN_CHARS``
        keys at scanner speed, and the terminator as fast."""
        return self.start is not None and self.keys >= BURST_MIN_CHARS and self.fast(now_ms)

    def fast(self, now_ms: int) -> bool:
        """True when a key at ``now_ms`` would follow the last one at scanner speed."""
        return self.last_ms is not None and 0 <= now_ms - self.last_ms <= BURST_KEY_MS

    def reset(self) -> None:
        self.last_ms = None
        self.start = None
        self.keys = 0


class ScanField(QLineEdit):
    """Emits ``scanned(code)`` with the cleaned code when Enter or Tab ends the input.

    The scanner's prefix/suffix come from ``settings`` (read at each scan, so a change in
    the settings dialog applies at once); control characters and AIM symbology
    identifiers are removed by ``app.barcodes.clean_scan``, all but the GS that separates
    a GS1 code's fields.
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
        self.clock_ms: Callable[[], int] | None = None  # tests may inject a clock (key_time_ms)
        self._burst = KeyBurst()
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
        if event.text() == GS:
            # QLineEdit drops control characters; GS (FNC1) ends a GS1 code's lot or serial.
            self._note_key_time(event)
            self.insert(GS)
            event.accept()
            return
        if event.text() and event.text().isprintable():
            self._note_key_time(event)
        super().keyPressEvent(event)

    def _note_key_time(self, event: QKeyEvent) -> None:
        # After a pause this key may be the first of a scanner burst (the run of fast keys
        # since the last pause is "the current burst").
        self._burst.key(key_time_ms(event, self.clock_ms, self._timer), _typing_position(self))

    def _finish(self) -> None:
        text = self.text()
        self.last_scan_was_burst = False
        start = self._burst.start
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
        self._burst.reset()


def _typing_position(field: QLineEdit) -> int:
    """Where the next typed character lands (a selection is replaced by it)."""
    return field.selectionStart() if field.hasSelectedText() else field.cursorPosition()


IGNORED_SCAN = "a scan was ignored: this dialog takes typed input"
# The property of a widget a ``ScanBurstGuard`` watches (another guard leaves it alone).
GUARDED = "scan_guarded"


class ScanNote(QLabel):
    """Where a dialog says that a scan was ignored, and what to do instead (``hint``): give
    ``note.ignored`` to the dialog's guard as its ``on_ignored``."""

    def __init__(self, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setObjectName("StatusText")
        self.setWordWrap(True)
        self.hint = hint

    def ignored(self, note: str) -> None:
        hint = f" {self.hint[:1].upper()}{self.hint[1:]}." if self.hint else ""
        self.setText(f"{note[:1].upper()}{note[1:]}.{hint}")


@dataclass
class _FieldState:
    burst: KeyBurst = field(default_factory=KeyBurst)
    before: str = ""  # the field's text when the current burst began
    before_cursor: int = 0


class ScanBurstGuard(QObject):
    """Keeps scanner bursts out of a dialog's text fields (an event filter on each field).

    A burst of keys at scanner speed (at least ``BURST_MIN_CHARS``) ending in Enter/Tab at
    scanner speed is a scan, not typing: the field gets back the text it had before the
    burst, the Enter/Tab is swallowed (it saves nothing, moves nowhere), and the cleaned
    code goes to ``on_scan`` (e.g. the station's scan handler, or a badge login). Without
    ``on_scan`` the code is dropped with a visible note (``IGNORED_SCAN``) through
    ``on_ignored``, or as a tool tip under the field. A person's typing is never touched.

    ``clock_ms`` may be replaced (tests); ``settings`` gives the scanner's prefix/suffix.
    """

    def __init__(self, parent: QObject, *, on_scan: Callable[[str], None] | None = None,
                 on_ignored: Callable[[str], None] | None = None, settings=None) -> None:
        super().__init__(parent)
        self.on_scan = on_scan
        self.on_ignored = on_ignored
        self._settings = settings
        self._timer = QElapsedTimer()
        self._timer.start()
        self.clock_ms: Callable[[], int] | None = None  # tests may inject a clock (key_time_ms)
        self._fields: dict[QLineEdit, _FieldState] = {}
        self._widgets: dict[QWidget, _WidgetState] = {}  # spin boxes, lists, buttons (watch_keys)
        self._views: set[QWidget] = set()  # item views whose cell editors are watched
        self.last_ignored = ""  # the last note shown (tests, logs)

    def watch(self, *fields: QLineEdit) -> ScanBurstGuard:
        """Guard these fields."""
        for line_edit in fields:
            if line_edit not in self._fields:
                self._fields[line_edit] = _FieldState()
                line_edit.setProperty(GUARDED, True)
                line_edit.installEventFilter(self)
                combo = line_edit.parentWidget()
                if combo is not None and combo.inherits("QComboBox") and combo.lineEdit() is line_edit:
                    # An editable combo box has the focus itself and hands its keys to its
                    # line edit past any filter: they are watched where they arrive.
                    combo.setProperty(GUARDED, True)
                    combo.installEventFilter(self)
        return self

    def watch_all(self, dialog: QWidget) -> ScanBurstGuard:
        """Guard every text field of ``dialog`` (editable combo boxes' too)."""
        return self.watch(*dialog.findChildren(QLineEdit))

    def watch_keys(self, *widgets: QWidget) -> ScanBurstGuard:
        """Guard widgets that are no line edit: a spin box or date (which hands its keys to its
        own line edit past any filter), a list or combo box (keys pick an item), a text box, a
        button (Enter presses it). A burst ending in Enter/Tab puts back the value the widget
        had before it and swallows the Enter/Tab; the keys typed are the code."""
        for widget in widgets:
            if widget not in self._widgets:
                self._widgets[widget] = _WidgetState()
                widget.setProperty(GUARDED, True)
                widget.installEventFilter(self)
        return self

    def watch_editors(self, view: QtWidgets.QAbstractItemView) -> ScanBurstGuard:
        """Guard the cell editors ``view`` opens (each a line edit, watched as it appears)."""
        if view not in self._views:
            self._views.add(view)
            view.viewport().installEventFilter(self)
        return self

    def watch_dialog(self, dialog: QWidget, *, but: tuple[QWidget, ...] = ()) -> ScanBurstGuard:
        """Guard every field of ``dialog`` a key can reach: its text fields and its spin boxes,
        dates, combo and list boxes, text boxes and buttons (``watch_keys``); all ``but`` these
        (another guard's, which hands their scans elsewhere)."""
        self.watch(*(e for e in dialog.findChildren(QLineEdit) if e not in but))
        return self.watch_keys(*(w for w in dialog.findChildren(QWidget) if keyed(w) and w not in but))

    def _watch_editor(self, editor: QLineEdit) -> None:
        if editor not in self._fields:
            self.watch(editor)
            editor.destroyed.connect(lambda *_: self._fields.pop(editor, None))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ChildPolished and obj.parent() in self._views:
            child = event.child()  # type: ignore[attr-defined]
            if isinstance(child, QLineEdit):
                self._watch_editor(child)
            return False
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and isinstance(obj, QWidget) and obj in self._widgets):
            return self._widget_key(obj, self._widgets[obj], event)
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if isinstance(obj, QtWidgets.QComboBox) and obj.lineEdit() in self._fields:
            obj = obj.lineEdit()  # (the keys of an editable combo box, see ``watch``)
        state = self._fields.get(obj) if isinstance(obj, QLineEdit) else None
        if state is None:
            return False
        now = key_time_ms(event, self.clock_ms, self._timer)
        if event.key() in _TERMINATORS and not event.modifiers() & _COMMAND_MODIFIERS:
            burst = state.burst
            scanned = burst.ends_scan(now)
            if not scanned:
                burst.reset()
                return False
            code = obj.text()[burst.start:obj.cursorPosition()]
            obj.setText(state.before)
            obj.setCursorPosition(state.before_cursor)
            burst.reset()
            self._hand_over(obj, code)
            return True
        if event.text() and event.text().isprintable():
            before, cursor = obj.text(), obj.cursorPosition()
            if state.burst.key(now, _typing_position(obj)):
                state.before, state.before_cursor = before, cursor
        return False

    def _widget_key(self, widget: QWidget, state: _WidgetState, event: QKeyEvent) -> bool:
        """``eventFilter`` for a widget of ``watch_keys``: True swallows the key."""
        now = key_time_ms(event, self.clock_ms, self._timer)
        burst = state.burst
        if event.key() in _TERMINATORS and not event.modifiers() & _COMMAND_MODIFIERS:
            scanned = burst.ends_scan(now)
            code, restore = state.typed, state.restore
            burst.reset()
            state.typed, state.restore = "", None
            if not scanned:
                return False
            if restore is not None:
                restore()
            self._hand_over(widget, code)
            return True
        if event.text() and event.text().isprintable():
            fast = burst.fast(now)
            if burst.key(now, 0):
                state.typed, state.restore = "", _snapshot(widget)
            state.typed += event.text()
            # A space inside a burst (a code with a space) must not press the button.
            return fast and event.key() == Qt.Key.Key_Space and isinstance(widget, QAbstractButton)
        return False

    def _hand_over(self, field_: QWidget, raw: str) -> None:
        prefix = suffix = ""
        if self._settings is not None:
            prefix, suffix = self._settings.scanner_prefix, self._settings.scanner_suffix
        code = clean_scan(raw, prefix=prefix, suffix=suffix)
        if self.on_scan is not None:
            if code:
                self.on_scan(code)
            return
        self.last_ignored = IGNORED_SCAN
        if self.on_ignored is not None:
            self.on_ignored(IGNORED_SCAN)
        else:
            QToolTip.showText(field_.mapToGlobal(QPoint(0, field_.height())), IGNORED_SCAN, field_)


@dataclass
class _WidgetState:
    burst: KeyBurst = field(default_factory=KeyBurst)
    typed: str = ""  # the keys of the current burst
    restore: Callable[[], None] | None = None  # puts back the value from before the burst


def keyed(widget: QWidget) -> bool:
    """A widget of a dialog that keys change or press, other than a line edit: a spin box or
    date, a combo or list box that is no text field, a text box, a button."""
    if isinstance(widget, QtWidgets.QComboBox):
        return not widget.isEditable()
    return isinstance(widget, (QtWidgets.QAbstractSpinBox, QtWidgets.QPlainTextEdit, QtWidgets.QTextEdit,
                               QAbstractButton, QtWidgets.QAbstractItemView))


def _snapshot(widget: QWidget) -> Callable[[], None]:
    """What puts ``widget`` back as it is now (before a burst's keys change it)."""
    if isinstance(widget, QtWidgets.QAbstractSpinBox):
        return _spin_snapshot(widget)
    if isinstance(widget, QtWidgets.QComboBox):
        index = widget.currentIndex()
        return lambda: widget.setCurrentIndex(index)
    if isinstance(widget, (QtWidgets.QPlainTextEdit, QtWidgets.QTextEdit)):
        text, position = widget.toPlainText(), widget.textCursor().position()

        def back_text() -> None:
            if widget.toPlainText() != text:
                widget.setPlainText(text)
            cursor = widget.textCursor()
            cursor.setPosition(min(position, len(text)))
            widget.setTextCursor(cursor)
        return back_text
    if isinstance(widget, QtWidgets.QAbstractItemView):
        current = widget.currentIndex()
        return lambda: widget.setCurrentIndex(current)
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        checked = widget.isChecked()
        return lambda: widget.setChecked(checked)
    return lambda: None


def _spin_snapshot(spin: QtWidgets.QAbstractSpinBox) -> Callable[[], None]:
    """A spin box's or date's value and the text in its line edit (a person may be halfway
    through typing a number when the scan comes)."""
    edit = spin.findChild(QLineEdit)
    text, cursor = (edit.text(), edit.cursorPosition()) if edit is not None else ("", 0)
    value: object = None
    if isinstance(spin, (QtWidgets.QSpinBox, QtWidgets.QDoubleSpinBox)):
        value = spin.value()
    elif isinstance(spin, QtWidgets.QDateTimeEdit):
        value = spin.dateTime()

    def back() -> None:
        if isinstance(spin, (QtWidgets.QSpinBox, QtWidgets.QDoubleSpinBox)):
            spin.setValue(value)  # type: ignore[arg-type]
        elif isinstance(spin, QtWidgets.QDateTimeEdit):
            spin.setDateTime(value)  # type: ignore[arg-type]
        if edit is not None:
            if edit.text() != text:
                edit.setText(text)
            edit.setCursorPosition(cursor)
    return back
