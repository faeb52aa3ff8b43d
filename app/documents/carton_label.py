"""The 4" x 6" carton label: ship-from, ship-to, order, package n of m, weight and the
package's SSCC-18 as GS1-128 (AI 00) with its human-readable "(00) ..." line.

Two Qt-free renderers of the same ``LabelData``: PDF (ReportLab, vector bars of whole
printer dots) and ZPL for Zebra-type thermal printers at 203 or 300 dpi. The weight prints
in the warehouse's unit (kg or lb, ``app.kernel.units``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.barcode_draw import (
    code128_modules,
    draw_modules,
    fit_module_width,
    gs1_128_modules,
    symbol_width,
)
from app.documents.text import draw, text_width
from app.documents.text import fit_text as _fit
from app.documents.zpl_dots import Dots
from app.kernel import units

LABEL_W, LABEL_H = 4 * inch, 6 * inch
M = 4 * mm
FONT = "Helvetica"
BOLD = "Helvetica-Bold"
DOT = 25.4 / 203 * mm  # one thermal dot at 203 dpi
SSCC_MODULE = 4 * DOT  # 0.5 mm: whole dots, and GS1's minimum X for logistic labels (0.495 mm)


@dataclass(frozen=True)
class LabelData:
    ship_from: tuple[str, ...]
    ship_to: tuple[str, ...]
    order_number: str
    package_number: int
    package_count: int
    weight_kg: float | None
    sscc: str
    carrier: str = ""
    service: str = ""
    tracking: str = ""
    weight_estimated: bool = False  # an open box's label: products + box, not yet weighed

    @property
    def element_string(self) -> str:
        """What the GS1-128 symbol carries: AI 00 followed by the SSCC-18."""
        return "00" + self.sscc

    @property
    def human_readable(self) -> str:
        return f"(00) {self.sscc}"

    @property
    def weight_text(self) -> str:
        if self.weight_kg is None:
            return f"- {units.weight_unit()}"
        return units.weight_text(self.weight_kg) + (" est." if self.weight_estimated else "")


def _shrink(text: str, font: str, size: float, width: float, smallest: float) -> tuple[str, float]:
    """A long name or street prints smaller (down to ``smallest``) before it is cut."""
    while size > smallest and text_width(text, font, size) > width:
        size -= 0.5
    return _fit(text, font, size, width), size


def render_carton_label_pdf(data: LabelData) -> bytes:
    """One 4x6 page as PDF bytes."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(LABEL_W, LABEL_H), pageCompression=0)
    c.setTitle(f"Carton label {data.order_number} {data.package_number}/{data.package_count}")
    c.setCreator("PrepDesk")
    inner = LABEL_W - 2 * M
    top = LABEL_H - M
    c.setLineWidth(1.2)

    # Ship from (small) | package n of m (large)
    c.setFont(BOLD, 7)
    c.drawString(M, top - 8, "FROM")
    y = top - 18
    for text in data.ship_from[:5]:
        draw(c, "left", M, y, _fit(text, FONT, 8, inner * 0.6), FONT, 8)
        y -= 9.5
    c.setFont(BOLD, 8)
    c.drawRightString(LABEL_W - M, top - 8, "PACKAGE")
    c.setFont(BOLD, 24)
    c.drawRightString(LABEL_W - M, top - 34, f"{data.package_number} of {data.package_count}")
    c.setFont(BOLD, 11)
    c.drawRightString(LABEL_W - M, top - 52, data.weight_text)
    c.setFont(BOLD, 7)
    c.drawRightString(LABEL_W - M - c.stringWidth(data.weight_text, BOLD, 11) - 4, top - 52, "WEIGHT")
    y_line = top - 70
    c.line(M, y_line, LABEL_W - M, y_line)

    # Ship to (big)
    c.setFont(BOLD, 8)
    c.drawString(M, y_line - 11, "SHIP TO")
    y = y_line - 30
    size: float  # points; _shrink() makes it smaller in half steps
    for i, text in enumerate(data.ship_to[:6]):
        font, size = (BOLD, 16) if i == 0 else (BOLD if i == len(data.ship_to) - 1 else FONT, 13)
        line, used = _shrink(text, font, size, inner - 6, 9)
        draw(c, "left", M + 6, y, line, font, used)
        y -= size + 3
    y_line = LABEL_H - M - 200
    c.line(M, y_line, LABEL_W - M, y_line)

    # Order number (text + Code128), carrier and service
    c.setFont(BOLD, 8)
    c.drawString(M, y_line - 11, "ORDER")
    modules = code128_modules(data.order_number)
    mw = fit_module_width(modules, inner * 0.55, preferred=2 * DOT, minimum=DOT * 1.5)
    bw = symbol_width(modules, mw)
    bar_x = LABEL_W - M - bw
    draw_modules(c, modules, bar_x, y_line - 52, module_width=mw, height=40)
    text_w = bar_x - 10 * mw - M  # the text ends where the bar code's quiet zone begins
    number, size = _shrink(data.order_number, BOLD, 14, text_w, 9)
    draw(c, "left", M, y_line - 27, number, BOLD, size)
    carrier = " ".join(part for part in (data.carrier, data.service) if part)
    if carrier:
        draw(c, "left", M, y_line - 41, _fit(carrier, FONT, 9, text_w), FONT, 9)
    if data.tracking:
        draw(c, "left", M, y_line - 52, _fit(f"Tracking {data.tracking}", FONT, 9, text_w), FONT, 9)
    y_line -= 62
    c.line(M, y_line, LABEL_W - M, y_line)

    # SSCC: GS1-128 of (00) + SSCC-18 and the human-readable line
    c.setFont(BOLD, 8)
    c.drawString(M, y_line - 11, "SSCC")
    modules = gs1_128_modules(data.element_string)
    mw = fit_module_width(modules, inner, preferred=SSCC_MODULE, minimum=3 * DOT)
    bw = symbol_width(modules, mw)
    bar_h = 32 * mm  # GS1 logistic label: at least 31.75 mm
    bar_y = M + 22
    draw_modules(c, modules, (LABEL_W - bw) / 2, bar_y, module_width=mw, height=bar_h)
    c.setFont(BOLD, 13)
    c.drawCentredString(LABEL_W / 2, M + 6, data.human_readable)
    c.showPage()
    c.save()
    return buf.getvalue()


def _zpl_text(text: str) -> str:
    """The text without control characters (a field is one line)."""
    return "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in text)


def _zpl_fd(text: str) -> str:
    """``^FD`` field data: ``^`` and ``~`` would start a command, so the field is written
    with ``^FH`` (hexadecimal escapes, indicator ``_``) and they, and ``_`` itself, as
    ``_5E``, ``_7E``, ``_5F``: an order number "A^B" prints, and scans, as "A^B"."""
    escaped = "".join(f"_{ord(ch):02X}" if ch in "^~_" else ch for ch in text)
    return f"^FH^FD{escaped}" if escaped != text else f"^FD{text}"


def _zpl_barcode_data(text: str) -> str:
    """Code 128 field data for ``^BC`` in its default mode: ``>`` starts an invocation code
    (``>;`` subset C, ``>8`` FNC1 ...), so a literal ``>`` is written ``>0`` (code value 30;
    ``><`` would be value 62, which is ``^``)."""
    return _zpl_fd(_zpl_text(text).replace(">", ">0"))


# ^A0 (CG Triumvirate Bold Condensed) is proportional. Widths per character as a share of
# the height, on the generous side of what a ZD-series printer (and an emulator) prints:
# capitals and digits ~0.5, small letters ~0.45, spaces and punctuation less.
ZPL_CHAR_W = 0.6  # the widest a character is taken to be (tests use it as the bound)


def _zpl_width(value: str, size: int) -> float:
    return size * sum(0.55 if ch.isupper() or ch.isdigit() or ord(ch) > 0x2E7F
                      else 0.48 if ch.isalpha() else 0.35 for ch in value)


def _zpl_fit(value: str, size: int, width: int, smallest: int) -> tuple[str, int]:
    """A field that fits ``width`` dots on ONE line: smaller type first, then cut. (^FB with
    one line prints an overlong text over itself.)"""
    value = _zpl_text(value)
    while size > smallest and _zpl_width(value, size) > width:
        size -= 2
    if _zpl_width(value, size) > width:
        while value and _zpl_width(value + "...", size) > width:
            value = value[:-1]
        value = value.rstrip() + "..."
    return value, size


def render_carton_label_zpl(data: LabelData, *, dpi: int = 203) -> bytes:
    """The same label as ZPL II, UTF-8 (^CI28), for a 203 dpi printer (812 x 1218 dots) or a
    300 dpi one (1200 x 1800): the layout is scaled, bar code modules stay whole dots.

    The SSCC symbol is ``^BC`` in Code 128 subset C with FNC1 first (``>;>8``), which is how
    ZPL writes GS1-128; the human-readable line is printed as its own field.

    Raises:
        ValidationError: a density other than 203 or 300 dpi.
    """
    d = Dots(dpi)
    out = ["^XA", "^CI28", f"^PW{d.inches(4)}", f"^LL{d.inches(6)}", "^LH0,0"]

    def text(x: int, y: int, size: int, value: str, *, width: int = 0, justify: str = "L",
             smallest: int = 0) -> None:
        x, y, size, width, smallest = d(x), d(y), d(size), d(width), d(smallest)
        if width:
            value, size = _zpl_fit(value, size, width, smallest or size)
        block = f"^FB{width},1,0,{justify},0" if width else ""
        out.append(f"^FO{x},{y}^A0N,{size},{size}{block}{_zpl_fd(_zpl_text(value))}^FS")

    text(30, 25, 22, "FROM")
    y = 52
    for line in data.ship_from[:5]:
        text(30, y, 24, line, width=480)
        y += 28
    text(520, 25, 24, "PACKAGE", width=272, justify="R")
    text(520, 60, 60, f"{data.package_number} of {data.package_count}", width=272, justify="R", smallest=36)
    text(520, 135, 22, "WEIGHT", width=120, justify="L")
    text(620, 130, 30, data.weight_text, width=172, justify="R", smallest=22)
    out.append(f"^FO{d(20)},{d(200)}^GB{d(772)},{d(3)},{d(3)}^FS")
    text(30, 215, 24, "SHIP TO")
    y = 250
    for i, line in enumerate(data.ship_to[:6]):
        size = 48 if i == 0 else 38
        text(40, y, size, line, width=740, smallest=26)
        y += size + 8
    out.append(f"^FO{d(20)},{d(590)}^GB{d(772)},{d(3)},{d(3)}^FS")
    text(30, 605, 24, "ORDER")
    # The order's Code 128, right-aligned in what is left of the row with a 10-module quiet
    # zone, 2-dot modules (1 for a very long number): it must never run off the label. ^BC
    # without invocation codes encodes in subset B: start + 11 modules a character + check
    # + stop (13).
    modules = 11 * (len(_zpl_text(data.order_number)) + 2) + 13
    by = d.module(0.25)  # 2 dots at 203 dpi, 3 at 300
    by = by if modules * by <= d(480) else by - 1
    bar_x = max(d(300), d(792) - modules * by)
    text_w = round((bar_x - d(50)) * 203 / dpi)  # text() takes 203 dpi layout dots
    text(30, 640, 44, data.order_number, width=text_w, smallest=24)
    out.append(f"^FO{bar_x},{d(610)}^BY{by}^BCN,{d(110)},N,N,N{_zpl_barcode_data(data.order_number)}^FS")
    carrier = " ".join(part for part in (data.carrier, data.service) if part)
    if carrier:
        text(30, 695, 28, carrier, width=text_w, smallest=20)
    if data.tracking:
        text(30, 730, 28, f"Tracking {data.tracking}", width=text_w, smallest=20)
    out.append(f"^FO{d(20)},{d(780)}^GB{d(772)},{d(3)},{d(3)}^FS")
    text(30, 795, 24, "SSCC")
    # GS1-128: subset C (>;), FNC1 (>8), then AI 00 and the 18 digits; 0.5 mm modules.
    out.append(f"^FO{d(95)},{d(850)}^BY{d.module(0.5)}^BCN,{d(260)},N,N,N^FD>;>8{data.element_string}^FS")
    text(30, 1130, 44, data.human_readable, width=752, justify="C")
    out.append("^PQ1")
    out.append("^XZ")
    return ("\n".join(out) + "\n").encode("utf-8")
