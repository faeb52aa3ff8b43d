"""CSV cells that a spreadsheet shows as text, never runs as a formula (exports of stock, backorders).

Excel, LibreOffice and Google Sheets treat a cell starting with ``=``, ``+``, ``-`` or ``@``
(and, in some versions, a leading tab or carriage return) as a formula: a product name like
``=cmd|' /C calc'!A0`` in an export would run when a clerk opens the file. Such a cell gets a
leading apostrophe, which the spreadsheet shows as plain text. Numbers stay numbers: ``-2``
is written as ``-2`` so quantities still add up.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain decimal number (a negative quantity, a price): safe as it is.
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


def safe_cell(value: object) -> str:
    """``value`` as CSV cell text that no spreadsheet evaluates.

    Args:
        value: any cell value; ``None`` is an empty cell, numbers are written as they are.

    Returns:
        The text, with a leading apostrophe when it would start a formula.
    """
    if value is None:
        return ""
    if isinstance(value, (bool, int, float)):
        return str(value)
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class SafeWriter:
    """A ``csv.writer`` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, file: _Writable, **fmt: Any) -> None:
        self._writer = csv.writer(file, **fmt)

    @property
    def dialect(self) -> Any:  # csv's dialect object, as csv.writer exposes it
        return self._writer.dialect

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(file: _Writable, **fmt: Any) -> SafeWriter:
    """A CSV writer on ``file`` (``fmt`` as for ``csv.writer``, e.g. ``lineterminator="\\n"``)
    whose rows are made safe for spreadsheets."""
    return SafeWriter(file, **fmt)
