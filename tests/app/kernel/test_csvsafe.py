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
