"""The Pick lists panel driven like a keyboard-wedge scanner: type the code, press Enter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app import catalog, ledger, orders, picking
from app.store.models import PickException
from tests.app.picking.test_picking import ORDERS, STOCK, TOTES, Wave, expected_stops
from tests.support.qt import shown
from ui.stations.picking import desk_layout, tab
from ui.stations.picking.tab import PickingPanel, ShortRequest, WaveRequest


@pytest.fixture
def wave(frozen_clock, sqlite_world):
    w = Wave(sqlite_world)
    w.allocate()
    return w


@pytest.fixture
def panel(qtbot, wave, make_ctx):
    return shown(qtbot, PickingPanel(make_ctx("packer", name="pat")))


def scan(qtbot, panel, code: str) -> None:
    qtbot.keyClicks(panel.scan_field, code)
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)


def key_qty(qtbot, panel, qty: int) -> None:
    panel.qty.selectAll()
    qtbot.keyClicks(panel.qty, str(qty))
    assert panel.qty.value() == qty


def test_open_by_scan_and_pick_the_whole_wave_by_scans(qtbot, panel, wave):
    ref = picking.create_picklist(actor=wave.actor)
    panel.ctx.events.picklists_changed.emit()
    assert panel.lists.rowCount() == 1 and panel.lists.item(0, 0).text() == ref.number
    scan(qtbot, panel, ref.number)
    assert panel.step == "bin" and panel.picklist_id == ref.id
    assert panel.stop_bin.text() == "C-01-01" and panel.stop_qty.text() == "3"
    assert panel.stop_totes.text() == "Put in  T1 × 2   T2 × 1"
    # the stops table lists the walk
    assert [panel.stops.item(r, 1).text() for r in range(panel.stops.rowCount())] == [
        b for b, *_ in expected_stops()]
    changed = []
    panel.ctx.events.stock_changed.connect(lambda: changed.append("stock"))
    keyed = False
    for bin_code, sku, _total, totes in expected_stops():
        assert panel.stop_bin.text() == bin_code and panel.stop_sku.text() == sku
        assert panel.step == "bin"
        scan(qtbot, panel, bin_code)
        assert panel.step == "item"
        for tote, qty in totes:
            scan(qtbot, panel, f"BC-{sku}")
            assert panel.step == "tote"
            if qty > 2 and not keyed:
                key_qty(qtbot, panel, qty)  # keyed instead of scanning each unit
                keyed = True
            else:
                for _ in range(qty - 1):
                    scan(qtbot, panel, f"BC-{sku}")  # one more unit each
            assert panel.qty.value() == qty
            scan(qtbot, panel, f"T{tote}")
            assert panel.banner.state == "ok", panel.banner.text()
    assert keyed
    # one stock change per confirmed pick, announced after each commit through the event loop
    qtbot.waitUntil(lambda: len(changed) == sum(len(t) for *_, t in expected_stops()), timeout=2000)
    assert panel.step == "list" and panel.stop_bin.text() == "DONE"
    assert "error" not in panel.ctx.feedback.played
    # exactly the listed quantities moved
    for bin_code, sku, total, _ in expected_stops():
        assert wave.on_hand(sku, bin_code) == STOCK - total
        assert wave.on_hand(sku, "PACKING") == total
        assert wave.reserved(sku, bin_code) == 0
    for number, lines in ORDERS.items():
        for sku, qty in lines:
            assert wave.line(number, sku).qty_picked == qty
        detail = orders.order_detail(wave.order_ids[number])
        assert detail.status == "picking" and detail.picked_at is not None
    assert picking.picklist_view(ref.id).status == "done"
    assert panel.lists.rowCount() == 0  # no open list left


def test_wrong_bin_item_and_tote_are_refused_with_error_sound_and_red_banner(qtbot, panel, wave):
    ref = picking.create_picklist(actor=wave.actor)
    scan(qtbot, panel, ref.number)
    scan(qtbot, panel, "A-01-01")  # a real bin, but not the current stop
    assert panel.step == "bin" and panel.banner.state == "error"
    assert "go to C-01-01" in panel.banner.text()
    assert panel.ctx.feedback.played[-1] == "error"
    scan(qtbot, panel, "C-01-01")
    assert panel.step == "item"
    scan(qtbot, panel, "BC-SKU-A")  # wrong item
    assert panel.step == "item" and panel.banner.state == "error" and "wrong item" in panel.banner.text()
    scan(qtbot, panel, "BC-SKU-H")
    scan(qtbot, panel, "T4")  # tote 4 needs nothing here
    assert panel.step == "tote" and panel.banner.state == "error" and "tote 4" in panel.banner.text()
    assert ledger.on_hand(wave.pid("SKU-H"), "PACKING") == 0
    scan(qtbot, panel, "T2")
    assert panel.banner.state == "ok"
    assert ledger.on_hand(wave.pid("SKU-H"), "PACKING") == 1
    assert panel.step == "item"  # tote 1 still needs 2 from the same bin


def test_short_pick_reroutes_then_back_orders(qtbot, panel, wave, monkeypatch):
    wave.world.stock(wave.pid("SKU-H"), "B-02-02", 1)  # only 1 SKU-H elsewhere
    ref = picking.create_picklist(actor=wave.actor)
    scan(qtbot, panel, ref.number)
    monkeypatch.setattr(panel, "ask_short", lambda stop: ShortRequest(3, "empty"))
    result = panel.short_current()
    # the one unit left elsewhere goes to tote 1 (the most urgent order); 2 are back-ordered
    assert [(r.bin_code, r.tote, r.qty) for r in result.rerouted] == [("B-02-02", 1, 1)]
    assert result.backordered == 2
    assert panel.banner.state == "warning" and "B-02-02" in panel.banner.text()
    assert panel.stop_bin.text() == "A-01-01"  # C-01-01 is done: the walk goes on
    assert wave.line("1003", "SKU-H").qty_allocated == 1
    assert wave.line("1001", "SKU-H").qty_allocated == 0
    assert {e.outcome for e in picking.exceptions_list()} == {"rerouted", "backordered"}
    assert PickException.select().count() == 3  # tote 1: rerouted 1 + back-ordered 1; tote 2: 1
    assert wave.on_hand("SKU-H", "C-01-01") == 0  # the empty bin is off the books
    assert orders.order_detail(wave.order_ids["1003"]).units_short == 1
    assert orders.order_detail(wave.order_ids["1001"]).units_short == 1
    # the re-routed unit is a stop later on the walk (B-02-02 comes after A-01-01...)
    stop = next(s for s in picking.picklist_view(ref.id).stops if s.bin_code == "B-02-02" and s.sku == "SKU-H")
    assert [(t.tote, t.qty) for t in stop.totes] == [(1, 1)]


def test_new_wave_dialog_creates_and_opens_the_list(qtbot, panel, wave, monkeypatch):
    monkeypatch.setattr(panel, "ask_wave", lambda: WaveRequest("ACME", "ups", None, None, 2, "Pat", False))
    ref = panel.new_wave()
    assert ref.orders == 2 and panel.picklist_id == ref.id and panel.step == "bin"
    view = picking.picklist_view(ref.id)
    assert [o.order_number for o in view.orders] == [n for n, t in sorted(TOTES.items(), key=lambda x: x[1])][:2]
    assert panel.lists.rowCount() == 1
    printed = []
    monkeypatch.setattr("ui.stations.picking.tab.print_pdf",
                        lambda parent, pdf, title: printed.append((pdf[:5], title)) or True)
    assert panel.print_list()
    assert printed == [(b"%PDF-", f"Pick list {ref.number}")]
    # a wave that matches nothing is a message, not a traceback
    monkeypatch.setattr(panel, "ask_wave", lambda: WaveRequest(None, "DHL", None, None, 2, "", False))
    assert panel.new_wave() is None


def test_supervisor_sees_and_resolves_exceptions(qtbot, wave, make_ctx, monkeypatch):
    ctx = make_ctx("supervisor")
    panel = PickingPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    ref = picking.create_picklist(actor=wave.actor)
    picking.short_pick(ref.id, bin_code="C-01-01", product="SKU-H", qty_short=1, reason="short",
                       actor=wave.actor)
    ctx.events.picklists_changed.emit()
    assert panel.exceptions.isVisible() and panel.exceptions.rowCount() == 1
    assert panel.exceptions.item(0, 7).text() == "Back-ordered"  # the outcome in words, not its code
    asked: list[str] = []
    monkeypatch.setattr(tab, "ask_text", lambda _parent, _title, prompt, **_kw: asked.append(prompt) or "bin counted")
    panel.resolve_selected_exception()  # nothing selected: a hint, nothing resolved
    assert panel.banner.state == "warning" and panel.exceptions.rowCount() == 1 and asked == []
    panel.exceptions.selectRow(0)
    panel.resolve_selected_exception()
    assert asked == ["1 × SKU-H short in C-01-01 (1001, back-ordered).\n"
                     "What was done (e.g. bin counted, client told)?"]
    assert panel.exceptions.rowCount() == 0
    assert panel.exceptions_label.text() == "Short picks to resolve: 0"
    resolved = picking.exceptions_list(include_resolved=True)
    assert [e.resolved for e in resolved] == [True]
    scan(qtbot, panel, "NOT-A-LIST")
    assert panel.banner.state == "error" and panel.step == "list"


def test_next_stop_is_large_and_the_scan_field_keeps_focus_after_every_action(qtbot, panel, wave, monkeypatch):
    from ui.app import apply_style

    apply_style(QApplication.instance())  # the real style sheet: its font-size must not shrink the stop
    try:
        panel.activateWindow()
        ref = picking.create_picklist(actor=wave.actor)
        scan(qtbot, panel, ref.number)
        assert panel.stop_bin.font().pointSize() >= 40 and panel.stop_qty.font().pointSize() >= 40
        assert panel.prompt.text() == "Step 1 of 3 — scan the BIN: C-01-01"

        def focused() -> bool:
            return panel.focusWidget() is panel.scan_field

        for action in (
            lambda: scan(qtbot, panel, "A-01-01"),  # wrong bin
            lambda: scan(qtbot, panel, "C-01-01"),
            lambda: qtbot.mouseClick(panel.print_button, Qt.MouseButton.LeftButton),
            lambda: qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton),
            lambda: (panel.lists.selectRow(0), qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)),
        ):
            monkeypatch.setattr("ui.stations.picking.tab.print_pdf", lambda *a: True)
            panel.lists.setFocus()  # a click elsewhere took it
            action()
            qtbot.waitUntil(focused, timeout=2000)
    finally:
        QApplication.instance().setStyleSheet("")


def test_case_pack_scan_and_the_prompt_count_units(qtbot, panel, wave):
    catalog.link_barcode(wave.pid("SKU-H"), "CASE-H", kind="case", pack_qty=2, actor=wave.actor)
    ref = picking.create_picklist(actor=wave.actor)
    scan(qtbot, panel, ref.number)
    scan(qtbot, panel, "C-01-01")
    scan(qtbot, panel, "CASE-H")
    assert "case of 2" in panel.banner.text()
    assert panel.prompt.text() == "Step 3 of 3 — scan the TOTE · 1 case of 2 = 2 in hand"
    key_qty(qtbot, panel, 3)
    assert panel.prompt.text() == "Step 3 of 3 — scan the TOTE · 3 cases of 2 = 6 in hand"
    scan(qtbot, panel, "T1")  # tote 1 needs 2: it takes one case, two stay in hand
    assert panel.banner.state == "ok" and wave.line("1003", "SKU-H").qty_picked == 2
    assert panel.banner.text() == "Picked 2 × SKU-H → tote 1. 4 still in hand: scan tote T2 × 1"
    assert panel.prompt.text() == "Step 3 of 3 — scan the TOTE · 2 cases of 2 = 4 in hand"
    scan(qtbot, panel, "T2")  # tote 2 needs 1: a case is too many, nothing moved
    assert panel.banner.state == "error" and "needs 1 of SKU-H here, not 2" in panel.banner.text()
    assert ledger.on_hand(wave.pid("SKU-H"), "PACKING") == 2


def test_a_released_order_is_skipped_with_a_red_banner_and_the_walk_goes_on(qtbot, panel, wave):
    from app.orders import allocation

    ref = picking.create_picklist(actor=wave.actor)
    scan(qtbot, panel, ref.number)
    scan(qtbot, panel, "C-01-01")
    scan(qtbot, panel, "BC-SKU-H")
    allocation.release_order(wave.order_ids["1003"], actor=wave.actor)  # meanwhile, at another station
    scan(qtbot, panel, "BC-SKU-H")
    scan(qtbot, panel, "T1")
    assert panel.banner.state == "error" and "order 1003 lost reserved stock meanwhile" in panel.banner.text()
    assert panel.step == "bin" and panel.stop_bin.text() == "C-01-01"
    assert panel.stop_totes.text() == "Put in  T2 × 1"
    assert ledger.on_hand(wave.pid("SKU-H"), "PACKING") == 0


def test_supervisor_takes_an_order_off_the_open_list(qtbot, wave, make_ctx, monkeypatch):
    ctx = make_ctx("supervisor")
    panel = PickingPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    ref = picking.create_picklist(actor=wave.actor)
    scan(qtbot, panel, ref.number)
    assert panel.remove_button.isVisible() and panel.remove_button.isEnabled()
    monkeypatch.setattr(panel, "ask_remove", lambda: ("1003", "customer cancelled"))
    assert panel.remove_order() == 7
    assert panel.banner.state == "warning" and "1003" in panel.banner.text()
    assert panel.stop_totes.text() == "Put in  T2 × 1"
    monkeypatch.setattr(panel, "ask_remove", lambda: ("1003", "again"))
    assert panel.remove_order() is None  # not on the list any more: a message, nothing changed


def test_escape_starts_the_stop_over_without_picking(qtbot, panel, wave):
    ref = picking.create_picklist(actor=wave.actor)
    scan(qtbot, panel, ref.number)
    scan(qtbot, panel, "C-01-01")
    scan(qtbot, panel, "BC-SKU-H")
    scan(qtbot, panel, "BC-SKU-H")
    assert panel.step == "tote" and panel.qty.value() == 2
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Escape)
    assert panel.step == "bin" and panel.qty.value() == 1 and panel.banner.state == "warning"
    assert ledger.on_hand(wave.pid("SKU-H"), "PACKING") == 0
    scan(qtbot, panel, "C-01-01")
    assert panel.step == "item"


def test_two_pickers_on_one_list_the_stale_screen_catches_up_on_its_next_scan(qtbot, wave, make_ctx):
    screens = []
    for name in ("ann", "bob"):
        p = PickingPanel(make_ctx("packer", name=name))
        qtbot.addWidget(p)
        p.show()
        screens.append(p)
    ann, bob = screens
    ref = picking.create_picklist(actor=wave.actor)
    for p in screens:
        scan(qtbot, p, ref.number)
    scan(qtbot, ann, "C-01-01")
    scan(qtbot, ann, "BC-SKU-H")
    # bob takes the whole first stop meanwhile (his own events: ann's screen is not told)
    scan(qtbot, bob, "C-01-01")
    for tote, qty in ((1, 2), (2, 1)):
        scan(qtbot, bob, "BC-SKU-H")
        for _ in range(qty - 1):
            scan(qtbot, bob, "BC-SKU-H")
        scan(qtbot, bob, f"T{tote}")
    assert bob.stop_bin.text() == "A-01-01"
    assert ann.stop_bin.text() == "C-01-01"  # stale until her next scan
    scan(qtbot, ann, "T1")
    assert ann.banner.state == "error"
    assert ann.stop_bin.text() == "A-01-01" and ann.step == "bin"
    assert ann.prompt.text() == "Step 1 of 3 — scan the BIN: A-01-01"
    assert ledger.on_hand(wave.pid("SKU-H"), "PACKING") == 3


def test_wave_dialog_says_how_many_orders_wait_for_its_filters(qtbot, wave):
    from ui.stations.picking.tab import WaveDialog

    def count(client, carrier, service, ship_by, include_partial):
        return picking.waiting_orders(client=client, carrier=carrier, service=service, ship_by=ship_by,
                                      include_partial=include_partial)

    dialog = WaveDialog(["ACME"], count=count)
    qtbot.addWidget(dialog)
    assert dialog.waiting.text() == "5 orders waiting: this cart takes 5"
    dialog.max_orders.setValue(2)
    dialog.update_count()
    assert dialog.waiting.text() == "5 orders waiting: this cart takes 2"
    dialog.carrier.setText("DHL")
    dialog.update_count()
    assert dialog.waiting.text() == "No allocated order waits for these filters"
    dialog.carrier.setText("ups")
    qtbot.waitUntil(lambda: dialog.waiting.text().startswith("5 orders"), timeout=2000)  # debounced
    assert dialog.request().max_orders == 2 and dialog.request().carrier == "ups"


def test_short_pick_applies_to_the_item_in_hand_and_stays_in_the_bin(qtbot, panel, wave, monkeypatch):
    """C-01-01 holds SKU-B and SKU-H for one order: the picker scans SKU-H, finds it damaged,
    shorts it; SKU-B (first in the bin) is untouched and the next scan is an item, not the bin."""
    from app.orders import allocation

    wave.world.stock(wave.pid("SKU-B"), "C-01-01", 5)
    o = orders.create_order("ACME", "6001", [("SKU-H", 1), ("SKU-B", 1)], actor=wave.actor, priority=9)
    allocation.allocate_orders(actor=wave.actor, order_ids=[o.id])
    ref = picking.create_picklist(actor=wave.actor, max_orders=1)
    assert [(s.bin_code, s.sku) for s in picking.picklist_view(ref.id).stops] == [
        ("C-01-01", "SKU-B"), ("C-01-01", "SKU-H")]
    scan(qtbot, panel, ref.number)
    scan(qtbot, panel, "C-01-01")
    scan(qtbot, panel, "BC-SKU-H")
    asked = []
    monkeypatch.setattr(panel, "ask_short", lambda stop: asked.append(stop.sku) or ShortRequest(1, "damaged"))
    result = panel.short_current()
    assert asked == ["SKU-H"] and result.sku == "SKU-H"
    assert panel.step == "item" and panel.stop_sku.text() == "SKU-B"
    scan(qtbot, panel, "BC-SKU-B")
    scan(qtbot, panel, "T1")
    assert panel.banner.state == "ok" and picking.picklist_view(ref.id).status == "done"
    # the finished stops are greyed in the walk table
    assert panel.stops.item(0, 1).foreground().color().name() == "#78909c"


@pytest.mark.parametrize("country, paper", [("UnitedStates", "letter"), ("Germany", "a4"), ("UnitedKingdom", "a4")])
def test_paper_follows_the_station_locale(qtbot, wave, make_ctx, country, paper):
    from PySide6.QtCore import QLocale

    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, getattr(QLocale.Country, country)))
    try:
        p = PickingPanel(make_ctx("packer"))
        qtbot.addWidget(p)
        assert p.page_size.currentData() == paper
    finally:
        QLocale.setDefault(before)


def test_opening_a_list_drops_the_stops_of_an_order_released_meanwhile(qtbot, panel, wave):
    from app.orders import allocation

    ref = picking.create_picklist(actor=wave.actor)
    allocation.release_order(wave.order_ids["1003"], actor=wave.actor)
    scan(qtbot, panel, ref.number)
    assert panel.banner.state == "warning" and "order 1003 lost reserved stock" in panel.banner.text()
    assert panel.stop_bin.text() == "C-01-01" and panel.stop_totes.text() == "Put in  T2 × 1"
    assert "SKU-E" not in [panel.stops.item(r, 2).text() for r in range(panel.stops.rowCount())]


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_an_open_list_fits_a_station_screen_without_scrolling(qtbot, wave, make_ctx, size):
    """Inside the real window with the station style sheet, a supervisor walking a list with
    a long sticky red banner needs no scrolling on 1280x800 or 1366x768, and the next stop
    stays large; with the list closed the short-picks pane fits too."""
    from ui.app import apply_style
    from ui.main_window import MainWindow

    app = QApplication.instance()
    apply_style(app)
    try:
        ref = picking.create_picklist(actor=wave.actor)
        picking.short_pick(ref.id, bin_code="C-01-01", product="SKU-H", qty_short=1, reason="short",
                           actor=wave.actor)
        window = MainWindow(make_ctx("supervisor"))
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        window.show_tab("orders")
        otab = window.pages["orders"]
        panel = otab.picking
        otab.setCurrentWidget(panel)
        area = window.tabs.currentWidget()  # the tab's scroll area
        assert area.widget() is otab
        qtbot.wait(20)
        at_the_desk(panel)
        scan(qtbot, panel, ref.number)
        assert panel.splitter.sizes()[0] <= desk_layout.OPEN_LISTS_WIDTH  # the walk takes the width back
        scan(qtbot, panel, "NOT-A-BIN-OF-THIS-LIST-AT-ALL")  # a long sticky error, two lines
        assert panel.banner.state == "error" and panel.step == "bin"
        qtbot.wait(20)
        assert area.verticalScrollBar().maximum() == 0, (otab.minimumSizeHint(), area.viewport().size())
        assert area.horizontalScrollBar().maximum() == 0, (otab.minimumSizeHint(), area.viewport().size())
        assert not panel.exceptions.isVisible()  # desk work waits while the list is walked
        for label in (panel.stop_bin, panel.stop_qty):
            assert label.isVisible() and label.font().pointSize() >= 40 and label.height() >= 60
        assert panel.stop_bin.text() and panel.stop_qty.text()
        assert panel.scan_field.height() >= 50 and panel.banner.height() >= 64
        assert panel.prompt.isVisible() and panel.stop_totes.isVisible() and panel.stops.height() >= 60
        panel.close_list()  # back at the desk: short picks to resolve, no empty stop box
        qtbot.wait(20)
        assert panel.exceptions.isVisible() and panel.exceptions.rowCount() == 1
        assert not panel.stop_frame.isVisible()
        assert area.verticalScrollBar().maximum() == 0, (otab.minimumSizeHint(), area.viewport().size())
        at_the_desk(panel)
    finally:
        app.setStyleSheet("")


def at_the_desk(panel) -> None:
    """No list open: every column of the table of lists whole (the last takes what is left),
    and the short picks pane a third of the height, several rows, not one."""
    lists, header = panel.lists, panel.lists.horizontalHeader()
    assert lists.horizontalScrollBar().maximum() == 0
    for c in range(lists.columnCount() - 1):
        assert lists.columnWidth(c) >= max(lists.sizeHintForColumn(c), header.sectionSizeHint(c)), c
    assert panel.exceptions.isVisible() and panel.exceptions.height() >= 100


def test_a_confirmed_pick_redraws_its_row_without_reading_the_walk_again(qtbot, panel, wave, monkeypatch):
    ref = picking.create_picklist(actor=wave.actor)
    scan(qtbot, panel, ref.number)
    qtbot.wait(50)  # the wave's own change signals
    rows = panel.stops.rowCount()
    reads = []
    real = picking.picklist_view
    monkeypatch.setattr(picking, "picklist_view", lambda *a, **k: reads.append(a) or real(*a, **k))
    scan(qtbot, panel, "C-01-01")
    scan(qtbot, panel, "BC-SKU-H")
    scan(qtbot, panel, "T2")
    qtbot.wait(50)  # the commit's change signals arrive: the screen knows it drew that pick
    assert panel.banner.state == "ok" and reads == []
    assert panel.stops.rowCount() == rows
    assert panel.stops.item(0, 5).text() == "1" and panel.stop_totes.text() == "Put in  T1 × 2"
    assert panel.stop_qty.text() == "2" and panel.step == "item"
    assert panel.view == real(ref.id)


def test_a_station_document_printer_prints_the_list_without_a_dialog(qtbot, panel, wave, monkeypatch):
    ref = picking.create_picklist(actor=wave.actor)
    panel.ctx.events.picklists_changed.emit()
    panel.ctx.settings.document_printer = "cups://office"
    sent = []
    monkeypatch.setattr("ui.printing.send_pdf", lambda target, pdf, title: sent.append((target, pdf[:5], title)))
    monkeypatch.setattr("ui.stations.picking.tab.print_pdf", lambda *a: pytest.fail("no preview when a printer is set"))
    panel.picklist_id, panel.number = ref.id, ref.number
    assert panel.print_list()
    assert sent == [("cups://office", b"%PDF-", f"Pick list {ref.number}")]


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_a_stop_with_packing_instructions_and_a_long_banner_fits_with_bin_and_take_whole(
        qtbot, wave, make_ctx, size):
    """The next stop's product has packing instructions (one more line on the card) and the
    banner wraps to three lines: still no scrolling, and the bin and TAKE read whole and large."""
    from tests.app.picking.test_picking import pick_upto
    from ui.app import apply_style
    from ui.main_window import MainWindow

    app = QApplication.instance()
    apply_style(app)
    try:
        ref = picking.create_picklist(actor=wave.actor)
        pick_upto(wave, ref.number, "A-01-01")
        window = MainWindow(make_ctx("supervisor"))
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        window.show_tab("orders")
        otab = window.pages["orders"]
        panel = otab.picking
        otab.setCurrentWidget(panel)
        area = window.tabs.currentWidget()
        scan(qtbot, panel, ref.number)
        scan(qtbot, panel, "A-01-01")
        stop = panel.current_stop
        for split in stop.totes:  # the last pick here: the banner names the next stop, SKU-F
            scan(qtbot, panel, "BC-SKU-A")
            key_qty(qtbot, panel, split.remaining)
            scan(qtbot, panel, f"T{split.tote}")
        assert panel.current_stop.bin_code == "A-03-01" and panel.step == "bin"
        assert panel.stop_frame.note.isVisible() and panel.stop_frame.note.text() == "Packing: Fragile: bubble wrap"
        panel.banner.show_ok("Picked 3 × SKU-A → tote 1. Put 1 back into A-01-01: nothing here needs it. "
                             "Next: A-03-01 SKU-F, and a few more words so that it wraps to three lines")
        for step in ("bin", "item"):
            qtbot.wait(20)
            assert area.verticalScrollBar().maximum() == 0, (step, otab.minimumSizeHint(), area.viewport().size())
            assert area.horizontalScrollBar().maximum() == 0, (step, otab.minimumSizeHint(), area.viewport().size())
            for label in (panel.stop_bin, panel.stop_qty):
                assert label.isVisible() and label.font().pointSize() >= 40
                assert label.height() >= label.sizeHint().height(), (step, label.text(), label.height())
            assert panel.stop_bin.text() == "A-03-01" and panel.stop_qty.text() == "5"
            assert panel.stops.height() >= 60 and panel.scan_field.height() >= 50
            scan(qtbot, panel, "A-03-01")  # the bin: the banner shrinks back to one line
        assert panel.step == "item"
    finally:
        app.setStyleSheet("")
