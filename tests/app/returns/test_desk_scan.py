"""The returns desk's scan service: what each scan means with or without an RMA on the desk."""

from __future__ import annotations

import pytest

from app import ledger, returns
from app.kernel.errors import NotFound, ValidationError
from app.store import settings
from app.store.models import Return
from tests.support.packing import make_products
from tests.support.returns import shipped_order

BARCODES = {"TENT": "TENT-1", "LAMP": "LAMP-1", "CUP": "CUP-1"}


@pytest.fixture
def shipped(world, frozen_clock):
    prods = make_products(world, list(BARCODES.items()))
    shipped_order(world, "1001", [("TENT", 2), ("LAMP", 1)], products=prods, barcodes=BARCODES,
                  tracking="1Z999AA10123456784")
    return prods


def test_rma_by_number_order_or_tracking_then_units_then_bin(world, shipped):
    rma = returns.create_rma("1001", [returns.RmaRequestLine("TENT", 2, "damaged")], actor=world.actor)
    for code in ("rma000001", "1001", "1Z999AA10123456784"):
        out = returns.desk_scan(code, rma=None, actor=world.actor)
        assert (out.kind, out.rma) == ("rma", rma.number)
    with pytest.raises(ValidationError, match="no received unit waits"):
        returns.desk_scan("A-01-02", rma=rma.number, actor=world.actor)
    unit = returns.desk_scan("TENT-1", rma=rma.number, actor=world.actor)
    assert (unit.kind, unit.waiting) == ("unit", 1)
    other = returns.create_rma("1001", [returns.RmaRequestLine("LAMP", 1, "other")], actor=world.actor)
    with pytest.raises(ValidationError, match="RMA000001: decide the received units first"):
        returns.desk_scan(other.number, rma=rma.number, actor=world.actor)
    again = returns.desk_scan(rma.number, rma=rma.number, actor=world.actor)  # scanned twice: no harm
    assert (again.kind, again.rma, again.waiting) == ("rma", rma.number, 1)
    returns.desk_scan("TENT-1", rma=rma.number, actor=world.actor)
    done = returns.desk_scan("A-01-02", rma=rma.number, actor=world.actor)
    assert (done.kind, done.rma, done.message) == ("disposition", "", "2 x TENT -> A-01-02; RMA000001 closed")
    assert ledger.on_hand(shipped["TENT"], "A-01-02") == 2
    assert returns.desk_scan("ACK", rma=None, actor=world.actor).kind == "ack"


def test_parcel_without_rma_and_unknown_scans(world, shipped):
    with pytest.raises(NotFound, match="scan the RMA"):
        returns.desk_scan("NOPE-1", rma=None, actor=world.actor)
    with pytest.raises(NotFound, match="shipped on no order"):
        returns.desk_scan("CUP-1", rma=None, actor=world.actor)
    choice = returns.desk_scan("LAMP-1", rma=None, actor=world.actor)
    assert choice.kind == "choose_order" and [o.number for o in choice.orders] == ["1001"]
    out = returns.return_from_order(choice.orders[0].id, choice.code, actor=world.actor)
    assert (out.kind, out.rma, out.waiting) == ("unit", "RMA000001", 1)
    assert Return.get(Return.number == "RMA000001").note == ""
    scrap = returns.desk_scan("SCRAP", rma=out.rma, actor=world.actor)
    assert scrap.message == "1 x LAMP -> SCRAP; RMA000001 closed"


def test_parcel_without_rma_by_its_order_or_tracking_then_a_unit(world, shipped):
    """A parcel with the packing slip and no RMA: the slip's order barcode (or the tracking
    number) names the order, and the first unit scanned authorises and receives the return."""
    for code in ("1001", "#1001", "1Z999AA10123456784"):
        named = returns.desk_scan(code, rma=None, actor=world.actor)
        assert (named.kind, named.rma, [o.number for o in named.orders]) == ("order", "", ["1001"])
        assert named.message == "Order 1001 (ACME) has no RMA: scan a unit from the parcel to start its return"
    assert Return.select().count() == 0  # naming the order changed nothing
    with pytest.raises(ValidationError, match="CUP"):  # not shipped on that order: refused, nothing made
        returns.desk_scan("CUP-1", rma=None, order=named.orders[0].id, actor=world.actor)
    assert Return.select().count() == 0
    out = returns.desk_scan("TENT-1", rma=None, order=named.orders[0].id, actor=world.actor)
    assert (out.kind, out.rma, out.waiting) == ("unit", "RMA000001", 1)
    assert ledger.on_hand(shipped["TENT"], "RETURNS") == 1
    # the parcel holds more: each unit is authorised as it is found, as far as the order shipped it
    more = returns.desk_scan("TENT-1", rma=out.rma, actor=world.actor)
    assert (more.kind, more.rma, more.waiting) == ("unit", "RMA000001", 2)
    lamp = returns.desk_scan("LAMP-1", rma=out.rma, actor=world.actor)
    assert (lamp.kind, lamp.waiting) == ("unit", 3)
    with pytest.raises(ValidationError, match="TENT: nothing more of it shipped on this order is left"):
        returns.desk_scan("TENT-1", rma=out.rma, actor=world.actor)  # 2 shipped, 2 back already
    detail = returns.rma_detail("RMA000001")
    assert [(ln.sku, ln.expected, ln.received) for ln in detail.lines] == [("TENT", 2, 2), ("LAMP", 1, 1)]
    assert ledger.on_hand(shipped["TENT"], "RETURNS") == 2 and ledger.on_hand(shipped["LAMP"], "RETURNS") == 1
    # with its RMA open, the order's barcode opens that RMA again (not a second one)
    assert returns.desk_scan("1001", rma=None, actor=world.actor).rma == "RMA000001"
    assert Return.select().count() == 1
    assert ledger.check().ok


def test_an_authorised_rma_takes_no_more_than_authorised(world, shipped):
    """An RMA the client authorised is not a parcel's: a unit beyond it is refused, not added."""
    rma = returns.create_rma("1001", [returns.RmaRequestLine("TENT", 1, "damaged")], actor=world.actor)
    returns.desk_scan("TENT-1", rma=rma.number, actor=world.actor)
    with pytest.raises(ValidationError, match="one unit too many"):
        returns.desk_scan("TENT-1", rma=rma.number, actor=world.actor)
    with pytest.raises(ValidationError, match="LAMP is not on RMA000001"):
        returns.desk_scan("LAMP-1", rma=rma.number, actor=world.actor)
    assert [(ln.expected, ln.received) for ln in returns.rma_detail(rma.number).lines] == [(1, 1)]
    assert ledger.check().ok


def test_a_parcel_without_its_rma_paper_is_received_on_the_open_rma_that_waits_for_it(world, shipped):
    """The customer's exchange RMA is open; the unit comes without the paper. Choosing its order
    receives it on that RMA (whose on-receipt replacement is then released), not on a new one."""
    settings.set_setting("exchange_release", "on_receipt", actor=world.actor,
                         validate=returns.check_exchange_release)
    rma = returns.create_rma("1001", [returns.RmaRequestLine("TENT", 1, "wrong_item", wants="exchange")],
                             exchange=[("LAMP", 1)], actor=world.actor)
    choice = returns.desk_scan("TENT-1", rma=None, actor=world.actor)
    assert choice.kind == "choose_order"
    assert [(o.number, o.awaiting) for o in choice.orders] == [("1001", rma.number)]
    assert choice.message == "No RMA: choose the order this unit came from (RMA000001 of order 1001 waits for it)"
    out = returns.return_from_order(choice.orders[0].id, choice.code, actor=world.actor)
    assert (out.kind, out.rma, out.waiting) == ("unit", rma.number, 1)
    assert out.message == ("TENT: 1 of 1 received on RMA000001, the RMA open for order 1001; "
                           "exchange order 1001-X1 released")
    assert Return.select().count() == 1
    assert [(ln.sku, ln.expected, ln.received) for ln in returns.rma_detail(rma.number).lines] == [("TENT", 1, 1)]
    assert returns.rma_detail(rma.number).exchange_order == "1001-X1"
    assert ledger.on_hand(shipped["TENT"], "RETURNS") == 1
    # the second tent of the order: nothing waits for it any more, so the parcel gets its own RMA
    second = returns.desk_scan("TENT-1", rma=None, order=choice.orders[0].id, actor=world.actor)
    assert (second.rma, second.message) == ("RMA000002", "RMA000002 created for order 1001; "
                                            "TENT: 1 of 1 received on RMA000002")
    assert ledger.check().ok


def test_a_parcel_named_by_its_order_is_received_on_the_open_rma_that_waits_for_it(world, shipped):
    """The parcel's order chosen first (clients sharing the number), then its unit."""
    rma = returns.create_rma("1001", [returns.RmaRequestLine("LAMP", 1, "damaged")], actor=world.actor)
    order_id = returns.parcel_orders("1001")[0].id
    out = returns.desk_scan("LAMP-1", rma=None, order=order_id, actor=world.actor)
    assert (out.kind, out.rma, out.message) == (
        "unit", rma.number, "LAMP: 1 of 1 received on RMA000001, the RMA open for order 1001")
    assert Return.select().count() == 1
    assert ledger.on_hand(shipped["LAMP"], "RETURNS") == 1
    assert ledger.check().ok


def test_a_unit_another_open_rma_of_the_order_waits_for_is_not_taken_on_the_parcels_rma(world, shipped):
    rma = returns.create_rma("1001", [returns.RmaRequestLine("TENT", 2, "damaged")], actor=world.actor)
    order_id = returns.parcel_orders("1001")[0].id
    parcel = returns.desk_scan("LAMP-1", rma=None, order=order_id, actor=world.actor)
    assert parcel.rma == "RMA000002"
    with pytest.raises(ValidationError) as refused:
        returns.desk_scan("TENT-1", rma=parcel.rma, actor=world.actor)
    assert str(refused.value) == ("TENT is awaited on RMA000001, open for the same order: decide the units "
                                  "received here (bin, QUARANTINE or SCRAP), then scan RMA000001 to receive it there")
    assert [(ln.sku, ln.expected, ln.received) for ln in returns.rma_detail(parcel.rma).lines] == [("LAMP", 1, 1)]
    returns.desk_scan("A-01-02", rma=parcel.rma, actor=world.actor)
    assert returns.desk_scan(rma.number, rma=None, actor=world.actor).rma == rma.number
    assert returns.desk_scan("TENT-1", rma=rma.number, actor=world.actor).waiting == 1
    assert ledger.check().ok
