"""The picklist commands through app.cli.main, against the fixture's database."""

from __future__ import annotations

import io

import pypdf
import pytest

from app import ledger
from app.cli import main
from app.store import db
from tests.app.picking.test_picking import STOCK, wave  # noqa: F401 - fixture

# the commands run as a logged-in supervisor (PREPDESK_USER / PREPDESK_PIN)
pytestmark = pytest.mark.usefixtures("cli_user")


def run(handle, *args: str) -> int:
    code = main(["--db", handle.url, *args])
    db.connect(handle.url, migrate=False)  # main() closes the connection; the test goes on
    ledger.clear_caches()
    return code


def test_create_confirm_short_show_and_print(wave, tmp_path, capsys):  # noqa: F811
    handle = wave.world.db
    out = tmp_path / "wave.pdf"
    assert run(handle, "picklist", "create", "--client", "acme", "--max-orders", "2", "--out", str(out),
               "--page-size", "a4", "--picker", "Pat") == 0
    assert capsys.readouterr().out.strip() == "PL000001"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "PICK LIST PL000001" in text and "Picker: Pat" in text
    # tote 1 = order 1003 (urgent), tote 2 = 1001: first stop C-01-01 SKU-H T1 x2, T2 x1
    assert run(handle, "picklist", "confirm", "PL000001", "--bin", "C-01-01", "--scan", "BC-SKU-H",
               "--qty", "2", "--tote", "1") == 0
    lines = capsys.readouterr().out.splitlines()
    # what is left at the stop: tote 1 has its 2, tote 2 still needs 1
    assert lines == ["picked 2 SKU-H from C-01-01 into tote 1 (1003)", "next: C-01-01 SKU-H x1 (T2 x1)"]
    assert ledger.on_hand(wave.pid("SKU-H"), "PACKING") == 2
    assert run(handle, "picklist", "short", "PL000001", "--bin", "C-01-01", "--scan", "SKU-H",
               "--qty", "1", "--reason", "short") == 0
    out_text = capsys.readouterr().out
    assert "short 1 of SKU-H in C-01-01: 1 of SKU-H back-ordered" in out_text
    assert run(handle, "picklist", "exceptions") == 0
    listed = capsys.readouterr().out
    assert listed.startswith("#1\t") and "1001\tSKU-H\tC-01-01\t1\tshort\tbackordered" in listed
    assert run(handle, "picklist", "resolve", "1", "--note", "bin counted") == 0
    assert capsys.readouterr().out.strip() == "exception 1 resolved"
    assert run(handle, "picklist", "exceptions") == 0
    assert capsys.readouterr().out.strip() == "0 exceptions"
    assert run(handle, "picklist", "show", "PL000001") == 0
    shown = capsys.readouterr().out
    assert shown.splitlines()[0].startswith("PL000001  picking  2 orders")
    assert "C-01-01" in shown and "short 1" in shown
    assert run(handle, "picklist", "list") == 0
    assert capsys.readouterr().out.startswith("PL000001\tpicking\t2 orders")
    assert run(handle, "picklist", "remove", "PL000001", "1001", "--reason", "customer cancelled") == 0
    assert capsys.readouterr().out.strip() == "order 1001 taken off PL000001 (3 units no longer to pick)"
    again = tmp_path / "again.pdf"
    assert run(handle, "print", "picklist", "pl000001", "--out", str(again)) == 0
    assert again.read_bytes().startswith(b"%PDF")
    assert ledger.on_hand(wave.pid("SKU-H"), "C-01-01") == STOCK - 3  # 2 picked + 1 written off


@pytest.mark.parametrize("args, message", [
    (["picklist", "confirm", "PL000001", "--bin", "A-01-01", "--scan", "BC-SKU-A", "--tote", "2"],
     "wrong bin A-01-01: go to C-01-01"),
    (["picklist", "confirm", "PL000001", "--bin", "C-01-01", "--scan", "BC-SKU-A", "--tote", "1"], "wrong item"),
    (["picklist", "confirm", "PL000001", "--bin", "C-01-01", "--scan", "BC-SKU-H", "--tote", "x"], "tote must be"),
    (["picklist", "confirm", "PL000001", "--bin", "C-01-01", "--scan", "BC-SKU-H", "--qty", "two",
      "--tote", "1"], "--qty must be a whole number"),
    (["picklist", "confirm", "PL000009", "--bin", "C-01-01", "--scan", "BC-SKU-H", "--tote", "1"],
     "no pick list PL000009"),
    (["picklist", "short", "PL000001", "--bin", "C-01-01", "--scan", "BC-SKU-H", "--qty", "1",
      "--reason", "tired"], "reason must be one of"),
    (["picklist", "short", "PL000001", "--bin", "C-01-01", "--scan", "BC-SKU-H", "--qty", "9",
      "--reason", "short"], "only 3 of SKU-H"),
    (["picklist", "show", "nope"], "no pick list NOPE"),
    (["picklist", "remove", "PL000001", "9999", "--reason", "x"], "order 9999 is not on pick list PL000001"),
    (["picklist", "remove", "PL000001", "1001", "--reason", " "], "say why"),
    (["picklist", "resolve", "7"], "no open pick exception #7"),
    (["picklist", "resolve", "x"], "exception id must be a whole number"),
    (["picklist", "create", "--out", "{tmp}/missing/x.pdf"], "does not exist"),
    (["picklist", "create", "--ship-by", "31/03/2026", "--out", "{tmp}/x.pdf"], "ship-by must be a date"),
    (["picklist", "create", "--max-orders", "0", "--out", "{tmp}/x.pdf"], "--max-orders must be positive"),
    (["picklist", "create", "--page-size", "legal", "--out", "{tmp}/x.pdf"], "letter or a4"),
    (["picklist", "create", "--carrier", "DHL", "--out", "{tmp}/x.pdf"], "no allocated orders match"),
    (["picklist", "create", "--client", "NOPE", "--out", "{tmp}/x.pdf"], "no client"),
    (["print", "picklist", "PL000001", "--out", "{tmp}/x.pdf", "--page-size", "a5"], "letter or a4"),
    # an existing folder as --out: refused before the wave is made
    (["picklist", "create", "--out", "{tmp}"], "is a folder: give a file name"),
    (["print", "picklist", "PL000001", "--out", "{tmp}"], "is a folder: give a file name"),
    # numbers no column holds, and digits that are not 0-9
    (["picklist", "confirm", "PL000001", "--bin", "C-01-01", "--scan", "BC-SKU-H",
      "--tote", "99999999999999999999"], "tote must be a number like 3 or T3, not '99999999999999999999'"),
    (["picklist", "confirm", "PL000001", "--bin", "C-01-01", "--scan", "BC-SKU-H", "--tote", "\u00b2"],
     "tote must be a number like 3 or T3, not '\u00b2'"),
    (["picklist", "confirm", "PL000001", "--bin", "C-01-01", "--scan", "BC-SKU-H", "--qty", "\u00b2",
      "--tote", "1"], "--qty must be a whole number"),
    (["picklist", "confirm", "PL000001", "--bin", "C-01-01", "--scan", "BC-SKU-H",
      "--qty", "99999999999999999999", "--tote", "1"], "--qty 99999999999999999999 is out of range"),
    (["picklist", "resolve", "99999999999999999999"], "exception id 99999999999999999999 is out of range"),
    (["picklist", "create", "--max-orders", "99999999999999999999", "--out", "{tmp}/x.pdf"],
     "--max-orders 99999999999999999999 is out of range"),
    (["picklist", "show", "\u00b2"], "no pick list \u00b2"),
])
def test_bad_input_exit_1_with_one_line_and_nothing_changed(wave, tmp_path, capsys, args, message):  # noqa: F811
    handle = wave.world.db
    assert run(handle, "picklist", "create", "--out", str(tmp_path / "w.pdf")) == 0
    capsys.readouterr()
    moves = db.execute("SELECT COUNT(*) FROM stock_move").fetchone()[0]
    lists = db.execute("SELECT COUNT(*) FROM pick_list").fetchone()[0]
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert run(handle, *args) == 1
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and message in err[0], captured.err
    assert "Traceback" not in captured.err
    assert db.execute("SELECT COUNT(*) FROM stock_move").fetchone()[0] == moves
    assert db.execute("SELECT COUNT(*) FROM pick_list").fetchone()[0] == lists
    assert not (tmp_path / "x.pdf").exists()


def test_create_into_a_folder_or_an_unwritable_file_makes_no_wave(wave, tmp_path, capsys, monkeypatch):  # noqa: F811
    handle = wave.world.db
    # the orders wait for a wave: a folder as --out is refused before one is made
    assert run(handle, "picklist", "create", "--out", str(tmp_path)) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: {str(tmp_path)!r} is a folder: give a file name"]
    assert db.execute("SELECT COUNT(*) FROM pick_list").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM pick_list_order").fetchone()[0] == 0
    # a PDF that cannot be written after all (disk full, say) takes the wave back with it
    out = tmp_path / "wave.pdf"

    def disk_full(self, data):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(type(out), "write_bytes", disk_full)
        assert run(handle, "picklist", "create", "--out", str(out)) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: cannot write {str(out)!r}: No space left on device"]
    assert db.execute("SELECT COUNT(*) FROM pick_list").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM pick_line").fetchone()[0] == 0
    assert run(handle, "picklist", "create", "--out", str(out)) == 0
    assert capsys.readouterr().out.strip() == "PL000001" and out.read_bytes().startswith(b"%PDF")
    assert run(handle, "picklist", "list") == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("PL000001\topen\t5 orders")


def test_the_next_line_says_what_each_tote_still_needs(wave, tmp_path, capsys):  # noqa: F811
    handle = wave.world.db
    assert run(handle, "picklist", "create", "--out", str(tmp_path / "w.pdf")) == 0
    number = capsys.readouterr().out.strip()
    # C-01-01 SKU-H: tote 1 needs 2, tote 2 needs 1; one unit into tote 1
    assert run(handle, "picklist", "confirm", number, "--bin", "C-01-01", "--scan", "BC-SKU-H", "--tote", "1") == 0
    assert capsys.readouterr().out.splitlines()[1] == "next: C-01-01 SKU-H x2 (T1 x1, T2 x1)"
    assert run(handle, "picklist", "short", number, "--bin", "C-01-01", "--scan", "SKU-H", "--qty", "1",
               "--reason", "blocked") == 0
    assert capsys.readouterr().out.splitlines()[1] == "next: C-01-01 SKU-H x1 (T1 x1)"
    assert ledger.check().ok
