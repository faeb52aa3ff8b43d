"""GS1 element strings from scanners resolve to the product with their lot and expiry."""

from __future__ import annotations

import datetime as dt

import pytest

from app import catalog
from app.catalog import scan
from app.kernel import ImportRejected, ValidationError, barcodes
from app.kernel.gs1 import looks_gs1, parse_gs1
from app.store.models import Product

GTIN = "00000000100014"
GS = "\x1d"


@pytest.mark.parametrize(("raw", "lot", "expiry"), [
    (GTIN, "", None),                                              # the plain GTIN-14
    ("]C101" + GTIN, "", None),                                    # GS1-128 with its AIM prefix
    ("01" + GTIN + "17271231" + GS + "10LOT42", "LOT42", dt.date(2027, 12, 31)),
    ("]d201" + GTIN + "17280200" + "10LOT-7" + GS + "21SN1", "LOT-7", dt.date(2028, 2, 29)),
    # the label's human-readable line, each AI in brackets (typed off the label, or pasted)
    ("(01)" + GTIN + "(17)271231(10)LOT42", "LOT42", dt.date(2027, 12, 31)),
    ("(01)" + GTIN + "(10)LOT-7(21)SN1", "LOT-7", None),
])
def test_the_forms_of_a_gtin_resolve_with_lot_and_expiry(world, raw, lot, expiry):
    product = world.product("VITAMIN-C", barcode=GTIN)
    match = scan.resolve(barcodes.clean_scan(raw))
    assert (match.kind, match.id, match.label) == ("product", product.id, "VITAMIN-C")
    assert (match.lot, match.expiry) == (lot, expiry)
    # the raw text as a scanner sends it (AIM prefix, FNC1 first) reads the same
    raw_match = scan.find_product_code(raw)
    assert (raw_match.id, raw_match.lot, raw_match.expiry) == (product.id, lot, expiry)


def test_serial_and_count_ride_along(world):
    world.product("VITAMIN-C", barcode=GTIN)
    match = scan.resolve("]Q301" + GTIN + "10L1" + GS + "21SER9" + GS + "3712")
    assert (match.lot, match.serial, match.count, match.expiry) == ("L1", "SER9", 12, None)


def test_fnc1_spelled_by_the_scanner_as_text(world):
    world.product("VITAMIN-C", barcode=GTIN)
    match = scan.resolve("01" + GTIN + "10LOT42<GS>17271231")
    assert (match.lot, match.expiry) == ("LOT42", dt.date(2027, 12, 31))


@pytest.mark.parametrize(("raw", "message"), [
    ("]C10112345", "malformed GS1 code"),
    ("01" + GTIN + "17271399", "malformed GS1 code"),   # no 13th month
    ("0100000000100015", "wrong check digit"),
    ("]C110LOT42", "names no product"),
    ("(01)12345(10)L1", "malformed GS1 code"),
    ("(01)" + GTIN + "(17)271399", "malformed GS1 code"),
    ("(10)LOT42", "names no product"),
])
def test_a_malformed_gs1_code_gives_one_clear_line(world, raw, message):
    world.product("VITAMIN-C", barcode=GTIN)
    with pytest.raises(ValidationError, match=message) as err:
        scan.resolve(raw)
    assert "\n" not in str(err.value) and GS not in str(err.value)


def test_an_unknown_gtin_in_a_gs1_code_is_an_unknown_barcode(world):
    with pytest.raises(scan.UnknownBarcode):
        scan.resolve("01" + GTIN + "10LOT42")


def test_sixteen_digits_stored_as_an_alias_still_match(world):
    product = world.product("ODD-1", barcode="0112345678")
    assert scan.resolve("0112345678").id == product.id
    odd = world.product("ODD-2", barcode="01999999999999999X")
    assert scan.resolve("01999999999999999X").id == odd.id


def test_what_counts_as_gs1():
    assert looks_gs1("]d2" + "01" + GTIN)
    assert looks_gs1("01" + GTIN + "10A")
    assert not looks_gs1(GTIN)
    assert not looks_gs1("1Z999" + GS + "123")
    assert not looks_gs1("A-01-02")
    assert looks_gs1("(01)" + GTIN + "(10)A") and looks_gs1("(00)012345600000000018")
    assert not looks_gs1("(A) shelf") and not looks_gs1("(1)2")
    assert parse_gs1("00" + "012345600000000018").sscc == "012345600000000018"


def _flags(sku):
    p = Product.get(Product.sku == sku)
    return p.track_lot, p.track_expiry


def test_product_csv_sets_and_keeps_the_lot_and_expiry_flags(world, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("sku,name,track_lot,track_expiry\nVIT-C,Vitamin C,yes,yes\nLOTTED,Lotted,1,\n"
                    "PLAIN,Plain,no,0\n", encoding="utf-8")
    catalog.import_products(path, client_code="ACME")
    assert [_flags(s) for s in ("VIT-C", "LOTTED", "PLAIN")] == [(True, True), (True, False), (False, False)]
    path.write_text("sku,name\nVIT-C,Vitamin C 500\n", encoding="utf-8")  # no flag columns: kept
    catalog.import_products(path, client_code="ACME")
    assert _flags("VIT-C") == (True, True)
    path.write_text("sku,name,track_expiry\nVIT-C,Vitamin C,no\n", encoding="utf-8")
    catalog.import_products(path, client_code="ACME")
    assert _flags("VIT-C") == (True, False)
    path.write_text("sku,name,track_lot\nVIT-C,Vitamin C,maybe\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as err:
        catalog.import_products(path, client_code="ACME")
    assert "line 2: track_lot must be yes or no, not 'maybe'" in err.value.errors
