"""Barcodes on ReportLab pages: python-barcode encodes the symbol, we draw its bars as vectors.

Drawing the module pattern ourselves keeps pages small and fast (no raster images), and
lets us choose module widths that print crisply (0.25 mm = 2 dots at 203 dpi:
thermal printers print whole dots, and python-barcode's default 0.2 mm is 1.6 of them).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from barcode import EAN13, Code128, Gs1_128
from reportlab.lib.units import mm

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

QUIET_MODULES = 10  # quiet zone each side, in modules


@lru_cache(maxsize=4096)
def code128_modules(text: str) -> str:
    """The bar/space pattern of a Code128 symbol ('1' = bar module)."""
    modules: str = Code128(text).build()[0]  # python-barcode has no type hints
    return modules


@lru_cache(maxsize=1024)
def gs1_128_modules(element_string: str) -> str:
    """GS1-128: Code128 with a leading FNC1; ``element_string`` like '00' + SSCC-18.

    A variable-length AI followed by another needs an FNC1 separator: pass it as '\\xf1'.
    """
    modules: str = Gs1_128(element_string).build()[0]  # python-barcode has no type hints
    return modules


@lru_cache(maxsize=1024)
def ean13_modules(digits: str) -> str:
    modules: str = EAN13(digits).build()[0]  # python-barcode has no type hints
    return modules


def symbol_width(modules: str, module_width: float, *, quiet: bool = True) -> float:
    return (len(modules) + (2 * QUIET_MODULES if quiet else 0)) * module_width


def fit_module_width(modules: str, max_width: float, *, preferred: float = 0.25 * mm,
                     minimum: float = 0.19 * mm) -> float:
    """The widest module (up to ``preferred``) whose symbol with quiet zones fits ``max_width``."""
    width = max_width / (len(modules) + 2 * QUIET_MODULES)
    return max(min(preferred, width), minimum)


def draw_modules(canvas: Canvas, modules: str, x: float, y: float, *, module_width: float, height: float,
                 quiet: bool = True) -> float:
    """Draw the bars with their left quiet zone starting at ``x``; returns the symbol's width."""
    start = x + (QUIET_MODULES * module_width if quiet else 0)
    path = canvas.beginPath()
    i, n = 0, len(modules)
    while i < n:
        if modules[i] == "1":
            j = i
            while j < n and modules[j] == "1":
                j += 1
            path.rect(start + i * module_width, y, (j - i) * module_width, height)
            i = j
        else:
            i += 1
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
    return symbol_width(modules, module_width, quiet=quiet)


def draw_code128(canvas: Canvas, text: str, x: float, y: float, *, max_width: float, height: float,
                 preferred_module: float = 0.25 * mm) -> float:
    """A Code128 symbol of ``text`` fitted into ``max_width``; returns the width used."""
    modules = code128_modules(text)
    mw = fit_module_width(modules, max_width, preferred=preferred_module)
    return draw_modules(canvas, modules, x, y, module_width=mw, height=height)
