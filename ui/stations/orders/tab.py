"""Orders & Picking tab: the order list with its detail and timeline, allocation, manual entry,
cancel, shop-file import with a preview, the back-order list with customer notices, the
customer-service lookup, and the picking developer's Pick lists panel.

Every rule lives in ``app.orders``, ``app.allocation``, ``app.importers`` and
``app.backorders``; this module only gathers input, calls them and shows what they answered.
Slow work (allocation, import and its preview) runs on ``ui.worker.run_task``.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import catalog, orders
from app.kernel.errors import PrepDeskError
from app.orders import allocation, backorders, importers
from ui.models.orders_models import (
    ID_ROLE,
    OrdersModel,
    backorders_model,
    lookup_model,
    preview_model,
    preview_rows,
)
from ui.ops import one_line, run_op, show_unexpected, show_warning
from ui.printing import save_file
from ui.stations.inventory.tab import fill_table, read_only_table
from ui.widgets.common import add_shortcuts, ok_cancel_buttons
from ui.worker import run_task

log = logging.getLogger(__name__)

STATUS_CHOICES = [("Open orders", "open"), ("All orders", "")] + [
    (orders.STATUS_LABELS[s], s) for s in orders.STATUSES]


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """A worker's failure: one line for a domain error, a logged bug otherwise."""
    if isinstance(exc, PrepDeskError):
        show_warning(parent, one_line(exc))
    else:
        log.error("background task failed", exc_info=(type(exc), exc, exc.__traceback__))
        show_unexpected(parent, exc)


def table_view(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


def client_combo(*, with_all: bool, compact: bool = False) -> QComboBox:
    """Clients by code and name; ``compact`` shows only the code (a crowded tool bar)."""
    combo = QComboBox()
    if with_all:
        combo.addItem("All clients", "")
    for c in catalog.list_clients():
        combo.addItem(c.code if compact else f"{c.code} — {c.name}", c.code)
        combo.setItemData(combo.count() - 1, f"{c.code} — {c.name}", Qt.ItemDataRole.ToolTipRole)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


class MessageLine(QLabel):
    """The page's last word on what happened; takes no room while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # it quotes order numbers and searches
        self.setWordWrap(True)
        self.setVisible(False)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self.setVisible(bool(text))


def focus_field(field: QLineEdit) -> None:
    field.setFocus(Qt.FocusReason.ShortcutFocusReason)
    field.selectAll()


_SHORT = QBrush(QColor("#b71c1c"))


# --- Order detail (lines + timeline) ------------------------------------------------------


class OrderDetailPanel(QWidget):
    """One order: who and where, its lines with their quantities, and its full timeline.

    ``tabbed`` shows lines and timeline as two full-width tabs (under the order list, where
    height is short); otherwise they are stacked (customer-service lookup).
    """

    LINE_HEADERS = ["#", "SKU", "Name", "Ordered", "Alloc.", "Picked", "Packed", "Shipped", "Short"]
    LINE_TIPS = {4: "Reserved in bins, not picked yet", 8: "Back-ordered: neither reserved nor picked"}
    TIMELINE_HEADERS = ["When (UTC)", "What", "Who @ station"]

    def __init__(self, parent: QWidget | None = None, *, tabbed: bool = False) -> None:
        super().__init__(parent)
        self.order_id: int | None = None
        self.detail: orders.OrderDetail | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("Select an order")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        layout.addWidget(self.title)
        self.info = QLabel("")
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.info)
        self.lines_table = read_only_table()
        self.timeline_table = read_only_table()
        self.tabs: QTabWidget | None = None
        if tabbed:
            self.tabs = QTabWidget()
            self.tabs.addTab(self.lines_table, "&Lines")
            self.tabs.addTab(self.timeline_table, "&Timeline")
            layout.addWidget(self.tabs, 1)
            return
        for title, table, stretch in (("Lines", self.lines_table, 2), ("Timeline", self.timeline_table, 3)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(table)
            layout.addWidget(box, stretch)

    def show_order(self, order_id: int | None) -> None:
        self.order_id = order_id
        if order_id is None:
            self.detail = None
            self.title.setText("Select an order")
            self.info.setText("")
            fill_table(self.lines_table, self.LINE_HEADERS, [], set())
            fill_table(self.timeline_table, self.TIMELINE_HEADERS, [], set())
            return
        try:
            d = orders.order_detail(order_id)
            events = orders.timeline(order_id)
        except PrepDeskError as exc:
            self.title.setText(one_line(exc))
            return
        self.detail = d
        self.title.setText(f"{d.number}  ·  {orders.STATUS_LABELS[d.status]}")
        ship = ", ".join(x for x in (d.ship_name, d.ship_company, d.address1, d.address2, d.zip, d.city,
                                     d.province, d.country) if x)
        # shop data is text, never markup: "Tom & Jerry <b>" must show as typed
        e = html.escape
        who = " · ".join(x for x in (f"<b>{e(d.client_code)}</b>", e(d.customer_name),
                                     f"&lt;{e(d.email)}&gt;" if d.email else "", e(d.phone)) if x)
        urgency = " · ".join(x for x in (f"priority {d.priority}" if d.priority else "",
                                         f"ship by {d.ship_by}" if d.ship_by else "",
                                         e(f"{d.carrier} {d.service}".strip())) if x)
        stamps = (f"Received {_when(d.received_at)} · allocated {_when(d.allocated_at)} · picked "
                  f"{_when(d.picked_at)} · packed {_when(d.packed_at)} · shipped {_when(d.shipped_at)}"
                  + (f" · cancelled {_when(d.cancelled_at)}" if d.cancelled_at else ""))
        parts = [who + (f" · <b>{urgency}</b>" if urgency else ""), f"Ship to: {e(ship) or '-'}", stamps]
        if d.notes:
            parts.append(f"Notes: {e(d.notes)}")
        self.info.setText("<br>".join(p.replace("\n", " ") for p in parts))
        fill_table(self.lines_table, self.LINE_HEADERS,
                   [(ln.line_no, ln.sku, ln.name, ln.qty_ordered, ln.qty_allocated, ln.qty_picked,
                     ln.qty_packed, ln.qty_shipped, ln.qty_short) for ln in d.lines],
                   {0, 3, 4, 5, 6, 7, 8}, stretch=2)
        for col, tip in self.LINE_TIPS.items():
            self.lines_table.horizontalHeaderItem(col).setToolTip(tip)
        for row, ln in enumerate(d.lines):
            if ln.qty_short and d.status not in (orders.NEW, orders.CANCELLED):
                self.lines_table.item(row, 8).setForeground(_SHORT)
        fill_table(self.timeline_table, self.TIMELINE_HEADERS,
                   [(_when(e.at), e.text, f"{e.who} @ {e.station}" if e.station else e.who)
                    for e in events], set(), stretch=1)
        if self.tabs is not None:
            n = len(events)
            self.tabs.setTabText(1, f"&Timeline ({n})")
            short = d.units_short if d.status not in (orders.NEW, orders.CANCELLED) else 0
            self.tabs.setTabText(0, f"&Lines ({len(d.lines)})" + (f" · {short} short" if short else ""))
        # the newest event is what customer service asks about first
        self.timeline_table.scrollToBottom()


# --- Dialogs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewOrderRequest:
    client: str
    number: str
    lines: list[tuple[str, int]]
    fields: dict = field(default_factory=dict)


class NewOrderDialog(QDialog):
    """Manual order entry: client, number, customer and address, ship-by, priority, lines."""

    # Who and where (left column); Alt+letters unique within the dialog.
    TEXT_FIELDS = (("customer_name", "Customer na&me"), ("email", "&Email"), ("phone", "&Phone"),
                   ("address1", "&Address"), ("address2", "Address &2"), ("city", "Ci&ty"),
                   ("province", "State / pro&vince"), ("zip", "&Zip"), ("country", "Countr&y"))
    # How (right column, under the lines).
    SHIPPING_FIELDS = (("carrier", "&Carrier"), ("service", "&Service"), ("notes", "N&otes"))

    def __init__(self, parent: QWidget | None = None, *,
                 submit: Callable[[NewOrderRequest], orders.OrderRef | None] | None = None) -> None:
        super().__init__(parent)
        self.submit = submit  # called on OK; None (refused, message shown) keeps the dialog open
        self.ref: orders.OrderRef | None = None
        self.setWindowTitle("New order")
        outer = QVBoxLayout(self)
        columns = QHBoxLayout()
        outer.addLayout(columns, 1)
        left = QFormLayout()
        columns.addLayout(left, 1)
        self.client = client_combo(with_all=False)
        left.addRow("C&lient", self.client)
        self.number = QLineEdit()
        left.addRow("Order &number", self.number)
        self.edits: dict[str, QLineEdit] = {}
        for key, label in self.TEXT_FIELDS:
            self.edits[key] = QLineEdit()
            left.addRow(label, self.edits[key])
        right = QVBoxLayout()
        columns.addLayout(right, 1)
        lines_label = QLabel("L&ines (SKU, quantity)")
        right.addWidget(lines_label)
        self.lines = QTableWidget(8, 2)
        lines_label.setBuddy(self.lines)
        self.lines.setHorizontalHeaderLabels(["SKU", "Qty"])
        self.lines.setToolTip("Type a SKU, Tab, the quantity; Ctrl+Tab leaves the table")
        self.lines.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        right.addWidget(self.lines, 1)
        more = QPushButton("A&dd line")
        more.clicked.connect(lambda: self.lines.setRowCount(self.lines.rowCount() + 1))
        right.addWidget(more)
        how = QFormLayout()
        right.addLayout(how)
        self.ship_by = QLineEdit()
        self.ship_by.setPlaceholderText("YYYY-MM-DD (optional)")
        how.addRow("Ship &by", self.ship_by)
        self.priority = QSpinBox()
        self.priority.setRange(orders.MIN_PRIORITY, orders.MAX_PRIORITY)
        self.priority.setToolTip("Higher is more urgent: allocated first")
        how.addRow("P&riority", self.priority)
        for key, label in self.SHIPPING_FIELDS:
            self.edits[key] = QLineEdit()
            how.addRow(label, self.edits[key])
        outer.addWidget(ok_cancel_buttons(self))
        self.resize(980, 560)  # fits a 1280 x 800 screen

    def accept(self) -> None:
        """Enter the order; if the service refuses it, say why and keep everything typed."""
        if self.submit is not None:
            ref = self.submit(self.request())
            if ref is None:
                return
            self.ref = ref
        super().accept()

    def set_line(self, row: int, sku: str, qty: int | str) -> None:
        if row >= self.lines.rowCount():
            self.lines.setRowCount(row + 1)
        self.lines.setItem(row, 0, QTableWidgetItem(sku))
        self.lines.setItem(row, 1, QTableWidgetItem(str(qty)))

    def request(self) -> NewOrderRequest:
        lines: list[tuple[str, int]] = []
        for r in range(self.lines.rowCount()):
            sku_item, qty_item = self.lines.item(r, 0), self.lines.item(r, 1)
            sku = sku_item.text().strip() if sku_item else ""
            qty = qty_item.text().strip() if qty_item else ""
            if sku or qty:
                lines.append((sku, qty or "1"))  # the service checks the quantity text
        fields = {key: edit.text().strip() for key, edit in self.edits.items()}
        fields["ship_name"] = fields["customer_name"]
        fields["ship_by"] = self.ship_by.text().strip()
        fields["priority"] = self.priority.value()
        return NewOrderRequest(self.client.currentData() or "", self.number.text().strip(), lines, fields)


class ImportDialog(QDialog):
    """Choose a shop file, preview what it would import (nothing written), then import it.

    Preview and import run on the worker pool with a progress bar: the window never freezes.
    """

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.preview: importers.ImportPreview | None = None
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
        path, _ = QFileDialog.getOpenFileName(self, "Order file", "", "CSV files (*.csv);;All files (*)")
        if path:
            self.path.setText(path)

    def _invalidate(self) -> None:
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
        run_task(importers.preview_orders, path, client_code=client, fmt=fmt,
                 on_done=self.on_preview_done, on_error=self.on_failed, on_progress=self.on_progress)

    def on_preview_done(self, preview: importers.ImportPreview) -> None:
        self._stop()
        self.preview = preview
        self.model.set_rows(preview_rows(preview))
        self.table.resizeColumnsToContents()
        parts = [f"{len(preview.orders):,} orders ({preview.line_count:,} lines) to import"]
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
        self.ctx.events.orders_changed.emit()
        self.accept()

    def on_failed(self, exc: BaseException) -> None:
        self._stop()
        self.summary.setText(one_line(exc))
        show_error(self, exc)


# --- Pages ----------------------------------------------------------------------------------


class OrdersPage(QWidget):
    """The order list (status filter, client, search), detail, and the order actions."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.allocating = False
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.status = QComboBox()
        for label, value in STATUS_CHOICES:
            self.status.addItem(label, value)
        self.status.setToolTip("Which orders to list")
        bar.addWidget(self.status)
        self.client = client_combo(with_all=True, compact=True)
        bar.addWidget(self.client)
        self.search = QLineEdit()
        self.search.setMinimumWidth(260)
        self.search.setPlaceholderText("Search number, customer, email, tracking — Enter (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 1)
        self.allocate_button = QPushButton("&Allocate")
        self.allocate_button.setToolTip("Reserve stock for open orders, most urgent first")
        self.new_button = QPushButton("&New order…")
        self.import_button = QPushButton("&Import…")
        self.cancel_button = QPushButton("&Cancel…")
        self.cancel_button.setEnabled(False)
        for b in (self.allocate_button, self.new_button, self.import_button, self.cancel_button):
            bar.addWidget(b)
        layout.addLayout(bar)
        self.message = MessageLine()
        layout.addWidget(self.message)
        # the list above, the order below: every column of both fits a 1280-wide screen
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        self.model = OrdersModel(self)
        self.view = table_view(self.model)
        self.view.resizeColumnsToContents()
        split.addWidget(self.view)
        self.detail = OrderDetailPanel(tabbed=True)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 440])  # the list gets the larger share; the detail's size hint would take most
        layout.addWidget(split, 1)

        self.status.currentIndexChanged.connect(self.apply_filter)
        self.client.currentIndexChanged.connect(self.apply_filter)
        self.search.returnPressed.connect(self.apply_filter)
        self.view.selectionModel().currentRowChanged.connect(self.on_view_row_changed)
        self.allocate_button.clicked.connect(self.on_allocate_clicked)
        self.new_button.clicked.connect(self.on_new_clicked)
        self.import_button.clicked.connect(self.on_import_clicked)
        self.cancel_button.clicked.connect(self.on_cancel_clicked)
        add_shortcuts(self, ("Ctrl+F", lambda: focus_field(self.search)), ("F5", self.reload))
        # stock arriving fills back-orders, so their status changes with stock too
        for signal in (ctx.events.orders_changed, ctx.events.stock_changed, ctx.events.picklists_changed,
                       ctx.events.packages_changed, ctx.events.shipments_changed):
            signal.connect(self.reload)

    @property
    def order_id(self) -> int | None:
        return self.detail.order_id

    def apply_filter(self) -> None:
        self.model.set_filter(status=self.status.currentData(), client=self.client.currentData(),
                              search=self.search.text().strip())
        self.select_row(0 if self.model.rowCount() else -1)

    def reload(self) -> None:
        keep = self.order_id
        self.model.reload()
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and keep is not None:  # e.g. just cancelled under "Open orders": keep showing it
            self.view.clearSelection()
            self._show(keep)
            return
        self.select_row(row if row >= 0 else (0 if self.model.rowCount() else -1))

    def select_order(self, order_id: int) -> None:
        row = self.model.row_of(order_id)
        if row < 0:  # not under the current filter: show all orders
            self.status.blockSignals(True)
            self.status.setCurrentIndex(self.status.findData(""))
            self.status.blockSignals(False)
            self.search.clear()
            self.model.set_filter(status="", client=self.client.currentData(), search=None)
            row = self.model.row_of(order_id)
        self.select_row(row)

    def select_row(self, row: int) -> None:
        if row < 0:
            self.view.clearSelection()
            self.detail.show_order(None)
            self.cancel_button.setEnabled(False)
            return
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._show(index.data(ID_ROLE))

    def on_view_row_changed(self, current, _previous) -> None:
        self._show(current.data(ID_ROLE) if current.isValid() else None)

    def _show(self, order_id: int | None) -> None:
        self.detail.show_order(order_id)
        d = self.detail.detail
        self.cancel_button.setEnabled(d is not None and orders.MANUAL.allowed(d.status, orders.CANCELLED))

    # --- actions ----------------------------------------------------------------------
    def on_allocate_clicked(self) -> None:
        if self.allocating:
            return
        self.allocating = True
        self.allocate_button.setEnabled(False)
        self.message.setText("Allocating…")
        run_task(allocation.allocate_orders, actor=self.ctx.actor, client=self.client.currentData() or None,
                 on_done=self.on_allocate_done, on_error=self.on_allocate_failed)

    def on_allocate_done(self, result: allocation.AllocationResult) -> None:
        self.allocating = False
        self.allocate_button.setEnabled(True)
        self.message.setText(result.text().capitalize() + "." if result.orders else
                             "No open order waits for stock.")
        self.ctx.events.orders_changed.emit()
        self.ctx.events.stock_changed.emit()

    def on_allocate_failed(self, exc: BaseException) -> None:
        self.allocating = False
        self.allocate_button.setEnabled(True)
        self.message.setText(one_line(exc))
        show_error(self, exc)

    def enter_order(self, req: NewOrderRequest, parent: QWidget | None = None) -> orders.OrderRef | None:
        """The service call behind the dialog's OK: the order, or None after showing why not."""
        return run_op(parent or self, orders.enter_order, req.client, req.number, req.lines,
                      actor=self.ctx.actor, **req.fields)

    def ask_new_order(self) -> orders.OrderRef | None:
        dialog = NewOrderDialog(self)
        dialog.submit = lambda req: self.enter_order(req, dialog)
        try:
            return dialog.ref if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def on_new_clicked(self) -> None:
        ref = self.ask_new_order()
        if ref is None:
            return
        self.message.setText(f"Order {ref.number} added; press Allocate to reserve stock.")
        self.ctx.events.orders_changed.emit()
        self.select_order(ref.id)

    def ask_import(self) -> importers.ImportResult | None:
        dialog = ImportDialog(self.ctx, self)
        try:
            dialog.exec()
            return dialog.result
        finally:
            dialog.deleteLater()

    def on_import_clicked(self) -> None:
        result = self.ask_import()
        if result is not None:
            self.message.setText(result.text().capitalize() + (
                ". Press Allocate to reserve stock." if result.orders else "."))

    def ask_cancel_reason(self, number: str) -> str | None:
        text, ok = QInputDialog.getText(self, "Cancel order", f"Why is order {number} cancelled?")
        return text if ok else None

    def on_cancel_clicked(self) -> None:
        d = self.detail.detail
        if d is None:
            return
        reason = self.ask_cancel_reason(d.number)
        if reason is None:
            return
        ref = run_op(self, orders.cancel_order, d.id, actor=self.ctx.actor, reason=reason)
        if ref is None:
            return
        self.message.setText(f"Order {ref.number} cancelled; its stock was released." if ref.status == orders.CANCELLED
                             else f"The back-ordered rest of order {ref.number} was cancelled; the order is "
                                  "complete with what was shipped.")
        self.ctx.events.orders_changed.emit()
        self.ctx.events.stock_changed.emit()


class BackordersPage(QWidget):
    """What waits for stock, per product, and the notices that tell the customers."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.client = client_combo(with_all=True, compact=True)
        bar.addWidget(self.client)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        bar.addWidget(self.summary, 1)
        self.refresh_button = QPushButton("&Refresh")
        self.csv_button = QPushButton("&List CSV…")
        self.notices_button = QPushButton("&Notices CSV…")
        self.messages_button = QPushButton("&Messages…")
        for b in (self.refresh_button, self.csv_button, self.notices_button, self.messages_button):
            bar.addWidget(b)
        layout.addLayout(bar)
        self.model = backorders_model(parent=self)
        self.view = table_view(self.model)
        layout.addWidget(self.view, 1)
        self.client.currentIndexChanged.connect(self.reload)
        self.refresh_button.clicked.connect(self.reload)
        self.csv_button.clicked.connect(self.on_csv_clicked)
        self.notices_button.clicked.connect(self.on_notices_clicked)
        self.messages_button.clicked.connect(self.on_messages_clicked)
        add_shortcuts(self, ("F5", self.reload))
        for signal in (ctx.events.orders_changed, ctx.events.stock_changed, ctx.events.shipments_changed):
            signal.connect(self.reload)
        self.reload()

    def _client(self) -> str | None:
        return self.client.currentData() or None

    def reload(self) -> None:
        rows = run_op(self, backorders.backorder_list, client=self._client())
        rows = rows or []
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        units = sum(r.qty_short for r in rows)
        orders_waiting = len({n for r in rows for n in r.orders})
        self.summary.setText(f"{len(rows)} products short by {units} units; {orders_waiting} orders wait"
                             if rows else "No back-orders.")
        for b in (self.csv_button, self.notices_button, self.messages_button):
            b.setEnabled(bool(rows))

    def save(self, data: bytes, name: str) -> str | None:
        return save_file(self, data, name, "CSV files (*.csv)")

    def on_csv_clicked(self) -> None:
        rows = backorders.backorder_list(client=self._client())
        self.save(backorders.backorders_csv(rows).encode("utf-8"), f"backorders-{dt.date.today()}.csv")

    def on_notices_clicked(self) -> None:
        notices = run_op(self, backorders.customer_notices, client=self._client())
        if notices:
            self.save(backorders.notices_csv(notices).encode("utf-8"), f"backorder-notices-{dt.date.today()}.csv")

    def ask_messages_folder(self) -> str | None:
        return QFileDialog.getExistingDirectory(self, "Folder for the messages") or None

    def on_messages_clicked(self) -> None:
        folder = self.ask_messages_folder()
        if not folder:
            return
        notices = run_op(self, backorders.customer_notices, client=self._client()) or []
        files = run_op(self, backorders.write_messages, notices, folder + "/")
        if files is not None:
            no_email = [n.order_number for n in notices if not n.has_email]
            self.summary.setText(f"{len(files)} messages written to {folder}" + (
                f"; {len(no_email)} without an email address (tell them another way): " + " ".join(no_email[:5])
                + (" ..." if len(no_email) > 5 else "") if no_email else ""))


class LookupPage(QWidget):
    """Customer service: find an order by number, name, email or tracking; see everything."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Order number, customer name, email or tracking number — Enter (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setStyleSheet("font-size: 14pt;")
        layout.addWidget(self.search)
        self.message = MessageLine()
        layout.addWidget(self.message)
        split = QSplitter(Qt.Orientation.Vertical)
        self.model = lookup_model(self)
        self.view = table_view(self.model)
        split.addWidget(self.view)
        self.detail = OrderDetailPanel()
        split.addWidget(self.detail)
        split.setStretchFactor(1, 3)
        layout.addWidget(split, 1)
        self.search.returnPressed.connect(self.on_search_entered)
        self.view.selectionModel().currentRowChanged.connect(self.on_view_row_changed)
        add_shortcuts(self, ("Ctrl+F", lambda: focus_field(self.search)), ("F5", self.refresh))
        ctx.events.orders_changed.connect(self.refresh)
        ctx.events.packages_changed.connect(self.refresh)

    def on_search_entered(self) -> None:
        text = self.search.text().strip()
        rows = run_op(self, orders.search_orders, text)
        if rows is None:
            return
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self.message.setText(f"{len(rows)} orders match {text!r}" if rows else f"No order matches {text!r}")
        if rows:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        else:
            self.detail.show_order(None)

    def on_view_row_changed(self, current, _previous) -> None:
        self.detail.show_order(current.data(ID_ROLE) if current.isValid() else None)

    def refresh(self) -> None:
        if self.detail.order_id is not None:
            self.detail.show_order(self.detail.order_id)


def picking_panel(ctx) -> QWidget | None:
    """The picking developer's panel, if it is installed (imported lazily)."""
    try:
        from ui.stations.picking.tab import PickingPanel
    except ImportError:
        log.info("pick lists panel not available")
        return None
    return PickingPanel(ctx)


class OrdersTab(QTabWidget):
    """Orders & Picking: Orders, Back-orders, Lookup and Pick lists."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.orders_page = OrdersPage(ctx)
        self.addTab(self.orders_page, "Orders")
        self.backorders_page = BackordersPage(ctx)
        self.addTab(self.backorders_page, "Back-orders")
        self.lookup_page = LookupPage(ctx)
        self.addTab(self.lookup_page, "Lookup")
        self.picking = picking_panel(ctx)
        if self.picking is not None:
            self.addTab(self.picking, "Pick lists")
