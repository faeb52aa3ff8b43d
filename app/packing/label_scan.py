"""What a shipping label's barcode says when it is scanned: the carrier's tracking number on a
carrier label, or the SSCC of one of our own carton labels, in every form a scanner or a
person gives them.

A USPS label (IMpb) and others carry the tracking number in a GS1-128 barcode after the
ship-to postal code: AI 420 (the postal code) or 421 (country and postal code), FNC1, then
the carrier's number. Scanners set up without FNC1 send it run together: 420, the 5- or
9-digit ZIP, then the 20- or 22-digit USPS number. Our carton label is GS1-128 of AI 00 and
the SSCC-18, printed below it as "(00) 006141410000000531".
"""

from __future__ import annotations

import re

from app.kernel.barcodes import GS, clean_scan
from app.kernel.errors import ValidationError
from app.kernel.gs1 import FNC1_SPELLINGS

# The ship-to part of a carrier label's element string, up to the FNC1 that ends it.
_SHIP_TO = re.compile(r"420[0-9A-Za-z]{1,20}|421\d{3}[0-9A-Za-z]{1,9}")
# Run together: 420, a 5- or 9-digit ZIP, the USPS number (20 or 22 digits, starting with 9).
_ZIP_AND_NUMBER = re.compile(r"420(?:\d{5}|\d{9})(9\d{19}(?:\d{2})?)")
_NUMBER = re.compile(r"[0-9A-Za-z]{6,40}")


def _separated(code: str) -> str:
    """The code with its symbology identifier off and every FNC1 spelling as GS."""
    text = code.strip()
    for spelling in FNC1_SPELLINGS[1:]:
        text = text.replace(spelling, GS)
    return clean_scan(text).strip(GS)


def carrier_tracking(code: str) -> str | None:
    """The carrier's tracking number in a carrier label's ship-to barcode (AI 420 or 421 and
    the postal code taken off); None when ``code`` is no such barcode.

    ``42090210<GS>9400111899223817262183`` and ``420902109400111899223817262183`` both give
    ``9400111899223817262183``.
    """
    try:
        text = _separated(code)
    except ValidationError:  # not text: no label of any kind
        return None
    if not text.startswith(("420", "421")):
        return None
    if GS in text:
        ship_to, _, rest = text.partition(GS)
        number = rest.split(GS, 1)[0]
        if _SHIP_TO.fullmatch(ship_to) and _NUMBER.fullmatch(number):
            return number.upper()
        return None
    # 28 or 30 digits are a 5-digit ZIP and 20 or 22 digits, 32 or 34 a 9-digit one: one
    # split at most fits.
    match = _ZIP_AND_NUMBER.fullmatch(text)
    return match.group(1) if match else None


def label_sscc(code: str) -> str | None:
    """The SSCC-18 that ``code`` names in any form of our carton label: its barcode with or
    without the scanner's symbology identifier (``]C1`` + 00 + 18 digits), the printed line
    ``(00) 0061...`` with or without spaces, 00 + 18 digits, or the 18 digits; else None."""
    try:
        text = _separated(code)
    except ValidationError:
        return None
    text = "".join(text.replace(GS, " ").split())
    if text.startswith("(00)"):
        text = text[4:]
    elif len(text) == 20 and text.startswith("00"):
        text = text[2:]
    return text if len(text) == 18 and text.isascii() and text.isdigit() else None
