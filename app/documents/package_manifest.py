"""A package's contents list (manifest): what is in this one box of a multi-package order.

A Qt-free function from ``ManifestData`` to PDF bytes (letter), with the package's SSCC as
GS1-128 so the box and its paper can be matched by scan.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import letter
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.barcode_draw import draw_modules, fit_module_width, gs1_128_modules
from app.documents.text import draw
from app.documents.text import fit_text as _fit
from app.kernel import states, units

PAGE_W, PAGE_H = letter
MARGIN = 15 * mm
FONT = "Helvetica"
BOLD = "Helvetica-Bold"
SIZE = 10
ROW_H = 15
HEADER_H = 70 * mm


@dataclass(frozen=True)
class ManifestData:
    client_name: str
    order_number: str
    order_date: str
    ship_to: tuple[str, ...]
    package_number: int
    package_count: int
    sscc: str
    box: str
    weight_kg: float | None
    status: str
    tracking: str
    lines: tuple[tuple[str, str, int], ...]  # (sku, description, qty)


def render_package_manifest(data: ManifestData) -> bytes:
    """The manifest as PDF bytes; long packages continue on further pages."""
    width = PAGE_W - 2 * MARGIN
    per_page = int((PAGE_H - 2 * MARGIN - HEADER_H - 40) // ROW_H)
    chunks = [data.lines[i:i + per_page] for i in range(0, len(data.lines), per_page)] or [()]
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=letter, pageCompression=0)
    c.setTitle(f"Package {data.package_number} of {data.package_count}, order {data.order_number}")
    c.setCreator("PrepDesk")
    for page, chunk in enumerate(chunks, start=1):
        top = PAGE_H - MARGIN
        draw(c, "left", MARGIN, top - 14, _fit(data.client_name, BOLD, 15, width * 0.55), BOLD, 15)
        c.setFont(BOLD, 16)
        c.drawRightString(PAGE_W - MARGIN, top - 14, "PACKAGE CONTENTS")
        draw(c, "right", PAGE_W - MARGIN, top - 32,
             f"Order {data.order_number} - package {data.package_number} of {data.package_count}", BOLD, 12)
        c.setFont(FONT, 9.5)
        facts = [f"Order date: {data.order_date or '-'}", f"Box: {data.box or '-'}",
                 "Weight: " + (units.weight_text(data.weight_kg) if data.weight_kg is not None else "-"),
                 f"Status: {states.label(data.status, states.PackageStatus)}"]
        if data.tracking:
            facts.append(f"Tracking: {data.tracking}")
        y = top - 48
        for fact in facts:
            c.drawRightString(PAGE_W - MARGIN, y, fact)
            y -= 12
        c.setFont(BOLD, 9)
        c.drawString(MARGIN, top - 36, "SHIP TO")
        y = top - 49
        for i, text in enumerate(data.ship_to[:6]):
            font = BOLD if i == 0 else FONT
            draw(c, "left", MARGIN, y, _fit(text, font, 10, width * 0.5), font, 10)
            y -= 12
        modules = gs1_128_modules("00" + data.sscc)
        mw = fit_module_width(modules, 80 * mm, preferred=0.33 * mm)
        bar_y = top - HEADER_H + 16
        draw_modules(c, modules, MARGIN - 10 * mw, bar_y, module_width=mw, height=13 * mm)
        c.setFont(FONT, 9)
        c.drawString(MARGIN, bar_y - 11, f"(00) {data.sscc}")

        y = top - HEADER_H - 6
        c.setFillGray(0.9)
        c.rect(MARGIN, y - ROW_H + 3, width, ROW_H, stroke=0, fill=1)
        c.setFillGray(0)
        c.setFont(BOLD, SIZE)
        c.drawString(MARGIN + 4, y - 8, "SKU")
        c.drawString(MARGIN + width * 0.25, y - 8, "Description")
        c.drawRightString(MARGIN + width - 4, y - 8, "Qty")
        y -= ROW_H
        for sku, desc, qty in chunk:
            draw(c, "left", MARGIN + 4, y - 8, _fit(sku, BOLD, SIZE, width * 0.24 - 6), BOLD, SIZE)
            draw(c, "left", MARGIN + width * 0.25, y - 8, _fit(desc, FONT, SIZE, width * 0.62), FONT, SIZE)
            c.setFont(FONT, SIZE)
            c.drawRightString(MARGIN + width - 4, y - 8, str(qty))
            y -= ROW_H
        if page == len(chunks):
            c.setFont(BOLD, SIZE)
            c.drawString(MARGIN + width * 0.25, y - 10, "Total units")
            c.drawRightString(MARGIN + width - 4, y - 10, str(sum(q for _, _, q in data.lines)))
        c.setFont(FONT, 8)
        c.drawRightString(PAGE_W - MARGIN, MARGIN, f"Page {page} of {len(chunks)}")
        c.showPage()
    c.save()
    return buf.getvalue()
