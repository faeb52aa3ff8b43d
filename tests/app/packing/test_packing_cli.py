"""The packing commands, run through ``app.cli.main`` against the test database."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdf
import pytest

from app import cli, ledger
from app.kernel import clock
from app.kernel.errors import ValidationError
from app.store import db
from app.store.models import BoxType, Order, Package, PackScan, Setting
from tests.support.commands import run_cli as run
from tests.support.packing import make_products, picked_order

# the commands run as a logged-in supervisor (PREPDESK_USER / PREPDESK_PIN)
pytestmark = pytest.mark.usefixtures("cli_user")


@pytest.fixture
def order(world, frozen_clock):
    prods = make_products(world, [("TENT", "TENT-1"), ("LAMP", "LAMP-1"), ("STOVE", "STOVE-1")])
    return picked_order(world, "1001", [("TENT", 2, 2), ("LAMP", 1, 1)], products=prods)


def test_pack_two_boxes_ship_and_print(database, order, capsys, tmp_path):
    code, out, _ = run(database, capsys, "box", "add", "Small", "--dims", "30x20x15", "--weight", "0.2",
                       "--max-weight", "8")
    assert code == 0 and "box type Small added: 30x20x15 cm" in out
    code, out, _ = run(database, capsys, "box", "list")
    assert "Small\t30x20x15 cm" in out
    code, out, _ = run(database, capsys, "pack", "1001", "--scan", "TENT-1", "TENT-1", "--box", "Small",
                       "--weight", "1.5", "--next-box")
    assert code == 0, out
    assert "package 1 closed: 2 units, Small, 1.50 kg" in out and "1 picked unit still to verify" in out
    # the last box cannot close with a unit missing ...
    code, out, err = run(database, capsys, "pack", "1001", "--close")
    assert code == 1 and "1 picked unit not verified" in err
    # ... a wrong item is refused, counted, and nothing closes
    # ... a wrong item is refused and counted, and nothing of that command is kept
    code, out, err = run(database, capsys, "pack", "1001", "--scan", "STOVE-1", "LAMP-1", "--close")
    assert code == 1 and "REFUSED      wrong_item" in err and "nothing of this command was counted" in err
    assert "not counted  LAMP: 1 of 1" in out and "2 of 3 picked units verified" in out
    assert Package.select().where(Package.status == "open").count() == 0
    code, out, _ = run(database, capsys, "pack", "1001", "--scan", "LAMP-1", "--weight", "0.4", "--close")
    assert code == 0 and "packing complete: ready to ship" in out
    code, out, err = run(database, capsys, "print", "slip", "1001", "--out", str(tmp_path / "slip.pdf"))
    assert code == 0, err
    text = pypdf.PdfReader(str(tmp_path / "slip.pdf")).pages[0].extract_text()
    assert "Order 1001" in text and "TENT" in text
    code, _, err = run(database, capsys, "print", "carton-label", "1001", "--package", "1", "--format", "zpl",
                       "--out", str(tmp_path / "l.zpl"))
    assert code == 0, err
    zpl = (tmp_path / "l.zpl").read_bytes()
    assert zpl.startswith(b"^XA") and zpl.rstrip().endswith(b"^XZ") and b"1 of 2" in zpl
    code, _, err = run(database, capsys, "print", "carton-label", "1001", "--format", "pdf",
                       "--out", str(tmp_path / "l.pdf"))
    assert code == 0 and "2 of 2" in pypdf.PdfReader(str(tmp_path / "l.pdf")).pages[0].extract_text()
    code, _, _ = run(database, capsys, "print", "manifest", "1001", "--package", "2",
                     "--out", str(tmp_path / "m.pdf"))
    assert code == 0 and "LAMP" in pypdf.PdfReader(str(tmp_path / "m.pdf")).pages[0].extract_text()
    code, out, err = run(database, capsys, "ship", "1001", "--tracking", "1Z999", "--carrier", "UPS",
                         "--service", "Ground", "--cost", "6.25")
    assert code == 0, err
    assert "order 1001 shipped: 3 units in packages 1, 2; status shipped" in out
    assert Order.get_by_id(order.id).status == "shipped"
    assert [p.cost for p in Package.select().order_by(Package.seq)] == [Decimal("6.25")] * 2
    assert all(ledger.on_hand(pid, "PACKING") == 0 for pid in order.products.values())
    assert PackScan.select().where(PackScan.result == "wrong_item").count() == 1
    code, out, _ = run(database, capsys, "misscans")
    assert "ACME" in out.splitlines()[1] and out.splitlines()[1].split()[1:] == ["4", "3", "1", "0", "0", "0"]


def test_override_from_the_cli(database, order, capsys):
    code, out, err = run(database, capsys, "pack", "1001", "--scan", "TENT-1", "--close",
                         "--override", "LAMP label torn")
    assert code == 0, err
    assert "(supervisor override)" in out and "packing complete" in out
    assert Package.get().override_reason == "LAMP label torn"


def test_void_and_list(database, order, capsys):
    run(database, capsys, "pack", "1001", "--scan", "TENT-1", "--next-box")
    code, out, _ = run(database, capsys, "package", "void", "1001", "--package", "1", "--reason", "torn")
    assert code == 0 and "package 1 void" in out and "0 of 3 picked units verified" in out
    code, out, _ = run(database, capsys, "package", "list", "1001")
    assert "package 1: void" in out


def test_settings_commands(database, capsys):
    code, out, _ = run(database, capsys, "setting", "get", "gs1_company_prefix")
    assert code == 0 and "placeholder 0614141" in out
    code, out, _ = run(database, capsys, "setting", "set", "gs1_company_prefix", "0614141")
    assert code == 0 and out.strip() == "gs1_company_prefix = 0614141"
    assert Setting.get_by_id("gs1_company_prefix").value == "0614141"
    code, out, _ = run(database, capsys, "setting", "get", "gs1_company_prefix")
    assert out.strip() == "0614141"
    code, _, err = run(database, capsys, "setting", "set", "gs1_company_prefix", "12-34")
    assert code == 2 and err.startswith("error: GS1 company prefix must be 6 to 12 digits")


@pytest.mark.parametrize("argv, message", [
    (("pack", "9999", "--scan", "X"), "no order '9999'"),
    (("pack", "1001", "--next-box", "--override", "why"), "use it with --close"),
    (("ship", "1001", "--tracking", " "), "tracking number"),
    (("ship", "1001", "--tracking", "T"), "not verified"),
    (("ship", "1001", "--tracking", "TENT-1"), "a product barcode, not the carrier's tracking number"),
    (("ship", "1001", "--tracking", "1Z9\x1d99"), "tracking number"),
    (("pack", "1001", "--scan", "TENT-1", "--weight", "-2", "--next-box"), "package weight"),
    (("pack", "1001", "--scan", "TENT-1", "--weight", "1e9", "--close"), "package weight"),
    (("pack", "1001", "--scan", "TENT-1", "--box", "Nope", "--next-box"), "no box type 'Nope'"),
    (("pack", "1001", "--scan", "TENT-1", "TENT-1", "LAMP-1", "--close", "--weight", "nan"), "package weight"),
    (("box", "add", "B", "--dims", "30x20x-1"), "dimensions must look like"),
    (("box", "add", "B", "--dims", "30x20x10", "--weight", "-1"), "box weight"),
    (("box", "add", "B", "--dims", "abc"), "dimensions must look like"),
    (("package", "void", "1001", "--package", "7"), "has no package 7"),
    (("box", "add", "B", "--dims", "30x20"), "dimensions must look like"),
    (("print", "carton-label", "1001", "--out", "{tmp}/missing/x.pdf"), "no package yet"),
    (("print", "slip", "1001", "--out", "{tmp}/missing/x.pdf"), "does not exist"),
])
def test_bad_input_is_one_line_and_changes_nothing(database, order, capsys, tmp_path, argv, message):
    before = Package.select().count(), PackScan.select().count(), BoxType.select().count()
    code, out, err = run(database, capsys, *(a.replace("{tmp}", str(tmp_path)) for a in argv))
    assert code == 1 and message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert (Package.select().count(), PackScan.select().count(), BoxType.select().count()) == before


def test_carton_label_to_printer(database, order, capsys):
    from tests.app.packing.test_packing_documents import _listener

    run(database, capsys, "pack", "1001", "--scan", "TENT-1", "TENT-1", "LAMP-1", "--close")
    server, thread, received = _listener()
    try:
        code, out, err = run(database, capsys, "print", "carton-label", "1001",
                             "--printer", f"zpl://127.0.0.1:{server.getsockname()[1]}")
        thread.join(0.5)
    finally:
        server.close()
        thread.join(5)
    assert code == 0, err
    assert len(received) == 1 and received[0].startswith(b"^XA") and received[0].rstrip().endswith(b"^XZ")
    assert io.BytesIO(received[0]).getvalue().count(b"^XA") == 1


def test_demo_adds_box_types(database):
    from app import packing
    from app.demo import packing as demo_packing
    from app.kernel.actor import Actor

    lines = demo_packing.add_demo_documents(actor=Actor.system())
    assert lines and "5 box types" in lines[0]
    assert [b.name for b in packing.list_box_types()] == ["Mailer", "Small", "Medium", "Large", "X-Large"]
    assert demo_packing.add_demo_documents(actor=Actor.system()) == []


def test_box_remove_list_all_and_suggest(database, order, capsys):
    run(database, capsys, "box", "add", "Tiny", "--dims", "10x10x5")
    run(database, capsys, "box", "add", "Big", "--dims", "60x40x40", "--max-weight", "30")
    code, out, _ = run(database, capsys, "box", "suggest", "1001")
    assert code == 0 and out.startswith("Big (60x40x40 cm) for 3 units")
    code, out, _ = run(database, capsys, "box", "remove", "Big")
    assert code == 0 and "box type Big retired" in out
    code, out, _ = run(database, capsys, "box", "suggest", "1001")
    assert code == 1 and "no single box fits" in out
    code, out, _ = run(database, capsys, "box", "list", "--all")
    assert "Big\t60x40x40 cm\t0 kg\tmax 30 kg\tretired" in out and "2 box types" in out


def test_ship_refuses_our_carton_label_as_a_scanner_gives_it_and_takes_a_carrier_label(database, order, capsys):
    run(database, capsys, "pack", "1001", "--scan", "TENT-1", "TENT-1", "LAMP-1", "--close")
    sscc = Package.get().sscc
    for tracking in (f"]C100{sscc}", f"(00){sscc}", f"(00) {sscc}", f"00{sscc}"):
        code, out, err = run(database, capsys, "ship", "1001", "--tracking", tracking)
        assert code == 1 and out == "", tracking
        assert err.strip().splitlines() == [
            f"error: {tracking.replace(']C1', '')!r} is one of our carton labels (SSCC), not the carrier's "
            "tracking number: scan the barcode on the carrier's label"]
    assert (Package.get().status, Package.get().tracking, Order.get_by_id(order.id).status) == ("closed", "", "packed")
    # the USPS label's barcode: AI 420 ship-to ZIP, FNC1 (as the scanner spells it), the number
    code, out, err = run(database, capsys, "ship", "1001", "--tracking", "42090210<GS>9400111899223817262183")
    assert code == 0, err
    assert out.startswith("order 1001 shipped: 3 units in package 1; status shipped")
    assert (Package.get().tracking, Package.get().carrier) == ("9400111899223817262183", "USPS")


@pytest.mark.parametrize("flags", [(), ("--scan", "TENT-1"), ("--box", "Small")])
def test_a_weight_without_closing_the_box_is_a_usage_error(database, order, capsys, flags):
    run(database, capsys, "box", "add", "Small", "--dims", "30x20x15")
    code, out, err = run(database, capsys, "pack", "1001", *flags, "--weight", "1,5")
    assert (code, out) == (2, "")
    assert err.strip().splitlines() == ["error: --weight is the weight of the box being closed: add --close "
                                        "(the last box) or --next-box"]
    assert (Package.select().count(), PackScan.select().count()) == (0, 0)


def test_pack_with_a_weight_and_no_close_is_refused_by_the_service(database, order):
    from app import packing
    from tests.support.packing import PACKER

    with pytest.raises(ValidationError, match="weight of the box being closed"):
        packing.pack(order.id, scans=["TENT-1"], weight_kg=1.5, actor=PACKER)
    assert (Package.select().count(), PackScan.select().count()) == (0, 0)


def test_packing_a_shipped_order_gives_the_command_lines_hint(database, order, capsys):
    run(database, capsys, "pack", "1001", "--scan", "TENT-1", "TENT-1", "LAMP-1", "--close")
    assert run(database, capsys, "ship", "1001", "--tracking", "1Z999AA10123456784")[0] == 0
    code, out, err = run(database, capsys, "pack", "1001", "--scan", "TENT-1")
    assert (code, out) == (1, "")
    assert err.strip().splitlines() == [
        "error: order 1001 was shipped already (3 units): 'print slip 1001 --out FILE.pdf' and "
        "'print carton-label 1001 --out FILE' print its papers again"]


@pytest.mark.parametrize("typed, cents", [("0.285", "0.29"), ("1.005", "1.01"), ("10.075", "10.08"),
                                          ("6,50", "6.50"), ("$7", "7.00")])
def test_the_shipping_cost_is_money_rounded_half_up(database, order, capsys, typed, cents):
    run(database, capsys, "pack", "1001", "--scan", "TENT-1", "TENT-1", "--next-box")
    run(database, capsys, "pack", "1001", "--scan", "LAMP-1", "--close")
    code, _, err = run(database, capsys, "ship", "1001", "--tracking", "1Z999AA10123456784", "--cost", typed)
    assert code == 0, err
    assert [p.cost for p in Package.select().order_by(Package.seq)] == [Decimal(cents)] * 2
    code, out, err = run(database, capsys, "report", "shipping", "--from", "2026-03-02", "--to", "2026-03-02",
                         "--csv")
    assert code == 0, err
    total = 2 * Decimal(cents)
    assert f"ALL,all,all,2,1,3,{total},{cents},0" in out.splitlines()


@pytest.mark.parametrize("cost", ["abc", "nan", "-1", "100000", "1e9", "inf", "1.2.3"])
def test_a_bad_shipping_cost_is_a_usage_error_and_ships_nothing(database, order, capsys, cost):
    run(database, capsys, "pack", "1001", "--scan", "TENT-1", "TENT-1", "LAMP-1", "--close")
    db.close()
    with pytest.raises(SystemExit) as info:  # argparse's usage error
        cli.main(["--db", database.url, "ship", "1001", "--tracking", "1Z999AA10123456784", "--cost", cost])
    db.connect(database.url)
    out, err = capsys.readouterr()
    assert (info.value.code, out) == (2, "")
    (line,) = err.strip().splitlines()
    assert line.startswith("error: argument --cost: ") and repr(cost) in line and "Traceback" not in err
    assert (Package.get().status, Order.get_by_id(order.id).status) == ("closed", "packed")


def test_a_setting_not_set_reads_as_its_default(database, capsys, monkeypatch):
    monkeypatch.setattr(clock, "computer_zone_name", lambda: "Europe/Berlin")
    assert run(database, capsys, "setting", "get", "units")[:2] == (0, "metric (not set: the default)\n")
    assert run(database, capsys, "setting", "get", "cutoff")[:2] == (0, "14:00 (not set: the default)\n")
    assert run(database, capsys, "setting", "get", "timezone")[:2] == (0, "Europe/Berlin (not set: the default)\n")
    assert run(database, capsys, "setting", "set", "units", "us")[0] == 0
    assert run(database, capsys, "setting", "get", "units")[:2] == (0, "us\n")
    code, out, err = run(database, capsys, "setting", "get", "no_such_key")
    assert (code, out, err) == (1, "", "error: setting 'no_such_key' is not set\n")
