"""Returns commands through the real command line; the RMA PDF read back; the returns report's
figures for a known history under a fixed clock."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pypdfium2
import pytest
import zxingcpp

from app import returns
from app.cli import main
from app.store import db
from app.store.models import Order
from tests.support.packing import make_products, stock_in
from tests.support.returns import shipped_order

BARCODES = {"TENT": "TENT-1", "LAMP": "LAMP-1"}


def _run(handle, capsys, *argv):
    try:
        code = main(["--db", handle.url, *argv])
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    out = capsys.readouterr()
    db.connect(handle.url, migrate=False)  # main() closes the connection; the fixture checks after
    return code, out.out, out.err


@pytest.fixture
def shipped(world, frozen_clock):
    """Order 1001 (3 TENT, 1 LAMP) shipped on 2 March 2026 at 09:00 UTC."""
    prods = make_products(world, list(BARCODES.items()))
    shipped_order(world, "1001", [("TENT", 3), ("LAMP", 1)], products=prods, barcodes=BARCODES)
    return prods


def test_create_receive_show_list_close_by_command(world, shipped, capsys):
    h = world.db
    code, out, err = _run(h, capsys, "return", "create", "1001", "--line", "TENT=2", "--reason", "damaged",
                          "--note", "crushed box")
    assert code == 0 and out.split()[0] == "RMA000001" and "2 units" in out
    code, out, err = _run(h, capsys, "return", "create", "1001", "--line", "TENT=2", "--reason", "damaged")
    assert code == 1 and out == "" and err.strip() == (
        "error: TENT: 2 to return but only 1 of the 3 shipped on order 1001 is left to return")
    code, _, err = _run(h, capsys, "return", "create", "1001", "--line", "TENT", "--reason", "damaged")
    assert code == 1 and "write SKU=QTY" in err and len(err.strip().splitlines()) == 1
    code, out, _ = _run(h, capsys, "return", "receive", "RMA000001", "--scan", "TENT-1", "--disposition", "restock",
                        "--bin", "A-01-02")
    assert code == 0 and out.strip() == "TENT: 1 of 2 received on RMA000001, 1 -> A-01-02"
    code, out, err = _run(h, capsys, "return", "receive", "RMA000001", "--scan", "LAMP-1", "--disposition", "scrap")
    assert code == 1 and err.strip() == "error: LAMP is not on RMA000001"
    code, out, _ = _run(h, capsys, "return", "list", "--open")
    assert "RMA000001" in out and "receiving" in out and "1/2" in out
    code, out, err = _run(h, capsys, "return", "close", "RMA000001")
    assert code == 1 and "1 unit never came back" in err
    code, out, _ = _run(h, capsys, "return", "receive", "rma000001", "--scan", "TENT", "--disposition", "quarantine")
    assert code == 0 and out.strip().endswith("1 -> QUARANTINE; RMA000001 closed")
    code, out, _ = _run(h, capsys, "return", "show", "RMA000001")
    assert "status closed" in out and "note: crushed box" in out
    assert [ln for ln in out.splitlines() if ln.startswith("TENT")][0].split() == [
        "TENT", "damaged", "refund", "2", "2", "1", "1", "0"]
    code, out, _ = _run(h, capsys, "return", "list", "--open")
    assert out == ""
    code, out, err = _run(h, capsys, "return", "list", "--client", "nope")
    assert (code, out, err) == (2, "", "error: no client NOPE\n")  # as 'report returns --client NOPE'
    code, out, err = _run(h, capsys, "report", "returns", "--from", "2026-03-02", "--to", "2026-03-02",
                          "--client", "NOPE")
    assert (code, out, err) == (2, "", "error: no client NOPE\n")
    code, out, _ = _run(h, capsys, "return", "list", "--client", "acme")
    assert code == 0 and out.split()[:2] == ["RMA000001", "ACME"]


def test_exchange_by_command(world, shipped, capsys):
    stock_in(world, shipped["LAMP"], 2, "A-02-01")
    code, out, _ = _run(world.db, capsys, "return", "create", "1001", "--line", "TENT=1", "--reason", "wrong_item",
                        "--exchange", "LAMP=1")
    assert code == 0 and out.split()[0] == "RMA000001" and "exchange order 1001-X1" in out
    assert Order.get(Order.number == "1001-X1").status == "allocated"


def test_rma_pdf_text_and_barcode(world, shipped, capsys, tmp_path):
    rma = returns.create_rma("1001", [returns.RmaRequestLine("TENT", 2, "not_as_described")], actor=world.actor)
    out = tmp_path / "rma.pdf"
    code, text, _ = _run(world.db, capsys, "print", "rma", rma.number, "--out", str(out))
    assert code == 0 and text.strip() == f"return authorisation written to {out}"
    pdf = out.read_bytes()
    page_text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for words in ("RETURN AUTHORISATION", "RMA000001 - order 1001", "Jane Doe", "12 Elm Street", "TENT",
                  "not as described", "Acme Outdoor Co."):
        assert words in page_text
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=300 / 72, fill_color=(255, 255, 255, 255)).to_pil()
    assert [r.text for r in zxingcpp.read_barcodes(image)] == ["RMA000001"]
    sheet = pypdfium2.PdfDocument(returns.disposition_sheet())[0].render(
        scale=300 / 72, fill_color=(255, 255, 255, 255)).to_pil()
    assert sorted(r.text for r in zxingcpp.read_barcodes(sheet)) == ["QUARANTINE", "SCRAP"]
    code, _, err = _run(world.db, capsys, "print", "rma", "RMA000099", "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and "no return authorisation" in err


def test_report_returns_figures_for_a_known_history(world, shipped, frozen_clock, capsys):
    h = world.db
    frozen_clock.current = dt.datetime(2026, 3, 3, 10, 0)
    rma = returns.create_rma("1001", [returns.RmaRequestLine("TENT", 2, "damaged"),
                                      returns.RmaRequestLine("LAMP", 1, "unwanted")], actor=world.actor)
    returns.receive(rma.number, "TENT-1", disposition="restock", bin_code="A-01-01", actor=world.actor)
    frozen_clock.current = dt.datetime(2026, 3, 3, 23, 59, 59)
    returns.receive(rma.number, "TENT-1", disposition="scrap", actor=world.actor)
    frozen_clock.current = dt.datetime(2026, 3, 4, 0, 0)  # the next day's first second
    returns.receive(rma.number, "LAMP-1", disposition="quarantine", actor=world.actor)
    code, out, _ = _run(h, capsys, "report", "returns", "--from", "2026-03-02", "--to", "2026-03-03", "--csv")
    assert code == 0
    assert out.splitlines() == [
        "client,sku,name,shipped,returned,return_rate,damaged,wrong_item,not_as_described,unwanted,other,"
        "restocked,quarantined,scrapped",
        "ACME,LAMP,Product LAMP,1,0,0.0000,0,0,0,0,0,0,0,0",
        "ACME,TENT,Product TENT,3,2,0.6667,2,0,0,0,0,1,0,1",
    ]
    code, out, _ = _run(h, capsys, "report", "returns", "--from", "2026-03-03", "--to", "2026-03-04", "--csv",
                        "--client", "acme")
    assert out.splitlines()[1:] == [
        "ACME,LAMP,Product LAMP,0,1,,0,0,0,1,0,0,1,0",
        "ACME,TENT,Product TENT,0,2,,2,0,0,0,0,1,0,1",
    ]
    code, out, _ = _run(h, capsys, "report", "returns", "--from", "2026-03-02", "--to", "2026-03-04")
    tent = [ln for ln in out.splitlines() if " TENT " in ln][0].split()
    assert tent[:5] == ["ACME", "TENT", "3", "2", "0.6667"]
    code, _, err = _run(h, capsys, "report", "returns", "--from", "2026-03-04", "--to", "2026-03-02")
    assert code == 2 and "ends (2026-03-02) before it starts" in err  # bad usage, as every report
    code, _, err = _run(h, capsys, "report", "returns", "--from", "March", "--to", "2026-03-02")
    assert code == 2 and "not a date" in err


def test_an_on_receipt_exchange_closed_short_by_command(world, shipped, capsys):
    h = world.db
    code, _, _ = _run(h, capsys, "setting", "set", "exchange_release", "on_receipt")
    assert code == 0
    code, out, _ = _run(h, capsys, "return", "create", "1001", "--line", "TENT=2", "--reason", "wrong_item",
                        "--exchange", "LAMP=2")
    assert code == 0 and out.strip() == "RMA000001 for order 1001: 2 units"
    code, out, _ = _run(h, capsys, "return", "show", "RMA000001")
    assert "replacement: 2 x LAMP (sent when all units are in)" in out.splitlines()
    _run(h, capsys, "return", "receive", "RMA000001", "--scan", "TENT-1", "--disposition", "quarantine")
    code, out, err = _run(h, capsys, "return", "close", "RMA000001", "--note", "customer kept one")
    assert (code, err) == (0, "")
    assert out.strip() == "RMA000001 closed short: 1 unit never came back; the replacement (2 x LAMP) will not be sent"
    code, out, _ = _run(h, capsys, "return", "show", "RMA000001")
    assert "replacement: 2 x LAMP (not sent: closed short)" in out.splitlines()
    assert "exchange order" not in out
    assert not Order.select().where(Order.number == "1001-X1").exists()


def test_one_product_given_twice_by_command(world, shipped, capsys):
    code, out, err = _run(world.db, capsys, "return", "create", "1001", "--line", "TENT=2", "--line", "TENT=2",
                          "--reason", "damaged")
    assert (code, out) == (1, "")
    assert err.strip() == "error: TENT: 4 to return (2 + 2 on 2 lines) but 3 were shipped on order 1001"
    code, out, _ = _run(world.db, capsys, "return", "create", "1001", "--line", "TENT=2", "--line", "TENT=1",
                        "--reason", "damaged")
    assert code == 0 and out.strip() == "RMA000001 for order 1001: 3 units"
    code, out, _ = _run(world.db, capsys, "return", "show", "RMA000001")
    assert [ln.split()[:4] for ln in out.splitlines() if ln.startswith("TENT")] == [["TENT", "damaged", "refund", "3"]]
