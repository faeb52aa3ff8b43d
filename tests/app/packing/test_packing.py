"""Packing services: scan verification, mis-scans, packages, the close guard, void, ship."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app import catalog, inventory, ledger, orders, packing, shipping
from app.kernel.actor import Actor
from app.kernel.barcodes import gs1_check_digit
from app.kernel.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    UnknownBarcode,
    ValidationError,
)
from app.store import db
from app.store.models import AuditEvent, Order, OrderLine, Package, PackScan, StatusChange
from tests.support.packing import (
    PACKER,
    make_products,
    pick_first_stop,
    picked_order,
    stock_in,
)

SUPERVISOR = Actor(None, "sam-supervisor", "supervisor", "pack-1")


@pytest.fixture
def three(world, frozen_clock):
    """Order 1001: TENT x2, LAMP x1, CUP x3, all picked; a product not on the order."""
    prods = make_products(world, [("TENT", "012345678905"), ("LAMP", "LAMP-1"), ("CUP", "CUP-1"),
                                  ("STOVE", "STOVE-1")])
    return picked_order(world, "1001", [("TENT", 2, 2), ("LAMP", 1, 1), ("CUP", 3, 3)], products=prods)


def scan(order, *codes, actor=PACKER):
    return [packing.verify_scan(order.id, c, actor=actor) for c in codes]


def test_verify_counts_units_and_refuses_wrong_item_and_over_scan(three):
    out = scan(three, "012345678905", "STOVE-1", "LAMP-1", "LAMP-1", "NOPE-123")
    assert [o.result for o in out] == ["ok", "wrong_item", "ok", "over_scan", "unknown"]
    assert [o.accepted for o in out] == [True, False, True, False, False]
    assert out[0].verified == 1 and out[0].picked == 2 and out[0].package_seq == 1
    assert "not on order 1001" in out[1].message
    assert "TOO MANY" in out[3].message and "1 of 1" in out[3].message
    view = packing.packing_view(three.id)
    assert [(ln.sku, ln.picked, ln.verified) for ln in view.lines] == [
        ("TENT", 2, 1), ("LAMP", 1, 1), ("CUP", 3, 0)]
    assert view.unverified == 4
    assert view.mis_scans == 3
    results = [r.result for r in PackScan.select().where(PackScan.order == three.id).order_by(PackScan.id)]
    assert results == ["ok", "wrong_item", "ok", "over_scan", "unknown"]
    # refused scans counted nothing in the package
    assert view.open_package.lines == (("TENT", "Product TENT", 1), ("LAMP", "Product LAMP", 1))


def test_case_pack_counts_its_pack_size(world, frozen_clock):
    prods = make_products(world, [("CUP", "CUP-1")])
    with db.write():
        catalog.products._link(catalog.find_product(1, "CUP"), 1, "CUP-CASE6", "case", 6)
    order = picked_order(world, "2001", [("CUP", 8, 8)], products=prods)
    a, b, c = scan(order, "CUP-CASE6", "CUP-CASE6", "CUP-1")
    assert (a.accepted, a.units, a.verified) == (True, 6, 6)
    assert (b.accepted, b.result) == (False, "over_scan")  # 12 > 8 picked
    assert (c.accepted, c.verified) == (True, 7)


def test_product_of_another_client_is_a_wrong_item(world, frozen_clock):
    prods = make_products(world, [("TENT", "TENT-1")])
    catalog.add_client("BLOOM", "Bloom Botanicals")
    world.product("SERUM", barcode="SERUM-1", client="BLOOM")
    order = picked_order(world, "2002", [("TENT", 1, 1)], products=prods)
    (out,) = scan(order, "SERUM-1")
    assert (out.accepted, out.result) == (False, "wrong_item")
    assert "another client" in out.message


def test_full_flow_two_boxes_then_ship_balances_status_and_times(three, frozen_clock, world):
    t0 = frozen_clock.current
    target = packing.open_for_packing("1001", actor=PACKER)
    assert (target.kind, target.order_ids) == ("order", (three.id,))
    scan(three, "012345678905", "012345678905", "LAMP-1")
    frozen_clock.advance(minutes=2)
    first = packing.close_package(three.id, weight_kg=1.4, final=False, actor=PACKER)
    assert (first.package.seq, first.package.status, first.packing_complete) == (1, "closed", False)
    assert first.unverified == 3
    scan(three, "CUP-1", "CUP-1", "CUP-1")
    frozen_clock.advance(minutes=3)
    second = packing.close_package(three.id, weight_kg=0.9, final=True, actor=PACKER)
    assert second.packing_complete and second.package.seq == 2
    packed_time = t0 + dt.timedelta(minutes=5)
    order = Order.get_by_id(three.id)
    assert order.status == "packed" and order.packed_at == packed_time
    assert [ln.qty_packed for ln in OrderLine.select().where(OrderLine.order == three.id).order_by(OrderLine.id)] == [2, 1, 3]

    frozen_clock.advance(minutes=10)
    result = shipping.ship_order(three.id, tracking="1Z999AA10123456784", carrier="UPS", service="Ground",
                                cost=Decimal("7.5"), actor=PACKER)
    assert result.packages == (1, 2) and result.units == 6 and result.order_status == "shipped"
    order = Order.get_by_id(three.id)
    assert order.status == "shipped"
    assert order.packed_at == packed_time
    assert order.shipped_at == t0 + dt.timedelta(minutes=15)
    lines = list(OrderLine.select().where(OrderLine.order == three.id).order_by(OrderLine.id))
    assert [(ln.qty_picked, ln.qty_packed, ln.qty_shipped) for ln in lines] == [(2, 2, 2), (1, 1, 1), (3, 3, 3)]
    for sku, qty in (("TENT", 2), ("LAMP", 1), ("CUP", 3)):
        pid = three.products[sku]
        assert ledger.on_hand(pid, "PACKING") == 0
        assert ledger.on_hand(pid, "A-01-01") == 0
        shipped = db.execute(
            "SELECT SUM(qty) FROM stock_move WHERE product_id = ? AND kind = 'ship' AND to_location_id = ?",
            (pid, ledger.location("CUSTOMER").id)).fetchone()[0]
        assert shipped == qty
    pk = list(Package.select().where(Package.order == three.id).order_by(Package.seq))
    assert [(p.status, p.tracking, p.carrier, p.service, p.cost) for p in pk] == [
        ("shipped", "1Z999AA10123456784", "UPS", "Ground", Decimal("7.50"))] * 2
    assert [p.weight_kg for p in pk] == [1.4, 0.9]
    assert pk[0].closed_at == t0 + dt.timedelta(minutes=2)
    assert pk[1].shipped_at == t0 + dt.timedelta(minutes=15)
    changes = [(c.doc_id, c.from_status, c.to_status) for c in StatusChange.select().where(
        StatusChange.doc_type == "package").order_by(StatusChange.id)]
    assert changes == [(pk[0].id, "", "open"), (pk[0].id, "open", "closed"), (pk[1].id, "", "open"),
                       (pk[1].id, "open", "closed"), (pk[0].id, "closed", "shipped"),
                       (pk[1].id, "closed", "shipped")]
    with pytest.raises(InvalidTransition):
        packing.open_for_packing("1001", actor=PACKER)


def test_last_box_cannot_close_with_unverified_units(three):
    scan(three, "012345678905", "LAMP-1")
    with pytest.raises(packing.UnverifiedUnits, match="4 picked unit"):
        packing.close_package(three.id, final=True, actor=PACKER)
    with pytest.raises(packing.UnverifiedUnits):
        packing.complete_packing(three.id, actor=PACKER)
    assert Package.get(Package.order == three.id).status == "open"  # nothing changed
    # a packer cannot override, a supervisor needs a reason
    with pytest.raises(PermissionDenied):
        packing.close_package(three.id, final=True, override_reason="scanner broken", actor=PACKER)
    with pytest.raises(ValidationError, match="reason"):
        packing.close_package(three.id, final=True, override_reason="  ", actor=SUPERVISOR)
    # nor can it ship
    with pytest.raises(packing.UnverifiedUnits):
        shipping.ship_order(three.id, tracking="T1", actor=PACKER)
    result = packing.close_package(three.id, final=True, override_reason="labels torn, counted by eye",
                                   actor=SUPERVISOR)
    assert result.override and result.packing_complete
    assert result.package.units == 6
    pkg = Package.get(Package.order == three.id)
    assert pkg.status == "closed" and pkg.override_reason == "labels torn, counted by eye"
    event = AuditEvent.get(AuditEvent.kind == "pack_override")
    assert (event.doc_type, event.doc_id, event.user_name) == ("package", pkg.id, "sam-supervisor")
    assert "4 unverified" in event.detail and "labels torn" in event.detail
    shipping.ship_order(three.id, tracking="T1", actor=PACKER)
    assert all(ledger.on_hand(pid, "PACKING") == 0 for pid in three.products.values())


def test_next_box_may_close_with_units_left_but_ship_may_not(three):
    scan(three, "012345678905")
    packing.close_package(three.id, final=False, actor=PACKER)
    with pytest.raises(packing.UnverifiedUnits, match="5 picked"):
        shipping.ship_order(three.id, tracking="T1", actor=PACKER)
    with pytest.raises(InvalidTransition, match="no open package"):
        packing.close_package(three.id, final=False, actor=PACKER)


def test_empty_package_cannot_close(three):
    packing.open_package(three.id, actor=PACKER)
    with pytest.raises(ValidationError, match="empty"):
        packing.close_package(three.id, final=False, actor=PACKER)


def test_void_package_returns_units_to_unverified(three):
    scan(three, "012345678905", "012345678905", "LAMP-1")
    packing.close_package(three.id, final=False, weight_kg=2.0, actor=PACKER)
    assert OrderLine.get(OrderLine.order == three.id, OrderLine.line_no == 1).qty_packed == 2
    view = packing.void_package(three.id, seq=1, reason="box crushed", actor=PACKER)
    assert view.status == "void" and view.number == 0
    pv = packing.packing_view(three.id)
    assert pv.unverified == 6 and pv.verified == 0
    assert [ln.packed for ln in pv.lines] == [0, 0, 0]
    # the units can be verified again into a new package with a new SSCC
    out = scan(three, "012345678905")[0]
    assert out.accepted and out.package_seq == 2
    pkgs = list(Package.select().where(Package.order == three.id).order_by(Package.seq))
    assert pkgs[0].sscc != pkgs[1].sscc
    with pytest.raises(InvalidTransition):
        packing.void_package(three.id, seq=1, actor=PACKER)
    with pytest.raises(NotFound):
        packing.void_package(three.id, seq=9, actor=PACKER)


def test_shipped_package_cannot_be_voided(three):
    scan(three, "012345678905", "012345678905", "LAMP-1", "CUP-1", "CUP-1", "CUP-1")
    packing.close_package(three.id, actor=PACKER)
    shipping.ship_order(three.id, tracking="T9", actor=PACKER)
    with pytest.raises(InvalidTransition, match="shipped to void"):
        packing.void_package(three.id, seq=1, actor=PACKER)


def test_ship_needs_tracking_and_a_closed_package(three):
    with pytest.raises(ValidationError, match="tracking"):
        shipping.ship_order(three.id, tracking=" ", actor=PACKER)
    with pytest.raises(ValidationError, match="cost"):
        shipping.ship_order(three.id, tracking="T", cost=-1, actor=PACKER)


def _partial_order(world, prods):
    order = picked_order(world, "3001", [("TENT", 3, 2), ("LAMP", 1, 1)], products=prods)
    # one more tent arrives after picking: the back-order is reserved automatically
    inventory.move(prods["TENT"], "SUPPLIER", "A-01-02", 1, actor=world.actor, kind="receive")
    tent_line = OrderLine.get(OrderLine.order == order.id, OrderLine.line_no == 1)
    assert tent_line.qty_allocated == 1 and ledger.reserved(prods["TENT"], "A-01-02") == 1
    scan(order, "TENT-1", "TENT-1", "LAMP-1")
    packing.close_package(order.id, final=True, actor=PACKER)
    return order, tent_line


def test_partial_shipment_releases_the_rest_and_offers_it_to_waiting_orders(world, frozen_clock):
    prods = make_products(world, [("TENT", "TENT-1"), ("LAMP", "LAMP-1")])
    order, tent_line = _partial_order(world, prods)
    result = shipping.ship_order(order.id, tracking="T-3001", actor=PACKER)
    assert (result.units, result.released) == (3, 1)
    tent_line = OrderLine.get_by_id(tent_line.id)
    assert (tent_line.qty_picked, tent_line.qty_shipped) == (2, 2)
    assert ledger.on_hand(prods["TENT"], "PACKING") == 0
    assert Order.get_by_id(order.id).shipped_at is None  # the order is not shipped complete
    # The released tent is free stock in a bin: the waiting rest of the order (the only
    # back-order) gets it again at once, so the order goes on the next wave.
    assert tent_line.qty_allocated == 1
    assert ledger.reserved(prods["TENT"], "A-01-02") == 1
    assert orders.order_detail(order.id).status == "allocated"


def test_partial_shipment_frees_stock_for_an_older_back_order(world, frozen_clock):
    from app.orders import allocation

    prods = make_products(world, [("TENT", "TENT-1"), ("LAMP", "LAMP-1")])
    order, tent_line = _partial_order(world, prods)
    # An order placed in the shop a day before 3001 reaches us late (back-orders fill oldest first).
    urgent = orders.create_order("ACME", "3002", [("TENT", 1)], actor=world.actor,
                                 ordered_at=frozen_clock.current - dt.timedelta(days=1),
                                 customer_name="Early Customer", address1="1 Main St",
                                 city="Springfield", country="US")
    allocation.allocate_orders(actor=world.actor, order_ids=[urgent.id])
    assert orders.order_detail(urgent.id).status == "backordered"  # the only free tent is 3001's
    shipping.ship_order(order.id, tracking="T-3001", actor=PACKER)
    # 3001's leftover reservation is released and the older order takes the tent.
    assert OrderLine.get_by_id(tent_line.id).qty_allocated == 0
    assert orders.order_detail(order.id).status == "backordered"
    assert orders.order_detail(urgent.id).status == "allocated"
    assert ledger.reserved(prods["TENT"], "A-01-02") == 1


def test_open_by_picklist_and_tote(world, frozen_clock):
    prods = make_products(world, [("TENT", "TENT-1"), ("LAMP", "LAMP-1")])
    a = picked_order(world, "4001", [("TENT", 1, 1)], products=prods)
    # a second order on its own pick list; then open by list, by tote and by list-tote
    b = picked_order(world, "4002", [("LAMP", 1, 1)], products=prods)
    t = packing.open_for_packing(a.picklist, actor=PACKER)
    assert (t.kind, t.order_ids) == ("picklist", (a.id,))
    t = packing.open_for_packing(f"{b.picklist}-T1", actor=PACKER)
    assert (t.kind, t.order_ids) == ("tote", (b.id,))
    t = packing.open_for_packing("T1", actor=PACKER)  # the newest list with work in tote 1
    assert t.order_ids == (b.id,)
    with pytest.raises(UnknownBarcode, match=r"^'NOTHING-HERE' is not an order, pick list or tote$"):
        packing.open_for_packing("NOTHING-HERE", actor=PACKER)
    # a unit scanned before its order: the packer is told what it is and what to scan
    with pytest.raises(UnknownBarcode, match=r"^'TENT-1' is a product \(TENT\), not an order, pick list or tote: "
                                             r"scan the order, its tote or the pick list first$"):
        packing.open_for_packing("TENT-1", actor=PACKER)


def test_picklist_with_several_orders_opens_them_in_tote_order(world, frozen_clock):
    from app import orders

    prods = make_products(world, [("TENT", "TENT-1")])
    stock_in(world, prods["TENT"], 3)
    ids = [orders.create_order("ACME", n, [("TENT", 1)], actor=world.actor, customer_name="X").id
           for n in ("5001", "5002", "5003")]
    pl = pick_first_stop(world, "TENT-1")
    target = packing.open_for_packing(pl.number, actor=PACKER)
    assert sorted(target.order_ids) == sorted(ids) and len(target.order_ids) == 3
    # station_scan routes: ack, a unit of the open order, another order's number
    assert packing.station_scan("ACK", order_id=ids[0], actor=PACKER).kind == "ack"
    s = packing.station_scan("TENT-1", order_id=target.order_ids[0], actor=PACKER)
    assert s.kind == "unit" and s.outcome.accepted and s.outcome.order_complete
    s = packing.station_scan("5003", order_id=target.order_ids[0], actor=PACKER)
    assert s.kind == "open" and s.target.order_ids == (ids[2],)


def test_nothing_picked_and_cancelled_orders_cannot_be_packed(world, frozen_clock):
    make_products(world, [("TENT", "TENT-1")])
    ref = orders.create_order("ACME", "6001", [("TENT", 1)], actor=world.actor)
    with pytest.raises(ValidationError, match=r"^order 6001 has nothing picked yet \(New\)$"):
        packing.open_for_packing("6001", actor=PACKER)
    orders.cancel_order(ref.id, actor=world.actor, reason="customer")
    with pytest.raises(InvalidTransition, match="cancelled"):
        packing.open_for_packing("6001", actor=PACKER)
    with pytest.raises(InvalidTransition, match="cancelled"):
        packing.verify_scan(ref.id, "TENT-1", actor=PACKER)


def test_receiver_may_not_pack(three):
    with pytest.raises(PermissionDenied):
        packing.verify_scan(three.id, "LAMP-1", actor=Actor(None, "rita", "receiver", "r"))


# --- SSCC and settings --------------------------------------------------------------------


def test_sscc_uses_prefix_setting_and_a_sequence(three):
    scan(three, "LAMP-1")
    first = Package.get(Package.order == three.id).sscc
    assert first == "0" + "0614141" + "000000001" + str(gs1_check_digit("00614141000000001"))
    assert packing.set_setting("gs1_company_prefix", " 1234567 ", actor=SUPERVISOR) == "1234567"
    assert packing.get_setting("gs1_company_prefix") == "1234567"
    packing.close_package(three.id, final=False, actor=PACKER)
    scan(three, "CUP-1")
    second = Package.get(Package.order == three.id, Package.seq == 2).sscc
    assert len(second) == 18 and second.startswith("01234567000000002")
    assert int(second[-1]) == gs1_check_digit(second[:-1])
    with pytest.raises(ValidationError, match="6 to 12 digits"):
        packing.set_setting("gs1_company_prefix", "12AB", actor=SUPERVISOR)
    with pytest.raises(PermissionDenied):
        packing.set_setting("gs1_company_prefix", "7654321", actor=PACKER)


# --- Box types -------------------------------------------------------------------------------


def test_box_types_crud_and_suggestion(three):
    small = packing.add_box_type("S", length_cm=25, width_cm=20, height_cm=12, weight_kg=0.2,
                                 max_weight_kg=5, actor=SUPERVISOR)
    packing.add_box_type("M", length_cm=40, width_cm=30, height_cm=20, weight_kg=0.4, max_weight_kg=15,
                         actor=SUPERVISOR)
    packing.add_box_type("L", length_cm=60, width_cm=40, height_cm=40, weight_kg=0.8, max_weight_kg=30,
                         actor=SUPERVISOR)
    assert [b.name for b in packing.list_box_types()] == ["S", "M", "L"]
    assert small.volume_cm3 == 6000
    with pytest.raises(Exception, match="exists already"):
        packing.add_box_type("S", length_cm=1, width_cm=1, height_cm=1, actor=SUPERVISOR)
    with pytest.raises(PermissionDenied):
        packing.add_box_type("XS", length_cm=1, width_cm=1, height_cm=1, actor=PACKER)
    with pytest.raises(ValidationError):
        packing.add_box_type("Bad", length_cm=0, width_cm=1, height_cm=1, actor=SUPERVISOR)
    # 6 units of 20x15x10 = 18,000 cm³ (+15% = 20,700): M (24,000) is the smallest that fits
    s = packing.suggest_box(three.id)
    assert (s.box.name, s.units, s.volume_cm3, s.weight_kg) == ("M", 6, 18000.0, 3.0)
    # after the first 5 units are boxed only one cup remains: S
    scan(three, "012345678905", "012345678905", "LAMP-1", "CUP-1", "CUP-1")
    packing.close_package(three.id, box="M", weight_kg=3, final=False, actor=PACKER)
    assert packing.suggest_box(three.id).box.name == "S"
    packing.deactivate_box_type("S", actor=SUPERVISOR)
    assert packing.suggest_box(three.id).box.name == "M"
    with pytest.raises(NotFound):
        packing.close_package(three.id, box="S", actor=PACKER)


def test_box_suggestion_rules():
    box = packing.BoxTypeRow(1, "Flat", 50, 40, 5, 0.1, 2.0, True)
    big = packing.BoxTypeRow(2, "Cube", 30, 30, 30, 0.3, 10.0, True)
    item = ((20.0, 20.0, 20.0), 1.0, 1)  # too tall for Flat although its volume fits
    assert packing.suggest_box_for([item], [box, big]).box.name == "Cube"
    heavy = ((10.0, 10.0, 2.0), 3.0, 1)  # fits Flat by size, too heavy for it
    assert packing.suggest_box_for([heavy], [box, big]).box.name == "Cube"
    nothing = packing.suggest_box_for([((100.0, 1.0, 1.0), 0.1, 1)], [box, big])
    assert nothing.box is None and "several packages" in nothing.message
    assert packing.parse_dims("30x20x15") == (30.0, 20.0, 15.0)
    with pytest.raises(ValidationError):
        packing.parse_dims("30x20")


def test_mis_scan_counts(three, frozen_clock):
    scan(three, "LAMP-1", "LAMP-1", "STOVE-1", "???")
    frozen_clock.advance(days=1)
    scan(three, "CUP-1", "STOVE-1")
    (row,) = packing.mis_scan_counts(client="ACME")
    assert (row.key, row.ok, row.wrong_item, row.over_scan, row.unknown) == ("ACME", 2, 2, 1, 1)
    assert (row.mis_scans, row.scans) == (4, 6)
    day1, day2 = packing.mis_scan_counts(group="day")
    assert (day1.key, day1.mis_scans, day2.key, day2.mis_scans) == ("2026-03-02", 3, "2026-03-03", 1)
    (today,) = packing.mis_scan_counts(date_from=dt.date(2026, 3, 3))
    assert (today.ok, today.wrong_item) == (1, 1)
    (user,) = packing.mis_scan_counts(group="user")
    assert user.key == "pat-packer"


def test_two_stations_scanning_one_order_never_verify_more_than_picked(world, frozen_clock):
    import threading

    prods = make_products(world, [("MUG", "MUG-1")])
    order = picked_order(world, "7001", [("MUG", 10, 10)], products=prods)
    results: list[str] = []
    errors: list[BaseException] = []

    def station(name: str) -> None:
        actor = Actor(None, name, "packer", name)
        try:
            for _ in range(8):
                results.append(packing.verify_scan(order.id, "MUG-1", actor=actor).result)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            db.database.close()  # this thread's connection

    threads = [threading.Thread(target=station, args=(f"pack-{i}",)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(results) == ["ok"] * 10 + ["over_scan"] * 6
    view = packing.packing_view(order.id)
    assert (view.verified, view.unverified, len(view.packages)) == (10, 0, 1)


# --- Trying to ship what was not verified ---------------------------------------------------


def test_ship_refused_while_a_verified_box_is_still_open(three):
    scan(three, "012345678905", "012345678905", "LAMP-1")
    packing.close_package(three.id, final=False, actor=PACKER)
    scan(three, "CUP-1", "CUP-1", "CUP-1")  # every unit verified, the second box still open
    with pytest.raises(packing.UnverifiedUnits, match="still open"):
        shipping.ship_order(three.id, tracking="1Z999AA10123456784", actor=PACKER)
    with pytest.raises(packing.UnverifiedUnits, match="still open"):
        shipping.ship_order(three.id, tracking="1Z999AA10123456784", package_seq=1, actor=PACKER)
    assert [p.status for p in Package.select().order_by(Package.seq)] == ["closed", "open"]
    assert all(ledger.on_hand(pid, "PACKING") > 0 for sku, pid in three.products.items() if sku != "STOVE")
    assert [ln.qty_shipped for ln in OrderLine.select().where(OrderLine.order == three.id)] == [0, 0, 0]


@pytest.mark.parametrize("tracking, message", [
    ("", "tracking number"),
    ("1Z999\x1d123", "not valid"),
    ("1Z 999 AA1", "not valid"),
    ("x" * 101, "not valid"),
    ("LAMP-1", "a product barcode"),
    ("0012345678905", "a product barcode"),  # the TENT's UPC as an EAN-13 reader sends it
    ("1001", "an order number"),
])
def test_ship_refuses_a_tracking_number_that_is_not_one(three, tracking, message):
    scan(three, "012345678905", "012345678905", "LAMP-1", "CUP-1", "CUP-1", "CUP-1")
    packing.close_package(three.id, final=True, actor=PACKER)
    with pytest.raises(ValidationError, match=message):
        shipping.ship_order(three.id, tracking=tracking, actor=PACKER)
    assert Package.get(Package.order == three.id).status == "closed"
    assert Order.get_by_id(three.id).status == "packed"


def test_ship_refuses_our_own_sscc_as_tracking_and_bad_carrier_text(three):
    scan(three, "012345678905", "012345678905", "LAMP-1", "CUP-1", "CUP-1", "CUP-1")
    sscc = packing.close_package(three.id, final=True, actor=PACKER).package.sscc
    for tracking in (sscc, "00" + sscc):
        with pytest.raises(ValidationError, match="SSCC"):
            shipping.ship_order(three.id, tracking=tracking, actor=PACKER)
    with pytest.raises(ValidationError, match="carrier"):
        shipping.ship_order(three.id, tracking="1Z999AA10123456784", carrier="UPS\x00", actor=PACKER)
    with pytest.raises(ValidationError, match="cost"):
        shipping.ship_order(three.id, tracking="1Z999AA10123456784", cost=True, actor=PACKER)
    assert Package.get(Package.order == three.id).status == "closed"


@pytest.mark.parametrize("form", [
    "]C100{sscc}",  # the carton label's barcode with the scanner's symbology identifier
    "(00){sscc}",  # its printed line without the space
    "(00) {sscc}",  # and with it
    " (00) {a} {b} ",
    "00{sscc}",
    "{sscc}",
])
def test_ship_refuses_every_form_of_our_own_carton_label(three, form):
    scan(three, "012345678905", "012345678905", "LAMP-1", "CUP-1", "CUP-1", "CUP-1")
    sscc = packing.close_package(three.id, final=True, actor=PACKER).package.sscc
    tracking = form.format(sscc=sscc, a=sscc[:9], b=sscc[9:])
    with pytest.raises(ValidationError) as info:
        shipping.ship_order(three.id, tracking=tracking, actor=PACKER)
    assert str(info.value) == (f"{tracking.strip()!r} is one of our carton labels (SSCC), not the carrier's "
                               "tracking number: scan the barcode on the carrier's label")
    assert Package.get(Package.order == three.id).status == "closed"
    assert (Package.get(Package.order == three.id).tracking, Order.get_by_id(three.id).status) == ("", "packed")


USPS = "9400111899223817262183"


@pytest.mark.parametrize("label", [
    f"42090210\x1d{USPS}",  # GS1-128: AI 420 ship-to ZIP, FNC1, the tracking number
    f"42090210<GS>{USPS}",  # a scanner that spells FNC1
    f"]C142090210\x1d{USPS}",
    f"420902101234\x1d{USPS}",  # ZIP+4
    f"4218409021\x1d{USPS}",  # AI 421: country 840 and postal code
    f"42090210{USPS}",  # read without the separator: 420 + 5-digit ZIP
    f"420902101234{USPS}",  # 420 + 9-digit ZIP
])
def test_a_carrier_labels_ship_to_barcode_ships_with_its_tracking_number(three, label):
    scan(three, "012345678905", "012345678905", "LAMP-1", "CUP-1", "CUP-1")
    # before packing is complete the label is still no unit: not a mis-scan
    s = packing.station_scan(label, order_id=three.id, actor=PACKER)
    assert (s.kind, s.tracking) == ("tracking", USPS)
    scan(three, "CUP-1")
    packing.close_package(three.id, final=True, actor=PACKER)
    s = packing.station_scan(label, order_id=three.id, actor=PACKER)
    assert (s.kind, s.tracking, s.outcome) == ("tracking", USPS, None)
    assert PackScan.select().where(PackScan.result != "ok").count() == 0
    result = shipping.ship_order(three.id, tracking=label, actor=PACKER)
    assert (result.order_status, result.units) == ("shipped", 6)
    assert [(p.tracking, p.carrier) for p in Package.select().where(Package.order == three.id)] == [
        (USPS, "USPS")]
    assert ledger.check().ok


@pytest.mark.parametrize("code", ["42090210", "1Z999AA10123456784", "4209021012", f"420902{USPS}",
                                  f"42090210\x1d{USPS}\x1d99", "006141410000000500"])
def test_codes_that_are_no_ship_to_barcode_are_left_as_they_are(code):
    expected = {f"42090210\x1d{USPS}\x1d99": USPS}.get(code)
    assert shipping.scanned_tracking(code) == (expected or code)


@pytest.mark.parametrize("cost, message", [
    (0.285, "given as text or Decimal"),  # money is never a float
    (True, "given as text or Decimal"),
    (Decimal("NaN"), "positive amount"),
    (Decimal("-0.01"), "positive amount"),
    (Decimal("100000"), "up to 99999.99"),
    ("12 EUR", "is not an amount"),
])
def test_a_bad_shipping_cost_is_refused_in_one_line_and_ships_nothing(three, cost, message):
    scan(three, "012345678905", "012345678905", "LAMP-1", "CUP-1", "CUP-1", "CUP-1")
    packing.close_package(three.id, final=True, actor=PACKER)
    with pytest.raises(ValidationError, match=message) as info:
        shipping.ship_order(three.id, tracking="1Z999AA10123456784", cost=cost, actor=PACKER)
    assert "\n" not in str(info.value)
    assert (Package.get(Package.order == three.id).status, Order.get_by_id(three.id).status) == ("closed", "packed")


@pytest.mark.parametrize("cost, kept", [(Decimal("0.285"), "0.29"), ("1.005", "1.01"), (10, "10.00"),
                                        (Decimal("10.075"), "10.08"), (None, None), ("", None)])
def test_the_shipping_cost_is_kept_to_the_cent_half_up(three, cost, kept):
    scan(three, "012345678905", "012345678905", "LAMP-1", "CUP-1", "CUP-1", "CUP-1")
    packing.close_package(three.id, final=True, actor=PACKER)
    shipping.ship_order(three.id, tracking="1Z999AA10123456784", cost=cost, actor=PACKER)
    expected = None if kept is None else Decimal(kept)
    assert Package.get(Package.order == three.id).cost == expected
    assert [p.cost for p in packing.packing_view(three.id).packages] == [expected]


@pytest.mark.parametrize("weight", [-1, 0, 1000.5, float("nan"), float("inf"), True, "2"])
def test_bad_package_weight_is_refused_and_changes_nothing(three, weight):
    scan(three, "LAMP-1")
    with pytest.raises(ValidationError, match="weight"):
        packing.close_package(three.id, final=False, weight_kg=weight, actor=PACKER)
    assert Package.get(Package.order == three.id).status == "open"


def test_pack_batch_is_all_or_nothing_but_mis_scans_are_recorded(three):
    result = packing.pack(three.id, scans=["012345678905", "STOVE-1", "LAMP-1"], close="next", actor=PACKER)
    assert [o.result for o in result.outcomes] == ["ok", "wrong_item", "ok"] and result.closed is None
    assert [o.result for o in result.refused] == ["wrong_item"]
    assert Package.select().count() == 0  # the accepted scans were not kept: nothing of the batch
    assert [(s.result, s.product_id) for s in PackScan.select()] == [("wrong_item", three.products["STOVE"])]
    # a refused close rolls the batch back too
    with pytest.raises(packing.UnverifiedUnits):
        packing.pack(three.id, scans=["LAMP-1"], close="last", actor=PACKER)
    with pytest.raises(NotFound, match="box type"):
        packing.pack(three.id, scans=["LAMP-1"], box="Nope", close="next", actor=PACKER)
    assert packing.packing_view(three.id).verified == 0
    done = packing.pack(three.id, scans=["012345678905", "012345678905", "LAMP-1", "CUP-1", "CUP-1", "CUP-1"],
                        weight_kg=2.5, close="last", actor=PACKER)
    assert done.closed.packing_complete and done.closed.package.weight_kg == 2.5
    with pytest.raises(ValidationError, match="LAST"):
        packing.pack(three.id, close="next", override_reason="why", actor=SUPERVISOR)


@pytest.mark.parametrize("seed", range(12))
def test_random_packing_sessions_never_ship_an_unverified_or_extra_unit(world, frozen_clock, seed):
    """Random scans (good, wrong, unknown, case), boxes closed, voided, overridden and shipped
    in any order: whatever the packer does, what leaves is exactly what was verified (or
    overridden by a supervisor), never more than was picked, and the ledger agrees."""
    import random

    rnd = random.Random(seed)
    prods = make_products(world, [("TENT", "TENT-1"), ("LAMP", "LAMP-1"), ("CUP", "CUP-1"), ("STOVE", "STOVE-1")])
    with db.write():
        catalog.products._link(catalog.find_product(1, "CUP"), 1, "CUP-CASE2", "case", 2)
    order = picked_order(world, f"R{seed}", [("TENT", 3, 2), ("LAMP", 1, 1), ("CUP", 5, 4)], products=prods)
    picked = {"TENT": 2, "LAMP": 1, "CUP": 4}
    codes = ["TENT-1", "LAMP-1", "CUP-1", "CUP-CASE2", "STOVE-1", "NOPE"]
    customer = ledger.location("CUSTOMER").id

    def state():
        view = packing.packing_view(order.id)
        return view, {ln.sku: ln for ln in view.lines}

    for _step in range(45):
        view, lines = state()
        action = rnd.choice(["scan"] * 6 + ["next", "last", "void", "ship", "override"])
        try:
            if action == "scan":
                code = rnd.choice(codes)
                out = packing.verify_scan(order.id, code, actor=PACKER)
                if out.accepted:
                    sku = "CUP" if code.startswith("CUP") else code.split("-")[0]
                    assert lines[sku].verified + out.units <= picked[sku]
            elif action in ("next", "last"):
                result = packing.close_package(order.id, final=action == "last", actor=PACKER)
                if action == "last":
                    assert view.unverified == 0 and result.packing_complete
            elif action == "void":
                live = [p.seq for p in view.packages if p.status in ("open", "closed")]
                if live:
                    packing.void_package(order.id, seq=rnd.choice(live), actor=PACKER)
            elif action == "override":
                result = packing.close_package(order.id, final=True, override_reason="random walk",
                                               actor=SUPERVISOR)
                assert result.packing_complete
            else:
                result = shipping.ship_order(order.id, tracking=f"1Z{seed:03d}{_step:04d}", actor=PACKER)
                # shipping was allowed only with every picked unit verified and no box open
                assert view.unverified == 0 and view.open_package is None or (
                    view.open_package is not None and view.open_package.units == 0 and view.unverified == 0)
                assert result.units == sum(p.units for p in view.packages if p.status == "closed")
        except (packing.UnverifiedUnits, InvalidTransition, ValidationError, NotFound):
            pass
        view, lines = state()
        in_live = {sku: 0 for sku in picked}
        in_done = {sku: 0 for sku in picked}
        in_shipped = {sku: 0 for sku in picked}
        for p in view.packages:
            for sku, _name, qty in p.lines:
                if p.status != "void":
                    in_live[sku] += qty
                if p.status in ("closed", "shipped"):
                    in_done[sku] += qty
                if p.status == "shipped":
                    in_shipped[sku] += qty
        for sku, ln in lines.items():
            assert 0 <= ln.verified <= ln.picked == picked[sku]
            assert ln.verified == in_live[sku] and ln.packed == in_done[sku] and ln.shipped == in_shipped[sku]
            pid = prods[sku]
            moved = db.execute("SELECT COALESCE(SUM(qty), 0) FROM stock_move WHERE product_id = ? "
                               "AND to_location_id = ?", (pid, customer)).fetchone()[0]
            assert moved == in_shipped[sku]
            assert ledger.on_hand(pid, "PACKING") == picked[sku] - in_shipped[sku]
        # a shipped box holds only units that were scanned ok, or boxed by an override
        scanned_ok = {sku: 0 for sku in picked}
        for s in PackScan.select().where((PackScan.order == order.id) & (PackScan.result == "ok")):
            sku = next(k for k, v in prods.items() if v == s.product_id)
            scanned_ok[sku] += 2 if s.code == "CUP-CASE2" else 1
        overridden = Package.select().where((Package.order == order.id) & (Package.override_reason != "")).count()
        if not overridden:
            assert all(in_shipped[sku] <= scanned_ok[sku] for sku in picked)
    assert ledger.check().ok


def test_station_scan_takes_a_tracking_number_only_once_packing_is_complete(three):
    assert packing.station_scan("1Z999AA10123456784", order_id=three.id, actor=PACKER).kind == "unit"
    scan(three, "012345678905", "012345678905", "LAMP-1", "CUP-1", "CUP-1")
    assert packing.station_scan("CUP-1", order_id=three.id, actor=PACKER).outcome.accepted
    # all verified but the box is open: still not a tracking number (an unknown code)
    s = packing.station_scan("1Z999AA10123456784", order_id=three.id, actor=PACKER)
    assert (s.kind, s.outcome.result) == ("unit", "unknown")
    packing.close_package(three.id, final=True, actor=PACKER)
    s = packing.station_scan("1Z999AA10123456784", order_id=three.id, actor=PACKER)
    assert (s.kind, s.tracking) == ("tracking", "1Z999AA10123456784")
    s = packing.station_scan("LAMP-1", order_id=three.id, actor=PACKER)  # a product: one too many
    assert (s.kind, s.outcome.result) == ("unit", "over_scan")
    assert packing.station_scan("1001", order_id=three.id, actor=PACKER).kind == "open"


def test_a_typed_unit_code_is_refused_and_counted(three):
    out = packing.verify_scan(three.id, "LAMP-1", actor=PACKER, keyed=True)
    assert (out.accepted, out.result) == (False, "keyed") and "TYPED, NOT SCANNED" in out.message
    assert packing.packing_view(three.id).verified == 0 and Package.select().count() == 0
    s = packing.station_scan("LAMP-1", order_id=three.id, actor=PACKER, keyed=True)
    assert s.outcome.result == "keyed"
    assert packing.station_scan("1001", order_id=None, actor=PACKER, keyed=True).kind == "open"  # documents may be typed
    (row,) = packing.mis_scan_counts()
    assert (row.keyed, row.mis_scans, row.ok) == (2, 2, 0)
    # a scanner too slow to be told from a person: the warehouse may allow typed units
    packing.set_setting("packing_typed_units", " Allow ", actor=SUPERVISOR)
    assert packing.verify_scan(three.id, "LAMP-1", actor=PACKER, keyed=True).accepted
    with pytest.raises(ValidationError, match="'allow' or 'refuse'"):
        packing.set_setting("packing_typed_units", "sometimes", actor=SUPERVISOR)


def test_a_scan_applied_to_the_view_is_what_the_database_says(three):
    before = packing.packing_view(three.id)
    first = packing.verify_scan(three.id, "LAMP-1", actor=PACKER)
    assert packing.applied_to(before, first) is None  # its box is new: the view must be read
    before = packing.packing_view(three.id)
    assert packing.applied_to(before, first) is None  # a view that has the scan already
    for code in ("CUP-1", "012345678905", "CUP-1", "STOVE-1", "LAMP-1"):
        out = packing.verify_scan(three.id, code, actor=PACKER)
        applied = packing.applied_to(before, out)
        before = packing.packing_view(three.id)
        assert applied == before, code
