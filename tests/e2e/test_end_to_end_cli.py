"""The same working day as tests/ui/test_end_to_end.py, through the command line only.

Every step is ``app.cli.main([...])`` against the fixture's database (SQLite, and PostgreSQL
when PREPDESK_TEST_PG_URL is set); the outputs and exit codes are what a script would see.
"""

from __future__ import annotations

import io

import pypdf
import pytest

from app import ledger
from app.cli import main
from app.cli.common import where
from app.store import db
from app.store.models import PackScan
from tests.support.helpers import BINS, DAY_ORDERS_CSV

TENT = "012345678905"


@pytest.fixture
def cli(database, capsys):
    """``cli(*args) -> (exit code, stdout, stderr)``; the test's own connection comes back after."""

    log = []

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", database.url, "--station", "floor", *args])
        db.connect(database.url, migrate=False)  # main() closes the connection
        ledger.clear_caches()
        out, err = capsys.readouterr()
        log.append(f"$ {' '.join(args)} -> {code}\n{out}{err}")
        return code, out, err

    yield run
    print("".join(log))


def ok(result: tuple[int, str, str]) -> list[str]:
    """The command worked: its output lines."""
    code, out, err = result
    assert code == 0 and err == "", (code, out, err)
    return out.splitlines()


def test_one_working_day_on_the_command_line(cli, database, frozen_clock, tmp_path, monkeypatch):
    t0 = frozen_clock.current
    at = lambda t: t.strftime("%Y-%m-%d %H:%M")  # noqa: E731 - how the CLI prints times
    # the first supervisor is added by the setting-up command line; from then on she logs in
    assert ok(cli("user", "add", "sam", "--role", "supervisor", "--pin", "2468")) == ["user sam (supervisor) added"]
    monkeypatch.setenv("PREPDESK_USER", "sam")
    monkeypatch.setenv("PREPDESK_PIN", "2468")
    sam = f"{'sam@' + where('floor'):<20}"

    # --- setup: client, bins in walk order, products (a case code of 4 lamps) -------------
    assert ok(cli("client", "add", "ACME", "--name", "Acme Outdoor Co.")) == ["client ACME added"]
    for i, code in enumerate(BINS):
        ok(cli("location", "add", code, "--zone", code[0], "--seq", str((i + 1) * 10)))
    products = tmp_path / "products.csv"
    products.write_text("sku,name,barcode,case_barcode,case_qty\n"
                        f"TENT,Tent 2p,{TENT},,\n"
                        "LAMP,Headlamp,LAMP-1,LAMP-CASE-4,4\n"
                        "CUP,Camp cup,CUP-1,,\n")
    assert ok(cli("import", "products", str(products), "--client", "ACME")) == [
        "products: 3 created, 0 updated, 4 barcodes linked"]

    # --- 09:00 the inbound shipment; 09:10 received by scans --------------------------------
    asn = tmp_path / "asn1.csv"
    asn.write_text("sku,qty\nTENT,4\nLAMP,8\nCUP,5\n")
    assert ok(cli("import", "asn", str(asn), "--client", "ACME", "--ref", "ASN-1")) == [
        "shipment ASN-1 for ACME: 3 lines, 17 units expected"]
    frozen_clock.advance(minutes=10)
    for n in (1, 2, 3):
        assert ok(cli("receive", "ASN-1", "--scan", TENT)) == [f"ASN-1: +1 TENT ({n}/4) remaining {4 - n}"]
    assert ok(cli("receive", "ASN-1", "--scan", TENT, "--damaged")) == [
        "ASN-1: +1 TENT DAMAGED to QUARANTINE (4/4) remaining 0"]
    assert ok(cli("receive", "ASN-1", "--scan", "LAMP-CASE-4")) == ["ASN-1: +4 LAMP (4/8) remaining 4"]
    assert ok(cli("receive", "ASN-1", "--scan", "LAMP-CASE-4")) == ["ASN-1: +4 LAMP (8/8) remaining 0"]
    assert ok(cli("receive", "ASN-1", "--scan", "CUP-1", "--qty", "5")) == ["ASN-1: +5 CUP (5/5) remaining 0"]
    # an unknown code is refused with one line, nothing received
    code, out, err = cli("receive", "ASN-1", "--scan", "NO-SUCH-CODE")
    assert code == 1 and out == "" and err.startswith("error: ") and len(err.splitlines()) == 1
    shown = ok(cli("receipt", "show", "ASN-1"))
    assert shown[0].startswith("ASN-1  client ACME  status receiving")
    assert [ln.split()[:5] for ln in shown[2:]] == [["CUP", "5", "5", "0", "0"], ["LAMP", "8", "8", "0", "0"],
                                                ["TENT", "4", "3", "1", "0"], ["TOTAL", "17", "16", "1", "0"]]

    # --- 09:30 putaway; 09:40 the shipment is closed with its report -------------------------
    frozen_clock.advance(minutes=20)
    for code, bin_code, n in ((TENT, "A-01-01", 3), ("LAMP-1", "A-01-02", 8), ("CUP-1", "A-02-01", 5)):
        sku = {TENT: "TENT", "LAMP-1": "LAMP", "CUP-1": "CUP"}[code]
        assert ok(cli("putaway", "--scan", code, "--bin", bin_code)) == [
            f"put away {n} {sku} -> {bin_code} (0 left in RECEIVING)"]
    frozen_clock.advance(minutes=10)
    report = tmp_path / "asn1.pdf"
    assert ok(cli("receipt", "close", "ASN-1", "--report", str(report)))[0] == (
        "ASN-1 closed: 16 received, 1 damaged, 0 short of 17 expected")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(report.read_bytes())).pages)
    assert "ASN-1" in text and "TENT" in text

    # --- 10:00 the orders; 10:05 allocation: 1003 waits for tents -----------------------------
    frozen_clock.advance(minutes=20)
    t_import = frozen_clock.current
    csv = tmp_path / "orders.csv"
    csv.write_text(DAY_ORDERS_CSV)
    assert ok(cli("import", "orders", str(csv), "--client", "ACME", "--format", "generic")) == [
        "imported 3 orders (6 lines); skipped 0 fulfilled/cancelled, 0 already imported"]
    assert ok(cli("import", "orders", str(csv), "--client", "ACME", "--format", "generic")) == [
        "imported 0 orders (0 lines); skipped 0 fulfilled/cancelled, 3 already imported"]
    frozen_clock.advance(minutes=5)
    t_alloc = frozen_clock.current
    assert ok(cli("allocate")) == [
        "9 units reserved for 5 lines of 2 orders; of 3 orders waiting for stock, 2 allocated, "
        "0 partially allocated, 1 back-ordered"]
    listed = ok(cli("backorders"))
    assert listed[1].split() == ["ACME", "TENT", "Tent", "2p", "2", "0", "1", "5", "min", "unknown"]
    assert listed[2] == "1 product back-ordered"

    # --- 10:20 the wave; 10:30 picked (bin, item x qty, tote) -----------------------------------
    frozen_clock.advance(minutes=15)
    t_wave = frozen_clock.current
    assert ok(cli("picklist", "create", "--out", str(tmp_path / "wave1.pdf"))) == ["PL000001"]
    shown = ok(cli("picklist", "show", "PL000001"))
    assert shown[0] == "PL000001  open  2 orders  3 stops  9 units"
    assert [ln.split()[1] for ln in shown[2:5]] == ["A-01-01", "A-01-02", "A-02-01"]
    assert shown[5:] == ["tote 1: 1001 (ACME)", "tote 2: 1002 (ACME)"]
    frozen_clock.advance(minutes=10)
    t_picked = frozen_clock.current
    picks = [("A-01-01", TENT, "TENT", 1, 2), ("A-01-01", TENT, "TENT", 2, 1), ("A-01-02", "LAMP-1", "LAMP", 1, 1),
             ("A-01-02", "LAMP-1", "LAMP", 2, 3), ("A-02-01", "CUP-1", "CUP", 2, 2)]
    for bin_code, item, sku, tote, qty in picks:
        lines = ok(cli("picklist", "confirm", "PL000001", "--bin", bin_code, "--scan", item, "--qty", str(qty),
                       "--tote", f"T{tote}"))
        assert lines[0] == f"picked {qty} {sku} from {bin_code} into tote {tote} ({1000 + tote})"
    assert lines[-1] == "PL000001 done: nothing left to pick"
    # a wrong bin is refused
    code, _, err = cli("picklist", "confirm", "PL000001", "--bin", "B-01-01", "--scan", "CUP-1", "--tote", "1")
    assert code == 1 and err.startswith("error: ")

    # --- 11:00 packing 1001: a wrong item refuses the whole command, then it packs ----------
    frozen_clock.advance(minutes=30)
    code, out, err = cli("pack", "1001", "--scan", TENT, TENT, "LAMP-1", "CUP-1")
    assert code == 1
    assert out.splitlines() == ["not counted  TENT: 1 of 2", "not counted  TENT: 2 of 2",
                                "not counted  LAMP: 1 of 1", "order 1001: 0 of 3 picked units verified"]
    assert err.splitlines() == [
        "REFUSED      wrong_item: WRONG ITEM: CUP is not on order 1001: take it out",
        "error: 1 scan refused: nothing of this command was counted or closed; take the refused items "
        "out and scan the units again"]
    frozen_clock.advance(minutes=5)
    t_packed_1001 = frozen_clock.current
    lines = ok(cli("pack", "1001", "--scan", TENT, TENT, "LAMP-1", "--weight", "1.6", "--close"))
    assert lines[:3] == ["ok           TENT: 1 of 2", "ok           TENT: 2 of 2", "ok           LAMP: 1 of 1"]
    assert lines[3].startswith("package 1 closed: 3 units, no box type, 1.60 kg, SSCC ")
    assert lines[4] == "packing complete: ready to ship"
    # shipping 1002 before it is packed is refused
    code, _, err = cli("ship", "1002", "--tracking", "1Z-TOO-EARLY")
    assert code == 1 and "not verified" in err
    frozen_clock.advance(minutes=5)
    t_shipped_1001 = frozen_clock.current
    assert ok(cli("ship", "1001", "--tracking", "1Z0000000000001001", "--carrier", "UPS")) == [
        "order 1001 shipped: 3 units in package 1; status shipped"]

    # 1002 in two boxes
    frozen_clock.advance(minutes=5)
    lines = ok(cli("pack", "1002", "--scan", TENT, "LAMP-1", "LAMP-1", "LAMP-1", "--next-box"))
    assert lines[-1] == "2 picked units still to verify"
    frozen_clock.advance(minutes=5)
    t_packed_1002 = frozen_clock.current
    lines = ok(cli("pack", "1002", "--scan", "CUP-1", "CUP-1", "--weight", "0.8", "--close"))
    assert lines[-2].startswith("package 2 closed: 2 units") and lines[-1] == "packing complete: ready to ship"
    frozen_clock.advance(minutes=5)
    t_shipped_1002 = frozen_clock.current
    assert ok(cli("ship", "1002", "--tracking", "1Z0000000000001002")) == [
        "order 1002 shipped: 6 units in packages 1, 2; status shipped"]

    # --- 12:25 more tents: received, put away; the back-order fills itself -------------------
    frozen_clock.advance(hours=1)
    asn2 = tmp_path / "asn2.csv"
    asn2.write_text("sku,qty\nTENT,2\n")
    ok(cli("import", "asn", str(asn2), "--client", "ACME", "--ref", "ASN-2"))
    frozen_clock.advance(minutes=10)
    ok(cli("receive", "ASN-2", "--scan", TENT))
    assert ok(cli("receive", "ASN-2", "--scan", TENT)) == ["ASN-2: +1 TENT (2/2) remaining 0"]
    frozen_clock.advance(minutes=10)
    t_alloc_1003 = frozen_clock.current
    ok(cli("putaway", "--scan", TENT, "--bin", "A-01-01"))
    assert ok(cli("order", "show", "1003"))[0] == "order 1003 (ACME)  status: Allocated"
    assert ok(cli("backorders"))[-1] == "0 products back-ordered"
    frozen_clock.advance(minutes=10)
    t_wave_1003 = frozen_clock.current
    assert ok(cli("picklist", "create", "--out", str(tmp_path / "wave2.pdf"))) == ["PL000002"]
    frozen_clock.advance(minutes=10)
    t_picked_1003 = frozen_clock.current
    assert ok(cli("picklist", "confirm", "PL000002", "--bin", "A-01-01", "--scan", TENT, "--qty", "2",
                  "--tote", "1")) == ["picked 2 TENT from A-01-01 into tote 1 (1003)",
                                      "PL000002 done: nothing left to pick"]
    frozen_clock.advance(minutes=10)
    t_packed_1003 = frozen_clock.current
    assert ok(cli("pack", "1003", "--scan", TENT, TENT, "--weight", "3.2", "--close"))[-1] == (
        "packing complete: ready to ship")
    frozen_clock.advance(minutes=5)
    t_shipped_1003 = frozen_clock.current
    assert ok(cli("ship", "1003", "--tracking", "1Z0000000000001003")) == [
        "order 1003 shipped: 2 units in package 1; status shipped"]

    # --- the end of the day ------------------------------------------------------------------
    stamps = {
        "1001": (t_alloc, t_picked, t_packed_1001, t_shipped_1001),
        "1002": (t_alloc, t_picked, t_packed_1002, t_shipped_1002),
        "1003": (t_alloc_1003, t_picked_1003, t_packed_1003, t_shipped_1003),
    }
    for number, (allocated, picked, packed, shipped) in stamps.items():
        shown = ok(cli("order", "show", number))
        assert shown[0] == f"order {number} (ACME)  status: Shipped"
        assert shown[4].strip() == (f"received {at(t_import)}, allocated {at(allocated)}, picked {at(picked)}, "
                                    f"packed {at(packed)}, shipped {at(shipped)}")
        if number == "1001":
            assert f"{at(t_wave)}  {sam} Allocated -> Picking" in [ln.strip() for ln in shown]
    timeline = [ln.strip() for ln in shown[shown.index("timeline:") + 1:]]
    assert timeline == [
        f"{at(t_import)}  {sam} created (New): import orders.csv",
        f"{at(t_alloc)}  {sam} New -> Back-ordered",
        f"{at(t_alloc_1003)}  {sam} Back-ordered -> Allocated",
        f"{at(t_wave_1003)}  {sam} Allocated -> Picking",
        f"{at(t_picked_1003)}  {sam} pick 2 x TENT A-01-01 -> PACKING (tote 1)",
        f"{at(t_packed_1003)}  {sam} Picking -> Packed",
        f"{at(t_packed_1003)}  {sam} package 1: created -> open",
        f"{at(t_packed_1003)}  {sam} package 1: open -> closed",
        f"{at(t_shipped_1003)}  {sam} Packed -> Shipped",
        f"{at(t_shipped_1003)}  {sam} package 1: closed -> shipped: UPS 1Z0000000000001003",
        f"{at(t_shipped_1003)}  {sam} ship 2 x TENT PACKING -> CUSTOMER (tracking 1Z0000000000001003)",
    ]
    assert [ln.split()[1] for ln in ok(cli("order", "list", "--status", "shipped"))[1:-1]] == [
        "1003", "1002", "1001"]
    assert ok(cli("stock", "--csv")) == [
        "client,sku,name,on_hand,reserved,available,receiving,quarantine,elsewhere",
        "ACME,CUP,Camp cup,3,0,3,0,0,0",
        "ACME,LAMP,Headlamp,4,0,4,0,0,0",
        "ACME,TENT,Tent 2p,0,0,0,0,1,0",
    ]
    assert [ln.split() for ln in ok(cli("misscans"))] == [
        ["CLIENT", "SCANS", "OK", "WRONG", "OVER", "UNKNOWN", "TYPED"], ["ACME", "12", "11", "1", "0", "0", "0"]]
    assert ok(cli("check")) == ["ledger ok: 25 moves, 10 balances"]
    assert PackScan.select().where(PackScan.result != "ok").count() == 1
    assert ledger.check().ok
    assert frozen_clock.current.date() == t0.date()
