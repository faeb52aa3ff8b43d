"""A supervisor's bins: the list with what each holds, an emptied bin closed (no putaway,
transfer, restock, allocation or count uses it) and opened again; a bin holding units stays open."""

from __future__ import annotations

import pytest

from app import counting, inventory, ledger, orders, receiving
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.orders import allocation
from app.store.models import AuditEvent
from tests.support.helpers import BINS

PACKER = Actor(None, "pat", "packer", "test")


def test_a_bin_emptied_then_closed_is_left_out_until_opened_again(world):
    tent = world.product("TENT", barcode="012345678905")
    world.stock(tent.id, "A-01-01", 5)
    world.stock(tent.id, "A-01-02", 3)
    shown = {b.code: b for b in ledger.bins_overview()}
    assert list(shown) == list(BINS) and (shown["A-01-01"].on_hand, shown["A-01-01"].active) == (5, True)
    order = orders.create_order("ACME", "1001", [("TENT", 2)], actor=world.actor)
    allocation.allocate_orders(actor=world.actor, order_ids=[order.id])
    with pytest.raises(Conflict, match="A-01-01 holds 5 units, 2 of them reserved for orders: move them"):
        ledger.set_bin_open("A-01-01", False, actor=world.actor)
    with pytest.raises(Conflict, match="A-01-02 holds 3 units: move them to another bin first"):
        ledger.set_bin_open("A-01-02", False, actor=world.actor)
    inventory.transfer(tent.id, "A-01-02", "A-02-01", 3, actor=world.actor)  # emptied
    closed = ledger.set_bin_open("a-01-02", False, actor=world.actor)
    assert (closed.code, closed.active, closed.on_hand, closed.reserved) == ("A-01-02", False, 0, 0)
    world.product("LAMP", zone="A")
    # zone A's only empty bin is the closed one: none is offered
    assert receiving.putaway_suggestion("LAMP").reason == "no empty bin left in zone A"
    task = counting.create_task(zone="A", actor=world.actor)
    assert "A-01-02" not in task.bins and "A-01-01" in task.bins
    counting.cancel_task(task.number, actor=world.actor)
    assert ledger.set_bin_open("A-01-02", True, actor=world.actor).active
    assert receiving.putaway_suggestion("LAMP").bin_code == "A-01-02"
    assert [(e.kind, e.detail) for e in AuditEvent.select().where(
        AuditEvent.kind.in_(["location_closed", "location_opened"])).order_by(AuditEvent.id)] == [
        ("location_closed", "A-01-02"), ("location_opened", "A-01-02")]
    assert ledger.check().ok


def test_closing_a_bin_is_a_supervisors_and_only_a_bins(world):
    with pytest.raises(PermissionDenied):
        ledger.set_bin_open("A-01-01", False, actor=PACKER)
    with pytest.raises(ValidationError, match="RECEIVING is a .* location: only bins"):
        ledger.set_bin_open("RECEIVING", False, actor=world.actor)
    with pytest.raises(NotFound):
        ledger.set_bin_open("Z-99", False, actor=world.actor)
    assert all(b.active for b in ledger.bins_overview())


def test_nothing_is_put_away_transferred_or_restocked_into_a_closed_bin(world):
    tent = world.product("TENT", barcode="012345678905")
    world.stock(tent.id, "A-01-02", 3)
    ledger.set_bin_open("A-01-01", False, actor=world.actor)  # empty
    with pytest.raises(ValidationError, match="bin A-01-01 is closed: use another bin"):
        inventory.transfer(tent.id, "A-01-02", "A-01-01", 1, actor=world.actor)
    inventory.move(tent.id, "SUPPLIER", "RECEIVING", 2, actor=world.actor, kind="receive")
    with pytest.raises(ValidationError, match="bin A-01-01 is closed"):
        receiving.putaway("TENT", "A-01-01", actor=world.actor)
    assert ledger.on_hand(tent.id, "RECEIVING") == 2 and ledger.on_hand(tent.id, "A-01-01") == 0
    assert receiving.putaway("TENT", "A-01-02", actor=world.actor).units == 2
    assert ledger.check().ok
