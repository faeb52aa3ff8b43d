"""Allocation: urgency order, partial allocation, back-orders filled on arrival, release, races."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from app import inventory, ledger, orders
from app.kernel.errors import InvalidTransition, ValidationError
from app.orders import allocation
from app.store import db
from app.store.models import Allocation, InboundShipment, ReceiptLine, StatusChange


def _order(world, number, sku, qty, **fields):
    return orders.create_order("ACME", number, [(sku, qty)], actor=world.actor, **fields)


def _line(order_id):
    return orders.order_detail(order_id).lines[0]


def test_ten_units_for_three_orders_of_four(world, frozen_clock):
    p = world.product("TENT")
    world.stock(p.id, "A-01-01", 10)
    refs = []
    for n in ("1001", "1002", "1003"):
        refs.append(_order(world, n, "TENT", 4))
        frozen_clock.advance(minutes=1)
    result = allocation.allocate_orders(actor=world.actor)
    assert (result.orders, result.lines, result.units) == (3, 3, 10)
    assert (result.allocated, result.partial, result.backordered) == (2, 1, 0)
    details = [orders.order_detail(r.id) for r in refs]
    assert [d.status for d in details] == ["allocated", "allocated", "partially_allocated"]
    assert [d.lines[0].qty_allocated for d in details] == [4, 4, 2]
    assert [d.lines[0].qty_short for d in details] == [0, 0, 2]
    assert details[0].allocated_at == frozen_clock.current
    assert details[2].allocated_at is None
    assert ledger.reserved(p.id, "A-01-01") == 10
    assert ledger.available(p.id) == 0
    # a second run changes nothing
    again = allocation.allocate_orders(actor=world.actor)
    assert again.units == 0
    assert [a.qty for a in allocation.allocations_for(order_id=refs[2].id)] == [2]


def test_priority_then_ship_by_then_oldest(world, frozen_clock):
    p = world.product("LAMP")
    world.stock(p.id, "A-01-01", 3)
    old = _order(world, "OLD", "LAMP", 1)
    frozen_clock.advance(minutes=1)
    late = _order(world, "LATE-SHIP", "LAMP", 1, ship_by="2026-03-20")
    frozen_clock.advance(minutes=1)
    soon = _order(world, "SOON-SHIP", "LAMP", 1, ship_by="2026-03-05")
    frozen_clock.advance(minutes=1)
    urgent = _order(world, "URGENT", "LAMP", 1, priority=5)
    allocation.allocate_orders(actor=world.actor)
    status = {r.number: orders.order_detail(r.id).status for r in (old, late, soon, urgent)}
    # urgent (priority) first, then by ship-by date, undated last even though it is oldest
    assert status == {"URGENT": "allocated", "SOON-SHIP": "allocated", "LATE-SHIP": "allocated",
                      "OLD": "backordered"}


def test_oldest_first_at_equal_urgency_and_bins_in_walk_order(world, frozen_clock):
    p = world.product("POLE")
    world.stock(p.id, "B-01-01", 2)   # seq 40
    world.stock(p.id, "A-01-02", 2)   # seq 20
    first = _order(world, "A", "POLE", 3)
    frozen_clock.advance(minutes=1)
    second = _order(world, "B", "POLE", 3)
    allocation.allocate_orders(actor=world.actor)
    rows = allocation.allocations_for(order_id=first.id)
    assert [(r.bin_code, r.qty) for r in rows] == [("A-01-02", 2), ("B-01-01", 1)]
    assert [(r.bin_code, r.qty) for r in allocation.allocations_for(order_id=second.id)] == [("B-01-01", 1)]
    assert orders.order_detail(second.id).status == "partially_allocated"


def test_staging_stock_is_not_allocated(world):
    p = world.product("CABLE")
    with db.write():
        ledger.apply_move(p.id, ledger.location("SUPPLIER").id, ledger.location("RECEIVING").id,
                             5, kind="receive", actor=world.actor)
    ref = _order(world, "X1", "CABLE", 2)
    result = allocation.allocate_orders(actor=world.actor)
    assert result.units == 0
    assert orders.order_detail(ref.id).status == "backordered"


def test_backorder_filled_when_stock_arrives_with_eta(world, frozen_clock):
    from app.orders import backorders

    p = world.product("STOVE")
    world.stock(p.id, "A-01-01", 10)
    refs = []
    for n in ("2001", "2002", "2003"):
        refs.append(_order(world, n, "STOVE", 4, customer_name=f"Customer {n}",
                           email=f"c{n}@example.com"))
        frozen_clock.advance(minutes=10)
    with db.write():
        ship = InboundShipment.create(client=p.client_id, ref="ASN-7", expected_date=dt.date(2026, 3, 9),
                                      status="open")
        ReceiptLine.create(shipment=ship.id, product=p.id, expected_qty=20, received_qty=0)
        later = InboundShipment.create(client=p.client_id, ref="ASN-8", expected_date=dt.date(2026, 3, 20),
                                       status="open")
        ReceiptLine.create(shipment=later.id, product=p.id, expected_qty=20, received_qty=0)
    allocation.allocate_orders(actor=world.actor)
    rows = backorders.backorder_list()
    assert len(rows) == 1
    row = rows[0]
    assert (row.client, row.sku, row.qty_short, row.qty_available) == ("ACME", "STOVE", 2, 0)
    assert row.orders == ("2003",)
    assert row.eta == "2026-03-09 (ASN-7)"
    assert row.oldest_age.total_seconds() == 10 * 60
    # five more units arrive in a bin: the back-order is allocated in the same transaction
    inventory.adjust(p.id, "A-01-02", 5, reason="found", actor=world.actor)
    detail = orders.order_detail(refs[2].id)
    assert detail.status == "allocated"
    assert detail.lines[0].qty_allocated == 4
    assert ledger.reserved(p.id, "A-01-02") == 2
    assert ledger.available(p.id) == 3
    assert backorders.backorder_list() == []
    assert orders.order_detail(refs[2].id).allocated_at == frozen_clock.current


def test_waiting_fill_ignores_new_orders_and_goes_most_urgent_first(world, frozen_clock):
    """Stock arriving serves waiting back-orders in allocate's order: priority before age."""
    p = world.product("BAG")
    old = _order(world, "OLD", "BAG", 2)
    frozen_clock.advance(minutes=1)
    urgent = _order(world, "URGENT", "BAG", 2, priority=9)
    allocation.allocate_orders(actor=world.actor)
    frozen_clock.advance(minutes=1)
    fresh = _order(world, "FRESH", "BAG", 1)
    inventory.adjust(p.id, "A-01-01", 3, reason="found", actor=world.actor)
    assert orders.order_detail(urgent.id).status == "allocated"
    assert orders.order_detail(old.id).status == "partially_allocated"
    assert orders.order_detail(fresh.id).status == "new"


def test_cancel_releases_and_feeds_backorders(world, frozen_clock):
    p = world.product("MUG")
    world.stock(p.id, "A-01-01", 4)
    first = _order(world, "M1", "MUG", 4)
    frozen_clock.advance(minutes=1)
    second = _order(world, "M2", "MUG", 3)
    allocation.allocate_orders(actor=world.actor)
    assert orders.order_detail(second.id).status == "backordered"
    with pytest.raises(ValidationError):
        orders.cancel_order(first.id, actor=world.actor, reason=" ")
    orders.cancel_order(first.id, actor=world.actor, reason="customer changed mind")
    d1, d2 = orders.order_detail(first.id), orders.order_detail(second.id)
    assert d1.status == "cancelled" and d1.cancelled_at == frozen_clock.current
    assert (d1.lines[0].qty_allocated, d1.lines[0].qty_cancelled) == (0, 4)
    assert d2.status == "allocated"
    assert ledger.reserved(p.id, "A-01-01") == 3
    assert Allocation.select().count() == 1
    with pytest.raises(InvalidTransition):
        orders.cancel_order(first.id, actor=world.actor, reason="again")
    notes = [(s.from_status, s.to_status, s.note) for s in
             StatusChange.select().where(StatusChange.doc_id == first.id).order_by(StatusChange.id)]
    assert notes == [("", "new", ""), ("new", "allocated", ""),
                     ("allocated", "cancelled", "customer changed mind")]


def test_release_line_for_a_short_pick(world):
    p = world.product("CUP")
    world.stock(p.id, "A-01-01", 2)
    world.stock(p.id, "A-02-01", 2)
    ref = _order(world, "C1", "CUP", 4)
    allocation.allocate_orders(actor=world.actor)
    line = _line(ref.id)
    released = allocation.release_line(line.id, 1, actor=world.actor,
                                       location_id=ledger.location("A-01-01").id)
    assert released == 1
    assert ledger.reserved(p.id, "A-01-01") == 1
    assert orders.recompute_status(ref.id, actor=world.actor) == "partially_allocated"
    assert _line(ref.id).qty_short == 1
    assert allocation.release_line(line.id, actor=world.actor) == 3
    assert orders.recompute_status(ref.id, actor=world.actor) == "backordered"
    assert Allocation.select().count() == 0


def test_allocate_one_client_or_some_orders(world):
    from app import catalog

    catalog.add_client("BETA", "Beta Ltd")
    p = world.product("A1")
    q = world.product("B1", client="BETA")
    world.stock(p.id, "A-01-01", 5)
    world.stock(q.id, "A-01-02", 5)
    a = _order(world, "1", "A1", 1)
    b = orders.create_order("BETA", "1", [("B1", 1)], actor=world.actor)
    assert allocation.allocate_orders(actor=world.actor, client="BETA").units == 1
    assert orders.order_detail(a.id).status == "new"
    assert orders.order_detail(b.id).status == "allocated"
    assert allocation.allocate_orders(actor=world.actor, order_ids=[]).orders == 0
    assert allocation.allocate_orders(actor=world.actor, order_ids=[a.id]).units == 1


def test_concurrent_allocation_never_over_reserves(world):
    """Two connections (threads) race for the last units, many rounds, on both databases."""
    p = world.product("HOT")
    rounds = 50
    errors: list[BaseException] = []
    for r in range(rounds):
        world.stock(p.id, "A-01-01" if r % 2 else "A-02-01", 3)
        a = _order(world, f"R{r}-A", "HOT", 2)
        b = _order(world, f"R{r}-B", "HOT", 2)
        barrier = threading.Barrier(2)

        def run(order_id, barrier=barrier):
            try:
                barrier.wait(timeout=10)
                allocation.allocate_orders(actor=world.actor, order_ids=[order_id])
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.close()

        threads = [threading.Thread(target=run, args=(oid,)) for oid in (a.id, b.id)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors, errors
        total_reserved = sum(ledger.reserved(p.id, b) for b in ("A-01-01", "A-02-01"))
        total_on_hand = sum(ledger.on_hand(p.id, b) for b in ("A-01-01", "A-02-01"))
        assert total_reserved <= total_on_hand
        # every unit on hand is reserved: 3 units per round for 4 units ordered per round
        assert total_reserved == total_on_hand == 3 * (r + 1)
        assert ledger.available(p.id) == 0
        rows = db.execute("SELECT COUNT(*) FROM stock_level WHERE reserved > on_hand").fetchone()
        assert rows[0] == 0
    assert ledger.check().ok


def test_two_stations_allocating_everything_at_once_never_double_reserve(world):
    """Both threads allocate all open orders (the same lines): no line gets more than it needs."""
    p = world.product("TWIN")
    errors: list[BaseException] = []
    for r in range(30):
        world.stock(p.id, "A-01-01", 5)
        for k in range(3):
            _order(world, f"T{r}-{k}", "TWIN", 2)
        barrier = threading.Barrier(2)

        def run(barrier=barrier):
            try:
                barrier.wait(timeout=10)
                allocation.allocate_orders(actor=world.actor)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors, errors
        over = db.execute(
            "SELECT COUNT(*) FROM order_line ol WHERE ol.qty_allocated > ol.qty_ordered OR ol.qty_allocated <> "
            "(SELECT COALESCE(SUM(a.qty), 0) FROM allocation a WHERE a.order_line_id = ol.id)").fetchone()[0]
        assert over == 0
        assert ledger.reserved(p.id, "A-01-01") == ledger.on_hand(p.id, "A-01-01") == 5 * (r + 1)


def test_a_deadlock_victim_run_is_repeated(world, monkeypatch):
    p = world.product("DL")
    world.stock(p.id, "A-01-01", 2)
    ref = _order(world, "D1", "DL", 2)

    class DeadlockError(Exception):
        pgcode = "40P01"

    real = allocation._allocate
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise DeadlockError("deadlock detected")
        return real(*args, **kwargs)

    monkeypatch.setattr(allocation, "_allocate", flaky)
    assert allocation.allocate_orders(actor=world.actor).units == 2
    assert len(calls) == 2
    assert orders.order_detail(ref.id).status == "allocated"
    calls.clear()
    monkeypatch.setattr(allocation, "_allocate", lambda *a, **k: (_ for _ in ()).throw(DeadlockError("x")))
    with pytest.raises(DeadlockError):
        allocation.allocate_orders(actor=world.actor)


_STATION = """
import sys
sys.path.insert(0, sys.argv[1])
from app.orders import allocation
from app.store import db
from app.kernel.actor import Actor

db.connect(sys.argv[2], migrate=False)
ids = [int(x) for x in sys.argv[3].split(",")]
name = sys.argv[4]
print("ready", flush=True)
sys.stdin.readline()  # "go": every process starts its rounds at once, however slow its start
if name == "cli":  # the headless command, as a cron job would run it, once the race is under way
    from app.cli import main

    sys.exit(main(["--db", sys.argv[2], "allocate"]))
actor = Actor(None, "station " + name, "supervisor", name)
for i, oid in enumerate(ids):
    allocation.allocate_orders(actor=actor, order_ids=[oid])
    print(i + 1, flush=True)
db.close()
"""


def test_two_processes_race_for_the_last_units(world, tmp_path):
    """Two station processes allocate competing orders for the last units, round after round,
    while a third runs ``main.py allocate`` over everything: reserved never exceeds on hand."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    rounds = 40
    a_ids, b_ids, products = [], [], []
    for r in range(rounds):
        p = world.product(f"PROC-{r}")
        world.stock(p.id, "A-01-01" if r % 2 else "A-02-01", 3)
        products.append(p.id)
        a_ids.append(_order(world, f"P{r}-A", f"PROC-{r}", 2).id)
        b_ids.append(_order(world, f"P{r}-B", f"PROC-{r}", 2).id)
    url = world.db.url
    db.close()  # the stations get the database to themselves
    script = tmp_path / "station.py"
    script.write_text(_STATION, encoding="utf-8")

    def station(ids, name):
        return subprocess.Popen([sys.executable, str(script), str(root), url, ",".join(map(str, ids)), name],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)

    north, south, cli = procs = [station(a_ids, "north"), station(b_ids, "south"), station([0], "cli")]
    # Pipes, not polling: each station says "ready" and blocks until it reads "go".
    for proc in procs:
        assert proc.stdout.readline() == "ready\n", proc.communicate()
    for proc in (north, south):
        proc.stdin.write("go\n")
        proc.stdin.flush()
    while (line := north.stdout.readline()) and line != "10\n":  # the race is under way
        pass
    cli.stdin.write("go\n")
    cli.stdin.flush()
    results = [(p.wait(timeout=120), p.communicate()[1]) for p in procs]
    assert [code for code, _ in results] == [0, 0, 0], results  # stderr may carry log lines
    db.connect(url, migrate=False)
    over = db.execute("SELECT COUNT(*) FROM stock_level WHERE reserved > on_hand").fetchone()[0]
    assert over == 0
    for r, pid in enumerate(products):
        bin_code = "A-01-01" if r % 2 else "A-02-01"
        assert ledger.reserved(pid, bin_code) == ledger.on_hand(pid, bin_code) == 3, f"round {r}"
        a, b = _line(a_ids[r]), _line(b_ids[r])
        # one order got both of its units, the other the last one: 2 + 1, never 2 + 2
        assert sorted((a.qty_allocated, b.qty_allocated)) == [1, 2], f"round {r}"
    stations = {s for (s,) in db.execute(
        "SELECT DISTINCT station FROM status_change WHERE doc_type = 'order' AND to_status <> 'new'").fetchall()}
    # the race was real: the north station and at least one other process reserved stock
    assert "north" in stations and len(stations & {"north", "south", "cli"}) >= 2, stations
    assert ledger.check().ok


def test_the_customer_who_ordered_first_is_served_first_whatever_the_file_order(world, frozen_clock, tmp_path):
    """Shopify exports list the newest order first: importing one must not hand the last unit
    to the newest customer. The shop's order time decides, then the warehouse's receipt."""
    from app.orders import importers
    from tests.app.orders.test_shopify import _export, _first

    p = world.product("TENT-1")
    world.stock(p.id, "A-01-01", 1)
    path = _export(tmp_path / "orders_export.csv", [
        _first("#1003", **{"Created at": "2025-10-09 08:00:00 +0000"}),
        _first("#1002", **{"Created at": "2025-10-08 23:00:00 -0400"}),  # 10-09 03:00 UTC: the oldest
        _first("#1001", **{"Created at": "2025-10-09 05:30:00 +0200"}),  # 10-09 03:30 UTC
    ])
    importers.import_orders(path, client_code="ACME", actor=world.actor)
    allocation.allocate_orders(actor=world.actor)
    status = {n: orders.order_detail(orders.find_order(n).id).status for n in ("#1001", "#1002", "#1003")}
    assert status == {"#1002": "allocated", "#1001": "backordered", "#1003": "backordered"}
    # the back-order queue follows the same order: #1001 (03:30 UTC) before #1003 (08:00 UTC)
    from app.orders import backorders

    (row,) = backorders.backorder_list()
    assert row.orders == ("#1001", "#1003")
    orders.cancel_order(orders.find_order("#1002").id, actor=world.actor, reason="test")
    assert orders.order_detail(orders.find_order("#1001").id).status == "allocated"


def test_a_run_reports_its_steps_as_it_goes(world):
    p = world.product("TENT")
    world.stock(p.id, "A-01-01", 10)
    _order(world, "1001", "TENT", 4)
    seen: list[tuple[int, int]] = []
    result = allocation.allocate_orders(actor=world.actor, progress=lambda done, total: seen.append((done, total)))
    assert result.units == 4
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert len(allocation.ALLOCATION_STEPS) == 3


def test_a_big_run_is_told_with_thousands_separated():
    result = allocation.AllocationResult(orders=100_000, lines=250_000, units=498_977, allocated=99_047, partial=874,
                                         backordered=79, lines_served=249_545, orders_served=99_921)
    assert result.text() == ("498,977 units reserved for 249,545 lines of 99,921 orders; of 100,000 orders waiting "
                             "for stock, 99,047 allocated, 874 partially allocated, 79 back-ordered")
