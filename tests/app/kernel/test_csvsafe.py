"""CSV exports never carry a spreadsheet formula; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from app.kernel.csvsafe import safe_cell, safe_writer


@pytest.mark.parametrize(("value", "written"), [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+1+1", "'+1+1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("-x", "'-x"),
    ("\tTAB", "'\tTAB"),
    ("\rCR", "'\rCR"),
    ("-2", "-2"),
    ("-2.50", "-2.50"),
    (-2, "-2"),
    (3.5, "3.5"),
    (None, ""),
    ("TENT-1", "TENT-1"),
    ("a=b", "a=b"),
    ("", ""),
])
def test_safe_cell(value, written):
    assert safe_cell(value) == written


def test_safe_writer_makes_every_row_safe():
    out = io.StringIO()
    w = safe_writer(out, lineterminator="\n")
    w.writerow(["sku", "name", "qty"])
    w.writerows([["TENT-1", "=cmd|' /C calc'!A0", -2], ["LAMP", "@SUM(A1)", "+1+1"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["sku", "name", "qty"],
                    ["TENT-1", "'=cmd|' /C calc'!A0", "-2"],
                    ["LAMP", "'@SUM(A1)", "'+1+1"]]
    assert w.dialect.lineterminator == "\n"


FORMULA = "=cmd|' /C calc'!A0"


def _cli(url: str, *args: str) -> str:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    proc = subprocess.run([sys.executable, str(root / "main.py"), "--db", url, *args], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_stock_and_backorder_exports_escape_a_formula_typed_into_a_name(sqlite_world):
    """`stock --csv` and `backorders --csv` write a product named like a formula as text: a
    spreadsheet opening the file shows the name, it does not run it."""
    from app import catalog, orders
    from app.orders import allocation

    world = sqlite_world
    p = catalog.add_product("ACME", "EVIL-1", FORMULA, actor=world.actor)
    world.stock(p.id, "A-01-01", 1)
    orders.create_order("ACME", "5001", [("EVIL-1", 3)], actor=world.actor, customer_name="+1+1")
    allocation.allocate_orders(actor=world.actor)
    stock = list(csv.DictReader(io.StringIO(_cli(world.db.url, "stock", "--csv"))))
    assert [r["name"] for r in stock if r["sku"] == "EVIL-1"] == ["'" + FORMULA]
    rows = list(csv.reader(io.StringIO(_cli(world.db.url, "backorders", "--csv"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + FORMULA in cells
    assert not any(cell[:1] in ("=", "+", "@") for cell in cells)
