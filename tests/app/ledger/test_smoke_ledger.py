import pytest

from app import inventory, ledger
from app.kernel.errors import OutOfStock


def test_move_and_balance(world):
    p = world.product("SKU-1", barcode="012345678905")
    world.stock(p.id, "A-01-01", 10)
    inventory.transfer(p.id, "A-01-01", "A-01-02", 4, actor=world.actor)
    assert ledger.on_hand(p.id, "A-01-01") == 6
    assert ledger.on_hand(p.id, "A-01-02") == 4
    with pytest.raises(OutOfStock):
        inventory.transfer(p.id, "A-01-01", "A-01-02", 7, actor=world.actor)
    assert ledger.on_hand(p.id, "A-01-01") == 6
