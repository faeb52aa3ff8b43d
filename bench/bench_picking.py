"""Picking benchmarks: a 200-order wave out of ~100,000 allocated open orders, and its PDF —
each next to the bare equivalent (stdlib sqlite3 running the same statements; ReportLab
drawing the same rows without layout) measured in the same run.

    .venv/bin/python -m bench.bench_picking [--orders-per-wave 200] [--repeat 15]

The generator's orders are all 'new'; the first run allocates them once (set-based
``allocation.allocate_orders``) and caches that state next to the dataset under bench/data/.
Each timed wave commits (a real wave: durable, with its StatusChange rows); 15 waves take
3,000 of the ~100,000 eligible orders, so the pool hardly changes between samples.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from app import picking
from app.kernel.actor import Actor
from app.orders import allocation
from app.store import db
from bench.generate import DATA_DIR, dataset_path, ensure_dataset
from bench.harness import Table, bare_sqlite, median

ACTOR = Actor(None, "bench", "supervisor", "bench")


def allocated_dataset(products: int = 100_000) -> Path:
    """The cached dataset with every open order allocated (built once)."""
    base = dataset_path(products=products)
    path = DATA_DIR / (base.stem + "-allocated.db")
    if path.exists():
        return path
    ensure_dataset(products)
    part = path.with_suffix(".db.part")
    shutil.copyfile(base, part)
    db.connect(f"sqlite:///{part}", create=True)
    started = time.perf_counter()
    result = allocation.allocate_orders(actor=ACTOR)
    print(f"allocated the dataset once in {time.perf_counter() - started:.1f} s: {result.orders} orders, "
          f"{result.allocated} allocated, {result.partial} partial, {result.backordered} back-ordered",
          file=sys.stderr)
    db.execute("ANALYZE")
    db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    os.replace(part, path)
    return path


_BARE_SELECT = (
    'SELECT o.id FROM "order" o WHERE (o.status IN (?) OR (o.status = \'picking\' AND EXISTS '
    "(SELECT 1 FROM order_line ol JOIN allocation a ON a.order_line_id = ol.id "
    "WHERE ol.order_id = o.id AND a.qty > 0))) AND NOT EXISTS (SELECT 1 FROM pick_list_order plo "
    "JOIN pick_list pl ON pl.id = plo.picklist_id WHERE plo.order_id = o.id AND pl.status IN ('open', 'picking')) "
    "ORDER BY o.priority DESC, CASE WHEN o.ship_by IS NULL THEN 1 ELSE 0 END, o.ship_by, o.received_at, o.id "
    "LIMIT ?"
)


def bare_wave(conn, n: int, counter: list[int]) -> int:
    """The same wave by hand: select, number, insert list/orders/lines, status, history."""
    conn.execute("BEGIN IMMEDIATE")
    ids = [r[0] for r in conn.execute(_BARE_SELECT, ("allocated", n)).fetchall()]
    counter[0] += 1
    number = f"BARE{counter[0]:06d}"
    conn.execute('INSERT INTO "sequence" (name, value) VALUES (\'bare\', 1) ON CONFLICT (name) '
                 'DO UPDATE SET value = "sequence".value + 1')
    pl_id = conn.execute("INSERT INTO pick_list (number, status, picker, created_by, created_at) "
                         "VALUES (?, 'open', '', 'bench', '2026-11-01 12:00:00') RETURNING id",
                         (number,)).fetchone()[0]
    conn.executemany("INSERT INTO pick_list_order (picklist_id, order_id, tote) VALUES (?, ?, ?)",
                     [(pl_id, oid, t) for t, oid in enumerate(ids, 1)])
    conn.execute(
        "INSERT INTO pick_line (picklist_id, order_line_id, product_id, location_id, tote, qty, qty_picked, "
        "qty_short, short_reason, status, walk_seq) SELECT plo.picklist_id, a.order_line_id, a.product_id, "
        "a.location_id, plo.tote, a.qty, 0, 0, '', 'open', 0 FROM pick_list_order plo JOIN order_line ol ON ol.order_id = plo.order_id "
        "JOIN allocation a ON a.order_line_id = ol.id WHERE plo.picklist_id = ? AND a.qty > 0", (pl_id,))
    conn.executemany('UPDATE "order" SET status = \'picking\' WHERE id = ?', [(i,) for i in ids])
    conn.executemany("INSERT INTO status_change (doc_type, doc_id, from_status, to_status, user_name, station, "
                     "note, created_at) VALUES ('order', ?, 'allocated', 'picking', 'bench', 'bench', '', "
                     "'2026-11-01 12:00:00')", [(i,) for i in ids])
    conn.execute("COMMIT")
    return pl_id


def bare_pdf(view) -> bytes:
    """ReportLab drawing the same rows as plain strings: no layout, no barcode, no wrapping."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=letter, pageCompression=1)
    y = 740
    for s in view.stops:
        if y < 60:
            c.showPage()
            y = 740
        c.setFont("Helvetica", 9)
        c.drawString(40, y, s.bin_code)
        c.drawString(120, y, s.sku)
        c.drawString(220, y, s.name[:40])
        c.drawString(420, y, str(s.qty))
        c.drawString(450, y, s.split_text()[:40])
        y -= 14
    c.showPage()
    c.save()
    return buf.getvalue()


def bare_confirm_units(conn, picklist_id: int) -> list[tuple[int, int, int, int]]:
    """(pick_line, order_line, product, bin) once per unit of a bare wave, in walk order."""
    rows = conn.execute(
        "SELECT pl.id, pl.order_line_id, pl.product_id, pl.location_id, pl.qty FROM pick_line pl "
        "JOIN location l ON l.id = pl.location_id JOIN product p ON p.id = pl.product_id "
        "WHERE pl.picklist_id = ? ORDER BY l.pick_seq, l.code, p.sku, pl.tote", (picklist_id,)).fetchall()
    return [(a, b, c, d) for a, b, c, d, q in rows for _ in range(q)]


def bare_confirm(conn, unit: tuple[int, int, int, int], packing: int) -> None:
    """One confirmed unit by hand: balances, ledger row, allocation, order line, pick line."""
    line_id, order_line_id, product_id, bin_id = unit
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE stock_level SET on_hand = on_hand - 1, reserved = reserved - 1 "
                 "WHERE product_id = ? AND location_id = ?", (product_id, bin_id))
    conn.execute("INSERT INTO stock_level (product_id, location_id, on_hand, reserved) VALUES (?, ?, 1, 0) "
                 "ON CONFLICT (product_id, location_id, lot) DO UPDATE SET on_hand = stock_level.on_hand + 1",
                 (product_id, packing))
    conn.execute("INSERT INTO stock_move (product_id, from_location_id, to_location_id, qty, kind, reason, "
                 "doc_type, doc_ref, user_name, station, created_at) VALUES (?, ?, ?, 1, 'pick', '', "
                 "'picklist', 'BARE', 'bench', 'bench', '2026-11-01 12:00:00')", (product_id, bin_id, packing))
    conn.execute("UPDATE allocation SET qty = qty - 1 WHERE order_line_id = ? AND location_id = ?",
                 (order_line_id, bin_id))
    conn.execute("UPDATE order_line SET qty_allocated = qty_allocated - 1, qty_picked = qty_picked + 1 "
                 "WHERE id = ?", (order_line_id,))
    conn.execute("UPDATE pick_line SET qty_picked = qty_picked + 1 WHERE id = ?", (line_id,))
    conn.execute("COMMIT")


def run(products: int = 100_000, *, per_wave: int = 200, repeat: int = 15) -> Table:
    source = allocated_dataset(products)
    table = Table(f"Picking ({products:,} products; waves of {per_wave} orders; SQLite, median of {repeat})")
    with tempfile.TemporaryDirectory(prefix="prepdesk-bench-pick-") as tmp:
        copy = Path(tmp) / "pick.db"
        shutil.copyfile(source, copy)
        url = f"sqlite:///{copy}"
        db.connect(url, create=True)
        eligible = db.execute('SELECT COUNT(*) FROM "order" WHERE status = ?', ("allocated",)).fetchone()[0]
        print(f"{eligible:,} allocated open orders to wave from", file=sys.stderr)
        made: list[picking.PickListRef] = []

        def app_wave() -> None:
            made.append(picking.create_picklist(actor=ACTOR, max_orders=per_wave))

        app_s = median(app_wave, repeat=repeat, warmup=2)
        ref = made[-1]
        assert ref.orders == per_wave, ref
        # The PDF of one such wave (view query + layout + drawing) and ReportLab alone.
        view = picking.picklist_view(ref.id)
        pdf_s = median(lambda: picking.render_pdf(ref.id), repeat=repeat, warmup=2)
        view_s = median(lambda: picking.picklist_view(ref.id), repeat=repeat, warmup=2)
        bare_pdf_s = median(lambda: bare_pdf(view), repeat=repeat, warmup=2)
        pages = picking.render_pdf(ref.id).count(b"/Type /Page\n") or None

        walk = iter([(st.bin_code, st.sku, t.tote) for st in view.stops for t in st.totes
                     for _ in range(t.remaining)])

        def app_confirm() -> None:  # the next unit of the walk into its tote, as scanned
            bin_code, sku, tote = next(walk)
            picking.confirm_pick(ref.id, bin_code=bin_code, scan_code=sku, qty=1, tote=tote, actor=ACTOR)

        def app_scan_only() -> None:
            picking.next_stop(ref.id)

        confirm_s = median(app_confirm, repeat=repeat * 4, warmup=3)
        next_s = median(app_scan_only, repeat=repeat * 4, warmup=3)
        waiting_s = median(lambda: picking.waiting_orders(), repeat=repeat, warmup=2)
        db.close()
        conn = bare_sqlite(copy)
        counter = [0]
        bare_s = median(lambda: bare_wave(conn, per_wave, counter), repeat=repeat, warmup=2)
        last_bare = conn.execute("SELECT MAX(id) FROM pick_list").fetchone()[0]
        units = iter(bare_confirm_units(conn, last_bare))
        packing = conn.execute("SELECT id FROM location WHERE code = 'PACKING'").fetchone()[0]
        bare_confirm_s = median(lambda: bare_confirm(conn, next(units), packing), repeat=repeat * 4, warmup=3)
        conn.close()
        table.row(f"create a {per_wave}-order wave (create_picklist, committed)", app_s, bare_s, "< 500 ms")
        table.row(f"pick list PDF of that wave ({len(view.stops)} stops, render_pdf)", pdf_s, bare_pdf_s,
                  "< 1 s")
        table.row("  of which the view query (picklist_view)", view_s, None, "")
        table.row("confirm one scanned unit on that wave (confirm_pick, committed)", confirm_s,
                  bare_confirm_s, "< 50 ms")
        table.row("  next stop for the screen (next_stop)", next_s, None, "")
        table.row("orders waiting for the wave dialog's filters (waiting_orders)", waiting_s, None, "< 250 ms")
        print(f"wave {ref.number}: {ref.orders} orders, {ref.lines} lines, {ref.units} units, "
              f"{len(view.stops)} stops, PDF pages {pages}; eligible before {eligible:,}", file=sys.stderr)
        with contextlib.suppress(Exception):
            db.close()
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="picking benchmarks")
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--orders-per-wave", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args(argv)
    table = run(args.products, per_wave=args.orders_per_wave, repeat=args.repeat)
    table.print()
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
