"""Mis-scan counts over the warehouse's days: a Los Angeles evening is that local day, not the
next UTC day; an unknown client and a reversed period are one line each, exit 2."""

from __future__ import annotations

import datetime as dt

import pytest

from app import ledger, packing
from app.kernel.errors import NotFound, ValidationError
from app.store import settings
from tests.support.commands import run_cli as _run
from tests.support.packing import PACKER, make_products, picked_order


@pytest.fixture
def evening(world, frozen_clock):
    """In Los Angeles, order 1001 packed on Saturday 2026-12-05 at 18:05 local (02:05 UTC on
    the 6th): one unit verified, one wrong item; and one more scan on the 6th at 09:00 local."""
    settings.set_setting("timezone", "America/Los_Angeles", actor=world.actor)
    prods = make_products(world, [("TENT", "TENT-1"), ("LAMP", "LAMP-1"), ("STOVE", "STOVE-1")])
    order = picked_order(world, "1001", [("TENT", 2, 2), ("LAMP", 1, 1)], products=prods)
    frozen_clock.current = dt.datetime(2026, 12, 6, 2, 5)
    packing.verify_scan(order.id, "TENT-1", actor=PACKER)
    packing.verify_scan(order.id, "STOVE-1", actor=PACKER)
    frozen_clock.current = dt.datetime(2026, 12, 6, 17, 0)
    packing.verify_scan(order.id, "LAMP-1", actor=PACKER)
    return order


def test_days_are_the_warehouse_s_days(evening):
    rows = packing.mis_scan_counts(group="day")
    assert [(r.key, r.ok, r.wrong_item) for r in rows] == [("2026-12-05", 1, 1), ("2026-12-06", 1, 0)]
    (fifth,) = packing.mis_scan_counts(group="day", date_from=dt.date(2026, 12, 5), date_to=dt.date(2026, 12, 6))
    assert (fifth.key, fifth.scans, fifth.mis_scans) == ("2026-12-05", 2, 1)
    (sixth,) = packing.mis_scan_counts(date_from=dt.date(2026, 12, 6), client="acme")
    assert (sixth.key, sixth.ok, sixth.wrong_item) == ("ACME", 1, 0)
    assert ledger.check().ok


def test_an_unknown_client_or_a_reversed_period_is_refused(evening):
    with pytest.raises(NotFound, match="^no client NOPE$"):
        packing.mis_scan_counts(client="nope")
    with pytest.raises(ValidationError, match=r"^the period ends \(2026-12-05\) before it starts \(2026-12-06\)$"):
        packing.mis_scan_counts(date_from=dt.date(2026, 12, 6), date_to=dt.date(2026, 12, 5))


@pytest.mark.usefixtures("cli_user")
def test_the_command_counts_local_days_and_refuses_bad_input_with_exit_2(database, evening, capsys):
    code, out, err = _run(database, capsys, "misscans", "--by", "day", "--from", "2026-12-05", "--to", "2026-12-06")
    assert (code, err) == (0, "")
    assert [line.split() for line in out.splitlines()[1:]] == [["2026-12-05", "2", "1", "1", "0", "0", "0"]]
    for argv, message in ((("--client", "NOPE"), "error: no client NOPE\n"),
                          (("--from", "2026-12-06", "--to", "2026-12-05"),
                           "error: the period ends (2026-12-05) before it starts (2026-12-06)\n"),
                          (("--from", "9999-12-31"),
                           "error: 9999-12-31 is out of range: dates run from 1900-01-01 to 2999-12-31\n")):
        assert _run(database, capsys, "misscans", *argv) == (2, "", message)
