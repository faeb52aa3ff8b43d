"""Cycle counts: blind counts by bin, adjustments at finish or after approval, recounts,
moves during a count, and shortages of reserved stock that re-back-order orders."""

from __future__ import annotations

import dataclasses

import pytest

from app import counting, inventory, ledger, orders, picking
from app.kernel.actor import Actor
from app.kernel.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    UnknownBarcode,
    ValidationError,
)
from app.orders import allocation
from app.store import db
from app.store.settings import set_setting

COUNTER = Actor(None, "Cy Counter", "receiver", "counts")


@pytest.fixture
def shelf(world, frozen_clock):
    """TENT: 10 in A-01-01; LAMP: 4 in A-01-02 and 3 in A-02-01; CUP: none anywhere."""
    tent = world.product("TENT", barcode="00012345678905")
    lamp = world.product("LAMP")
    cup = world.product("CUP")
    world.stock(tent.id, "A-01-01", 10)
    world.stock(lamp.id, "A-01-02", 4)
    world.stock(lamp.id, "A-02-01", 3)
    return {"TENT": tent.id, "LAMP": lamp.id, "CUP": cup.id}


def _count_moves() -> list[tuple[int, str, str, int, str]]:
    rows = db.execute("SELECT m.product_id, f.code, t.code, m.qty, m.reason FROM stock_move m "
                      "JOIN location f ON f.id = m.from_location_id JOIN location t ON t.id = m.to_location_id "
                      "WHERE m.doc_type = 'count' ORDER BY m.id").fetchall()
    return [tuple(r) for r in rows]


def test_one_bin_short_one_over_gives_two_adjustments_after_approval(world, shelf):
    set_setting("count_approve_units", "2", actor=world.actor)
    first = counting.create_task(bin_code="A-01-01", actor=world.actor)
    second = counting.create_task(bin_code="A-01-02", actor=world.actor)
    assert (first.number, second.number) == ("CNT000001", "CNT000002")
    counting.cancel_task(first.number, actor=world.actor)
    counting.cancel_task(second.number, actor=world.actor)
    t = counting.create_task(zone="a", actor=world.actor)
    assert t.bins == ("A-01-01", "A-01-02", "A-02-01")
    for _ in range(6):  # TENT by its barcode, one unit a scan: 6 of 10
        counting.scan(t.number, bin_code="A-01-01", code="00012345678905", actor=COUNTER)
    r = counting.scan(t.number, bin_code="A-01-02", code="LAMP", qty=9, actor=COUNTER)
    assert r.message() == "A-01-02: LAMP +9 (counted 9)"
    counting.scan(t.number, bin_code="A-02-01", code="LAMP", qty=3, actor=COUNTER)
    done = counting.finish(t.number, actor=COUNTER)
    assert (done.status, done.adjusted, done.pending) == ("awaiting_approval", 0, 2)
    assert _count_moves() == []
    with pytest.raises(PermissionDenied):
        counting.approve(t.number, actor=COUNTER)
    approved = counting.approve(t.number, actor=world.actor)
    assert (approved.status, approved.adjusted, approved.pending) == ("approved", 2, 0)
    assert _count_moves() == [(shelf["TENT"], "A-01-01", "ADJUSTMENT", 4, "count"),
                              (shelf["LAMP"], "ADJUSTMENT", "A-01-02", 5, "count")]
    assert ledger.on_hand(shelf["TENT"], "A-01-01") == 6
    assert ledger.on_hand(shelf["LAMP"], "A-01-02") == 9
    assert ledger.on_hand(shelf["LAMP"], "A-02-01") == 3
    diffs = {(d.bin_code, d.sku): (d.expected, d.counted, d.difference, d.status, d.adjusted)
             for d in counting.differences(t.number, actor=world.actor)}
    assert diffs == {("A-01-01", "TENT"): (10, 6, -4, "approved", -4),
                     ("A-01-02", "LAMP"): (4, 9, 5, "approved", 5),
                     ("A-02-01", "LAMP"): (3, 3, 0, "ok", 0)}
    assert ledger.check().ok


def test_small_differences_found_stock_and_an_empty_bin_are_adjusted_at_finish(world, shelf):
    t = counting.create_task(zone="A", actor=world.actor)
    counting.scan(t.number, bin_code="A-01-01", code="TENT", qty=8, actor=COUNTER)   # -2
    counting.scan(t.number, bin_code="A-01-01", code="CUP", qty=2, actor=COUNTER)    # found: +2
    counting.count_empty(t.number, bin_code="A-01-02", actor=COUNTER)                # -4
    counting.scan(t.number, bin_code="A-02-01", code="LAMP", qty=3, actor=COUNTER)   # 0
    done = counting.finish(t.number, actor=COUNTER)
    assert (done.status, done.adjusted, done.pending) == ("finished", 3, 0)
    assert done.message() == "CNT000001 finished: 3 lines adjusted"
    assert ledger.on_hand(shelf["TENT"], "A-01-01") == 8
    assert ledger.on_hand(shelf["CUP"], "A-01-01") == 2
    assert ledger.on_hand(shelf["LAMP"], "A-01-02") == 0
    assert sorted(m[3] for m in _count_moves()) == [2, 2, 4]
    with pytest.raises(InvalidTransition):
        counting.scan(t.number, bin_code="A-01-01", code="TENT", actor=COUNTER)


def test_stock_moved_while_the_bin_is_counted_is_not_a_difference(world, shelf):
    t = counting.create_task(bin_code="A-01-01", actor=world.actor)
    counting.scan(t.number, bin_code="A-01-01", code="TENT", qty=4, actor=COUNTER)
    # a transfer takes 3 out and a putaway brings 5 in while the counter is at the shelf
    inventory.transfer("TENT", "A-01-01", "A-02-01", 3, actor=world.actor)
    inventory.move("TENT", "SUPPLIER", "A-01-01", 5, actor=world.actor, kind="receive")
    counting.scan(t.number, bin_code="A-01-01", code="TENT", qty=5, actor=COUNTER)
    done = counting.finish(t.number, actor=COUNTER)
    # 9 counted against 10 when the count began: one unit lost, the moves stand
    assert (done.status, done.adjusted) == ("finished", 1)
    assert ledger.on_hand(shelf["TENT"], "A-01-01") == 11
    assert ledger.on_hand(shelf["TENT"], "A-02-01") == 3


def test_found_stock_of_a_product_moved_in_during_the_count(world, shelf):
    t = counting.create_task(bin_code="A-01-02", actor=world.actor)
    counting.scan(t.number, bin_code="A-01-02", code="LAMP", qty=4, actor=COUNTER)
    inventory.transfer("TENT", "A-01-01", "A-01-02", 2, actor=world.actor)  # after the count began
    counting.scan(t.number, bin_code="A-01-02", code="TENT", qty=1, actor=COUNTER)  # seen one of them
    done = counting.finish(t.number, actor=COUNTER)
    assert done.adjusted == 1
    assert ledger.on_hand(shelf["TENT"], "A-01-02") == 3  # 2 moved + 1 found


def test_a_short_count_of_reserved_stock_rebackorders_the_least_urgent_order(world, shelf, frozen_clock):
    older = orders.create_order("ACME", "1001", [("TENT", 4)], actor=world.actor)
    frozen_clock.advance(minutes=5)
    newer = orders.create_order("ACME", "1002", [("TENT", 4)], actor=world.actor)
    allocation.allocate_orders(actor=world.actor)
    assert ledger.reserved(shelf["TENT"], "A-01-01") == 8
    t = counting.create_task(product="TENT", actor=world.actor)
    counting.scan(t.number, bin_code="A-01-01", code="TENT", qty=4, actor=COUNTER)
    assert counting.finish(t.number, actor=COUNTER).pending == 1  # 6 short: more than 5
    r = counting.approve(t.number, actor=world.actor)
    assert r.orders_released == (newer.id,)
    assert ledger.on_hand(shelf["TENT"], "A-01-01") == 4
    assert ledger.reserved(shelf["TENT"], "A-01-01") == 4
    new_detail, old_detail = orders.order_detail(newer.id), orders.order_detail(older.id)
    assert (new_detail.status, new_detail.lines[0].qty_allocated) == ("backordered", 0)
    assert (old_detail.status, old_detail.lines[0].qty_allocated) == ("allocated", 4)


def test_the_order_losing_a_reservation_is_served_from_another_bin_when_it_can(world, shelf):
    world.stock(shelf["LAMP"], "B-01-01", 2)
    order = orders.create_order("ACME", "2001", [("LAMP", 4)], actor=world.actor)
    allocation.allocate_orders(actor=world.actor)
    assert [(a.bin_code, a.qty) for a in allocation.allocations_for(order_id=order.id)] == [("A-01-02", 4)]
    t = counting.create_task(bin_code="A-01-02", actor=world.actor)
    counting.scan(t.number, bin_code="A-01-02", code="LAMP", qty=1, actor=COUNTER)
    counting.finish(t.number, actor=COUNTER)  # 3 short: within the limit, adjusted now
    assert sorted((a.bin_code, a.qty) for a in allocation.allocations_for(order_id=order.id)) == [
        ("A-01-02", 1), ("A-02-01", 3)]
    assert orders.order_detail(order.id).status == "allocated"


def test_a_recount_opens_a_new_blind_count_of_the_bin(world, shelf):
    t = counting.create_task(bin_code="A-01-01", actor=world.actor)
    counting.scan(t.number, bin_code="A-01-01", code="TENT", qty=1, actor=COUNTER)
    counting.finish(t.number, actor=COUNTER)
    with pytest.raises(ValidationError, match="no difference in A-01-02"):
        counting.recount(t.number, bin_code="A-01-02", actor=world.actor)
    r = counting.recount(t.number, bin_code="A-01-01", actor=world.actor)
    assert (r.status, r.new_number) == ("closed", "CNT000002")
    assert _count_moves() == []
    counting.scan(r.new_number, bin_code="A-01-01", code="TENT", qty=10, actor=COUNTER)
    assert counting.finish(r.new_number, actor=COUNTER).status == "finished"
    assert ledger.on_hand(shelf["TENT"], "A-01-01") == 10
    assert [t.status for t in counting.task_list()] == ["finished", "closed"]


def test_approving_some_lines_leaves_the_rest_waiting(world, shelf):
    t = counting.create_task(zone="A", actor=world.actor)
    counting.scan(t.number, bin_code="A-01-01", code="TENT", qty=1, actor=COUNTER)
    counting.scan(t.number, bin_code="A-01-02", code="LAMP", qty=20, actor=COUNTER)
    counting.count_empty(t.number, bin_code="A-02-01", actor=COUNTER)
    assert counting.finish(t.number, actor=COUNTER).pending == 2
    lamp = next(d.line for d in counting.differences(t.number, actor=world.actor) if d.sku == "LAMP"
                and d.bin_code == "A-01-02")
    r = counting.approve(t.number, lines=[lamp], actor=world.actor)
    assert (r.status, r.adjusted, r.pending) == ("awaiting_approval", 1, 1)
    with pytest.raises(NotFound):
        counting.approve(t.number, lines=[lamp], actor=world.actor)
    assert counting.approve(t.number, actor=world.actor).status == "approved"
    assert ledger.on_hand(shelf["LAMP"], "A-01-02") == 20
    assert ledger.on_hand(shelf["TENT"], "A-01-01") == 1
    assert ledger.on_hand(shelf["LAMP"], "A-02-01") == 0


def test_the_counter_never_gets_the_expected_quantity(world, shelf):
    t = counting.create_task(bin_code="A-01-01", actor=world.actor)
    r = counting.scan(t.number, bin_code="A-01-01", code="TENT", qty=3, actor=COUNTER)
    seen = [dataclasses.asdict(r), dataclasses.asdict(counting.counter_view(t.number))]
    assert "10" not in repr(seen) and "expected" not in repr(seen)
    assert counting.counter_view(t.number).bins[0] == counting.CounterBin("A-01-01", "counting", 3)
    with pytest.raises(PermissionDenied):
        counting.differences(t.number, actor=COUNTER)


def test_refusals_change_nothing(world, shelf):
    t = counting.create_task(bin_code="A-01-01", actor=world.actor)
    with pytest.raises(PermissionDenied):
        counting.create_task(bin_code="A-01-02", actor=COUNTER)
    with pytest.raises(ValidationError, match="A-01-01 is already in count CNT000001"):
        counting.create_task(zone="A", actor=world.actor)
    with pytest.raises(ValidationError, match="exactly one"):
        counting.create_task(bin_code="A-01-01", zone="A", actor=world.actor)
    with pytest.raises(ValidationError, match="is not a bin"):
        counting.create_task(bin_code="RECEIVING", actor=world.actor)
    with pytest.raises(ValidationError, match="nothing was counted"):
        counting.finish(t.number, actor=COUNTER)
    with pytest.raises(ValidationError, match="A-01-02 is not in count CNT000001"):
        counting.scan(t.number, bin_code="A-01-02", code="LAMP", actor=COUNTER)
    with pytest.raises(UnknownBarcode):
        counting.scan(t.number, bin_code="A-01-01", code="NOPE", actor=COUNTER)
    with pytest.raises(ValidationError, match="quantity"):
        counting.scan(t.number, bin_code="A-01-01", code="TENT", qty=0, actor=COUNTER)
    with pytest.raises(NotFound):
        counting.scan("CNT000099", bin_code="A-01-01", code="TENT", actor=COUNTER)
    assert counting.task_list()[0].status == "open"  # no refused scan began the count
    counting.scan(t.number, bin_code="A-01-01", code="TENT", actor=COUNTER)
    with pytest.raises(ValidationError, match="not empty"):
        counting.count_empty(t.number, bin_code="A-01-01", actor=COUNTER)
    assert [(b.code, b.counted) for b in counting.counter_view(t.number).bins] == [("A-01-01", 1)]


def test_stale_and_product_tasks_choose_their_bins(world, shelf, frozen_clock):
    t = counting.create_task(bin_code="A-01-02", actor=world.actor)
    counting.scan(t.number, bin_code="A-01-02", code="LAMP", qty=4, actor=COUNTER)
    counting.finish(t.number, actor=COUNTER)
    frozen_clock.advance(days=3)
    stale = counting.create_task(stale_days=7, actor=world.actor)
    assert stale.bins == ("A-01-01", "A-02-01", "B-01-01")
    counting.cancel_task(stale.number, actor=world.actor)
    assert counting.create_task(stale_days=2, actor=world.actor).bins == ("A-01-01", "A-01-02", "A-02-01",
                                                                          "B-01-01")
    counting.cancel_task("CNT000003", actor=world.actor)
    assert counting.create_task(product="LAMP", client="ACME", actor=world.actor).bins == ("A-01-02", "A-02-01")
    counting.cancel_task("CNT000004", actor=world.actor)
    # the client's stale bins are those holding its goods (B-01-01 is empty)
    assert counting.create_task(stale_days=7, client="ACME", actor=world.actor).bins == ("A-01-01", "A-02-01")
    with pytest.raises(ValidationError, match="no bins to count for zone Z"):
        counting.create_task(zone="Z", actor=world.actor)


def test_a_shortage_reserved_for_a_pick_list_in_progress_is_refused_and_changes_nothing(world, shelf):
    orders.create_order("ACME", "3001", [("TENT", 8)], actor=world.actor)
    allocation.allocate_orders(actor=world.actor)
    picking.create_picklist(actor=world.actor)
    t = counting.create_task(bin_code="A-01-01", actor=world.actor)
    counting.scan(t.number, bin_code="A-01-01", code="TENT", qty=5, actor=COUNTER)  # 5 short, 2 free
    with pytest.raises(Conflict, match="3 of TENT in A-01-01 are reserved for a pick list being picked"):
        counting.finish(t.number, actor=COUNTER)
    assert counting.task_list()[0].status == "counting"
    assert _count_moves() == []
    assert (ledger.on_hand(shelf["TENT"], "A-01-01"), ledger.reserved(shelf["TENT"], "A-01-01")) == (10, 8)
