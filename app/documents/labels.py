"""Unit and bin labels: Avery 5160 sheets, 2.25" x 1.25" thermal PDF, and the same label as ZPL.

Every label is the same four things: a Code128 of the code, the code in text, the product
title truncated to fit, and the condition ("New"); a unit with an expiry date has it in
large type under the bars as the marketplaces read it ("EXP MM-DD-YYYY"), and its lot
when asked for. Plain data (``Label``) in, bytes out;
the receiving desk's ``app.receiving.labels`` reads what each label carries.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch, mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.documents.barcode_draw import (
    code128_modules,
    draw_modules,
    fit_module_width,
    symbol_width,
)
from app.documents.label_data import FORMATS, MAX_LABELS, Label, Progress
from app.documents.text import font_for
from app.documents.zpl_dots import Dots
from app.kernel.errors import ValidationError

__all__ = ["FORMATS", "MAX_LABELS", "Label", "Progress", "render", "render_sheet", "render_thermal", "render_zpl"]

# Avery 5160 / 8160: 30 labels of 1" x 2-5/8" on US letter.
SHEET_COLS, SHEET_ROWS = 3, 10
SHEET_LABEL_W, SHEET_LABEL_H = 2.625 * inch, 1.0 * inch
SHEET_TOP, SHEET_SIDE, SHEET_GAP = 0.5 * inch, 0.1875 * inch, 0.125 * inch

THERMAL_W, THERMAL_H = 2.25 * inch, 1.25 * inch
ZPL_DPI = 203
THERMAL_DOT = inch / ZPL_DPI  # the thermal PDF's bars sit on the 203 dpi dot grid

FONT, FONT_BOLD = "Helvetica", "Helvetica-Bold"

PROGRESS_EVERY = 25


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
        progress(done, total)


def sheet_cell(index: int) -> tuple[float, float, float, float]:
    """(x, y, width, height) in points, y from the bottom, of label ``index`` (0..29) on a sheet."""
    col, row = index % SHEET_COLS, (index // SHEET_COLS) % SHEET_ROWS
    x = SHEET_SIDE + col * (SHEET_LABEL_W + SHEET_GAP)
    y = letter[1] - SHEET_TOP - (row + 1) * SHEET_LABEL_H
    return x, y, SHEET_LABEL_W, SHEET_LABEL_H


def fit_text(text: str, width: float, font: str = FONT, size: float = 7) -> str:
    """``text`` cut (with an ellipsis) so it fits ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    ell = "…"
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid].rstrip() + ell, font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ell


def _check(labels: list[Label]) -> None:
    if not labels:
        raise ValidationError("no labels to print")
    if len(labels) > MAX_LABELS:
        raise ValidationError(f"{len(labels)} labels is more than {MAX_LABELS} at once")
    for lab in labels:
        if not lab.code or any(ord(ch) > 126 or ord(ch) < 32 for ch in lab.code):
            raise ValidationError(f"code {lab.code!r} cannot go in a Code128 label (plain ASCII only)")


def _unicode_font(text: str, font: str) -> str:
    """``font``, or the Unicode TrueType stand-in when ``text`` is not Latin-1 (titles in
    Polish, Cyrillic...: Helvetica would print boxes)."""
    return font_for(text, font)


def _bars(c: Canvas, lab: Label, x: float, w: float, bottom: float, top: float,
          dot: float | None = None) -> None:
    """The symbol, centred, quiet zones included. With ``dot`` (a thermal printer's dot
    pitch) modules are whole dots — 2 (0.25 mm), else 1 — on the dot grid: a module of
    1.66 dots prints as bars of 1 and 2 dots alternately and does not scan."""
    modules = code128_modules(lab.code)
    if dot is None:
        mw = fit_module_width(modules, w)
    else:
        mw = 2 * dot if symbol_width(modules, 2 * dot) <= w else dot
    if symbol_width(modules, mw) > w + 0.01:
        raise ValidationError(f"code {lab.code!r} is too long for a {w / inch:.2f}\" wide label "
                              "to scan reliably")
    offset = max((w - symbol_width(modules, mw)) / 2, 0)
    if dot is not None:
        offset = round(offset / dot) * dot
    draw_modules(c, modules, x + offset, bottom, module_width=mw, height=top - bottom)


def _draw_label(c: Canvas, lab: Label, x: float, y: float, w: float, h: float, *, pad: float,
                title_size: float, code_size: float, dot: float | None = None) -> None:
    """One label in the box (x, y, w, h): title on top, bars, then code and condition."""
    if lab.kind == "bin":
        _draw_bin_label(c, lab, x, y, w, h, pad=pad, small=code_size, dot=dot)
        return
    inner = w - 2 * pad
    top = y + h - pad
    title_font = _unicode_font(lab.title, FONT)
    c.setFont(title_font, title_size)
    c.drawString(x + pad, top - title_size, fit_text(lab.title, inner, title_font, title_size))
    bottom_line = y + pad
    bars_bottom = bottom_line + code_size + 2.5
    if lab.expiry_line:
        # The expiry in large type; the lot, when asked for, smaller at the right.
        exp_size = code_size + 3
        lot_w = 0.0
        if lab.lot:
            lot_text = fit_text(f"LOT {lab.lot}", inner / 2, _unicode_font(lab.lot, FONT), code_size)
            c.setFont(_unicode_font(lab.lot, FONT), code_size)
            c.drawRightString(x + w - pad, bars_bottom, lot_text)
            lot_w = stringWidth(lot_text, _unicode_font(lab.lot, FONT), code_size) + 4
        if lab.expiry:
            c.setFont(FONT_BOLD, exp_size)
            c.drawString(x + pad, bars_bottom, fit_text(f"EXP {lab.expiry:%m-%d-%Y}", inner - lot_w,
                                                        FONT_BOLD, exp_size))
        bars_bottom += exp_size + 2
    _bars(c, lab, x, w, bars_bottom, top - title_size - 3.5, dot)
    cond_w = stringWidth(lab.condition, FONT_BOLD, code_size) if lab.condition else 0
    c.setFont(FONT, code_size)
    c.drawString(x + pad, bottom_line, fit_text(lab.code, inner - cond_w - 4, FONT, code_size))
    if lab.condition:
        c.setFont(FONT_BOLD, code_size)
        c.drawRightString(x + w - pad, bottom_line, lab.condition)


def _draw_bin_label(c: Canvas, lab: Label, x: float, y: float, w: float, h: float, *, pad: float,
                    small: float, dot: float | None = None) -> None:
    """A bin label: the bin code in big bold type on top (read from the aisle), the bars
    under it, the zone in small type at the bottom."""
    inner = w - 2 * pad
    size = min(h * 0.3, 26.0)
    while size > 8 and stringWidth(lab.code, FONT_BOLD, size) > inner:
        size -= 0.5
    top = y + h - pad
    c.setFont(FONT_BOLD, size)
    c.drawCentredString(x + w / 2, top - size * 0.78, lab.code)
    bottom = y + pad
    if lab.title:
        c.setFont(_unicode_font(lab.title, FONT), small)
        c.drawCentredString(x + w / 2, bottom, fit_text(lab.title, inner, _unicode_font(lab.title, FONT), small))
        bottom += small + 2.5
    _bars(c, lab, x, w, bottom, top - size * 0.78 - 5, dot)


def render_sheet(labels: list[Label], *, progress: Progress | None = None) -> bytes:
    """Avery 5160 letter sheets, 30 labels a page, filled row by row."""
    _check(labels)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=letter, pageCompression=1)
    c.setTitle("Labels (Avery 5160)")
    for i, lab in enumerate(labels):
        if i and i % (SHEET_COLS * SHEET_ROWS) == 0:
            c.showPage()
        x, y, w, h = sheet_cell(i)
        # Avery's die cut wanders ~1/16": keep a margin inside the cell.
        _draw_label(c, lab, x + 0.06 * inch, y, w - 0.12 * inch, h, pad=0.06 * inch,
                    title_size=7, code_size=8)
        _report(progress, i + 1, len(labels))
    c.showPage()
    c.save()
    return buf.getvalue()


def render_thermal(labels: list[Label], *, progress: Progress | None = None) -> bytes:
    """2.25" x 1.25" thermal labels, one per page."""
    _check(labels)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(THERMAL_W, THERMAL_H), pageCompression=1)
    c.setTitle('Labels (2.25" x 1.25")')
    for i, lab in enumerate(labels):
        _draw_label(c, lab, 0, 0, THERMAL_W, THERMAL_H, pad=2 * mm, title_size=8, code_size=9,
                    dot=THERMAL_DOT)
        c.showPage()
        _report(progress, i + 1, len(labels))
    c.save()
    return buf.getvalue()


def _zpl_field(text: str) -> str:
    """Field data with ZPL's control characters hex-escaped (used with ^FH)."""
    out = []
    for ch in text:
        if ch in "^~\\" or ord(ch) < 32:
            out.append("\\" + format(ord(ch), "02X"))
        else:
            out.append(ch)
    return "".join(out)


def render_zpl(labels: list[Label], *, progress: Progress | None = None, dpi: int = ZPL_DPI) -> bytes:
    """The thermal label as ZPL II for 203 or 300 dpi printers (the layout scaled, modules
    whole dots); identical labels in a row print with ^PQ.

    Raises:
        ValidationError: no labels, a code that cannot be printed, or another density.
    """
    _check(labels)
    d = Dots(dpi)
    width, height = d.inches(2.25), d.inches(1.25)  # 457 x 254 dots at 203 dpi, 675 x 375 at 300
    groups: list[tuple[Label, int]] = []
    for lab in labels:
        if groups and groups[-1][0] == lab:
            groups[-1] = (lab, groups[-1][1] + 1)
        else:
            groups.append((lab, 1))
    parts = []
    for lab, copies in groups:
        if ">" in lab.code:
            # ^BC reads ">" as the start of a subset-switch code: the bars would not say it.
            raise ValidationError(f"code {lab.code!r}: '>' cannot be printed in a ZPL Code128; "
                                  "use the PDF formats")
        modules = len(code128_modules(lab.code)) + 20
        module = d.module(0.25)  # 0.25 mm (2 dots at 203 dpi) prints crisply
        module = module if modules * module <= width - d(20) else module - 1
        if modules * module > width:
            raise ValidationError(f"code {lab.code!r} is too long for a 2.25\" label")
        left = max((width - modules * module) // 2, 0) + 10 * module
        # ^A0 at 24 dots is narrower than Helvetica-Bold at "24 points": measured that way the
        # title always fits the 427 dots between the margins.
        title = fit_text(lab.title, width - d(30), FONT_BOLD, d(24))
        code = _zpl_field(lab.code)
        cond_x = width - d(15 + 16 * len(lab.condition))
        if lab.kind == "bin":
            big = 64
            while big > 24 and stringWidth(lab.code, FONT_BOLD, big) > 427:
                big -= 4
            body = (f"^FO0,{d(10)}^FB{width},1,0,C^A0N,{d(big)},{d(big)}^FH\\^FD{code}^FS\n"
                    f"^FO{left},{d(20 + big)}^BY{module}^BCN,{d(200 - big - 20)},N,N,N,A^FH\\^FD{code}^FS\n"
                    f"^FO0,{d(215)}^FB{width},1,0,C^A0N,{d(26)},{d(26)}^FH\\^FD{_zpl_field(title)}^FS\n")
        elif lab.expiry_line:
            body = (f"^FO{d(15)},{d(12)}^A0N,{d(24)},{d(24)}^FH\\^FD{_zpl_field(title)}^FS\n"
                    f"^FO{left},{d(44)}^BY{module}^BCN,{d(95)},N,N,N,A^FH\\^FD{code}^FS\n"
                    f"^FO{d(15)},{d(148)}^A0N,{d(38)},{d(38)}^FH\\^FD{_zpl_field(lab.expiry_line)}^FS\n"
                    f"^FO{d(15)},{d(200)}^A0N,{d(30)},{d(30)}^FH\\^FD{code}^FS\n"
                    f"^FO{cond_x},{d(200)}^A0N,{d(30)},{d(30)}^FH\\^FD{_zpl_field(lab.condition)}^FS\n")
        else:
            body = (f"^FO{d(15)},{d(12)}^A0N,{d(24)},{d(24)}^FH\\^FD{_zpl_field(title)}^FS\n"
                    f"^FO{left},{d(44)}^BY{module}^BCN,{d(130)},N,N,N,A^FH\\^FD{code}^FS\n"
                    f"^FO{d(15)},{d(190)}^A0N,{d(30)},{d(30)}^FH\\^FD{code}^FS\n"
                    f"^FO{cond_x},{d(190)}^A0N,{d(30)},{d(30)}^FH\\^FD{_zpl_field(lab.condition)}^FS\n")
        parts.append(f"^XA^CI28^PW{width}^LL{height}^LH0,0\n{body}^PQ{copies}\n^XZ")
    _report(progress, len(labels), len(labels))
    return ("\n".join(parts) + "\n").encode("utf-8").rstrip(b"\n")


def render(labels: list[Label], fmt: str, *, progress: Progress | None = None, dpi: int = ZPL_DPI) -> bytes:
    """The labels in ``fmt`` (sheet, thermal or zpl; ZPL for a ``dpi`` printer);
    ``progress(done, total)`` is called every few labels (the desk runs this on a worker
    thread with a progress bar)."""
    if fmt == "sheet":
        return render_sheet(labels, progress=progress)
    if fmt == "thermal":
        return render_thermal(labels, progress=progress)
    if fmt == "zpl":
        return render_zpl(labels, progress=progress, dpi=dpi)
    raise ValidationError(f"label format {fmt!r}: use one of {', '.join(FORMATS)}")
