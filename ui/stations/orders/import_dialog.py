"""The import dialog: choose a shop file, preview what it would import, then import it."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.kernel.text import counted
from app.orders import importers
from ui.models.orders_models import preview_model, preview_rows
from ui.ops import one_line, show_warning
from ui.stations.orders.common import client_combo, show_error, table_view
from ui.widgets.file_dialog import ask_open_path
from ui.widgets.scan_field import ScanBurstGuard, ScanNote
from ui.widgets.tables import fit_columns_to_contents
from ui.worker import run_task


class ImportDialog(QDialog):
    """Choose a shop file, preview what it would import (nothing written), then import it.

    Preview and import run on the worker pool with a progress bar: the window never freezes.
    """

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.preview: importers.ImportPreview | None = None
        self._asked: tuple[str, object, object] | None = None  # the choices being previewed
        self._shown: tuple[tuple[str, object, object], importers.ImportPreview] | None = None
        self.result: importers.ImportResult | None = None
        self.busy = False
        self.setWindowTitle("Import orders")
        self.resize(900, 600)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText("Shopify order export or generic order CSV")
        row.addWidget(self.path, 1)
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.on_browse_clicked)
        row.addWidget(browse)
        file_label = QLabel("&File")
        file_label.setBuddy(self.path)  # a row of widgets gets no buddy by itself: Alt+F
        form.addRow(file_label, row)
        self.client = client_combo(with_all=False)
        form.addRow("C&lient", self.client)
        self.fmt = QComboBox()
        self.fmt.addItem("Shopify order export", "shopify")
        self.fmt.addItem("Generic CSV (order_number, sku, qty, …)", "generic")
        form.addRow("F&ormat", self.fmt)
        layout.addLayout(form)
        self.preview_button = QPushButton("&Preview")
        self.preview_button.clicked.connect(self.on_preview_clicked)
        layout.addWidget(self.preview_button)
        self.summary = QLabel("Choose a file and press Preview: nothing is written until you import.")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.errors = QPlainTextEdit()
        self.errors.setReadOnly(True)
        self.errors.setMaximumHeight(110)
        self.errors.hide()
        layout.addWidget(self.errors)
        self.model = preview_model(self)
        self.table = table_view(self.model)
        self.table.horizontalHeader().setResizeContentsPrecision(200)  # widths from 200 rows: fast
        layout.addWidget(self.table, 1)
        self.progress = QProgressBar()
        self.progress.hide()
        layout.addWidget(self.progress)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.on_import_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.path.returnPressed.connect(self.on_preview_clicked)  # Enter in the file name: preview
        self.path.textChanged.connect(self._invalidate)
        self.client.currentIndexChanged.connect(self._invalidate)
        self.fmt.currentIndexChanged.connect(self._invalidate)
        # A scan landing here (the Import button has the focus after a preview) imports
        # nothing and changes no choice: the burst is taken back out, its Enter swallowed.
        self.note = ScanNote()
        layout.insertWidget(layout.indexOf(self.summary) + 1, self.note)
        self.guard = ScanBurstGuard(self, on_ignored=self.note.ignored,
                                    settings=ctx.settings).watch_dialog(self)

    def reject(self) -> None:
        """Close / Esc: not while the file is being read or written (the work would go on unseen)."""
        if self.busy:
            self.summary.setText("Please wait: the file is still being processed.")
            return
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.busy:
            event.ignore()
            self.summary.setText("Please wait: the file is still being processed.")
            return
        super().closeEvent(event)

    def on_browse_clicked(self) -> None:
        path = ask_open_path(self, "Order file", "CSV files (*.csv);;All files (*)")
        if path:
            self.path.setText(path)

    def _chosen(self) -> tuple[str, object, object]:
        return self.path.text().strip(), self.client.currentData(), self.fmt.currentData()

    def _invalidate(self) -> None:
        shown = self._shown
        if shown is not None and self._chosen() == shown[0]:
            # Back to what was previewed (a scan's keys taken back out of the file name).
            self.preview = shown[1]
            self.import_button.setEnabled(shown[1].ok and bool(shown[1].orders))
            return
        self.preview = None
        self.import_button.setEnabled(False)

    def _options(self) -> tuple[str, str, str] | None:
        path, client, fmt = self.path.text().strip(), self.client.currentData(), self.fmt.currentData()
        if not path:
            show_warning(self, "Choose the file to import.")
            return None
        if not client:
            show_warning(self, "Add the client first: orders belong to a client.")
            return None
        return path, client, fmt

    def _start(self, text: str) -> None:
        self.busy = True
        self.preview_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.summary.setText(text)

    def _stop(self) -> None:
        self.busy = False
        self.preview_button.setEnabled(True)
        self.progress.hide()

    def on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def on_preview_clicked(self) -> None:
        opts = self._options()
        if opts is None or self.busy:
            return
        path, client, fmt = opts
        self._start("Reading the file…")
        self._asked, self._shown = self._chosen(), None
        run_task(importers.preview_orders, path, client_code=client, fmt=fmt,
                 on_done=self.on_preview_done, on_error=self.on_failed, on_progress=self.on_progress)

    def on_preview_done(self, preview: importers.ImportPreview) -> None:
        self._stop()
        self.preview = preview
        if self._asked is not None:
            self._shown = (self._asked, preview)
        self.model.set_rows(preview_rows(preview))
        fit_columns_to_contents(self.table)
        parts = [f"{counted(len(preview.orders), 'order')} ({preview.line_count:,} lines) to import"]
        if preview.line_count > self.model.rowCount():
            parts[0] += f" (the first {self.model.rowCount():,} lines are shown)"
        if preview.skipped:
            why = Counter(reason for _, reason in preview.skipped)
            parts.append(f"{len(preview.skipped):,} skipped (" + ", ".join(
                f"{n:,} {reason}" for reason, n in why.most_common()) + ")")
        if preview.already_imported:
            parts.append(f"{len(preview.already_imported):,} already imported")
        notes = [f"Check {number}: imported earlier and still open here, but now {why}"
                 for number, why in preview.changed_in_shop]
        if preview.errors:
            n = len(preview.errors)
            self.summary.setText(f"Nothing can be imported: the file has {n} problem{'' if n == 1 else 's'} "
                                 "(below). Fix the file and preview again.")
            self.errors.setPlainText("\n".join([*preview.errors, *notes]))
            self.errors.show()
        else:
            self.summary.setText("; ".join(parts) + ".")
            self.errors.setPlainText("\n".join(notes))
            self.errors.setVisible(bool(notes))
        self.import_button.setEnabled(preview.ok and bool(preview.orders))
        if self.import_button.isEnabled():
            self.import_button.setFocus()  # Space or Enter imports what was just shown

    def on_import_clicked(self) -> None:
        opts = self._options()
        if opts is None or self.busy or self.preview is None or not self.preview.ok:
            return
        path, client, fmt = opts
        self._start("Importing…")
        run_task(importers.import_orders, path, client_code=client, fmt=fmt, actor=self.ctx.actor,
                 on_done=self.on_import_done, on_error=self.on_failed, on_progress=self.on_progress)

    def on_import_done(self, result: importers.ImportResult) -> None:
        self._stop()
        self.result = result
        self.summary.setText(result.text().capitalize() + ".")
        self.accept()

    def on_failed(self, exc: BaseException) -> None:
        self._stop()
        self.summary.setText(one_line(exc))
        show_error(self, exc)
