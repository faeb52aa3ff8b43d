"""Unit labels of expiry-tracked goods: "EXP MM-DD-YYYY" in large type under the bars,
read back with pypdf and the bars with zxing-cpp; a shipment's labels carry each unit's lot."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pypdfium2
import pytest
import zxingcpp

from app import receiving
from app.documents import labels
from app.documents.labels import Label
from app.kernel.errors import LotRequired, NotFound, ValidationError

DPI = 300


def pages(pdf: bytes):
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [p.render(scale=DPI / 72, fill_color=(255, 255, 255, 255)).to_pil() for p in doc]
    finally:
        doc.close()


def codes(image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.Code128)]


def texts(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_thermal_and_sheet_labels_print_the_expiry_and_still_decode():
    lab = Label("X00VITC001", "Vitamin C 500 mg", expiry=dt.date(2027, 12, 31))
    with_lot = Label("X00VITC001", "Vitamin C 500 mg", expiry=dt.date(2027, 6, 30), lot="L-42")
    plain = Label("SPOON-1", "Spoon")
    thermal = labels.render_thermal([lab, with_lot, plain])
    assert [codes(im) for im in pages(thermal)] == [["X00VITC001"], ["X00VITC001"], ["SPOON-1"]]
    first, second, third = texts(thermal)
    assert "EXP 12-31-2027" in first and "LOT" not in first
    assert "EXP 06-30-2027" in second and "LOT L-42" in second
    assert "EXP" not in third
    sheet = labels.render_sheet([lab, plain, with_lot])
    assert sorted(codes(pages(sheet)[0])) == ["SPOON-1", "X00VITC001", "X00VITC001"]
    assert "EXP 12-31-2027" in texts(sheet)[0]


def test_zpl_prints_the_expiry_below_the_bars():
    data = labels.render_zpl([Label("X00VITC001", "Vitamin C", expiry=dt.date(2027, 12, 31))]).decode()
    assert "^FDEXP 12-31-2027^FS" in data
    bars = data.index("^BCN")
    assert bars < data.index("EXP 12-31-2027")
    assert "^PW457" in data and "^LL254" in data


@pytest.fixture
def vit(world, frozen_clock):
    world.product("VITAMIN-C", barcode="00000000100014", track_lot=True, track_expiry=True,
                  fnsku="X00VITC001")
    world.product("SPOON-1", barcode="SPOON-1")
    ship = receiving.create_shipment("ACME", "ASN-9", [("VITAMIN-C", 3), ("SPOON-1", 1)], actor=world.actor)
    return world, ship


def test_shipment_labels_carry_each_units_own_lot_and_expiry(vit):
    world, ship = vit
    receiving.receive_scan(ship.id, "0100000000100014" + "17271231" + "10LATE", actor=world.actor)
    receiving.receive_scan(ship.id, "010000000010001417270600" + "10EARLY", actor=world.actor, qty=2)
    receiving.receive_scan(ship.id, "010000000010001417270600" + "10EARLY", actor=world.actor)
    receiving.undo_receipt(ship.id, actor=world.actor)  # that third EARLY unit is gone again
    receiving.receive_scan(ship.id, "SPOON-1", actor=world.actor)
    labs = receiving.shipment_labels(ship.id, with_lot=True)
    assert [(lab.code, lab.expiry, lab.lot) for lab in labs] == [
        ("SPOON-1", None, ""),
        ("X00VITC001", dt.date(2027, 6, 30), "EARLY"),
        ("X00VITC001", dt.date(2027, 6, 30), "EARLY"),
        ("X00VITC001", dt.date(2027, 12, 31), "LATE"),
    ]
    pdf = labels.render_thermal(labs)
    assert [codes(im) for im in pages(pdf)] == [["SPOON-1"]] + [["X00VITC001"]] * 3
    assert ["EXP" in t for t in texts(pdf)] == [False, True, True, True]
    assert "EXP 12-31-2027" in texts(pdf)[3] and "LOT LATE" in texts(pdf)[3]
    # unit labels of one lot carry that lot's expiry
    unit = receiving.unit_labels("VITAMIN-C", 2, lot="LATE")
    assert [(lab.expiry, lab.lot) for lab in unit] == [(dt.date(2027, 12, 31), "")] * 2
    with pytest.raises(NotFound, match="no lot 'NOPE' of VITAMIN-C"):
        receiving.unit_labels("VITAMIN-C", 1, lot="NOPE")


def test_unit_labels_of_a_product_with_lots_need_the_lot(vit):
    world, ship = vit
    world.product("BATCH-1", barcode="BATCH-1", track_lot=True)
    with pytest.raises(LotRequired, match="VITAMIN-C keeps lots: name the lot of the units to label "
                                          r"\(its expiry date prints on them\)"):
        receiving.unit_labels("VITAMIN-C", 2)
    with pytest.raises(LotRequired, match="BATCH-1 keeps lots: name the lot of the units to label$"):
        receiving.unit_labels("BATCH-1", 1)
    assert receiving.unit_labels("BATCH-1", 1, lot="B7", with_lot=True) == [
        Label("BATCH-1", "Product BATCH-1", expiry=None, lot="B7")]
    # a unit's GS1 scan names a lot not received yet, with its expiry
    assert receiving.unit_labels("VITAMIN-C", 1, lot="NEW", expiry=dt.date(2028, 1, 31), with_lot=True) == [
        Label("X00VITC001", "Product VITAMIN-C", expiry=dt.date(2028, 1, 31), lot="NEW")]
    receiving.receive_scan(ship.id, "0100000000100014" + "17271231" + "10LATE", actor=world.actor)
    with pytest.raises(ValidationError, match="lot LATE of VITAMIN-C expires 2027-12-31, not 2028-01-31"):
        receiving.unit_labels("VITAMIN-C", 1, lot="LATE", expiry=dt.date(2028, 1, 31))
    zpl = labels.render_zpl(receiving.unit_labels("VITAMIN-C", 1, lot="LATE", with_lot=True)).decode()
    assert "^FDEXP 12-31-2027  LOT LATE^FS" in zpl
    assert receiving.unit_labels("SPOON-1", 1) == [Label("SPOON-1", "Product SPOON-1")]
