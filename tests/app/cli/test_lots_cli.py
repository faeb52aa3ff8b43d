"""Lots on the command line: ``adjust``/``transfer --lot`` (or a GS1 scan as the SKU), the
supervisor's ``picklist swap-lot``, and ``setting set`` checking every area's keys (a bad
currency is exit 2 with nothing stored)."""

from __future__ import annotations

import datetime as dt

import pytest

from app import ledger, orders, picking
from app.orders import allocation
from app.store import db
from app.store.models import AuditEvent, Setting, StockMove
from tests.support.commands import run_cli as run

pytestmark = pytest.mark.usefixtures("cli_user")

GTIN = "00000000100014"
SOON, LATE = dt.date(2026, 5, 31), dt.date(2026, 9, 30)


def balances(product_id: int) -> dict[tuple[str, str], int]:
    rows = db.execute("SELECT l.code, sl.lot, sl.on_hand FROM stock_level sl JOIN location l "
                      "ON l.id = sl.location_id WHERE sl.product_id = ? AND sl.on_hand <> 0",
                      (product_id,)).fetchall()
    return {(code, lot): int(oh) for code, lot, oh in rows}


@pytest.fixture
def two_lots(world, frozen_clock):
    """A-02-01 holds VITAMIN-C lot SOON (3) and lot LATE (4); A-01-01 holds 5 of lot LATE."""
    vit = world.product("VITAMIN-C", barcode=GTIN, track_lot=True, track_expiry=True).id
    with db.write():
        for lot, expiry, bin_code, qty in (("LATE", LATE, "A-01-01", 5), ("LATE", LATE, "A-02-01", 4),
                                           ("SOON", SOON, "A-02-01", 3)):
            ledger.register_lot(vit, lot, expiry)
            ledger.apply_move(vit, ledger.location("SUPPLIER").id, ledger.location(bin_code).id, qty,
                              kind="receive", actor=world.actor, reason="test stock", lot=lot)
    return world, vit


def test_transfer_and_adjust_one_of_two_lots(two_lots, capsys):
    world, vit = two_lots
    code, out, err = run(world.db, capsys, "transfer", "VITAMIN-C", "--from", "A-02-01", "--to", "B-01-01",
                         "--qty", "2")
    assert (code, out, err) == (1, "", "error: VITAMIN-C is tracked by lot: name the lot (LATE, SOON)\n")
    code, out, err = run(world.db, capsys, "transfer", "VITAMIN-C", "--from", "a-02-01", "--to", "b-01-01",
                         "--qty", "2", "--lot", "SOON")
    assert (code, out, err) == (0, "moved 2 VITAMIN-C lot SOON from A-02-01 to B-01-01\n", "")
    code, out, err = run(world.db, capsys, "adjust", "VITAMIN-C", "--bin", "A-02-01", "--qty", "-1",
                         "--reason", "damaged", "--lot", "LATE", "--note", "crushed")
    assert (code, out, err) == (0, "adjusted VITAMIN-C lot LATE in A-02-01 by -1\n", "")
    # a GS1 scan as the SKU names the lot (AI 17 then AI 10 needs no separator)
    code, out, err = run(world.db, capsys, "adjust", f"]C101{GTIN}17260531" + "10SOON", "--bin", "A-02-01",
                         "--qty", "-1", "--reason", "lost")
    assert (code, out, err) == (0, "adjusted VITAMIN-C lot SOON in A-02-01 by -1\n", "")
    # the only lot left in B-01-01 needs no name
    code, out, _ = run(world.db, capsys, "transfer", "VITAMIN-C", "--from", "B-01-01", "--to", "A-01-02",
                       "--qty", "1")
    assert (code, out) == (0, "moved 1 VITAMIN-C lot SOON from B-01-01 to A-01-02\n")
    assert balances(vit) == {
        ("A-01-01", "LATE"): 5, ("A-02-01", "LATE"): 3, ("B-01-01", "SOON"): 1, ("A-01-02", "SOON"): 1}
    assert ledger.lot_expiry(vit, "SOON") == SOON
    assert ledger.check().ok


def test_supervisor_swaps_the_lot_of_a_pick_line(two_lots, capsys):
    world, vit = two_lots
    ref = orders.create_order("ACME", "5001", [("VITAMIN-C", 2)], actor=world.actor)
    allocation.allocate_orders(actor=world.actor, order_ids=[ref.id])
    pl = picking.create_picklist(actor=world.actor)
    code, out, _ = run(world.db, capsys, "picklist", "show", pl.number)
    assert code == 0 and "lot SOON EXP 05-31-2026" in out.splitlines()[2]

    code, out, err = run(world.db, capsys, "picklist", "swap-lot", pl.number, "--bin", "A-02-01",
                         "--scan", "VITAMIN-C", "--lot", "NOPE")
    assert (code, out, err) == (1, "", "error: VITAMIN-C has no lot NOPE\n")
    code, out, err = run(world.db, capsys, "picklist", "swap-lot", pl.number, "--bin", "A-01-01",
                         "--scan", "VITAMIN-C", "--lot", "LATE")
    assert (code, err) == (1, f"error: {pl.number} has nothing left to pick of 'VITAMIN-C' in A-01-01\n")
    # the unit's GS1 code names the lot to take
    code, out, err = run(world.db, capsys, "picklist", "swap-lot", pl.number, "--bin", "A-02-01",
                         "--scan", f"]C101{GTIN}10LATE\x1d17260930")
    assert (code, out, err) == (0, f"{pl.number}: 2 × VITAMIN-C in A-02-01 now from lot LATE (was lot SOON)\n", "")
    assert [(a.bin_code, a.lot, a.qty) for a in orders.allocations_for(order_id=ref.id)] == [
        ("A-02-01", "LATE", 2)]
    assert AuditEvent.get(AuditEvent.kind == "lot_swapped").user_name == "cli-boss"
    code, _, err = run(world.db, capsys, "picklist", "swap-lot", pl.number, "--bin", "A-02-01",
                       "--scan", "VITAMIN-C", "--lot", "LATE")
    assert (code, err) == (1, "error: lot LATE is the lot allocated already\n")
    assert ledger.check().ok


def test_setting_set_checks_the_keys_of_every_area(world, capsys):
    before = StockMove.select().count()
    code, out, err = run(world.db, capsys, "setting", "set", "currency", "XYZ1")
    assert (code, out) == (2, "")
    assert err == "error: currency 'XYZ1' is a three-letter code such as USD, EUR, CAD\n"
    assert Setting.get_or_none(Setting.key == "currency") is None
    assert run(world.db, capsys, "setting", "set", "currency", "eur")[:2] == (0, "currency = EUR\n")
    code, _, err = run(world.db, capsys, "setting", "set", "count_approve_value", "lots")
    assert (code, err) == (2, "error: count approval value must be an amount like 50.00, not 'lots'\n")
    assert Setting.get_or_none(Setting.key == "count_approve_value") is None
    assert run(world.db, capsys, "setting", "set", "count_approve_value", "49.9")[:2] == (
        0, "count_approve_value = 49.90\n")
    code, _, err = run(world.db, capsys, "setting", "set", "exchange_release", "whenever")
    assert (code, err) == (2, "error: unknown exchange release 'whenever': use one of advance, on_receipt\n")
    code, _, err = run(world.db, capsys, "setting", "set", "warehouse_name", "x" * 201)
    assert (code, err) == (2, "error: the warehouse name is at most 200 characters\n")
    code, _, err = run(world.db, capsys, "setting", "set", "count_approve_units", "five")
    assert (code, err) == (2, "error: count approval units must be a whole number from 0 to 1000000, not 'five'\n")
    assert run(world.db, capsys, "setting", "set", "count_approve_units", "007")[:2] == (
        0, "count_approve_units = 7\n")
    assert {s.key: s.value for s in Setting.select()} == {"currency": "EUR", "count_approve_value": "49.90",
                                                          "count_approve_units": "7"}
    assert StockMove.select().count() == before


def test_count_show_names_each_lines_lot(two_lots, capsys):
    world, _vit = two_lots
    assert run(world.db, capsys, "count", "create", "--bin", "A-02-01")[0] == 0
    for lot, date, qty in (("SOON", "260531", "3"), ("LATE", "260930", "2")):
        code = run(world.db, capsys, "count", "scan", "CNT000001", "--bin", "A-02-01",
                   "--scan", f"01{GTIN}17{date}10{lot}", "--qty", qty)
        assert code[0] == 0, code
    assert run(world.db, capsys, "count", "finish", "CNT000001")[0] == 0
    code, out, err = run(world.db, capsys, "count", "show", "CNT000001")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["LINE", "BIN", "SKU", "LOT", "EXPECTED", "COUNTED", "DIFF", "STATUS"]
    assert sorted(ln.split()[2:7] for ln in lines[1:]) == [
        ["VITAMIN-C", "LATE", "4", "2", "-2"], ["VITAMIN-C", "SOON", "3", "3", "+0"]]
    assert ledger.check().ok


def test_adjust_of_a_new_lot_records_its_expiry_from_the_scan_or_expiry(two_lots, capsys):
    world, vit = two_lots
    code, out, err = run(world.db, capsys, "adjust", "VITAMIN-C", "--bin", "A-02-01", "--qty", "+5",
                         "--reason", "found", "--lot", "LOTC")
    assert (code, out, err) == (1, "", "error: lot LOTC of VITAMIN-C is new: give its expiry date\n")
    code, out, err = run(world.db, capsys, "adjust", f"]C101{GTIN}17270131" + "10LOTD", "--bin", "A-02-01",
                         "--qty", "+2", "--reason", "found")
    assert (code, out, err) == (0, "adjusted VITAMIN-C lot LOTD in A-02-01 by +2\n", "")
    code, out, err = run(world.db, capsys, "adjust", "VITAMIN-C", "--bin", "A-02-01", "--qty", "+5",
                         "--reason", "found", "--lot", "LOTC", "--expiry", "2026-03-20")
    assert (code, out, err) == (0, "adjusted VITAMIN-C lot LOTC in A-02-01 by +5\n", "")
    code, out, err = run(world.db, capsys, "adjust", "VITAMIN-C", "--bin", "A-02-01", "--qty", "+1",
                         "--reason", "found", "--lot", "LOTC", "--expiry", "2026-04-01")
    assert (code, out, err) == (1, "", "error: lot LOTC of VITAMIN-C expires on 2026-03-20, not 2026-04-01\n")
    with pytest.raises(SystemExit) as usage:  # (argparse's usage error)
        run(world.db, capsys, "adjust", "VITAMIN-C", "--bin", "A-02-01", "--qty", "+1", "--reason", "found",
            "--lot", "LOTC", "--expiry", "2026-02-30")
    assert usage.value.code == 2 and "'2026-02-30' is not a date (YYYY-MM-DD)" in capsys.readouterr().err
    db.connect(world.db.url)
    assert (ledger.lot_expiry(vit, "LOTD"), ledger.lot_expiry(vit, "LOTC")) == (dt.date(2027, 1, 31),
                                                                                dt.date(2026, 3, 20))
    assert balances(vit) == {("A-01-01", "LATE"): 5, ("A-02-01", "LATE"): 4, ("A-02-01", "SOON"): 3,
                             ("A-02-01", "LOTD"): 2, ("A-02-01", "LOTC"): 5}
    code, out, err = run(world.db, capsys, "stock", "--expiring-within", "30")
    assert code == 0 and "LOTC" in out and "5 units in 1 lot balances expire within 30 days" in out
    assert ledger.check().ok
