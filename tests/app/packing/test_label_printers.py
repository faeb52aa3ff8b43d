"""The packing station's labels as its printer takes them: a PDF-only thermal printer gets the
4x6 PDF (never ZPL text), a 300 dpi Zebra gets ZPL laid out for 300 dpi, and a US warehouse
reads pounds on the label, the manifest and the command line."""

from __future__ import annotations

import pytest

from app import packing
from app.devices import printing
from app.kernel import units
from app.packing import papers
from app.shipping import manifest
from app.store import settings
from tests.app.packing.test_packing_documents import _listener, pdf_text
from tests.support.packing import PACKER, make_products, picked_order


@pytest.fixture
def shipped_two_boxes(world, frozen_clock):
    """Order 1001 verified into two closed boxes of 2.5 kg and 1.25 kg."""
    prods = make_products(world, [("TENT-GRN", "012345678905"), ("CUP-3", "CUP-3")])
    order = picked_order(world, "1001", [("TENT-GRN", 2, 2), ("CUP-3", 1, 1)], products=prods)
    for code in ("012345678905", "012345678905"):
        packing.verify_scan(order.id, code, actor=PACKER)
    packing.close_package(order.id, weight_kg=2.5, final=False, actor=PACKER)
    packing.verify_scan(order.id, "CUP-3", actor=PACKER)
    packing.close_package(order.id, weight_kg=1.25, final=True, actor=PACKER)
    return order


@pytest.fixture
def lp_jobs(monkeypatch):
    """``lp`` as CUPS runs it: every job recorded (command, bytes)."""
    jobs = []

    class Done:
        returncode = 0
        stderr = b""

    monkeypatch.setattr(printing.subprocess, "run", lambda cmd, **kw: jobs.append((cmd, kw["input"])) or Done())
    return jobs


def test_a_pdf_language_label_printer_receives_pdf_not_zpl(shipped_two_boxes, lp_jobs):
    result = papers.print_documents(shipped_two_boxes.id, label_target="cups://rollo", label_language="pdf",
                                     actor=PACKER)
    assert result.sent == ("label 1 -> cups://rollo", "label 2 -> cups://rollo")
    assert len(lp_jobs) == 2
    for (cmd, data), number in zip(lp_jobs, ("1 of 2", "2 of 2"), strict=True):
        assert cmd[:3] == ["lp", "-d", "rollo"] and "raw" not in cmd  # a document, not raw ZPL
        assert data.startswith(b"%PDF") and b"^XA" not in data
        assert number in pdf_text(data)[0]
    # the same queue with the ZPL language gets raw ZPL
    lp_jobs.clear()
    papers.print_documents(shipped_two_boxes.id, label_target="cups://zebra", label_language="zpl", actor=PACKER)
    assert [cmd[-2:] for cmd, _ in lp_jobs] == [["-o", "raw"]] * 2
    assert all(data.startswith(b"^XA") for _, data in lp_jobs)


def test_a_pdf_only_printer_on_the_network_port_is_refused_in_one_line(shipped_two_boxes):
    with pytest.raises(printing.PrinterError, match="takes ZPL, not PDF"):
        papers.print_documents(shipped_two_boxes.id, label_target="zpl://127.0.0.1:9", label_language="pdf",
                                actor=PACKER)
    with pytest.raises(printing.PrinterError, match="unknown label printer language 'epl'"):
        papers.print_documents(shipped_two_boxes.id, label_target="cups://x", label_language="epl", actor=PACKER)


def test_a_300_dpi_zebra_gets_labels_laid_out_for_300_dpi(shipped_two_boxes):
    server, thread, received = _listener()
    port = server.getsockname()[1]
    try:
        papers.print_documents(shipped_two_boxes.id, label_target=f"zpl://127.0.0.1:{port}", label_dpi=300,
                                actor=PACKER)
        received.wait_for(2)
    finally:
        server.close()
        thread.join(5)
    assert len(received) == 2
    assert all(b"^PW1200\n^LL1800" in label and b"^BY6^BCN,384" in label for label in received)
    assert sorted(received) == sorted(papers.render_carton_label(shipped_two_boxes.id, seq=s, fmt="zpl", dpi=300)
                                      for s in (1, 2))


def test_a_us_warehouse_reads_pounds_on_the_label_and_the_manifest(shipped_two_boxes, world):
    settings.set_setting("units", "us", actor=world.actor)
    assert units.weight_unit() == "lb"
    label = pdf_text(papers.render_carton_label(shipped_two_boxes.id, seq=1))[0]
    assert "5.51 lb" in label and "kg" not in label  # 2.5 kg
    assert b"^FD5.51 lb^FS" in papers.render_carton_label(shipped_two_boxes.id, seq=1, fmt="zpl")
    assert "Weight: 2.76 lb" in pdf_text(manifest.render_manifest(shipped_two_boxes.id, seq=2))[0]  # 1.25 kg
    assert packing.package_view(shipped_two_boxes.id, 1).weight_text == "5.51 lb"


def test_the_command_line_takes_weights_with_units_and_prints_300_dpi_zpl(database, world, frozen_clock,
                                                                         capsys, tmp_path, cli_user):
    from app import cli
    from app.store import db
    from app.store.models import Package

    def run(*argv: str) -> tuple[int, str, str]:
        db.close()
        code = cli.main(["--db", database.url, *argv])
        out, err = capsys.readouterr()
        db.connect(database.url)
        return code, out, err

    prods = make_products(world, [("TENT", "TENT-1")])
    order = picked_order(world, "1001", [("TENT", 1, 1)], products=prods)
    code, out, _ = run("setting", "set", "timezone", "America/Los_Angeles")
    assert code == 0 and out.strip() == "timezone = America/Los_Angeles"
    code, _, err = run("setting", "set", "timezone", "Pacific Time")
    assert code == 2 and err.startswith("error: unknown time zone 'Pacific Time'")
    assert run("setting", "set", "units", "us")[0] == 0
    code, out, _ = run("box", "add", "Small", "--dims", "12x8x6", "--weight", "10 oz", "--max-weight", "20")
    assert code == 0 and out.strip() == "box type Small added: 12.0 x 8.0 x 6.0 in, 0.63 lb, up to 20.00 lb"
    code, out, _ = run("pack", "1001", "--scan", "TENT-1", "--box", "Small", "--weight", "40 oz", "--close")
    assert code == 0 and "package 1 closed: 1 unit, Small, 2.50 lb" in out
    assert round(Package.get(Package.order == order.id).weight_kg, 4) == 1.1340
    code, _, err = run("pack", "1001", "--weight", "2 stone", "--close")
    assert code == 1 and "package weight: unknown weight unit 'stone'" in err
    out_file = tmp_path / "label.zpl"
    code, out, _ = run("print", "carton-label", "1001", "--format", "zpl", "--dpi", "300", "--out", str(out_file))
    assert code == 0
    label = out_file.read_text()
    assert "^PW1200" in label and "^LL1800" in label and "^FD2.50 lb^FS" in label
    with pytest.raises(SystemExit) as stop:
        run("print", "carton-label", "1001", "--format", "zpl", "--dpi", "600", "--out", str(out_file))
    assert stop.value.code == 2 and "invalid choice: 600" in capsys.readouterr().err
    db.connect(database.url)
