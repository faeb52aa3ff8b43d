"""The one place that says which numbers and characters PrepDesk accepts from outside.

Scans, CSV cells, dialog fields and command-line arguments all pass through here before
they reach a service or the database, so a value too big for its column or a character
that would hide in a SKU is refused with one line instead of failing deep inside (an
``OverflowError`` on SQLite, ``integer out of range`` on PostgreSQL, an unprintable SKU
nobody can type again).
"""

from __future__ import annotations

import re

from app.kernel.errors import ValidationError

# Quantities, sequences and counts are stored in 32-bit signed integer columns.
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1

# Characters never accepted in any text: C0 controls but tab/newline/carriage return, DEL,
# C1 controls, zero-width and direction-changing marks (invisible in a SKU or a name, so
# two "equal" codes would differ), and lone surrogates (bytes that were not UTF-8: a
# command-line argument decoded with surrogateescape, say).
INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_BAD_IN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{INVISIBLE}\ud800-\udfff]")
# In one-line values (codes, SKUs, names) tab and line breaks are refused as well.
_BAD_IN_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{INVISIBLE}\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# In a scan typed on a command line: what no scanner sends (the separators it does send, a
# GS1 group separator or a line break, are removed by the scan cleaning instead).
_BAD_IN_SCAN = re.compile(f"[\x00\x07\x1b\x7f{INVISIBLE}\ud800-\udfff]")


def counted(count: int, word: str) -> str:
    """``count`` and ``word``, plural when it is not one: "1 order", "2 orders", "1,204 units"."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def agreeing(count: int, one: str, many: str) -> str:
    """The word that agrees with ``count``: ``one`` for one ("waits", "was"), else ``many``."""
    return one if count == 1 else many


def _describe(char: str) -> str:
    if "\ud800" <= char <= "\udfff":
        return "bytes that are not UTF-8 text"
    names = {"\x00": "a NUL byte", "\x1b": "an ESC character", "\x07": "a BEL character",
             "\t": "a tab", "\n": "a line break", "\r": "a line break", "\ufeff": "a byte-order mark"}
    if char in names:
        return names[char]
    if ord(char) >= 0x200B:
        return f"an invisible character (U+{ord(char):04X})"
    return f"a control character (U+{ord(char):04X})"


def bad_character(value: str, *, multiline: bool = False) -> str | None:
    """What is wrong with ``value``'s characters, in words, or None when they are all fine."""
    found = (_BAD_IN_TEXT if multiline else _BAD_IN_LINE).search(value)
    return None if found is None else _describe(found.group())


def first_bad_character(text: str) -> int | None:
    """Where the first character refused even in multi-line text is, or None."""
    found = _BAD_IN_TEXT.search(text)
    return None if found is None else found.start()


def check_text(value: str, what: str, *, multiline: bool = False) -> str:
    """``value`` unchanged, or ValidationError naming ``what`` and the bad character.

    ``multiline`` allows tab and line breaks (notes, packing instructions); codes, SKUs and
    names are one line.
    """
    problem = bad_character(value, multiline=multiline)
    if problem is not None:
        raise ValidationError(f"{what} contains {problem}: {printable(value)}")
    return value


def check_length(value: str, what: str, limit: int) -> str:
    """``value`` unchanged when it has at most ``limit`` characters (its column's size), else
    ValidationError naming ``what`` and the limit: PostgreSQL would refuse it, and SQLite
    would keep it past the size a later copy onto PostgreSQL needs."""
    if len(value) > limit:
        raise ValidationError(f"{what} is too long: at most {limit} characters, not {len(value)}")
    return value


def check_scan(value: str, what: str = "the scan") -> str:
    """``value`` unchanged unless it holds a NUL, BEL, ESC or DEL, an invisible character or
    bytes that are not UTF-8 (ValidationError): what no barcode scanner types."""
    found = _BAD_IN_SCAN.search(value)
    if found is not None:
        raise ValidationError(f"{what} contains {_describe(found.group())}: {printable(value)}")
    return value


def check_int(value: int, what: str, *, minimum: int = INT_MIN, maximum: int = INT_MAX) -> int:
    """``value`` unchanged when it lies within ``minimum``..``maximum`` (by default what a
    quantity column holds), else ValidationError."""
    if not minimum <= value <= maximum:
        shown = str(value) if len(str(value)) <= 24 else f"a {len(str(abs(value)))}-digit number"
        raise ValidationError(f"{what} {shown} is out of range ({minimum:,} to {maximum:,})")
    return value


def is_surrogate_escaped(value: str) -> bool:
    """True when ``value`` holds bytes that were not valid UTF-8 (surrogate-escaped)."""
    return _SURROGATE.search(value) is not None


def printable(value: str, limit: int = 40) -> str:
    """``value`` as a message may show it: escapes for anything unprintable, cut short."""
    parts = []
    for char in value:
        if "\udc80" <= char <= "\udcff":  # an undecodable byte, shown as the byte
            parts.append(f"\\x{ord(char) - 0xDC00:02x}")
        elif char.isprintable() and bad_character(char) is None:
            parts.append(char)
        else:
            parts.append(char.encode("unicode_escape", "backslashreplace").decode("ascii"))
    shown = "".join(parts)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
