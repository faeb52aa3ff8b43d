"""Qt test fixtures (imported by the UI and end-to-end conftests): station settings in a temp file, a UiContext per role, message boxes and
modal dialogs that never block (they are recorded instead), and bulk test data."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QDialog, QMessageBox

from app import catalog, ledger
from app.kernel import clock
from app.kernel.actor import Actor
from app.store import db
from app.store.models import Location, Product, StockLevel, StockMove
from tests.support.helpers import add_acme_and_bins
from ui import pyside_setup  # noqa: F401 - the stations' Qt, set up as ui.window_launch does
from ui.app import apply_style


@dataclass
class Recorded:
    """What would have been shown modally: (kind, title, text) and dialog classes."""

    boxes: list[tuple[str, str, str]] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def texts(self, kind: str | None = None) -> list[str]:
        return [t for k, _title, t in self.boxes if kind is None or k == kind]


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    """No beeps from the test run (``Feedback.played`` still records what was asked for)."""
    monkeypatch.setenv("PREPDESK_SOUND", "off")


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch) -> Recorded:
    """QMessageBox statics and QDialog/QMessageBox.exec never block a test: they are
    recorded, boxes answer Ok and dialogs answer Rejected (monkeypatch again to change)."""
    rec = Recorded()

    def static(kind):
        def show(parent, title, text, *args, **kwargs):
            rec.boxes.append((kind, title, text))
            return QMessageBox.StandardButton.Ok
        return staticmethod(show)

    for kind in ("warning", "critical", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, static(kind))

    said = {QMessageBox.Icon.Warning: "warning", QMessageBox.Icon.Critical: "critical"}

    def dialog_exec(self, *args, **kwargs):
        if isinstance(self, QMessageBox) and self.icon() in said and len(self.buttons()) == 1:
            # a message with OK alone (ui.widgets.ask.tell): recorded as the static box would be
            rec.boxes.append((said[self.icon()], self.windowTitle(), self.text()))
            return QMessageBox.StandardButton.Ok
        rec.dialogs.append(type(self).__name__)
        if isinstance(self, QMessageBox):
            rec.boxes.append(("exec", self.windowTitle(), self.text()))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QDialog, "exec", dialog_exec)
    monkeypatch.setattr(QMessageBox, "exec", dialog_exec)
    return rec


@pytest.fixture
def styled(qapp):
    """The application's style sheet for one test: the stations' real type sizes (big fonts,
    bold headings, tall buttons), for tests of what fits; the tests after it run unstyled."""
    font = qapp.font()
    apply_style(qapp)
    yield
    qapp.setStyleSheet("")
    qapp.setFont(font)


@pytest.fixture
def ui_settings(tmp_path):
    from ui.settings import Settings

    s = Settings.from_file(str(tmp_path / "station.ini"))
    s.sound_enabled = False
    return s


@pytest.fixture
def make_ctx(sqlite_database, ui_settings):
    """``make_ctx(role="supervisor", station="receiving")`` -> a UiContext on the test database."""
    from ui.context import UiContext
    from ui.events import AppEvents
    from ui.widgets.feedback import Feedback

    made: list[AppEvents] = []

    def make(role: str = "supervisor", station: str | None = None, name: str | None = None):
        if station:
            ui_settings.station_kind = station
        actor = Actor(None, name or f"test-{role}", role, ui_settings.station_kind)
        events = AppEvents()
        made.append(events)
        return UiContext(actor=actor, settings=ui_settings, events=events,
                         feedback=Feedback(ui_settings), db_url=sqlite_database.url)

    yield make
    # Background tasks (e.g. the ledger check) end before the test database goes away.
    QThreadPool.globalInstance().waitForDone(10_000)
    # Each test's events stop listening when it ends: listeners do not pile up across tests.
    for events in made:
        events.detach()


@pytest.fixture
def ui_ctx(make_ctx):
    return make_ctx("supervisor")


@pytest.fixture
def small_world(sqlite_database):
    """Client ACME, bins A-01-01..B-01-01; returns a supervisor Actor."""
    actor = Actor(None, "tester", "supervisor", "test")
    add_acme_and_bins()
    return actor


def put_stock(product_id: int, location_code: str, qty: int, *, actor: Actor,
              source: str = "SUPPLIER", kind: str = "receive") -> None:
    with db.write():
        ledger.apply_move(product_id, ledger.location(source).id,
                             ledger.location(location_code).id, qty, kind=kind, actor=actor,
                             reason="test stock")


def bulk_products(client_code: str, n: int, *, bin_code: str, start: int = 0) -> None:
    """``n`` products SKU-00000.. with a ledger-consistent receipt into ``bin_code`` each
    (qty = i % 50 + 1), inserted in bulk like the benchmark generator does."""
    client = catalog.client_by_code(client_code)
    bin_id = Location.get(Location.code == bin_code).id
    supplier_id = Location.get(Location.code == "SUPPLIER").id
    now = clock.now()
    with db.write():
        Product.insert_many(
            [{"client": client.id, "sku": f"SKU-{i:05d}", "name": f"Bulk item {i:05d}"}
             for i in range(start, start + n)]
        ).execute()
        ids = {sku: pid for pid, sku in db.execute(
            "SELECT id, sku FROM product WHERE client_id = ?", (client.id,)).fetchall()}
        moves, levels = [], []
        for i in range(start, start + n):
            pid, qty = ids[f"SKU-{i:05d}"], i % 50 + 1
            moves.append({"product": pid, "from_location": supplier_id, "to_location": bin_id,
                          "qty": qty, "kind": "receive", "user_name": "bulk", "created_at": now,
                          "client": client.id})
            levels.append({"product": pid, "location": bin_id, "on_hand": qty, "reserved": 0})
        for chunk in range(0, len(moves), 500):
            StockMove.insert_many(moves[chunk:chunk + 500]).execute()
            StockLevel.insert_many(levels[chunk:chunk + 500]).execute()


class KeyClock:
    """Key times ``step`` ms apart for a guard's ``clock_ms``: 5 for a wedge scanner, 100+ for
    a person's typing."""

    def __init__(self, step: int) -> None:
        self.step, self.ms = step, 0

    def __call__(self) -> int:
        self.ms += self.step
        return self.ms


def keys(qtbot, guard, widget, text: str, step: int, *, enter: bool = True) -> None:
    """``text`` keyed into ``widget`` ``step`` ms a key by ``guard``'s clock (5: a scanner,
    150: a person), then Enter unless ``enter`` is False."""
    guard.clock_ms = KeyClock(step)
    widget.setFocus()
    qtbot.keyClicks(widget, text)
    if enter:
        qtbot.keyClick(widget, Qt.Key.Key_Return)


def shown(qtbot, widget):
    """``widget`` on screen (offscreen), closed with the test; returned."""
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
