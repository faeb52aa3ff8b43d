"""A short pick of reason ``empty``: the bin is written down to nothing, the reservations it
no longer backs are taken back from the least urgent orders, and the most urgent order keeps
what can still be had."""

from __future__ import annotations

import pytest

from app import ledger, orders, picking
from app.kernel.errors import ValidationError
from app.orders import allocation
from app.store.models import AuditEvent, OrderLine


@pytest.fixture
def two_orders(world, frozen_clock):
    """8 EGG in A-01-01; E-1 (priority 9) and E-2 (priority 0) want 4 each, both allocated there."""
    egg = world.product("EGG", barcode="BC-EGG")
    world.stock(egg.id, "A-01-01", 8)
    ids = {}
    for number, priority in (("E-1", 9), ("E-2", 0)):
        ids[number] = orders.create_order("ACME", number, [("EGG", 4)], actor=world.actor, priority=priority).id
    allocation.allocate_orders(actor=world.actor, order_ids=list(ids.values()))
    assert ledger.reserved(egg.id, "A-01-01") == 8
    return world, egg.id, ids


def line(order_id: int) -> OrderLine:
    return OrderLine.get(OrderLine.order == order_id)


@pytest.mark.parametrize(("elsewhere", "rerouted", "backordered", "e2_allocated", "e2_status"), [
    (0, 0, 3, 0, "backordered"),  # nothing anywhere: both wait
    (2, 2, 1, 0, "backordered"),  # 2 elsewhere: both go to E-1, the more urgent
    (5, 3, 0, 2, "partially_allocated"),  # 5 elsewhere: E-1's 3 first, E-2 the 2 left
])
def test_an_empty_bin_is_written_down_and_the_urgent_order_keeps_what_is_left(
        two_orders, elsewhere, rerouted, backordered, e2_allocated, e2_status):
    world, egg, ids = two_orders
    if elsewhere:
        world.stock(egg, "A-02-01", elsewhere)
    ref = picking.create_picklist(actor=world.actor, max_orders=1)
    assert [o.order_number for o in picking.picklist_view(ref.id).orders] == ["E-1"]
    picking.confirm_pick(ref.id, bin_code="A-01-01", scan_code="BC-EGG", tote=1, actor=world.actor)
    res = picking.short_pick(ref.id, bin_code="A-01-01", product="EGG", qty_short=3, reason="empty",
                             actor=world.actor)
    # the picker said the bin is empty: the 7 the books still had there are written off
    assert res.written_off == 7
    assert ledger.on_hand(egg, "A-01-01") == 0 and ledger.reserved(egg, "A-01-01") == 0
    assert sum(r.qty for r in res.rerouted) == rerouted and res.backordered == backordered
    # E-1 (urgent): 1 picked, what was free elsewhere rerouted to it
    e1 = line(ids["E-1"])
    assert (e1.qty_picked, e1.qty_allocated) == (1, rerouted)
    # E-2 lost its reservation in the empty bin and got only what E-1 left
    e2 = line(ids["E-2"])
    assert e2.qty_allocated == e2_allocated
    assert orders.order_detail(ids["E-2"]).status == e2_status
    assert ledger.reserved(egg, "A-02-01") == rerouted + e2_allocated
    taken = AuditEvent.get(AuditEvent.kind == "reservation_taken_back")
    assert "4 units from order E-2" in taken.detail and ref.number in taken.detail
    # no later wave sends a picker to the empty bin
    if e2_allocated:
        later = picking.create_picklist(actor=world.actor, include_partial=True)
        assert [s.bin_code for s in picking.picklist_view(later.id).stops] == ["A-02-01"]
    else:
        with pytest.raises(ValidationError, match="no allocated orders match"):
            picking.create_picklist(actor=world.actor, include_partial=True)
    assert ledger.check().ok


def test_an_empty_bin_keeps_what_another_open_list_still_has_to_pick(two_orders):
    world, egg, ids = two_orders
    first = picking.create_picklist(actor=world.actor, max_orders=1)  # E-1
    second = picking.create_picklist(actor=world.actor)  # E-2, walked by another picker
    assert [o.order_number for o in picking.picklist_view(second.id).orders] == ["E-2"]
    res = picking.short_pick(first.id, bin_code="A-01-01", product="EGG", qty_short=4, reason="empty",
                             actor=world.actor)
    # E-2's 4 are on a list being walked: they stay until that picker says (never taken back)
    assert res.written_off == 4 and res.backordered == 4
    assert ledger.on_hand(egg, "A-01-01") == 4 and ledger.reserved(egg, "A-01-01") == 4
    assert line(ids["E-2"]).qty_allocated == 4
    res = picking.short_pick(second.id, bin_code="A-01-01", product="EGG", qty_short=4, reason="empty",
                             actor=world.actor)
    assert res.written_off == 4 and ledger.on_hand(egg, "A-01-01") == 0
    assert ledger.check().ok
