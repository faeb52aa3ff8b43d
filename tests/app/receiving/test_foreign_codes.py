"""Another client's barcode at the receiving desk: named, never linked, nothing received."""

from __future__ import annotations

import pytest

from app import catalog, ledger, receiving
from app.kernel.errors import Conflict
from app.store.models import AuditEvent, ProductBarcode, StockMove


@pytest.fixture
def two_clients(world, frozen_clock):
    catalog.add_client("BETA", "Beta Goods")
    mine = world.product("WIDGET-1", barcode="WID-1")
    theirs = world.product("BETA-MUG", barcode="4006381333931", client="BETA")
    ship = receiving.create_shipment("ACME", "ASN-300", [("WIDGET-1", 3)], actor=world.actor)
    return world, mine, theirs, ship


def test_scan_of_another_clients_code_names_the_owner_and_offers_no_link(two_clients):
    world, mine, theirs, ship = two_clients
    context = receiving.DeskContext(world.actor, receiving.shipment_ref(ship.id))
    with pytest.raises(Conflict, match=r"4006381333931 is BETA's BETA-MUG \(Product BETA-MUG\), "
                                       r"not a ACME product"):
        receiving.station_scan("4006381333931", context)
    assert StockMove.select().count() == 0
    assert ledger.check().ok


def test_receive_unknown_refuses_to_link_or_create_with_another_clients_code(two_clients):
    world, mine, theirs, ship = two_clients
    with pytest.raises(Conflict, match="is a barcode of BETA's BETA-MUG"):
        receiving.receive_unknown(ship.id, "4006381333931", actor=world.actor, link_to=mine.id)
    with pytest.raises(Conflict, match="cannot be linked to a ACME product"):
        receiving.receive_unknown(ship.id, "4006381333931", actor=world.actor,
                                  new_sku="MUG-COPY", new_name="Copied mug")
    assert ProductBarcode.select().where(ProductBarcode.code == "04006381333931").count() == 1
    assert catalog.find_product(mine.client_id, "MUG-COPY") is None
    assert StockMove.select().count() == 0
    assert receiving.shipment_detail(ship.id).total_received == 0
    assert ledger.check().ok


def test_catalog_linking_refuses_another_clients_code(two_clients):
    world, mine, theirs, ship = two_clients
    before = AuditEvent.select().count()
    with pytest.raises(Conflict, match="BETA's BETA-MUG"):
        catalog.link_barcode(mine.id, "4006381333931", actor=world.actor)
    assert [b.code for b in ProductBarcode.select().where(ProductBarcode.product == mine.id)] == ["WID-1"]
    assert AuditEvent.select().count() == before
    # a code of nobody links as before
    catalog.link_barcode(mine.id, "WID-1-CASE", pack_qty=6, actor=world.actor)
    assert ProductBarcode.get(ProductBarcode.code == "WID-1-CASE").pack_qty == 6
