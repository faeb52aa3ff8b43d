"""Back-orders: the list with ETA, filled on receipt + putaway, and customer notices."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from app import inventory, ledger, orders
from app.orders import allocation, backorders


def _scenario(world, frozen_clock):
    p = world.product("STOVE", barcode="012345678905")
    world.stock(p.id, "A-01-01", 10)
    refs = []
    for i, n in enumerate(("3001", "3002", "3003")):
        refs.append(orders.create_order("ACME", n, [("STOVE", 4)], actor=world.actor,
                                        customer_name=f"Customer {i}", email=f"c{i}@example.com"))
        frozen_clock.advance(hours=1)
    allocation.allocate_orders(actor=world.actor)
    return p, refs


def test_receiving_five_more_fills_the_backorder(world, frozen_clock):
    receiving = pytest.importorskip("app.receiving")
    p, refs = _scenario(world, frozen_clock)
    ship = receiving.create_shipment("ACME", "ASN-100", [("STOVE", 5)], actor=world.actor,
                                     expected_date=dt.date(2026, 3, 6))
    (row,) = backorders.backorder_list()
    assert (row.sku, row.qty_short, row.qty_available, row.orders) == ("STOVE", 2, 0, ("3003",))
    assert (row.eta, row.eta_date) == ("2026-03-06 (ASN-100)", dt.date(2026, 3, 6))
    assert row.age_text == "1 h"
    for _ in range(5):
        receiving.receive_scan(ship.id, "012345678905", actor=world.actor)
    # still in RECEIVING: not in a bin yet, the back-order waits
    assert orders.order_detail(refs[2].id).status == "partially_allocated"
    receiving.putaway("012345678905", "A-02-01", actor=world.actor)
    d = orders.order_detail(refs[2].id)
    assert (d.status, d.lines[0].qty_allocated) == ("allocated", 4)
    assert ledger.reserved(p.id, "A-02-01") == 2
    assert ledger.available(p.id) == 3
    assert backorders.backorder_list() == []
    assert ledger.check().ok


def test_eta_unknown_without_inbound_and_ignores_received_lines(world, frozen_clock):
    from app.store import db
    from app.store.models import InboundShipment, ReceiptLine

    p, refs = _scenario(world, frozen_clock)
    assert backorders.backorder_list()[0].eta == "unknown"
    with db.write():
        full = InboundShipment.create(client=p.client_id, ref="DONE", expected_date=dt.date(2026, 3, 3),
                                      status="receiving")
        ReceiptLine.create(shipment=full.id, product=p.id, expected_qty=5, received_qty=5)
        closed = InboundShipment.create(client=p.client_id, ref="CLOSED", expected_date=dt.date(2026, 3, 3),
                                        status="closed")
        ReceiptLine.create(shipment=closed.id, product=p.id, expected_qty=5, received_qty=0)
        later = InboundShipment.create(client=p.client_id, ref="LATER", expected_date=dt.date(2026, 3, 12),
                                       status="receiving")
        ReceiptLine.create(shipment=later.id, product=p.id, expected_qty=5, received_qty=1)
    assert backorders.backorder_list()[0].eta == "2026-03-12 (LATER)"
    assert backorders.backorder_list(client="OTHER") == []


def test_customer_notices_csv_and_messages(world, frozen_clock, tmp_path):
    p, refs = _scenario(world, frozen_clock)
    world.product("LAMP")
    orders.create_order("ACME", "3004", [("LAMP", 1), ("STOVE", 1)], actor=world.actor,
                        customer_name="Åsa Öberg", email="asa@example.se")
    allocation.allocate_orders(actor=world.actor)
    from app.store import db
    from app.store.models import InboundShipment, ReceiptLine

    with db.write():
        s = InboundShipment.create(client=p.client_id, ref="ASN-9", expected_date=dt.date(2026, 3, 10),
                                   status="open")
        ReceiptLine.create(shipment=s.id, product=p.id, expected_qty=10)
    rows = backorders.backorder_list()
    assert [(r.sku, r.qty_short, r.orders, r.eta) for r in rows] == [
        ("LAMP", 1, ("3004",), "unknown"), ("STOVE", 3, ("3003", "3004"), "2026-03-10 (ASN-9)")]
    text = backorders.backorders_csv(rows)
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert parsed[1]["orders_waiting"] == "3003 3004" and parsed[1]["qty_short"] == "3"
    notices = backorders.customer_notices()
    assert [(n.order_number, n.customer_name, n.email, n.eta) for n in notices] == [
        ("3003", "Customer 2", "c2@example.com", "2026-03-10"),
        ("3004", "Åsa Öberg", "asa@example.se", "unknown")]
    got = list(csv.DictReader(io.StringIO(backorders.notices_csv(notices))))
    assert got[0] == {"customer_name": "Customer 2", "email": "c2@example.com", "order_number": "3003",
                      "items_backordered": "2 x Product STOVE (STOVE)", "eta": "2026-03-10"}
    assert got[1]["items_backordered"] == "1 x Product LAMP (LAMP); 1 x Product STOVE (STOVE)"
    # read as the customer would: their item names, no warehouse codes, a real date
    assert backorders.notice_message(notices[0]) == (
        "To: c2@example.com\n"
        "Subject: Your order 3003: an item is delayed\n"
        "\n"
        "Dear Customer 2,\n"
        "\n"
        "Thank you for your order 3003. The following item is temporarily out of stock:\n"
        "  - 2 x Product STOVE\n"
        "\n"
        "We expect it back in stock around Tuesday 10 March 2026 and will ship your order as soon as "
        "we have it.\n"
        "\n"
        "We are sorry for the wait.\n"
        "\n"
        "Kind regards,\n"
        "Acme Outdoor Co.\n")
    assert backorders.notice_message(notices[1]) == (
        "To: asa@example.se\n"
        "Subject: Your order 3004: some items are delayed\n"
        "\n"
        "Dear Åsa Öberg,\n"
        "\n"
        "Thank you for your order 3004. The following items are temporarily out of stock:\n"
        "  - 1 x Product LAMP: no date yet\n"
        "  - 1 x Product STOVE: expected around Tuesday 10 March 2026\n"
        "\n"
        "We do not have a firm date for everything yet and will ship your order as soon as it has all "
        "arrived.\n"
        "\n"
        "We are sorry for the wait.\n"
        "\n"
        "Kind regards,\n"
        "Acme Outdoor Co.\n")
    files = backorders.write_messages(notices, tmp_path / "msgs/")
    assert sorted(f.name for f in files) == ["ACME-3003.txt", "ACME-3004.txt"]
    assert files[1].read_text(encoding="utf-8").startswith("To: asa@example.se")
    (one,) = backorders.write_messages(notices, tmp_path / "all.txt")
    assert one.read_text(encoding="utf-8").count("Subject:") == 2


def test_fill_on_arrival_is_part_of_the_arrivals_transaction(world, frozen_clock, monkeypatch):
    """If filling the back-orders fails, the arrival itself is not committed either."""
    from app.kernel.errors import PrepDeskError

    p, refs = _scenario(world, frozen_clock)

    def broken(*args, **kwargs):
        raise PrepDeskError("allocation failed")

    monkeypatch.setattr(allocation, "recompute_many", broken)
    with pytest.raises(PrepDeskError):
        inventory.adjust(p.id, "A-01-02", 5, reason="found", actor=world.actor)
    assert ledger.on_hand(p.id, "A-01-02") == 0
    assert ledger.reserved(p.id, "A-01-02") == 0
    assert orders.order_detail(refs[2].id).lines[0].qty_allocated == 2
    monkeypatch.undo()
    inventory.adjust(p.id, "A-01-02", 5, reason="found", actor=world.actor)
    assert orders.order_detail(refs[2].id).status == "allocated"


def _to_receiving(p, staging, qty, world):
    world.stock(p.id, staging, qty)  # a move from SUPPLIER into the staging area


@pytest.mark.parametrize("arrival", ["adjust_up", "transfer_from_receiving", "restock_from_returns",
                                     "putaway"])
def test_every_arrival_into_a_bin_fills_the_backorder(world, frozen_clock, arrival):
    """Stock reaching a bin by any path fills waiting back-orders, oldest first, at once."""
    p, refs = _scenario(world, frozen_clock)
    assert orders.order_detail(refs[2].id).lines[0].qty_short == 2
    if arrival == "adjust_up":
        inventory.adjust(p.id, "A-01-02", 3, reason="found", actor=world.actor)
    elif arrival == "transfer_from_receiving":
        _to_receiving(p, "RECEIVING", 3, world)
        inventory.transfer(p.id, "RECEIVING", "A-01-02", 3, actor=world.actor)
    elif arrival == "restock_from_returns":
        _to_receiving(p, "RETURNS", 3, world)
        inventory.transfer(p.id, "RETURNS", "A-01-02", 3, actor=world.actor)
    else:
        receiving = pytest.importorskip("app.receiving")
        _to_receiving(p, "RECEIVING", 3, world)
        receiving.putaway("012345678905", "A-01-02", actor=world.actor)
    d = orders.order_detail(refs[2].id)
    assert (d.status, d.lines[0].qty_allocated, d.lines[0].qty_short) == ("allocated", 4, 0)
    assert ledger.reserved(p.id, "A-01-02") == 2
    assert ledger.available(p.id) == 1
    assert backorders.backorder_list() == []


@pytest.mark.parametrize("arrival", ["into_quarantine", "into_receiving"])
def test_stock_reaching_staging_only_fills_nothing(world, frozen_clock, arrival):
    """Units in RECEIVING, RETURNS or QUARANTINE are not pickable: the back-order keeps waiting."""
    p, refs = _scenario(world, frozen_clock)
    if arrival == "into_quarantine":
        _to_receiving(p, "RETURNS", 3, world)
        inventory.transfer(p.id, "RETURNS", "QUARANTINE", 3, actor=world.actor)
    else:
        inventory.adjust(p.id, "RECEIVING", 3, reason="found", actor=world.actor)
    d = orders.order_detail(refs[2].id)
    assert (d.status, d.lines[0].qty_short) == ("partially_allocated", 2)
    assert [r.qty_short for r in backorders.backorder_list()] == [2]


def test_an_overdue_inbound_is_flagged_and_never_promised_to_customers(world, frozen_clock):
    from app.store import db
    from app.store.models import InboundShipment, ReceiptLine

    p, refs = _scenario(world, frozen_clock)
    with db.write():
        s = InboundShipment.create(client=p.client_id, ref="ASN-LATE", expected_date=dt.date(2026, 3, 4),
                                   status="open")
        ReceiptLine.create(shipment=s.id, product=p.id, expected_qty=10)
    assert backorders.backorder_list()[0].eta == "2026-03-04 (ASN-LATE)"
    (notice,) = backorders.customer_notices()
    assert (notice.eta, notice.eta_date) == ("2026-03-04", dt.date(2026, 3, 4))
    assert "Wednesday 4 March 2026" in backorders.notice_message(notice)
    frozen_clock.advance(days=3)  # 2026-03-05: the shipment is late
    (row,) = backorders.backorder_list()
    assert (row.eta, row.eta_date) == ("2026-03-04 (ASN-LATE), overdue", dt.date(2026, 3, 4))
    (notice,) = backorders.customer_notices()
    assert (notice.eta, notice.eta_date, notice.items[0].eta) == ("unknown", None, "unknown")
    msg = backorders.notice_message(notice)
    assert "2026" not in msg.split("\n", 2)[2]
    assert "  - 2 x Product STOVE\n\nWe do not have a firm date yet and will ship your order as soon as " \
           "it arrives.\n" in msg


def test_eta_counts_units_and_the_queue_of_older_orders(world, frozen_clock):
    """Two waiting orders (2 and then 3 units short) and three inbounds of 1, 3 and 10 units:
    the older order is complete with the second shipment, the newer one only with the third."""
    from app.store import db
    from app.store.models import InboundShipment, ReceiptLine

    p, refs = _scenario(world, frozen_clock)
    late = orders.create_order("ACME", "3004", [("STOVE", 3)], actor=world.actor, customer_name="Late",
                               email="late@example.com")
    allocation.allocate_orders(actor=world.actor)

    def inbound(ref, day, qty):
        with db.write():
            s = InboundShipment.create(client=p.client_id, ref=ref, expected_date=dt.date(2026, 3, day),
                                       status="open")
            ReceiptLine.create(shipment=s.id, product=p.id, expected_qty=qty)

    inbound("ASN-A", 6, 1)
    (row,) = backorders.backorder_list()
    assert (row.qty_short, row.eta, row.eta_date) == (5, "2026-03-06 (ASN-A), only 1 expected", dt.date(2026, 3, 6))
    assert [(n.order_number, n.eta) for n in backorders.customer_notices()] == [("3003", "unknown"),
                                                                               ("3004", "unknown")]
    inbound("ASN-B", 10, 3)
    inbound("ASN-C", 20, 10)
    (row,) = backorders.backorder_list()
    assert row.eta == "2026-03-20 (ASN-C)"  # when every waiting order has its units
    assert [(n.order_number, n.eta) for n in backorders.customer_notices()] == [("3003", "2026-03-10"),
                                                                               ("3004", "2026-03-20")]
    # two units already received, waiting in RECEIVING to be put away: the oldest order's are here
    world.stock(p.id, "RECEIVING", 2)
    notices = backorders.customer_notices()
    assert [(n.order_number, n.eta) for n in notices] == [("3003", "2026-03-02"), ("3004", "2026-03-10")]
    assert backorders.backorder_list()[0].eta == "2026-03-10 (ASN-B)"
    assert late.number == notices[1].order_number


def test_notices_csv_never_hands_a_spreadsheet_a_formula(world, frozen_clock):
    p = world.product("STOVE")
    orders.create_order("ACME", "F-1", [("STOVE", 1)], actor=world.actor,
                        customer_name='=HYPERLINK("http://x.example","click")', email="f@example.com")
    allocation.allocate_orders(actor=world.actor)
    rows = list(csv.reader(io.StringIO(backorders.notices_csv(backorders.customer_notices()))))
    assert rows[1][:3] == ["'=HYPERLINK(\"http://x.example\",\"click\")", "f@example.com", "F-1"]
    assert rows[1][3] == "1 x Product STOVE (STOVE)" and p.sku == "STOVE"


def test_arrivals_fill_back_orders_in_the_order_allocate_would(world, frozen_clock):
    """Stock arriving for back-orders goes to the most urgent waiting order (priority, then
    ship-by, then the oldest), as an allocation run would: an order due today is served
    before an older one due tomorrow, a priority order before both."""
    p = world.product("STOVE", barcode="012345678905")
    today = frozen_clock().date()
    old = orders.create_order("ACME", "4001", [("STOVE", 1)], actor=world.actor,
                              ship_by=today + dt.timedelta(days=1))
    frozen_clock.advance(hours=1)
    due = orders.create_order("ACME", "4002", [("STOVE", 1)], actor=world.actor, ship_by=today)
    frozen_clock.advance(hours=1)
    rush = orders.create_order("ACME", "4003", [("STOVE", 1)], actor=world.actor, priority=50)
    allocation.allocate_orders(actor=world.actor)  # nothing in stock: all three back-ordered
    assert [orders.order_detail(r.id).status for r in (old, due, rush)] == ["backordered"] * 3
    assert [row.orders for row in backorders.backorder_list()] == [("4003", "4002", "4001")]
    inventory.adjust(p.id, "A-01-01", 1, reason="found", actor=world.actor)
    assert [orders.order_detail(r.id).status for r in (old, due, rush)] == [
        "backordered", "backordered", "allocated"]
    inventory.adjust(p.id, "A-01-01", 1, reason="found", actor=world.actor)
    assert [orders.order_detail(r.id).status for r in (old, due, rush)] == [
        "backordered", "allocated", "allocated"]
    assert ledger.check().ok


def test_an_overdue_inbound_takes_no_place_in_the_notices_queue(world, frozen_clock):
    """E-1 waits for 3 units, E-3 (added after it) for 1. PO-A (3 units) was due 2026-03-04 and
    is overdue; PO-B brings 10 on 2026-03-12 and covers both: each is told 2026-03-12 (E-1 was
    told nothing while E-3, served after it, got a date)."""
    from app.store import db
    from app.store.models import InboundShipment, ReceiptLine

    p = world.product("KETTLE")
    for number, qty in (("E-1", 3), ("E-3", 1)):
        orders.create_order("ACME", number, [("KETTLE", qty)], actor=world.actor, customer_name=number,
                            email=f"{number}@example.com")
        frozen_clock.advance(hours=1)
    allocation.allocate_orders(actor=world.actor)
    with db.write():
        for ref, day, qty in (("PO-A", 4, 3), ("PO-B", 12, 10)):
            s = InboundShipment.create(client=p.client_id, ref=ref, expected_date=dt.date(2026, 3, day),
                                       status="open")
            ReceiptLine.create(shipment=s.id, product=p.id, expected_qty=qty)
    frozen_clock.current = dt.datetime(2026, 3, 6, 9, 0)
    notices = backorders.customer_notices()
    assert [(n.order_number, n.eta, n.eta_date) for n in notices] == [
        ("E-1", "2026-03-12", dt.date(2026, 3, 12)), ("E-3", "2026-03-12", dt.date(2026, 3, 12))]
    assert list(csv.reader(io.StringIO(backorders.notices_csv(notices))))[1:] == [
        ["E-1", "E-1@example.com", "E-1", "3 x Product KETTLE (KETTLE)", "2026-03-12"],
        ["E-3", "E-3@example.com", "E-3", "1 x Product KETTLE (KETTLE)", "2026-03-12"]]
    assert "Thursday 12 March 2026" in backorders.notice_message(notices[0])
    assert backorders.backorder_list()[0].eta == "2026-03-12 (PO-B)"  # when both orders have their units
    # PO-A alone: nothing ahead to promise from
    with db.write():
        ReceiptLine.update(received_qty=ReceiptLine.expected_qty).where(
            ReceiptLine.shipment == InboundShipment.get(InboundShipment.ref == "PO-B").id).execute()
    assert [(n.order_number, n.eta) for n in backorders.customer_notices()] == [("E-1", "unknown"),
                                                                               ("E-3", "unknown")]
    assert ledger.check().ok
