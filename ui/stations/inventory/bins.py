"""The warehouse's bins (Inventory → Bins…, a supervisor's): each bin on the walk path with
what it holds; a new bin added, an emptied bin closed (a broken shelf: nothing is put away,
moved or restocked into it, allocated from it or counted in it) and opened again, bins
imported from a CSV file in the background. A bin's label
scanned selects that bin (or, in the new bin's code field, is its code); no scan says OK."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import ledger
from app.kernel.actor import Actor
from app.kernel.text import counted
from ui.ops import failure_line, run_op
from ui.widgets.file_dialog import CSV_FILES, ask_open_path
from ui.widgets.rows_dialog import RowsDialog
from ui.widgets.scan_field import IGNORED_SCAN
from ui.worker import Task, run_task

HEADERS = ["Bin", "Zone", "Walk order", "Units", "Reserved", "Open"]


class BinsDialog(RowsDialog[ledger.BinRow]):
    def __init__(self, actor: Actor, parent: QWidget | None = None, *, settings=None) -> None:
        super().__init__("PrepDesk — bins", parent, width=1000)
        self.actor = actor
        self.importing: Task | None = None
        self.resize(1100, 640)
        self.count = QLabel("")
        self.left.addWidget(self.count)

        chosen = QGroupBox("Selected bin")
        chosen_l = QVBoxLayout(chosen)
        self.chosen_text = QLabel("")
        self.chosen_text.setWordWrap(True)
        chosen_l.addWidget(self.chosen_text)
        self.toggle_button = QPushButton("&Close bin")
        self.toggle_button.setToolTip("An empty bin closed: nothing is put away, moved or restocked into it, "
                                      "allocated from it or counted in it (move what it holds first)")
        self.toggle_button.clicked.connect(self.toggle_selected)
        chosen_l.addWidget(self.toggle_button)
        self.right.addWidget(chosen)

        added = QGroupBox("New bin")
        form = QFormLayout(added)
        self.code = QLineEdit()
        self.code.setMaxLength(40)
        self.code.setPlaceholderText("e.g. C-05-02-1")
        code_label = QLabel("Co&de")
        code_label.setBuddy(self.code)
        form.addRow(code_label, self.code)
        self.zone = QLineEdit()
        self.zone.setMaxLength(20)
        zone_label = QLabel("&Zone")
        zone_label.setBuddy(self.zone)
        form.addRow(zone_label, self.zone)
        self.seq = QSpinBox()
        self.seq.setRange(0, 10_000_000)
        self.seq.setSpecialValueText("at the end of the walk")
        seq_label = QLabel("&Walk order")
        seq_label.setBuddy(self.seq)
        form.addRow(seq_label, self.seq)
        self.add_button = QPushButton("&Add bin")
        self.add_button.clicked.connect(self.add_bin)
        form.addRow(self.add_button)
        self.right.addWidget(added)
        self.import_button = QPushButton("&Import bins (CSV)…")
        self.import_button.setToolTip("code, zone, seq[, kind, name]: added or updated, all or nothing")
        self.import_button.clicked.connect(self.import_bins)
        self.right.addWidget(self.import_button)
        self.finish(settings=settings)

    # --- the list --------------------------------------------------------------------------
    def key(self, row: ledger.BinRow) -> str:
        return row.code

    def refresh(self, keep: str | None = None) -> None:
        keep = keep or self.selected_key()
        rows = run_op(self, ledger.bins_overview, banner=self.say) or []
        closed = sum(1 for b in rows if not b.active)
        self.count.setText(f"{len(rows)} bins" + (f", {closed} closed" if closed else ""))
        self.show_rows(rows, [(b.code, b.zone, b.pick_seq, b.on_hand, b.reserved, "yes" if b.active else "CLOSED")
                              for b in rows], {2, 3, 4}, HEADERS, keep)

    def selected_code(self) -> str | None:
        return self.selected_key()

    def show_selected(self) -> None:
        b = self.selected()
        self.toggle_button.setEnabled(b is not None)
        if b is None:
            self.chosen_text.setText("")
            return
        self.chosen_text.setText(f"{b.code} (zone {b.zone or '-'}): {counted(b.on_hand, 'unit')}, {b.reserved} reserved; "
                                 + ("open" if b.active else "CLOSED"))
        self.toggle_button.setText("&Close bin" if b.active else "&Open bin again")

    # --- what a supervisor does --------------------------------------------------------------
    def toggle_selected(self) -> None:
        b = self.selected()
        if b is None:
            return
        done = run_op(self, ledger.set_bin_open, b.code, not b.active, actor=self.actor, banner=self.say)
        if done is not None:
            self.say(f"{done.code} is open again." if done.active else f"{done.code} is closed.")
            self.refresh(keep=done.code)

    def add_bin(self) -> None:
        made = run_op(self, ledger.add_location, self.code.text(), zone=self.zone.text(),
                      seq=self.seq.value() or None, actor=self.actor, banner=self.say)
        if made is not None:
            self.code.clear()
            self.say(f"{made.code} added (zone {made.zone or '-'}, walk order {made.pick_seq}).")
            self.refresh(keep=made.code)

    def ask_bins_file(self) -> str:
        return ask_open_path(self, "Bins to import", CSV_FILES) or ""

    def import_bins(self) -> None:
        path = self.ask_bins_file()
        if not path:
            return
        self.import_button.setEnabled(False)
        self.say(f"Importing {Path(path).name}…")

        def done(counts: tuple[int, int]) -> None:
            self.import_button.setEnabled(True)
            self.say(f"Imported {Path(path).name}: {counted(counts[0], 'bin')} added, {counts[1]} updated.")
            self.refresh()

        def failed(exc: BaseException) -> None:
            self.import_button.setEnabled(True)
            self.say(failure_line(exc))

        self.importing = run_task(ledger.import_locations, path, actor=self.actor, on_done=done, on_error=failed)

    # --- scans -----------------------------------------------------------------------------
    def on_scan(self, code: str) -> None:
        """A bin's label: that bin selected (in the new bin's code field: that code)."""
        if self.focusWidget() is self.code:
            self.code.setText(code)
            self.note.setText("")
        elif self.select(code.strip().upper()):
            self.note.setText("")
        else:
            self.note.ignored(IGNORED_SCAN)
