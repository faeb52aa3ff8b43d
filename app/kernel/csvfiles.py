"""Reading the CSV files people bring (products, bins, orders, advance shipping notices).

Line-numbered rejection of bad files: a file is read whole and checked before anything of
it is written.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from app.kernel.errors import ImportRejected
from app.kernel.text import INT_MAX, INT_MIN, bad_character, first_bad_character

MAX_IMPORT_BYTES = 200 * 1024 * 1024


def _decode(raw: bytes, what: str) -> str:
    """File bytes as text: UTF-16 with a BOM (Excel's "Unicode text"), UTF-8 (BOM or not),
    else Windows-1252 (older spreadsheet exports)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportRejected(what, [f"broken UTF-16 text: {exc.reason}"]) from None
    if b"\x00" in raw[:65536]:
        raise ImportRejected(what, ["line 1: this is not a text CSV file (binary data)"])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


DELIMITERS = (",", ";", "\t")  # comma; semicolon (spreadsheets in comma-decimal locales); tab


def _header(text: str, required: set[str]) -> tuple[str, list[str]]:
    """The delimiter that yields the required columns from the first line, and the columns."""
    first = text.split("\n", 1)[0]
    best: tuple[str, list[str]] | None = None
    for delimiter in DELIMITERS:
        try:
            columns = [h.strip().lower() for h in next(csv.reader([first], delimiter=delimiter), [])]
        except csv.Error:  # e.g. a megabyte-long first line: no header of ours
            columns = []
        if required <= set(columns):
            return delimiter, columns
        if best is None:
            best = (delimiter, columns)
    assert best is not None
    return best


def read_csv_rows(path: str | Path, *, required: set[str], what: str,
                  max_bytes: int = MAX_IMPORT_BYTES,
                  wanted: set[str] | None = None) -> list[tuple[int, dict[str, str]]]:
    """Read a CSV file into (line number, row) pairs with lower-cased headers.

    Columns may be separated by commas, semicolons or tabs (found from the header); the text
    may be UTF-8, UTF-16 with a BOM or Windows-1252. ``wanted`` keeps only those columns (a
    shop export has dozens nobody reads; skipping them halves a big import's time).

    Raises:
        ImportRejected: unreadable, not text, not CSV, a column named twice, or missing
            required columns.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ImportRejected(what, [f"file is {size // 1_000_000} MB; the limit is {max_bytes // 1_000_000} MB"])
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportRejected(what, [f"cannot read {path}: {exc.strerror or exc}"]) from None
    text = _decode(raw, what)
    bad = first_bad_character(text)  # one scan of the whole text (C speed), not one per cell
    if bad is not None:
        line = text.count("\n", 0, bad) + 1
        raise ImportRejected(what, [f"line {line}: contains {bad_character(text[bad], multiline=True)}"])
    if not text.strip():
        raise ImportRejected(what, ["line 1: the file is empty"])
    delimiter, columns = _header(text, required)
    missing = sorted(required - set(columns))
    if missing:
        hint = " (columns separated by commas, semicolons or tabs)" if len(columns) < 2 else ""
        raise ImportRejected(what, [f"line 1: missing column(s) {', '.join(missing)}{hint}"])
    seen: set[str] = set()
    for name in columns:
        if name and name in seen and (wanted is None or name in wanted):
            raise ImportRejected(what, [f"line 1: column {name!r} appears twice"])
        seen.add(name)
    picks = [(name, i) for i, name in enumerate(columns) if wanted is None or name in wanted]
    width = len(columns)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        next(reader, None)  # the header, read above
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            n = len(record)
            if n > width and any(c.strip() for c in record[width:]):
                raise ImportRejected(what, [f"line {reader.line_num}: {n} fields, header has {width}"])
            rows.append((reader.line_num, {name: record[i].strip() if i < n else "" for name, i in picks}))
    except csv.Error as exc:
        raise ImportRejected(what, [f"line {reader.line_num}: {exc}"]) from None
    if not rows:
        raise ImportRejected(what, ["no data rows after the header"])
    return rows


def parse_int(value: str, *, line: int, column: str, errors: list[str], minimum: int = 0,
              default: int | None = None) -> int | None:
    """A whole number from a CSV cell; a bad one is added to ``errors`` (line-numbered) as None."""
    if value == "" and default is not None:
        return default
    try:
        number = int(value)
    except ValueError:
        errors.append(f"line {line}: {column} {value!r} is not a whole number")
        return None
    if number < minimum:
        errors.append(f"line {line}: {column} must be at least {minimum}, not {number}")
        return None
    if not INT_MIN <= number <= INT_MAX:
        errors.append(f"line {line}: {column} {value[:24]!r} is too big (at most {INT_MAX:,})")
        return None
    return number


# No weight (kg) or size (cm) a warehouse file gives comes near this; a bigger number is a
# slip (a misplaced column, an exponent), and would not fit the money and unit conversions.
MAX_FLOAT = 1_000_000.0


def parse_float(value: str, *, line: int, column: str, errors: list[str], maximum: float = MAX_FLOAT) -> float:
    """A non-negative number up to ``maximum`` from a CSV cell (comma or point decimals); a
    bad one (not a number, negative, infinite or too big) is added to ``errors`` and read as 0."""
    if value == "":
        return 0.0
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        errors.append(f"line {line}: {column} {value!r} is not a number")
        return 0.0
    if not math.isfinite(number):
        errors.append(f"line {line}: {column} {value[:24]!r} is not a number")
        return 0.0
    if number < 0:
        errors.append(f"line {line}: {column} must not be negative")
        return 0.0
    if number > maximum:
        errors.append(f"line {line}: {column} {value[:24]!r} is too big (at most {maximum:,.0f})")
        return 0.0
    return number
