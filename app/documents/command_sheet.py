"""A station's sheet of command barcodes (Code128), to keep beside the scanner: plain data in,
PDF bytes out."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import letter
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.barcode_draw import code128_modules, draw_modules, fit_module_width
from app.kernel.commands import STATION_COMMANDS, command_code
from app.kernel.errors import ValidationError

ROW_HEIGHT = 24 * mm  # a label line and a barcode tall enough to hit at a glance
BAR_HEIGHT = 13 * mm
MARGIN = 15 * mm


def render_command_sheet(title: str, commands: list[tuple[str, str]]) -> bytes:
    """``commands``: (what it does, barcode text) in print order; two columns a page."""
    buf = io.BytesIO()
    width, height = letter
    canvas = Canvas(buf, pagesize=letter)
    canvas.setTitle(title)
    column_width = (width - 2 * MARGIN) / 2
    per_column = int((height - 2 * MARGIN - 14 * mm) // ROW_HEIGHT)
    for start in range(0, max(len(commands), 1), per_column * 2):
        canvas.setFont("Helvetica-Bold", 16)
        canvas.drawString(MARGIN, height - MARGIN - 6 * mm, title)
        for i, (label, text) in enumerate(commands[start:start + per_column * 2]):
            x = MARGIN + (i // per_column) * column_width
            y = height - MARGIN - 14 * mm - (i % per_column + 1) * ROW_HEIGHT
            canvas.setFont("Helvetica-Bold", 13)
            canvas.drawString(x + 2 * mm, y + BAR_HEIGHT + 4 * mm, label)
            modules = code128_modules(text)
            module = fit_module_width(modules, column_width - 8 * mm, preferred=0.4 * mm)
            draw_modules(canvas, modules, x, y + 2 * mm, module_width=module, height=BAR_HEIGHT)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


WHAT_IT_DOES = {
    "DAMAGED": "DAMAGED: the next unit goes to quarantine",
    "PUTAWAY": "PUTAWAY: putaway mode on / off",
    "UNDO": "UNDO: take the last scan back",
    "NEXT BOX": "NEXT BOX: close this box, go on in another",
    "CLOSE BOX": "CLOSE BOX: close the last box",
    "PRINT SLIP": "PRINT SLIP",
    "PRINT LABEL": "PRINT LABEL",
    "ACK": "ACK: I saw the error",
    "CANCEL": "CANCEL: start this step over",
}
STATION_TITLES = {"receiving": "Receiving", "picking": "Picking", "packing": "Packing"}


def station_sheet(station: str) -> bytes:
    """The command sheet of ``station`` (receiving, picking or packing) as PDF.

    Raises:
        ValidationError: no such station.
    """
    if station not in STATION_COMMANDS:
        raise ValidationError(f"command sheets exist for {', '.join(STATION_COMMANDS)}, not {station!r}")
    rows = [(WHAT_IT_DOES.get(name, name), command_code(name)) for name in STATION_COMMANDS[station]]
    return render_command_sheet(f"PrepDesk — {STATION_TITLES[station]} command barcodes", rows)
