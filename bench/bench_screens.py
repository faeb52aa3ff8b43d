"""Screen-level benchmark: one unit through the picking screen (the real PickingPanel, offscreen,
driven by the scanner's signal: bin, item, tote), next to confirm_pick alone and to a bare
insert+commit, on a 200-order wave of the bench dataset. No repaint is timed: the panel is
never shown, so only the work a scan does (service, screen update, change signal) counts.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.bench_screens [--dataset FILE] [--repeat 40]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app import picking
from app.kernel.actor import Actor
from app.orders import allocation
from app.store import db
from bench.generate import ensure_dataset
from bench.harness import Table, bare_sqlite, paired_medians
from ui.context import UiContext
from ui.events import AppEvents
from ui.settings import Settings
from ui.stations.picking.tab import PickingPanel
from ui.widgets.feedback import Feedback

ACTOR = Actor(None, "bench", "supervisor", "bench")


def _units(view: picking.PickListView) -> Iterator[tuple[str, str, int]]:
    return iter([(st.bin_code, st.sku, t.tote) for st in view.stops for t in st.totes for _ in range(t.remaining)])


def run(dataset: str | None = None, *, repeat: int = 40, per_wave: int = 200) -> Table:
    source = Path(dataset) if dataset else Path(ensure_dataset().removeprefix("sqlite:///"))
    table = Table(f"Screens (dataset {source.name}; {per_wave}-order waves; SQLite, paired medians of {repeat})")
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="prepdesk-bench-screens-") as tmp:
        copy = Path(tmp) / "screens.db"
        shutil.copyfile(source, copy)
        url = f"sqlite:///{copy}"
        db.open_database(url)
        ids = [int(r[0]) for r in db.execute('SELECT id FROM "order" WHERE status = ? ORDER BY id LIMIT ?',
                                             ("new", 2 * per_wave + 50)).fetchall()]
        allocation.allocate_orders(actor=ACTOR, order_ids=ids)
        db.execute("CREATE TABLE IF NOT EXISTS bench_bare (id INTEGER PRIMARY KEY, x INTEGER)")
        screen_wave = picking.create_picklist(actor=ACTOR, max_orders=per_wave)
        service_wave = picking.create_picklist(actor=ACTOR, max_orders=per_wave)
        settings = Settings.from_file(str(Path(tmp) / "station.ini"))
        settings.sound_enabled = False
        ctx = UiContext(actor=Actor(None, "bench", "packer", settings.station_kind), settings=settings,
                        events=AppEvents(), feedback=Feedback(settings), db_url=url)
        panel = PickingPanel(ctx)
        panel.scan_field.scanned.emit(screen_wave.number)
        assert panel.picklist_id == screen_wave.id, panel.banner.text()
        on_screen = _units(picking.picklist_view(screen_wave.id))
        alone = _units(picking.picklist_view(service_wave.id))
        conn = bare_sqlite(copy)

        def scan(code: str) -> None:
            panel.scan_field.scanned.emit(code)

        def through_screen() -> None:  # one unit: the bin when the stop starts, the item, the tote
            bin_code, sku, tote = next(on_screen)
            if panel.step == "bin":
                scan(bin_code)
            scan(sku)
            scan(f"T{tote}")
            app.processEvents()  # the change signal's queued delivery, as the event loop would
            assert panel.banner.state == "ok", panel.banner.text()

        def service_alone() -> None:
            bin_code, sku, tote = next(alone)
            picking.confirm_pick(service_wave.id, bin_code=bin_code, scan_code=sku, qty=1, tote=tote, actor=ACTOR)

        def bare() -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO bench_bare (x) VALUES (1)")
            conn.execute("COMMIT")

        screen_s, service_s = paired_medians(through_screen, service_alone, repeat=repeat, warmup=5)
        service2_s, bare_s = paired_medians(service_alone, bare, repeat=repeat, warmup=0)
        table.row("one unit through the picking screen (bin/item/tote scans) / confirm_pick alone",
                  screen_s, service_s, "< 3x")
        table.row("confirm_pick alone / bare insert+commit", service2_s, bare_s, "< 2.5x")
        panel.deleteLater()
        ctx.events.detach()
        conn.close()
        db.close()
    return table


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    ap = argparse.ArgumentParser(description="screen-level benchmark (picking)")
    ap.add_argument("--dataset", default=None)
    ap.add_argument("--repeat", type=int, default=40)
    args = ap.parse_args(argv)
    table = run(args.dataset, repeat=args.repeat)
    table.print()
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
