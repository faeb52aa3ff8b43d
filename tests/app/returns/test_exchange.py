"""Exchanges: the linked replacement order, released at once or when the return is in."""

from __future__ import annotations

import pytest

from app import ledger, orders, packing, picking, returns, shipping
from app.kernel.errors import InvalidTransition, ValidationError
from app.returns import RmaRequestLine
from app.store import settings
from app.store.models import Order, OrderLine, Return
from tests.support.packing import PACKER, make_products, stock_in
from tests.support.returns import shipped_order

BARCODES = {"TENT": "TENT-1", "TENT-XL": "TENTXL-1", "LAMP": "LAMP-1"}


@pytest.fixture
def shipped(world, frozen_clock):
    prods = make_products(world, list(BARCODES.items()))
    oid = shipped_order(world, "1001", [("TENT", 2)], products=prods, barcodes=BARCODES)
    stock_in(world, prods["TENT-XL"], 5, "A-02-01")
    return oid, prods


def test_advance_exchange_order_is_allocated_picked_packed_shipped(world, shipped):
    oid, prods = shipped
    rma = returns.create_rma("1001", [RmaRequestLine("TENT", 1, "not_as_described", wants="exchange")],
                             exchange=[("TENT-XL", 1)], actor=world.actor)
    assert rma.exchange_order == "1001-X1"
    x = Order.get(Order.number == "1001-X1")
    original = Order.get_by_id(oid)
    assert (x.status, x.customer_name, x.address1, x.city, x.channel) == (
        "allocated", original.customer_name, original.address1, original.city, "exchange")
    assert Return.get_by_id(rma.id).exchange_order_id == x.id
    assert returns.rma_detail(rma.number).exchange_order == "1001-X1"

    pl = picking.create_picklist(actor=world.actor, include_partial=True, max_orders=50)
    while (stop := picking.next_stop(pl.id)) is not None:
        for split in stop.totes:
            if split.remaining > 0:
                picking.confirm_pick(pl.id, bin_code=stop.bin_code, scan_code=stop.sku, qty=split.remaining,
                                     tote=split.tote, actor=world.actor)
    packing.pack(x.id, scans=["TENTXL-1"], close="last", actor=PACKER)
    shipped_x = shipping.ship_order(x.id, tracking="1Z999AA10000000011", actor=PACKER)
    assert (shipped_x.order_status, shipped_x.units) == ("shipped", 1)
    assert [ln.qty_shipped for ln in OrderLine.select().where(OrderLine.order == x.id)] == [1]

    texts = [e.text for e in orders.timeline(oid)]
    assert "Return authorised: RMA000001: 1 x TENT (not_as_described, exchange)" in texts
    assert "Exchange order: RMA000001: replacement order 1001-X1" in texts


def test_on_receipt_exchange_waits_for_the_returned_units(world, shipped):
    settings.set_setting("exchange_release", "on_receipt", actor=world.actor,
                         validate=returns.check_exchange_release)
    with pytest.raises(ValidationError):
        settings.set_setting("exchange_release", "later", actor=world.actor,
                             validate=returns.check_exchange_release)
    rma = returns.create_rma("1001", [RmaRequestLine("TENT", 2, "wrong_item")], exchange=[("TENT-XL", 2)],
                             actor=world.actor)
    assert rma.exchange_order == ""
    assert not Order.select().where(Order.number == "1001-X1").exists()
    first = returns.receive_unit(rma.number, "TENT-1", actor=world.actor)
    assert first.exchange_order == ""
    second = returns.receive_unit(rma.number, "TENT-1", actor=world.actor)
    assert second.exchange_order == "1001-X1"
    x = Order.get(Order.number == "1001-X1")
    assert x.status == "allocated"
    assert [(ln.product_id, ln.qty_ordered) for ln in OrderLine.select().where(OrderLine.order == x.id)] == [
        (shipped[1]["TENT-XL"], 2)]


def test_an_on_receipt_exchange_closed_short_says_its_replacement_is_not_sent(world, shipped):
    """One of two units back and the RMA closed short: the replacement waiting for them is
    never released, and the close, the RMA and the desk all say so."""
    oid, prods = shipped
    settings.set_setting("exchange_release", "on_receipt", actor=world.actor,
                         validate=returns.check_exchange_release)
    rma = returns.create_rma("1001", [RmaRequestLine("TENT", 2, "wrong_item")], exchange=[("TENT-XL", 2)],
                             actor=world.actor)
    assert returns.rma_detail(rma.number).replacement_state == "sent when all units are in"
    returns.receive(rma.number, "TENT-1", disposition="restock", bin_code="A-01-01", actor=world.actor)
    closed = returns.close_rma(rma.number, note="customer kept one", actor=world.actor)
    assert (closed.short, closed.withheld) == (1, (("TENT-XL", 2),))
    assert closed.message == ("RMA000001 closed short: 1 unit never came back; "
                              "the replacement (2 x TENT-XL) will not be sent")
    assert not Order.select().where(Order.number == "1001-X1").exists()
    detail = returns.rma_detail(rma.number)
    assert (detail.status, detail.exchange_order, detail.replacement_state) == (
        "closed", "", "not sent: closed short")
    texts = [e.text for e in orders.timeline(oid)]
    assert "Return closed: RMA000001: 1 short, customer kept one; replacement not sent: 2 x TENT-XL" in texts
    with pytest.raises(ValidationError) as refused:
        returns.desk_scan(rma.number, rma=None, actor=world.actor)
    assert str(refused.value) == "RMA000001 is closed short: its replacement (2 x TENT-XL) was not sent"
    assert ledger.check().ok


def test_a_replacement_released_in_advance_is_not_withheld_at_a_short_close(world, shipped):
    rma = returns.create_rma("1001", [RmaRequestLine("TENT", 2, "wrong_item")], exchange=[("TENT-XL", 1)],
                             actor=world.actor)
    closed = returns.close_rma(rma.number, note="never sent back", actor=world.actor)
    assert (closed.withheld, closed.message) == ((), "RMA000001 closed short: 2 units never came back")
    assert returns.rma_detail(rma.number).replacement_state == "on exchange order 1001-X1"
    with pytest.raises(InvalidTransition, match=r"^RMA000001 is closed: it closed already"):
        returns.close_rma(rma.number, note="again", actor=world.actor)  # not "nothing more can be received"
    assert ledger.check().ok


def test_an_exchange_authorised_on_receipt_goes_when_its_units_are_in_whatever_the_setting_now(world, shipped):
    settings.set_setting("exchange_release", "on_receipt", actor=world.actor,
                         validate=returns.check_exchange_release)
    rma = returns.create_rma("1001", [RmaRequestLine("TENT", 1, "wrong_item")], exchange=[("TENT-XL", 1)],
                             actor=world.actor)
    settings.set_setting("exchange_release", "advance", actor=world.actor, validate=returns.check_exchange_release)
    assert returns.receive_unit(rma.number, "TENT-1", actor=world.actor).exchange_order == "1001-X1"
    assert ledger.check().ok
