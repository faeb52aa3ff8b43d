"""The stock ledger under random sequences of receipts, transfers, shipments, adjustments and
undos, compared with a plain Python model of the balances; refused moves write nothing."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import inventory, ledger
from app.kernel.errors import OutOfStock, ValidationError
from app.store import db

BINS = ("A-01-01", "A-01-02", "A-02-01", "RECEIVING")  # three bins and a staging area
PRODUCTS_PER_EXAMPLE = 2
_serial = itertools.count(1)

op = st.one_of(
    st.tuples(st.just("receive"), st.integers(0, 1), st.sampled_from(BINS), st.just(""), st.integers(1, 20)),
    st.tuples(st.just("transfer"), st.integers(0, 1), st.sampled_from(BINS), st.sampled_from(BINS),
              st.integers(1, 25)),
    st.tuples(st.just("ship"), st.integers(0, 1), st.sampled_from(BINS[:3]), st.just(""), st.integers(1, 25)),
    st.tuples(st.just("adjust"), st.integers(0, 1), st.sampled_from(BINS[:3]), st.just(""),
              st.integers(-25, 25).filter(bool)),
    st.tuples(st.just("undo"), st.integers(0, 1), st.just(""), st.just(""), st.integers(0, 1000)),
)


def _ledger_state() -> tuple[int, list[tuple]]:
    moves = db.execute("SELECT COUNT(*) FROM stock_move").fetchone()[0]
    balances = db.execute("SELECT product_id, location_id, on_hand, reserved FROM stock_level "
                          "ORDER BY product_id, location_id").fetchall()
    return moves, [tuple(r) for r in balances]


def _db_balances(product_ids: list[int]) -> dict[tuple[int, str], int]:
    marks = ", ".join("?" * len(product_ids))
    rows = db.execute(
        "SELECT sl.product_id, l.code, sl.on_hand FROM stock_level sl JOIN location l ON l.id = sl.location_id "
        f"WHERE sl.product_id IN ({marks}) AND sl.on_hand <> 0", product_ids).fetchall()
    return {(pid, code): qty for pid, code, qty in rows}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(op, min_size=1, max_size=25))
def test_random_sequences_keep_the_ledger_consistent(world, ops):
    # The database fixture is created once per test, not per example: each example works
    # on products of its own, so the model starts from zero.
    n = next(_serial)
    pids = [world.product(f"H{n}-{i}").id for i in range(PRODUCTS_PER_EXAMPLE)]
    model: dict[tuple[int, str], int] = {}
    moves: list[tuple[int, int, str, str, int]] = []  # (move id, product, from, to, qty)
    undone: set[int] = set()
    undo_ids: set[int] = set()
    actor = world.actor

    def have(pid: int, code: str) -> int:
        return model.get((pid, code), 0)

    def book(move_id: int, pid: int, src: str, dst: str, qty: int) -> None:
        if src not in ("SUPPLIER", "CUSTOMER", "ADJUSTMENT"):
            model[(pid, src)] = have(pid, src) - qty
        if dst not in ("SUPPLIER", "CUSTOMER", "ADJUSTMENT"):
            model[(pid, dst)] = have(pid, dst) + qty
        moves.append((move_id, pid, src, dst, qty))

    for kind, which, a, b, qty in ops:
        pid = pids[which]
        before = _ledger_state()
        expect_refusal: type[Exception] | None = None
        if kind == "receive":
            mid = inventory.move(pid, "SUPPLIER", a, qty, actor=actor, kind="receive")
            book(mid, pid, "SUPPLIER", a, qty)
        elif kind == "transfer":
            if a == b:
                expect_refusal = ValidationError
            elif qty > have(pid, a):
                expect_refusal = OutOfStock
            try:
                mid = inventory.transfer(pid, a, b, qty, actor=actor)
            except (OutOfStock, ValidationError) as exc:
                assert type(exc) is expect_refusal, str(exc)
            else:
                assert expect_refusal is None
                book(mid, pid, a, b, qty)
        elif kind == "ship":
            expect_refusal = OutOfStock if qty > have(pid, a) else None
            try:
                mid = inventory.move(pid, a, "CUSTOMER", qty, actor=actor, kind="ship")
            except OutOfStock:
                assert expect_refusal is OutOfStock
            else:
                assert expect_refusal is None
                book(mid, pid, a, "CUSTOMER", qty)
        elif kind == "adjust":
            expect_refusal = OutOfStock if qty < 0 and -qty > have(pid, a) else None
            try:
                mid = inventory.adjust(pid, a, qty, reason="count", actor=actor)
            except OutOfStock:
                assert expect_refusal is OutOfStock
            else:
                assert expect_refusal is None
                src, dst = ("ADJUSTMENT", a) if qty > 0 else (a, "ADJUSTMENT")
                book(mid, pid, src, dst, abs(qty))
        elif kind == "undo" and moves:
            target_id, tpid, src, dst, tqty = moves[qty % len(moves)]
            if target_id in undone or target_id in undo_ids:
                expect_refusal = ValidationError
            elif dst not in ("CUSTOMER", "ADJUSTMENT") and tqty > have(tpid, dst):
                expect_refusal = OutOfStock
            try:
                mid = ledger.reverse_move(target_id, actor=actor)
            except (OutOfStock, ValidationError) as exc:
                assert type(exc) is expect_refusal, str(exc)
            else:
                assert expect_refusal is None
                undone.add(target_id)
                undo_ids.add(mid)
                book(mid, tpid, dst, src, tqty)
        if expect_refusal is not None:
            assert _ledger_state() == before, f"a refused {kind} changed the ledger"
        assert all(v >= 0 for v in model.values())
        assert _db_balances(pids) == {k: v for k, v in model.items() if v}

    for pid in pids:
        bins_total = sum(have(pid, code) for code in BINS[:3])
        assert ledger.available(pid) == bins_total
        assert sum(r.on_hand for r in ledger.stock_rows(search=f"H{n}-") if r.product_id == pid) == bins_total
    report = ledger.check()
    assert report.ok, report.problems


def test_a_negative_balance_is_refused_with_a_clear_message_and_nothing_written(world):
    p = world.product("LAMP-1")
    world.stock(p.id, "A-01-01", 5)
    before = _ledger_state()
    with pytest.raises(OutOfStock) as info:
        inventory.transfer(p.id, "A-01-01", "A-01-02", 6, actor=world.actor)
    message = str(info.value)
    assert message == "A-01-01 has 5 of LAMP-1 free (5 on hand, 0 reserved): cannot take 6"
    assert "\n" not in message
    assert _ledger_state() == before

    with pytest.raises(OutOfStock, match="A-01-02 has 0 of LAMP-1 free"):
        inventory.adjust(p.id, "A-01-02", -1, reason="lost", actor=world.actor)
    with pytest.raises(OutOfStock):
        inventory.move(p.id, "A-01-01", "CUSTOMER", 99, actor=world.actor, kind="ship")
    assert _ledger_state() == before


def test_a_refusal_inside_a_larger_transaction_undoes_the_whole_step(world):
    p = world.product("LAMP-2")
    world.stock(p.id, "A-01-01", 3)
    before = _ledger_state()
    supplier, a1, a2 = (ledger.location(c).id for c in ("SUPPLIER", "A-01-01", "A-01-02"))
    with pytest.raises(OutOfStock):
        with db.write():
            ledger.apply_move(p.id, supplier, a2, 4, kind="receive", actor=world.actor)
            ledger.apply_move(p.id, a1, a2, 10, kind="transfer", actor=world.actor)
    assert _ledger_state() == before
    assert ledger.on_hand(p.id, "A-01-02") == 0


def test_a_caught_refusal_leaves_nothing_half_written(world):
    # A service may catch OutOfStock and go on in the same transaction: the refused move
    # must not have put anything anywhere.
    p = world.product("LAMP-5")
    world.stock(p.id, "A-01-01", 3)
    a1, a2 = ledger.location("A-01-01").id, ledger.location("A-01-02").id
    moves_before = _ledger_state()[0]
    with db.write():
        with pytest.raises(OutOfStock):
            ledger.apply_move(p.id, a1, a2, 10, kind="transfer", actor=world.actor)
        with pytest.raises(OutOfStock, match="A-01-01 holds 3 of LAMP-5 \\(0 reserved\\): cannot take 1"):
            ledger.apply_move(p.id, a1, a2, 1, kind="pick", actor=world.actor, consume_reserved=1)
        ledger.apply_move(p.id, a1, a2, 1, kind="transfer", actor=world.actor)
    assert (ledger.on_hand(p.id, "A-01-01"), ledger.on_hand(p.id, "A-01-02")) == (2, 1)
    assert _ledger_state()[0] == moves_before + 1
    with pytest.raises(ValidationError, match="virtual location holds no reservation"):
        with db.write():
            ledger.apply_move(p.id, ledger.location("SUPPLIER").id, a1, 1, kind="receive",
                                 actor=world.actor, consume_reserved=1)


def test_moves_are_append_only(world):
    from peewee import DatabaseError

    p = world.product("LAMP-3")
    world.stock(p.id, "A-01-01", 3)
    for sql in ("UPDATE stock_move SET qty = 99", "DELETE FROM stock_move"):
        with pytest.raises(DatabaseError, match="append-only"):
            with db.write():
                db.execute(sql)
    assert db.execute("SELECT qty FROM stock_move").fetchall() == [(3,)]


def test_bad_quantities_and_locations_are_refused(world):
    p = world.product("LAMP-4")
    world.stock(p.id, "A-01-01", 3)
    before = _ledger_state()
    for qty in (0, -1, 1.5):
        with pytest.raises(ValidationError):
            inventory.transfer(p.id, "A-01-01", "A-01-02", qty, actor=world.actor)
    with pytest.raises(ValidationError, match="not a real location"):
        inventory.transfer(p.id, "A-01-01", "CUSTOMER", 1, actor=world.actor)
    with pytest.raises(ValidationError, match="unknown reason"):
        inventory.adjust(p.id, "A-01-01", 1, reason="because", actor=world.actor)
    with pytest.raises(ValidationError, match="virtual"):
        inventory.adjust(p.id, "SCRAP", 1, reason="count", actor=world.actor)
    assert _ledger_state() == before


# --- the check finds every kind of breach ---------------------------------------------


def _raw(sql: str, params=()) -> None:
    with db.write():
        db.execute(sql, params)


@pytest.mark.breaks_ledger
def test_check_finds_a_balance_that_disagrees_with_the_moves(world, capsys):
    p = world.product("BAD-1")
    world.stock(p.id, "A-01-01", 5)
    assert ledger.check().ok
    a1 = ledger.location("A-01-01").id
    _raw("UPDATE stock_level SET on_hand = 7 WHERE product_id = ? AND location_id = ?", (p.id, a1))
    report = ledger.check()
    assert report.problems == ["balance of BAD-1 in A-01-01 is 7, moves say 5"]
    from app import cli

    url = world.db.url
    db.close()
    assert cli.main(["--db", url, "check"]) == 1
    out, err = capsys.readouterr()
    assert "BREACH: balance of BAD-1 in A-01-01 is 7, moves say 5" in out
    assert err.strip() == "ledger check failed: 1 problem"
    db.open_database(url)


@pytest.mark.breaks_ledger
def test_check_finds_balances_without_moves_negatives_and_reservations(world):
    p = world.product("BAD-2")
    a1, a2 = ledger.location("A-01-01").id, ledger.location("A-01-02").id
    _raw("INSERT INTO stock_level (product_id, location_id, on_hand, reserved) VALUES (?, ?, 3, 0)", (p.id, a1))
    _raw("INSERT INTO stock_level (product_id, location_id, on_hand, reserved) VALUES (?, ?, -2, 1)", (p.id, a2))
    problems = ledger.check().problems
    assert "balance of BAD-2 in A-01-01 is 3 without any move" in problems
    assert "BAD-2 in A-01-02 (bin): on hand -2, reserved 1" in problems
    assert "BAD-2 in A-01-02: reserved 1 but allocations total 0" in problems


@pytest.mark.breaks_ledger
def test_check_finds_malformed_and_false_undo_moves(world):
    p = world.product("BAD-3")
    world.stock(p.id, "A-01-01", 5)
    sup, a1 = ledger.location("SUPPLIER").id, ledger.location("A-01-01").id
    first = db.execute("SELECT id FROM stock_move").fetchone()[0]
    _raw("INSERT INTO stock_move (product_id, from_location_id, to_location_id, qty, kind, reason, doc_type, "
         "doc_ref, user_name, station, created_at) VALUES (?, ?, ?, 0, 'receive', '', '', '', 'x', '', ?)",
         (p.id, sup, sup, "2026-01-01 00:00:00"))
    _raw("INSERT INTO stock_move (product_id, from_location_id, to_location_id, qty, kind, reason, doc_type, "
         "doc_ref, user_name, station, created_at, reverses_id) "
         "VALUES (?, ?, ?, 2, 'undo', '', '', '', 'x', '', ?, ?)", (p.id, sup, a1, "2026-01-01 00:00:00", first))
    problems = ledger.check().problems
    ids = [r[0] for r in db.execute("SELECT id FROM stock_move ORDER BY id").fetchall()]
    assert f"stock move #{ids[1]} is malformed (quantity, locations, kind, who or when)" in problems
    assert f"stock move #{ids[2]} claims to undo a move it does not mirror" in problems


# --- per-product totals (product_stock, kept by triggers) -------------------------------


def _totals(sku: str) -> tuple:
    row = next(r for r in ledger.stock_rows(search=sku) if r.sku == sku)
    return (row.on_hand, row.reserved, row.available, row.receiving, row.quarantine, row.elsewhere)


def test_stock_totals_follow_every_kind_of_location_and_sort_by_index(world):
    tent, lamp = world.product("TOT-TENT"), world.product("TOT-LAMP")
    for code, qty in (("A-01-01", 7), ("A-01-02", 1), ("RECEIVING", 5), ("QUARANTINE", 2), ("PACKING", 3)):
        inventory.move(tent.id, "SUPPLIER", code, qty, actor=world.actor, kind="receive")
    inventory.move(lamp.id, "SUPPLIER", "A-02-01", 20, actor=world.actor, kind="receive")
    inventory.move(lamp.id, "SUPPLIER", "RETURNS", 1, actor=world.actor, kind="receive")
    assert _totals("TOT-TENT") == (8, 0, 8, 5, 2, 3)
    assert _totals("TOT-LAMP") == (20, 0, 20, 0, 0, 1)
    inventory.transfer(tent.id, "RECEIVING", "A-01-01", 4, actor=world.actor)
    inventory.move(tent.id, "A-01-02", "CUSTOMER", 1, actor=world.actor, kind="ship")
    assert _totals("TOT-TENT") == (11, 0, 11, 1, 2, 3)
    # Each quantity column sorts both ways (ties broken by product id).
    expected = {"on_hand": (11, 20), "receiving": (1, 0), "quarantine": (2, 0), "elsewhere": (3, 1),
                "available": (11, 20), "reserved": (0, 0)}
    for column, (tent_value, lamp_value) in expected.items():
        for descending in (False, True):
            rows = [(r.sku, getattr(r, column)) for r in ledger.stock_rows(
                search="TOT-", sort=column, descending=descending)]
            want = sorted([("TOT-TENT", tent_value), ("TOT-LAMP", lamp_value)],
                          key=lambda x: (x[1], {"TOT-TENT": tent.id, "TOT-LAMP": lamp.id}[x[0]]),
                          reverse=descending)
            assert rows == want, (column, descending)
    # Paging by a quantity: offset/limit walk the same order.
    first = ledger.stock_rows(search="TOT-", sort="on_hand", descending=True, limit=1)
    second = ledger.stock_rows(search="TOT-", sort="on_hand", descending=True, limit=1, offset=1)
    assert [r.sku for r in first + second] == ["TOT-LAMP", "TOT-TENT"]
    assert ledger.check().ok


@pytest.mark.breaks_ledger
def test_totals_follow_raw_writes_and_the_check_finds_a_wrong_total(world):
    p = world.product("TOT-RAW")
    world.stock(p.id, "A-01-01", 6)
    a1 = ledger.location("A-01-01").id
    # Allocation writes reserved with its own SQL: the totals follow whatever writes stock_level.
    _raw("UPDATE stock_level SET reserved = 2 WHERE product_id = ? AND location_id = ?", (p.id, a1))
    assert _totals("TOT-RAW") == (6, 2, 4, 0, 0, 0)
    _raw("UPDATE stock_level SET reserved = 0 WHERE product_id = ? AND location_id = ?", (p.id, a1))
    _raw("DELETE FROM stock_level WHERE product_id = ? AND location_id = ?", (p.id, a1))
    assert _totals("TOT-RAW") == (0, 0, 0, 0, 0, 0)
    problems = ledger.check().problems
    assert problems == ["balance of TOT-RAW in A-01-01 is 0, moves say 6"]  # the totals agree
    # A total that disagrees with the balances is a breach.
    _raw("INSERT INTO stock_level (product_id, location_id, on_hand, reserved) VALUES (?, ?, 6, 0)", (p.id, a1))
    _raw("UPDATE product_stock SET on_hand = 99 WHERE product_id = ?", (p.id,))
    assert ledger.check().problems == ["stock total on_hand of TOT-RAW is 99, balances say 6"]
    _raw("DELETE FROM product_stock WHERE product_id = ?", (p.id,))
    assert ledger.check().problems == ["TOT-RAW has no stock totals row"]
    # A balance row never changes product or location (the totals could not follow).
    with pytest.raises(Exception, match="keeps its product and location"):
        _raw("UPDATE stock_level SET location_id = ? WHERE product_id = ?",
             (ledger.location("A-01-02").id, p.id))
