"""Packing benchmarks: the verify-scan round trip at 100,000 products against a bare sqlite
insert + commit, and the packing slip of a 10-line order against bare ReportLab.

    .venv/bin/python -m bench.bench_packing [--products 100000] [--repeat 50]

Works on a copy of the cached dataset (bench/data/). One 10-line order of the first client
is given picked units waiting in PACKING (moves SUPPLIER -> PACKING and qty_picked set,
the state picking leaves); every timed scan is ``packing.verify_scan`` — product lookup,
the line's verified count, the package line upsert, the PackScan row — committed durably.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from app import ledger, orders, packing
from app.documents import carton_label
from app.documents.packing_slip import render_packing_slip
from app.kernel.actor import Actor
from app.packing import papers
from app.store import db
from bench.generate import ensure_dataset, product_gtin
from bench.harness import Table, bare_sqlite, median, paired_medians

ACTOR = Actor(None, "bench", "supervisor", "bench")
LINES = 10
PICKED = 2_000  # per line: enough units for every timed scan


def prepare_order(client_id: int) -> tuple[int, list[str]]:
    """A 10-line order whose picked units wait in PACKING; returns its id and unit codes."""
    rows = db.execute("SELECT id, sku FROM product WHERE client_id = ? ORDER BY id LIMIT ?",
                      (client_id, LINES)).fetchall()
    client = db.execute("SELECT code FROM client WHERE id = ?", (client_id,)).fetchone()[0]
    ref = orders.create_order(client, "BENCH-PACK-1", [(sku, PICKED) for _, sku in rows], actor=ACTOR,
                              customer_name="Bench Customer", address1="1 Bench Road", city="Springfield",
                              province="IL", zip="62701", country="US", notes="Bench order")
    with db.write():
        supplier, packing_loc = ledger.location("SUPPLIER").id, ledger.location("PACKING").id
        for pid, _ in rows:
            ledger.apply_move(pid, supplier, packing_loc, PICKED, kind="receive", actor=ACTOR,
                                 reason="bench: picked units")
        db.execute("UPDATE order_line SET qty_picked = qty_ordered WHERE order_id = ?", (ref.id,))
        orders.recompute_status(ref.id, actor=ACTOR)
    return ref.id, [product_gtin(pid) for pid, _ in rows]


def bare_pdf(data) -> bytes:
    """The same slip content drawn by ReportLab as plain strings: no layout, logo or barcode."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=letter, pageCompression=0)
    c.setFont("Helvetica", 10)
    y = 760
    for text in (data.client_name, f"Order {data.order_number}", data.order_date, *data.ship_to):
        c.drawString(40, y, text)
        y -= 14
    for line in data.lines:
        c.drawString(40, y, line.sku)
        c.drawString(140, y, line.description[:50])
        c.drawString(420, y, str(line.ordered))
        c.drawString(470, y, str(line.shipped))
        c.drawString(520, y, str(line.backordered))
        y -= 14
    c.drawString(40, y - 20, data.notes)
    c.showPage()
    c.save()
    return buf.getvalue()


def run(products: int = 100_000, *, repeat: int = 50) -> Table:
    table = Table(f"Packing ({products:,} products; SQLite, median of {repeat})")
    with tempfile.TemporaryDirectory(prefix="prepdesk-bench-pack-") as tmp:
        path = Path(tmp) / "pack.db"
        url = ensure_dataset(products, copy_to=path)
        db.connect(url, create=True)
        try:
            client_id = db.execute("SELECT MIN(id) FROM client").fetchone()[0]
            order_id, codes = prepare_order(client_id)
            i = [0]

            def scan() -> None:
                code = codes[i[0] % len(codes)]
                i[0] += 1
                out = packing.verify_scan(order_id, code, actor=ACTOR)
                assert out.accepted, out.message

            conn = bare_sqlite(path)
            n = [0]

            def bare_scan() -> None:
                n[0] += 1
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "INSERT INTO pack_scan (order_id, client_id, package_id, product_id, code, result, "
                    "user_name, station, created_at) VALUES (?, ?, NULL, NULL, ?, 'ok', 'bench', 'bench', "
                    "'2026-11-01 12:00:00')", (order_id, client_id, f"BARE{n[0]}"))
                conn.execute("COMMIT")

            # Both are dominated by the durable commit (fsync), whose cost drifts with the
            # machine's load: interleave the samples so both see the same conditions.
            scan_s, bare_s = paired_medians(scan, bare_scan, repeat=repeat, warmup=5)
            # The same without the fsync (synchronous=OFF on both connections): what the
            # application's own work costs next to one bare insert. Informative, no target.
            db.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            cpu_s, cpu_bare_s = paired_medians(scan, bare_scan, repeat=repeat * 4, warmup=5)
            db.execute("PRAGMA synchronous = FULL")
            conn.close()
            table.row("verify scan round trip (verify_scan + commit)", scan_s, bare_s, "< 3x")
            table.row("  same, synchronous=OFF on both (no fsync)", cpu_s, cpu_bare_s)

            # The slip: 10 lines, with every unit verified so the quantities are real.
            data = papers.slip_data(order_id)
            slip_s = median(lambda: render_packing_slip(data), repeat=repeat, warmup=3)
            bare_pdf_s = median(lambda: bare_pdf(data), repeat=repeat, warmup=3)
            # here the "bare" column is bare ReportLab drawing the same strings
            table.row("packing slip PDF, 10 lines (render_packing_slip)", slip_s, bare_pdf_s, "< 50 ms")
            table.row("packing slip incl. its queries (papers.render_slip)",
                      median(lambda: papers.render_slip(order_id), repeat=repeat, warmup=3), None, "< 50 ms")
            packing.close_package(order_id, final=False, weight_kg=4.2, actor=ACTOR)
            seq = packing.packing_view(order_id).packages[-1].seq
            label = papers.label_data(order_id, seq)
            table.row("carton label PDF (4x6, GS1-128)",
                      median(lambda: carton_label.render_carton_label_pdf(label), repeat=repeat))
            table.row("carton label ZPL",
                      median(lambda: carton_label.render_carton_label_zpl(label), repeat=repeat))
        finally:
            db.close()
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args(argv)
    table = run(args.products, repeat=args.repeat)
    table.print()
    if table.failed:
        print(f"targets missed: {', '.join(table.failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
