"""Receiving commands through ``app.cli.main``: output, exit codes, and nothing changed on bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pypdfium2
import pytest
import zxingcpp

from app import catalog, receiving
from app.cli import main
from app.store import db
from app.store.models import InboundShipment, ReceiptLine, StockMove

# the commands run as a logged-in supervisor (PREPDESK_USER / PREPDESK_PIN)
pytestmark = pytest.mark.usefixtures("cli_user")

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "receiving"


@pytest.fixture
def cli(world):
    world.product("WIDGET-1", barcode="012345678905", zone="A", fnsku="X00WIDGET1")
    world.product("GADGET-2", barcode="GAD-2")
    url = world.db.url

    def run(*argv: str) -> int:
        code = main(["--db", url, *argv])
        db.connect(url, migrate=False)  # main() closes the connection; tests read afterwards
        return code

    return run


def state() -> tuple:
    return (InboundShipment.select().count(), ReceiptLine.select().count(), StockMove.select().count(),
            [(s.ref, s.status) for s in InboundShipment.select().order_by(InboundShipment.id)])


def one_error_line(capsys) -> str:
    out = capsys.readouterr()
    lines = [ln for ln in out.err.splitlines() if ln.strip()]
    assert len(lines) == 1, out.err
    assert lines[0].startswith("error: ")
    return lines[0]


def test_full_flow(cli, capsys, tmp_path):
    assert cli("import", "asn", str(FIXTURES / "asn_good.csv"), "--client", "ACME", "--ref", "PO-1",
               "--expected", "2026-04-01") == 0
    assert "shipment PO-1 for ACME: 3 lines, 17 units expected on 2026-04-01; 1 product created" in capsys.readouterr().out
    assert cli("receive", "PO-1", "--scan", "012345678905", "--qty", "4") == 0
    assert "PO-1: +4 WIDGET-1 (4/10) remaining 6" in capsys.readouterr().out
    assert cli("receive", "PO-1", "--scan", "GAD-2", "--damaged") == 0
    assert "+1 GADGET-2 DAMAGED to QUARANTINE (1/4)" in capsys.readouterr().out
    assert cli("receive", "PO-1", "--scan", "GAD-2", "--qty", "5") == 0
    assert "warning: over-receipt: 6 of GADGET-2 arrived, 4 expected" in capsys.readouterr().out
    assert cli("receipt", "undo", "PO-1") == 0
    assert "PO-1: undone: -5 GADGET-2" in capsys.readouterr().out
    assert cli("receipt", "show", "PO-1") == 0
    out = capsys.readouterr().out
    assert "WIDGET-1                   10        4        0       6         Product WIDGET-1" in out
    assert "GADGET-2                    4        0        1       3         Product GADGET-2" in out
    assert "TOTAL                      17        4        1      12" in out
    assert cli("putaway", "--scan", "012345678905", "--bin", "A-01-02", "--qty", "3", "--ref", "PO-1") == 0
    assert "put away 3 WIDGET-1 -> A-01-02 (1 left in RECEIVING)" in capsys.readouterr().out
    move = StockMove.get(StockMove.kind == "putaway")
    assert (move.doc_type, move.doc_ref) == ("receipt", "PO-1")
    report = tmp_path / "report.pdf"
    assert cli("receipt", "close", "PO-1", "--report", str(report)) == 0
    assert "PO-1 closed: 4 received, 1 damaged, 12 short of 17 expected" in capsys.readouterr().out
    text = pypdf.PdfReader(io.BytesIO(report.read_bytes())).pages[0].extract_text()
    assert "Receiving report: PO-1" in text
    assert receiving.shipment_detail(receiving.find_shipment("PO-1").id).status == "closed"
    again = tmp_path / "again.pdf"
    assert cli("receipt", "report", "PO-1", "--out", str(again)) == 0
    assert "receiving report of PO-1 (closed) written to" in capsys.readouterr().out
    flat = " ".join(pypdf.PdfReader(io.BytesIO(again.read_bytes())).pages[0].extract_text().split())
    assert "Total 3 lines 17 4 1 12 0" in flat


def test_print_labels_formats(cli, capsys, tmp_path, world):
    out = tmp_path / "w.zpl"
    assert cli("print", "labels", "WIDGET-1", "--count", "5", "--format", "zpl", "--out", str(out)) == 0
    data = out.read_text()
    assert data.startswith("^XA") and data.endswith("^XZ") and "^FDX00WIDGET1^FS" in data and "^PQ5" in data
    pdf = tmp_path / "w.pdf"
    assert cli("print", "labels", "GADGET-2", "--count", "2", "--format", "thermal", "--out", str(pdf),
               "--client", "ACME") == 0
    doc = pypdfium2.PdfDocument(pdf.read_bytes())
    assert len(doc) == 2
    image = doc[0].render(scale=300 / 72, fill_color=(255, 255, 255, 255)).to_pil()
    assert [r.text for r in zxingcpp.read_barcodes(image)] == ["GADGET-2"]
    doc.close()
    receiving.create_shipment("ACME", "ASN-LAB", [("WIDGET-1", 2)], actor=world.actor)
    assert cli("receive", "ASN-LAB", "--scan", "012345678905", "--qty", "2") == 0
    lab = tmp_path / "s.zpl"
    assert cli("print", "shipment-labels", "ASN-LAB", "--format", "zpl", "--out", str(lab)) == 0
    assert "2 labels of 1 product for shipment ASN-LAB written to" in capsys.readouterr().out
    assert "^FDX00WIDGET1^FS" in lab.read_text() and "^PQ2" in lab.read_text()
    sheet = tmp_path / "bins.pdf"
    assert cli("print", "bin-labels", "A-01-01", "B-01-01", "--format", "sheet", "--out", str(sheet)) == 0
    assert "4 bin labels written to" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (("import", "asn", str(FIXTURES / "asn_good.csv"), "--client", "ACME", "--ref", "PO-2",
      "--expected", "2026-13-01"), "date '2026-13-01' is not YYYY-MM-DD"),
    (("import", "asn", str(FIXTURES / "asn_bad_qty.csv"), "--client", "ACME", "--ref", "PO-2"),
     "line 3: qty must be at least 1, not 0"),
    (("import", "asn", str(FIXTURES / "asn_good.csv"), "--client", "NOBODY", "--ref", "PO-2"),
     "no client 'NOBODY'"),
    (("import", "asn", "/no/such.csv", "--client", "ACME", "--ref", "PO-2"), "no such file"),
    (("receive", "ASN-1", "--scan", "GAD-2", "--qty", "two"), "--qty 'two' is not a whole number"),
    (("receive", "ASN-1", "--scan", "GAD-2", "--qty", "0"), "--qty must be at least 1, not 0"),
    (("receive", "ASN-1", "--scan", "GAD-2", "--qty", "-4"), "--qty must be at least 1, not -4"),
    (("receive", "ASN-1", "--scan", "GAD-2", "--qty", "1_000"), "--qty '1_000' is not a whole number"),
    (("receive", "ASN-1", "--scan", "GAD-2", "--qty", "\u0663"), "is not a whole number"),
    (("receive", "ASN-1", "--scan", "GAD-2", "--qty", "99999999999"), "too large"),
    (("receive", "ASN-1", "--scan", "GAD-2", "--qty", "100001"), "more than 100000"),
    (("receive", "ASN-1", "--scan", "\x01\x02"), "empty scan"),
    (("receive", "ASN-1", "--scan", "X" * 3000), "3000 characters"),
    (("receive", "ASN-1", "--scan", "NOPE-CODE"), "unknown barcode 'NOPE-CODE'"),
    (("receive", "NO-ASN", "--scan", "GAD-2"), "no inbound shipment 'NO-ASN'"),
    (("putaway", "--scan", "GAD-2", "--bin", "A-01-01", "--qty", "-1"), "--qty must be at least 1"),
    (("putaway", "--scan", "GAD-2", "--bin", "Z-99"), "no location 'Z-99'"),
    (("putaway", "--scan", "WIDGET-1", "--bin", "A-01-01"), "no WIDGET-1 waits in RECEIVING"),
    (("receipt", "close", "NO-ASN"), "no inbound shipment"),
    (("receipt", "show", "NO-ASN"), "no inbound shipment"),
    (("receipt", "undo", "ASN-1"), "nothing to undo"),
    (("print", "labels", "NOPE", "--out", "x.pdf"), "no product 'NOPE'"),
    (("print", "labels", "WIDGET-1", "--count", "x", "--out", "x.pdf"), "--count 'x'"),
    (("print", "labels", "WIDGET-1", "--format", "png", "--out", "x.pdf"), "--format 'png'"),
    (("print", "labels", "WIDGET-1", "--out", "/no/such/dir/x.pdf"), "does not exist"),
    (("print", "bin-labels", "X-1", "X-9", "--out", "x.pdf"), "no bins from X-1 to X-9"),
    (("print", "labels", "WIDGET-1", "--out", "."), "'.' is a folder"),
    (("receipt", "close", "ASN-1", "--report", "."), "'.' is a folder"),  # and NOT closed
    (("receipt", "report", "ASN-1", "--out", "/no/such/dir/r.pdf"), "does not exist"),
])
def test_bad_input_is_one_line_exit_1_nothing_changed(cli, capsys, world, tmp_path, monkeypatch,
                                                      argv, message):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    receiving.create_shipment("ACME", "ASN-1", [("GADGET-2", 2)], actor=world.actor)
    receiving.receive_scan(receiving.find_shipment("ASN-1").id, "GAD-2", actor=world.actor)
    receiving.undo_receipt(receiving.find_shipment("ASN-1").id, actor=world.actor)
    before = state()
    capsys.readouterr()
    assert cli(*argv) == 1
    line = one_error_line(capsys)
    assert message in line
    assert state() == before
    assert not list(work.iterdir())


def test_close_twice_is_one_line(cli, capsys, world):
    receiving.create_shipment("ACME", "ASN-2", [("GADGET-2", 2)], actor=world.actor)
    assert cli("receipt", "close", "ASN-2") == 0
    capsys.readouterr()
    before = state()
    assert cli("receipt", "close", "ASN-2") == 1
    assert "cannot go from closed to closed" in one_error_line(capsys)
    assert cli("receive", "ASN-2", "--scan", "GAD-2") == 1
    assert "ASN-2 is closed" in one_error_line(capsys)
    assert state() == before
    assert catalog.client_by_code("ACME")


def test_unit_labels_of_a_product_with_lots_need_lot(cli, world, capsys, tmp_path, frozen_clock):
    world.product("BLO-0002", barcode="00000000200011", track_lot=True, track_expiry=True)
    ship = receiving.create_shipment("ACME", "ASN-L", [("BLO-0002", 2)], actor=world.actor)
    receiving.receive_scan(ship.id, "0100000000200011" + "17280229" + "10B42", actor=world.actor, qty=2)
    out = tmp_path / "blo.zpl"
    capsys.readouterr()
    assert cli("print", "labels", "BLO-0002", "--format", "zpl", "--out", str(out)) == 2
    assert one_error_line(capsys) == (
        "error: BLO-0002 keeps lots: name the lot of the units to label (its expiry date prints on them): "
        "give --lot LOT")
    assert not out.exists()
    assert cli("print", "labels", "BLO-0002", "--format", "zpl", "--out", str(out), "--lot", "B42",
               "--with-lot") == 0
    assert "^FDEXP 02-29-2028  LOT B42^FS" in out.read_text()
