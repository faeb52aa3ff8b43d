"""Command barcodes: actions a worker scans from a printed sheet instead of reaching for keys.

Their text starts with ``PREFIX``, which no product barcode may carry (the catalog refuses
it), so a command can never be mistaken for a unit, and a unit never for a command.
"""

from __future__ import annotations

from app.kernel.errors import ValidationError

PREFIX = "%CMD-"
QTY_RANGE = range(1, 11)
_QTY = tuple(f"QTY {n}" for n in QTY_RANGE)

# What each station's scan router understands, in the order the sheet prints them.
STATION_COMMANDS: dict[str, tuple[str, ...]] = {
    "receiving": ("DAMAGED", "PUTAWAY", "UNDO", *_QTY, "CANCEL", "ACK"),
    "picking": (*_QTY, "CANCEL", "ACK"),
    "packing": ("NEXT BOX", "CLOSE BOX", "PRINT SLIP", "PRINT LABEL", "ACK", "CANCEL"),
}
# What an open print preview understands, whatever the station ('%CMD-PRINT' prints).
PREVIEW_COMMANDS: tuple[str, ...] = ("PRINT",)
COMMANDS = frozenset((*PREVIEW_COMMANDS, *(c for names in STATION_COMMANDS.values() for c in names)))


def command_code(name: str) -> str:
    """The barcode text of a command: 'NEXT BOX' -> '%CMD-NEXT-BOX'."""
    if name not in COMMANDS:
        raise ValidationError(f"no command {name!r}")
    return PREFIX + name.replace(" ", "-")


def is_command_code(code: str) -> bool:
    """Whether ``code`` has the form of a command barcode (known or not)."""
    return code.strip().upper().startswith(PREFIX)


def parse_command(code: str) -> str | None:
    """The command a scanned code is ('QTY 3'), None when it is no command barcode.

    Raises:
        ValidationError: it has the command form but names no command.
    """
    text = code.strip().upper()
    if not text.startswith(PREFIX):
        return None
    name = text[len(PREFIX):].replace("-", " ")
    if name not in COMMANDS:
        raise ValidationError(f"{code.strip()} is no command barcode PrepDesk knows")
    return name


def station_command(code: str, station: str) -> str | None:
    """The command ``code`` is at ``station``; None when it is no command barcode.

    Raises:
        ValidationError: a command of another station, or an unknown one.
    """
    name = parse_command(code)
    if name is not None and name not in STATION_COMMANDS[station]:
        raise ValidationError(f"{name} is not a {station} command: nothing done")
    return name


def qty_of(name: str) -> int | None:
    """'QTY 4' -> 4; None for any other command."""
    return int(name[4:]) if name.startswith("QTY ") else None
