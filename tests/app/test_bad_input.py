"""Hostile input on the command line: each is refused with one line, a non-zero exit and the
database as it was (numbers beyond a column, NUL, ESC, BEL, an invisible character, bytes
that are not UTF-8)."""

from __future__ import annotations

import pytest

from app.cli import main
from app.store import db

BAD = {
    "10^30": str(10**30),
    "2^63": str(2**63),
    "-2^63-1": str(-(2**63) - 1),
    "NUL": "WIDGET\x00-1",
    "ESC": "\x1b[31mWIDGET-1",
    "BEL": "WIDGET-1\x07",
    "U+200B": "WIDGET\u200b-1",
    "not UTF-8": b"\xff\xfe".decode("utf-8", "surrogateescape"),  # how Python hands such argv over
}
NUMBERS = ("10^30", "2^63", "-2^63-1")

TABLES = ("product", "product_barcode", "client", "location", "stock_move", "stock_level", "inbound_shipment",
          "receipt_line", '"order"', "order_line", "package", "pack_scan", "audit_event")


def snapshot() -> tuple:
    counts = tuple(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES)
    balances = db.execute("SELECT product_id, location_id, on_hand, reserved FROM stock_level ORDER BY 1, 2").fetchall()
    names = db.execute("SELECT sku, name, reorder_point FROM product ORDER BY sku").fetchall()
    return counts, [tuple(r) for r in balances], [tuple(r) for r in names]


@pytest.fixture
def cli(world, tmp_path):
    world.product("WIDGET-1", barcode="012345678905")
    world.stock(world.product("GADGET-2", barcode="GAD-2").id, "A-01-01", 5)
    url = world.db.url
    asn = tmp_path / "asn.csv"
    asn.write_text("sku,qty\nWIDGET-1,10\n")

    def run(*argv: str) -> int:
        code = main(["--db", url, *argv])
        db.connect(url, migrate=False)  # main() closes the connection; the test reads afterwards
        return code

    assert run("import", "asn", str(asn), "--client", "ACME", "--ref", "PO-1") == 0
    return run


def _commands(value: str, tmp_path) -> list[tuple[str, ...]]:
    numeric = any(value == BAD[k] for k in NUMBERS)
    csv = tmp_path / "in.csv"
    if numeric:
        csv.write_text(f"sku,name,reorder_point\nNEW-1,New thing,{value}\n")
        asn_csv = tmp_path / "asn2.csv"
        asn_csv.write_text(f"sku,qty\nWIDGET-1,{value}\n")
        return [("receive", "PO-1", "--scan", "012345678905", "--qty", value),
                ("putaway", "--scan", "GAD-2", "--bin", "A-01-02", "--qty", value),
                ("adjust", "GADGET-2", "--bin", "A-01-01", f"--qty={value}", "--reason", "count"),
                ("import", "products", str(csv), "--client", "ACME"),
                ("import", "asn", str(asn_csv), "--client", "ACME", "--ref", "PO-2"),
                ("location", "add", "Z-99", f"--seq={value}")]
    csv.write_bytes(b"sku,name\nNEW-1," + value.encode("utf-8", "surrogateescape") + b"\n")
    return [("receive", "PO-1", "--scan", value),
            ("putaway", "--scan", value, "--bin", "A-01-02"),
            ("pack", "SO-1", "--scan", value),
            ("adjust", value, "--bin", "A-01-01", "--qty=-1", "--reason", "count"),
            ("client", "add", "NEWC", "--name", value),
            ("import", "products", str(csv), "--client", "ACME")]


@pytest.mark.parametrize("label", list(BAD))
def test_hostile_values_are_refused_with_one_line(cli, capsys, tmp_path, label):
    value = BAD[label]
    before = snapshot()
    for argv in _commands(value, tmp_path):
        if label == "not UTF-8" and argv[:2] == ("import", "products"):
            continue  # a file's bytes that are not UTF-8 are read as Windows-1252 text, by design
        code = cli(*argv)
        out, err = capsys.readouterr()
        assert code != 0, (argv, out)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (argv, err)
        assert "internal error" not in err and "Traceback" not in err, (argv, err)
        assert snapshot() == before, argv


@pytest.mark.parametrize(("bad", "said"), [("\x00", "a NUL byte"), ("\x1b", "an ESC character"),
                                          ("\u200b", "an invisible character (U+200B)")])
def test_a_bad_character_deep_in_an_order_file_rejects_the_file(cli, capsys, tmp_path, bad, said):
    rows = "".join(f"SO-{i},WIDGET-1,1,Customer {i}\n" for i in range(3000))  # well past 64 KB
    path = tmp_path / "orders.csv"
    path.write_text("order_number,sku,qty,customer_name\n" + rows + f"SO-X,WIDGET-1,1,Evil{bad} Name\n")
    assert path.stat().st_size > 65536
    before = snapshot()
    assert cli("import", "orders", str(path), "--client", "ACME") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"line 3002: contains {said}" in err
    assert snapshot() == before


@pytest.mark.parametrize(("fields", "said"), [
    ({"code": "Z-\x1b01"}, "location code contains an ESC character"),
    ({"code": "Z-01", "name": "Top\u200bshelf"}, "location name contains an invisible character (U+200B)"),
    ({"code": "Z-01", "seq": 2**63}, "seq 9223372036854775808 is out of range"),
])
def test_the_location_service_refuses_what_a_dialog_could_send(world, fields, said):
    from app.kernel.errors import ValidationError
    from app.ledger import locations

    before = snapshot()
    with pytest.raises(ValidationError) as info:
        rest = dict(fields)  # the parameters are shared by both backends: not changed here
        locations.add_location(rest.pop("code"), **rest)
    assert str(info.value).startswith(said)
    assert snapshot() == before
