"""The receiving report a client gets for an inbound shipment: expected vs received vs damaged."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.receiving import ShipmentDetail


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


def render_receiving_report(detail: ShipmentDetail, *, warehouse: str = "PrepDesk warehouse") -> bytes:
    """PDF (text extractable) of a shipment's lines, totals, who received it and when."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=letter, leftMargin=0.6 * inch, rightMargin=0.6 * inch,
                            topMargin=0.6 * inch, bottomMargin=0.6 * inch,
                            title=f"Receiving report {detail.ref}", author=warehouse)
    styles = getSampleStyleSheet()
    small = styles["BodyText"]
    story = [
        Paragraph(f"Receiving report: {escape(detail.ref)}", styles["Title"]),
        Paragraph(f"Client: {escape(detail.client_code)} - {escape(detail.client_name)}", small),
        Paragraph(f"Shipment ref: {escape(detail.ref)}  Status: {escape(detail.status)}", small),
    ]
    if detail.carrier or detail.tracking:
        story.append(Paragraph(f"Carrier: {escape(detail.carrier or '-')}  "
                               f"Tracking: {escape(detail.tracking or '-')}", small))
    story += [
        Paragraph(f"Expected date: {detail.expected_date.isoformat() if detail.expected_date else '-'}", small),
        Paragraph(f"Received by: {escape(', '.join(detail.received_by) or '-')}", small),
        Paragraph(f"First unit received: {_when(detail.first_received_at)}", small),
        Paragraph(f"Closed: {_when(detail.closed_at)}"
                  + (f" by {escape(detail.closed_by)}" if detail.closed_by else ""), small),
        Spacer(1, 0.2 * inch),
    ]
    data = [["SKU", "Product", "Expected", "Received", "Damaged", "Short", "Over", "Note"]]
    for ln in detail.lines:
        note = "not on ASN" if ln.is_extra else ("over-receipt" if ln.over else "")
        data.append([ln.sku, ln.name[:40], str(ln.expected), str(ln.received), str(ln.damaged),
                     str(ln.remaining), str(ln.over), note])
    data.append(["Total", f"{len(detail.lines)} lines", str(detail.total_expected),
                 str(detail.total_received), str(detail.total_damaged),
                 str(detail.total_remaining), str(sum(ln.over for ln in detail.lines)), ""])
    table = Table(data, repeatRows=1, colWidths=[1.15 * inch, 2.3 * inch, 0.65 * inch, 0.65 * inch,
                                                 0.65 * inch, 0.5 * inch, 0.45 * inch, 0.85 * inch])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
        ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 8.5),
        ("ALIGN", (2, 0), (6, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -2), [colors.white, colors.Color(0.94, 0.94, 0.94)]),
    ]))
    story.append(table)
    doc.build(story)
    return buf.getvalue()
