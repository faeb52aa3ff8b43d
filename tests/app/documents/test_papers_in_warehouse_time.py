"""Papers read in the warehouse's zone: the receiving report's times and the packing slip's
order date are Los Angeles time when the warehouse is there (read back with pypdf)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf

from app import packing, receiving
from app.documents.receiving_report import render_receiving_report
from app.orders.backorders import Eta
from app.packing import papers
from app.store import settings
from tests.support.packing import PACKER, make_products, picked_order


def text_of(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))


def test_the_receiving_report_names_the_warehouse_time(world, frozen_clock):
    settings.set_setting("timezone", "America/Los_Angeles", actor=world.actor)
    world.product("WIDGET-1", barcode="012345678905")
    frozen_clock.current = dt.datetime(2026, 12, 5, 1, 30)  # 17:30 on the 4th, Pacific
    ship = receiving.create_shipment("ACME", "ASN-LA-1", [("WIDGET-1", 2)], actor=world.actor)
    receiving.receive_scan(ship.id, "012345678905", actor=world.actor, qty=2)
    frozen_clock.advance(minutes=45)
    receiving.close_shipment(ship.id, actor=world.actor)
    flat = text_of(render_receiving_report(receiving.shipment_detail(ship.id)))
    assert "First unit received: 2026-12-04 17:30 PST" in flat
    assert "Closed: 2026-12-04 18:15 PST by tester" in flat and "UTC" not in flat


def test_the_packing_slip_dates_the_order_on_the_warehouse_day(world, frozen_clock):
    settings.set_setting("timezone", "America/Los_Angeles", actor=world.actor)
    frozen_clock.current = dt.datetime(2026, 12, 5, 3, 0)  # 19:00 on the 4th, Pacific
    prods = make_products(world, [("MUG", "MUG-1")])
    order = picked_order(world, "5001", [("MUG", 1, 1)], products=prods)
    packing.verify_scan(order.id, "MUG-1", actor=PACKER)
    assert "Order date: 2026-12-04" in text_of(papers.render_slip(order.id))


def test_an_eta_is_overdue_from_the_warehouse_day_after_it(world, frozen_clock):
    settings.set_setting("timezone", "America/Los_Angeles", actor=world.actor)
    frozen_clock.current = dt.datetime(2026, 12, 5, 7, 59)  # 23:59 on the 4th, Pacific
    eta = Eta(dt.date(2026, 12, 4), "PO-1")
    assert not eta.overdue and eta.promise == dt.date(2026, 12, 4)
    frozen_clock.current = dt.datetime(2026, 12, 5, 8, 0)  # midnight: the 5th begins
    assert eta.overdue and eta.text == "2026-12-04 (PO-1), overdue"
