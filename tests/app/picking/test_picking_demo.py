"""The demo's pick list hook."""

from __future__ import annotations

from app import picking
from app.demo import picking as demo_picking
from tests.app.picking.test_picking import wave  # noqa: F401 - fixture


def test_demo_pick_list_from_allocated_orders(wave):  # noqa: F811
    lines = demo_picking.add_demo_documents(actor=wave.actor)
    assert len(lines) == 1 and lines[0].startswith("demo: pick list PL000001 with 5 orders, 29 units")
    assert [r.number for r in picking.open_picklists()] == ["PL000001"]
    assert demo_picking.add_demo_documents(actor=wave.actor) == []  # nothing left to wave


def test_demo_without_allocated_orders_adds_nothing(world):
    assert demo_picking.add_demo_documents(actor=world.actor) == []
    assert picking.open_picklists() == []
