"""The stock table model pages from the database and sorts/filters there."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app import catalog
from tests.support.qt import bulk_products
from ui.models.stock_model import COLUMNS, PRODUCT_ID_ROLE, StockModel

SKU = [c.key for c in COLUMNS].index("sku")
ON_HAND = [c.key for c in COLUMNS].index("on_hand")


@pytest.fixture
def big(small_world):
    catalog.add_client("BLOOM", "Bloom Botanicals")
    bulk_products("ACME", 1200, bin_code="A-01-01")
    bulk_products("BLOOM", 30, bin_code="B-01-01", start=5000)
    return small_world


def test_model_is_well_behaved(qtmodeltester, big):
    model = StockModel()
    qtmodeltester.check(model)


def test_pages_and_fetches_more(qtbot, big):
    model = StockModel()
    assert model.total == 1230
    assert model.rowCount() == StockModel.PAGE
    assert model.canFetchMore()
    with qtbot.waitSignal(model.rowsInserted):
        model.fetchMore()
    assert model.rowCount() == 2 * StockModel.PAGE
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 1230
    skus = [model.index(r, SKU).data() for r in range(model.rowCount())]
    assert skus == sorted(skus)
    assert len(set(skus)) == 1230


def test_sorting_is_done_by_the_database(big):
    model = StockModel()
    model.sort(SKU, Qt.SortOrder.DescendingOrder)
    assert model.index(0, SKU).data() == "SKU-05029"
    assert model.index(1, SKU).data() == "SKU-05028"
    model.sort(ON_HAND, Qt.SortOrder.DescendingOrder)
    # qty = i % 50 + 1: the largest is 50, held by SKU-00049, -00099, ...
    assert model.index(0, ON_HAND).data() == "50"
    assert model.rowCount() == StockModel.PAGE
    model.sort(ON_HAND, Qt.SortOrder.AscendingOrder)
    assert model.index(0, ON_HAND).data() == "1"
    assert model.sort_key == ("on_hand", False)


def test_search_and_client_filter(big):
    model = StockModel()
    model.set_filter(search="SKU-0011")
    assert model.total == 10  # SKU-00110 .. SKU-00119
    assert model.rowCount() == 10
    assert not model.canFetchMore()
    assert [model.index(r, SKU).data() for r in range(3)] == ["SKU-00110", "SKU-00111", "SKU-00112"]
    model.set_filter(search="bulk item 00115")
    assert [model.index(r, SKU).data() for r in range(model.rowCount())] == ["SKU-00115"]
    pid = model.index(0, 0).data(PRODUCT_ID_ROLE)
    assert isinstance(pid, int)
    model.set_filter(client="BLOOM")
    assert model.total == 30
    model.set_filter(client="BLOOM", search="SKU-0001")  # only ACME has it
    assert model.total == 0
    assert model.rowCount() == 0


def test_reload_keeps_loaded_rows(big):
    model = StockModel()
    model.fetchMore()
    model.reload(keep_loaded=True)
    assert model.rowCount() == 2 * StockModel.PAGE
    model.reload()
    assert model.rowCount() == StockModel.PAGE
