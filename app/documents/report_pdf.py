"""The supervisor's Reports screen on paper: the headline figures, the trend charts (as
pictures) and every report table, landscape letter, text extractable.

Plain data in (words already as the screen shows them), PDF bytes out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.documents.text import font_for

MARGIN = 0.5 * inch
PAGE = landscape(letter)
GREY = colors.Color(0.92, 0.92, 0.92)


@dataclass(frozen=True)
class PdfSection:
    """One report table as shown: its title, column heads and cells in words."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    notes: Sequence[str] = field(default=())
    numeric: Sequence[bool] = field(default=())  # per column: right-aligned


def _fonts(texts: Sequence[str]) -> tuple[str, str]:
    for text in texts:
        if text and font_for(text, "Helvetica") != "Helvetica":
            return font_for(text, "Helvetica"), font_for(text, "Helvetica-Bold")
    return "Helvetica", "Helvetica-Bold"


CELL_SIZE = 8  # the table cells' font size (points)
CELL_PADDING = 13  # a cell's left and right padding, and a point to spare


def _widths(section: PdfSection, usable: float, regular: str, bold: str) -> list[float]:
    """Each column at least as wide as its longest word (a code, a client, a date is never cut
    in two), then the rest of the width shared by how much more each column's longest text
    wants; all of them at their longest when that fits."""
    def width(text: str, font: str) -> float:
        return float(pdfmetrics.stringWidth(text, font, CELL_SIZE)) + CELL_PADDING

    least, most = [], []
    for i, header in enumerate(section.headers):
        cells = [row[i] for row in section.rows]
        least.append(max([width(word, bold) for word in header.split()]
                         + [width(word, regular) for text in cells for word in text.split()], default=CELL_PADDING))
        most.append(max([width(header, bold)] + [width(text, regular) for text in cells]))
    if sum(least) >= usable:  # too many columns for the page: shared by what each must hold
        return [usable * w / sum(least) for w in least]
    if sum(most) <= usable:
        return [usable * w / sum(most) for w in most]
    grow = [m - n for m, n in zip(most, least, strict=True)]
    spare = usable - sum(least)
    return [n + spare * g / sum(grow) for n, g in zip(least, grow, strict=True)]


def render_report_pdf(title: str, subtitle: str, figures: Sequence[tuple[str, str]],
                      sections: Sequence[PdfSection], *, charts: Sequence[bytes] = (),
                      made: str = "") -> bytes:
    """PDF of the headline ``figures`` ((caption, value) pairs), the ``charts`` (PNG bytes, two
    per row) and each section's table with its notes.

    Args:
        title: the document's title ("Supervisor reports").
        subtitle: what was reported (period, client).
        made: when it was made, as the reader's clock shows it.
    """
    texts = [title, subtitle, *(t for pair in figures for t in pair)]
    for s in sections:
        texts += [s.title, *s.headers, *s.notes, *(c for row in s.rows for c in row)]
    regular, bold = _fonts(texts)
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11)
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=9.5)
    number = ParagraphStyle("number", parent=cell, alignment=2)
    head = ParagraphStyle("head", parent=cell, fontName=bold)
    head_number = ParagraphStyle("head_number", parent=head, alignment=2)
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=18, leading=22)
    h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=12, leading=15, spaceBefore=8)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9, textColor=colors.Color(0.3, 0.3, 0.3))
    big = ParagraphStyle("big", parent=body, fontName=bold, fontSize=16, leading=19, alignment=1)
    caption = ParagraphStyle("caption", parent=body, fontSize=8, alignment=1)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=title, subject=subtitle, author="PrepDesk")
    usable = PAGE[0] - 2 * MARGIN
    story: list[Any] = [p(title, h1), p(subtitle + (f"  ·  made {made}" if made else ""), body),
                        Spacer(1, 0.12 * inch)]
    if figures:
        width = usable / len(figures)
        story.append(Table([[p(v, big) for _, v in figures], [p(c, caption) for c, _ in figures]],
                           colWidths=[width] * len(figures),
                           style=[("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                                  ("INNERGRID", (0, 0), (-1, -1), 0.3, colors.grey),
                                  ("BACKGROUND", (0, 1), (-1, 1), GREY)]))
    if charts:
        cw = usable / 2 - 6
        images = []
        for png in charts:
            w, h = ImageReader(io.BytesIO(png)).getSize()
            images.append(Image(io.BytesIO(png), width=cw, height=cw * h / w if w else cw / 2))
        rows = [images[i:i + 2] + [""] * (2 - len(images[i:i + 2])) for i in range(0, len(images), 2)]
        story += [Spacer(1, 0.1 * inch), Table(rows, colWidths=[usable / 2] * 2)]
    for s in sections:
        numeric = list(s.numeric) + [False] * (len(s.headers) - len(s.numeric))
        data = [[p(h, head_number if numeric[i] else head) for i, h in enumerate(s.headers)]]
        data += [[p(c, number if numeric[i] else cell) for i, c in enumerate(row)] for row in s.rows]
        if not s.rows:
            data.append([p("Nothing in this period.", cell)] + [""] * (len(s.headers) - 1))
        table = Table(data, colWidths=_widths(s, usable, regular, bold), repeatRows=1)
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), GREY),
                                   ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                                   ("INNERGRID", (0, 1), (-1, -1), 0.25, colors.Color(0.8, 0.8, 0.8)),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
        story += [CondPageBreak(1.2 * inch), KeepTogether([p(s.title, h2)]), table]
        story += [p(n, small) for n in s.notes]
    doc.build(story)
    return buf.getvalue()
