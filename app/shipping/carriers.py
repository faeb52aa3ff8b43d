"""Which carrier a tracking number belongs to, guessed from its pattern (the packer may change it)."""

from __future__ import annotations

import re

# Most specific first: a 20- or 22-digit USPS number starting 92-94 must not read as FedEx's
# 20-digit form, nor UPS's 1Z as anything else.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("UPS", re.compile(r"1Z[0-9A-Z]{16}")),
    ("USPS", re.compile(r"9[234]\d{18,20}")),
    ("DHL", re.compile(r"JJD\d{10,}|JVGL\d{10,}")),
    ("FedEx", re.compile(r"\d{12}|\d{15}|\d{20}")),
    ("DHL", re.compile(r"\d{10}")),
)


def guess_carrier(tracking: str) -> str:
    """'UPS', 'USPS', 'FedEx', 'DHL' from the tracking number's pattern; '' when none fits.

    UPS 1Z + 16; USPS 20-22 digits starting 92, 93 or 94; FedEx 12, 15 or 20 digits; DHL 10
    digits or JJD/JVGL + digits. Spaces and dashes people type are ignored.
    """
    code = re.sub(r"[\s-]", "", tracking or "").upper()
    for carrier, pattern in _PATTERNS:
        if pattern.fullmatch(code):
            return carrier
    return ""
