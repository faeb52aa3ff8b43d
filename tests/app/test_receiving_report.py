"""The receiving report PDF, read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf

from app import receiving
from app.documents.receiving_report import render_receiving_report


def test_report_shows_lines_totals_who_and_when(world, frozen_clock):
    world.product("WIDGET-1", barcode="012345678905")
    world.product("GADGET-2", barcode="GAD-2")
    world.product("EXTRA-3", barcode="EXTRA-3")
    ship = receiving.create_shipment("ACME", "ASN-REP-1", [("WIDGET-1", 10), ("GADGET-2", 4)],
                                     actor=world.actor, expected_date=dt.date(2026, 3, 4),
                                     carrier="UPS", tracking="1Z999")
    receiving.receive_scan(ship.id, "012345678905", actor=world.actor, qty=8)
    receiving.receive_scan(ship.id, "012345678905", actor=world.actor, damaged=True)
    receiving.receive_scan(ship.id, "GAD-2", actor=world.actor, qty=5)
    receiving.receive_scan(ship.id, "EXTRA-3", actor=world.actor, qty=2)
    frozen_clock.advance(minutes=45)
    receiving.close_shipment(ship.id, actor=world.actor)
    pdf = render_receiving_report(receiving.shipment_detail(ship.id))
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Receiving report: ASN-REP-1" in text
    assert "Client: ACME - Acme Outdoor Co." in text
    assert "Carrier: UPS" in text and "Tracking: 1Z999" in text
    assert "Expected date: 2026-03-04" in text
    assert "Received by: tester" in text
    assert "First unit received: 2026-03-02 09:00 UTC" in text
    assert "Closed: 2026-03-02 09:45 UTC by tester" in text
    flat = re.sub(r"\s+", " ", text)
    # SKU, product, expected, received, damaged, short, over
    assert "WIDGET-1 Product WIDGET-1 10 8 1 1 0" in flat
    assert "GADGET-2 Product GADGET-2 4 5 0 0 1 over-receipt" in flat
    assert "EXTRA-3 Product EXTRA-3 0 2 0 0 2 not on ASN" in flat
    assert "Total 3 lines 14 15 1 1 3" in flat
