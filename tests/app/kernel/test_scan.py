"""What a scan means: products by any barcode (GTINs matched normalised) or SKU, bins, and the
barcode text rules (AIM prefixes, GS1 check digits, SSCC-18)."""

from __future__ import annotations

import pytest

from app import catalog
from app.catalog import scan
from app.kernel import barcodes
from app.kernel.errors import UnknownBarcode, ValidationError


def test_upc_a_scanned_as_ean_13_finds_the_product(world):
    p = world.product("TENT-1", barcode="012345678905")  # UPC-A, 12 digits
    for code in ("012345678905", "0012345678905", "00012345678905", " 012345678905 "):
        hit = scan.resolve(code)
        assert (hit.kind, hit.id, hit.label, hit.pack_qty) == ("product", p.id, "TENT-1", 1)
    assert hit.client_id == p.client_id


def test_ean_13_ean_8_and_aliases(world):
    a = world.product("A", barcode="4006381333931")
    b = world.product("B", barcode="96385074")
    c = world.product("C", barcode="fnsku-x00abc")
    assert scan.resolve("4006381333931").id == a.id
    assert scan.resolve("04006381333931").id == a.id
    assert scan.resolve("96385074").id == b.id
    assert scan.resolve("00000096385074").id == b.id
    assert scan.resolve("FNSKU-X00ABC").id == c.id  # aliases are stored upper-case
    assert scan.resolve("fnsku-x00abc").id == c.id
    with pytest.raises(UnknownBarcode, match="unknown barcode '4006381333932'"):
        scan.resolve("4006381333932")  # a wrong check digit is not a GTIN of ours


def test_by_sku_and_a_barcode_wins_over_a_sku(world):
    a = world.product("SKU-A")
    b = world.product("SKU-B", barcode="SKU-A")  # B's alias barcode looks like A's SKU
    assert scan.resolve("SKU-B").id == b.id
    assert scan.resolve("SKU-A").id == b.id
    assert scan.find_product_code("SKU-A").id == b.id
    assert a.id != b.id
    assert scan.find_product_code("nothing") is None


def test_case_barcode_counts_its_pack(world):
    p = world.product("MUG-1", barcode="012345678905")
    catalog.link_barcode(p.id, "10012345678902", pack_qty=12, actor=world.actor)
    hit = scan.resolve("10012345678902")
    assert (hit.id, hit.pack_qty) == (p.id, 12)


def test_bins_and_kinds(world):
    world.product("A-01-01-LOOKALIKE")
    hit = scan.resolve("a-01-02")
    assert (hit.kind, hit.label) == ("location", "A-01-02")
    assert scan.resolve("RECEIVING").kind == "location"
    with pytest.raises(UnknownBarcode):
        scan.resolve("A-01-02", kinds=("product",))
    assert scan.resolve("A-01-02", kinds=("location",)).kind == "location"
    with pytest.raises(UnknownBarcode, match="empty scan"):
        scan.resolve("   ")


def test_a_code_shared_by_two_clients_needs_the_client(world):
    catalog.add_client("BETA", "Beta Goods")
    a = world.product("SHIRT", barcode="4006381333931")
    b = world.product("SHIRT", barcode="4006381333931", client="BETA")
    with pytest.raises(ValidationError, match="several clients"):
        scan.resolve("4006381333931")
    with pytest.raises(ValidationError, match="several clients"):
        scan.resolve("SHIRT")
    assert scan.resolve("4006381333931", client_id=a.client_id).id == a.id
    assert scan.resolve("4006381333931", client_id=b.client_id).id == b.id
    assert scan.resolve("SHIRT", client_id=b.client_id).id == b.id
    beta = catalog.client_by_code("BETA").id
    world.product("ONLY-ACME", barcode="96385074")
    with pytest.raises(UnknownBarcode):
        scan.resolve("96385074", client_id=beta, kinds=("product",))


@pytest.mark.parametrize(("raw", "clean"), [
    ("]E00012345678905", "0012345678905"),      # EAN/UPC with AIM identifier
    ("]C0TENT-1", "TENT-1"),                    # Code 128
    ("]C1\x1d0012345678905", "0012345678905"),  # GS1-128: FNC1 arrives as GS
    ("TENT-1\r\n", "TENT-1"),
    ("  A-01-02\t", "A-01-02"),
    ("TENT\x001", "TENT1"),
    ("]", "]"),
])
def test_clean_scan(raw, clean):
    assert barcodes.clean_scan(raw) == clean


def test_clean_scan_prefix_and_suffix():
    assert barcodes.clean_scan("#SKU-9$", prefix="#", suffix="$") == "SKU-9"
    assert barcodes.clean_scan("SKU-9", prefix="#", suffix="$") == "SKU-9"


def test_aim_prefixed_scan_resolves(world):
    p = world.product("TENT-1", barcode="012345678905")
    assert scan.resolve(barcodes.clean_scan("]E00012345678905")).id == p.id


@pytest.mark.parametrize(("body", "digit"), [
    ("01234567890", 5),         # UPC-A 012345678905
    ("400638133393", 1),        # EAN-13 4006381333931
    ("9638507", 4),             # EAN-8 96385074
    ("1001234567890", 2),       # GTIN-14 10012345678902
    ("00000000000000000", 0),
    ("03456789012345678", 6),   # SSCC body of 034567890123456786
])
def test_gs1_check_digit(body, digit):
    assert barcodes.gs1_check_digit(body) == digit


def test_gs1_check_digit_refuses_non_digits():
    with pytest.raises(ValueError):
        barcodes.gs1_check_digit("12A4")
    with pytest.raises(ValueError):
        barcodes.gs1_check_digit("\u0661\u0662\u0663")  # digits, but not ASCII ones
    assert not barcodes.is_valid_gtin("\u0661" * 8)


def test_gtin_validation_and_normalisation():
    assert barcodes.is_valid_gtin("012345678905")
    assert not barcodes.is_valid_gtin("012345678906")
    assert not barcodes.is_valid_gtin("12345")
    assert barcodes.normalize_code("012345678905") == "00012345678905"
    assert barcodes.normalize_code("4006381333931") == "04006381333931"
    assert barcodes.normalize_code(" x00-abc ") == "X00-ABC"
    assert barcodes.normalize_code("012345678906") == "012345678906"  # not a GTIN: kept as typed
    assert barcodes.display_gtin("00012345678905") == "012345678905"
    assert barcodes.display_gtin("04006381333931") == "4006381333931"
    assert [barcodes.gtin_kind(c) for c in ("012345678905", "4006381333931", "96385074",
                                            "10012345678902", "ABC")] == ["upc", "ean", "ean8", "gtin", "alias"]


def test_make_sscc():
    sscc = barcodes.make_sscc(1, "0614141", 123456789)
    assert sscc == "106141411234567897"  # GS1's own worked example
    assert len(sscc) == 18
    assert barcodes.gs1_check_digit(sscc[:17]) == int(sscc[17])
    assert barcodes.make_sscc(13, "123456789012", 42) == "312345678901200422"[:17] + str(
        barcodes.gs1_check_digit("31234567890120042"))
    with pytest.raises(ValueError):
        barcodes.make_sscc(0, "12345", 1)  # prefix too short
    with pytest.raises(ValueError):
        barcodes.make_sscc(0, "0345678", 10**9)  # serial does not fit
    with pytest.raises(ValueError):
        barcodes.make_sscc(0, "0345678", -1)


def test_location_lookup_gives_the_stored_code(world):
    from app import ledger

    ref = ledger.location("a-01-02")
    assert (ref.code, ref.kind) == ("A-01-02", "bin")
    assert ledger.location("A-01-02") == ref
    assert ledger.location(" receiving ").code == "RECEIVING"
    from app.kernel.errors import NotFound

    with pytest.raises(NotFound, match="no location 'Z-99'"):
        ledger.location("Z-99")


def test_a_sku_that_looks_like_a_gtin(world):
    # Some sellers use their UPC as SKU: found by SKU when no barcode has it, and a
    # product whose barcode it is wins over one whose SKU it is.
    by_sku = world.product("4006381333931")
    assert scan.resolve("4006381333931").id == by_sku.id
    assert scan.resolve("4006381333931", client_id=by_sku.client_id).id == by_sku.id
    by_code = world.product("OTHER", barcode="4006381333931")
    assert scan.resolve("4006381333931").id == by_code.id
    assert scan.resolve("4006381333931", client_id=by_code.client_id).id == by_code.id
