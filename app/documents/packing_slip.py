"""The packing slip that travels in the box: who it is from, where it goes, what is in it.

A Qt-free function from ``SlipData`` to PDF bytes. Rows are laid out first so every page can
carry the repeated header (client and logo, ship-to, order number with its Code128, page n
of m) in one drawing pass; text stays text (extractable), bars are vectors.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from dataclasses import dataclass

from reportlab.lib.pagesizes import letter
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from app.documents.barcode_draw import code128_modules, draw_modules, fit_module_width, symbol_width
from app.documents.text import draw, fit_text, wrap_text

log = logging.getLogger(__name__)

PAGE_W, PAGE_H = letter
MARGIN = 15 * mm
FONT = "Helvetica"
BOLD = "Helvetica-Bold"
SIZE = 9.5
LEADING = 12
ROW_PAD = 4
HEADER_H = 62 * mm  # client/logo, title, barcode, ship-from/ship-to blocks
TABLE_HEAD_H = 18
FOOTER_H = 12 * mm
LOGO_W, LOGO_H = 42 * mm, 16 * mm

# (title, share of the usable width, alignment)
COLUMNS = (
    ("SKU", 0.19, "left"),
    ("Description", 0.43, "left"),
    ("Ordered", 0.11, "right"),
    ("Shipped", 0.11, "right"),
    ("Back-ordered", 0.16, "right"),
)


@dataclass(frozen=True)
class SlipLine:
    sku: str
    description: str
    ordered: int
    shipped: int
    backordered: int


@dataclass(frozen=True)
class SlipData:
    client_name: str
    logo_path: str
    ship_from: tuple[str, ...]
    ship_to: tuple[str, ...]
    order_number: str
    order_date: str
    lines: tuple[SlipLine, ...]
    notes: str = ""
    returns_note: str = ""
    ship_via: str = ""  # carrier and service, e.g. "UPS Ground"
    logo: bytes | None = None  # the client's logo as stored (PNG/JPEG): preferred to logo_path


_logo_cache: dict[tuple[str, float], ImageReader | None] = {}
_stored_logo_cache: dict[str, ImageReader | None] = {}


def _client_logo(data: SlipData) -> ImageReader | None:
    """The stored logo (cached by its digest), else the older logo file, else none."""
    if data.logo:
        key = hashlib.sha256(data.logo).hexdigest()
        if key not in _stored_logo_cache:
            try:
                reader = ImageReader(io.BytesIO(data.logo))
                reader.getSize()
                _stored_logo_cache[key] = reader
            except Exception as exc:  # noqa: BLE001 - a bad logo must not stop the slip
                log.warning("client logo (stored, %d bytes) unreadable: %s", len(data.logo), exc)
                _stored_logo_cache[key] = None
        if _stored_logo_cache[key] is not None:
            return _stored_logo_cache[key]
    return _logo(data.logo_path)


def _logo(path: str) -> ImageReader | None:
    """The client's logo if the file exists and is an image we can read (cached by mtime)."""
    if not path or not os.path.isfile(path):
        return None
    key = (path, os.path.getmtime(path))
    if key not in _logo_cache:
        try:
            reader = ImageReader(path)
            reader.getSize()
        except Exception as exc:  # noqa: BLE001 - a bad logo must not stop the slip
            log.warning("client logo %s unreadable: %s", path, exc)
            reader = None
        _logo_cache[key] = reader
    return _logo_cache[key]


def render_packing_slip(data: SlipData) -> bytes:
    """The packing slip as PDF bytes (letter, as many pages as the lines need)."""
    width = PAGE_W - 2 * MARGIN
    col_w = [share * width for _, share, _ in COLUMNS]
    col_x = [MARGIN + sum(col_w[:i]) for i in range(len(COLUMNS))]
    desc_w = col_w[1] - 2 * ROW_PAD

    # Lay out: rows (SKU, wrapped description) and the closing notes, split into pages.
    rows = []
    for line in data.lines:
        desc = wrap_text(line.description or "", FONT, SIZE, desc_w)[:3]
        rows.append((line, desc, len(desc) * LEADING + ROW_PAD))
    notes_block = _notes_block(data, width)
    notes_h = sum(h for _, _, h in notes_block) + (8 if notes_block else 0)
    table_top = PAGE_H - MARGIN - HEADER_H
    bottom = MARGIN + FOOTER_H
    pages: list[list[tuple[SlipLine, list[str], float]]] = [[]]
    y = table_top - TABLE_HEAD_H
    for row in rows:
        if y - row[2] < bottom and pages[-1]:
            pages.append([])
            y = table_top - TABLE_HEAD_H
        pages[-1].append(row)
        y -= row[2]
    notes_on_new_page = bool(notes_block) and y - notes_h < bottom
    total_pages = len(pages) + (1 if notes_on_new_page else 0)

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=letter, pageCompression=0)
    c.setTitle(f"Packing slip {data.order_number}")
    c.setAuthor(data.client_name)
    c.setCreator("PrepDesk")
    for index, page_rows in enumerate(pages):
        _header(c, data, index + 1, total_pages)
        y = _table_head(c, col_x, col_w, table_top)
        for line, desc, h in page_rows:
            _row(c, line, desc, col_x, col_w, y)
            y -= h
            c.setStrokeGray(0.8)
            c.setLineWidth(0.4)
            c.line(MARGIN, y + 1, MARGIN + width, y + 1)
        if index == len(pages) - 1:
            if not rows:
                c.setFont(FONT, SIZE)
                c.drawString(MARGIN + ROW_PAD, y - LEADING, "No lines.")
                y -= LEADING + ROW_PAD
            _totals(c, data, col_x, col_w, y)
            y -= LEADING + 6
            if notes_block and not notes_on_new_page:
                _notes(c, notes_block, y - 8)
        _footer(c, data, index + 1, total_pages)
        c.showPage()
    if notes_on_new_page:
        _header(c, data, total_pages, total_pages)
        _notes(c, notes_block, table_top)
        _footer(c, data, total_pages, total_pages)
        c.showPage()
    c.save()
    return buf.getvalue()


def _header(c: Canvas, data: SlipData, page: int, pages: int) -> None:
    top = PAGE_H - MARGIN
    x = MARGIN
    logo = _client_logo(data)
    name_y = top - 14
    if logo is not None:
        iw, ih = logo.getSize()
        scale = min(LOGO_W / iw, LOGO_H / ih)
        c.drawImage(logo, x, top - ih * scale, iw * scale, ih * scale, mask="auto")
        name_y = top - LOGO_H - 14
    c.setFillGray(0)
    draw(c, "left", x, name_y, fit_text(data.client_name, BOLD, 15, 95 * mm), BOLD, 15)
    yy = name_y - 11
    for text in data.ship_from[1:4]:  # the client's own address under its name
        draw(c, "left", x, yy, fit_text(text, FONT, 8.5, 95 * mm), FONT, 8.5)
        yy -= 10

    # Right: title, order number and date, the order number as Code128.
    right = PAGE_W - MARGIN
    c.setFont(BOLD, 17)
    c.drawRightString(right, top - 14, "PACKING SLIP")
    draw(c, "right", right, top - 30, f"Order {data.order_number}", BOLD, 11)
    c.setFont(FONT, 9)
    c.drawRightString(right, top - 42, f"Order date: {data.order_date or '-'}")
    if data.ship_via:
        draw(c, "right", right, top - 42 - 14 * mm - 18, fit_text(f"Ship via: {data.ship_via}", FONT, 9, 78 * mm),
             FONT, 9)
    modules = code128_modules(data.order_number)
    max_w = 78 * mm
    mw = fit_module_width(modules, max_w, preferred=0.3 * mm)
    bw = symbol_width(modules, mw)
    draw_modules(c, modules, right - bw, top - 42 - 6 - 14 * mm, module_width=mw, height=14 * mm)

    # Ship to (large, left) below the client block.
    block_top = top - 40 * mm
    c.setFont(BOLD, 9)
    c.drawString(MARGIN, block_top, "SHIP TO")
    yy = block_top - 13
    for i, text in enumerate(data.ship_to[:6]):
        font, size = (BOLD, 11) if i == 0 else (FONT, 10)
        draw(c, "left", MARGIN, yy, fit_text(text, font, size, 100 * mm), font, size)
        yy -= 12
    if pages > 1:  # (the footer has it too; on a one-page slip once is enough)
        c.setFont(FONT, 8)
        c.setFillGray(0.35)
        c.drawRightString(right, block_top, f"Page {page} of {pages}")
        c.setFillGray(0)


def _table_head(c: Canvas, col_x: list[float], col_w: list[float], top: float) -> float:
    width = sum(col_w)
    c.setFillGray(0.9)
    c.rect(MARGIN, top - TABLE_HEAD_H, width, TABLE_HEAD_H, stroke=0, fill=1)
    c.setFillGray(0)
    c.setFont(BOLD, SIZE)
    base = top - TABLE_HEAD_H + 5.5
    for (title, _, align), x, w in zip(COLUMNS, col_x, col_w, strict=True):
        if align == "right":
            c.drawRightString(x + w - ROW_PAD, base, title)
        else:
            c.drawString(x + ROW_PAD, base, title)
    return top - TABLE_HEAD_H


def _row(c: Canvas, line: SlipLine, desc: list[str], col_x: list[float], col_w: list[float], y: float) -> None:
    base = y - LEADING + 2
    draw(c, "left", col_x[0] + ROW_PAD, base, fit_text(line.sku, BOLD, SIZE, col_w[0] - 2 * ROW_PAD), BOLD, SIZE)
    for i, text in enumerate(desc):
        draw(c, "left", col_x[1] + ROW_PAD, base - i * LEADING, text, FONT, SIZE)
    for col, value in ((2, line.ordered), (3, line.shipped), (4, line.backordered)):
        font = BOLD if col == 3 else FONT
        c.setFont(font, SIZE)
        c.drawRightString(col_x[col] + col_w[col] - ROW_PAD, base, str(value))


def _totals(c: Canvas, data: SlipData, col_x: list[float], col_w: list[float], y: float) -> None:
    c.setFont(BOLD, SIZE)
    base = y - LEADING + 1
    c.drawString(col_x[1] + ROW_PAD, base, "Total units")
    for col, value in ((2, sum(ln.ordered for ln in data.lines)), (3, sum(ln.shipped for ln in data.lines)),
                       (4, sum(ln.backordered for ln in data.lines))):
        c.drawRightString(col_x[col] + col_w[col] - ROW_PAD, base, str(value))


def _notes_block(data: SlipData, width: float) -> list[tuple[str, str, float]]:
    """(font, text, height) lines for the customer notes, back-order note and returns note."""
    out: list[tuple[str, str, float]] = []

    def para(title: str, text: str) -> None:
        out.append((BOLD, title, LEADING + 2))
        for raw in text.splitlines() or [""]:
            for piece in wrap_text(raw, FONT, SIZE, width):
                out.append((FONT, piece, LEADING))
        out.append((FONT, "", 6))

    if data.notes.strip():
        para("Customer notes", data.notes.strip())
    if any(ln.backordered for ln in data.lines):
        para("Back-ordered items", "Items shown as back-ordered will ship separately as soon as they "
                                   "are in stock, at no extra cost.")
    if data.returns_note.strip():
        para("Returns", data.returns_note.strip())
    return out


def _notes(c: Canvas, block: list[tuple[str, str, float]], top: float) -> None:
    y = top
    for font, text, h in block:
        y -= h
        if text:
            draw(c, "left", MARGIN, y + 3, text, font, SIZE)


def _footer(c: Canvas, data: SlipData, page: int, pages: int) -> None:
    c.setFont(FONT, 8)
    c.setFillGray(0.35)
    draw(c, "left", MARGIN, MARGIN, f"{data.client_name} - order {data.order_number}", FONT, 8)
    c.drawRightString(PAGE_W - MARGIN, MARGIN, f"Page {page} of {pages}")
    c.setFillGray(0)
