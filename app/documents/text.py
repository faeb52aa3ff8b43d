"""Text on documents: which font shows a text, its width, drawing, wrapping and fitting.

Latin-1 text stays in the PDF standard Helvetica (fast, nothing embedded); other scripts use
the fonts shipped in ``resources/fonts``, embedded as subsets, so a slip prints the same
text on every machine and the text stays extractable.
"""

from __future__ import annotations

import functools

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from resources import resource_path

# The fonts travel with the program (resources/fonts), so every machine prints the same text:
# DejaVu Sans for Latin, Greek and Cyrillic (Polish, Czech, Russian, Greek customers), and
# Droid Sans Fallback for Chinese, Japanese and Korean. System fonts are never consulted.
UNICODE_FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
CJK_FONT_FILE = "DroidSansFallbackFull.ttf"


@functools.cache
def _unicode_fonts() -> tuple[str, str]:
    """The Unicode regular/bold pair, registered on first use."""
    regular, bold = (resource_path("fonts", name) for name in UNICODE_FONT_FILES)
    pdfmetrics.registerFont(TTFont("PrepDeskSans", str(regular)))
    pdfmetrics.registerFont(TTFont("PrepDeskSans-Bold", str(bold)))
    return ("PrepDeskSans", "PrepDeskSans-Bold")


def _covers(font_name: str, text: str) -> bool:
    glyphs = pdfmetrics.getFont(font_name).face.charToGlyph
    return all(ord(ch) in glyphs for ch in text if not ch.isspace())


@functools.cache
def _cjk_truetype() -> str:
    """The CJK TrueType font, registered on first use."""
    pdfmetrics.registerFont(TTFont("PrepDeskCJK", str(resource_path("fonts", CJK_FONT_FILE))))
    return "PrepDeskCJK"


def _cjk_font(text: str) -> str | None:
    """The CJK font if it has the text's ideographs / kana / hangul."""
    cjk = _cjk_truetype()
    return cjk if _covers(cjk, text) else None


def font_for(text: str, font: str) -> str:
    """``font`` (a standard Helvetica) if it can show ``text``, else the Unicode TrueType
    equivalent (DejaVu: Latin, Greek, Cyrillic...), else a CJK font: the standard fonts are
    fast and tiny, but only cover Latin-1."""
    try:
        text.encode("cp1252")
        return font
    except UnicodeEncodeError:
        regular, bold = _unicode_fonts()
        chosen = bold if "Bold" in font else regular
        if _covers(chosen, text):
            return chosen
        return _cjk_font(text) or chosen


def font_runs(text: str, font: str) -> list[tuple[str, str]]:
    """``text`` cut into runs that one font each can show: Helvetica for Latin-1, DejaVu for
    Latin/Greek/Cyrillic, the CJK font for ideographs ("東京都千代田区1-1" mixes them; a CJK
    TrueType font often has no Latin letters at all)."""
    try:
        text.encode("cp1252")
        return [(text, font)]
    except UnicodeEncodeError:
        pass
    regular, bold = _unicode_fonts()
    uni = bold if "Bold" in font else regular
    if _covers(uni, text):
        return [(text, uni)]
    runs: list[tuple[str, str]] = []
    for ch in text:
        try:
            ch.encode("cp1252")
            chosen = font
        except UnicodeEncodeError:
            chosen = uni if _covers(uni, ch) else (_cjk_font(ch) or uni)
        if runs and runs[-1][1] == chosen:
            runs[-1] = (runs[-1][0] + ch, chosen)
        else:
            runs.append((ch, chosen))
    return runs


def text_width(text: str, font: str, size: float) -> float:
    width: float = sum(stringWidth(part, f, size) for part, f in font_runs(text, font))
    return width


def draw(c: Canvas, how: str, x: float, y: float, text: str, font: str, size: float) -> None:
    """Draw ``text`` (``how``: left, right or centre) in ``font`` or, run by run, the fonts
    that have its characters."""
    runs = font_runs(text, font)
    if len(runs) == 1:  # the common case: one font, ReportLab places it
        c.setFont(runs[0][1], size)
        if how == "right":
            c.drawRightString(x, y, text)
        elif how == "centre":
            c.drawCentredString(x, y, text)
        else:
            c.drawString(x, y, text)
        return
    if how in ("right", "centre"):
        width = sum(stringWidth(part, f, size) for part, f in runs)
        x -= width if how == "right" else width / 2
    for part, f in runs:
        c.setFont(f, size)
        c.drawString(x, y, part)
        x += stringWidth(part, f, size)


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width``: broken at spaces, and inside a word that is
    longer than a line (Chinese and Japanese have no spaces; a 40-character SKU neither)."""
    runs = font_runs(text, font)
    # No glyph of these fonts is wider than the type size: words that short cannot overflow.
    if len(runs) == 1 and max(map(len, text.split()), default=0) * size <= width:
        return simpleSplit(text, runs[0][1], size, width) or [""]  # ReportLab's, 3x faster
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, font, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
            line = ""
        while text_width(word, font, size) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut], font, size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line or not lines:
        lines.append(line)
    return lines


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """The text cut (with an ellipsis) to fit ``width`` in ``font`` (or its Unicode stand-ins)."""
    if text_width(text, font, size) <= width:
        return text
    while text and text_width(text + "...", font, size) > width:
        text = text[:-1]
    return text + "..."
