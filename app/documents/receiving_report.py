"""The receiving report a client gets for an inbound shipment: expected vs received vs damaged.

Plain data (a ``ReportShipment``, e.g. the receiving desk's ShipmentDetail) in, PDF bytes
out. Text stays text (extractable); long SKUs and product names wrap inside their cells
instead of being cut; every page repeats the column heads and carries "page n of m" so a multi-page report can be checked sheet by sheet.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any, Protocol
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.documents.paged_canvas import PagedCanvas
from app.documents.text import font_for
from app.kernel import clock, states
from app.kernel.text import counted


class ReportLine(Protocol):
    """One receipt line as the report reads it."""

    @property
    def sku(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def expected(self) -> int: ...
    @property
    def received(self) -> int: ...
    @property
    def damaged(self) -> int: ...
    @property
    def damaged_only(self) -> int: ...
    @property
    def expired(self) -> int: ...
    @property
    def short_dated(self) -> int: ...
    @property
    def held_note(self) -> str: ...
    @property
    def remaining(self) -> int: ...
    @property
    def over(self) -> int: ...
    @property
    def is_extra(self) -> bool: ...


class ReportShipment(Protocol):
    """An inbound shipment with its lines, as the report reads it."""

    @property
    def ref(self) -> str: ...
    @property
    def client_code(self) -> str: ...
    @property
    def client_name(self) -> str: ...
    @property
    def carrier(self) -> str: ...
    @property
    def tracking(self) -> str: ...
    @property
    def expected_date(self) -> dt.date | None: ...
    @property
    def status(self) -> str: ...
    @property
    def notes(self) -> str: ...
    @property
    def first_received_at(self) -> dt.datetime | None: ...
    @property
    def closed_at(self) -> dt.datetime | None: ...
    @property
    def closed_by(self) -> str: ...
    @property
    def received_by(self) -> tuple[str, ...]: ...
    @property
    def lines(self) -> Sequence[ReportLine]: ...
    @property
    def total_expected(self) -> int: ...
    @property
    def total_received(self) -> int: ...
    @property
    def total_damaged(self) -> int: ...
    @property
    def total_damaged_only(self) -> int: ...
    @property
    def total_expiry_held(self) -> int: ...
    @property
    def total_remaining(self) -> int: ...


MARGIN = 0.6 * inch
GREY = colors.Color(0.94, 0.94, 0.94)
AMBER = colors.Color(1.0, 0.93, 0.80)


def _when(value: dt.datetime | None) -> str:
    """A stored (UTC) time in the warehouse's zone, named (e.g. "2026-12-04 16:00 PST")."""
    return clock.local_text(value, "%Y-%m-%d %H:%M %Z") if value else "-"


def _fonts(detail: ReportShipment) -> tuple[str, str]:
    """Helvetica, or a Unicode TrueType pair when a name is not Latin-1 (Polish, Cyrillic...)."""
    texts = [detail.client_name, detail.carrier, detail.tracking, detail.notes, detail.closed_by,
             *detail.received_by, *(ln.name for ln in detail.lines), *(ln.sku for ln in detail.lines)]
    for text in texts:
        if text and font_for(text, "Helvetica") != "Helvetica":
            return font_for(text, "Helvetica"), font_for(text, "Helvetica-Bold")
    return "Helvetica", "Helvetica-Bold"


def _counts(detail: ReportShipment) -> list[tuple[int, ...]]:
    """Each line's numbers and the totals, in the table's column order (an Expiry column
    after Damaged when units were held for their dates)."""
    dates = detail.total_expiry_held > 0
    rows = [(ln.expected, ln.received, ln.damaged_only,
             *((ln.expired + ln.short_dated,) if dates else ()), ln.remaining, ln.over)
            for ln in detail.lines]
    rows.append((detail.total_expected, detail.total_received,
                 detail.total_damaged_only,
                 *((detail.total_expiry_held,) if dates else ()), detail.total_remaining,
                 sum(ln.over for ln in detail.lines)))
    return rows


class _NumberedCanvas(PagedCanvas):
    """Writes "page n of m" once the page count is known (pages are kept until save)."""

    footer_left = ""
    font = "Helvetica"

    def finish_page(self, page: int, total: int) -> None:
        width, _ = self._pagesize
        self.setFont(self.font, 7.5)
        self.setFillColor(colors.Color(0.35, 0.35, 0.35))
        self.drawString(MARGIN, 0.4 * inch, self.footer_left)
        self.drawRightString(width - MARGIN, 0.4 * inch, f"page {page} of {total}")


def render_receiving_report(detail: ReportShipment, *, warehouse: str = "PrepDesk warehouse") -> bytes:
    """PDF (text extractable) of a shipment's lines, totals, who received it and when."""
    regular, bold = _fonts(detail)
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11.5)
    label = ParagraphStyle("label", parent=body, fontName=bold)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5)
    number = ParagraphStyle("number", parent=cell, alignment=TA_RIGHT)
    head = ParagraphStyle("head", parent=cell, fontName=bold)
    head_number = ParagraphStyle("head_number", parent=head, alignment=TA_RIGHT)
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=17, leading=21)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5,
                           textColor=colors.Color(0.3, 0.3, 0.3))

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=letter, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=0.8 * inch,
                            title=f"Receiving report {detail.ref}", author=warehouse,
                            subject=f"Inbound shipment {detail.ref} for {detail.client_code}")
    usable = letter[0] - 2 * MARGIN
    story: list[Any] = [  # ReportLab flowables
        Table([[p(f"Receiving report: {detail.ref}", title), p(warehouse, ParagraphStyle(
            "wh", parent=body, alignment=TA_RIGHT, fontName=bold))]],
            colWidths=[usable * 0.68, usable * 0.32],
            style=[("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (0, 0), 0),
                   ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
                   ("LINEBELOW", (0, 0), (-1, 0), 1.2, colors.black)]),
        Spacer(1, 0.12 * inch),
    ]
    eta = detail.expected_date.isoformat() if detail.expected_date else "-"
    closed = _when(detail.closed_at) + (f" by {detail.closed_by}" if detail.closed_by else "")
    left = [("Client:", f"{detail.client_code} - {detail.client_name}"),
            ("Shipment ref:", detail.ref),
            ("Carrier:", detail.carrier or "-"),
            ("Tracking:", detail.tracking or "-"),
            ("Expected date:", eta)]
    right = [("Status:", states.label(detail.status, states.ShipmentStatus)),
             ("First unit received:", _when(detail.first_received_at)),
             ("Closed:", closed),
             ("Received by:", ", ".join(detail.received_by) or "-"),
             ("Report made:", _when(clock.now()))]
    info = [[p(a, label), p(b), p(c, label), p(d)] for (a, b), (c, d) in zip(left, right, strict=True)]
    # Label columns as wide as their longest label (the Unicode font is wider than Helvetica).
    lw = [max(stringWidth(a, bold, 9) for a, _ in side) + 14 for side in (left, right)]
    vw = (usable - sum(lw)) / 2
    story.append(Table(info, colWidths=[lw[0], vw, lw[1], vw],
                       style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (0, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 1),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    over_total = sum(ln.over for ln in detail.lines)
    dates = detail.total_expiry_held > 0
    held = (f"damaged {detail.total_damaged_only}   ·   "
            + (f"held for expiry {detail.total_expiry_held}   ·   " if dates else ""))
    summary = (f"Expected {detail.total_expected}   ·   received in good condition "
               f"{detail.total_received}   ·   {held}"
               f"short {detail.total_remaining}   ·   over {over_total}")
    story += [Spacer(1, 0.15 * inch),
              Table([[p(summary, label)]], colWidths=[usable],
                    style=[("BACKGROUND", (0, 0), (-1, -1), GREY),
                           ("BOX", (0, 0), (-1, -1), 0.6, colors.Color(0.6, 0.6, 0.6)),
                           ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]),
              Spacer(1, 0.15 * inch)]

    heads = ["SKU", "Product", "Expected", "Received", "Damaged", *(["Expiry"] if dates else []),
             "Short", "Over", "Note"]
    last = len(heads) - 1
    data: list[list[Any]] = [[p(h, head if i < 2 or i == last else head_number) for i, h in enumerate(heads)]]
    notes = [""]
    attention: list[int] = []
    counts = _counts(detail)
    for ln, values in zip(detail.lines, counts, strict=False):
        note = "; ".join(x for x in ("not on ASN" if ln.is_extra else ("over-receipt" if ln.over else ""),
                                     ln.held_note) if x)
        if ln.is_extra or ln.over or ln.damaged or ln.remaining:
            attention.append(len(data))
        notes.append(note)
        data.append([p(ln.sku, cell), p(ln.name, cell), *(p(str(v), number) for v in values), p(note, cell)])
    data.append([p("Total", head), p(counted(len(detail.lines), "line"), head),
                 *(p(str(v), head_number) for v in counts[-1]), p("", head)])
    # Numbers and notes never wrap: their columns fit their heads and widest values; the
    # SKU column fits the longest SKU up to a fifth of the page; the product name wraps.
    pad = 14  # the cell paddings (6 + 6) and a little room: a width just fitting wraps a word

    def fit(texts: Iterable[object], font: str) -> float:
        width: float = max(stringWidth(str(t), font, 8.5) for t in texts) + pad
        return width

    numbers = [fit([heads[i + 2], *(row[i] for row in counts)], bold) for i in range(len(heads) - 3)]
    note_w = max(fit(notes, regular), fit(["Note"], bold))
    sku_w = min(max(fit([ln.sku for ln in detail.lines] or [""], regular), fit(["SKU"], bold)),
                usable * 0.2)
    widths = [sku_w, usable - sku_w - sum(numbers) - note_w, *numbers, note_w]
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, colors.Color(0.8, 0.8, 0.8)),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    style += [("BACKGROUND", (0, r), (-1, r), AMBER) for r in attention]
    story.append(Table(data, repeatRows=1, colWidths=widths, style=TableStyle(style)))
    story += [
        Spacer(1, 0.15 * inch),
        p("Received: units that arrived in good condition and went into stock. Damaged: units "
          "that arrived damaged and are held in quarantine. "
          + ("Expiry: units held in quarantine because they had expired or had less shelf life "
             "left than you accept (the note says which). " if dates else "")
          + "Short: expected units that did not arrive. Over: units beyond the quantity announced. "
          "Highlighted lines differ from the announcement.", small),
    ]
    if detail.notes:
        story += [Spacer(1, 0.08 * inch), p(f"Notes: {detail.notes}", small)]

    canvas_cls = type("ReportCanvas", (_NumberedCanvas,), {
        "footer_left": f"{warehouse} · receiving report {detail.ref} · {detail.client_code}",
        "font": regular,
    })
    doc.build(story, canvasmaker=canvas_cls)
    return buf.getvalue()
