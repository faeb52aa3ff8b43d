"""A client's billing statement as a PDF invoice: plain data in, PDF bytes out.

Every page repeats the header (the warehouse's name and address, the statement number, the
client and the period) and the column heads of the lines, and carries "page n of m"; the
total closes the last page. Names are never cut: the warehouse's name and address and the
client billed wrap onto more lines, and the header grows to hold them. Text stays text (extractable); names in any script use the
bundled fonts (``app.documents.text``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.documents.paged_canvas import PagedCanvas
from app.documents.text import draw, font_for, text_width, wrap_text

MARGIN = 0.6 * inch
HEADER_HEIGHT = 1.55 * inch  # the least: a short name and up to four address lines
GREY = colors.Color(0.93, 0.93, 0.93)
NAME_SIZE, NAME_LEADING = 14, 16
LINE_SIZE, LINE_LEADING = 9, 11
BILL_SIZE, BILL_LEADING = 10, 12


@dataclass(frozen=True)
class StatementData:
    """What a statement prints; ``lines`` are (fee, quantity, rate, amount) as shown;
    ``fee_titles`` how a fee reads (its code, as in the CSV, printed small under it)."""

    number: str
    warehouse_name: str
    warehouse_address: tuple[str, ...]
    client_code: str
    client_name: str
    client_address: tuple[str, ...]
    first: dt.date
    last: dt.date
    issued: dt.date
    currency: str
    lines: tuple[tuple[str, str, str, str], ...]
    total: str
    notes: tuple[str, ...] = ()
    fee_titles: Mapping[str, str] = field(default_factory=dict)


def _fonts(data: StatementData) -> tuple[str, str]:
    texts = [data.warehouse_name, data.client_name, *data.warehouse_address, *data.client_address,
             *(ln[0] for ln in data.lines), *data.fee_titles.values(), *data.notes]
    for text in texts:
        if text and font_for(text, "Helvetica") != "Helvetica":
            return font_for(text, "Helvetica"), font_for(text, "Helvetica-Bold")
    return "Helvetica", "Helvetica-Bold"


class _NumberedCanvas(PagedCanvas):
    """Writes "page n of m" once the page count is known (pages are kept until save)."""

    font = "Helvetica"
    footer_left = ""

    def finish_page(self, page: int, total: int) -> None:
        width, height = self._pagesize
        self.setFillColor(colors.Color(0.35, 0.35, 0.35))
        draw(self, "left", MARGIN, 0.4 * inch, self.footer_left, self.font, 7.5)
        self.setFont(self.font, 9)
        self.setFillColor(colors.black)
        self.drawRightString(width - MARGIN, height - MARGIN - 49, f"page {page} of {total}")  # under "Issued"


@dataclass(frozen=True)
class _Header:
    """The header's lines as wrapped, with the baselines they sit on (points below the top margin)."""

    name: tuple[str, ...]
    address: tuple[tuple[str, float], ...]
    rule: float
    bill_to: tuple[tuple[str, float], ...]
    height: float  # from the top margin to where the lines of the statement start


def _layout(data: StatementData, regular: str, bold: str) -> _Header:
    """Wrap the warehouse's name and address beside the statement's own lines on the right, and
    the client billed across the page."""
    width = letter[0] - 2 * MARGIN
    right = max(text_width(f"Statement {data.number}", bold, NAME_SIZE),
                *(text_width(t, regular, LINE_SIZE) for t in (
                    f"Period {data.first.isoformat()} to {data.last.isoformat()}",
                    f"Issued {data.issued.isoformat()} · {data.currency}", "page 999 of 999")))
    left = max(width * 0.5, width - right - 18)
    name = tuple(wrap_text(data.warehouse_name, bold, NAME_SIZE, left))
    y = 12 + NAME_LEADING * (len(name) - 1) + 15
    address: list[tuple[str, float]] = []
    for line in data.warehouse_address[:4]:
        for part in wrap_text(line, regular, LINE_SIZE, left):
            address.append((part, y))
            y += LINE_LEADING
    lowest = max(49.0, address[-1][1] if address else y - 15)  # "page n of m" is the right side's last
    rule = max(HEADER_HEIGHT - 0.35 * inch, lowest + 14)
    bill = wrap_text(f"Bill to: {data.client_name} ({data.client_code})", bold, BILL_SIZE, width)
    bill_to = tuple((line, rule + 0.15 * inch + BILL_LEADING * i) for i, line in enumerate(bill))
    return _Header(tuple(name), tuple(address), rule, bill_to, bill_to[-1][1] + 0.2 * inch)


def _header(data: StatementData, layout: _Header, regular: str, bold: str):  # type: ignore[no-untyped-def]
    """The page header drawn on every page."""

    def on_page(c: Canvas, _doc: Any) -> None:
        width, height = letter
        top = height - MARGIN
        c.saveState()
        c.setFillColor(colors.black)
        for i, line in enumerate(layout.name):
            draw(c, "left", MARGIN, top - 12 - NAME_LEADING * i, line, bold, NAME_SIZE)
        for line, y in layout.address:
            draw(c, "left", MARGIN, top - y, line, regular, LINE_SIZE)
        right = width - MARGIN
        draw(c, "right", right, top - 12, f"Statement {data.number}", bold, NAME_SIZE)
        draw(c, "right", right, top - 27, f"Period {data.first.isoformat()} to {data.last.isoformat()}",
             regular, LINE_SIZE)
        draw(c, "right", right, top - 38, f"Issued {data.issued.isoformat()} · {data.currency}", regular,
             LINE_SIZE)
        c.setLineWidth(1.2)
        c.line(MARGIN, top - layout.rule, width - MARGIN, top - layout.rule)
        for line, y in layout.bill_to:
            draw(c, "left", MARGIN, top - y, line, bold, BILL_SIZE)
        c.restoreState()

    return on_page


def render_statement_pdf(data: StatementData) -> bytes:
    """The statement as PDF bytes (letter, text extractable)."""
    regular, bold = _fonts(data)
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12)
    cell = ParagraphStyle("cell", parent=body)
    number = ParagraphStyle("number", parent=cell, alignment=TA_RIGHT)
    head = ParagraphStyle("head", parent=cell, fontName=bold)
    head_number = ParagraphStyle("head_number", parent=head, alignment=TA_RIGHT)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.Color(0.3, 0.3, 0.3))

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    layout = _layout(data, regular, bold)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=letter, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN + layout.height, bottomMargin=0.8 * inch,
                            title=f"Statement {data.number}", author=data.warehouse_name,
                            subject=f"{data.client_code} {data.first} to {data.last}")
    usable = letter[0] - 2 * MARGIN
    story: list[Any] = []
    if data.client_address:
        story += [p(" · ".join(data.client_address)), Spacer(1, 0.12 * inch)]
    heads = ["Fee", "Quantity", f"Rate ({data.currency})", f"Amount ({data.currency})"]
    rows: list[list[Any]] = [[p(h, head if i == 0 else head_number) for i, h in enumerate(heads)]]
    for fee, qty, rate, amount in data.lines:
        title = data.fee_titles.get(fee)
        what: Any = [p(title, cell), p(fee, small)] if title else p(fee, cell)
        rows.append([what, p(qty, number), p(rate, number), p(amount, number)])
    rows.append([p("TOTAL", head), p("", head), p("", head), p(data.total, head_number)])
    widths = [usable * 0.43, usable * 0.17, usable * 0.18, usable * 0.22]
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), GREY),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, colors.Color(0.8, 0.8, 0.8)),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    story.append(Table(rows, repeatRows=1, colWidths=widths, style=TableStyle(style)))
    for note in data.notes:
        story += [Spacer(1, 0.06 * inch), p(note, small)]
    canvas_cls = type("StatementCanvas", (_NumberedCanvas,), {
        "footer_left": f"{data.warehouse_name} · statement {data.number} · {data.client_code}",
        "font": regular,
    })
    on_page = _header(data, layout, regular, bold)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=canvas_cls)
    return buf.getvalue()
