"""The return authorisation a customer puts in the box: the RMA number as Code128, what may
come back and why, where to send it. Also the returns desk's sheet of disposition barcodes.

Plain data (``RmaDocument``) in, PDF bytes (letter) out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import letter
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.barcode_draw import draw_code128
from app.documents.text import draw
from app.documents.text import fit_text as _fit

PAGE_W, PAGE_H = letter
MARGIN = 18 * mm
FONT = "Helvetica"
BOLD = "Helvetica-Bold"
ROW_H = 15
PER_PAGE = 28


@dataclass(frozen=True)
class RmaDocument:
    """What the return authorisation prints."""

    number: str
    client_name: str
    order_number: str
    created: str
    customer: tuple[str, ...]  # name and address lines
    lines: tuple[tuple[str, str, int, str, str], ...]  # sku, description, qty, reason, refund/exchange
    replacements: tuple[tuple[str, str, int], ...]  # sku, description, qty
    instructions: str
    return_to: tuple[str, ...]


def render_rma(doc: RmaDocument) -> bytes:
    """The return authorisation as PDF bytes; a long RMA continues on further pages."""
    chunks = [doc.lines[i:i + PER_PAGE] for i in range(0, len(doc.lines), PER_PAGE)] or [()]
    width = PAGE_W - 2 * MARGIN
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=letter, pageCompression=0)
    c.setTitle(f"Return authorisation {doc.number}")
    c.setCreator("PrepDesk")
    for page, chunk in enumerate(chunks, start=1):
        top = PAGE_H - MARGIN
        draw(c, "left", MARGIN, top - 14, _fit(doc.client_name, BOLD, 15, width * 0.55), BOLD, 15)
        c.setFont(BOLD, 15)
        c.drawRightString(PAGE_W - MARGIN, top - 14, "RETURN AUTHORISATION")
        draw(c, "right", PAGE_W - MARGIN, top - 32, f"{doc.number} - order {doc.order_number}", BOLD, 12)
        c.setFont(FONT, 9.5)
        c.drawRightString(PAGE_W - MARGIN, top - 46, f"Issued {doc.created}")
        y = top - 40
        c.setFont(BOLD, 9)
        c.drawString(MARGIN, y, "CUSTOMER")
        y -= 13
        for i, text in enumerate(doc.customer[:6]):
            font = BOLD if i == 0 else FONT
            draw(c, "left", MARGIN, y, _fit(text, font, 10, width * 0.5), font, 10)
            y -= 12
        bar_y = top - 150
        draw_code128(c, doc.number, MARGIN, bar_y, max_width=80 * mm, height=18 * mm, preferred_module=0.4 * mm)
        c.setFont(BOLD, 11)
        c.drawString(MARGIN + 10 * mm, bar_y - 13, doc.number)
        c.setFont(FONT, 9)
        c.drawString(MARGIN + 95 * mm, bar_y + 40, "Put this page in the box with the goods.")
        c.drawString(MARGIN + 95 * mm, bar_y + 28, "Parcels without it may take longer to handle.")
        y = bar_y - 36
        y = _table(c, y, width, "What comes back", ("SKU", "Description", "Reason", "Wants", "Qty"),
                   [(s, d, r.replace("_", " "), w, str(q)) for s, d, q, r, w in chunk])
        if page == len(chunks):
            if doc.replacements:
                y = _table(c, y - 10, width, "Sent in exchange", ("SKU", "Description", "", "", "Qty"),
                           [(s, d, "", "", str(q)) for s, d, q in doc.replacements])
            y -= 10
            if doc.return_to:
                c.setFont(BOLD, 9)
                c.drawString(MARGIN, y, "RETURN TO")
                y -= 13
                for text in doc.return_to[:6]:
                    draw(c, "left", MARGIN, y, _fit(text, FONT, 10, width), FONT, 10)
                    y -= 12
            for text in doc.instructions.splitlines()[:8]:
                draw(c, "left", MARGIN, y, _fit(text, FONT, 9, width), FONT, 9)
                y -= 11
        c.setFont(FONT, 8)
        c.drawRightString(PAGE_W - MARGIN, MARGIN - 6, f"{doc.number} - page {page} of {len(chunks)}")
        c.showPage()
    c.save()
    return buf.getvalue()


def _table(c: Canvas, y: float, width: float, title: str, heads: tuple[str, ...],
           rows: list[tuple[str, ...]]) -> float:
    xs = (0.0, 0.2, 0.62, 0.82, 1.0)
    c.setFont(BOLD, 10)
    c.drawString(MARGIN, y, title)
    y -= 6
    c.setFillGray(0.9)
    c.rect(MARGIN, y - ROW_H + 3, width, ROW_H, stroke=0, fill=1)
    c.setFillGray(0)
    c.setFont(BOLD, 9)
    for i, head in enumerate(heads):
        if i == len(heads) - 1:
            c.drawRightString(MARGIN + width - 4, y - 8, head)
        else:
            c.drawString(MARGIN + 4 + width * xs[i], y - 8, head)
    y -= ROW_H
    for row in rows:
        for i, text in enumerate(row):
            if i == len(row) - 1:
                c.setFont(FONT, 9)
                c.drawRightString(MARGIN + width - 4, y - 8, text)
            else:
                room = width * (xs[i + 1] - xs[i]) - 8
                draw(c, "left", MARGIN + 4 + width * xs[i], y - 8, _fit(text, FONT, 9, room), FONT, 9)
        y -= ROW_H
    return y


def render_disposition_sheet(codes: tuple[tuple[str, str], ...]) -> bytes:
    """The returns desk's sheet: one large Code128 per (code, words), to scan a disposition."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=letter, pageCompression=0)
    c.setTitle("Returns desk dispositions")
    c.setCreator("PrepDesk")
    c.setFont(BOLD, 16)
    c.drawString(MARGIN, PAGE_H - MARGIN - 14, "Returns desk: scan where the unit goes")
    y = PAGE_H - MARGIN - 60
    for code, words in codes:
        y -= 30 * mm
        draw_code128(c, code, MARGIN, y, max_width=90 * mm, height=22 * mm, preferred_module=0.5 * mm)
        c.setFont(BOLD, 14)
        c.drawString(MARGIN + 100 * mm, y + 12 * mm, code)
        c.setFont(FONT, 10)
        c.drawString(MARGIN + 100 * mm, y + 6 * mm, words)
        y -= 14 * mm
    c.showPage()
    c.save()
    return buf.getvalue()
