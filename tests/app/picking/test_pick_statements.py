"""A confirmed pick's cost: the statements one scan runs, what it reads once and reuses."""

from __future__ import annotations

import pytest

from app import picking
from app.picking.lines import match_product
from app.store import db
from app.store.models import PickLine
from tests.app.picking.test_picking import Wave


@pytest.fixture
def wave(world, frozen_clock):
    w = Wave(world)
    w.allocate()
    return w


def _statements(monkeypatch, fn):
    """The statements ``fn`` sends to the database (raw and peewee's), in order."""
    seen: list[str] = []
    obj = db.database.obj
    real = obj.execute_sql
    monkeypatch.setattr(obj, "execute_sql", lambda sql, params=None: seen.append(sql) or real(sql, params))
    try:
        result = fn()
    finally:
        monkeypatch.setattr(obj, "execute_sql", real)
    return result, seen


def test_a_pick_in_the_middle_of_the_walk_runs_a_fixed_handful_of_statements(wave, monkeypatch):
    ref = picking.create_picklist(actor=wave.actor)
    _, seen = _statements(monkeypatch, lambda: picking.confirm_pick(
        ref.id, bin_code="C-01-01", scan_code="BC-SKU-H", tote=1, actor=wave.actor))
    # One of the line's two units: no line reaches a milestone, none is stamped.
    assert not any(sql.startswith("UPDATE order_line SET allocated_at") for sql in seen)
    # The list is picking now: a pick by SKU (any case) that leaves the stop open...
    r, seen = _statements(monkeypatch, lambda: picking.confirm_pick(
        ref.id, bin_code="C-01-01", scan_code="sku-h", tote=2, actor=wave.actor))
    assert (r.sku, r.tote, r.qty, r.stop_remaining) == ("SKU-H", 2, 1, 1)
    assert r.stop.totes[0].picked == 1 and r.next_stop == r.stop
    # list, the stop's lines, barcode, reservation (read, write), order line, pick line, the move
    # (balances and record), the stop and the next, the order's status: no re-reads.
    assert len(seen) <= 13, seen
    assert any(sql.startswith("UPDATE order_line SET allocated_at") for sql in seen)  # tote 2's line is picked
    assert not any("FROM product WHERE" in sql for sql in seen)  # the SKU came with the stop's lines
    # ...and the pick that closes the stop.
    r, seen = _statements(monkeypatch, lambda: picking.confirm_pick(
        ref.id, bin_code="C-01-01", scan_code="BC-SKU-H", tote=1, actor=wave.actor))
    assert r.stop_remaining == 0 and r.next_stop.bin_code == "A-01-01" and r.picklist_status == "picking"
    assert len(seen) <= 14, seen
    statuses = {ln.tote: ln.status for ln in PickLine.select().where(PickLine.picklist == ref.id)
                if ln.qty_picked}
    assert statuses == {1: "picked", 2: "picked"}


def test_a_line_picked_in_part_stays_open_and_the_rest_closes_it(wave):
    ref = picking.create_picklist(actor=wave.actor)
    r = picking.confirm_pick(ref.id, bin_code="C-01-01", scan_code="BC-SKU-H", tote=1, actor=wave.actor)
    line = PickLine.get((PickLine.picklist == ref.id) & (PickLine.tote == 1)
                        & (PickLine.product == wave.pid("SKU-H")))
    assert (line.qty_picked, line.status, r.stop_remaining) == (1, "open", 2)
    picking.confirm_pick(ref.id, bin_code="C-01-01", scan_code="BC-SKU-H", tote=1, actor=wave.actor)
    line = PickLine.get((PickLine.picklist == ref.id) & (PickLine.tote == 1)
                        & (PickLine.product == wave.pid("SKU-H")))
    assert (line.qty_picked, line.status) == (2, "picked")


def test_the_skus_given_match_as_the_queries_would(wave):
    h, a = wave.pid("SKU-H"), wave.pid("SKU-A")
    skus = {h: "SKU-H", a: "SKU-A"}
    for code in ("SKU-H", "sku-h", "Sku-A", "BC-SKU-A", "SKU-Z", "skü-h"):
        assert match_product(code, {h, a}, skus) == match_product(code, {h, a}), code
    # A SKU outside ASCII is compared by the database, as without the SKUs.
    assert match_product("SKÜ-H", {h}, {h: "skü-h"}) is None
