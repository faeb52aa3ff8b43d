"""Returns desk services: authorising, receiving by scan, dispositions, limits, closing."""

from __future__ import annotations

import pytest

from app import ledger, orders, returns
from app.kernel.actor import Actor
from app.kernel.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    UnknownBarcode,
    ValidationError,
)
from app.kernel.states import ReturnStatus
from app.orders import allocation
from app.returns import RmaRequestLine
from app.store import changes, db
from app.store.models import Order, Return, ReturnLine, StatusChange, StockMove
from tests.support.packing import SHIP_TO, make_products
from tests.support.returns import shipped_order

RECEIVER = Actor(None, "rita-receiver", "receiver", "returns-1")
BARCODES = {"TENT": "TENT-1", "LAMP": "LAMP-1", "CUP": "CUP-1"}


@pytest.fixture
def shipped(world, frozen_clock):
    """Order 1001: 3 TENT and 1 LAMP shipped to Jane Doe; CUP is in the catalogue only."""
    prods = make_products(world, list(BARCODES.items()))
    oid = shipped_order(world, "1001", [("TENT", 3), ("LAMP", 1)], products=prods, barcodes=BARCODES)
    return oid, prods


def balance(product_id: int, code: str) -> int:
    return ledger.on_hand(product_id, code)


def test_rma_for_two_restock_fills_backorder_scrap_closes(world, shipped, frozen_clock):
    oid, prods = shipped
    waiting = orders.create_order("ACME", "2001", [("TENT", 1)], actor=world.actor, **SHIP_TO)
    allocation.allocate_orders(actor=world.actor, order_ids=[waiting.id])
    assert Order.get_by_id(waiting.id).status == "backordered"

    rma = returns.create_rma("1001", [RmaRequestLine("TENT", 2, "damaged")], actor=RECEIVER, note="box crushed")
    assert (rma.number, rma.units, rma.order_number, rma.exchange_order) == ("RMA000001", 2, "1001", "")
    assert Return.get_by_id(rma.id).status == "open"

    seen = []
    stop = changes.listen(seen.append)
    try:
        scan = returns.receive_unit(rma.number, "TENT-1", actor=RECEIVER)
    finally:
        stop()
    assert (scan.received, scan.expected, scan.location, scan.status) == (1, 2, "RETURNS", ReturnStatus.RECEIVING)
    assert balance(prods["TENT"], "RETURNS") == 1
    assert any("stock" in c for c in seen)

    done = returns.dispose(rma.number, "TENT-1", "restock", bin_code="A-01-02", actor=RECEIVER)
    assert (done.location, done.status) == ("A-01-02", ReturnStatus.RECEIVING)
    assert balance(prods["TENT"], "A-01-02") == 1
    assert balance(prods["TENT"], "RETURNS") == 0
    # the restocked unit went straight to the back-order, in the same transaction
    assert Order.get_by_id(waiting.id).status == "allocated"
    assert ledger.reserved(prods["TENT"], "A-01-02") == 1

    last = returns.receive(rma.number, "TENT-1", disposition="scrap", reason="torn seam", actor=RECEIVER)
    assert (last.location, last.status) == ("SCRAP", ReturnStatus.CLOSED)
    line = ReturnLine.get(ReturnLine.rma == rma.id)
    assert (line.qty_expected, line.qty_received, line.qty_restocked, line.qty_scrapped) == (2, 2, 1, 1)
    moves = [(m.kind, m.from_location.code, m.to_location.code, m.qty, m.reason, m.user_name)
             for m in StockMove.select().where(StockMove.doc_type == "return").order_by(StockMove.id)]
    assert moves == [
        ("return", "CUSTOMER", "RETURNS", 1, "damaged", "rita-receiver"),
        ("restock", "RETURNS", "A-01-02", 1, "restock", "rita-receiver"),
        ("return", "CUSTOMER", "RETURNS", 1, "damaged", "rita-receiver"),
        ("scrap", "RETURNS", "SCRAP", 1, "torn seam (damaged)", "rita-receiver"),
    ]
    statuses = [(s.from_status, s.to_status) for s in StatusChange.select().where(
        StatusChange.doc_type == "return").order_by(StatusChange.id)]
    assert statuses == [("", "open"), ("open", "receiving"), ("receiving", "closed")]
    assert ledger.check().ok
    texts = [e.text for e in orders.timeline(oid)]
    assert any("RMA000001: 2 x TENT (damaged, refund)" in t for t in texts)
    assert any(t == "Return restock: RMA000001: 1 x TENT -> A-01-02" for t in texts)
    assert any(t == "Return scrap: RMA000001: 1 x TENT -> SCRAP" for t in texts)


def test_more_than_shipped_is_refused_and_a_second_rma_takes_only_the_rest(world, shipped):
    with pytest.raises(ValidationError, match="^TENT: 4 to return but 3 were shipped on order 1001$"):
        returns.create_rma("1001", [RmaRequestLine("TENT", 4, "unwanted")], actor=RECEIVER)
    with pytest.raises(ValidationError, match="CUP was not shipped on order 1001"):
        returns.create_rma("1001", [RmaRequestLine("CUP", 1, "unwanted")], actor=RECEIVER)
    assert Return.select().count() == 0
    returns.create_rma("1001", [RmaRequestLine("TENT", 2, "unwanted")], actor=RECEIVER)
    with pytest.raises(ValidationError, match="only 1 of the 3 shipped on order 1001 is left"):
        returns.create_rma("1001", [RmaRequestLine("TENT", 2, "wrong_item")], actor=RECEIVER)
    second = returns.create_rma("1001", [RmaRequestLine("TENT", 1, "wrong_item"),
                                         RmaRequestLine("LAMP", 1, "other", note="scratched")], actor=RECEIVER)
    assert second.number == "RMA000002" and second.units == 2
    assert [(ln.sku, ln.left) for ln in returns.returnable(shipped[0])] == [("TENT", 0), ("LAMP", 0)]
    with pytest.raises(ValidationError, match="left to return"):
        returns.create_rma("1001", [RmaRequestLine("LAMP", 1, "other")], actor=RECEIVER)


def test_bad_input_changes_nothing(world, shipped):
    for line, message in [(RmaRequestLine("TENT", 0, "damaged"), "positive whole number"),
                          (RmaRequestLine("TENT", 1, "broken"), "unknown reason 'broken'"),
                          (RmaRequestLine("TENT", 1, "damaged", wants="credit"), "unknown wish")]:
        with pytest.raises(ValidationError, match=message):
            returns.create_rma("1001", [line], actor=RECEIVER)
    with pytest.raises(NotFound):
        returns.create_rma("9999", [RmaRequestLine("TENT", 1, "damaged")], actor=RECEIVER)
    with pytest.raises(ValidationError, match="replacement lines"):
        returns.create_rma("1001", [RmaRequestLine("TENT", 1, "damaged", wants="exchange")], actor=RECEIVER)
    assert Return.select().count() == 0


def test_scan_refusals_one_too_many_and_not_on_the_rma(world, shipped):
    _oid, prods = shipped
    rma = returns.create_rma("1001", [RmaRequestLine("TENT", 1, "unwanted")], actor=RECEIVER)
    returns.receive_unit(rma.number, "TENT-1", actor=RECEIVER)
    with pytest.raises(ValidationError, match="one unit too many: 1 of 1 x TENT already received on RMA000001"):
        returns.receive_unit(rma.number, "TENT-1", actor=RECEIVER)
    with pytest.raises(ValidationError, match="LAMP is not on RMA000001"):
        returns.receive_unit(rma.number, "LAMP-1", actor=RECEIVER)
    with pytest.raises(UnknownBarcode):
        returns.receive_unit(rma.number, "NOPE-1", actor=RECEIVER)
    with pytest.raises(ValidationError, match="is not a bin"):
        returns.dispose(rma.number, "TENT", "restock", bin_code="PACKING", actor=RECEIVER)
    assert balance(prods["TENT"], "RETURNS") == 1
    q = returns.dispose(rma.number, "TENT", "quarantine", actor=RECEIVER)
    assert (q.location, q.status) == ("QUARANTINE", ReturnStatus.CLOSED)
    assert balance(prods["TENT"], "QUARANTINE") == 1
    with pytest.raises(InvalidTransition, match="RMA000001 is closed"):
        returns.receive_unit(rma.number, "TENT-1", actor=RECEIVER)


def test_close_short_needs_a_supervisor_and_a_note_and_frees_the_rest(world, shipped):
    rma = returns.create_rma("1001", [RmaRequestLine("TENT", 3, "unwanted")], actor=RECEIVER)
    returns.receive(rma.number, "TENT-1", disposition="restock", bin_code="A-01-01", actor=RECEIVER)
    with pytest.raises(PermissionDenied):
        returns.close_rma(rma.number, note="lost", actor=RECEIVER)
    with pytest.raises(ValidationError, match="2 units never came back"):
        returns.close_rma(rma.number, actor=world.actor)
    result = returns.close_rma(rma.number, note="customer kept two", actor=world.actor)
    assert (result.rma, result.short) == ("RMA000001", 2)
    assert returns.rma_detail(rma.number).status == ReturnStatus.CLOSED
    assert [ln.left for ln in returns.returnable(shipped[0])][0] == 2
    with db.write():
        assert [r.number for r in returns.list_rmas(open_only=True)] == []
    assert [r.number for r in returns.list_rmas(client="ACME")] == ["RMA000001"]


def test_find_orders_by_number_tracking_name_or_e_mail(world, shipped, frozen_clock):
    """The New RMA search: the order's number or tracking exactly, a name or e-mail in part and
    in any case; the exact match first."""
    _oid, prods = shipped
    frozen_clock.current = frozen_clock.current.replace(day=3)
    shipped_order(world, "2002", [("TENT", 1)], products=prods, barcodes=BARCODES, tracking="1Z999AA10123456792",
                  customer_name="Zoë Müller", email="zoe_mueller@example.de")
    frozen_clock.current = frozen_clock.current.replace(day=4)
    shipped_order(world, "3003", [("LAMP", 1)], products=prods, barcodes=BARCODES, tracking="1Z999AA10123456801",
                  customer_name="Customer 1001", email="c1001@example.com")

    def found(text: str) -> list[str]:
        return [h.number for h in returns.find_orders(text)]

    assert found("1001") == ["1001", "3003"]  # the order itself, then a name holding the number
    assert found("#1001")[0] == "1001"
    assert found("1Z999AA10123456792") == ["2002"]
    assert found("Zoe_Mueller@Example.DE") == ["2002"]
    assert found("zoe_mueller") == ["2002"] and found("zoe%mueller") == [] and found("oe_m") == ["2002"]
    assert found("Zoë Müller") == found("ZOË MÜLLER") == found("müller") == ["2002"]
    assert found("Jane") == ["1001"]
    assert found("@example") == ["3003", "2002", "1001"]  # the newest first
    assert found("Nobody") == []
    assert [h.number for h in returns.find_orders("@example", limit=1)] == ["3003"]
    with pytest.raises(ValidationError, match="type or scan an order number"):
        returns.find_orders("  ")


def test_one_product_on_two_lines_counts_once(world, shipped):
    """Two lines of one product ask for their units together: too many is said of both lines
    (not of the second as if the first had been returned); lines saying the same become one."""
    with pytest.raises(ValidationError) as refused:
        returns.create_rma("1001", [RmaRequestLine("TENT", 2, "damaged"), RmaRequestLine("TENT", 2, "damaged")],
                           actor=RECEIVER)
    assert str(refused.value) == "TENT: 4 to return (2 + 2 on 2 lines) but 3 were shipped on order 1001"
    assert Return.select().count() == 0
    rma = returns.create_rma("1001", [RmaRequestLine("TENT", 1, "damaged"), RmaRequestLine("TENT-1", 1, "damaged"),
                                      RmaRequestLine("TENT", 1, "unwanted")], actor=RECEIVER)
    assert rma.units == 3
    assert [(ln.sku, ln.reason, ln.expected) for ln in returns.rma_detail(rma.number).lines] == [
        ("TENT", "damaged", 2), ("TENT", "unwanted", 1)]
    with pytest.raises(ValidationError) as refused:
        returns.create_rma("1001", [RmaRequestLine("LAMP", 1, "damaged"), RmaRequestLine("TENT", 1, "damaged")],
                           actor=RECEIVER)
    assert str(refused.value) == "TENT: 1 to return but only 0 of the 3 shipped on order 1001 are left to return"
