"""The program's file dialogs list a folder without opening its files (the station keeps its
locks on the SQLite database it has open), keep a scanner's burst out of the name, give a saved
file its extension, and never hand back a file of the open database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileSystemModel, QTreeView

from app import catalog
from app.store import db
from tests.support.qt import KeyClock, keys
from ui import command_sheets
from ui.app import apply_style
from ui.widgets import file_dialog
from ui.widgets.file_dialog import FileDialog
from ui.widgets.scan_field import IGNORED_SCAN

SCANNER, PERSON = 5, 150  # ms between keys


def process_locks(paths: list[Path]) -> list[tuple[str, str, str]]:
    """This process's POSIX locks on ``paths`` as /proc/locks lists them: (file, kind, start)."""
    names = {os.stat(p).st_ino: p.name for p in paths if p.exists()}
    held = []
    for line in Path("/proc/locks").read_text().splitlines():
        parts = line.split()
        if parts[1] == "POSIX" and parts[4] == str(os.getpid()):
            inode = int(parts[5].rsplit(":", 1)[1])
            if inode in names:
                held.append((names[inode], parts[3], parts[6]))
    return sorted(held)


def other_connection(path: Path, sql: str) -> str:
    """``sql`` run by another program's SQLite connection (opened, read, closed): its result."""
    code = ("import sqlite3, sys\n"
            "con = sqlite3.connect(sys.argv[1])\n"
            "print(con.execute(sys.argv[2]).fetchall())\n"
            "con.close()\n")
    return subprocess.run([sys.executable, "-c", code, str(path), sql], capture_output=True,
                          text=True, check=True, timeout=60).stdout.strip()


def listed(qtbot, dialog: FileDialog, folder: Path, shown: int) -> list[str]:
    """Show ``dialog`` and wait until its model has listed ``folder`` (``shown`` rows pass the
    dialog's filter; Qt looks at the others too), with every row's icon and type asked for as
    the views draw them; the names shown."""
    qtbot.addWidget(dialog)
    model = dialog.findChild(QFileSystemModel)
    with qtbot.waitSignal(model.directoryLoaded, timeout=10_000,
                          check_params_cb=lambda p: Path(p) == folder):
        dialog.show()
        qtbot.waitExposed(dialog)
    root = model.index(str(folder))
    qtbot.waitUntil(lambda: model.rowCount(root) == shown)
    names = []
    for row in range(model.rowCount(root)):
        index = model.index(row, 0, root)
        model.data(index, Qt.ItemDataRole.DecorationRole)
        model.type(index)
        names.append(model.fileName(index))
    dialog.repaint()
    return sorted(names)


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="reads the locks in /proc/locks")
def test_listing_the_databases_folder_keeps_the_stations_locks(qtbot, sqlite_database, supervisor):
    path = Path(db.url_in_use().removeprefix("sqlite:///"))
    catalog.add_client("ZED", "Zed Trading", actor=supervisor)  # the station has read and written
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    before = process_locks(files)
    assert {name for name, _kind, _start in before} == {path.name, f"{path.name}-shm"}

    (path.parent / "slip.pdf").write_bytes(b"%PDF-1.4 an older file")
    dialog = FileDialog(None, "Save as", str(path.parent), "PDF files (*.pdf)", save=True)
    assert listed(qtbot, dialog, path.parent, shown=2) == [f"{path.name}.stations", "slip.pdf"]
    assert process_locks(files) == before
    dialog.reject()

    # Another program opens, reads and closes the database: the WAL stays (this station still
    # holds it open), and what the station writes next is seen by the others.
    assert other_connection(path, "SELECT name FROM client WHERE code = 'ZED'") == "[('Zed Trading',)]"
    assert Path(f"{path}-wal").exists()
    catalog.add_client("YAK", "Yak Supplies", actor=supervisor)
    assert other_connection(path, "SELECT name FROM client WHERE code = 'YAK'") == "[('Yak Supplies',)]"


def test_the_dialog_is_qts_own_read_only_and_names_types_from_names(qtbot, tmp_path):
    (tmp_path / "slip.pdf").write_bytes(b"not read")
    (tmp_path / "x.db-wal").write_bytes(b"not read either")
    dialog = FileDialog(None, "Open", str(tmp_path), "All files (*)")
    assert dialog.testOption(FileDialog.Option.DontUseNativeDialog)
    assert listed(qtbot, dialog, tmp_path, shown=2) == ["slip.pdf", "x.db-wal"]
    model = dialog.findChild(QFileSystemModel)
    assert model.isReadOnly()  # nothing renamed or deleted from a dialog
    assert model.iconProvider() is dialog.icons
    assert model.type(model.index(str(tmp_path / "slip.pdf"))) == "PDF document"
    assert model.type(model.index(str(tmp_path / "x.db-wal"))) == "DB-WAL file"


def drive(monkeypatch, qtbot, act):
    """``FileDialog.exec`` shown, with ``act(dialog)`` done in it instead of a person."""
    seen = {}

    def fake_exec(dialog):
        seen["dialog"] = dialog
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        act(dialog)
        result = dialog.result() if not dialog.isVisible() else QDialog.DialogCode.Rejected
        dialog.hide()
        return result

    monkeypatch.setattr(FileDialog, "exec", fake_exec)
    return seen


def scanned(qtbot, dialog: FileDialog, code: str) -> None:
    """``code`` and Enter from a wedge scanner: each key goes where the keyboard's keys go (an
    open popup list first, as a completer's would be), 5 ms apart."""
    dialog.guard.clock_ms = KeyClock(SCANNER)
    dialog.name_field().setFocus()
    for key in [*code, Qt.Key.Key_Return]:
        target = QApplication.activePopupWidget() or QApplication.focusWidget() or dialog.name_field()
        qtbot.keyClick(target, key)


def test_a_scan_in_the_save_dialog_is_ignored_with_a_note(qtbot, monkeypatch, tmp_path, message_boxes):
    (tmp_path / "ASN-ACME-1001 old.pdf").write_bytes(b"%PDF-1.4 an older file")  # a completer would offer it
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))
    notes = {}

    def scan(dialog):
        model = dialog.findChild(QFileSystemModel)
        qtbot.waitUntil(lambda: model.rowCount(model.index(str(tmp_path))) == 1)  # listed
        name = dialog.name_field()
        assert name.text() == "command-sheet-receiving.pdf"
        name.selectAll()
        scanned(qtbot, dialog, "ASN-ACME-1001")
        notes["visible"] = dialog.isVisible()
        notes["name"] = name.text()
        notes["note"] = dialog.note.text()
        dialog.reject()

    drive(monkeypatch, qtbot, scan)
    assert command_sheets.save_sheet(None, "receiving") is None
    assert notes["visible"] is True  # the scan's Enter saved nothing
    assert notes["name"] == "command-sheet-receiving.pdf"  # the name as it was
    assert notes["note"].startswith(IGNORED_SCAN[:1].upper() + IGNORED_SCAN[1:])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ASN-ACME-1001 old.pdf"]
    assert message_boxes.boxes == []


def test_a_saved_sheet_gets_its_extension_and_says_where_it_went(qtbot, monkeypatch, tmp_path,
                                                                  message_boxes):
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))

    def type_a_name(dialog):
        name = dialog.name_field()
        name.selectAll()
        keys(qtbot, dialog.guard, name, "receiving sheet", PERSON)

    drive(monkeypatch, qtbot, type_a_name)
    path = command_sheets.save_sheet(None, "receiving")
    assert path == str(tmp_path / "receiving sheet.pdf")
    assert (tmp_path / "receiving sheet.pdf").read_bytes().startswith(b"%PDF")
    assert message_boxes.boxes == [("exec", "Saved", f"The Receiving command sheet is saved as {path}: "
                                                     "print it and keep it at the station.")]


def test_a_name_with_another_dot_still_gets_the_extension(qtbot, monkeypatch, tmp_path):
    def type_a_name(dialog):
        name = dialog.name_field()
        name.selectAll()
        keys(qtbot, dialog.guard, name, "sheet.v2", PERSON)

    drive(monkeypatch, qtbot, type_a_name)
    dialog = FileDialog(None, "Save as", str(tmp_path / "x.pdf"), "PDF files (*.pdf)", save=True)
    assert dialog.chosen() == str(tmp_path / "sheet.v2.pdf")


@pytest.mark.parametrize("save", [True, False])
def test_no_dialog_gives_back_the_open_database(qtbot, monkeypatch, sqlite_database, save):
    path = Path(db.url_in_use().removeprefix("sqlite:///"))
    size = path.stat().st_size
    notes = {}

    def choose_the_database(dialog):
        name = dialog.name_field()
        name.selectAll()
        keys(qtbot, dialog.guard, name, path.name, PERSON)
        notes["visible"] = dialog.isVisible()
        notes["note"] = dialog.note.text()
        dialog.reject()

    drive(monkeypatch, qtbot, choose_the_database)
    dialog = FileDialog(None, "Choose", str(path.parent), "All files (*)", save=save)
    assert dialog.chosen() is None
    assert notes == {"visible": True,
                     "note": f"{path.name} is the warehouse's database: choose another file."}
    assert path.stat().st_size == size


def test_each_dialog_opens_where_its_kind_of_file_was_last_chosen(qtbot, monkeypatch, tmp_path, ui_settings):
    logos, sheets = tmp_path / "logos", tmp_path / "sheets"
    logos.mkdir()
    sheets.mkdir()
    (logos / "acme.png").write_bytes(b"not read")
    file_dialog.remember_folders_in(ui_settings)
    try:
        opened: list[str] = []

        def pick(dialog: FileDialog) -> None:
            opened.append(dialog.directory().absolutePath())
            if dialog.kind == "png":
                dialog.selectFile(str(logos / "acme.png"))
            else:
                dialog.selectFile(str(sheets / "week.csv"))
            dialog.accept()

        drive(monkeypatch, qtbot, pick)
        assert file_dialog.ask_open_path(None, "Client logo", "Pictures (*.png *.jpg *.jpeg)") == str(
            logos / "acme.png")
        assert file_dialog.ask_save_path(None, "Export CSV", "week.csv", "CSV files (*.csv)") == str(sheets / "week.csv")
        assert file_dialog.ask_open_path(None, "Client logo", "Pictures (*.png *.jpg *.jpeg)") == str(
            logos / "acme.png")
        # The first time, home; then each kind where it was last chosen, kept in the station's settings.
        assert opened == [str(Path.home()), str(Path.home()), str(logos)]
        assert (ui_settings.last_folder("png"), ui_settings.last_folder("csv")) == (str(logos), str(sheets))
        shutil.rmtree(sheets)  # a folder gone since: home again
        assert file_dialog.last_folder("csv") == str(Path.home())
    finally:
        file_dialog.remember_folders_in(None)


def test_the_size_type_and_date_columns_are_wide_enough_to_read(qtbot, qapp, tmp_path):
    (tmp_path / "a statement with a long name.pdf").write_bytes(b"%PDF-1.4" + b"0" * 40_000)
    font = qapp.font()
    apply_style(qapp)  # the station's real type sizes
    try:
        dialog = FileDialog(None, "Open", str(tmp_path), "All files (*)")
        listed(qtbot, dialog, tmp_path, shown=1)
        room = dialog.screen().availableGeometry()
        assert dialog.width() <= room.width() and dialog.height() <= room.height()
        view = dialog.findChild(QTreeView, "treeView")
        qtbot.waitUntil(lambda: all(view.header().sectionSize(c) >= view.sizeHintForColumn(c) for c in (1, 2, 3)))
        assert view.header().sectionSize(0) > 0
    finally:
        qapp.setStyleSheet("")
        qapp.setFont(font)
