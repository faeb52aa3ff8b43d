"""Barcode text: cleaning scanner input, GS1 check digits, GTIN normalisation, SSCC-18."""

from __future__ import annotations

import re

from app.kernel.errors import ValidationError
from app.kernel.text import INVISIBLE, is_surrogate_escaped, printable

# AIM symbology identifiers a scanner may prepend: ]C1 GS1-128, ]C0 Code128, ]E0 EAN/UPC, ...
_AIM = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
# Control characters and invisible marks a scanner or a pasted code may carry: dropped, all
# but GS, which separates a GS1 code's variable-length fields.
_CONTROL = re.compile(f"[\x00-\x1c\x1e\x1f\x7f-\x9f{INVISIBLE}]")
GS = "\x1d"  # FNC1 in GS1-128 arrives as ASCII 29


def clean_scan(raw: str, *, prefix: str = "", suffix: str = "") -> str:
    """What a keyboard-wedge scan means: prefix/suffix, AIM identifier and control chars
    removed; a GS inside the code stays (it ends a GS1 lot or serial), one at either end goes."""
    text = raw
    if prefix and text.startswith(prefix):
        text = text[len(prefix) :]
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)]
    text = text.strip()
    text = _AIM.sub("", text, count=1)
    if is_surrogate_escaped(text):
        raise ValidationError(f"the scan '{printable(text)}' is not text (bytes that are not UTF-8)")
    text = _CONTROL.sub("", text)
    return text.strip()


def gs1_check_digit(digits: str) -> int:
    """GS1 mod-10 check digit of ``digits`` (the body, without the check digit)."""
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"not digits: {digits!r}")
    # Weights 3, 1, 3, ... from the rightmost digit of the body (runs on every scan).
    weighted = 3 * sum(map(int, digits[-1::-2])) + sum(map(int, digits[-2::-2]))
    return (10 - weighted % 10) % 10


def is_valid_gtin(code: str) -> bool:
    return (
        len(code) in (8, 12, 13, 14)
        and code.isascii()
        and code.isdigit()
        and gs1_check_digit(code[:-1]) == ord(code[-1]) - 48
    )


def normalize_code(code: str) -> str:
    """The form a code is stored and matched in: GTINs (UPC-A, EAN-13, EAN-8, GTIN-14) as
    zero-padded GTIN-14, so a UPC-A scanned as EAN-13 still matches; other codes upper-cased."""
    code = code.strip()
    if is_valid_gtin(code):
        return code.zfill(14)
    return code.upper()


def gtin_kind(code: str) -> str:
    if not is_valid_gtin(code):
        return "alias"
    return {8: "ean8", 12: "upc", 13: "ean", 14: "gtin"}[len(code)]


def display_gtin(stored: str) -> str:
    """A stored GTIN-14 shown as the shortest of UPC-A/EAN-13 it stands for."""
    if len(stored) == 14 and stored.isdigit():
        if stored.startswith("00"):
            return stored[2:]
        if stored.startswith("0"):
            return stored[1:]
    return stored


def make_sscc(extension: int, company_prefix: str, serial: int) -> str:
    """SSCC-18: extension digit + GS1 company prefix + serial reference + check digit."""
    if not company_prefix.isdigit() or not 6 <= len(company_prefix) <= 12:
        raise ValueError("GS1 company prefix must be 6 to 12 digits")
    width = 16 - len(company_prefix)
    if serial < 0 or serial >= 10**width:
        raise ValueError(f"serial {serial} does not fit in {width} digits")
    body = f"{extension % 10}{company_prefix}{serial:0{width}d}"
    return body + str(gs1_check_digit(body))
