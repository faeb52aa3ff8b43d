"""The receiving report PDF, read back with pypdf."""

from __future__ import annotations

import dataclasses
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
    flat = re.sub(r"\s+", " ", text)
    assert "Receiving report: ASN-REP-1" in flat
    assert "Client: ACME - Acme Outdoor Co." in flat
    assert "Carrier: UPS" in flat and "Tracking: 1Z999" in flat
    assert "Expected date: 2026-03-04" in flat
    assert "Received by: tester" in flat
    assert "First unit received: 2026-03-02 09:00 UTC" in flat
    assert "Closed: 2026-03-02 09:45 UTC by tester" in flat
    assert "Status: Closed" in flat  # the status in words, as on the screen
    assert ("Expected 14 · received in good condition 15 · damaged 1 · short 1 · over 3") in flat
    # SKU, product, expected, received, damaged, short, over, note
    assert "WIDGET-1 Product WIDGET-1 10 8 1 1 0 damaged" in flat
    assert "GADGET-2 Product GADGET-2 4 5 0 0 1 over-receipt" in flat
    assert "EXTRA-3 Product EXTRA-3 0 2 0 0 2 not on ASN" in flat
    assert "Total 3 lines 14 15 1 1 3" in flat
    assert "page 1 of 1" in flat


def test_long_report_wraps_names_repeats_heads_and_numbers_pages(world, frozen_clock):
    """A 120-line ASN with long names in Polish and Russian: nothing cut, every page has
    the column heads and 'page n of m', and the non-Latin-1 text comes out as text."""

    world.product("P-0", barcode="P-0-CODE")
    ship = receiving.create_shipment("ACME", "ASN-BIG", [("P-0", 1)], actor=world.actor)
    base = receiving.shipment_detail(ship.id)
    name = "Двухместная палатка «Турист», żółta, with a name far too long for one line"
    lines = tuple(dataclasses.replace(base.lines[0], sku=f"SKU-{i:03d}-LONG-VARIANT-XL",
                                      name=f"{name} {i}", expected=i + 1, received=i)
                  for i in range(120))
    detail = dataclasses.replace(base, lines=lines, client_name="Żółw Sp. z o.o.")
    pdf = render_receiving_report(detail)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages >= 3
    texts = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    for n, text in enumerate(texts, start=1):
        assert "SKU Product Expected Received Damaged Short Over Note" in text
        assert f"page {n} of {pages}" in text
    everything = " ".join(texts)
    assert "Żółw Sp. z o.o." in everything
    for i in (0, 57, 119):
        assert f"{name} {i}" in everything  # wrapped, not cut
    assert f"Total 120 lines {sum(range(1, 121))} {sum(range(120))} 0 120 0" in everything
    # The Cyrillic and Polish text is set in an embedded Unicode TrueType font, not in
    # Helvetica (Latin-1 only, which would print boxes).
    fonts = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("DejaVu" in f or "Arial" in f for f in fonts), fonts
