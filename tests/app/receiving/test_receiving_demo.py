"""The demo adds open inbound shipments with expected dates."""

from __future__ import annotations

from app import demo, receiving


def test_demo_adds_open_asns(database, frozen_clock):
    summary = demo.create_demo()
    assert any("ASN-ACME-1001" in line for line in summary.extra)
    rows = receiving.list_shipments()
    assert [(r.ref, r.status, r.expected_date.isoformat()) for r in rows] == [
        ("ASN-ACME-1001", "open", "2026-03-04"), ("ASN-BLOOM-2001", "open", "2026-03-07")]
    assert rows[0].expected == 72
