"""The billing commands: rates, charges, statements as CSV and PDF (the same lines as the
service), and bad input refused with one line, exit 2 and nothing changed."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import billing
from app.cli import main
from app.store import db
from tests.app.billing.history import EXPECTED_LINES, EXPECTED_TOTAL, build_history


@pytest.fixture
def run(world, cli_user, capsys):
    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--db", world.db.url, *argv])
        db.connect(world.db.url, migrate=False)  # main() closes the connection; the test reads on
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def _pdf_text(path) -> str:
    """The PDF's text with every run of white space made one space (cells come out one a line)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(str(path)).pages).split())


def test_csv_and_pdf_carry_the_statements_lines(world, frozen_clock, run, tmp_path):
    build_history(world, frozen_clock)
    assert run("billing", "setting", "warehouse_name", "North Dock Fulfilment")[0] == 0
    assert run("billing", "setting", "warehouse_address", "12 Quay Road | Portsmouth NH 03801")[0] == 0
    code, out, err = run("billing", "statement", "ACME", "--from", "2026-03-02", "--to", "2026-03-06", "--csv")
    assert (code, err) == (0, "")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["fee", "quantity", "rate", "amount"]
    assert rows[1:-1] == [[f, str(q), r, a] for f, q, r, a in EXPECTED_LINES]
    assert rows[-1] == ["TOTAL", "", "", EXPECTED_TOTAL]

    pdf = tmp_path / "statement.pdf"
    code, out, err = run("billing", "statement", "ACME", "--from", "2026-03-02", "--to", "2026-03-06",
                         "--out", str(pdf))
    assert code == 0 and "statement ST000001 written to" in out
    text = _pdf_text(pdf)
    for line in ("North Dock Fulfilment", "12 Quay Road", "Portsmouth NH 03801", "Statement ST000001",
                 "Period 2026-03-02 to 2026-03-06", "Acme Outdoor Co.", "page 1 of 1"):
        assert line in text
    # the same lines, in order: each fee's title with its code (as in the CSV) under it
    lines = " ".join(f"{billing.fee_title(f)} {f} {q} {r} {a}" for f, q, r, a in EXPECTED_LINES)
    assert f"Amount (USD) {lines} TOTAL {EXPECTED_TOTAL}" in text
    assert "Receiving, per unit receive_unit 20 0.35 7.00" in text


def test_rates_set_and_shown(world, run):
    code, out, _ = run("billing", "rates", "ACME", "--set", "order=2.50", "--set", "storage_unit_day=0.0125",
                       "--from", "2026-01-01")
    assert code == 0 and out == "ACME: from 2026-01-01: order=2.50, storage_unit_day=0.0125\n"
    run("billing", "rates", "ACME", "--set", "order=2.75", "--from", "2026-02-01")
    code, out, _ = run("billing", "rates", "ACME", "--from", "2026-01-15")
    assert code == 0
    assert "  order                        2.50  since 2026-01-01" in out
    assert "  2026-02-01  order                        2.75  by cli-boss" in out


def test_showing_the_rates_asks_for_a_supervisor_in_words(world, run, monkeypatch):
    monkeypatch.delenv("PREPDESK_USER")
    code, out, err = run("billing", "rates", "ACME")
    assert (code, out) == (1, "")  # like every command a user must be named for
    assert err == "error: a client's prices are shown to a supervisor: give --user NAME (and the PIN)\n"


def test_a_manual_charge(world, frozen_clock, run):
    code, out, err = run("billing", "charge", "ACME", "--fee", "pallet_wrap", "--qty", "2", "--amount", "12.5",
                         "--note", "rewrapped")
    assert (code, err) == (0, "")
    assert out == "ACME 2026-03-02: 2 x pallet_wrap at 12.50 = 25.00 USD\n"


@pytest.mark.parametrize("argv", [
    ("billing", "rates", "ACME", "--set", "order"),
    ("billing", "rates", "ACME", "--set", "order=cheap"),
    ("billing", "rates", "ACME", "--set", "order=1", "--set", "order=2"),
    ("billing", "rates", "ACME", "--set", "order=1", "--from", "2026-02-30"),
    ("billing", "rates", "NOPE", "--set", "order=1"),
    ("billing", "charge", "ACME", "--fee", "rush", "--qty", "1"),
    ("billing", "charge", "ACME", "--fee", "rush", "--qty", "0", "--amount", "5"),
    ("billing", "charge", "ACME", "--fee", "rush hour", "--qty", "1", "--amount", "5"),
    ("billing", "charge", "ACME", "--fee", "rush", "--qty", "99999999999", "--amount", "5"),
    ("billing", "charge", "ACME", "--fee", "rush", "--qty", "1", "--amount", "5", "--note", "\x1b[31m"),
    ("billing", "rates", "ACME", "--set", "receive_unit=1_0"),
    ("billing", "rates", "ACME", "--set", "receive_unit=1e1"),
    ("billing", "statement", "AC\x01ME", "--from", "2026-03-02", "--to", "2026-03-06"),
    ("billing", "statement", "ACME", "--from", "2026-03-06", "--to", "2026-03-02"),
    ("billing", "statement", "ACME", "--from", "yesterday", "--to", "2026-03-02"),
    ("billing", "setting", "currency", "dollars"),
])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(world, frozen_clock, run, argv):
    count = "SELECT (SELECT COUNT(*) FROM rate) + (SELECT COUNT(*) FROM charge) + (SELECT COUNT(*) FROM setting)"
    before = db.execute(count).fetchone()[0]
    code, out, err = run(*argv)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    assert db.execute(count).fetchone()[0] == before


def test_only_a_supervisor_bills(world, run, monkeypatch):
    from app.catalog import users
    from app.kernel.actor import Actor

    users.create_user("pat", "packer", "2468", actor=Actor.system())
    monkeypatch.setenv("PREPDESK_USER", "pat")
    monkeypatch.setenv("PREPDESK_PIN", "2468")
    code, _, err = run("billing", "rates", "ACME", "--set", "order=1")
    assert code == 1 and "supervisor" in err
    assert db.execute("SELECT COUNT(*) FROM rate").fetchone()[0] == 0


def _issued() -> list[str]:
    return [d for (d,) in db.execute("SELECT detail FROM audit_event WHERE kind = 'statement_issued' ORDER BY id")]


@pytest.mark.parametrize(("out", "said"), [
    ("{tmp}/missing/st.pdf", "error: cannot write {tmp}/missing/st.pdf: folder {tmp}/missing does not exist"),
    (".", "error: . is a folder: give a file name, e.g. statement.pdf"),
])
def test_a_pdf_that_cannot_be_written_is_refused_before_a_number_is_taken(world, frozen_clock, run, tmp_path,
                                                                           monkeypatch, out, said):
    build_history(world, frozen_clock)
    monkeypatch.chdir(tmp_path)
    out, said = out.replace("{tmp}", str(tmp_path)), said.replace("{tmp}", str(tmp_path))
    period = ("--from", "2026-03-02", "--to", "2026-03-06")
    assert run("billing", "statement", "ACME", *period, "--out", out) == (2, "", said + "\n")
    assert _issued() == []
    code, out, _ = run("billing", "statement", "ACME", *period, "--out", "st.pdf")
    assert code == 0 and "statement ST000001 written to st.pdf" in out  # no number lost
    assert _pdf_text(tmp_path / "st.pdf").count("Statement ST000001") == 1


def test_a_pdf_failing_once_issued_says_so_and_is_reprinted_under_its_number(world, frozen_clock, run, tmp_path,
                                                                             monkeypatch):
    build_history(world, frozen_clock)
    period = ("--from", "2026-03-02", "--to", "2026-03-06")
    full = tmp_path / "full.pdf"
    real = Path.write_bytes

    def disk_full(self, data):
        if self == full:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    code, out, err = run("billing", "statement", "ACME", *period, "--out", str(full))
    assert (code, out) == (1, "")
    assert err == (f"error: statement ST000001 was issued but cannot be written to {full}: No space left on "
                   "device; print it again with: billing reprint ST000001 --out FILE.pdf\n")
    assert _issued() == [f"ST000001 ACME 2026-03-02..2026-03-06 total {EXPECTED_TOTAL} USD"]

    frozen_clock.current += dt.timedelta(days=3)  # printed again later: still dated the day it was issued
    again = tmp_path / "again.pdf"
    code, out, err = run("billing", "reprint", "st000001", "--out", str(again))
    assert (code, err) == (0, "")
    assert out == f"statement ST000001 (ACME, 2026-03-02 to 2026-03-06, total {EXPECTED_TOTAL} USD) written to {again}\n"
    text = _pdf_text(again)
    assert "Statement ST000001" in text and f"TOTAL {EXPECTED_TOTAL}" in text
    assert "Period 2026-03-02 to 2026-03-06" in text and "Issued 2026-03-07" in text
    assert len(_issued()) == 1  # a reprint takes no number

    assert run("billing", "reprint", "ST000009", "--out", str(again)) == (2, "", "error: no statement ST000009 was issued\n")
    assert run("billing", "reprint", "9", "--out", str(again)) == (
        2, "", "error: '9' is not a statement number (e.g. ST000001)\n")
    # a price changed inside the period since: the statement is not printed again as something else
    assert run("billing", "rates", "ACME", "--set", "order=9", "--from", "2026-03-02")[0] == 0
    code, out, err = run("billing", "reprint", "ST000001", "--out", str(tmp_path / "changed.pdf"))
    assert (code, out) == (1, "") and "was issued for " + EXPECTED_TOTAL in err and "cannot be printed again" in err
    assert not (tmp_path / "changed.pdf").exists()


def test_a_period_not_ended_is_refused_an_issue_and_previewed_so_far(world, frozen_clock, run, tmp_path):
    build_history(world, frozen_clock)  # the clock: 08:00 on 2026-03-07
    out_pdf = tmp_path / "fut.pdf"
    code, out, err = run("billing", "statement", "ACME", "--from", "2026-03-07", "--to", "2026-03-13",
                         "--out", str(out_pdf))
    assert (code, out) == (2, "")
    assert err == ("error: the period 2026-03-07 to 2026-03-13 has not ended (today is 2026-03-07 in the "
                   "warehouse): it can be issued from 2026-03-14 on; until then only previewed, without a number\n")
    assert not out_pdf.exists() and _issued() == []

    code, out, err = run("billing", "statement", "ACME", "--from", "2026-03-02", "--to", "2026-03-13")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == ("ACME Acme Outdoor Co.: 2026-03-02 to 2026-03-13 (USD), so far: the period "
                                   "has not ended; storage to the end of 2026-03-06")
    assert out.splitlines()[-1].split() == ["TOTAL", EXPECTED_TOTAL]  # the five days' storage, none after
    code, out, err = run("billing", "statement", "ACME", "--from", "2026-03-02", "--to", "2026-03-13", "--csv")
    assert code == 0 and out.splitlines()[-1] == f"TOTAL,,,{EXPECTED_TOTAL}"
    assert err == "so far: the period has not ended; storage to the end of 2026-03-06\n"
