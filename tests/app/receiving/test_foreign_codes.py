"""Another client's barcode at the receiving desk: named, never linked, nothing received."""

from __future__ import annotations

import pytest

from app import catalog, ledger, receiving
from app.kernel.errors import Conflict, ImportRejected
from app.store.models import AuditEvent, InboundShipment, ProductBarcode, StockMove


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


def test_imports_refuse_another_clients_code_and_command_codes(two_clients, tmp_path):
    world, mine, theirs, ship = two_clients
    asn = tmp_path / "f1.csv"
    asn.write_text("sku,qty,barcode,name\nNEWX,1,4006381333931,Foreign code\nNEWY,2,%CMD-UNDO,Command\n"
                   "NEWZ,3,NEW-Z-1,Fine\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as asn_err:
        receiving.import_asn(asn, client_code="ACME", ref="F1", actor=world.actor)
    assert "line 2: barcode 4006381333931 is a barcode of BETA's BETA-MUG (Product BETA-MUG)" in str(asn_err.value)
    assert "line 3: %CMD-UNDO is a PrepDesk command barcode" in str(asn_err.value)
    products = tmp_path / "p.csv"
    products.write_text("sku,name,barcode\nOK-1,Fine,OK-CODE-1\nNEWX,Foreign,4006381333931\n"
                        "NEWY,Command,%CMD-UNDO\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as prod_err:
        catalog.import_products(products, client_code="ACME", actor=world.actor)
    assert "line 3: barcode 04006381333931 is a barcode of BETA's BETA-MUG" in str(prod_err.value)
    assert "line 4: %CMD-UNDO is a PrepDesk command barcode" in str(prod_err.value)
    # all or nothing: neither file changed anything
    assert catalog.find_product(mine.client_id, "OK-1") is None
    assert catalog.find_product(mine.client_id, "NEWZ") is None
    assert ProductBarcode.select().where(ProductBarcode.code == "04006381333931").count() == 1
    assert InboundShipment.select().where(InboundShipment.ref == "F1").count() == 0
