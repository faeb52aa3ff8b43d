"""Dots on a ZPL label at the printer's density: labels are laid out on the 203 dpi grid and
scaled to 300 dpi; bar code modules are whole dots of the width asked for."""

from __future__ import annotations

from app.kernel.errors import ValidationError

DPIS = (203, 300)
LAYOUT_DPI = 203  # the grid the label layouts are written on


def check_dpi(dpi: int) -> int:
    """``dpi`` if a label printer density we print for (203 or 300).

    Raises:
        ValidationError: any other density, in one line.
    """
    if isinstance(dpi, bool) or dpi not in DPIS:
        raise ValidationError(f"label printer density {dpi!r} dpi: use 203 or 300")
    return dpi


class Dots:
    """Lengths for one density: ``dots(v)`` is a length of ``v`` dots of the 203 dpi layout."""

    def __init__(self, dpi: int = LAYOUT_DPI) -> None:
        self.dpi = check_dpi(dpi)

    def __call__(self, value: float) -> int:
        return round(value * self.dpi / LAYOUT_DPI)

    def inches(self, value: float) -> int:
        """A length in inches, in dots (4" is 812 dots at 203 dpi, 1200 at 300)."""
        return round(value * self.dpi)

    def module(self, millimetres: float) -> int:
        """A bar code module of about ``millimetres``, in whole dots (at least one): 0.25 mm
        is 2 dots at 203 dpi and 3 at 300; 0.5 mm is 4 and 6."""
        return max(1, round(millimetres / 25.4 * self.dpi))
