"""GS1 element strings from scanners: GTIN, lot, expiry, serial, SSCC and count in one code.

The parsing itself is biip's (it knows every application identifier, its length and its
date rules); this module only decides when a scan is a GS1 string and keeps what the
warehouse uses.

biip is imported by the first GS1 code parsed, not with this module: its GS1 prefix table
takes 40-100 ms to load, and every station's first screen imports scan resolution. A station
calls :func:`load_parser` a moment after its window shows, so the first GS1 scan does not
wait for it either.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.kernel.barcodes import GS, gs1_check_digit
from app.kernel.errors import ValidationError

if TYPE_CHECKING:
    from biip.gs1_messages import GS1Message

# AIM symbology identifiers that announce GS1 data: GS1-128, GS1 DataBar, GS1 DataMatrix,
# GS1 QR Code, GS1 Composite.
GS1_AIMS = ("]C1", "]e0", "]d2", "]Q3", "]J1")
# Scanners that cannot type ASCII 29 are set up to send FNC1 as one of these spellings.
FNC1_SPELLINGS = (GS, "<GS>", "{GS}", "^]")
# The human-readable line printed under a GS1 barcode, each AI in brackets:
# "(01)09506000134352(17)270101(10)LOT7" - typed from the label, pasted from a client's
# sheet, or sent by a scanner set to transmit it that way.
_HRI = re.compile(r"\(\d{2,4}\)")
_MAX_LEN = 200


@dataclass(frozen=True)
class GS1Scan:
    """What a GS1 code says: the trade item (GTIN-14) or logistic unit (SSCC), and its lot,
    expiry date, serial number and count of contained units, when present."""

    gtin: str = ""
    sscc: str = ""
    lot: str = ""
    expiry: dt.date | None = None
    serial: str = ""
    count: int | None = None


def looks_gs1(code: str) -> bool:
    """True when a cleaned scan is a GS1 element string rather than a plain barcode: it
    carries a GS1 symbology identifier or an FNC1 separator, it is written as the label's
    human-readable line ("(01)...(10)..."), or it is AI 01/02 followed by fourteen digits and
    more (a bare GTIN-14 is a plain barcode)."""
    if code.startswith(GS1_AIMS) or _HRI.match(code):
        return True
    if code[:2].isdigit() and any(sep in code for sep in FNC1_SPELLINGS):
        return True
    return code[:2] in ("01", "02") and len(code) >= 16 and code[2:16].isdigit()


def load_parser() -> type[GS1Message]:
    """biip's GS1 message parser, imported on first use (see the module's docstring)."""
    # deferred: LAZY_IMPORTS in tests/test_layers.py
    from biip import gs1_messages

    return gs1_messages.GS1Message


def parse_error() -> type[Exception]:
    """The exception biip raises for an unreadable element string (imported with the parser)."""
    # deferred with the parser: LAZY_IMPORTS in tests/test_layers.py
    from biip import ParseError

    return ParseError


def _shown(code: str) -> str:
    return code.replace(GS, "<GS>").replace("\\x1d", "<GS>")


def _reason(exc: Exception) -> str:
    """biip's complaint as a person reads it: separators shown as <GS>, without the regular
    expression an AI's value failed to match."""
    text = str(exc).splitlines()[0] if str(exc) else "unreadable"
    return _shown(re.sub(r" pattern '.*'\.?$", "", text))


def parse_gs1(code: str) -> GS1Scan:
    """The GS1 data of ``code`` (with or without its AIM identifier, or as the label's
    human-readable line with each AI in brackets).

    Raises:
        ValidationError: the text is not a readable GS1 element string, or names neither a
            GTIN nor an SSCC, or its GTIN's check digit is wrong.
    """
    text = code.strip()
    if len(text) > _MAX_LEN:
        raise ValidationError(f"GS1 code too long ({len(text)} characters)")
    for aim in GS1_AIMS:
        if text.startswith(aim):
            text = text[len(aim):]
            break
    for spelling in FNC1_SPELLINGS[1:]:
        text = text.replace(spelling, GS)
    # A scanner may send FNC1 first as well (GS1-128's start): it separates nothing.
    text = text.lstrip(GS)
    parser = load_parser()
    try:
        message = parser.parse_hri(text) if _HRI.match(text) else parser.parse(text)
    except parse_error() as exc:
        raise ValidationError(f"malformed GS1 code {_shown(code)!r}: {_reason(exc)}") from None
    found: dict[str, str] = {}
    expiry: dt.date | None = None
    for element in message.element_strings:
        ai = element.ai.ai
        found.setdefault(ai, element.value)
        if ai == "17" and expiry is None:
            expiry = element.date
    gtin = found.get("01") or found.get("02") or ""
    sscc = found.get("00", "")
    if not gtin and not sscc:
        raise ValidationError(f"GS1 code {_shown(code)!r} names no product (no AI 01, 02 or 00)")
    if gtin and gs1_check_digit(gtin[:-1]) != int(gtin[-1]):
        raise ValidationError(f"GS1 code {_shown(code)!r}: GTIN {gtin} has a wrong check digit")
    count = int(found["37"]) if "37" in found else None
    if count == 0:
        raise ValidationError(f"GS1 code {_shown(code)!r} says it holds no units (AI 37 is 0)")
    return GS1Scan(gtin=gtin, sscc=sscc, lot=found.get("10", ""), expiry=expiry,
                   serial=found.get("21", ""), count=count)

