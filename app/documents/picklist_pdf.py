"""The printed pick list: one row per stop in walk order, with totes, check boxes and a barcode.

A Qt-free function from a ``PickListView`` to PDF bytes. Text is drawn as text (extractable),
the Code128 of the list number as vector bars. Rows are laid out first so every page can say
"page n of m" in one pass; the page size is letter or A4.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.documents.barcode_draw import code128_modules, draw_modules, fit_module_width, symbol_width
from app.errors import ValidationError

PAGE_SIZES = {"letter": letter, "a4": A4}

MARGIN = 14 * mm
FONT = "Helvetica"
BOLD = "Helvetica-Bold"
ITALIC = "Helvetica-Oblique"
SIZE = 9
LEADING = 11
PAD = 3
HEADER_H = 30 * mm
TABLE_HEAD_H = 14
FOOTER_H = 10 * mm

# (title, width as share of the usable width); the row content is drawn per column below.
COLUMNS = (
    ("", 0.035),       # picked check box
    ("#", 0.045),
    ("Bin", 0.14),
    ("SKU", 0.15),
    ("Name", 0.30),
    ("Qty", 0.06),
    ("Totes", 0.22),
    ("Short", 0.05),
)


@dataclass
class _Row:
    kind: str  # stop, legend_title, legend
    height: float
    stop: object = None
    name: str = ""
    instructions: list[str] | None = None
    totes: list[str] | None = None
    text: str = ""


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text cut (with an ellipsis) to fit ``width``."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "...", font, size) > width:
        text = text[:-1]
    return text + "..."


def _wrap_tokens(tokens: list[str], width: float) -> list[str]:
    """'T1 x2, T3 x1, ...' broken into lines between entries, never inside one."""
    lines: list[str] = []
    current = ""
    for token in tokens:
        candidate = f"{current}, {token}" if current else token
        if current and stringWidth(candidate + ",", FONT, SIZE) > width:
            lines.append(current + ",")
            current = token
        else:
            current = candidate
    lines.append(current)
    return lines


def render_picklist(view, *, page_size: str = "letter", printed_at=None) -> bytes:
    """The pick list as PDF bytes.

    Args:
        view: an ``app.picking.PickListView``.
        page_size: "letter" or "a4".

    Raises:
        ValidationError: unknown page size.
    """
    size = PAGE_SIZES.get((page_size or "").strip().lower())
    if size is None:
        raise ValidationError(f"page size must be letter or a4, not {page_size!r}")
    page_w, page_h = size
    usable_w = page_w - 2 * MARGIN
    widths = [share * usable_w for _, share in COLUMNS]
    xs = [MARGIN]
    for w in widths[:-1]:
        xs.append(xs[-1] + w)
    name_w, totes_w = widths[4] - 2 * PAD, widths[6] - 2 * PAD
    instr_w = widths[4] + widths[5] + widths[6] - 2 * PAD

    rows: list[_Row] = []
    for stop in view.stops:
        totes = _wrap_tokens([f"T{t.tote} x{t.qty}" for t in stop.totes], totes_w)
        instructions = (simpleSplit("Packing: " + stop.packing_instructions, ITALIC, SIZE - 1, instr_w)
                        if stop.packing_instructions else [])
        lines = max(len(totes), 1) + len(instructions)
        rows.append(_Row("stop", lines * LEADING + 2 * PAD + 2, stop=stop,
                         name=_fit(stop.name, FONT, SIZE, name_w), instructions=instructions,
                         totes=totes))
    if view.orders:
        rows.append(_Row("legend_title", 22, text="Totes"))
        per_line = 2
        orders = list(view.orders)
        for i in range(0, len(orders), per_line):
            part = orders[i : i + per_line]
            cells = [_fit(f"T{o.tote}: {o.order_number} ({o.client}{', ' + o.customer if o.customer else ''})",
                          FONT, SIZE, usable_w / per_line - 2 * PAD) for o in part]
            rows.append(_Row("legend", LEADING + 2, totes=cells))

    body_top = page_h - MARGIN - HEADER_H - TABLE_HEAD_H
    body_bottom = MARGIN + FOOTER_H
    pages: list[list[_Row]] = [[]]
    y = body_top
    for row in rows:
        if y - row.height < body_bottom and pages[-1]:
            pages.append([])
            y = body_top
        pages[-1].append(row)
        y -= row.height
    total = len(pages)

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=size, pageCompression=1)
    c.setTitle(f"Pick list {view.number}")
    c.setAuthor("PrepDesk")
    modules = code128_modules(view.number)
    module_w = fit_module_width(modules, 75 * mm)
    bar_w = symbol_width(modules, module_w)
    created = view.created_at.strftime("%Y-%m-%d %H:%M") if view.created_at else ""
    printed = printed_at.strftime("%Y-%m-%d %H:%M") if printed_at else ""
    units = sum(s.qty for s in view.stops)
    for page_no, page_rows in enumerate(pages, start=1):
        top = page_h - MARGIN
        # Header: number, barcode, facts
        c.setFont(BOLD, 16)
        c.drawString(MARGIN, top - 16, f"PICK LIST {view.number}")
        c.setFont(FONT, SIZE)
        facts = [f"Created: {created}" + (f" by {view.created_by}" if view.created_by else "")]
        if printed:
            facts.append(f"Printed: {printed}")
        facts.append(f"Picker: {view.picker or '____________________'}")
        facts.append(f"Client: {view.client or 'all'}   Status: {view.status}")
        facts.append(f"Orders/totes: {len(view.orders)}   Stops: {len(view.stops)}   Units: {units}")
        for i, fact in enumerate(facts):
            c.drawString(MARGIN, top - 30 - i * LEADING, fact)
        bar_h = 13 * mm
        draw_modules(c, modules, page_w - MARGIN - bar_w, top - bar_h, module_width=module_w, height=bar_h)
        c.setFont(FONT, SIZE)
        c.drawCentredString(page_w - MARGIN - bar_w / 2, top - bar_h - 10, view.number)
        # Table head (pages with stops only)
        y = page_h - MARGIN - HEADER_H
        if any(r.kind == "stop" for r in page_rows):
            c.setFont(BOLD, SIZE)
            for (title, _), x in zip(COLUMNS, xs, strict=True):
                if title:
                    c.drawString(x + PAD, y - TABLE_HEAD_H + 4, title)
            c.setLineWidth(0.8)
            c.line(MARGIN, y - TABLE_HEAD_H, page_w - MARGIN, y - TABLE_HEAD_H)
        y -= TABLE_HEAD_H
        for row in page_rows:
            y = _draw_row(c, row, xs, widths, y, page_w)
        # Footer
        c.setFont(FONT, SIZE - 1)
        c.drawRightString(page_w - MARGIN, MARGIN, f"{view.number}   page {page_no} of {total}")
        c.showPage()
    c.save()
    return buf.getvalue()


def _draw_row(c: Canvas, row: _Row, xs: list[float], widths: list[float], y: float, page_w: float) -> float:
    if row.kind == "legend_title":
        c.setFont(BOLD, SIZE + 1)
        c.drawString(MARGIN, y - 16, row.text)
        return y - row.height
    if row.kind == "legend":
        c.setFont(FONT, SIZE)
        cells = row.totes or []
        for i, cell in enumerate(cells):
            c.drawString(MARGIN + i * (page_w - 2 * MARGIN) / 2, y - LEADING, cell)
        return y - row.height
    stop = row.stop
    base = y - PAD - SIZE
    box = 8
    c.setLineWidth(0.7)
    c.rect(xs[0] + PAD, base - 1, box, box, stroke=1, fill=0)
    c.rect(xs[7] + PAD, base - 1, box, box, stroke=1, fill=0)
    c.setFont(FONT, SIZE)
    c.drawString(xs[1] + PAD, base, str(stop.index))
    c.setFont(BOLD, SIZE + 1)
    c.drawString(xs[2] + PAD, base, stop.bin_code)
    c.setFont(FONT, SIZE)
    c.drawString(xs[3] + PAD, base, _fit(stop.sku, FONT, SIZE, widths[3] - 2 * PAD))
    c.drawString(xs[4] + PAD, base, row.name)
    c.setFont(BOLD, SIZE + 1)
    c.drawRightString(xs[5] + widths[5] - PAD, base, str(stop.qty))
    c.setFont(FONT, SIZE)
    for i, line in enumerate(row.totes or []):
        c.drawString(xs[6] + PAD, base - i * LEADING, line)
    if row.instructions:
        c.setFont(ITALIC, SIZE - 1)
        start = base - max(len(row.totes or []), 1) * LEADING
        for i, line in enumerate(row.instructions):
            c.drawString(xs[4] + PAD, start - i * LEADING, line)
    bottom = y - row.height
    c.setLineWidth(0.3)
    c.line(MARGIN, bottom, page_w - MARGIN, bottom)
    return bottom
