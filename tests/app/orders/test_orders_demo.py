"""Demo orders: about thirty, across the demo clients, allocated, some back-ordered."""

from __future__ import annotations

from app import demo, orders
from app.demo import orders as demo_orders
from app.orders import backorders


def test_demo_orders(database, monkeypatch):
    monkeypatch.setattr(demo.warehouse, "_extend", lambda summary, actor: None)
    demo.create_demo()
    (text,) = demo_orders.add_demo_documents()
    assert text.startswith("demo orders: 30 orders;")
    counts = orders.status_counts()
    assert sum(counts.values()) == 30
    assert counts["new"] == 0
    assert counts["allocated"] >= 15
    assert counts["backordered"] + counts["partially_allocated"] >= 3
    assert {r.client_code for r in orders.list_orders()} == {"ACME", "BLOOM", "NOVA"}
    assert backorders.backorder_list()
