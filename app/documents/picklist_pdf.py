"""The printed pick list: one row per stop in walk order, with totes, check boxes and a barcode.

A Qt-free function from a ``PickListSheet`` (plain data: the list's header, its totes and its
stops in walk order, built by app.picking) to PDF bytes, made to be read on a cart at arm's
length: bin and quantity large, one line per tote with its own check box, a write-in space for
a short, the cart's tote labels on the first page. Text is drawn as text (extractable), the
Code128 of the list number as vector bars with quiet zones. Rows are laid out first so every
page can say "page n of m" in one pass; the page size is letter or A4. Names that are not
Latin-1 (Polish, Greek, Japanese customers) are drawn with the packing slip's Unicode fonts.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.barcode_draw import code128_modules, draw_modules, fit_module_width, symbol_width
from app.documents.text import draw, fit_text, wrap_text
from app.kernel import clock
from app.kernel.errors import ValidationError
from app.kernel.text import counted

PAGE_SIZES = {"letter": letter, "a4": A4}

MARGIN = 13 * mm
FONT = "Helvetica"
BOLD = "Helvetica-Bold"
ITALIC = "Helvetica-BoldOblique"
BODY = 10.5          # names, facts
SKU_SIZE = 12
BIN_SIZE = 15        # the bin and the quantity: what the picker looks for from the aisle
QTY_SIZE = 16
TOTE_SIZE = 12.5
NOTE_SIZE = 10
LEGEND_SIZE = 9.5
LINE = 13            # leading of the body lines
PAD = 3
BOX = 10             # check box side
HEADER_H = 27 * mm
TABLE_HEAD_H = 16
FOOTER_H = 9 * mm
BAR_MODULE = 0.33 * mm  # 13 mil: read at once by any handheld from a printed sheet
BAR_H = 14 * mm
SHADE = 0.93         # every other stop, light grey: the eye keeps the row across the page

# (title, share of the usable width)
COLUMNS = (
    ("#", 0.055),
    ("Bin", 0.19),
    ("SKU / product", 0.38),
    ("Qty", 0.08),
    ("Put in tote", 0.175),
    ("Short", 0.12),
)
NUM, BIN, ITEM, QTY, TOTE, SHORT = range(6)


@dataclass(frozen=True)
class SheetTote:
    """A stop's units for one tote: how many, how many already in it, how many short."""

    tote: int
    qty: int
    picked: int = 0
    short: int = 0


@dataclass(frozen=True)
class SheetStop:
    """One row of the walk: take ``qty`` of a product from a bin, split over totes."""

    index: int
    bin_code: str
    sku: str
    name: str
    packing_instructions: str
    qty: int
    picked: int
    short: int
    totes: tuple[SheetTote, ...]
    lot: str = ""  # the lot(s) to take with their expiry, 'lot A42 EXP 03-12-2026' ('' without lots)

    @property
    def done(self) -> bool:
        return self.qty - self.picked - self.short <= 0


@dataclass(frozen=True)
class SheetOrder:
    """The order in one tote of the cart (the legend of the first page)."""

    tote: int
    order_number: str
    client: str
    customer: str


@dataclass(frozen=True)
class PickListSheet:
    """Everything the printed pick list shows."""

    number: str
    client: str  # the wave's client filter, "" for all
    picker: str
    created_by: str
    created_at: dt.datetime | None
    orders: tuple[SheetOrder, ...]
    stops: tuple[SheetStop, ...]

    @property
    def units(self) -> int:
        """The units the list puts in its totes: a unit found short is counted once, at the bin
        it was re-routed to (back-ordered, it is off the list)."""
        return sum(s.qty - s.short for s in self.stops)


@dataclass
class _Row:
    kind: str  # stop, legend_title, legend
    height: float
    stop: SheetStop | None = None  # set on "stop" rows
    sku: str = ""
    name: list[str] = field(default_factory=list)
    note: list[str] = field(default_factory=list)
    lot: list[str] = field(default_factory=list)
    totes: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    text: str = ""
    shaded: bool = False


def render_picklist(view: PickListSheet, *, page_size: str = "letter",
                    printed_at: dt.datetime | None = None) -> bytes:
    """The pick list as PDF bytes.

    Args:
        view: the list's header, totes and stops in walk order.
        page_size: "letter" or "a4".
        printed_at: when it is printed (shown in the header; reprints are told apart).

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
    item_w = widths[ITEM] - 2 * PAD

    rows: list[_Row] = []
    if view.orders:
        rows.append(_Row("legend_title", 20, text="Cart: label the totes"))
        per_line = 3
        orders = list(view.orders)
        for i in range(0, len(orders), per_line):
            part = orders[i : i + per_line]
            cells = [fit_text(f"T{o.tote}  {o.order_number}  {o.client}"
                              + (f" · {o.customer}" if o.customer else ""),
                              FONT, LEGEND_SIZE, usable_w / per_line - 2 * PAD) for o in part]
            rows.append(_Row("legend", LINE + 1, cells=cells))
        rows.append(_Row("gap", 10))
    for n, stop in enumerate(view.stops):
        name = wrap_text(stop.name, FONT, BODY, item_w)[:2]
        if len(name) == 2:
            name[1] = fit_text(stop.name[len(name[0]):].strip(), FONT, BODY, item_w)
        note = (wrap_text("Packing: " + stop.packing_instructions, ITALIC, NOTE_SIZE, item_w)
                if stop.packing_instructions else [])
        lot = wrap_text(stop.lot, BOLD, BODY + 1, item_w)[:3] if stop.lot else []
        totes = [f"T{t.tote} × {t.qty}" for t in stop.totes]
        left_h = SKU_SIZE + 4 + (len(name) + len(lot)) * LINE + len(note) * (NOTE_SIZE + 3)
        right_h = max(len(totes), 1) * (TOTE_SIZE + 6)
        height = max(left_h, right_h, BIN_SIZE + 8) + 2 * PAD
        rows.append(_Row("stop", height, stop=stop, sku=fit_text(stop.sku, BOLD, SKU_SIZE, item_w),
                         name=name, note=note, lot=lot, totes=totes, shaded=n % 2 == 1))

    body_top = page_h - MARGIN - HEADER_H
    body_bottom = MARGIN + FOOTER_H
    pages: list[list[_Row]] = [[]]
    y = body_top
    for row in rows:
        need = row.height + (TABLE_HEAD_H if row.kind == "stop" and not _has_stops(pages[-1]) else 0)
        if y - need < body_bottom and pages[-1]:
            pages.append([])
            y = body_top
            need = row.height + (TABLE_HEAD_H if row.kind == "stop" else 0)
        pages[-1].append(row)
        y -= need
    total = len(pages)

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=size, pageCompression=1)
    c.setTitle(f"Pick list {view.number}")
    c.setAuthor("PrepDesk")
    modules = code128_modules(view.number)
    module_w = fit_module_width(modules, 80 * mm, preferred=BAR_MODULE)
    bar_w = symbol_width(modules, module_w)
    created, printed = clock.local_text(view.created_at), clock.local_text(printed_at)  # warehouse time
    units = view.units
    done = sum(1 for s in view.stops if s.done)
    for page_no, page_rows in enumerate(pages, start=1):
        top = page_h - MARGIN
        # Header: number, facts, barcode (with its quiet zones inside the margin)
        c.setFont(BOLD, 20)
        c.drawString(MARGIN, top - 18, f"PICK LIST {view.number}")
        facts = [f"Created: {created}" + (f" by {view.created_by}" if view.created_by else "")
                 + (f"   Printed: {printed}" if printed else ""),
                 f"Picker: {view.picker or '______________________'}",
                 f"Orders/totes: {len(view.orders)}   Stops: {len(view.stops)}   Units: {units}"
                 + f"   Client: {view.client or 'all'}"
                 + (f"   Done: {done} of {counted(len(view.stops), 'stop')}" if done else "")]
        for i, fact in enumerate(facts):
            draw(c, "left", MARGIN, top - 34 - i * LINE, fact, FONT, BODY)
        draw_modules(c, modules, page_w - MARGIN - bar_w, top - BAR_H, module_width=module_w, height=BAR_H)
        c.setFont(FONT, BODY)
        c.drawCentredString(page_w - MARGIN - bar_w / 2, top - BAR_H - 11, view.number)
        y = body_top
        head_drawn = False
        for row in page_rows:
            if row.kind == "stop" and not head_drawn:
                y = _draw_table_head(c, xs, y, page_w)
                head_drawn = True
            y = _draw_row(c, row, xs, widths, y, page_w)
        # Footer
        c.setFont(FONT, BODY)
        c.setLineWidth(0.5)
        c.line(MARGIN, MARGIN + 13, page_w - MARGIN, MARGIN + 13)
        c.drawString(MARGIN, MARGIN, "Tick each tote as you put the units in; write a short in the Short box.")
        c.setFont(BOLD, BODY + 1)
        c.drawRightString(page_w - MARGIN, MARGIN, f"{view.number}   page {page_no} of {total}")
        c.showPage()
    c.save()
    return buf.getvalue()


def _has_stops(rows: list[_Row]) -> bool:
    return any(r.kind == "stop" for r in rows)


def _draw_table_head(c: Canvas, xs: list[float], y: float, page_w: float) -> float:
    c.setFillGray(0.15)
    c.rect(MARGIN, y - TABLE_HEAD_H, page_w - 2 * MARGIN, TABLE_HEAD_H, stroke=0, fill=1)
    c.setFillGray(1)
    c.setFont(BOLD, BODY)
    for i, ((title, _), x) in enumerate(zip(COLUMNS, xs, strict=True)):
        if i == QTY:
            c.drawRightString(xs[QTY + 1] - PAD, y - TABLE_HEAD_H + 5, title)
        else:
            c.drawString(x + PAD, y - TABLE_HEAD_H + 5, title)
    c.setFillGray(0)
    return y - TABLE_HEAD_H


def _draw_row(c: Canvas, row: _Row, xs: list[float], widths: list[float], y: float, page_w: float) -> float:
    if row.kind == "gap":
        return y - row.height
    if row.kind == "legend_title":
        c.setFont(BOLD, BODY + 1.5)
        c.drawString(MARGIN, y - 14, row.text)
        return y - row.height
    if row.kind == "legend":
        third = (page_w - 2 * MARGIN) / 3
        for i, cell in enumerate(row.cells):
            draw(c, "left", MARGIN + i * third, y - LINE + 3, cell, FONT, LEGEND_SIZE)
        return y - row.height
    stop = row.stop
    assert stop is not None, "a stop row carries its stop"
    bottom = y - row.height
    if row.shaded:
        c.setFillGray(SHADE)
        c.rect(MARGIN, bottom, page_w - 2 * MARGIN, row.height, stroke=0, fill=1)
        c.setFillGray(0)
    top = y - PAD
    c.setFont(BOLD, BODY + 1)
    c.drawString(xs[NUM] + PAD, top - BIN_SIZE + 2, str(stop.index))
    c.setFont(BOLD, BIN_SIZE)
    c.drawString(xs[BIN] + PAD, top - BIN_SIZE, fit_text(stop.bin_code, BOLD, BIN_SIZE, widths[BIN] - 2 * PAD))
    ty = top - SKU_SIZE
    draw(c, "left", xs[ITEM] + PAD, ty, row.sku, BOLD, SKU_SIZE)
    ty -= 4
    for line in row.lot:  # the lot to take, in bold: FEFO
        ty -= LINE
        draw(c, "left", xs[ITEM] + PAD, ty + 3, line, BOLD, BODY + 1)
    for line in row.name:
        ty -= LINE
        draw(c, "left", xs[ITEM] + PAD, ty + 3, line, FONT, BODY)
    for line in row.note:
        ty -= NOTE_SIZE + 3
        draw(c, "left", xs[ITEM] + PAD, ty + 2, line, ITALIC, NOTE_SIZE)
    c.setFont(BOLD, QTY_SIZE)
    c.drawRightString(xs[QTY] + widths[QTY] - PAD, top - QTY_SIZE + 1, str(stop.qty))
    c.setLineWidth(0.9)
    for i, (text, split) in enumerate(zip(row.totes, stop.totes, strict=True)):
        base = top - TOTE_SIZE - i * (TOTE_SIZE + 6)
        bx = xs[TOTE] + PAD
        c.rect(bx, base - 1, BOX, BOX, stroke=1, fill=0)
        if split.picked and split.picked + split.short >= split.qty:  # a reprint: already in the tote
            c.setLineWidth(1.6)
            c.lines([(bx + 2, base + 4, bx + 4.5, base + 1), (bx + 4.5, base + 1, bx + 9, base + 8)])
            c.setLineWidth(0.9)
        c.setFont(BOLD, TOTE_SIZE)
        c.drawString(bx + BOX + 5, base, text)
    # write-in box for the units not found (a reprint shows the shorts recorded)
    c.rect(xs[SHORT] + PAD, top - BIN_SIZE - 3, widths[SHORT] - 2 * PAD, BIN_SIZE + 3, stroke=1, fill=0)
    if stop.short:
        c.setFont(BOLD, TOTE_SIZE)
        c.drawString(xs[SHORT] + 2 * PAD, top - BIN_SIZE + 1, f"-{stop.short}")
    c.setLineWidth(0.4)
    c.line(MARGIN, bottom, page_w - MARGIN, bottom)
    return bottom
