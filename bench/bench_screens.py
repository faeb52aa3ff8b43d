"""Screen-level benchmark: one unit through each station's screen — receive, putaway, pick,
pack verify — each next to its service alone and the service next to a bare insert+commit,
on a copy of the bench dataset.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.bench_screens [--dataset FILE] [--repeat 40]
        [--only receive,putaway,pick,pack] [--no-fsync]

The real tabs (ReceivingTab, PickingPanel, PackingTab) are built offscreen and never shown: no
repaint is timed, only the work a scan does (scan router, service, the screen's update, the
change signal's queued delivery). Each scan arrives as the scanner's does (the scan field's
``scanned`` signal, a burst). The screen and the service alone work on two documents of the
same size (shipments, waves, orders) and are timed alternately, as are the service and the
bare insert+commit (fsync on both). ``--no-fsync`` sets ``synchronous=OFF`` on both
connections: the work of the screen and the service without the disk's flush, whose cost on
a shared machine drifts by 10x within a minute.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app import ledger, orders, packing, picking, receiving
from app.kernel.actor import Actor
from app.orders import allocation
from app.store import db
from bench.generate import ensure_dataset, product_gtin
from bench.harness import Table, bare_sqlite, paired_medians
from ui.context import UiContext
from ui.events import AppEvents
from ui.settings import Settings
from ui.stations.packing.tab import PackingTab
from ui.stations.picking.tab import PickingPanel
from ui.stations.receiving.tab import ReceivingTab
from ui.widgets.feedback import Feedback

ACTOR = Actor(None, "bench", "supervisor", "bench")
ASN_LINES = 100  # products per shipment (each put away once: putaway samples <= this)
PACK_LINES = 10
STEPS = ("receive", "putaway", "pick", "pack")


class Bench:
    """The dataset copy, the Qt application, a bare connection and the rows measured so far."""

    def __init__(self, copy: Path, tmp: str, table: Table, repeat: int, *, fsync: bool = True) -> None:
        self.app = QApplication.instance() or QApplication([])
        self.copy, self.tmp, self.table, self.repeat = copy, tmp, table, repeat
        self.url = f"sqlite:///{copy}"
        db.execute("CREATE TABLE IF NOT EXISTS bench_bare (id INTEGER PRIMARY KEY, x INTEGER)")
        self.conn = bare_sqlite(copy)
        self.fsync = fsync
        if not fsync:
            db.execute("PRAGMA synchronous = OFF")
            self.conn.execute("PRAGMA synchronous = OFF")
        self.client_id, self.client_code = db.execute("SELECT id, code FROM client ORDER BY id LIMIT 1").fetchone()

    def ctx(self, role: str) -> UiContext:
        settings = Settings.from_file(str(Path(self.tmp) / f"{role}.ini"))
        settings.sound_enabled = False
        return UiContext(actor=Actor(None, "bench", role, settings.station_kind), settings=settings,
                         events=AppEvents(), feedback=Feedback(settings), db_url=self.url)

    def bare(self) -> None:
        """The durable floor: one INSERT and its commit on a stdlib connection."""
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO bench_bare (x) VALUES (1)")
        self.conn.execute("COMMIT")

    def rows(self, what: str, screen: Callable[[], None], service: Callable[[], None],
             service2: Callable[[], None], *, repeat: int | None = None, service_target: str = "") -> None:
        """Screen vs service, then (on fresh units) service vs bare, both alternated."""
        n = repeat or self.repeat
        screen_s, service_s = paired_medians(screen, service, repeat=n, warmup=3)
        alone_s, bare_s = paired_medians(service2, self.bare, repeat=n, warmup=0)
        self.table.row(f"one unit through the {what} screen / the service alone", screen_s, service_s, "< 3x")
        # (a target against a commit only with the commit's flush: without it the bare insert is all CPU)
        self.table.row("  the service alone / bare insert+commit", alone_s, bare_s, service_target if self.fsync else "")
        print(f"{what}: screen {screen_s * 1e3:.2f} ms, service {service_s * 1e3:.2f} ms / "
              f"{alone_s * 1e3:.2f} ms, bare {bare_s * 1e3:.2f} ms", file=sys.stderr)

    def scan(self, field, code: str) -> None:
        field.last_scan_was_burst = True  # as a scanner's burst
        field.scanned.emit(code)

    # --- receive and putaway --------------------------------------------------------------
    def shipment(self, products: list[tuple[int, str]], ref: str) -> int:
        ship = receiving.create_shipment(self.client_code, ref, [(sku, 10_000) for _, sku in products],
                                         actor=ACTOR)
        return ship.id

    def receiving(self, steps: set[str]) -> None:
        rows = db.execute("SELECT id, sku FROM product WHERE client_id = ? ORDER BY id LIMIT ?",
                          (self.client_id, 2 * ASN_LINES)).fetchall()
        halves = rows[:ASN_LINES], rows[ASN_LINES:]
        ships = [self.shipment(half, f"BENCH-SCREEN-{i}") for i, half in enumerate(halves)]
        # Every product waits in RECEIVING before anything is timed (putaway takes them).
        for sid, half in zip(ships, halves, strict=True):
            for pid, _ in half:
                receiving.receive_scan(sid, product_gtin(pid), actor=ACTOR, qty=3)
        ctx = self.ctx("receiver")
        tab = ReceivingTab(ctx)
        tab.open_shipment(ships[0])
        codes = [itertools.cycle([product_gtin(pid) for pid, _ in half]) for half in halves]

        def through_screen() -> None:
            self.scan(tab.scan_field, next(codes[0]))
            self.app.processEvents()  # the change signal's queued delivery
            assert tab.banner.state == "ok", tab.banner.text()

        def service() -> None:
            receiving.receive_scan(ships[1], next(codes[1]), actor=ACTOR)

        if "receive" in steps:
            self.rows("receiving", through_screen, service, service)
        if "putaway" in steps:
            tab.putaway_mode.setChecked(True)
            bins = [r[0] for r in db.execute("SELECT code FROM location WHERE kind = 'bin' ORDER BY id LIMIT 2")]
            waiting = [iter([product_gtin(pid) for pid, _ in half]) for half in halves]

            def put_through_screen() -> None:  # the product, then its bin (all that waits goes)
                self.scan(tab.scan_field, next(waiting[0]))
                pending = tab.putaway_product
                assert pending is not None, tab.banner.text()
                self.scan(tab.scan_field, pending.bin_code or bins[0])
                self.app.processEvents()
                assert tab.putaway_product is None and tab.banner.state in ("ok", "warning"), tab.banner.text()

            def put_alone() -> None:
                s = receiving.putaway_suggestion(next(waiting[1]), client_id=self.client_id, require_waiting=True)
                receiving.putaway(s.sku, s.bin_code or bins[0], actor=ACTOR, qty=s.in_receiving,
                                  client_id=s.client_id, product_id=s.product_id, shipment_id=ships[1])

            # The screen and the service each put away half of the products once; the service
            # next to the bare insert takes its own half's rest.
            n = max(3, (ASN_LINES - 3) // 2)
            self.rows("putaway", put_through_screen, put_alone, put_alone, repeat=n)
        tab.deleteLater()
        ctx.events.detach()

    # --- pick --------------------------------------------------------------------------------
    def pick(self, per_wave: int = 200) -> None:
        ids = [int(r[0]) for r in db.execute('SELECT id FROM "order" WHERE status = ? ORDER BY id LIMIT ?',
                                             ("new", 2 * per_wave + 50)).fetchall()]
        allocation.allocate_orders(actor=ACTOR, order_ids=ids)
        screen_wave = picking.create_picklist(actor=ACTOR, max_orders=per_wave)
        service_wave = picking.create_picklist(actor=ACTOR, max_orders=per_wave)
        ctx = self.ctx("packer")
        panel = PickingPanel(ctx)
        panel.scan_field.scanned.emit(screen_wave.number)
        assert panel.picklist_id == screen_wave.id, panel.banner.text()
        on_screen = _units(picking.picklist_view(screen_wave.id))
        alone = _units(picking.picklist_view(service_wave.id))

        def through_screen() -> None:  # the bin when a stop starts, the item, the tote
            bin_code, sku, tote = next(on_screen)
            if panel.step == "bin":
                self.scan(panel.scan_field, bin_code)
            self.scan(panel.scan_field, sku)
            self.scan(panel.scan_field, f"T{tote}")
            self.app.processEvents()
            assert panel.banner.state == "ok", panel.banner.text()

        def service() -> None:
            bin_code, sku, tote = next(alone)
            picking.confirm_pick(service_wave.id, bin_code=bin_code, scan_code=sku, qty=1, tote=tote, actor=ACTOR)

        self.rows(f"picking ({per_wave}-order wave)", through_screen, service, service, service_target="< 2.5x")
        panel.deleteLater()
        ctx.events.detach()

    # --- pack verify -------------------------------------------------------------------------
    def packed_order(self, number: str, picked: int) -> tuple[int, list[str]]:
        """A PACK_LINES-line order whose picked units wait in PACKING (the state picking leaves)."""
        rows = db.execute("SELECT id, sku FROM product WHERE client_id = ? ORDER BY id DESC LIMIT ?",
                          (self.client_id, PACK_LINES)).fetchall()
        ref = orders.create_order(self.client_code, number, [(sku, picked) for _, sku in rows], actor=ACTOR,
                                  customer_name="Bench Customer", address1="1 Bench Road", city="Springfield",
                                  province="IL", zip="62701", country="US")
        with db.write():
            supplier, packing_loc = ledger.location("SUPPLIER").id, ledger.location("PACKING").id
            for pid, _ in rows:
                ledger.apply_move(pid, supplier, packing_loc, picked, kind="receive", actor=ACTOR,
                                  reason="bench: picked units")
            db.execute("UPDATE order_line SET qty_picked = qty_ordered WHERE order_id = ?", (ref.id,))
            db.execute('UPDATE "order" SET status = ? WHERE id = ?', ("allocated", ref.id))  # as if allocated
            orders.recompute_status(ref.id, actor=ACTOR)
        return ref.id, [product_gtin(pid) for pid, _ in rows]

    def pack(self) -> None:
        picked = 4 * (self.repeat + 10)
        screen_id, screen_codes = self.packed_order("BENCH-SCREEN-PACK-1", picked)
        alone_id, alone_codes = self.packed_order("BENCH-SCREEN-PACK-2", picked)
        ctx = self.ctx("packer")
        tab = PackingTab(ctx)
        number = db.execute('SELECT number FROM "order" WHERE id = ?', (screen_id,)).fetchone()[0]
        self.scan(tab.scan_field, number)
        assert tab.order_id == screen_id, tab.banner.text()
        on_screen, alone = itertools.cycle(screen_codes), itertools.cycle(alone_codes)

        def through_screen() -> None:
            self.scan(tab.scan_field, next(on_screen))
            self.app.processEvents()
            assert tab.banner.state == "ok", tab.banner.text()

        def service() -> None:
            out = packing.verify_scan(alone_id, next(alone), actor=ACTOR)
            assert out.accepted, out.message

        self.rows(f"pack verify ({PACK_LINES}-line order)", through_screen, service, service)
        tab.deleteLater()
        ctx.events.detach()


def _units(view: picking.PickListView) -> Iterator[tuple[str, str, int]]:
    return iter([(st.bin_code, st.sku, t.tote) for st in view.stops for t in st.totes for _ in range(t.remaining)])


def run(dataset: str | None = None, *, repeat: int = 40, steps: tuple[str, ...] = STEPS,
        fsync: bool = True) -> Table:
    source = Path(dataset) if dataset else Path(ensure_dataset().removeprefix("sqlite:///"))
    table = Table(f"Screens (dataset {source.name}; SQLite{'' if fsync else ', synchronous=OFF'}, "
                  f"paired medians of {repeat})", bare_label="reference")
    with tempfile.TemporaryDirectory(prefix="prepdesk-bench-screens-") as tmp:
        copy = Path(tmp) / "screens.db"
        shutil.copyfile(source, copy)
        db.open_database(f"sqlite:///{copy}")
        bench = Bench(copy, tmp, table, repeat, fsync=fsync)
        try:
            if {"receive", "putaway"} & set(steps):
                bench.receiving(set(steps))
            if "pick" in steps:
                bench.pick()
            if "pack" in steps:
                bench.pack()
        finally:
            bench.conn.close()
            db.close()
    return table


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    ap = argparse.ArgumentParser(description="screen-level benchmark (receive, putaway, pick, pack verify)")
    ap.add_argument("--dataset", default=None)
    ap.add_argument("--repeat", type=int, default=40)
    ap.add_argument("--only", default=",".join(STEPS), help="comma-separated: " + ", ".join(STEPS))
    ap.add_argument("--no-fsync", action="store_true", help="synchronous=OFF on both connections")
    args = ap.parse_args(argv)
    steps = tuple(s.strip() for s in args.only.split(",") if s.strip())
    unknown = set(steps) - set(STEPS)
    if unknown:
        ap.error(f"unknown step(s): {', '.join(sorted(unknown))}")
    table = run(args.dataset, repeat=args.repeat, steps=steps, fsync=not args.no_fsync)
    table.print()
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
