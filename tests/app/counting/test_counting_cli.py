"""The count commands through app.cli.main: create, scan, finish, approve, recount, show."""

from __future__ import annotations

import pytest

from app import ledger
from app.catalog import users
from app.cli import main
from app.kernel.actor import Actor
from app.store import db
from tests.app.counting.test_counting import shelf  # noqa: F401 - fixture


def run(handle, *args: str) -> int:
    code = main(["--db", handle.url, *args])
    db.connect(handle.url, migrate=False)  # main() closes the connection; the test goes on
    ledger.clear_caches()
    return code


def test_create_scan_finish_approve(world, shelf, capsys):  # noqa: F811
    h = world.db
    assert run(h, "setting", "set", "count_approve_units", "2") == 0
    capsys.readouterr()
    assert run(h, "count", "create", "--zone", "A") == 0
    assert capsys.readouterr().out == "CNT000001 zone A: 3 bins: A-01-01, A-01-02, A-02-01\n"
    assert run(h, "count", "scan", "CNT000001", "--bin", "A-01-01", "--scan", "00012345678905") == 0
    assert run(h, "count", "scan", "CNT000001", "--bin", "A-01-01", "--scan", "TENT", "--qty", "5") == 0
    assert run(h, "count", "scan", "cnt000001", "--bin", "A-01-02", "--scan", "LAMP", "--qty", "9") == 0
    assert run(h, "count", "scan", "CNT000001", "--bin", "A-02-01", "--empty") == 0
    assert capsys.readouterr().out.splitlines() == [
        "A-01-01: TENT +1 (counted 1)", "A-01-01: TENT +5 (counted 6)", "A-01-02: LAMP +9 (counted 9)",
        "A-02-01 counted empty"]
    assert run(h, "count", "finish", "CNT000001") == 0
    assert capsys.readouterr().out == "CNT000001 awaiting approval: 0 lines adjusted, 3 wait for approval\n"
    assert run(h, "count", "show", "CNT000001") == 0
    out = capsys.readouterr().out.splitlines()
    assert [ln.split() for ln in out[1:]] == [
        ["1", "A-01-01", "TENT", "10", "6", "-4", "pending"],
        ["2", "A-01-02", "LAMP", "4", "9", "+5", "pending"],
        ["3", "A-02-01", "LAMP", "3", "0", "-3", "pending"]]
    assert run(h, "count", "approve", "CNT000001", "--line", "1", "2") == 0
    assert capsys.readouterr().out == "CNT000001 awaiting approval: 2 lines adjusted, 1 still wait for approval\n"
    assert run(h, "count", "recount", "CNT000001", "--bin", "A-02-01") == 0
    assert capsys.readouterr().out == "CNT000002 recount of A-02-01; CNT000001 approved\n"
    assert ledger.on_hand(shelf["TENT"], "A-01-01") == 6
    assert ledger.on_hand(shelf["LAMP"], "A-01-02") == 9
    assert ledger.on_hand(shelf["LAMP"], "A-02-01") == 3
    assert run(h, "count", "list") == 0
    out = capsys.readouterr().out.splitlines()
    assert [ln.split()[:5] for ln in out[1:]] == [["CNT000002", "open", "1", "0", "0"],
                                                  ["CNT000001", "approved", "3", "3", "0"]]


@pytest.mark.parametrize(("args", "message"), [
    (("count", "scan", "CNT000001", "--bin", "A-01-02", "--scan", "LAMP"), "A-01-02 is not in count CNT000001"),
    (("count", "scan", "CNT000001", "--bin", "A-01-01", "--scan", "TENT", "--qty", "x"),
     "--qty must be a whole number"),
    (("count", "scan", "CNT000001", "--bin", "A-01-01", "--scan", "NOPE"), "unknown barcode 'NOPE': not a product"),
    (("count", "finish", "CNT000001"), "nothing was counted in CNT000001 yet"),
    (("count", "approve", "CNT000001"), "count CNT000001 is open"),
    (("count", "create", "--stale-days", "-1"), "days must be a whole number of 0 or more"),
    (("count", "create", "--bin", "A-01-01"), "A-01-01 is already in count CNT000001"),
])
def test_refusals_are_one_line_and_change_nothing(world, shelf, capsys, args, message):  # noqa: F811
    assert run(world.db, "count", "create", "--bin", "A-01-01") == 0
    capsys.readouterr()
    assert run(world.db, *args) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert db.execute("SELECT status FROM count_task").fetchall() == [("open",)]
    assert db.execute("SELECT COUNT(*) FROM count_line").fetchone()[0] == 0


def test_the_automation_login_never_counts_nor_finishes_a_count(world, shelf, capsys, monkeypatch):  # noqa: F811
    """A cron job's login may import and allocate, never turn a count into adjustments."""
    for name, role, pin in (("sue", "supervisor", "1111"), ("cron", "automation", "4821"),
                            ("pat", "packer", "2468")):
        users.create_user(name, role, pin, actor=Actor.system())
    h = world.db

    def as_user(name: str, pin: str, *args: str) -> int:
        monkeypatch.setenv("PREPDESK_USER", name)
        monkeypatch.setenv("PREPDESK_PIN", pin)
        return run(h, *args)

    assert as_user("sue", "1111", "count", "create", "--bin", "A-01-01") == 0
    capsys.readouterr()
    code = as_user("cron", "4821", "count", "scan", "CNT000001", "--bin", "A-01-01", "--scan", "TENT", "--qty", "3")
    assert (code, capsys.readouterr().err) == (1, "error: cron (automation) may not count stock: needs supervisor or "
                                                  "receiver or packer\n")
    assert as_user("pat", "2468", "count", "scan", "CNT000001", "--bin", "A-01-01", "--scan", "TENT",
                   "--qty", "3") == 0
    capsys.readouterr()
    assert as_user("cron", "4821", "count", "finish", "CNT000001") == 1
    assert capsys.readouterr().err == ("error: cron (automation) may not finish counts: needs supervisor or "
                                       "receiver or packer\n")
    assert ledger.on_hand(shelf["TENT"], "A-01-01") == 10
    assert db.execute("SELECT status FROM count_task WHERE number = 'CNT000001'").fetchone()[0] == "counting"
    assert ledger.check().ok
