"""Reprint at the packing station: the slip and labels of any order, shipped ones included,
by its number scanned or typed (Ctrl+R)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton

from app.devices import printing
from ui.stations.packing.papers import papers, print_pdf, reprint_papers
from ui.widgets.ask import ask_text


class ReprintControl:
    """The "Reprint…" button of a packing tab and what it does; the tab supplies ``_op``,
    ``status``, ``banner``, ``ctx`` and ``scan_field``."""

    def __init__(self, tab: Any) -> None:
        self.tab = tab
        self.button = QPushButton("Reprint…")
        self.button.setToolTip("Print an order's slip and labels again, shipped orders too (Ctrl+R)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.reprint)
        shortcut = QShortcut(QKeySequence("Ctrl+R"), tab)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.reprint)

    def ask_order(self) -> str:
        """The order number to reprint, scanned or typed ('' when cancelled; tests monkeypatch)."""
        text = ask_text(self.tab, "Reprint", "Scan or type the order number:", settings=self.tab.ctx.settings,
                        scan_answers=True)
        return text.strip() if text is not None else ""

    def reprint(self) -> Any:
        """Print an order's papers again; the ``app.packing.reprint.Reprint`` (None: nothing)."""
        tab = self.tab
        code = self.ask_order()
        tab.scan_field.grab_focus()
        if not code:
            return None
        settings = tab.ctx.settings
        fmt = papers().carton_label_format(settings.label_language) if settings.label_printer else "pdf"
        result = tab._op(
            reprint_papers, code, label_format=fmt, dpi=settings.label_dpi)
        if result is None:
            return None
        if settings.document_printer:
            tab._op(printing.send_pdf, settings.document_printer, result.slip_pdf)
        else:
            print_pdf(tab, result.slip_pdf, f"Packing slip {result.number}")
        for number, label in result.labels:
            if settings.label_printer:
                tab._op(printing.send_labels, settings.label_printer, label, fmt)
            else:
                print_pdf(tab, label, f"Carton label {result.number} box {number}")
        tab.status.setText(f"Reprinted: {result.message.replace(' ready to print again', '')}")
        return result
