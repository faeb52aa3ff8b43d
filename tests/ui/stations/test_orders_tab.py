"""Orders & Picking tab: list, detail and timeline, allocate, new order, cancel, import with
preview (on the worker pool), back-orders with notices, customer-service lookup."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from app import catalog, inventory, ledger, orders
from app.kernel import states
from app.kernel.states import OrderStatus
from app.orders import allocation
from tests.support.qt import KeyClock, put_stock
from ui.models.orders_models import OrdersModel, backorders_model, lookup_model, preview_model
from ui.stations.orders.import_dialog import ImportDialog
from ui.stations.orders.new_order import NewOrderDialog, NewOrderRequest
from ui.stations.orders.tab import OrdersTab

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "orders"


@pytest.fixture
def shop(small_world):
    ids = {}
    for sku in ("TENT-1", "LAMP-2", "BOTTLE-3", "STOVE-4"):
        ids[sku] = catalog.add_product("ACME", sku, f"Item {sku}", actor=small_world).id
    put_stock(ids["TENT-1"], "A-01-01", 3, actor=small_world)
    put_stock(ids["LAMP-2"], "A-01-02", 1, actor=small_world)
    return ids


@pytest.fixture
def tab(qtbot, ui_ctx, shop):
    widget = OrdersTab(ui_ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _order(number, lines, **fields):
    from app.kernel.actor import Actor

    return orders.create_order("ACME", number, lines, actor=Actor(None, "tester", "supervisor", "t"), **fields)


def enter(qtbot, field, text):
    field.clear()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_sub_tabs_and_models(qtbot, qtmodeltester, tab, shop):
    assert [tab.tabText(i) for i in range(tab.count())] == ["Orders", "Back-orders", "Lookup", "Pick lists"]
    _order("1001", [("TENT-1", 2), ("LAMP-2", 2)], customer_name="Zoë Müller")
    tab.ctx.events.orders_changed.emit()
    for model in (tab.orders_page.model, tab.backorders_page.model, tab.lookup_page.model, preview_model(),
                  lookup_model(), backorders_model(), OrdersModel()):
        qtmodeltester.check(model)


def test_list_detail_allocate_and_filter(qtbot, tab, shop):
    page = tab.orders_page
    a = _order("1001", [("TENT-1", 2), ("LAMP-2", 2)], customer_name="Zoë Müller", email="zoe@example.de",
               address1="Königstraße 5", city="Dresden", country="DE")
    _order("1002", [("STOVE-4", 1)], customer_name="Bob Stone")
    page.ctx.events.orders_changed.emit()
    assert page.model.rowCount() == 2
    page.select_order(a.id)
    assert page.detail.title.text() == "1001  ·  New"
    assert page.detail.lines_table.rowCount() == 2
    assert [page.detail.lines_table.item(0, c).text() for c in (1, 3, 8)] == ["TENT-1", "2", "2"]
    assert page.cancel_button.isEnabled()
    changed = []
    page.ctx.events.stock_changed.connect(lambda: changed.append("stock"))
    steps: list[str] = []
    real_step = page.on_allocate_progress
    page.on_allocate_progress = lambda done, total: (real_step(done, total), steps.append(page.message.text()))
    qtbot.mouseClick(page.allocate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.allocating, timeout=10_000)
    assert steps == [f"Allocating… step {n} of 3: {what}" for n, what in
                     enumerate(allocation.ALLOCATION_STEPS, 1)] + [steps[2]]  # (3 of 3 keeps the last step)
    assert page.message.text() == ("3 units reserved for 2 lines of 1 order; of 2 orders waiting for stock, "
                                   "0 allocated, 1 partially allocated, 1 back-ordered.")
    assert changed == ["stock"]
    assert page.detail.title.text() == "1001  ·  Partially allocated"
    assert page.detail.lines_table.item(1, 4).text() == "1"
    texts = [page.detail.timeline_table.item(r, 1).text() for r in range(page.detail.timeline_table.rowCount())]
    assert "New -> Partially allocated" in texts
    # status filter and search
    page.status.setCurrentIndex(page.status.findData("backordered"))
    assert [page.model.row_at(r).number for r in range(page.model.rowCount())] == ["1002"]
    page.status.setCurrentIndex(page.status.findData(""))
    enter(qtbot, page.search, "zoe@")
    assert [page.model.row_at(r).number for r in range(page.model.rowCount())] == ["1001"]


def test_new_order_and_cancel(qtbot, tab, shop, monkeypatch, message_boxes):
    page = tab.orders_page
    bad = NewOrderRequest("ACME", "M-1", [("TENT-1", "1")], {"customer_name": "Al"})
    monkeypatch.setattr(page, "ask_new_order", lambda: page.enter_order(bad))
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert message_boxes.texts("warning") == ["the order needs a shipping address, city, country"]
    assert orders.list_orders(status="") == []
    good = NewOrderRequest("ACME", "M-1", [("TENT-1", "2")],
                           {"customer_name": "Al Bo", "address1": "1 St", "city": "Town", "country": "US"})
    monkeypatch.setattr(page, "ask_new_order", lambda: page.enter_order(good))
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert page.detail.title.text() == "M-1  ·  New"
    assert page.message.text() == "Order M-1 added; press Allocate to reserve stock."
    allocation.allocate_orders(actor=page.ctx.actor)
    page.ctx.events.orders_changed.emit()
    assert ledger.available(shop["TENT-1"]) == 1
    monkeypatch.setattr(page, "ask_cancel_reason", lambda number: "customer asked")
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert page.detail.title.text() == "M-1  ·  Cancelled"
    assert not page.cancel_button.isEnabled()
    assert ledger.available(shop["TENT-1"]) == 3


def test_new_order_dialog_request(qtbot, shop):
    dialog = NewOrderDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.number, "M-7")
    dialog.edits["customer_name"].setText("Åsa Öberg")  # keyClicks is ASCII-only offscreen
    dialog.edits["city"].setText("Malmö")
    qtbot.keyClicks(dialog.ship_by, "2026-03-05")
    dialog.set_line(0, "TENT-1", 2)
    dialog.set_line(1, "LAMP-2", 1)
    req = dialog.request()
    assert (req.client, req.number, req.lines) == ("ACME", "M-7", [("TENT-1", "2"), ("LAMP-2", "1")])
    assert (req.fields["ship_name"], req.fields["city"], req.fields["ship_by"]) == ("Åsa Öberg", "Malmö", "2026-03-05")


def test_a_refused_new_order_keeps_what_was_typed(qtbot, tab, shop, message_boxes):
    """OK on an incomplete order says why and leaves the dialog open with every field as typed."""
    page = tab.orders_page
    dialog = NewOrderDialog(page, submit=page.enter_order)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.number, "M-9")
    qtbot.keyClicks(dialog.edits["customer_name"], "Al Bo")
    dialog.set_line(0, "TENT-1", "two")
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)  # Enter = OK
    assert message_boxes.texts("warning")[-1] == "the order needs a shipping address, city, country"
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert (dialog.number.text(), dialog.edits["customer_name"].text()) == ("M-9", "Al Bo")
    for key, text in (("address1", "1 St"), ("city", "Town"), ("country", "US")):
        qtbot.keyClicks(dialog.edits[key], text)
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    assert message_boxes.texts("warning")[-1] == "quantity 'two' for TENT-1 is not a whole number"
    assert dialog.isVisible() and orders.list_orders(status="") == []
    dialog.set_line(0, "TENT-1", "2")
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    assert (dialog.ref.number, dialog.ref.status) == ("M-9", "new")
    assert [(ln.sku, ln.qty_ordered) for ln in orders.order_detail(dialog.ref.id).lines] == [("TENT-1", 2)]


def test_a_long_allocation_says_which_step_it_is_at(qtbot, tab, shop):
    page = tab.orders_page
    page.allocating = True  # (as while the run is on the worker)
    page.on_allocate_progress(1, 3)
    assert page.message.text() == "Allocating… step 2 of 3: reserving stock"
    page.on_allocate_progress(3, 3)  # done: the result's own summary follows
    assert page.message.text() == "Allocating… step 2 of 3: reserving stock"
    page.allocating = False


def test_the_status_column_fits_every_status_as_orders_move_on(qtbot, tab, shop):
    _order("S-1", [("TENT-1", 1)])
    tab.orders_page.reload()
    view, model = tab.orders_page.view, tab.orders_page.model
    column = [c.header for c in model.columns].index("Status")
    longest = view.fontMetrics().horizontalAdvance(states.label(OrderStatus.PARTIALLY_ALLOCATED, OrderStatus))
    assert view.columnWidth(column) > longest  # though only "New" is shown yet


def test_import_dialog_shows_its_headings_whole_before_a_file_is_read(qtbot, ui_ctx, shop, styled):
    dialog = ImportDialog(ui_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    header = dialog.table.horizontalHeader()
    names = [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(dialog.model.columnCount())]
    assert "Customer" in names and header.sectionSizeHint(names.index("Customer")) > header.defaultSectionSize()
    for c in range(len(names) - 1):  # the last column takes what is left
        assert header.sectionSize(c) >= header.sectionSizeHint(c), names[c]


def test_import_dialog_previews_then_imports_on_the_worker(qtbot, ui_ctx, shop):
    dialog = ImportDialog(ui_ctx)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(FIXTURES / "shopify_broken.csv"))
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert not dialog.import_button.isEnabled()
    assert dialog.summary.text() == ("Nothing can be imported: the file has 3 problems (below). "
                                     "Fix the file and preview again.")
    assert dialog.errors.toPlainText().splitlines() == [
        "line 3: unknown SKU 'NOPE-9' for ACME", "line 4: order #2002 is missing its shipping address, city",
        "line 5: bad quantity 'two' for TENT-1 of order #2003"]
    dialog.path.setText(str(FIXTURES / "shopify_orders.csv"))
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert dialog.summary.text() == ("4 orders (7 lines) to import; 2 skipped (1 cancelled in the shop, "
                                     "1 fulfilled in the shop).")
    assert dialog.model.rowCount() == 7
    assert dialog.model.data(dialog.model.index(0, 1)) == "Zoë Müller"
    assert orders.list_orders(status="") == []  # the preview wrote nothing
    changed = []
    ui_ctx.events.orders_changed.connect(lambda: changed.append(1))
    dialog.show()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    # Esc / Close while the worker writes: the dialog stays (the import would go on unseen)
    assert dialog.busy
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.close()
    assert dialog.isVisible() and dialog.summary.text() == "Please wait: the file is still being processed."
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert dialog.result.orders == 4 and changed == [1]
    assert not dialog.isVisible()
    assert [r.number for r in orders.list_orders(status="")] == ["#1006", "#1005", "#1002", "#1001"]


def test_the_page_says_what_an_import_did(qtbot, tab, monkeypatch):
    from app.orders.importers import ImportResult

    page = tab.orders_page
    monkeypatch.setattr(page, "ask_import", lambda: ImportResult(4, 7, 2, 0))
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == ("Imported 4 orders (7 lines); skipped 2 fulfilled/cancelled, 0 already "
                                   "imported. Press Allocate to reserve stock.")


def test_backorders_page_and_notices(qtbot, tab, shop, monkeypatch, tmp_path):
    page = tab.backorders_page
    assert page.summary.text() == "No back-orders." and not page.notices_button.isEnabled()
    _order("1001", [("LAMP-2", 3)], customer_name="Zoë Müller", email="zoe@example.de")
    allocation.allocate_orders(actor=tab.ctx.actor)
    tab.ctx.events.orders_changed.emit()
    assert page.model.rowCount() == 1
    assert [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(9)] == [
        "Client", "SKU", "Name", "Short", "Available", "ETA", "Oldest", "Orders", "Waiting"]
    assert [page.model.data(page.model.index(0, c)) for c in range(9)] == [
        "ACME", "LAMP-2", "Item LAMP-2", "2", "0", "unknown", "0 min", "1", "1001"]
    saved = {}
    monkeypatch.setattr(page, "save", lambda data, name: saved.update({name: data}))
    qtbot.mouseClick(page.notices_button, Qt.MouseButton.LeftButton)
    (data,) = saved.values()
    assert data.decode().splitlines()[1] == "Zoë Müller,zoe@example.de,1001,2 x Item LAMP-2 (LAMP-2),unknown"
    monkeypatch.setattr(page, "ask_messages_folder", lambda: str(tmp_path))
    qtbot.mouseClick(page.messages_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "ACME-1001.txt").read_text(encoding="utf-8").startswith("To: zoe@example.de")
    assert page.summary.text() == f"1 message written to {tmp_path}"
    _order("1002", [("LAMP-2", 1)], customer_name="No Mail")
    allocation.allocate_orders(actor=tab.ctx.actor)
    qtbot.mouseClick(page.messages_button, Qt.MouseButton.LeftButton)
    assert page.summary.text() == (f"2 messages written to {tmp_path}; 1 without an email address "
                                   "(tell them another way): 1002")
    # stock arrives: the back-order fills and the page reloads on stock_changed
    inventory.adjust(shop["LAMP-2"], "A-02-01", 5, reason="found", actor=tab.ctx.actor)
    tab.ctx.events.stock_changed.emit()
    assert page.model.rowCount() == 0


def test_lookup_by_typing(qtbot, tab, shop, message_boxes):
    page = tab.lookup_page
    _order("#2001", [("TENT-1", 1)], customer_name="José Ramírez", email="jose@example.com")
    enter(qtbot, page.search, "jose@example")
    assert page.model.rowCount() == 1
    assert page.detail.title.text() == "#2001  ·  New"
    assert page.detail.timeline_table.item(0, 1).text() == "created (New)"
    enter(qtbot, page.search, "nobody")
    assert page.message.text() == "No order matches 'nobody'"
    enter(qtbot, page.search, "x")
    assert message_boxes.texts("warning") == ["type at least two characters to search"]


@pytest.mark.slow
def test_a_50000_line_export_never_freezes_the_window(qtbot, ui_ctx, small_world, tmp_path):
    """Preview and import of a 50,000-line Shopify export run on the worker: the event loop keeps
    ticking (no gap near a second), the progress bar moves, the preview shows a bounded sample."""
    import csv

    from PySide6.QtCore import QElapsedTimer, QTimer

    from tests.app.orders.test_shopify import SHOPIFY_COLUMNS

    products = tmp_path / "p.csv"
    products.write_text("sku,name\n" + "".join(f"S{n:04d},Item {n}\n" for n in range(2000)), encoding="utf-8")
    catalog.import_products(products, client_code="ACME", actor=small_world)
    col = {c: i for i, c in enumerate(SHOPIFY_COLUMNS)}
    path, written, number = tmp_path / "orders_export.csv", 0, 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(SHOPIFY_COLUMNS)
        while written < 50_000:
            number += 1
            for k in range(2 + number % 2):
                r = [""] * len(SHOPIFY_COLUMNS)
                for c, v in (("Name", f"#{number}"), ("Email", f"c{number}@example.com"),
                             ("Created at", "2025-10-07 09:50:26 +0200"), ("Lineitem quantity", "1"),
                             ("Lineitem name", "Item"), ("Lineitem sku", f"S{(number * 7 + k) % 2000:04d}"),
                             ("Lineitem requires shipping", "true"), ("Lineitem fulfillment status", "pending")):
                    r[col[c]] = v
                if k == 0:
                    for c, v in (("Financial Status", "paid"), ("Shipping Name", "Zoë Müller"),
                                 ("Shipping Address1", "1 Elm St, Apt 2"), ("Shipping City", "Boston"),
                                 ("Shipping Country", "US")):
                        r[col[c]] = v
                w.writerow(r)
                written += 1
    dialog = ImportDialog(ui_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(path))
    clock, gaps, last = QElapsedTimer(), [], [0]
    clock.start()

    def tick():
        gaps.append(clock.elapsed() - last[0])
        last[0] = clock.elapsed()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    steps = []
    dialog.progress.valueChanged.connect(steps.append)
    last[0] = clock.elapsed()
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=60_000)
    assert dialog.summary.text() == (f"{number:,} orders (50,000 lines) to import (the first 2,000 lines "
                                     "are shown).")
    assert dialog.model.rowCount() == 2000
    steps.clear()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=60_000)
    timer.stop()
    assert (dialog.result.orders, dialog.result.lines) == (number, 50_000)
    # one bar for reading and writing: it only moves forward, to the end
    assert len(steps) >= 10 and steps == sorted(steps) and steps[-1] == 1000
    # Done on the GUI thread, reading and writing 50,000 lines would stop the window for the
    # whole import (several seconds). The bound leaves room for a machine whose two cores are
    # shared with another test worker (gaps of 1-1.7 s were seen there while nothing froze).
    assert len(gaps) > 50 and max(gaps) < 2500, f"the window stood still for {max(gaps)} ms"


def press(qtbot, key, modifier) -> None:
    """A key pressed where the cursor is, as a person at the keyboard would."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def test_keyboard_only(qtbot, tab, shop, monkeypatch):
    """Find, walk, allocate and cancel an order without touching the mouse."""
    page = tab.orders_page
    for n, sku, name in (("K-1", "TENT-1", "Kay One"), ("K-2", "LAMP-2", "Kay Two"), ("K-3", "TENT-1", "Al Three")):
        _order(n, [(sku, 1)], customer_name=name)
    page.ctx.events.orders_changed.emit()
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    page.view.setFocus()
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F: the search field
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "kay")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert [page.model.row_at(r).number for r in range(page.model.rowCount())] == ["K-2", "K-1"]
    assert page.detail.title.text() == "K-2  ·  New"
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Down)  # the detail follows the keyboard
    assert page.detail.title.text() == "K-1  ·  New"
    # a mnemonic "animates" the button: the click follows ~100 ms later
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # Alt+A: Allocate
    qtbot.waitUntil(lambda: page.detail.title.text() == "K-1  ·  Allocated", timeout=10_000)
    monkeypatch.setattr(page, "ask_cancel_reason", lambda number: "typo")
    press(qtbot, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # Alt+C: Cancel…
    qtbot.waitUntil(lambda: page.detail.title.text() == "K-1  ·  Cancelled", timeout=5_000)
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # Alt+T: the timeline
    assert page.detail.tabs.currentWidget() is page.detail.timeline_table
    assert page.detail.tabs.tabText(1) == "&Timeline (3)"  # created, allocated, cancelled
    lookup = tab.lookup_page
    tab.setCurrentWidget(lookup)
    lookup.view.setFocus()
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert lookup.search.hasFocus()
    qtbot.keyClicks(lookup.search, "al three")
    qtbot.keyClick(lookup.search, Qt.Key.Key_Return)
    assert lookup.detail.title.text() == "K-3  ·  Allocated"


def test_new_order_dialog_fits_the_screen_and_every_alt_key_is_unique(qtbot, shop):
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel

    dialog = NewOrderDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() <= 1280 and dialog.height() <= 760
    texts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton)]
    keys = [m.group(1).lower() for t in texts if (m := re.search(r"&(\w)", t.replace("&&", "")))]
    assert len(keys) == len(set(keys)) and len(keys) >= 17, sorted(keys)
    assert dialog.lines.rowCount() == 8


def test_import_by_keyboard(qtbot, ui_ctx, shop):
    """Type the file name, Enter previews, the Import button takes the focus, Space imports."""
    dialog = ImportDialog(ui_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.path.setFocus()
    dialog.guard.clock_ms = KeyClock(150)  # a person's keys (a scanner's are taken back out)
    qtbot.keyClicks(dialog.path, str(FIXTURES / "shopify_orders.csv"))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert dialog.import_button.hasFocus()
    qtbot.keyClick(dialog.import_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert dialog.result.orders == 4


def test_shop_text_is_shown_as_typed_not_as_markup(qtbot, tab, shop):
    page = tab.orders_page
    ref = _order("X-1", [("TENT-1", 1)], customer_name="Tom & Jerry <b>Ltd</b>", notes="<i>fragile</i>")
    page.ctx.events.orders_changed.emit()
    page.select_order(ref.id)
    info = page.detail.info.text()
    assert "Tom &amp; Jerry &lt;b&gt;Ltd&lt;/b&gt;" in info and "Notes: &lt;i&gt;fragile&lt;/i&gt;" in info
    assert not page.message.isVisible()  # nothing said yet: no empty line taking room
    qtbot.mouseClick(page.allocate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.message.isVisible(), timeout=10_000)


def test_preview_warns_of_orders_the_shop_cancelled_since(qtbot, ui_ctx, shop, tmp_path):
    from app.orders import importers
    from tests.app.orders.test_shopify import _export, _first

    importers.import_orders(_export(tmp_path / "a.csv", [_first("#9101")]), client_code="ACME",
                            actor=ui_ctx.actor)
    dialog = ImportDialog(ui_ctx)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(_export(tmp_path / "b.csv", [_first("#9101", **{"Cancelled at": "2025-10-08"})])))
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert not dialog.errors.isHidden()
    assert dialog.errors.toPlainText() == ("Check #9101: imported earlier and still open here, but now "
                                           "cancelled in the shop")


def _drag(qtbot, handle, dy: int) -> None:
    """A person's drag of a divider's handle: press, move with the button held, release."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent

    start = QPointF(handle.rect().center())
    end = start + QPointF(0, dy)
    for kind, at, buttons in ((QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton),
                              (QEvent.Type.MouseMove, end, Qt.MouseButton.LeftButton),
                              (QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)):
        event = QMouseEvent(kind, at, handle.mapToGlobal(at), Qt.MouseButton.LeftButton, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(handle, event)


def test_the_divider_between_orders_and_the_order_stays_where_it_was_dragged(qtbot, ui_ctx, shop):
    """Dragged down to give the order's lines and timeline more room, the divider is there
    again the next time the tab opens at this station (and nowhere else's settings change)."""
    first = OrdersTab(ui_ctx)
    qtbot.addWidget(first)
    first.resize(1366, 700)
    first.show()
    qtbot.waitExposed(first)
    split = first.orders_page.split
    before = split.sizes()
    _drag(qtbot, split.handle(1), -120)
    dragged = split.sizes()
    assert dragged[0] == before[0] - 120 and sum(dragged) == sum(before)
    second = OrdersTab(ui_ctx)
    qtbot.addWidget(second)
    second.resize(1366, 700)
    second.show()
    qtbot.waitExposed(second)
    assert second.orders_page.split.sizes() == dragged
    assert second.lookup_page.findChild(type(split)).sizes() != dragged  # each divider its own
