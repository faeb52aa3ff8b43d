"""Numbers read from CSV cells: a weight or size that is not a finite, sensible number is
refused with its line, and the file changes nothing."""

from __future__ import annotations

import pytest

from app import catalog
from app.catalog import product_edit
from app.kernel.csvfiles import parse_float
from app.kernel.errors import ImportRejected
from app.store.models import Product


@pytest.mark.parametrize(("cell", "said"), [
    ("1e400", "line 7: weight_kg '1e400' is not a number"),
    ("inf", "line 7: weight_kg 'inf' is not a number"),
    ("-Infinity", "line 7: weight_kg '-Infinity' is not a number"),
    ("nan", "line 7: weight_kg 'nan' is not a number"),
    ("1e30", "line 7: weight_kg '1e30' is too big (at most 1,000,000)"),
    ("-1", "line 7: weight_kg must not be negative"),
    ("heavy", "line 7: weight_kg 'heavy' is not a number"),
])
def test_a_cell_that_is_no_sensible_number_is_named_with_its_line(cell, said):
    errors: list[str] = []
    assert parse_float(cell, line=7, column="weight_kg", errors=errors) == 0.0
    assert errors == [said]


@pytest.mark.parametrize("cell", ["", "0", "2.5", "1,5", "1000000"])
def test_sensible_numbers_are_read(cell):
    errors: list[str] = []
    expected = float(cell.replace(",", ".")) if cell else 0.0
    assert parse_float(cell, line=2, column="length_cm", errors=errors) == expected
    assert errors == []


def test_a_smaller_limit_may_be_given():
    errors: list[str] = []
    assert parse_float("2500", line=3, column="weight_kg", errors=errors, maximum=2000) == 0.0
    assert errors == ["line 3: weight_kg '2500' is too big (at most 2,000)"]


@pytest.mark.parametrize(("column", "cell"), [("weight_kg", "1e400"), ("length_cm", "inf"), ("height_cm", "nan")])
def test_an_infinite_weight_or_size_rejects_the_product_file(world, tmp_path, column, cell):
    product = world.product("TENT", weight_kg=0.84)
    path = tmp_path / "p.csv"
    path.write_text(f"sku,name,{column}\nTENT,Tent,2\nLAMP,Lamp,{cell}\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        catalog.import_products(path, client_code="ACME", actor=world.actor)
    assert str(info.value) == f"product file rejected, nothing imported: line 3: {column} {cell!r} is not a number"
    assert Product.select().count() == 1
    assert product_edit.product_detail(product.id).weight_kg == 0.84  # and it still shows
