"""The product editor's service: every field stored exactly, in the warehouse's units; bad input
refused with one message and nothing changed; lot tracking stays on while lot stock exists."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app import catalog, ledger
from app.catalog import scan
from app.kernel import units
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.store import db
from app.store.models import AuditEvent

BOSS = Actor(None, "boss", "supervisor", "desk-1")


def _row(product_id: int) -> tuple:
    name, w, ln, wd, h, rp, instr, prep, cost, lot, exp, active = db.execute(
        "SELECT name, weight_kg, length_cm, width_cm, height_cm, reorder_point, packing_instructions, "
        "prep_services, unit_cost, track_lot, track_expiry, active FROM product WHERE id = ?",
        (product_id,)).fetchone()
    return (name, w, ln, wd, h, rp, instr, prep, None if cost is None else Decimal(str(cost)), bool(lot), bool(exp),
            bool(active))


def _codes(product_id: int) -> list[tuple[str, str, int]]:
    return [tuple(r) for r in db.execute("SELECT code, kind, pack_qty FROM product_barcode WHERE product_id = ? "
                                         "ORDER BY code", (product_id,)).fetchall()]


def _audit() -> list[str]:
    return [e.detail for e in AuditEvent.select().where(AuditEvent.kind == "product_changed").order_by(AuditEvent.id)]


@pytest.fixture
def tent(world):
    return world.product("TENT", barcode="012345678905", weight_kg=1.5)


def test_every_field_is_stored_exactly(world, tent):
    detail = catalog.update_product(
        tent.id, actor=BOSS, name="Tent, 2 person", weight="2.25 kg", dimensions="60x20x20",
        reorder_point=12, packing_instructions="Poles inside.\nNo tape on the bag.",
        prep_services="polybag, label", unit_cost="3.505", add_barcodes=[("10012345678902", 6), "ALIAS-T"],
        remove_barcodes=["012345678905"], track_lot=True, track_expiry=True, active=True)
    assert _row(tent.id) == ("Tent, 2 person", 2.25, 60.0, 20.0, 20.0, 12, "Poles inside.\nNo tape on the bag.",
                             "label,polybag", Decimal("3.51"), True, True, True)
    assert _codes(tent.id) == [("10012345678902", "case", 6), ("ALIAS-T", "alias", 1)]
    assert (detail.prep_services, detail.unit_cost, detail.weight_kg) == (("label", "polybag"), Decimal("3.51"), 2.25)
    assert scan.resolve("10012345678902").pack_qty == 6
    (said,) = _audit()
    assert said == ("TENT: name 'Product TENT' -> 'Tent, 2 person'; weight_kg 1.5 -> 2.25; length_cm 0.0 -> 60.0; "
                    "width_cm 0.0 -> 20.0; height_cm 0.0 -> 20.0; reorder_point 0 -> 12; "
                    r"packing_instructions '' -> 'Poles inside.\nNo tape on the bag.'; prep_services '' -> "
                    "'label,polybag'; unit_cost none -> 3.51; track_lot False -> True; track_expiry False -> True; "
                    "barcode 00012345678905 removed; barcode 10012345678902 x6 added; barcode ALIAS-T x1 added")
    # A case code already on the product gets its new pack quantity; clearing works.
    catalog.update_product(tent.id, actor=BOSS, add_barcodes=[("10012345678902", 12)], unit_cost="",
                           prep_services=[], dimensions="", weight="")
    assert _codes(tent.id)[0] == ("10012345678902", "case", 12)
    assert _row(tent.id)[1:5] + _row(tent.id)[7:9] == (0.0, 0.0, 0.0, 0.0, "", None)
    assert _audit()[-1].endswith("barcode 10012345678902 x6 -> x12")


def test_weight_and_size_typed_in_us_units(world, tent):
    units.set_system("us")
    catalog.update_product(tent.id, actor=BOSS, weight="2 lb", dimensions="12x8x4")
    assert _row(tent.id)[1:5] == (0.9072, 30.48, 20.32, 10.16)
    assert units.weight_text(_row(tent.id)[1]) == "2.00 lb"
    catalog.update_product(tent.id, actor=BOSS, weight="12 oz", dimensions="30 cm x 20cm x 1 m")
    assert _row(tent.id)[1:5] == (0.3402, 30.0, 20.0, 100.0)
    units.set_system("metric")
    catalog.update_product(tent.id, actor=BOSS, weight="700 g", dimensions="12 x 8 x 4 in")
    assert _row(tent.id)[1:5] == (0.7, 30.48, 20.32, 10.16)


def test_saving_unchanged_values_records_nothing(world, tent):
    catalog.update_product(tent.id, actor=BOSS, name="Product TENT", weight="1.5", add_barcodes=["012345678905"])
    assert _audit() == []


@pytest.mark.parametrize(("fields", "message"), [
    ({"weight": "heavy"}, "weight 'heavy' is not a number"),
    ({"weight": "2 stone"}, "unknown weight unit 'stone'"),
    ({"weight": "5000 kg"}, "weight '5000 kg' is over 2000.00 kg"),
    ({"dimensions": "30x20"}, "size '30x20' must be length x width x height, e.g. 30x20x10 cm"),
    ({"dimensions": "30x20x10 furlongs"}, "unknown size unit 'furlongs'"),
    ({"dimensions": "30x20x2000"}, "a side over 1000.0 cm"),
    ({"prep_services": "label,gift_wrap"}, "unknown prep service 'gift_wrap': use label, polybag, bubble_wrap, "
                                           "insert, bundle"),
    ({"unit_cost": "cheap"}, "unit cost 'cheap' is not an amount"),
    ({"unit_cost": "-1"}, "unit cost '-1' is not an amount"),
    ({"unit_cost": "1_0"}, "unit cost '1_0' is not an amount"),
    ({"unit_cost": "1e3"}, "unit cost '1e3' is not an amount"),
    ({"unit_cost": 3.5}, "a unit cost is given as text or Decimal"),
    ({"reorder_point": -2}, "reorder point must be a whole number of 0 or more"),
    ({"name": ""}, "a product name is 1 to 300 characters"),
    ({"track_lot": "yes"}, "track lot must be yes or no"),
    ({"add_barcodes": [("CASE-1", 0)]}, "pack quantity of CASE-1 must be a whole number of at least 1"),
    ({"remove_barcodes": ["NOT-MINE"]}, "NOT-MINE is not a barcode of TENT"),
    ({"colour": "red"}, "unknown product fields: colour"),
])
def test_bad_input_is_refused_and_changes_nothing(world, tent, fields, message):
    before, codes = _row(tent.id), _codes(tent.id)
    with pytest.raises(ValidationError, match=message.replace("(", r"\(")):
        catalog.update_product(tent.id, actor=BOSS, **{"name": "Renamed", "add_barcodes": ["NEW-CODE"], **fields})
    assert (_row(tent.id), _codes(tent.id), _audit()) == (before, codes, [])


def test_another_products_barcode_is_refused(world, tent):
    lamp = world.product("LAMP", barcode="LAMP-CODE")
    with pytest.raises(Conflict, match="barcode 012345678905 already belongs to TENT"):
        catalog.update_product(lamp.id, actor=BOSS, name="Lamp", add_barcodes=["012345678905"])
    assert _row(lamp.id)[0] == "Product LAMP" and _codes(lamp.id) == [("LAMP-CODE", "alias", 1)]


def test_lot_tracking_stays_on_while_lot_stock_exists(world):
    p = world.product("SERUM", track_lot=True, track_expiry=True)
    with db.write():
        ledger.apply_move(p.id, ledger.location("SUPPLIER").id, ledger.location("A-01-01").id, 4,
                          kind="receive", actor=world.actor, lot="L1", reason="test stock")
    with pytest.raises(ValidationError, match="SERUM has 4 units in stock by lot: lot tracking stays on"):
        catalog.update_product(p.id, actor=BOSS, track_lot=False, track_expiry=False)
    assert _row(p.id)[9:11] == (True, True)
    catalog.update_product(p.id, actor=BOSS, track_expiry=False)  # still by lot: allowed
    assert _row(p.id)[9:11] == (True, False)


def test_only_a_supervisor_edits_and_the_product_must_exist(world, tent):
    with pytest.raises(PermissionDenied, match="may not edit products: needs supervisor"):
        catalog.update_product(tent.id, actor=Actor(None, "rita", "receiver", "desk"), name="X")
    with pytest.raises(NotFound, match="no product #999999"):
        catalog.update_product(999999, actor=BOSS, name="X")


@pytest.mark.parametrize("scanned", ["0104006381333931", "]C10104006381333931",
                                     "0104006381333931172712311" + "0LOT42", "]C1010400638133393117271231\x1d10LOT42"])
def test_a_gs1_code_adds_its_gtin_which_later_scans_find(world, tent, scanned):
    catalog.update_product(tent.id, actor=BOSS, add_barcodes=[scanned])
    assert _codes(tent.id) == [("00012345678905", "upc", 1), ("04006381333931", "gtin", 1)]
    assert scan.resolve("]C10104006381333931172812311" + "0LOT9").id == tent.id
    assert scan.resolve("4006381333931").id == tent.id


def test_a_gs1_code_goes_through_the_normal_checks(world, tent):
    other = world.product("STOVE", barcode="4006381333931")
    before = _codes(tent.id)
    with pytest.raises(Conflict, match=r"^barcode 04006381333931 already belongs to STOVE$"):
        catalog.update_product(tent.id, actor=BOSS, add_barcodes=["]C1010400638133393117271231"])
    with pytest.raises(ValidationError, match="SSCC"):
        catalog.update_product(tent.id, actor=BOSS, add_barcodes=["]C100106141411234567897"])
    assert _codes(tent.id) == before and _codes(other.id) == [("04006381333931", "ean", 1)]
    # The product's own GTIN in a GS1 code with a lot adds nothing (it is that product's already).
    catalog.update_product(tent.id, actor=BOSS, add_barcodes=["01000123456789051727123110LOT42"])
    assert _codes(tent.id) == before and _audit() == []
