"""The client and product commands through app.cli.main: set, show, list; a slip printed after
``client set ... --logo`` carries the logo and the returns note; bad input is one line, exit 2."""

from __future__ import annotations

import io

import pypdf
import pytest

from app.store import db
from app.store.models import AuditEvent
from tests.app.catalog.test_clients import huge_png
from tests.support import images
from tests.support.commands import run_cli as run
from tests.support.packing import make_products, picked_order

pytestmark = pytest.mark.usefixtures("cli_user")


def _client_row() -> tuple:
    name, city, country, email, note, logo, active = db.execute(
        "SELECT name, city, country, email, returns_note, logo, active FROM client WHERE code = 'ACME'").fetchone()
    return name, city, country, email, note, None if logo is None else bytes(logo), bool(active)


def test_client_set_show_list_round_trip(world, capsys, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(images.png())
    code, out, err = run(world.db, capsys, "client", "set", "acme", "--name", "Acme Outdoor Company",
                         "--address1", "1 Trail Rd", "--city", "Denver", "--province", "CO", "--zip", "80202",
                         "--country", "us", "--phone", "303-555-0100", "--email", "ops@acme.example",
                         "--contact", "Dana Reyes", "--logo", str(logo), "--returns-note", "Returns within 30 days.",
                         "--packing-instructions", "No inserts.", "--gs1-prefix", "0614141", "--carrier", "UPS",
                         "--service", "Ground", "--min-shelf-life-days", "60")
    assert (code, out, err) == (0, "client ACME saved\n", "")
    code, out, err = run(world.db, capsys, "client", "show", "ACME")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "client: ACME", "name: Acme Outdoor Company", "active: yes", "contact: Dana Reyes",
        "address: 1 Trail Rd, Denver CO 80202, US", "phone: 303-555-0100", "email: ops@acme.example",
        "gs1 prefix: 0614141", "carrier: UPS Ground", "min shelf life: 60 days",
        f"logo: PNG, {len(images.png())} bytes", "returns note: Returns within 30 days.",
        "packing instructions: No inserts."]
    assert run(world.db, capsys, "client", "set", "NOVA", "--name", "Nova Gadgets", "--active", "no")[:2] == (
        0, "client NOVA added\n")
    assert run(world.db, capsys, "client", "list")[:2] == (0, "ACME\tAcme Outdoor Company\n")
    assert run(world.db, capsys, "client", "list", "--all")[:2] == (
        0, "ACME\tAcme Outdoor Company\nNOVA\tNova Gadgets\tinactive\n")
    assert run(world.db, capsys, "client", "set", "ACME", "--no-logo")[0] == 0
    assert _client_row()[5] is None
    assert AuditEvent.select().where(AuditEvent.kind == "client_changed").count() == 2


@pytest.mark.parametrize(("argv", "message"), [
    (("client", "set", "ACME", "--logo", "missing.png"), "error: no such file: missing.png"),
    (("client", "set", "ACME", "--logo", "{bad}"), "error: the logo picture is damaged or cannot be read"),
    (("client", "set", "ACME", "--logo", "{gif}"), "error: the logo must be a PNG or JPEG picture"),
    (("client", "set", "ACME", "--logo", "{huge}"),
     "error: the logo is 20000 x 20000 pixels: at most 3000 on a side\n"),
    (("client", "set", "ACME", "--zip", "\x01"), "error: --zip contains a control character (U+0001): \\x01\n"),
    (("client", "set", "ACME", "--min-shelf-life-days", "99999999999"),
     "error: --min-shelf-life-days 99999999999 is out of range"),
    (("client", "set", "ACME", "--email", "nobody"), "error: 'nobody' is not an email address"),
    (("client", "set", "ACME", "--country", "USA"), "error: country must be a 2-letter ISO code"),
    (("client", "set", "NOPE", "--city", "Reno"), "error: there is no client NOPE: a new client needs a name"),
    (("client", "show", "NOPE"), "error: no client 'NOPE'"),
    (("product", "set", "NOPE", "TENT", "--name", "X"), "error: no client 'NOPE'"),
    (("product", "set", "ACME", "NOPE", "--name", "X"), "error: ACME has no product 'NOPE'"),
    (("product", "set", "ACME", "TENT", "--weight", "heavy"), "error: weight 'heavy' is not a number"),
    (("product", "set", "ACME", "TENT", "--prep", "gift"), "error: unknown prep service 'gift'"),
    (("product", "set", "ACME", "TENT", "--pack-qty", "6"), "error: --pack-qty goes with --add-barcode CODE"),
])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(world, capsys, tmp_path, monkeypatch, argv, message):
    world.product("TENT", barcode="TENT-1")
    (tmp_path / "bad.png").write_bytes(images.truncated_png())
    (tmp_path / "logo.gif").write_bytes(b"GIF89a" + b"\0" * 40)
    (tmp_path / "huge.png").write_bytes(huge_png(20000, 20000))
    monkeypatch.chdir(tmp_path)
    argv = tuple(a.format(bad=tmp_path / "bad.png", gif=tmp_path / "logo.gif", huge=tmp_path / "huge.png")
                 for a in argv)
    before = _client_row(), db.execute("SELECT name, weight_kg, prep_services FROM product").fetchall()
    code, out, err = run(world.db, capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith(message) and err.count("\n") == 1, err
    assert (_client_row(), db.execute("SELECT name, weight_kg, prep_services FROM product").fetchall()) == before


def test_product_set_and_show(world, capsys):
    world.product("TENT", barcode="012345678905")
    db.execute("INSERT INTO setting (key, value) VALUES ('units', 'us')")
    code, out, err = run(world.db, capsys, "product", "set", "ACME", "TENT", "--name", "Tent 2p", "--weight", "1.2lb",
                         "--dims", "30x20x10", "--reorder-point", "4", "--prep", "label,polybag", "--unit-cost", "3.50",
                         "--add-barcode", "10012345678902", "--pack-qty", "12", "--remove-barcode", "012345678905",
                         "--packing-instructions", "Poles inside", "--track-lot", "yes")
    assert (code, out, err) == (0, "product ACME TENT saved\n", "")
    code, out, err = run(world.db, capsys, "product", "show", "ACME", "TENT")
    assert out.splitlines() == [
        "product: ACME TENT", "name: Tent 2p", "active: yes", "weight: 1.20 lb", "size: 30.0 x 20.0 x 10.0 in",
        "reorder point: 4", "prep: label,polybag", "unit cost: 3.50", "lots: yes; expiry: no",
        "packing instructions: Poles inside", "barcode: 10012345678902 case x12"]
    assert db.execute("SELECT weight_kg, length_cm FROM product").fetchone() == (0.5443, 76.2)


@pytest.mark.parametrize("kind", ["png", "jpg"])
def test_a_slip_printed_after_client_set_shows_the_logo_and_the_returns_note(world, frozen_clock, capsys, tmp_path,
                                                                               kind):
    """Done means: ``client set ACME --logo FILE --returns-note ...``, then the slip carries both."""
    prods = make_products(world, [("TENT", "TENT-1")])
    picked_order(world, "1001", [("TENT", 2, 2)], products=prods)
    logo = tmp_path / f"acme.{kind}"
    logo.write_bytes(images.png(300, 100) if kind == "png" else images.jpeg(300, 100))
    note = "Return unused items within 30 days at acme.example/returns."
    assert run(world.db, capsys, "client", "set", "ACME", "--logo", str(logo), "--returns-note", note)[0] == 0
    slip = tmp_path / "slip.pdf"
    code, out, err = run(world.db, capsys, "print", "slip", "1001", "--out", str(slip))
    assert (code, err) == (0, ""), out
    (page,) = pypdf.PdfReader(io.BytesIO(slip.read_bytes())).pages
    (image,) = page.images
    assert (image.image.width, image.image.height) == (300, 100)
    text = page.extract_text()
    assert "Returns" in text and note in text.replace("\n", " ")
    # Without a stored logo the slip has no picture (and no logo file is looked for).
    assert run(world.db, capsys, "client", "set", "ACME", "--no-logo")[0] == 0
    run(world.db, capsys, "print", "slip", "1001", "--out", str(slip))
    assert list(pypdf.PdfReader(io.BytesIO(slip.read_bytes())).pages[0].images) == []


def test_product_set_add_barcode_keeps_a_gs1_codes_gtin(world, capsys):
    world.product("TENT", barcode="012345678905")
    world.product("STOVE", barcode="4006381333931")
    code, out, err = run(world.db, capsys, "product", "set", "ACME", "TENT", "--add-barcode",
                         "]C1010400638133393117271231")
    assert (code, out, err) == (1, "", "error: barcode 04006381333931 already belongs to STOVE\n")
    code, out, err = run(world.db, capsys, "product", "set", "ACME", "TENT", "--add-barcode",
                         "]C10195012345678903")
    assert (code, out, err) == (0, "product ACME TENT saved\n", "")
    code, out, err = run(world.db, capsys, "product", "show", "ACME", "TENT")
    assert out.splitlines()[-2:] == ["barcode: 00012345678905 upc x1", "barcode: 95012345678903 gtin x1"]
