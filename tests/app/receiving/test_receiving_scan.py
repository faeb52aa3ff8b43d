"""The receiving desk's scan router, the one-transaction unknown-code receipt, the shipment's
state table and the changes each service notes."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from app import catalog, ledger, receiving
from app.kernel.errors import Conflict, InvalidTransition, NotFound, UnknownBarcode, ValidationError
from app.kernel.states import TRANSITIONS, ShipmentStatus
from app.store import audit, changes, db
from app.store.models import InboundShipment, ProductBarcode, StatusChange, StockMove


@pytest.fixture
def desk(world, frozen_clock):
    w = world.product("WIDGET-1", barcode="012345678905", zone="A")
    g = world.product("GADGET-2", barcode="GAD-2", zone="B")
    ship = receiving.create_shipment("ACME", "ASN-100", [("WIDGET-1", 10), ("GADGET-2", 4)],
                                     actor=world.actor, expected_date=dt.date(2026, 3, 5))
    return world, w, g, ship


@pytest.fixture
def noted():
    seen: list[changes.Changes] = []
    stop = changes.listen(seen.append)
    yield seen
    stop()


# --- The state table ---------------------------------------------------------------------

ALLOWED = sorted((a, b) for a, targets in TRANSITIONS[ShipmentStatus].items() for b in targets)
REFUSED = [(a, b) for a, b in itertools.product(ShipmentStatus, ShipmentStatus)
           if (a, b) not in ALLOWED]


def test_the_table_is_the_desk_s_flow():
    assert sorted(ALLOWED) == sorted([
        (ShipmentStatus.OPEN, ShipmentStatus.RECEIVING), (ShipmentStatus.OPEN, ShipmentStatus.CLOSED),
        (ShipmentStatus.OPEN, ShipmentStatus.CANCELLED), (ShipmentStatus.RECEIVING, ShipmentStatus.CLOSED)])


@pytest.mark.parametrize(("from_state", "to_state"), ALLOWED)
def test_allowed_transition_writes_and_records(desk, from_state, to_state):
    world, w, g, ship = desk
    InboundShipment.update(status=from_state.value).where(InboundShipment.id == ship.id).execute()
    with db.write():
        audit.transition(ShipmentStatus, ship.id, from_state, to_state, actor=world.actor,
                         client_id=ship.client_id)
    assert InboundShipment.get_by_id(ship.id).status == to_state
    last = StatusChange.select().order_by(StatusChange.id.desc()).get()
    assert (last.doc_type, last.from_status, last.to_status) == ("receipt", from_state, to_state)


@pytest.mark.parametrize(("from_state", "to_state"), REFUSED)
def test_refused_transition_changes_nothing(desk, from_state, to_state):
    world, w, g, ship = desk
    InboundShipment.update(status=from_state.value).where(InboundShipment.id == ship.id).execute()
    before = StatusChange.select().count()
    with pytest.raises(InvalidTransition), db.write():
        audit.transition(ShipmentStatus, ship.id, from_state, to_state, actor=world.actor,
                         client_id=ship.client_id)
    assert InboundShipment.get_by_id(ship.id).status == from_state
    assert StatusChange.select().count() == before


def test_services_walk_the_table(desk):
    world, w, g, ship = desk
    receiving.receive_scan(ship.id, "GAD-2", actor=world.actor)
    with pytest.raises(InvalidTransition, match="cannot go from receiving to cancelled"):
        receiving.cancel_shipment(ship.id, actor=world.actor)
    receiving.close_shipment(ship.id, actor=world.actor)
    with pytest.raises(InvalidTransition, match="cannot go from closed to closed"):
        receiving.close_shipment(ship.id, actor=world.actor)
    other = receiving.create_shipment("ACME", "ASN-101", [("GADGET-2", 1)], actor=world.actor)
    receiving.cancel_shipment(other.id, actor=world.actor, reason="never sent")
    assert [(s.doc_id, s.from_status, s.to_status) for s in StatusChange.select().where(
        StatusChange.doc_type == "receipt").order_by(StatusChange.id)] == [
        (ship.id, "", "open"), (ship.id, "open", "receiving"), (ship.id, "receiving", "closed"),
        (other.id, "", "open"), (other.id, "open", "cancelled")]


def test_a_shipment_moved_at_another_desk_is_a_conflict(desk):
    world, w, g, ship = desk
    with pytest.raises(Conflict), db.write():
        audit.transition(ShipmentStatus, ship.id, ShipmentStatus.RECEIVING, ShipmentStatus.CLOSED,
                         actor=world.actor, client_id=ship.client_id)


# --- Changes noted -----------------------------------------------------------------------


def test_each_scan_and_undo_notes_stock_and_receipt_once(desk, noted):
    world, w, g, ship = desk
    receiving.receive_scan(ship.id, "GAD-2", actor=world.actor)  # the first: open -> receiving
    receiving.receive_scan(ship.id, "GAD-2", actor=world.actor)
    receiving.undo_receipt(ship.id, actor=world.actor)
    receiving.add_line(ship.id, "GADGET-2", 1, actor=world.actor)
    assert [sorted(c.kinds) for c in noted] == [["receipt", "stock"]] * 3 + [["receipt"]]
    assert all(c.kinds["receipt"] == frozenset({ship.id}) for c in noted)


# --- Unknown codes: link or create, and receive, in one transaction -------------------------


def test_unknown_code_linked_and_received_in_one_transaction(desk, noted):
    world, w, g, ship = desk
    with pytest.raises(UnknownBarcode):
        receiving.receive_scan(ship.id, "CASE-OF-6", actor=world.actor)
    result = receiving.receive_unknown(ship.id, "CASE-OF-6", actor=world.actor, link_to=w.id, pack_qty=6)
    assert (result.sku, result.units, result.line.received, result.first_scan) == ("WIDGET-1", 6, 6, True)
    assert ProductBarcode.get(ProductBarcode.code == "CASE-OF-6").pack_qty == 6
    assert len(noted) == 1 and {"stock", "receipt"} <= set(noted[0].kinds)


def test_unknown_code_creates_the_product_as_an_extra_line(desk):
    world, w, g, ship = desk
    result = receiving.receive_unknown(ship.id, "MUG-CODE", actor=world.actor, new_sku="MUG-9",
                                       new_name="Enamel mug", damaged=True)
    assert (result.sku, result.extra, result.damaged, result.location) == ("MUG-9", True, True, "QUARANTINE")
    assert catalog.find_product(ship.client_id, "MUG-9") is not None


def test_a_refused_unknown_receipt_keeps_no_link(desk):
    world, w, g, ship = desk
    catalog.add_client("OTHER", "Other Co.")
    stranger = world.product("STRANGE-1", client="OTHER")
    with pytest.raises(UnknownBarcode):  # not the shipment's client's product: nothing kept
        receiving.receive_unknown(ship.id, "ODD-CODE", actor=world.actor, link_to=stranger.id)
    assert ProductBarcode.get_or_none(ProductBarcode.code == "ODD-CODE") is None
    with pytest.raises(ValidationError):
        receiving.receive_unknown(ship.id, "ODD-CODE", actor=world.actor)
    receiving.close_shipment(ship.id, actor=world.actor)
    with pytest.raises(InvalidTransition):
        receiving.receive_unknown(ship.id, "ODD-CODE", actor=world.actor, new_sku="ODD", new_name="Odd")
    assert catalog.find_product(ship.client_id, "ODD") is None
    assert StockMove.select().count() == 0


# --- The scan router -----------------------------------------------------------------------


def test_router_opens_receives_and_hands_back_unknown_codes(desk):
    world, w, g, ship = desk
    ctx = receiving.DeskContext(world.actor)
    with pytest.raises(NotFound):
        receiving.station_scan("NO-SUCH-ASN", ctx)
    opened = receiving.station_scan("ASN-100", ctx)
    assert (opened.kind, opened.shipment.id) == ("open", ship.id)
    ctx = receiving.DeskContext(world.actor, opened.shipment, qty=2)
    got = receiving.station_scan("GAD-2", ctx)
    assert got.kind == "received" and got.received.line.received == 2
    assert receiving.station_scan("WHAT-IS-THIS", ctx) == receiving.Outcome("unknown", code="WHAT-IS-THIS")
    with pytest.raises(UnknownBarcode, match="300 characters"):
        receiving.station_scan("Z" * 300, ctx)
    other = receiving.create_shipment("ACME", "ASN-200", [("GADGET-2", 1)], actor=world.actor)
    switched = receiving.station_scan("ASN-200", ctx)
    assert (switched.kind, switched.shipment.id) == ("open", other.id)


def test_router_refuses_units_on_a_closed_shipment_but_opens_another(desk):
    world, w, g, ship = desk
    receiving.close_shipment(ship.id, actor=world.actor)
    other = receiving.create_shipment("ACME", "ASN-200", [("GADGET-2", 1)], actor=world.actor)
    ctx = receiving.DeskContext(world.actor, receiving.shipment_ref(ship.id))
    with pytest.raises(InvalidTransition, match="ASN-100 is closed: nothing more can be received"):
        receiving.station_scan("GAD-2", ctx)
    assert receiving.station_scan("ASN-200", ctx).shipment.id == other.id


def test_a_desk_whose_shipment_was_closed_elsewhere_still_opens_the_next(desk):
    world, w, g, ship = desk
    opened = receiving.station_scan("ASN-100", receiving.DeskContext(world.actor)).shipment
    ctx = receiving.DeskContext(world.actor, opened)  # the desk still holds it as open
    receiving.close_shipment(ship.id, actor=world.actor)  # closed at another station
    other = receiving.create_shipment("ACME", "ASN-200", [("GADGET-2", 1)], actor=world.actor)
    with pytest.raises(InvalidTransition, match="ASN-100 is closed: nothing more can be received"):
        receiving.station_scan("GAD-2", ctx)
    switched = receiving.station_scan("ASN-200", ctx)
    assert (switched.kind, switched.shipment.id, switched.shipment.status) == ("open", other.id, "open")
    assert ledger.on_hand(g.id, "RECEIVING") == 0
    assert ledger.check().ok


def test_router_putaway_product_then_bin(desk):
    world, w, g, ship = desk
    receiving.receive_scan(ship.id, "GAD-2", actor=world.actor, qty=3)
    ref = receiving.shipment_ref(ship.id)
    ctx = receiving.DeskContext(world.actor, ref, putaway=True)
    with pytest.raises(ValidationError, match="scan the product first"):
        receiving.station_scan("B-01-01", ctx)
    product = receiving.station_scan("GAD-2", ctx)
    assert product.kind == "product" and product.suggestion.in_receiving == 3
    done = receiving.station_scan("B-01-01", receiving.DeskContext(
        world.actor, ref, putaway=True, pending=product.suggestion, qty=2))
    assert (done.kind, done.put_away.units, done.put_away.left_in_receiving) == ("put_away", 2, 1)
    move = StockMove.get(StockMove.kind == "putaway")
    assert (move.doc_type, move.doc_id) == ("receipt", ship.id)
    assert ledger.on_hand(g.id, "B-01-01") == 2
