"""The walk order fixed at wave creation: each stop's rank, the next stop by index, re-routed lines mid-walk."""

from __future__ import annotations

import pytest

from app import ledger, picking
from app.picking.lines import current_lines, open_lines, walk_seq_for
from app.picking.view import stop_pair, stop_pair_at
from app.store import db
from tests.app.picking.test_picking import WALK, Wave, pick_upto


@pytest.fixture
def wave(world, frozen_clock):
    w = Wave(world)
    w.allocate()
    return w


def _ranks(picklist_id: int) -> list[tuple[str, str, int]]:
    """(bin, sku, walk rank) of every pick line, in rank order."""
    return [tuple(r) for r in db.execute(
        "SELECT DISTINCT l.code, p.sku, pl.walk_seq FROM pick_line pl JOIN location l ON l.id = pl.location_id "
        "JOIN product p ON p.id = pl.product_id WHERE pl.picklist_id = ? ORDER BY pl.walk_seq", (picklist_id,),
    ).fetchall()]


def _every_stop_read_alone_equals_the_view(picklist_id: int) -> None:
    view = picking.picklist_view(picklist_id)
    assert [s.index for s in view.stops] == list(range(1, len(view.stops) + 1))
    for stop in view.stops:
        alone, nxt = stop_pair(picklist_id, (stop.location_id, stop.product_id))
        assert alone == stop
        assert nxt == view.next_stop
        rank = db.execute("SELECT walk_seq FROM pick_line WHERE picklist_id = ? AND location_id = ? "
                          "AND product_id = ? AND status <> 'cancelled' LIMIT 1",
                          (picklist_id, stop.location_id, stop.product_id)).fetchone()[0]
        assert stop_pair_at(picklist_id, rank) == (stop, view.next_stop)  # what a pick reads, in one query
    assert picking.next_stop(picklist_id) == view.next_stop


def test_a_new_wave_ranks_each_stop_once_in_walk_order(wave):
    ref = picking.create_picklist(actor=wave.actor)
    ranks = _ranks(ref.id)
    assert [code for code, _, _ in ranks] == list(WALK)
    assert [rank for _, _, rank in ranks] == list(range(1, len(WALK) + 1))
    _every_stop_read_alone_equals_the_view(ref.id)


def test_a_rerouted_line_lands_mid_walk_and_the_later_stops_move_up(wave):
    ref = picking.create_picklist(actor=wave.actor)
    # SKU-B also lies in B-02-02: on the walk between A-01-02 and A-02-01 (SKU-B's own bin).
    wave.world.stock(wave.pid("SKU-B"), "B-02-02", 10)
    pick_upto(wave, ref.number, "A-02-01")
    res = picking.short_pick(ref.number, bin_code="A-02-01", product="BC-SKU-B", qty_short=3,
                             reason="short", actor=wave.actor)
    assert {r.bin_code for r in res.rerouted} == {"B-02-02"}
    ranks = _ranks(ref.id)
    assert [(code, sku) for code, sku, _ in ranks] == [
        ("C-01-01", "SKU-H"), ("A-01-01", "SKU-A"), ("A-03-01", "SKU-F"), ("A-01-02", "SKU-C"),
        ("B-02-02", "SKU-B"), ("B-02-02", "SKU-G"), ("A-02-01", "SKU-B"), ("B-01-01", "SKU-E"),
        ("A-01-03", "SKU-D")]
    assert [rank for _, _, rank in ranks] == list(range(1, 10))
    # The picker is sent back to the re-routed stop, numbered where the screen's walk shows it.
    assert (res.next_stop.bin_code, res.next_stop.sku, res.next_stop.index) == ("B-02-02", "SKU-B", 5)
    _every_stop_read_alone_equals_the_view(ref.id)
    # A further line for a stop the wave already has takes that stop's rank; nothing moves.
    before = _ranks(ref.id)
    with db.write():
        assert walk_seq_for(ref.id, ledger.location("B-02-02").id, wave.pid("SKU-B")) == 5
    assert _ranks(ref.id) == before


def test_the_next_stop_is_one_row_of_the_walk_index(wave):
    if not db.is_sqlite():
        pytest.skip("the query plan is read from SQLite")
    ref = picking.create_picklist(actor=wave.actor)
    plan = " ".join(str(r[-1]) for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT walk_seq FROM pick_line WHERE picklist_id = ? AND status = 'open' "
        "ORDER BY walk_seq LIMIT 1", (ref.id,)).fetchall())
    assert "pick_line_walk" in plan and "TEMP B-TREE" not in plan


def test_a_stop_left_without_lines_drops_out_of_the_numbering(wave):
    ref = picking.create_picklist(actor=wave.actor)
    before = picking.picklist_view(ref.id)
    # Take orders off the list until some stop on the walk has no line left to pick.
    for order in before.orders:
        picking.remove_order(ref.id, order.order_number, actor=wave.actor, reason="customer cancelled")
        gone = db.execute(
            "SELECT COUNT(DISTINCT walk_seq) FROM pick_line c WHERE picklist_id = ? AND status = 'cancelled' "
            "AND NOT EXISTS (SELECT 1 FROM pick_line x WHERE x.picklist_id = c.picklist_id "
            "AND x.walk_seq = c.walk_seq AND x.status <> 'cancelled')", (ref.id,)).fetchone()[0]
        if gone and picking.next_stop(ref.id) is not None:
            break
    assert gone and len(picking.picklist_view(ref.id).stops) == len(before.stops) - gone
    _every_stop_read_alone_equals_the_view(ref.id)


def _plan_of_last_read(monkeypatch, read):
    """What ``read()`` returned, and SQLite's plan (its steps) for the last statement it sent."""
    seen = []
    real = db.execute
    monkeypatch.setattr(db, "execute", lambda sql, params=(): seen.append((sql, params)) or real(sql, params))
    got = read()
    monkeypatch.setattr(db, "execute", real)
    sql, params = seen[-1]
    return got, [str(r[-1]) for r in db.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()]


def test_a_bins_open_lines_are_found_on_the_bin_index_not_by_walking_the_wave(wave, monkeypatch):
    if not db.is_sqlite():
        pytest.skip("the query plan is read from SQLite")
    ref = picking.create_picklist(actor=wave.actor)
    stop = picking.next_stop(ref.id)
    found, plan = _plan_of_last_read(monkeypatch, lambda: open_lines(ref.id, stop.location_id))
    assert found
    plan = " ".join(plan)
    assert "pick_line_bin" in plan and "pick_line_walk" not in plan


def test_the_current_stops_lines_are_one_walk_index_row_then_the_bin_index(wave, monkeypatch):
    if not db.is_sqlite():
        pytest.skip("the query plan is read from SQLite")
    ref = picking.create_picklist(actor=wave.actor)
    stop = picking.next_stop(ref.id)
    here, plan = _plan_of_last_read(monkeypatch, lambda: current_lines(ref.id))
    assert here == open_lines(ref.id, stop.location_id) and here[0].bin_code == stop.bin_code
    assert "SEARCH pl USING INDEX pick_line_bin (picklist_id=? AND location_id=? AND status=?)" in plan
    assert "SEARCH x USING INDEX pick_line_walk (picklist_id=? AND status=?)" in plan
    assert not any("SCAN" in step for step in plan)


def test_a_rank_without_lines_still_names_the_next_stop(wave):
    ref = picking.create_picklist(actor=wave.actor)
    view = picking.picklist_view(ref.id)
    top = db.execute("SELECT MAX(walk_seq) FROM pick_line WHERE picklist_id = ?", (ref.id,)).fetchone()[0]
    assert stop_pair_at(ref.id, top + 1) == (None, view.next_stop)
