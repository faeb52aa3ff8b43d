"""A code scanned at the lot question: the lot's own barcode, or this product's GS1 label
(lot and expiry); another product's GS1 label gives nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from app import receiving
from app.kernel.errors import ValidationError

VIT, ZINC = "00000000100014", "00000000200011"


@pytest.fixture
def goods(world):
    world.product("VITAMIN-C", barcode=VIT, track_lot=True, track_expiry=True)
    world.product("ZINC", barcode=ZINC, track_lot=True)


def test_the_lot_s_own_barcode_is_the_lot(goods):
    assert receiving.lot_from_scan("LOT-B-77", product_code=VIT) == receiving.LotScan("LOT-B-77")


def test_this_product_s_gs1_label_gives_lot_and_expiry(goods):
    read = receiving.lot_from_scan(f"]C101{VIT}17271231\x1d10LOT42", product_code="VITAMIN-C")
    assert read == receiving.LotScan("LOT42", dt.date(2027, 12, 31))
    # the same typed off the label's human-readable line
    typed = receiving.lot_from_scan(f"(01){VIT}(17)271231(10)LOT42", product_code="VITAMIN-C")
    assert typed == read


@pytest.mark.parametrize(("code", "message"), [
    (f"]C101{ZINC}10ZN-1", "that GS1 code is for ZINC, not VITAMIN-C"),
    (f"]C101{VIT}17271231", r"carries no lot \(AI 10\)"),
    ("]C10100000000100015", "wrong check digit"),
])
def test_what_gives_no_lot(goods, code, message):
    with pytest.raises(ValidationError, match=message):
        receiving.lot_from_scan(code, product_code=VIT)
