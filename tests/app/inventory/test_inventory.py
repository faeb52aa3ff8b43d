"""Inventory: moves, transfers and adjustments decided by a person, and the back-orders they fill."""

from __future__ import annotations

import pytest

from app import inventory, ledger, orders
from app.kernel.errors import PermissionDenied, PrepDeskError, ValidationError
from app.orders import allocation


def _backorder(world, frozen_clock):
    """10 STOVE in A-01-01 for three orders of 4: the third is 2 short."""
    p = world.product("STOVE", barcode="012345678905")
    world.stock(p.id, "A-01-01", 10)
    refs = []
    for n in ("3001", "3002", "3003"):
        refs.append(orders.create_order("ACME", n, [("STOVE", 4)], actor=world.actor))
        frozen_clock.advance(hours=1)
    allocation.allocate_orders(actor=world.actor)
    assert orders.order_detail(refs[2].id).lines[0].qty_short == 2
    return p, refs[2]


@pytest.mark.parametrize("arrival", ["adjust_up", "transfer_from_receiving", "move_from_supplier"])
def test_stock_reaching_a_bin_fills_the_waiting_backorder(world, frozen_clock, arrival):
    p, waiting = _backorder(world, frozen_clock)
    if arrival == "adjust_up":
        inventory.adjust(p.id, "A-01-02", 3, reason="found", actor=world.actor)
    elif arrival == "transfer_from_receiving":
        world.stock(p.id, "RECEIVING", 3)
        inventory.transfer(p.id, "RECEIVING", "A-01-02", 3, actor=world.actor)
    else:
        inventory.move(p.id, "SUPPLIER", "A-01-02", 3, actor=world.actor, kind="receive")
    d = orders.order_detail(waiting.id)
    assert (d.status, d.lines[0].qty_allocated, d.lines[0].qty_short) == ("allocated", 4, 0)
    assert ledger.reserved(p.id, "A-01-02") == 2


@pytest.mark.parametrize("arrival", ["adjust_into_receiving", "transfer_between_bins"])
def test_stock_that_reaches_no_new_bin_fills_nothing(world, frozen_clock, arrival):
    p, waiting = _backorder(world, frozen_clock)
    if arrival == "adjust_into_receiving":
        inventory.adjust(p.id, "RECEIVING", 3, reason="found", actor=world.actor)
    else:
        world.stock(p.id, "A-02-01", 3)  # arrives from SUPPLIER by the test's own move
        inventory.transfer(p.id, "A-02-01", "A-01-02", 3, actor=world.actor)
    assert orders.order_detail(waiting.id).lines[0].qty_short == 2


def test_a_failed_fill_undoes_the_adjustment(world, frozen_clock, monkeypatch):
    p, waiting = _backorder(world, frozen_clock)

    def broken(*args, **kwargs):
        raise PrepDeskError("allocation failed")

    monkeypatch.setattr(allocation, "allocate_waiting", broken)
    with pytest.raises(PrepDeskError, match="allocation failed"):
        inventory.adjust(p.id, "A-01-02", 5, reason="found", actor=world.actor)
    assert ledger.on_hand(p.id, "A-01-02") == 0
    assert orders.order_detail(waiting.id).lines[0].qty_short == 2


def test_refusals_change_nothing(world):
    p = world.product("TENT")
    world.stock(p.id, "A-01-01", 5)
    with pytest.raises(ValidationError, match="not a real location"):
        inventory.transfer(p.id, "A-01-01", "CUSTOMER", 1, actor=world.actor)
    with pytest.raises(ValidationError, match="unknown reason"):
        inventory.adjust(p.id, "A-01-01", 1, reason="because", actor=world.actor)
    with pytest.raises(ValidationError, match="is virtual"):
        inventory.adjust(p.id, "SCRAP", 1, reason="count", actor=world.actor)
    packer = world.actor.__class__(None, "pat", "packer", "test")
    with pytest.raises(PermissionDenied):
        inventory.adjust(p.id, "A-01-01", -1, reason="lost", actor=packer)
    assert ledger.on_hand(p.id, "A-01-01") == 5
    assert inventory.ADJUST_REASONS[0] == "count"
