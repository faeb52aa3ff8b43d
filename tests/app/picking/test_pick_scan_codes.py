"""At the tote step, another code of the units in hand (UPC, FNSKU, SKU, GS1) is one more
of them; a case among singles or another lot is refused; a tote is still a tote."""

from __future__ import annotations

import datetime as dt

import pytest

from app import catalog, ledger, orders, picking
from app.kernel.errors import ValidationError
from app.orders import allocation
from app.picking import ScanContext
from tests.app.picking.test_fefo import GS, balances, put

UPC = "00000000100670"
FNSKU = "X00AC00061"
LOT_GTIN = "00000000100014"
EXPIRY = dt.date(2026, 9, 30)


def make_gloves(world):
    """GLOVES (UPC, FNSKU, a case of 6) and VITAMIN-C (lots L1 and L2, expiring alike) in
    A-01-01; order 7001 wants 5 gloves and 4 VITAMIN-C, which come from L1, received first.
    Returns (world, gloves id, vitamin id, the wave's PickListRef)."""
    actor = world.actor
    gloves = world.product("GLOVES", barcode=UPC)
    catalog.link_barcode(gloves.id, FNSKU, kind="fnsku", actor=actor)
    catalog.link_barcode(gloves.id, "CASE-GLOVES", kind="case", pack_qty=6, actor=actor)
    world.stock(gloves.id, "A-01-01", 20)
    vit = world.product("VITAMIN-C", barcode=LOT_GTIN, track_lot=True, track_expiry=True)
    put(world, vit.id, "A-01-01", 4, "L1", EXPIRY)
    put(world, vit.id, "A-01-01", 4, "L2", EXPIRY)
    ref = orders.create_order("ACME", "7001", [("GLOVES", 5), ("VITAMIN-C", 4)], actor=actor)
    allocation.allocate_orders(actor=actor, order_ids=[ref.id])
    return world, gloves.id, vit.id, picking.create_picklist(actor=actor)


@pytest.fixture
def gloves(world, frozen_clock):
    return make_gloves(world)


def at_tote(ref, first: str, qty: int = 1) -> ScanContext:
    return ScanContext(step="tote", view=picking.picklist_view(ref.id), bin_code="A-01-01",
                       item_code=first, qty=qty)


def test_every_code_of_the_product_in_hand_is_one_more_unit(gloves):
    world, gloves_id, _vit, ref = gloves
    first = picking.station_scan(UPC, ScanContext(step="item", view=picking.picklist_view(ref.id),
                                                  bin_code="A-01-01"), actor=world.actor)
    assert first.kind == "item" and first.item is not None and first.item.stop.sku == "GLOVES"
    # the FNSKU, the SKU in any case, the GTIN as a GS1 code with and without its AIM prefix
    # and as the label's human-readable line
    for n, code in enumerate([FNSKU, "gloves", f"01{UPC}", f"]C101{UPC}", f"(01){UPC}"], start=1):
        out = picking.station_scan(code, at_tote(ref, UPC, qty=n), actor=world.actor)
        assert out.kind == "more", code
    out = picking.station_scan("T1", at_tote(ref, UPC, qty=5), actor=world.actor)
    assert out.kind == "picked" and out.pick is not None and (out.pick.qty, out.pick.tote) == (5, 1)
    assert ledger.on_hand(gloves_id, "PACKING") == 5 and ledger.on_hand(gloves_id, "A-01-01") == 15
    assert ledger.check().ok


def test_serialised_units_of_one_lot_count_and_another_lot_is_refused(gloves):
    world, _gloves, vit, ref = gloves
    unit = f"01{LOT_GTIN}21SN001{GS}10L1"
    out = picking.station_scan(unit, ScanContext(step="item", view=picking.picklist_view(ref.id),
                                                 bin_code="A-01-01"), actor=world.actor)
    assert out.kind == "item" and out.item is not None and out.item.lot == "L1"
    for n, serial in enumerate(["SN002", "SN003"], start=1):
        again = picking.station_scan(f"01{LOT_GTIN}21{serial}{GS}10L1", at_tote(ref, unit, qty=n),
                                     actor=world.actor)
        assert again.kind == "more"
    # the plain GTIN names no lot: the stop's one lot open, L1, is the one in hand
    assert picking.station_scan(LOT_GTIN, at_tote(ref, unit, qty=3), actor=world.actor).kind == "more"
    with pytest.raises(picking.WrongScan) as refused:
        picking.station_scan(f"01{LOT_GTIN}21SN009{GS}10L2", at_tote(ref, unit, qty=4), actor=world.actor)
    assert str(refused.value) == ("that is VITAMIN-C lot L2, with 4 units in hand of lot L1: "
                                  "put them into a tote first")
    out = picking.station_scan("T1", at_tote(ref, unit, qty=4), actor=world.actor)
    assert out.kind == "picked" and out.pick is not None and out.pick.qty == 4
    assert balances(vit) == {("PACKING", "L1"): (4, 0), ("A-01-01", "L2"): (4, 0)}
    assert ledger.check().ok


def test_a_case_among_singles_is_refused_and_a_tote_stays_a_tote(gloves):
    world, gloves_id, _vit, ref = gloves
    with pytest.raises(picking.WrongScan) as refused:
        picking.station_scan("CASE-GLOVES", at_tote(ref, UPC, qty=2), actor=world.actor)
    assert str(refused.value) == ("that is a case of 6 of GLOVES, with 2 units in hand: "
                                  "put them into a tote first")
    # another product's GS1 code is no tote either: said without control characters
    with pytest.raises(ValidationError) as refused:
        picking.station_scan(f"01{LOT_GTIN}21SN001{GS}10L1", at_tote(ref, UPC), actor=world.actor)
    assert str(refused.value) == f"tote must be a number like 3 or T3, not '01{LOT_GTIN}21SN001<GS>10L1'"
    with pytest.raises(picking.WrongScan, match="^tote 2 is not on pick list"):
        picking.station_scan("T2", at_tote(ref, UPC), actor=world.actor)
    assert ledger.on_hand(gloves_id, "PACKING") == 0
    assert ledger.check().ok


def test_a_wrong_gs1_code_is_named_by_its_gtin(gloves):
    """The picker reads 'GTIN …' off the refusal, not the whole element string with the lot
    and dates; a known product's names its SKU too; nothing is picked."""
    world, gloves_id, vit, ref = gloves
    world.product("SOAP", barcode="00000000200011")  # on no order of the wave
    item_step = ScanContext(step="item", view=picking.picklist_view(ref.id), bin_code="A-01-01")
    with pytest.raises(picking.WrongScan) as known:
        picking.station_scan("01000000002000111727010110L1", item_step, actor=world.actor)
    assert str(known.value).startswith("wrong item GTIN 00000000200011 (SOAP): take ")
    with pytest.raises(picking.WrongScan) as unknown:
        picking.station_scan("010950600013435217270101109ABC12345", item_step, actor=world.actor)
    assert str(unknown.value).startswith("wrong item GTIN 09506000134352 (unknown): take ")
    with pytest.raises(picking.WrongScan) as written:  # the label's human-readable line
        picking.station_scan("(01)09506000134352(17)270101(10)9ABC12345", item_step, actor=world.actor)
    assert str(written.value) == str(unknown.value)
    assert str(unknown.value).endswith(" from A-01-01")
    assert ledger.on_hand(gloves_id, "A-01-01") == 20 and ledger.on_hand(vit, "A-01-01") == 8
    assert ledger.check().ok
