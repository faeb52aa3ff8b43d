"""The order commands, run through the real command line entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.store import db

# the commands run as a logged-in supervisor (PREPDESK_USER / PREPDESK_PIN)
pytestmark = pytest.mark.usefixtures("cli_user")

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "orders"


def _run(handle, capsys, *argv):
    code = main(["--db", handle.url, *argv])
    out = capsys.readouterr()
    db.connect(handle.url, migrate=False)  # main() closes the connection; the fixture checks after
    return code, out.out, out.err


def _acme_with_products(handle, capsys, tmp_path, rows: str) -> None:
    """Client ACME and its products (``rows`` of ``sku,name`` lines), added through the CLI."""
    assert _run(handle, capsys, "client", "add", "ACME", "--name", "Acme")[0] == 0
    products = tmp_path / "p.csv"
    products.write_text("sku,name\n" + rows)
    assert _run(handle, capsys, "import", "products", str(products), "--client", "ACME")[0] == 0


def test_import_allocate_show_backorders_cancel(sqlite_database, capsys, tmp_path):
    h = sqlite_database
    _acme_with_products(h, capsys, tmp_path, "TENT-1,Tent\nLAMP-2,Lamp\nBOTTLE-3,Bottle\nSTOVE-4,Stove\n")
    assert _run(h, capsys, "location", "add", "A-01", "--seq", "10")[0] == 0
    assert _run(h, capsys, "adjust", "LAMP-2", "--bin", "A-01", "--qty", "2", "--reason", "found")[0] == 0
    code, out, _ = _run(h, capsys, "import", "orders", str(FIXTURES / "shopify_orders.csv"), "--client", "ACME",
                        "--dry-run")
    assert (code, out.strip()) == (0, "would import 4 orders (7 lines); skipped 2 fulfilled/cancelled, "
                                      "0 already imported")
    code, out, _ = _run(h, capsys, "import", "orders", str(FIXTURES / "shopify_orders.csv"), "--client", "ACME")
    assert out.startswith("imported 4 orders (7 lines)")
    code, out, _ = _run(h, capsys, "import", "orders", str(FIXTURES / "shopify_orders.csv"), "--client", "ACME")
    assert out.startswith("imported 0 orders (0 lines); skipped 2 fulfilled/cancelled, 4 already imported")
    code, out, err = _run(h, capsys, "import", "orders", str(FIXTURES / "shopify_broken.csv"), "--client", "ACME")
    assert code == 1 and "line 3: unknown SKU 'NOPE-9'" in err and len(err.strip().splitlines()) == 1
    code, out, _ = _run(h, capsys, "allocate")
    # the 2 units went to one line of one order: the other waiting lines are not counted as served
    assert out.strip() == ("2 units reserved for 1 line of 1 order; of 4 orders waiting for stock, 0 allocated, "
                           "1 partially allocated, 3 back-ordered")
    code, out, _ = _run(h, capsys, "order", "show", "1001")
    assert "status: Partially allocated" in out and "Zoë Müller" in out and "LAMP-2" in out and "timeline:" in out
    code, out, _ = _run(h, capsys, "order", "find", "jose@example")
    assert code == 0 and "#1002" in out
    code, out, _ = _run(h, capsys, "backorders", "--csv", "--notices", str(tmp_path / "n.csv"),
                        "--messages", str(tmp_path / "msgs"))
    assert out.splitlines()[0].startswith("client,sku,name,qty_short")
    assert len((tmp_path / "n.csv").read_text(encoding="utf-8").splitlines()) == 5
    assert len(list((tmp_path / "msgs").glob("*.txt"))) == 4
    code, out, err = _run(h, capsys, "order", "cancel", "1001", "--reason", "customer asked")
    assert code == 0
    code, out, _ = _run(h, capsys, "order", "list", "--status", "cancelled")
    assert "#1001" in out
    code, out, err = _run(h, capsys, "order", "add", "M-1", "--client", "ACME", "--line", "TENT-1=x")
    assert code == 1 and "not a whole number" in err
    code, out, err = _run(h, capsys, "order", "add", "M-1", "--client", "ACME", "--line", "TENT-1=1",
                          "--name", "Al Bo", "--address1", "1 St", "--city", "Town", "--country", "US")
    assert code == 0 and "order M-1 added" in out



def test_backorder_notices_name_orders_without_email(sqlite_database, capsys, tmp_path):
    h = sqlite_database
    _acme_with_products(h, capsys, tmp_path, "TENT-1,Tent\n")
    assert _run(h, capsys, "order", "add", "NE-1", "--client", "ACME", "--line", "TENT-1=1", "--name", "No Mail",
                "--address1", "1 St", "--city", "Town", "--country", "US")[0] == 0
    assert _run(h, capsys, "allocate")[0] == 0
    code, _, err = _run(h, capsys, "backorders", "--messages", str(tmp_path / "m.txt"))
    assert code == 0
    assert "1 affected orders have no email address (tell them another way): NE-1" in err
    assert (tmp_path / "m.txt").read_text(encoding="utf-8").startswith("To: \nSubject: Your order NE-1")


def test_order_commands_refuse_bad_arguments_in_one_line(sqlite_database, capsys, tmp_path):
    h = sqlite_database
    _acme_with_products(h, capsys, tmp_path, "TENT-1,Tent\n")
    address = ["--name", "A", "--address1", "1 St", "--city", "Town", "--country", "US"]
    for argv, message in (
        (["order", "add", "X-1", "--client", "ACME", "--line", "TENT-1=99999999999999999999", *address],
         "error: quantity for TENT-1 is 99,999,999,999,999,999,999: at most 100,000 units a line"),
        (["order", "add", "X-1", "--client", "ACME", "--line", "TENT-1=1", "--priority", "99999999999999",
          *address], "error: priority must be from 0 to 99, not 99999999999999"),
        (["order", "add", "X-1", "--client", "ACME", "--line", "TENT-1", *address],
         "error: line 'TENT-1': write SKU=QTY"),
        (["order", "add", "X-1", "--client", "ACME", "--line", "TENT-1=2", "--ship-by", "2026-13-01", *address],
         "error: ship-by date '2026-13-01' is not YYYY-MM-DD"),
        (["order", "add", "X-1", "--client", "ACME", "--line", "TENT-1=2", "--ship-by", "9999-12-31", *address],
         "error: ship-by date 9999-12-31 is out of range: dates run from 1900-01-01 to 2999-12-31"),
        (["order", "list", "--limit", "-5"], "error: --limit must be at least 1, not -5"),
        (["order", "cancel", "X-1", "--reason", "  "], "error: no order 'X-1'"),
        (["order", "find", "x"], "error: type at least two characters to search"),
        (["import", "orders", str(tmp_path), "--client", "ACME"], f"error: no file {tmp_path}"),
        (["allocate", "--client", "NOPE"], "error: no client 'NOPE'"),
    ):
        code, out, err = _run(h, capsys, *argv)
        assert (code, out, err.strip()) == (1, "", message), argv
    for argv in (["order", "list", "--client", "NOPE"], ["backorders", "--client", "NOPE"]):
        # an unknown client is a typing slip (a usage error), not an empty list
        assert _run(h, capsys, *argv) == (2, "", "error: no client 'NOPE'\n"), argv
    assert _run(h, capsys, "order", "list", "--status", "")[1].strip().endswith("\n0 orders")  # nothing changed


def test_lists_line_up_for_names_in_any_script_and_never_cut_an_order_number(sqlite_database, capsys, tmp_path):
    """`order list` and `order show`: a Japanese name takes two terminal columns a character,
    so the next column starts where it does for a Latin one; an order number or SKU longer
    than its column is printed whole (a cut one would be another, wrong, number)."""
    from wcwidth import wcswidth

    h = sqlite_database
    _acme_with_products(h, capsys, tmp_path, "TENT-1,テント 2人用 グリーン\nLAMP-GREEN-XL-2026-EDITION,Lamp\n")
    for number, name, email, sku in (("JP-1", "山田 太郎", "taro@example.jp", "TENT-1"),
                                     ("DE-1", "Zoë Müller", "zoe@example.de", "TENT-1"),
                                     ("SHOP-2026-000123-R2", "Al Bo", "al@example.com",
                                      "LAMP-GREEN-XL-2026-EDITION")):
        assert _run(h, capsys, "order", "add", number, "--client", "ACME", "--line", f"{sku}=1", "--name", name,
                    "--email", email, "--address1", "1 St", "--city", "Town", "--country", "US")[0] == 0
    code, out, _ = _run(h, capsys, "order", "list")
    lines = {line.split()[1]: line for line in out.splitlines()[1:-1]}
    assert set(lines) == {"JP-1", "DE-1", "SHOP-2026-000123-R2"}  # the long number whole
    email_at = {n: wcswidth(line[:line.index("@") - len(line[:line.index("@")].split()[-1])])
                for n, line in lines.items()}
    assert email_at["JP-1"] == email_at["DE-1"]  # the email column starts at the same place
    code, out, _ = _run(h, capsys, "order", "show", "SHOP-2026-000123-R2")
    assert code == 0 and "LAMP-GREEN-XL-2026-EDITION" in out
    code, out, _ = _run(h, capsys, "order", "show", "JP-1")
    (header,) = [ln for ln in out.splitlines() if "SKU" in ln and "ORD" in ln]
    (line,) = [ln for ln in out.splitlines() if "テント 2人用 グリーン" in ln]
    name_end = line.index("グリーン") + len("グリーン")
    ordered_end = name_end + len(line[name_end:]) - len(line[name_end:].lstrip()) + 1  # the quantity "1"
    assert line[ordered_end - 1] == "1"
    assert wcswidth(line[:ordered_end]) == wcswidth(header[:header.index("ORD") + 3])  # under its heading


def test_order_list_takes_a_status_as_the_screens_write_it_and_names_the_statuses_it_knows(
        sqlite_database, capsys, tmp_path):
    h = sqlite_database
    _acme_with_products(h, capsys, tmp_path, "TENT-1,Tent\n")
    assert _run(h, capsys, "order", "add", "B-1", "--client", "ACME", "--line", "TENT-1=2", "--name", "Al Bo",
                "--address1", "1 St", "--city", "Town", "--country", "US")[0] == 0
    assert _run(h, capsys, "allocate")[0] == 0  # no stock: back-ordered
    for words in ("backordered", "Back-ordered", "back-ordered"):
        code, out, _ = _run(h, capsys, "order", "list", "--status", words)
        assert code == 0 and out.splitlines()[1].split()[1] == "B-1" and out.splitlines()[-1] == "1 order"
    code, out, err = _run(h, capsys, "order", "list", "--status", "picked")
    assert (code, out) == (2, "")
    assert err.strip() == ("error: unknown order status 'picked': one of open, new, partially_allocated, "
                           "allocated, backordered, picking, packed, shipped, cancelled")
