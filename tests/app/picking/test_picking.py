"""Pick lists: waves, walk order, scan-confirmed picks, short picks (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest

from app import inventory, ledger, orders, picking
from app.kernel.errors import InvalidTransition, NotFound, ValidationError
from app.store import db
from app.store.models import Allocation, OrderLine, PickException, PickLine, StatusChange, StockMove

# Four more bins interleaved with the world's (A-01-01 10, A-01-02 20, A-02-01 30, B-01-01 40)
# so the walk differs from bin-code order; SKUs are named so it differs from SKU order too.
EXTRA_BINS = (("C-01-01", 5), ("A-03-01", 15), ("B-02-02", 25), ("A-01-03", 45))
# SKU -> its bin
PRODUCTS = {
    "SKU-H": "C-01-01", "SKU-A": "A-01-01", "SKU-F": "A-03-01", "SKU-C": "A-01-02",
    "SKU-G": "B-02-02", "SKU-B": "A-02-01", "SKU-E": "B-01-01", "SKU-D": "A-01-03",
}
WALK = ("C-01-01", "A-01-01", "A-03-01", "A-01-02", "B-02-02", "A-02-01", "B-01-01", "A-01-03")
# order number -> lines; 1003 is urgent (priority 5) so it gets tote 1
ORDERS = {
    "1001": [("SKU-A", 2), ("SKU-D", 1), ("SKU-H", 1)],
    "1002": [("SKU-A", 1), ("SKU-B", 3), ("SKU-G", 2)],
    "1003": [("SKU-C", 1), ("SKU-E", 4), ("SKU-H", 2)],
    "1004": [("SKU-F", 5), ("SKU-A", 1)],
    "1005": [("SKU-B", 1), ("SKU-C", 2), ("SKU-D", 2), ("SKU-G", 1)],
}
TOTES = {"1003": 1, "1001": 2, "1002": 3, "1004": 4, "1005": 5}
STOCK = 20


class Wave:
    """A world with 8 bins, 8 products (barcodes 'BC-<SKU>'), 5 allocated orders."""

    def __init__(self, world) -> None:
        from app.ledger import locations

        self.world = world
        self.actor = world.actor
        for code, seq in EXTRA_BINS:
            locations.add_location(code, zone=code[0], seq=seq)
        self.products: dict[str, int] = {}
        for sku, bin_code in PRODUCTS.items():
            p = world.product(sku, barcode=f"BC-{sku}",
                              packing_instructions="Fragile: bubble wrap" if sku == "SKU-F" else "")
            self.products[sku] = p.id
            world.stock(p.id, bin_code, STOCK)
        self.order_ids: dict[str, int] = {}
        for number, lines in ORDERS.items():
            ref = orders.create_order("ACME", number, lines, actor=self.actor,
                                      priority=5 if number == "1003" else 0,
                                      customer_name=f"Customer {number}", carrier="UPS",
                                      service="ground", ship_by=dt.date(2026, 3, 5))
            self.order_ids[number] = ref.id

    def allocate(self, numbers=None) -> None:
        from app.orders import allocation

        ids = [self.order_ids[n] for n in (numbers or self.order_ids)]
        allocation.allocate_orders(actor=self.actor, order_ids=ids)

    def pid(self, sku: str) -> int:
        return self.products[sku]

    def on_hand(self, sku: str, loc: str) -> int:
        return ledger.on_hand(self.pid(sku), loc)

    def reserved(self, sku: str, loc: str) -> int:
        return ledger.reserved(self.pid(sku), loc)

    def line(self, number: str, sku: str) -> OrderLine:
        return OrderLine.get((OrderLine.order == self.order_ids[number])
                             & (OrderLine.product == self.pid(sku)))

    def status(self, number: str) -> str:
        return orders.order_detail(self.order_ids[number]).status


def expected_stops():
    """(bin, sku, total, ((tote, qty), ...)) in walk order, from ORDERS and TOTES."""
    by_sku: dict[str, dict[int, int]] = {}
    for number, lines in ORDERS.items():
        for sku, qty in lines:
            by_sku.setdefault(sku, {})
            by_sku[sku][TOTES[number]] = by_sku[sku].get(TOTES[number], 0) + qty
    out = []
    for bin_code in WALK:
        sku = next(s for s, b in PRODUCTS.items() if b == bin_code)
        totes = tuple(sorted(by_sku[sku].items()))
        out.append((bin_code, sku, sum(q for _, q in totes), totes))
    return out


@pytest.fixture
def wave(world, frozen_clock):
    w = Wave(world)
    w.allocate()
    return w


def pick_all(wave, number: str) -> None:
    """Walk the list by scans the way a picker does: stop by stop, tote by tote."""
    while True:
        stop = picking.next_stop(number)
        if stop is None:
            return
        for split in stop.totes:
            if split.remaining:
                picking.confirm_pick(number, bin_code=stop.bin_code, scan_code=f"BC-{stop.sku}",
                                     qty=split.remaining, tote=split.tote, actor=wave.actor)


# --- Waves ----------------------------------------------------------------------------


def test_wave_stops_in_walk_order_with_consolidated_quantities_and_tote_splits(wave):
    ref = picking.create_picklist(actor=wave.actor, picker="Pat")
    assert ref.number == "PL000001"
    assert ref.orders == 5
    assert ref.lines == sum(len(v) for v in ORDERS.values())
    assert ref.units == sum(q for v in ORDERS.values() for _, q in v)
    view = picking.picklist_view(ref.number)
    assert [(o.tote, o.order_number) for o in view.orders] == sorted((t, n) for n, t in TOTES.items())
    got = [(s.bin_code, s.sku, s.qty, tuple((t.tote, t.qty) for t in s.totes)) for s in view.stops]
    assert got == expected_stops()
    assert [s.index for s in view.stops] == list(range(1, 9))
    assert view.stops[0].split_text() == "T1 x2, T2 x1"
    assert next(s for s in view.stops if s.sku == "SKU-F").packing_instructions == "Fragile: bubble wrap"
    assert view.picker == "Pat" and view.status == "open"
    # one pick line per allocation, every order now 'picking'
    assert PickLine.select().count() == Allocation.select().count() == ref.lines
    assert {wave.status(n) for n in ORDERS} == {"picking"}
    assert StatusChange.select().where((StatusChange.doc_type == "picklist")
                                       & (StatusChange.to_status == "open")).count() == 1
    assert picking.next_stop(ref.id).bin_code == "C-01-01"


def test_no_order_is_put_on_two_open_pick_lists(wave):
    assert picking.waiting_orders() == 5
    first = picking.create_picklist(actor=wave.actor, max_orders=3)
    assert first.orders == 3
    assert picking.waiting_orders() == 2 and picking.waiting_orders(carrier="DHL") == 0
    with pytest.raises(NotFound):
        picking.waiting_orders(client="NOPE")
    second = picking.create_picklist(actor=wave.actor)
    assert second.orders == 2
    with pytest.raises(ValidationError, match="no allocated orders"):
        picking.create_picklist(actor=wave.actor)
    rows = db.execute("SELECT order_id, COUNT(*) FROM pick_list_order GROUP BY order_id").fetchall()
    assert len(rows) == 5 and {c for _, c in rows} == {1}
    # the most urgent three went first: totes 1..3 of the first list
    tote_of = {o.order_number: o.tote for o in picking.picklist_view(first.id).orders}
    assert tote_of == {"1003": 1, "1001": 2, "1002": 3}
    # a cancelled list frees its orders for a new wave
    picking.cancel_picklist(first.number, actor=wave.actor, reason="cart broken")
    assert {wave.status(n) for n in ("1001", "1002", "1003")} == {"allocated"}
    third = picking.create_picklist(actor=wave.actor)
    assert third.orders == 3 and third.number == "PL000003"


def test_wave_filters(wave):
    other = orders.create_order("ACME", "2001", [("SKU-A", 1)], actor=wave.actor, carrier="FedEx",
                                ship_by=dt.date(2026, 3, 20))
    from app.orders import allocation

    allocation.allocate_orders(actor=wave.actor, order_ids=[other.id])
    with pytest.raises(ValidationError):
        picking.create_picklist(actor=wave.actor, carrier="DHL")
    with pytest.raises(NotFound):
        picking.create_picklist(actor=wave.actor, client="NOPE")
    with pytest.raises(ValidationError):
        picking.create_picklist(actor=wave.actor, max_orders=0)
    fedex = picking.create_picklist(actor=wave.actor, carrier="fedex")
    assert [o.order_number for o in picking.picklist_view(fedex.id).orders] == ["2001"]
    picking.cancel_picklist(fedex.id, actor=wave.actor)
    due = picking.create_picklist(actor=wave.actor, ship_by=dt.date(2026, 3, 10), client="ACME",
                                  service="GROUND", max_orders=2)
    assert [o.order_number for o in picking.picklist_view(due.id).orders] == ["1003", "1001"]


def test_orders_not_allocated_stay_off_the_wave(world, frozen_clock):
    w = Wave(world)
    w.allocate(["1001"])
    ref = picking.create_picklist(actor=w.actor)
    assert ref.orders == 1
    assert w.status("1002") == "new"


# --- Picking by scans -------------------------------------------------------------------


def test_picking_the_whole_wave_moves_exactly_the_listed_quantities(wave):
    ref = picking.create_picklist(actor=wave.actor)
    pick_all(wave, ref.number)
    for bin_code, sku, total, _ in expected_stops():
        assert wave.on_hand(sku, bin_code) == STOCK - total
        assert wave.reserved(sku, bin_code) == 0
        assert wave.on_hand(sku, "PACKING") == total
    for number, lines in ORDERS.items():
        for sku, qty in lines:
            ln = wave.line(number, sku)
            assert (ln.qty_picked, ln.qty_allocated) == (qty, 0)
        detail = orders.order_detail(wave.order_ids[number])
        assert detail.status == "picking" and detail.picked_at is not None
    assert Allocation.select().count() == 0
    view = picking.picklist_view(ref.id)
    assert view.status == "done" and view.next_stop is None
    moves = StockMove.select().where((StockMove.doc_type == "picklist") & (StockMove.kind == "pick"))
    assert sum(m.qty for m in moves) == ref.units
    assert {m.doc_ref for m in moves} == {ref.number}
    with pytest.raises(InvalidTransition):
        picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H", tote=1, actor=wave.actor)


def test_confirm_returns_next_stop_and_starts_the_list(wave):
    ref = picking.create_picklist(actor=wave.actor)
    r = picking.confirm_pick(ref.number, bin_code="c-01-01", scan_code="BC-SKU-H", tote="T1", qty=2,
                             actor=wave.actor)
    assert (r.bin_code, r.sku, r.tote, r.qty, r.order_numbers) == ("C-01-01", "SKU-H", 1, 2, ("1003",))
    assert r.stop_remaining == 1 and r.next_stop.bin_code == "C-01-01"
    assert r.picklist_status == "picking"
    r = picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="SKU-H", tote=2, actor=wave.actor)
    assert r.stop_remaining == 0 and r.next_stop.bin_code == "A-01-01"
    assert wave.on_hand("SKU-H", "PACKING") == 3


def test_wrong_bin_item_tote_or_quantity_is_refused_and_changes_nothing(wave):
    ref = picking.create_picklist(actor=wave.actor)
    before = StockMove.select().count()
    with pytest.raises(picking.WrongScan, match="wrong bin A-01-01: go to C-01-01"):
        picking.confirm_pick(ref.number, bin_code="A-01-01", scan_code="BC-SKU-A", tote=2, actor=wave.actor)
    with pytest.raises(picking.WrongScan, match="not a bin"):
        picking.confirm_pick(ref.number, bin_code="Z-99", scan_code="BC-SKU-H", tote=1, actor=wave.actor)
    with pytest.raises(picking.WrongScan, match=r"wrong item BC-SKU-A \(SKU-A\): take SKU-H from C-01-01"):
        picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-A", tote=1, actor=wave.actor)
    # the SKU itself scanned (or typed) is named once, not "SKU-A (SKU-A)"
    with pytest.raises(picking.WrongScan, match=r"^wrong item SKU-A: take SKU-H from C-01-01$"):
        picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="SKU-A", tote=1, actor=wave.actor)
    with pytest.raises(picking.WrongScan, match=r"wrong item NOTHING \(unknown\)"):
        picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="NOTHING", tote=1, actor=wave.actor)
    with pytest.raises(picking.WrongScan, match="wrong item"):
        picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="NOTHING", tote=1, actor=wave.actor)
    with pytest.raises(picking.WrongScan, match="tote 3 needs no SKU-H"):
        picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H", tote=3, actor=wave.actor)
    with pytest.raises(picking.WrongScan, match="tote 9 is not on"):
        picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H", tote=9, actor=wave.actor)
    with pytest.raises(ValidationError, match="needs 2 of SKU-H here, not 3"):
        picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H", qty=3, tote=1,
                             actor=wave.actor)
    with pytest.raises(ValidationError):
        picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H", qty=0, tote=1,
                             actor=wave.actor)
    with pytest.raises(NotFound):
        picking.confirm_pick("PL999999", bin_code="C-01-01", scan_code="BC-SKU-H", tote=1, actor=wave.actor)
    assert StockMove.select().count() == before
    assert wave.reserved("SKU-H", "C-01-01") == 3
    assert picking.picklist_view(ref.id).status == "open"


def test_case_pack_scan_counts_its_pack_quantity(wave):
    from app import catalog

    catalog.link_barcode(wave.pid("SKU-F"), "CASE-F", kind="case", pack_qty=5, actor=wave.actor)
    ref = picking.create_picklist(actor=wave.actor)
    for stop in picking.picklist_view(ref.id).stops[:2]:
        for t in stop.totes:
            picking.confirm_pick(ref.id, bin_code=stop.bin_code, scan_code=stop.sku, qty=t.qty,
                                 tote=t.tote, actor=wave.actor)
    catalog.link_barcode(wave.pid("SKU-F"), "CASE-F3", kind="case", pack_qty=3, actor=wave.actor)
    with pytest.raises(ValidationError, match=r"needs 5 of SKU-F here, not 6 \(cases of 3\): open the case"):
        picking.confirm_pick(ref.id, bin_code="A-03-01", scan_code="CASE-F3", qty=2, tote=4, actor=wave.actor)
    r = picking.confirm_pick(ref.id, bin_code="A-03-01", scan_code="CASE-F", tote=4, actor=wave.actor)
    assert r.qty == 5 and r.stop_remaining == 0
    assert wave.line("1004", "SKU-F").qty_picked == 5


# --- Short picks ----------------------------------------------------------------------


def test_short_pick_with_stock_elsewhere_reroutes(wave):
    ref = picking.create_picklist(actor=wave.actor)
    wave.world.stock(wave.pid("SKU-B"), "C-01-01", 10)  # SKU-B also lies in the first bin
    # walk to A-02-01 (SKU-B: tote 3 x3, tote 5 x1)
    pick_upto(wave, ref.number, "A-02-01")
    res = picking.short_pick(ref.number, bin_code="A-02-01", product="BC-SKU-B", qty_short=3,
                             reason="short", actor=wave.actor)
    # tote 5 (least urgent) loses its 1 first, then 2 of tote 3; both re-routed to C-01-01
    assert res.backordered == 0 and res.written_off == 3
    assert sorted((r.bin_code, r.tote, r.qty) for r in res.rerouted) == [("C-01-01", 3, 2), ("C-01-01", 5, 1)]
    assert res.next_stop.bin_code == "C-01-01"  # the picker is sent back there
    assert "take" in res.message() and "C-01-01" in res.message()
    # ledger: 3 written off as 'short pick', reservation moved
    adj = StockMove.get((StockMove.kind == "adjust") & (StockMove.product == wave.pid("SKU-B")))
    assert (adj.qty, adj.reason, adj.to_location.code) == (3, "short pick", "ADJUSTMENT")
    assert wave.on_hand("SKU-B", "A-02-01") == STOCK - 3
    assert wave.reserved("SKU-B", "A-02-01") == 1
    assert wave.reserved("SKU-B", "C-01-01") == 3
    assert wave.line("1002", "SKU-B").qty_allocated == 3
    exc = picking.exceptions_list()
    assert {(e.order_number, e.qty, e.outcome, e.bin_code) for e in exc} == {
        ("1002", 2, "rerouted", "A-02-01"), ("1005", 1, "rerouted", "A-02-01")}
    # the wrong bin is refused now: the current stop is C-01-01
    with pytest.raises(picking.WrongScan, match="go to C-01-01"):
        picking.confirm_pick(ref.number, bin_code="A-02-01", scan_code="BC-SKU-B", tote=3, actor=wave.actor)
    picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-B", qty=2, tote=3, actor=wave.actor)
    picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-B", qty=1, tote=5, actor=wave.actor)
    pick_all(wave, ref.number)
    assert wave.line("1002", "SKU-B").qty_picked == 3
    assert wave.line("1005", "SKU-B").qty_picked == 1
    assert wave.on_hand("SKU-B", "C-01-01") == 7
    assert wave.on_hand("SKU-B", "PACKING") == 4
    assert picking.picklist_view(ref.id).status == "done"


def pick_upto(wave, number: str, bin_code: str) -> None:
    while True:
        stop = picking.next_stop(number)
        if stop is None or stop.bin_code == bin_code:
            return
        for split in stop.totes:
            if split.remaining:
                picking.confirm_pick(number, bin_code=stop.bin_code, scan_code=stop.sku,
                                     qty=split.remaining, tote=split.tote, actor=wave.actor)


def test_short_pick_without_stock_back_orders_the_line(wave):
    ref = picking.create_picklist(actor=wave.actor)
    pick_upto(wave, ref.number, "B-01-01")
    # SKU-E: 4 for tote 1 (order 1003); the bin is empty
    res = picking.short_pick(ref.number, bin_code="B-01-01", product=wave.pid("SKU-E"), qty_short=4,
                             reason="empty", actor=wave.actor)
    assert res.rerouted == () and res.backordered == 4
    # 'empty': everything the ledger still claims free in the bin is written off
    assert res.written_off == STOCK
    assert wave.on_hand("SKU-E", "B-01-01") == 0 and wave.reserved("SKU-E", "B-01-01") == 0
    ln = wave.line("1003", "SKU-E")
    assert (ln.qty_allocated, ln.qty_picked) == (0, 0)
    detail = orders.order_detail(wave.order_ids["1003"])
    assert next(x for x in detail.lines if x.sku == "SKU-E").qty_short == 4
    from app.orders import backorders

    row = next(r for r in backorders.backorder_list() if r.sku == "SKU-E")
    assert (row.qty_short, row.qty_available, row.orders) == (4, 0, ("1003",))
    exc = picking.exceptions_list()
    assert [(e.order_number, e.sku, e.qty, e.outcome, e.reason) for e in exc] == [
        ("1003", "SKU-E", 4, "backordered", "empty")]
    pick_all(wave, ref.number)
    view = picking.picklist_view(ref.id)
    assert view.status == "done"
    stop = next(s for s in view.stops if s.sku == "SKU-E")
    assert (stop.qty, stop.picked, stop.short) == (4, 0, 4)
    # the order waits for the rest; it is no longer on an open list
    assert orders.order_detail(wave.order_ids["1003"]).units_short == 4
    # stock turns up: the back-order is allocated at once and the rest goes on the next wave
    inventory.adjust("SKU-E", "A-01-03", 4, reason="found", actor=wave.actor)
    assert wave.line("1003", "SKU-E").qty_allocated == 4
    rest = picking.create_picklist(actor=wave.actor)
    later = picking.picklist_view(rest.id)
    assert [o.order_number for o in later.orders] == ["1003"]
    assert [(s.bin_code, s.sku, s.qty) for s in later.stops] == [("A-01-03", "SKU-E", 4)]
    pick_all(wave, rest.number)
    assert wave.line("1003", "SKU-E").qty_picked == 4
    assert orders.order_detail(wave.order_ids["1003"]).picked_at is not None
    picking.resolve_exception(exc[0].id, actor=wave.actor, note="counted, bin empty")
    assert picking.exceptions_list() == []
    assert len(picking.exceptions_list(include_resolved=True)) == 1


def test_a_short_write_off_that_free_stock_covers_leaves_others_reservations(wave):
    # another order (not on the list) holds 15 of SKU-A's 20 in A-01-01
    big = orders.create_order("ACME", "3001", [("SKU-A", 15)], actor=wave.actor)
    ref = picking.create_picklist(actor=wave.actor)  # takes the 5 wave orders (4 of SKU-A)
    from app.orders import allocation

    allocation.allocate_orders(actor=wave.actor, order_ids=[big.id])
    assert wave.reserved("SKU-A", "A-01-01") == 4 + 15 and wave.on_hand("SKU-A", "A-01-01") == 20
    pick_upto(wave, ref.number, "A-01-01")
    res = picking.short_pick(ref.number, bin_code="A-01-01", product="SKU-A", qty_short=4, reason="short",
                             actor=wave.actor)
    # after releasing the 4, free = 20 - 15 = 5: the 4 missing are written off, 15 stay reserved
    assert res.written_off == 4 and res.backordered == 4
    assert wave.on_hand("SKU-A", "A-01-01") == 16 and wave.reserved("SKU-A", "A-01-01") == 15


def test_damaged_short_goes_to_quarantine_and_blocked_moves_nothing(wave):
    ref = picking.create_picklist(actor=wave.actor)
    res = picking.short_pick(ref.number, bin_code="C-01-01", product="BC-SKU-H", qty_short=1,
                             reason="damaged", actor=wave.actor)
    assert res.quarantined == 1 and res.written_off == 0 and res.backordered == 1
    assert wave.on_hand("SKU-H", "QUARANTINE") == 1
    res = picking.short_pick(ref.number, bin_code="C-01-01", product="BC-SKU-H", qty_short=1,
                             reason="blocked", actor=wave.actor)
    assert (res.quarantined, res.written_off, res.backordered) == (0, 0, 1)
    with pytest.raises(ValidationError, match="reason must be one of"):
        picking.short_pick(ref.number, bin_code="C-01-01", product="BC-SKU-H", qty_short=1,
                           reason="lazy", actor=wave.actor)
    with pytest.raises(ValidationError, match="only 1 of SKU-H"):
        picking.short_pick(ref.number, bin_code="C-01-01", product="BC-SKU-H", qty_short=2,
                           reason="short", actor=wave.actor)
    assert PickException.select().count() == 2


def test_picker_role_rules(wave):
    from app.kernel.actor import Actor
    from app.kernel.errors import PermissionDenied

    receiver = Actor(None, "rita", "receiver", "dock")
    with pytest.raises(PermissionDenied):
        picking.create_picklist(actor=receiver)
    packer = Actor(None, "pat", "packer", "pack-1")
    ref = picking.create_picklist(actor=packer)
    picking.confirm_pick(ref.id, bin_code="C-01-01", scan_code="BC-SKU-H", tote=2, actor=packer)
    with pytest.raises(PermissionDenied):
        picking.cancel_picklist(ref.id, actor=packer)


def test_open_picklists_summary(wave):
    ref = picking.create_picklist(actor=wave.actor, max_orders=2, picker="Pat")
    rows = picking.open_picklists()
    assert [(r.number, r.status, r.orders, r.lines_open, r.picker) for r in rows] == [
        (ref.number, "open", 2, ref.lines, "Pat")]


def test_read_only_checks_for_the_screen_steps(wave):
    ref = picking.create_picklist(actor=wave.actor)
    assert picking.check_bin(ref.number, "C-01-01").sku == "SKU-H"
    with pytest.raises(picking.WrongScan, match="go to C-01-01"):
        picking.check_bin(ref.number, "A-01-01")
    m = picking.check_item(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H")
    assert (m.stop.sku, m.pack_qty) == ("SKU-H", 1)
    with pytest.raises(picking.WrongScan, match="wrong item"):
        picking.check_item(ref.number, bin_code="C-01-01", scan_code="BC-SKU-A")
    r = picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H", qty=2, tote="TOTE-01",
                             actor=wave.actor)
    assert r.tote == 1
    assert StockMove.select().where(StockMove.kind == "pick").count() == 1


def test_two_stations_making_waves_at_once_never_share_an_order(wave):
    """Threads with their own connections create waves concurrently, many times over."""
    import threading

    from app.orders import allocation

    more = [orders.create_order("ACME", f"4{i:03d}", [("SKU-A", 1)], actor=wave.actor).id for i in range(12)]
    allocation.allocate_orders(actor=wave.actor, order_ids=more)
    made: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def station() -> None:
        try:
            barrier.wait()
            for _ in range(6):
                try:
                    made.append(picking.create_picklist(actor=wave.actor, max_orders=2).orders)
                except ValidationError:
                    pass  # nothing left to wave
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            db.database.close()

    threads = [threading.Thread(target=station) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    if db.database.is_closed():
        db.database.connect()
    assert sum(made) == 17
    rows = db.execute("SELECT order_id, COUNT(*) FROM pick_list_order GROUP BY order_id").fetchall()
    assert len(rows) == 17 and {c for _, c in rows} == {1}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_walk_of_picks_and_shorts_keeps_every_count_consistent(wave, seed):
    """Random confirms (good and wrong) and short picks; afterwards allocations, order lines,
    pick lines and PACKING agree with each other (and the fixture checks the ledger)."""
    import random

    from app.kernel.errors import PrepDeskError

    rng = random.Random(seed)
    wave.world.stock(wave.pid("SKU-A"), "B-02-02", 3)  # somewhere to re-route to
    wave.world.stock(wave.pid("SKU-B"), "C-01-01", 2)
    ref = picking.create_picklist(actor=wave.actor)
    for _ in range(80):
        stop = picking.next_stop(ref.id)
        if stop is None:
            break
        split = rng.choice([t for t in stop.totes if t.remaining])
        roll = rng.random()
        try:
            if roll < 0.15:
                picking.short_pick(ref.id, bin_code=stop.bin_code, product=stop.sku,
                                   qty_short=rng.randint(1, stop.remaining),
                                   reason=rng.choice(picking.SHORT_REASONS), actor=wave.actor)
            elif roll < 0.25:  # a wrong scan of some kind: refused, nothing changes
                picking.confirm_pick(ref.id, bin_code=rng.choice(WALK), scan_code=rng.choice(list(PRODUCTS)),
                                     qty=rng.randint(1, 3), tote=rng.randint(1, 6), actor=wave.actor)
            else:
                picking.confirm_pick(ref.id, bin_code=stop.bin_code, scan_code=f"BC-{stop.sku}",
                                     qty=rng.randint(1, split.remaining), tote=split.tote, actor=wave.actor)
        except PrepDeskError:
            pass
    lines = {r[0]: r[1:] for r in db.execute(
        "SELECT id, product_id, qty_ordered, qty_allocated, qty_picked FROM order_line").fetchall()}
    alloc = dict(db.execute("SELECT order_line_id, SUM(qty) FROM allocation GROUP BY order_line_id").fetchall())
    picked = dict(db.execute("SELECT order_line_id, SUM(qty_picked) FROM pick_line "
                             "GROUP BY order_line_id").fetchall())
    for line_id, (_product_id, ordered, allocated, qty_picked) in lines.items():
        assert alloc.get(line_id, 0) == allocated
        assert picked.get(line_id, 0) == qty_picked
        assert allocated + qty_picked <= ordered
    for sku, pid in wave.products.items():
        assert wave.on_hand(sku, "PACKING") == sum(q for p, _, _, q in lines.values() if p == pid)
    for qty, qp, qs, status in db.execute("SELECT qty, qty_picked, qty_short, status FROM pick_line").fetchall():
        assert qp + qs <= qty
        assert (status == "open") == (qp + qs < qty)
    view = picking.picklist_view(ref.id)
    assert (view.status == "done") == (view.next_stop is None)
    assert sum(picked.values()) > 0


# --- Edge cases a warehouse floor produces ---------------------------------------------


def test_short_pick_never_reroutes_to_receiving_quarantine_packing_or_inactive_bins(wave):
    """Free stock of the product lies only where a picker must not take it from."""
    from app.ledger import locations

    ref = picking.create_picklist(actor=wave.actor)
    pid = wave.pid("SKU-H")
    for where in ("RECEIVING", "QUARANTINE"):
        wave.world.stock(pid, where, 5)
    locations.add_location("Z-09-09", zone="Z", seq=1)
    wave.world.stock(pid, "Z-09-09", 5)
    from app.store.models import Location

    Location.update(active=False).where(Location.code == "Z-09-09").execute()
    res = picking.short_pick(ref.number, bin_code="C-01-01", product="SKU-H", qty_short=3, reason="empty",
                             actor=wave.actor)
    assert res.rerouted == () and res.backordered == 3
    assert "back-ordered" in res.message() and "RECEIVING" not in res.message()
    assert all(s.bin_code == "C-01-01" or s.sku != "SKU-H" for s in picking.picklist_view(ref.id).stops)
    for where in ("RECEIVING", "QUARANTINE", "Z-09-09"):
        assert ledger.reserved(pid, where) == 0


def test_a_tote_of_another_order_is_refused_and_says_which_tote(wave):
    ref = picking.create_picklist(actor=wave.actor)
    # C-01-01 SKU-H goes to T1 (1003) and T2 (1001); T5 (1005) is on the cart but needs none
    with pytest.raises(picking.WrongScan, match="tote 5 needs no SKU-H here: put it in T1, T2"):
        picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H", tote="T5", actor=wave.actor)
    assert wave.on_hand("SKU-H", "PACKING") == 0 and wave.reserved("SKU-H", "C-01-01") == 3


def test_two_pickers_on_one_list_never_pick_a_unit_twice(wave):
    """Two carts walk the same list: the second confirm of the same units is refused."""
    from app.kernel.actor import Actor

    ann, bob = Actor(None, "ann", "packer", "cart-1"), Actor(None, "bob", "packer", "cart-2")
    ref = picking.create_picklist(actor=wave.actor)
    picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H", qty=2, tote=1, actor=ann)
    with pytest.raises(picking.WrongScan, match="tote 1 needs no SKU-H here: put it in T2"):
        picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H", qty=2, tote=1, actor=bob)
    picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H", tote=2, actor=bob)
    # ann, still at C-01-01 on her screen, is sent on: the stop is done
    with pytest.raises(picking.WrongScan, match="wrong bin C-01-01: go to A-01-01"):
        picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H", tote=2, actor=ann)
    assert wave.on_hand("SKU-H", "PACKING") == 3
    moves = StockMove.select().where(StockMove.kind == "pick")
    assert sorted((m.user_name, m.qty) for m in moves) == [("ann", 2), ("bob", 1)]


def test_a_reservation_released_elsewhere_drops_its_lines_instead_of_blocking_the_walk(wave):
    """An order's stock released at another station while it is on the wave: the picker's scan
    there says so, the lines close and the walk goes on to the end."""
    from app.orders import allocation

    ref = picking.create_picklist(actor=wave.actor)
    allocation.release_order(wave.order_ids["1003"], actor=wave.actor)  # tote 1: SKU-C, SKU-E, SKU-H
    with pytest.raises(picking.LinesDropped, match="order 1003 lost reserved stock meanwhile"):
        picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H", qty=2, tote=1,
                             actor=wave.actor)
    view = picking.picklist_view(ref.id)
    assert "1003" not in {t.order_number for s in view.stops for t in s.totes}
    assert view.next_stop.bin_code == "C-01-01" and [t.tote for t in view.next_stop.totes] == [2]
    assert wave.on_hand("SKU-H", "PACKING") == 0
    pick_all(wave, ref.number)
    assert picking.picklist_view(ref.id).status == "done"
    assert wave.line("1003", "SKU-E").qty_picked == 0 and wave.on_hand("SKU-E", "B-01-01") == STOCK


def test_a_short_pick_on_a_released_reservation_is_skipped_and_writes_nothing_off(wave):
    from app.orders import allocation

    ref = picking.create_picklist(actor=wave.actor)
    allocation.release_order(wave.order_ids["1003"], actor=wave.actor)
    # C-01-01 SKU-H: T1 (1003, released) x2, T2 (1001) x1
    with pytest.raises(picking.LinesDropped, match="order 1003 lost reserved stock meanwhile"):
        picking.short_pick(ref.number, bin_code="C-01-01", product="SKU-H", qty_short=3, reason="empty",
                           actor=wave.actor)
    assert wave.on_hand("SKU-H", "C-01-01") == STOCK and PickException.select().count() == 0
    stop = picking.next_stop(ref.number)
    assert (stop.bin_code, [(t.tote, t.remaining) for t in stop.totes]) == ("C-01-01", [(2, 1)])


def test_supervisor_takes_an_order_off_a_wave_so_it_can_be_cancelled(wave):
    from app.kernel.actor import Actor
    from app.kernel.errors import PermissionDenied

    ref = picking.create_picklist(actor=wave.actor)
    with pytest.raises(InvalidTransition):  # on a wave: orders refuses the cancel
        orders.cancel_order(wave.order_ids["1003"], actor=wave.actor, reason="customer cancelled")
    packer = Actor(None, "pat", "packer", "cart-1")
    with pytest.raises(PermissionDenied):
        picking.remove_order(ref.number, "1003", actor=packer, reason="customer cancelled")
    with pytest.raises(ValidationError, match="say why"):
        picking.remove_order(ref.number, "1003", actor=wave.actor, reason=" ")
    with pytest.raises(NotFound, match="order 9999 is not on pick list PL000001"):
        picking.remove_order(ref.number, "9999", actor=wave.actor, reason="x")
    assert picking.remove_order(ref.number, "1003", actor=wave.actor, reason="customer cancelled") == 7
    view = picking.picklist_view(ref.id)
    assert [o.order_number for o in view.orders] == ["1001", "1002", "1004", "1005"]
    assert view.stops[0].bin_code == "C-01-01" and [(t.tote, t.qty) for t in view.stops[0].totes] == [(2, 1)]
    assert "SKU-E" not in {s.sku for s in view.stops}  # only 1003 wanted it
    assert wave.status("1003") == "allocated"
    orders.cancel_order(wave.order_ids["1003"], actor=wave.actor, reason="customer cancelled")
    assert wave.reserved("SKU-E", "B-01-01") == 0
    pick_all(wave, ref.number)
    assert picking.picklist_view(ref.id).status == "done"
    assert wave.on_hand("SKU-H", "PACKING") == 1


def test_an_order_partly_picked_stays_on_the_list_when_taken_off(wave):
    ref = picking.create_picklist(actor=wave.actor)
    picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H", qty=1, tote=1, actor=wave.actor)
    assert picking.remove_order(ref.number, "1003", actor=wave.actor, reason="address wrong") == 6
    view = picking.picklist_view(ref.id)
    assert 1 in {o.tote for o in view.orders}  # the picked unit still belongs in tote 1
    first = view.stops[0]
    assert [(t.tote, t.qty, t.picked) for t in first.totes] == [(1, 1, 1), (2, 1, 0)]
    assert wave.line("1003", "SKU-H").qty_picked == 1


def test_one_tote_needing_a_product_twice_is_one_split_with_the_sum(wave):
    """An order with the same SKU on two lines (a shop's bundle and a single): one stop, one
    tote entry with both quantities added, picked in one go."""
    from app.orders import allocation

    ref_order = orders.create_order("ACME", "5001", [("SKU-D", 2), ("SKU-D", 3)], actor=wave.actor,
                                    priority=9)
    allocation.allocate_orders(actor=wave.actor, order_ids=[ref_order.id])
    ref = picking.create_picklist(actor=wave.actor, max_orders=1)
    view = picking.picklist_view(ref.id)
    assert [(s.bin_code, s.qty, [(t.tote, t.qty) for t in s.totes]) for s in view.stops] == [
        ("A-01-03", 5, [(1, 5)])]
    assert view.stops[0].split_text() == "T1 x5"
    picking.confirm_pick(ref.id, bin_code="A-01-03", scan_code="BC-SKU-D", qty=5, tote=1, actor=wave.actor)
    assert picking.picklist_view(ref.id).status == "done"
    assert sorted(ln.qty_picked for ln in OrderLine.select().where(OrderLine.order == ref_order.id)) == [2, 3]


def test_two_pickers_confirming_the_same_units_at_once_take_them_once(wave):
    """Two stations (threads, own connections) confirm the same stop's units concurrently many
    times: each unit is picked once, the rest refused; counts agree afterwards."""
    import threading

    from app.kernel.actor import Actor
    from app.kernel.errors import PrepDeskError

    ref = picking.create_picklist(actor=wave.actor)
    done: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def station(name: str) -> None:
        actor = Actor(None, name, "packer", name)
        try:
            barrier.wait()
            for _ in range(12):
                stop = picking.next_stop(ref.id)
                if stop is None:
                    break
                split = next((t for t in stop.totes if t.remaining), None)
                if split is None:
                    continue
                try:
                    r = picking.confirm_pick(ref.id, bin_code=stop.bin_code, scan_code=stop.sku,
                                             qty=split.remaining, tote=split.tote, actor=actor)
                    done.append(r.qty)
                except PrepDeskError:
                    pass  # the other picker was first: refused, nothing changed
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            db.database.close()

    threads = [threading.Thread(target=station, args=(n,)) for n in ("ann", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    if db.database.is_closed():
        db.database.connect()
    picked = sum(done)
    assert picked == db.execute("SELECT COALESCE(SUM(qty_picked), 0) FROM pick_line").fetchone()[0]
    assert picked == sum(wave.on_hand(sku, "PACKING") for sku in PRODUCTS)
    assert picked == sum(m.qty for m in StockMove.select().where(StockMove.kind == "pick"))
    for qty, qp, qs in db.execute("SELECT qty, qty_picked, qty_short FROM pick_line").fetchall():
        assert qp + qs <= qty


def test_a_reservation_cut_elsewhere_shrinks_the_line_to_what_is_still_reserved(wave):
    from app.orders import allocation

    ref = picking.create_picklist(actor=wave.actor)
    line = wave.line("1003", "SKU-H")  # tote 1 wants 2 from C-01-01
    assert allocation.release_line(line.id, 1, actor=wave.actor) == 1
    with pytest.raises(picking.LinesDropped, match="go to C-01-01 for SKU-H"):
        picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H", qty=2, tote=1,
                             actor=wave.actor)
    stop = picking.next_stop(ref.number)
    assert [(t.tote, t.qty, t.remaining) for t in stop.totes] == [(1, 1, 1), (2, 1, 1)]
    picking.confirm_pick(ref.number, bin_code="C-01-01", scan_code="BC-SKU-H", tote=1, actor=wave.actor)
    assert wave.line("1003", "SKU-H").qty_picked == 1


def test_drop_unreserved_lines_changes_nothing_when_all_is_reserved(wave):
    ref = picking.create_picklist(actor=wave.actor)
    before = db.execute("SELECT id, qty, status FROM pick_line ORDER BY id").fetchall()
    assert picking.drop_unreserved_lines(ref.number, actor=wave.actor) == ()
    assert db.execute("SELECT id, qty, status FROM pick_line ORDER BY id").fetchall() == before


def test_an_order_short_picked_whole_is_back_ordered_once_its_list_is_done_and_fills_itself(world):
    """An order none of whose units could be picked was 'picking' while its list was open; when
    another order's pick finishes the list it is back-ordered (not left 'picking' for ever), so
    the next allocation finds it when stock comes in."""
    from app.orders import allocation

    actor = world.actor
    solo, pair = world.product("SOLO").id, world.product("PAIR").id
    world.stock(solo, "A-01-01", 2)
    world.stock(pair, "A-01-02", 3)
    x = orders.create_order("ACME", "5001", [("SOLO", 2)], actor=actor)
    y = orders.create_order("ACME", "5002", [("PAIR", 3)], actor=actor)
    allocation.allocate_orders(actor=actor, order_ids=[x.id, y.id])
    ref = picking.create_picklist(actor=actor)
    first = picking.next_stop(ref.id)
    assert (first.bin_code, first.sku) == ("A-01-01", "SOLO")
    picking.short_pick(ref.id, bin_code="A-01-01", product="SOLO", qty_short=2, reason="empty", actor=actor)
    assert orders.order_detail(x.id).status == "picking"  # its list is still being walked
    picking.confirm_pick(ref.id, bin_code="A-01-02", scan_code="PAIR", qty=3, tote=2, actor=actor)
    assert picking.picklist_view(ref.id).status == "done"
    assert (orders.order_detail(x.id).status, orders.order_detail(y.id).status) == ("backordered", "picking")
    world.stock(solo, "A-02-01", 2)  # the goods come in
    allocation.allocate_orders(actor=actor)
    assert orders.order_detail(x.id).status == "allocated"
