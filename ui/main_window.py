"""The main window: the role's tabs ordered for this station, a menu, and a status bar saying who,
where and which database."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import PurePath
from urllib.parse import urlparse

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QWidget,
)

from app.kernel.logsetup import log_dir
from app.store import db
from ui import lazy
from ui.permits import tabs_for
from ui.screen_fit import apply_text_size, place_window, text_size_for
from ui.settings import STATION_LABELS
from ui.widgets.common import focus_into
from ui.widgets.elided import ElidedLabel
from ui.widgets.menu_guard import MenuScanGuard
from ui.widgets.stray_scan import StrayScanCatcher

log = logging.getLogger(__name__)

# key -> (title, "module:TabClass"); no mnemonics in titles: Alt+1..8 switch tabs.
# A tab's module is named, not imported: it is imported (ui.lazy) the first time the tab is
# shown, so what it pulls in (ReportLab, QtPdf, QtCharts...) stays off the start-up path.
# A new tab is one more line here; nothing else in this module imports tab modules.
TABS: dict[str, tuple[str, str]] = {
    "receiving": ("Receiving", "ui.stations.receiving.tab:ReceivingTab"),
    "inventory": ("Inventory", "ui.stations.inventory.tab:InventoryTab"),
    "orders": ("Orders && Picking", "ui.stations.orders.tab:OrdersTab"),  # && = a literal &
    "packing": ("Packing", "ui.stations.packing.tab:PackingTab"),
    "returns": ("Returns", "ui.stations.returns.tab:ReturnsTab"),
    "reports": ("Reports", "ui.stations.reports.tab:ReportsTab"),
    "clients": ("Clients", "ui.stations.clients.tab:ClientsTab"),
    "billing": ("Billing", "ui.stations.billing.tab:BillingTab"),
}

# The settings dialog (with the printers' options): its module when first opened.
SETTINGS_DIALOG = "ui.dialogs.settings:SettingsDialog"

# File → Users… and File → Box types… (a supervisor's): their modules when first opened.
USERS_DIALOG = "ui.dialogs.users:UsersDialog"
BOX_TYPES_DIALOG = "ui.stations.packing.box_types:BoxTypesDialog"

# File → Command barcodes (PDF sheets drawn with ReportLab): its module on first open.
COMMAND_SHEETS = "ui.command_sheets:fill_command_sheet_menu"

# What each station does most comes first (and is the tab shown at start).
STATION_TAB_ORDER: dict[str, tuple[str, ...]] = {
    "receiving": ("receiving", "inventory", "returns", "orders", "packing", "reports", "clients", "billing"),
    "packer": ("packing", "orders", "inventory", "returns", "receiving", "reports", "clients", "billing"),
    "supervisor": ("reports", "inventory", "orders", "receiving", "packing", "returns", "clients", "billing"),
}


def first_tab_module(station: str) -> str:
    """The module of the tab a station shows first (to a person allowed every tab)."""
    return TABS[STATION_TAB_ORDER[station][0]][1].partition(":")[0]


# The tabs with no scan field, where a scan anywhere is caught and answered with where to go;
# on the others a scan into a plain text field beside the scan field is taken back out.
STRAY_SCAN_TABS: tuple[str, ...] = ("reports", "clients", "billing")


# The most and the least a status bar item (user, station, database) takes, in pixels: beside a
# message they share what the message leaves (less the margins and spacing around them).
STATUS_ITEM_WIDTH = (400, 90)
STATUS_MESSAGE_MARGIN = 60


def short_database(url: str) -> str:
    """The database as the status bar names it: a SQLite file's name, a server's host and
    database (the whole URL, without its password, is in the tool tip)."""
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        return f"{PurePath(parsed.path).name or url} (SQLite)"
    return f"{parsed.hostname or 'localhost'}/{parsed.path.lstrip('/')}" if parsed.scheme else url


def _scrollable(page: QWidget | None = None) -> QScrollArea:
    """A tab's frame: a page that needs more room than a small screen has scrolls instead of
    pushing the window (and its status bar) off the screen. The page may come later."""
    area = QScrollArea()
    area.setObjectName("TabScroll")
    if page is not None:
        area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


class _Pages(dict[str, QWidget]):
    """The window's pages by key; a page not built yet is built when first asked for.

    Its keys (``in``, iteration, ``len``) are the window's tabs, built or not, in tab order;
    ``dict.keys(pages)`` and ``dict.items(pages)`` are the pages built so far."""

    def __init__(self, build: Callable[[str], QWidget], keys: list[str]) -> None:
        super().__init__()
        self._build = build
        self._keys = keys

    def __missing__(self, key: str) -> QWidget:
        if key not in self._keys:
            raise KeyError(key)
        return self._build(key)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._keys))

    def __len__(self) -> int:
        return len(self._keys)


def shared_widths(needs: list[int], room: int, least: int) -> list[int]:
    """Widths for items needing ``needs`` pixels in ``room``: each its need when all fit;
    else those needing less than an equal share of what the others leave get their need,
    and the rest that share (never less than ``least``)."""
    widths = list(needs)
    open_items = sorted(range(len(needs)), key=lambda i: needs[i])
    left = room
    while open_items:
        share = left // len(open_items)
        first = open_items[0]
        if needs[first] > share:
            for i in open_items:
                widths[i] = max(least, share)
            break
        widths[first] = needs[first]
        left -= needs[first]
        open_items.pop(0)
    return widths


class MainWindow(QMainWindow):
    logout_requested = Signal()
    settings_changed = Signal()

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(f"PrepDesk — {ctx.settings.station_label}")
        place_window(self, ctx.settings.window_geometry(ctx.settings.station_kind))
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.tab_keys: list[str] = []
        # Only the tabs the user's role works in exist. Of those only the first is built
        # before the window shows; each other one the first time it is shown (or asked for),
        # so start-up does not pay for all of them.
        self.pages: dict[str, QWidget] = _Pages(self._build_page, self.tab_keys)
        self._frames: dict[str, QScrollArea] = {}
        # A page that takes no scan answers one anyway: where the scanned thing is dealt with;
        # a scan into a text field that takes none is taken back out of it. A page's catcher
        # exists from the start and watches the page once the page is built.
        self.stray_scans: dict[str, StrayScanCatcher] = {}
        for key in tabs_for(ctx.actor.role, STATION_TAB_ORDER[ctx.settings.station_kind]):
            self._frames[key] = _scrollable()
            say = self.say_scan_goes_elsewhere if key in STRAY_SCAN_TABS else self.say_scan_ignored_here
            self.stray_scans[key] = StrayScanCatcher(self, say, settings=ctx.settings)
            self.tab_keys.append(key)
            self.tabs.addTab(self._frames[key], TABS[key][0])
        self.tabs.setCurrentIndex(0)
        self.page_at(0)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self._build_menu()
        self._build_status_bar()
        # A station that cannot beep says so once, where the worker looks (not only in the log).
        ctx.feedback.on_problem = lambda text: self.statusBar().showMessage(f"No sound: {text}", 30_000)
        if ctx.feedback.problem:
            ctx.feedback.on_problem(ctx.feedback.problem)

    # --- tabs ------------------------------------------------------------------------
    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i).replace("&&", "\0").replace("&", "").replace("\0", "&")
                for i in range(self.tabs.count())]

    def show_tab(self, key_or_index: str | int) -> None:
        index = self.tab_keys.index(key_or_index) if isinstance(key_or_index, str) else key_or_index
        if 0 <= index < self.tabs.count():
            self.tabs.setCurrentIndex(index)
            focus_into(self.page_at(index))

    def current_key(self) -> str:
        return self.tab_keys[self.tabs.currentIndex()]

    def page_at(self, index: int) -> QWidget:
        return self.pages[self.tab_keys[index]]

    def _build_page(self, key: str) -> QWidget:
        page = lazy.attribute(TABS[key][1])(self.ctx)
        dict.__setitem__(self.pages, key, page)
        self._frames[key].setWidget(page)
        if key in STRAY_SCAN_TABS:
            self.stray_scans[key].watch(page)
        else:
            self.stray_scans[key].watch_fields(page)
        return page

    def _on_tabs_current_changed(self, index: int) -> None:
        # The floor works by scanning: a tab that has a scan field gets the cursor back; any
        # other gets it too, so that its keys (F5 …) work as soon as it is chosen.
        focus_into(self.page_at(index))

    def apply_station_order(self) -> None:
        """Put the tabs in the (new) station's order and show its first tab.

        When the order is already the station's (the settings dialog changed a printer or
        the scanner), the worker stays on the tab they were using, cursor back in place.
        """
        order = tabs_for(self.ctx.actor.role, STATION_TAB_ORDER[self.ctx.settings.station_kind])
        if tuple(self.tab_keys) == tuple(order):
            self.show_tab(self.tabs.currentIndex())
            return
        bar = self.tabs.tabBar()
        for target, key in enumerate(order):
            current = self.tab_keys.index(key)
            if current != target:
                bar.moveTab(current, target)
                self.tab_keys.insert(target, self.tab_keys.pop(current))
        for i, (action, title) in enumerate(zip(self.tab_actions, self.tab_titles(), strict=True)):
            action.setText(f"{i + 1}  {title.replace('&', '&&')}")
        self.setWindowTitle(f"PrepDesk — {self.ctx.settings.station_label}")
        self.station_label.setText(f"Station: {self.ctx.settings.station_label}")
        self.tabs.setCurrentIndex(0)

    # --- menu and status bar ------------------------------------------------------------
    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("&File")
        self.settings_action = QAction("&Settings…", self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.open_settings)
        menu.addAction(self.settings_action)
        self.users_action = QAction("&Users…", self)
        self.users_action.setToolTip("Add users, change roles and badges, set a new PIN (supervisor)")
        self.users_action.triggered.connect(lambda: self.open_admin(USERS_DIALOG, "add users"))
        self.users_action.setVisible(self.ctx.actor.may("add users"))
        menu.addAction(self.users_action)
        self.box_types_action = QAction("Bo&x types…", self)
        self.box_types_action.setToolTip("The boxes the packing stations offer: add one, retire one (supervisor)")
        self.box_types_action.triggered.connect(lambda: self.open_admin(BOX_TYPES_DIALOG, "configure box types"))
        self.box_types_action.setVisible(self.ctx.actor.may("configure box types"))
        menu.addAction(self.box_types_action)
        # Log out and Quit take no plain letter in the open menu (a scan's first key could be
        # it): their Ctrl shortcuts stay.
        self.logout_action = QAction("Log out", self)
        self.logout_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.logout_action.triggered.connect(self.logout_requested.emit)
        menu.addAction(self.logout_action)
        self.command_sheets_menu = menu.addMenu("Command &barcodes")
        # filled when File opens (an empty submenu might never open to be filled)
        menu.aboutToShow.connect(self.fill_command_sheets_menu)
        menu.addSeparator()
        self.quit_action = QAction("Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        menu.addAction(self.quit_action)

        view = self.menuBar().addMenu("&View")
        self.tab_actions: list[QAction] = []
        for i, title in enumerate(self.tab_titles()):
            action = QAction(f"{i + 1}  {title.replace('&', '&&')}", self)
            action.setShortcut(QKeySequence(f"Alt+{i + 1}"))
            action.triggered.connect(lambda _checked=False, i=i: self.show_tab(i))
            view.addAction(action)
            self.tab_actions.append(action)
            self.addAction(action)  # works even while the menu bar is hidden

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About PrepDesk", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        self.menu_scans = MenuScanGuard(self, self.say_scan_in_menu, settings=self.ctx.settings).watch(
            self.menuBar())

    def fill_command_sheets_menu(self) -> None:
        """The command sheets' entries, made the first time the submenu opens."""
        if not self.command_sheets_menu.actions():
            lazy.attribute(COMMAND_SHEETS)(self, self.command_sheets_menu, self.ctx.settings.station_kind)

    def _build_status_bar(self) -> None:
        """Who, where and which database on the right, each cut short (whole in its tool tip)
        so that a floor message on the left can be read whole on a 1366-pixel screen."""
        bar = self.statusBar()
        actor = self.ctx.actor
        self.user_label = ElidedLabel(f"User: {actor.name} ({actor.role})")
        self.station_label = ElidedLabel(f"Station: {self.ctx.settings.station_label}")
        self.db_label = ElidedLabel(f"Database: {short_database(self.ctx.db_url)}",
                                    tip=f"Database: {db.describe(self.ctx.db_url)}")
        for label in (self.user_label, self.station_label, self.db_label):
            label.setObjectName("StatusBarItem")
            bar.addPermanentWidget(label)
        bar.messageChanged.connect(self._fit_status_items)
        self._fit_status_items(bar.currentMessage())

    def _fit_status_items(self, message: str) -> None:
        """While a message shows, who/where/which give it the room it needs and share the rest:
        each item whole when the rest holds them all, else the short ones whole and the long
        ones cut to an equal share of what is left."""
        widest, least = STATUS_ITEM_WIDTH
        labels = (self.user_label, self.station_label, self.db_label)
        if not message:
            for label in labels:
                label.setMaximumWidth(widest)
            return
        bar = self.statusBar()
        spare = bar.width() - bar.fontMetrics().horizontalAdvance(message) - STATUS_MESSAGE_MARGIN
        for label, width in zip(labels, shared_widths([min(widest, label.whole_width()) for label in labels],
                                                      spare, least), strict=True):
            label.setMaximumWidth(width)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_status_items(self.statusBar().currentMessage())

    def say_scan_goes_elsewhere(self, code: str) -> None:
        self.ctx.feedback.error()
        desks = [f"{TABS[key][0]} (Alt+{self.tab_keys.index(key) + 1})"
                 for key in ("receiving", "packing") if key in self.tab_keys]
        self.statusBar().showMessage(f"Scan here does nothing ({code})"
                                     + (f": go to {' or '.join(desks)}" if desks else ""), 10_000)

    def say_scan_ignored_here(self, code: str) -> None:
        self.ctx.feedback.error()
        self.statusBar().showMessage(f"Scan ignored ({code}): this field takes typed input; "
                                     "scan into the scan field", 10_000)

    def say_scan_in_menu(self, code: str) -> None:
        self.ctx.feedback.error()
        self.statusBar().showMessage(f"Scan ignored ({code}): a menu was open; nothing was chosen", 10_000)

    def status_text(self) -> str:
        return "  |  ".join((self.user_label.text(), self.station_label.text(), self.db_label.toolTip()))

    def open_admin(self, dialog_name: str, action: str) -> None:
        """A supervisor's dialog of File (Users…, Box types…): ``dialog_name`` is its
        "module:Class", imported the first time; ``action`` the permission it needs."""
        if not self.ctx.actor.may(action):
            return
        dialog = lazy.attribute(dialog_name)(self.ctx.actor, self, settings=self.ctx.settings)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    def open_settings(self) -> None:
        settings_dialog = lazy.attribute(SETTINGS_DIALOG)
        dialog = settings_dialog(self.ctx.settings, self, actor=self.ctx.actor, in_use=self.ctx.db_url,
                                warehouse=True)
        text_size = self.ctx.settings.text_size
        if dialog.exec() == settings_dialog.DialogCode.Accepted:
            if self.ctx.settings.text_size != text_size:
                apply_text_size(QApplication.instance(), text_size_for(self.ctx.settings))
            # Every tab reads ctx.actor when it acts: from now on moves and audit events
            # name the station in force, not the one logged in at.
            self.ctx.actor = replace(self.ctx.actor, station=self.ctx.settings.station_kind)
            self.apply_station_order()
            self.settings_changed.emit()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        # The next start at this kind of station opens the window where it was left.
        self.ctx.settings.set_window_geometry(self.ctx.settings.station_kind, self.saveGeometry().data())
        super().closeEvent(event)

    def show_about(self) -> None:
        QMessageBox.about(self, "About PrepDesk",
                          "PrepDesk — receiving, stock, picking, packing and returns for a "
                          f"prep center.\n\nStation: {STATION_LABELS[self.ctx.settings.station_kind]}\n"
                          f"Database: {db.describe(self.ctx.db_url)}\nLog files: {log_dir()}")
