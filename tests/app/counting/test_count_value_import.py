"""Product CSV's unit_cost (money, 2 decimals), the value the count approval limit weighs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app import catalog
from app.kernel.errors import ImportRejected
from app.store.models import Product


def test_unit_cost_is_imported_to_the_cent_and_a_bad_one_rejects_the_file(world, tmp_path):
    good = tmp_path / "p.csv"
    good.write_text("sku,name,unit_cost\nLAMP,Lamp,12.505\nSPOON,Spoon,\n", encoding="utf-8")
    assert catalog.import_products(good, client_code="ACME", actor=world.actor).created == 2
    assert Product.get(Product.sku == "LAMP").unit_cost == Decimal("12.51")
    assert Product.get(Product.sku == "SPOON").unit_cost is None
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,name,unit_cost\nLAMP,Lamp,cheap\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="line 2: unit_cost must be an amount like 12.50, not 'cheap'"):
        catalog.import_products(bad, client_code="ACME", actor=world.actor)
    assert Product.get(Product.sku == "LAMP").unit_cost == Decimal("12.51")
