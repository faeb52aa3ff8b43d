"""``main.py report NAME`` for every report of the catalog over the known history: the CSV is
exactly ``catalog.to_csv(catalog.run(...))``, the readable table shows rates as percentages,
bad dates and unknown clients are one line and exit 2."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.cli import main
from app.kernel.errors import ValidationError
from app.reports import catalog
from app.reports.table import Table
from app.store import db, settings
from tests.support import reports as history


def _run(handle, capsys, *argv):
    try:
        code = main(["--db", handle.url, *argv])
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    out = capsys.readouterr()
    db.connect(handle.url, migrate=False)  # main() closes the connection; the fixture checks after
    return code, out.out, out.err


@pytest.fixture
def known(world, frozen_clock):
    return history.build(world, frozen_clock)


PERIOD = ("--from", "2026-03-02", "--to", "2026-03-09")


@pytest.mark.parametrize("name", sorted(catalog.REPORTS))
def test_the_csv_is_the_catalog_s_csv(world, known, capsys, name):
    code, out, err = _run(world.db, capsys, "report", name, *PERIOD, "--csv")
    assert (code, err) == (0, "")
    assert out == catalog.to_csv(catalog.run(name, history.period()))
    code, out, _ = _run(world.db, capsys, "report", name, *PERIOD, "--csv", "--client", "acme")
    assert out == catalog.to_csv(catalog.run(name, history.period(), client="ACME"))


def test_fulfillment_as_a_readable_table(world, known, capsys):
    code, out, _ = _run(world.db, capsys, "report", "fulfillment", *PERIOD)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Fulfillment 2026-03-02 to 2026-03-09"
    assert lines[2].split() == ["ACME", "10", "1", "9", "7", "5", "77.78%", "55.56%", "80.00%", "69.23%"]
    assert lines[3].split()[0] == "ALL"
    assert any(line.startswith("Due:") for line in lines)


def test_processing_times_csv_over_the_command_line(world, known, capsys):
    code, out, _ = _run(world.db, capsys, "report", "processing-times", *PERIOD, "--csv")
    assert out.splitlines()[:2] == ["client,stage,orders,median_hours,p90_hours,max_hours",
                                    "ACME,received_to_shipped,7,22.02,66.00,66.00"]


@pytest.mark.parametrize(("argv", "message"), [
    (("--from", "March", "--to", "2026-03-09"), "'March' is not a date (YYYY-MM-DD)"),
    (("--from", "2026-03-09", "--to", "2026-02-30"), "'2026-02-30' is not a date (YYYY-MM-DD)"),
    (("--from", "2026-03-09", "--to", "2026-03-02"), "the period ends (2026-03-02) before it starts (2026-03-09)"),
    ((*PERIOD, "--client", "NOPE"), "no client NOPE"),
])
def test_bad_input_is_one_line_and_exit_2(world, capsys, argv, message):
    for name in ("fulfillment", "late", "backorders", "processing-times"):
        code, out, err = _run(world.db, capsys, "report", name, *argv)
        assert (code, out) == (2, "")
        assert len(err.strip().splitlines()) == 1 and message in err


@pytest.mark.parametrize(("zone", "argv", "bad"), [
    ("Etc/UTC", ("--from", "9999-12-31", "--to", "9999-12-31"), "9999-12-31"),
    ("Etc/UTC", ("--from", "2026-12-01", "--to", "9999-12-31"), "9999-12-31"),
    ("Pacific/Auckland", ("--from", "0001-01-01", "--to", "2026-12-01"), "0001-01-01"),
])
def test_a_date_out_of_range_is_one_line_and_exit_2(world, cli_user, capsys, zone, argv, bad):
    settings.set_setting("timezone", zone, actor=world.actor)
    message = f"error: {bad} is out of range: dates run from 1900-01-01 to 2999-12-31\n"
    for name in catalog.REPORTS:
        assert _run(world.db, capsys, "report", name, *argv) == (2, "", message), name
    assert _run(world.db, capsys, "billing", "statement", "ACME", *argv) == (2, "", message)


@pytest.mark.parametrize(("argv", "bad"), [
    (("--from", "March", "--to", "2026-03-09"), "'March'"),
    (("--from", "2026-03-09", "--to", "2026-02-30"), "'2026-02-30'"),
])
def test_the_returns_report_refuses_a_bad_date_like_the_others(world, capsys, argv, bad):
    code, out, err = _run(world.db, capsys, "report", "returns", *argv)
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1 and f"{bad} is not a date (YYYY-MM-DD)" in err


def _fake(period, *, client=None, days=30):
    return Table("fake", f"Fake {period.first}", ("client", "days", "fill_rate"),
                         [(client or "ALL", days, Decimal("0.5"))])


def test_a_new_catalog_entry_and_its_option_reach_the_command_line(world, capsys, monkeypatch):
    monkeypatch.setitem(catalog.REPORTS, "fake", catalog.Report(_fake, "a report added later",
                                                                (catalog.Option("days", "look back N days", 30),)))
    code, out, _ = _run(world.db, capsys, "report", "fake", *PERIOD, "--days", "7", "--csv")
    assert (code, out) == (0, "client,days,fill_rate\nALL,7,0.5\n")
    code, out, _ = _run(world.db, capsys, "report", "fake", *PERIOD)
    assert out.splitlines()[:3] == ["Fake 2026-03-02", "client  days  fill_rate", "ALL       30     50.00%"]


def test_the_catalog_refuses_unknown_reports_and_options(world):
    with pytest.raises(ValidationError, match="no report 'nope'"):
        catalog.run("nope", history.period())
    with pytest.raises(ValidationError, match="report fulfillment has no option 'days'"):
        catalog.run("fulfillment", history.period(), days=3)


def test_csv_cells_never_start_a_formula():
    table = Table("x", "x", ("name", "qty", "rate", "hours", "none"),
                          [("=HYPERLINK(\"http://x\")", -2, Decimal("0.1250"), Decimal("-12.00"), None)])
    assert catalog.to_csv(table) == 'name,qty,rate,hours,none\n"\'=HYPERLINK(""http://x"")",-2,0.1250,-12.00,\n'


@pytest.mark.parametrize(("days", "message"), [
    ("99999999999", "days must be a whole number from 1 to 3,650, not 99999999999"),
    ("0", "days must be a whole number from 1 to 3,650, not 0"),
    ("3651", "days must be a whole number from 1 to 3,650, not 3651"),
    ("٣", "'٣' is not a whole number"),
])
def test_a_report_option_out_of_range_is_a_usage_error(world, capsys, days, message):
    code, out, err = _run(world.db, capsys, "report", "stock", *PERIOD, "--days", days)
    assert (code, out) == (2, "")
    assert err == f"error: argument --days: {message} (see 'prepdesk report stock --help')\n"
    code, out, _ = _run(world.db, capsys, "report", "stock", *PERIOD, "--days", "3650", "--csv")
    assert code == 0 and out.startswith("client,sku,name,on_hand")
