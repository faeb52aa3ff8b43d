"""A supervisor's bins: the list with what each holds, a bin closed (no allocation, putaway or
count uses it; its units stay on hand) and opened again; a bin with reserved units stays open."""

from __future__ import annotations

import pytest

from app import inventory, ledger, orders, receiving
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.orders import allocation
from app.store.models import AuditEvent
from tests.support.helpers import BINS

PACKER = Actor(None, "pat", "packer", "test")


def test_bins_closed_are_left_out_of_allocation_putaway_and_counts(world):
    tent = world.product("TENT", barcode="012345678905")
    world.stock(tent.id, "A-01-01", 5)
    world.stock(tent.id, "A-01-02", 3)
    shown = {b.code: b for b in ledger.bins_overview()}
    assert list(shown) == list(BINS) and (shown["A-01-01"].on_hand, shown["A-01-01"].active) == (5, True)
    closed = ledger.set_bin_open("a-01-01", False, actor=world.actor)
    assert (closed.code, closed.active, closed.on_hand, closed.reserved) == ("A-01-01", False, 5, 0)
    assert ledger.on_hand(tent.id, "A-01-01") == 5  # the units stay where they are
    order = orders.create_order("ACME", "1001", [("TENT", 6)], actor=world.actor)
    allocation.allocate_orders(actor=world.actor, order_ids=[order.id])
    held = {b.code: b.reserved for b in ledger.bins_overview()}
    assert held["A-01-01"] == 0 and held["A-01-02"] == 3  # only the open bin's units are reserved
    assert receiving.putaway_suggestion("TENT", client_id=tent.client_id).bin_code != "A-01-01"
    with pytest.raises(Conflict, match="A-01-02 holds 3 unit\\(s\\) reserved for orders"):
        ledger.set_bin_open("A-01-02", False, actor=world.actor)
    assert ledger.set_bin_open("A-01-01", True, actor=world.actor).active
    assert [(e.kind, e.detail) for e in AuditEvent.select().where(
        AuditEvent.kind.in_(["location_closed", "location_opened"])).order_by(AuditEvent.id)] == [
        ("location_closed", "A-01-01"), ("location_opened", "A-01-01")]
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
    ledger.set_bin_open("A-01-01", False, actor=world.actor)
    with pytest.raises(ValidationError, match="bin A-01-01 is closed: use another bin"):
        inventory.transfer(tent.id, "A-01-02", "A-01-01", 1, actor=world.actor)
    inventory.move(tent.id, "SUPPLIER", "RECEIVING", 2, actor=world.actor, kind="receive")
    with pytest.raises(ValidationError, match="bin A-01-01 is closed"):
        receiving.putaway("TENT", "A-01-01", actor=world.actor)
    assert ledger.on_hand(tent.id, "RECEIVING") == 2 and ledger.on_hand(tent.id, "A-01-01") == 0
    assert receiving.putaway("TENT", "A-01-02", actor=world.actor).units == 2
    assert ledger.check().ok
