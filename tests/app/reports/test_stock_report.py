"""Report ``stock`` (on hand / reserved / available, reorder point, slow movers) and ``bins``
(occupancy per zone) over the known floor history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.cli import main
from app.kernel.errors import NotFound, ValidationError
from app.reports import catalog, productivity, shipping_report, stock_report
from app.reports.table import Period
from tests.support import floor_history

PERIOD = Period.of(dt.date(2026, 3, 2), dt.date(2026, 3, 3))


@pytest.fixture
def history(world, frozen_clock):
    floor_history.build(world, frozen_clock)
    return world


def history_db_url(world) -> str:
    return world.db.url


def test_stock_per_product_with_reorder_point_and_slow_movers(history):
    table = stock_report.stock(PERIOD)
    assert table.columns == ("client", "sku", "name", "on_hand", "reserved", "available", "reorder_point",
                             "at_reorder_point", "last_outbound", "slow_mover")
    assert table.rows == [
        ("ACME", "CUP", "Product CUP", 0, 0, 0, 5, "yes", "", ""),
        ("ACME", "LAMP", "Product LAMP", 1, 0, 1, 1, "yes", "", "yes"),
        ("ACME", "TENT", "Product TENT", 5, 0, 5, 8, "yes", "2026-03-03", ""),
        ("BETA", "MUG", "Product MUG", 2, 0, 2, 0, "", "2026-03-02", ""),
    ]
    assert "30 days" in table.notes[2]
    # one day back from Tuesday 18:00: MUG last shipped Monday 11:20, so it is slow now
    assert [r[1] for r in stock_report.stock(PERIOD, days=1).rows if r[9] == "yes"] == ["LAMP", "MUG"]
    assert [r[1] for r in stock_report.stock(PERIOD, client="beta").rows] == ["MUG"]


def test_stock_refuses_bad_days_and_unknown_client(history):
    for bad in (0, -3, 1.5, True, 4000):
        with pytest.raises(ValidationError, match="days must be a whole number"):
            stock_report.stock(PERIOD, days=bad)
    with pytest.raises(NotFound):
        stock_report.stock(PERIOD, client="NOBODY")


def test_bin_occupancy_per_zone(history):
    table = stock_report.bin_occupancy(PERIOD)
    assert table.rows == [
        ("A", 3, 2, 1, Decimal("0.6667"), 8),  # A-01-01: 5 TENT; A-01-02: 1 LAMP + 2 MUG
        ("B", 1, 0, 1, Decimal("0.0000"), 0),
        ("ALL", 4, 2, 2, Decimal("0.5000"), 8),
    ]
    assert stock_report.bin_occupancy(PERIOD, client="BETA").rows == [
        ("A", 3, 1, 2, Decimal("0.3333"), 2),
        ("B", 1, 0, 1, Decimal("0.0000"), 0),
        ("ALL", 4, 1, 3, Decimal("0.2500"), 2),
    ]


def test_cli_reports_through_the_catalog(history, capsys):
    url = history_db_url(history)
    assert main(["--db", url, "report", "stock", "--from", "2026-03-02", "--to", "2026-03-03",
                 "--days", "1", "--csv"]) == 0
    out = capsys.readouterr().out
    assert out == catalog.to_csv(stock_report.stock(PERIOD, days=1))
    assert out.splitlines()[2] == "ACME,LAMP,Product LAMP,1,0,1,1,yes,,yes"
    for name, fn in (("productivity", productivity.productivity), ("shipping", shipping_report.shipping),
                     ("bins", stock_report.bin_occupancy)):
        assert main(["--db", url, "report", name, "--from", "2026-03-02", "--to", "2026-03-03", "--csv"]) == 0
        assert capsys.readouterr().out == catalog.to_csv(fn(PERIOD))
    with pytest.raises(SystemExit) as refused:  # refused by the argument parser, as a usage error
        main(["--db", url, "report", "stock", "--from", "2026-03-02", "--to", "2026-03-03", "--days", "0"])
    assert refused.value.code == 2
    assert "days must be a whole number" in capsys.readouterr().err
