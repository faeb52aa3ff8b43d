"""The stock list's search: a GS1 scan finds its product by its GTIN, as every station's scan does."""

from __future__ import annotations

import pytest

from app import ledger


@pytest.mark.parametrize("scanned", ["012345678905", "00012345678905", "0100012345678905", "]C10100012345678905",
                                     "01000123456789051727123110LOT42", "]C1010001234567890517271231\x1d10LOT42"])
def test_a_gs1_scan_finds_its_product(world, scanned):
    tent = world.product("TENT", barcode="012345678905")
    world.product("LAMP")
    world.stock(tent.id, "A-01-01", 4)
    assert ledger.stock_count(search=scanned) == 1
    assert [(r.sku, r.on_hand) for r in ledger.stock_rows(search=scanned)] == [("TENT", 4)]
    assert [r.sku for r in ledger.stock_rows(search=scanned, sort="on_hand")] == ["TENT"]


def test_a_code_that_only_looks_like_gs1_is_searched_as_typed(world):
    world.product("ODD", barcode="0199999999999999")  # sixteen digits from 01, not a valid GS1 code
    world.product("LAMP")
    assert [r.sku for r in ledger.stock_rows(search="0199999999999999")] == ["ODD"]
