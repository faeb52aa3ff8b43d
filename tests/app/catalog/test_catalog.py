"""Clients, products and the product CSV import (all or nothing), on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app import catalog
from app.catalog import scan
from app.kernel.errors import Conflict, ImportRejected, NotFound, PermissionDenied, ValidationError
from app.store import db
from app.store.models import Product, ProductBarcode


def _write(tmp_path, text: str, name: str = "p.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_creates_then_updates(world, tmp_path):
    path = _write(tmp_path, "sku,name,barcode,barcodes,case_barcode,case_qty,weight_kg,reorder_point,fnsku\n"
                            "TENT-1,Tent 2p,012345678905,4006381333931|ALIAS-T,10012345678902,12,2.5,4,X00T1\n"
                            "LAMP-1,Headlamp,96385074,,,,0,,\n")
    result = catalog.import_products(path, client_code="acme")
    assert result == catalog.ImportResult(created=2, updated=0, barcodes=6)
    tent = catalog.product_info(scan.resolve("012345678905").id)
    assert (tent.sku, tent.name, tent.weight_kg, tent.reorder_point, tent.fnsku) == ("TENT-1", "Tent 2p", 2.5, 4, "X00T1")
    assert sorted(tent.barcodes) == [
        ("00012345678905", "upc", 1), ("04006381333931", "ean", 1), ("10012345678902", "case", 12),
        ("ALIAS-T", "alias", 1), ("X00T1", "fnsku", 1)]
    assert scan.resolve("96385074").label == "LAMP-1"
    # Again with changes: names and numbers update, a new code is linked, nothing duplicated.
    path = _write(tmp_path, "sku,name,barcode,weight_kg\nTENT-1,Tent 2-person,NEWCODE,3\nLAMP-1,Headlamp,,\n")
    assert catalog.import_products(path, client_code="ACME") == catalog.ImportResult(0, 2, 1)
    tent = catalog.product_info(tent.id)
    # columns the file does not have (reorder_point, fnsku) keep their values
    assert (tent.name, tent.weight_kg, tent.reorder_point, tent.fnsku) == ("Tent 2-person", 3.0, 4, "X00T1")
    assert len(tent.barcodes) == 6
    assert Product.select().count() == 2


def test_a_file_of_skus_and_names_keeps_weights_sizes_and_the_rest(world, tmp_path):
    full = _write(tmp_path, "sku,name,weight_kg,length_cm,width_cm,height_cm,reorder_point,category,zone,"
                            "packing_instructions,unit_cost\n"
                            "TENT-1,Tent,0.84,14,17,3,5,Camping,A,Bubble wrap,12.50\n")
    catalog.import_products(full, client_code="ACME")
    names = _write(tmp_path, "sku,name\nTENT-1,Tent 2-person\n")
    assert catalog.import_products(names, client_code="ACME") == catalog.ImportResult(0, 1, 0)
    p = Product.get(Product.sku == "TENT-1")
    assert (p.name, p.weight_kg, p.length_cm, p.width_cm, p.height_cm, p.reorder_point, p.category, p.zone,
            p.packing_instructions, Decimal(str(p.unit_cost))) == (
        "Tent 2-person", 0.84, 14, 17, 3, 5, "Camping", "A", "Bubble wrap", Decimal("12.50"))
    # a column that is there but empty clears its value
    cleared = _write(tmp_path, "sku,name,weight_kg,category\nTENT-1,Tent 2-person,,\n")
    catalog.import_products(cleared, client_code="ACME")
    p = Product.get(Product.sku == "TENT-1")
    assert (p.weight_kg, p.category, p.length_cm) == (0, "", 14)


def test_import_is_all_or_nothing(world, tmp_path):
    world.product("OLD-1", barcode="4006381333931")
    before = (Product.select().count(), ProductBarcode.select().count())
    path = _write(tmp_path, "sku,name,barcode\nNEW-1,New one,012345678905\nNEW-2,New two,4006381333931\n")
    with pytest.raises(ImportRejected, match="line 3: barcode 4006381333931 already belongs to OLD-1"):
        catalog.import_products(path, client_code="ACME")
    assert (Product.select().count(), ProductBarcode.select().count()) == before


def test_a_unit_cost_is_a_plain_amount(world, tmp_path):
    path = _write(tmp_path, "sku,name,unit_cost\nTENT-1,Tent,-0\nLAMP-1,Lamp,1_0\nCUP-1,Cup,1e3\n")
    with pytest.raises(ImportRejected) as err:
        catalog.import_products(path, client_code="ACME")
    for line, text in ((2, "-0"), (3, "1_0"), (4, "1e3")):
        assert f"line {line}: unit_cost must be an amount like 12.50, not {text!r}" in str(err.value)
    assert Product.select().count() == 0


@pytest.mark.parametrize(("text", "message"), [
    ("sku,name\n,Nameless\n", "line 2: empty sku"),
    ("sku,name\nA,\n", "line 2: empty name for A"),
    ("sku,name\nA,x\nA,y\n", "line 3: sku A repeats line 2"),
    ("sku,name,case_barcode,case_qty\nA,x,10012345678902,1\n", "line 2: case_qty must be at least 2, not 1"),
    ("sku,name,weight_kg\nA,x,-1\n", "line 2: weight_kg must not be negative"),
    ("sku,name\n", "no data rows after the header"),
    ("sku,name\nA,x,extra\n", "line 2: 3 fields, header has 2"),
])
def test_bad_lines_are_named(world, tmp_path, text, message):
    with pytest.raises(ImportRejected) as info:
        catalog.import_products(_write(tmp_path, text), client_code="ACME")
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert Product.select().count() == 0


def test_binary_file_and_unknown_client(world, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x01\x02sku,name\n")
    with pytest.raises(ImportRejected, match="not a text CSV"):
        catalog.import_products(path, client_code="ACME")
    with pytest.raises(NotFound, match="no client 'NOPE'"):
        catalog.import_products(_write(tmp_path, "sku,name\nA,x\n"), client_code="NOPE")


def test_clients_and_products(world):
    with pytest.raises(Conflict, match="client ACME exists already"):
        catalog.add_client("acme", "Again")
    with pytest.raises(ValidationError):
        catalog.add_client("TWO WORDS", "x")
    p = world.product("CUP-1", barcode="012345678905")
    with pytest.raises(Conflict, match="ACME already has SKU CUP-1"):
        world.product("CUP-1")
    with pytest.raises(Conflict, match="barcode 0012345678905 already belongs to CUP-1"):
        world.product("CUP-2", barcode="0012345678905")
    assert db.execute("SELECT COUNT(*) FROM product WHERE sku = ?", ("CUP-2",)).fetchone()[0] == 0
    from app.kernel.actor import Actor

    packer = Actor(None, "pat", "packer", "p1")
    with pytest.raises(PermissionDenied):
        catalog.link_barcode(p.id, "XYZ", actor=packer)
    catalog.link_barcode(p.id, "xyz", actor=world.actor)
    catalog.link_barcode(p.id, "XYZ", actor=world.actor)  # the same code again: nothing to do
    assert ("XYZ", "alias", 1) in catalog.product_info(p.id).barcodes
    with pytest.raises(ValidationError):
        catalog.link_barcode(p.id, "CASE1", pack_qty=0, actor=world.actor)


def test_spreadsheet_dialects_import_the_same(world, tmp_path):
    """Semicolon-separated (comma-decimal locales) and Excel's UTF-16 "Unicode text" (tabs)
    read like a plain CSV."""
    semi = tmp_path / "semi.csv"
    semi.write_text("sku;name;barcode;weight_kg\nSEMI-1;Zelt, groß;012345678905;1,5\n", encoding="utf-8")
    assert catalog.import_products(semi, client_code="ACME").created == 1
    p = Product.get(Product.sku == "SEMI-1")
    assert (p.name, p.weight_kg) == ("Zelt, groß", 1.5)
    assert scan.resolve("0012345678905").id == p.id
    tabbed = tmp_path / "unicode.txt"
    tabbed.write_bytes("sku\tname\tbarcode\r\nUNI-1\tСпальник «Север»\t4006381333931\r\n".encode("utf-16"))
    assert catalog.import_products(tabbed, client_code="ACME").created == 1
    assert Product.get(Product.sku == "UNI-1").name == "Спальник «Север»"


def test_a_column_named_twice_is_refused(world, tmp_path):
    f = tmp_path / "dup.csv"
    f.write_text("sku,name,barcode,Barcode\nDUP-1,Thing,012345678905,4006381333931\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="line 1: column 'barcode' appears twice"):
        catalog.import_products(f, client_code="ACME")
    assert not Product.select().where(Product.sku == "DUP-1").exists()


def test_missing_columns_hint_at_the_separators(world, tmp_path):
    f = tmp_path / "pipes.csv"
    f.write_text("sku|name\nX|Y\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match=r"missing column\(s\) name, sku \(columns separated by commas"):
        catalog.import_products(f, client_code="ACME")
