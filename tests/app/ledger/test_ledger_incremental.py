"""The incremental ledger check: only the moves since the last clean check, the balances they touched."""

from __future__ import annotations

import pytest

from app import cli, inventory, ledger
from app.ledger.check import FULL_EVERY
from app.store import db


def _raw(sql: str, params=()) -> None:
    with db.write():
        db.execute(sql, params)


def test_an_incremental_check_reads_the_moves_since_the_last_clean_one(world, frozen_clock):
    p = world.product("INC-1")
    world.stock(p.id, "A-01-01", 5)
    first = ledger.check(incremental=True)  # nothing remembered yet: a full check
    assert (first.ok, first.full, first.moves) == (True, True, 1)
    inventory.transfer(p.id, "A-01-01", "A-01-02", 2, actor=world.actor)
    inventory.transfer(p.id, "A-01-02", "A-02-01", 1, actor=world.actor)
    report = ledger.check(incremental=True)
    assert (report.ok, report.full, report.new_moves, report.moves, report.balances) == (True, False, 2, 3, 3)
    nothing_new = ledger.check(incremental=True)
    assert (nothing_new.ok, nothing_new.full, nothing_new.new_moves, nothing_new.moves) == (True, False, 0, 3)
    # The last full check is old by the next day: the automatic check reads everything again.
    frozen_clock.advance(seconds=FULL_EVERY.total_seconds() + 1)
    again = ledger.check(incremental=True)
    assert (again.ok, again.full, again.moves) == (True, True, 3)


@pytest.mark.breaks_ledger
def test_an_incremental_check_finds_a_touched_balance_a_bad_move_and_a_changed_total(world, frozen_clock):
    p, q = world.product("INC-2"), world.product("INC-3")
    world.stock(p.id, "A-01-01", 5)
    world.stock(q.id, "A-02-01", 4)
    assert ledger.check().ok
    a1, a2 = ledger.location("A-01-01").id, ledger.location("A-01-02").id
    inventory.transfer(p.id, "A-01-01", "A-01-02", 2, actor=world.actor)
    _raw("UPDATE stock_level SET on_hand = 9 WHERE product_id = ? AND location_id = ?", (p.id, a2))
    report = ledger.check(incremental=True)
    assert not report.full
    assert "balance of INC-2 in A-01-02 is 9, moves say 2" in report.problems
    assert "stock total on_hand of INC-2 is 3, balances say 10" not in report.problems  # triggers follow
    _raw("UPDATE stock_level SET on_hand = 2 WHERE product_id = ? AND location_id = ?", (p.id, a2))
    assert ledger.check(incremental=True).ok
    # A balance no new move touched, changed behind the ledger's back: the on-hand total shows it.
    a3 = ledger.location("A-02-01").id
    _raw("UPDATE stock_level SET on_hand = 6 WHERE product_id = ? AND location_id = ?", (q.id, a3))
    assert ledger.check(incremental=True).problems == [
        "on hand over all locations is 11, the last check and the moves since say 9"]
    assert ledger.check().problems == ["balance of INC-3 in A-02-01 is 6, moves say 4"]
    _raw("UPDATE stock_level SET on_hand = 4 WHERE product_id = ? AND location_id = ?", (q.id, a3))
    assert ledger.check().ok
    # A malformed new move.
    sup = ledger.location("SUPPLIER").id
    _raw("INSERT INTO stock_move (product_id, from_location_id, to_location_id, qty, kind, reason, doc_type, "
         "doc_ref, user_name, station, created_at) VALUES (?, ?, ?, 0, 'receive', '', '', '', 'x', '', ?)",
         (p.id, sup, sup, "2026-01-01 00:00:00"))
    last = db.execute("SELECT MAX(id) FROM stock_move").fetchone()[0]
    assert ledger.check(incremental=True).problems == [
        f"stock move #{last} is malformed (quantity, locations, kind, who or when)"]
    assert a1  # the untouched source bin stays as the moves say


def test_cli_check_is_full_by_default_and_incremental_on_request(world, frozen_clock, capsys):
    p = world.product("INC-4")
    world.stock(p.id, "A-01-01", 5)
    url = world.db.url
    db.close()
    assert cli.main(["--db", url, "check"]) == 0
    assert capsys.readouterr().out.strip() == "ledger ok: 1 moves, 1 balances"
    assert cli.main(["--db", url, "check", "--full"]) == 0
    assert capsys.readouterr().out.strip() == "ledger ok: 1 moves, 1 balances"
    assert cli.main(["--db", url, "check", "--incremental"]) == 0
    assert capsys.readouterr().out.strip() == "ledger ok: 1 moves, 1 balances (0 new moves checked)"
    with pytest.raises(SystemExit) as stop:
        cli.main(["--db", url, "check", "--full", "--incremental"])
    assert stop.value.code == 2
    assert capsys.readouterr().err.strip().startswith("error: argument --incremental: not allowed with")
    db.open_database(url)


@pytest.mark.breaks_ledger
def test_both_checks_compare_each_lot_on_its_own(world, frozen_clock):
    p = world.product("LOT-1")
    sup, a1 = ledger.location("SUPPLIER").id, ledger.location("A-01-01").id
    with db.write():
        ledger.apply_move(p.id, sup, a1, 5, kind="receive", actor=world.actor, lot="L1")
        ledger.apply_move(p.id, sup, a1, 3, kind="receive", actor=world.actor, lot="L2")
    assert ledger.check().ok
    # Two units booked under the wrong lot: the bin's total is right, each lot's is not.
    _raw("UPDATE stock_level SET on_hand = on_hand - 2 WHERE product_id = ? AND lot = 'L1'", (p.id,))
    _raw("UPDATE stock_level SET on_hand = on_hand + 2 WHERE product_id = ? AND lot = 'L2'", (p.id,))
    assert sorted(ledger.check().problems) == ["balance of LOT-1 lot L1 in A-01-01 is 3, moves say 5",
                                               "balance of LOT-1 lot L2 in A-01-01 is 5, moves say 3"]
    # A new move of lot L1 there: the incremental check reads that lot's balance, not L2's.
    with db.write():
        ledger.apply_move(p.id, sup, a1, 1, kind="receive", actor=world.actor, lot="L1")
    report = ledger.check(incremental=True)
    assert not report.full
    assert report.problems == ["balance of LOT-1 lot L1 in A-01-01 is 4, moves say 6"]
    _raw("UPDATE stock_level SET on_hand = on_hand + 2 WHERE product_id = ? AND lot = 'L1'", (p.id,))
    _raw("UPDATE stock_level SET on_hand = on_hand - 2 WHERE product_id = ? AND lot = 'L2'", (p.id,))
    assert ledger.check().ok
    # A reservation on a lot that no allocation of that lot holds.
    _raw("UPDATE stock_level SET reserved = 1 WHERE product_id = ? AND lot = 'L2'", (p.id,))
    assert ledger.check().problems == ["LOT-1 lot L2 in A-01-01: reserved 1 but allocations total 0"]
    _raw("UPDATE stock_level SET reserved = 0 WHERE product_id = ? AND lot = 'L2'", (p.id,))
    assert ledger.check().ok


_MOVE = ("INSERT INTO stock_move (product_id, from_location_id, to_location_id, qty, kind, reason, doc_type, "
         "doc_ref, user_name, station, created_at, reverses_id) VALUES (?, ?, ?, ?, ?, '', '', '', 'x', '', "
         "'2026-01-01 00:00:00', ?)")


@pytest.mark.breaks_ledger
def test_both_checks_find_a_false_undo_and_count_only_moves_that_cross_into_real_places(world, frozen_clock):
    p = world.product("INC-5")
    world.stock(p.id, "A-01-01", 5)
    sup, customer = ledger.location("SUPPLIER").id, ledger.location("CUSTOMER").id
    # Between two virtual places: no real location's stock changes, both checks stay clean.
    _raw(_MOVE, (p.id, sup, customer, 3, "adjust", None))
    assert ledger.check().ok and ledger.check(incremental=True).ok
    received = db.execute("SELECT MIN(id) FROM stock_move").fetchone()[0]
    # An "undo" of the receipt that does not mirror it (other quantity), no balance changed.
    _raw(_MOVE, (p.id, customer, sup, 2, "undo", received))
    last = db.execute("SELECT MAX(id) FROM stock_move").fetchone()[0]
    wrong = f"stock move #{last} claims to undo a move it does not mirror"
    assert ledger.check(incremental=True).problems == [wrong]
    assert ledger.check().problems == [wrong]


def test_the_incremental_total_counts_stock_in_every_kind_of_real_place(world, frozen_clock):
    p = world.product("INC-6")
    world.stock(p.id, "A-01-01", 9)
    assert ledger.check().ok
    for place in ("RECEIVING", "QUARANTINE", "PACKING", "A-01-02"):
        inventory.transfer(p.id, "A-01-01", place, 2, actor=world.actor)
        assert ledger.check(incremental=True).ok, place


def test_the_full_check_reads_the_undos_through_their_index(world, frozen_clock, monkeypatch):
    if not db.is_sqlite():
        pytest.skip("the query plan is read from SQLite")
    p = world.product("INC-7")
    world.stock(p.id, "A-01-01", 5)
    seen = []
    real = db.execute
    monkeypatch.setattr(db, "execute", lambda sql, params=(): seen.append((sql, params)) or real(sql, params))
    assert ledger.check().ok
    monkeypatch.setattr(db, "execute", real)
    sql, params = next((q, a) for q, a in seen if "m.reverses_id > 0" in q)
    plan = " ".join(str(r[-1]) for r in db.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall())
    assert "stock_move_reverses_id" in plan and "SCAN m" not in plan
