"""The Reports tab's pages: one per catalog report (a table, its notes and what it was saved
as), and the audit log viewer (filters by user, document and kind; pages)."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.kernel.errors import PrepDeskError
from app.reports import audit_log
from app.reports.table import Table
from ui.models.reports_models import ReportTableModel
from ui.ops import one_line
from ui.widgets.stray_scan import takes_scans
from ui.worker import run_task

ANY = "(any)"


def report_view(model: ReportTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    view.setStyleSheet("QTableView { font-size: 12pt; } QHeaderView::section { font-size: 11pt; }")
    return view


class ReportSection(QWidget):
    """One catalog report: the table as the service returned it, shown in words."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.stale = True  # the table does not show the current period yet
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.title = QLabel(title)
        self.title.setObjectName("Heading")
        self.title.setWordWrap(True)  # a long title must not widen the window
        head.addWidget(self.title, 1)
        self.days: QSpinBox | None = None
        if name == "stock":  # slow movers: no shipment in this many days
            label = QLabel("Slow after da&ys")
            self.days = QSpinBox()
            self.days.setRange(1, 3650)
            self.days.setValue(30)
            label.setBuddy(self.days)
            head.addWidget(label)
            head.addWidget(self.days)
        layout.addLayout(head)
        self.model = ReportTableModel(self)
        self.view = report_view(self.model)
        layout.addWidget(self.view, 1)
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("font-size: 11pt; color: #37474f;")
        layout.addWidget(self.notes)

    def options(self) -> dict[str, object]:
        return {"days": self.days.value()} if self.days is not None else {}

    def show_table(self, table: Table) -> None:
        self.model.set_table(table)
        self.title.setText(table.title)
        self.notes.setText("  ".join(table.notes))
        self.stale = False


class AuditSection(QWidget):
    """Who did what, when and where: newest first, 100 events a page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loading = False
        self.current: audit_log.AuditPage | None = None
        self.page = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        self.user = QComboBox()
        self.user.setEditable(True)
        self.document = QLineEdit()
        self.document.setPlaceholderText("1001, order 1001 or order")
        takes_scans(self.document)  # a scanned order, pick list or shipment number is what to find
        self.kind = QComboBox()
        self.kind.setEditable(True)
        for text, widget in (("&User", self.user), ("&Document", self.document), ("&Kind", self.kind)):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, 1)
        self.apply_button = QPushButton("&Apply")
        filters.addWidget(self.apply_button)
        layout.addLayout(filters)
        self.model = ReportTableModel(self)
        self.view = report_view(self.model)
        layout.addWidget(self.view, 1)
        pages = QHBoxLayout()
        self.previous = QPushButton("Ne&wer")
        self.next = QPushButton("&Older")
        self.page_label = QLabel("")
        pages.addWidget(self.page_label, 1)
        pages.addWidget(self.previous)
        pages.addWidget(self.next)
        layout.addLayout(pages)
        self.apply_button.clicked.connect(lambda: self.load(0))
        self.document.returnPressed.connect(lambda: self.load(0))
        self.previous.clicked.connect(lambda: self.load(self.page - 1))
        self.next.clicked.connect(lambda: self.load(self.page + 1))
        self.stale = True

    def _text(self, combo: QComboBox) -> str | None:
        text = combo.currentText().strip()
        return None if text in ("", ANY) else text

    def fill_choices(self, users: list[str], kinds: list[str]) -> None:
        for combo, items in ((self.user, users), (self.kind, kinds)):
            chosen = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([ANY, *items])
            combo.setCurrentText(chosen or ANY)
            combo.blockSignals(False)

    def load(self, page: int = 0) -> None:
        if self.loading:
            return
        self.loading = True
        self.page_label.setText("Reading the audit log…")
        run_task(_audit_and_choices, user=self._text(self.user), document=self.document.text().strip() or None,
                 kind=self._text(self.kind), page=max(0, page), on_done=self._done, on_error=self._failed)

    def _done(self, result: tuple[audit_log.AuditPage, list[str], list[str]]) -> None:
        if not shiboken6.isValid(self):
            return  # the window closed while the worker read
        self.loading = False
        page, users, kinds = result
        self.current = page
        self.page = page.page
        self.fill_choices(users, kinds)
        self.model.set_table(page.table)
        self.page_label.setText(page.text.capitalize())
        self.previous.setEnabled(page.page > 0)
        self.next.setEnabled(page.page + 1 < page.pages)
        self.stale = False

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return  # the window closed while the worker read
        self.loading = False
        # A filter refused (a document nobody has) is said as it is; a failure to read, as one.
        self.page_label.setText(one_line(exc) if isinstance(exc, PrepDeskError)
                                else f"Cannot read the audit log: {one_line(exc)}")


def _audit_and_choices(*, user: str | None, document: str | None, kind: str | None,
                       page: int) -> tuple[audit_log.AuditPage, list[str], list[str]]:
    """One worker call: the page and the filter lists."""
    return (audit_log.audit_log(user=user, document=document, kind=kind, page=page),
            audit_log.users(), audit_log.kinds())

