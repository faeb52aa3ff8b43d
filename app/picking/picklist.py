"""One pick list: its row, its states, its number, and the small rules every picking step shares.

A wave takes allocated orders (filters: client, carrier/service, ship-by, cart size) and
gives each a tote. Its PickLines are the orders' Allocation rows, one per allocation;
the picker sees them consolidated into stops per (bin, product) in walk order
(``Location.pick_seq``). A confirmed pick moves the units bin -> PACKING, consuming the
reservation; a short pick writes off what the ledger wrongly claims, re-routes the line
to another bin with free stock or sends it back to back-order. Scans run on raw SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.barcodes import GS
from app.kernel.errors import Conflict, NotFound, ValidationError
from app.kernel.states import PickListStatus
from app.kernel.text import INT_MAX, check_int, printable
from app.orders.status import recompute_many
from app.store import audit, db

OPEN_STATUSES = (PickListStatus.OPEN, PickListStatus.PICKING)
DEFAULT_MAX_ORDERS = 24  # a cart's totes
WAVE_LOCK_KEY = 815005  # PostgreSQL advisory lock serialising wave creation

# Why a picker could not take what the list said, and what that means for the ledger:
#   empty   - the bin holds none of it: all of it there is written off
#   short   - fewer than needed: the shortage is written off
#   damaged - units there but unsellable: the shortage goes to QUARANTINE
#   blocked - bin cannot be reached: no stock move, the line is re-routed or back-ordered
SHORT_REASONS = ("empty", "short", "damaged", "blocked")
WRITE_OFF_REASON = "short pick"

# The moment each state is reached, kept on the list itself (the history has them too).
_STAMPS = {PickListStatus.PICKING: "started_at", PickListStatus.DONE: "completed_at",
           PickListStatus.CANCELLED: "completed_at"}


class WrongScan(ValidationError):  # noqa: N818 - named like NotFound, OutOfStock
    """A scan that does not fit the current stop (wrong bin, item or tote): nothing changed."""


class WrongLot(WrongScan):
    """A GS1 scan named another lot than the one allocated: nothing changed. ``line_id`` is
    the pick line a supervisor may swap to ``lot`` (``swap_lot``)."""

    def __init__(self, message: str, *, line_id: int, lot: str, allocated: str) -> None:
        super().__init__(message)
        self.line_id = line_id
        self.lot = lot
        self.allocated = allocated


class LinesDropped(Conflict):  # noqa: N818 - named like Conflict
    """The scanned stop's reservation is gone (the order was shipped early or its stock released
    at another station): its open lines were closed, the picker goes on to the next stop."""


@dataclass(frozen=True)
class ListRow:
    """A pick list's header as a step reads it (inside its transaction)."""

    id: int
    number: str
    status: PickListStatus
    client_id: int | None
    picker: str


def list_row(picklist: int | str, *, lock: bool = False) -> ListRow:
    """A pick list by id or number ('PL000123', '123'); row-locked on PostgreSQL if ``lock``."""
    suffix = db.for_update() if lock else ""
    cols = "SELECT id, number, status, client_id, picker FROM pick_list"
    if isinstance(picklist, int) and not isinstance(picklist, bool):
        row = db.execute(cols + " WHERE id = ?" + suffix, (picklist,)).fetchone()
        label = f"#{picklist}"
    else:
        text = str(picklist).strip().upper()
        if not text:
            raise ValidationError("name the pick list (e.g. PL000123)")
        if whole_number(text) is not None:
            text = format_number(int(text))
        row = db.execute(cols + " WHERE number = ?" + suffix, (text,)).fetchone()
        label = text
    if row is None:
        raise NotFound(f"no pick list {label}")
    return ListRow(int(row[0]), row[1], PickListStatus(row[2]), row[3], row[4] or "")


def format_number(value: int) -> str:
    """The printed number of pick list ``value``: PL000123."""
    return f"PL{value:06d}"


def set_status(pl: ListRow, to_status: PickListStatus, *, actor: Actor, note: str = "") -> ListRow:
    """Move the list to ``to_status`` (checked against the states table), stamp when; returns
    the row as it now is."""
    audit.transition(PickListStatus, pl.id, pl.status, to_status, actor=actor, client_id=pl.client_id,
                     note=note, label=f"pick list {pl.number}")
    stamp = _STAMPS.get(to_status)
    if stamp is not None:
        db.execute(f"UPDATE pick_list SET {stamp} = ? WHERE id = ?", (clock.now(), pl.id))
    return ListRow(pl.id, pl.number, to_status, pl.client_id, pl.picker)


def recompute(order_ids: Iterable[int], *, actor: Actor, on_open_list: Iterable[int] = ()) -> None:
    """The orders' statuses follow their lines (set-based: one query per 900 orders).
    ``on_open_list``: those of them the caller knows to be on an open pick list (its own,
    still open): not read again."""
    recompute_many(sorted(set(order_ids)), actor=actor, on_picklist=on_open_list)


def whole_number(text: str) -> int | None:
    """``text`` as a whole number when it is written in the digits 0-9 only (no sign, no
    '²' or other digits of other scripts), else None."""
    return int(text) if text.isascii() and text.isdigit() else None


def shown(code: str) -> str:
    """A scan as a message shows it: a GS1 separator as <GS>, nothing unprintable, cut short."""
    return printable(code.replace(GS, "<GS>"))


def parse_tote(tote: int | str) -> int:
    """3, '3', 'T3', 'T-03', 'TOTE3', 'TOTE-03' (what tote labels carry) -> 3. A number no
    tote can have (0, or beyond what the tote column holds) is refused like any other text."""
    if isinstance(tote, int) and not isinstance(tote, bool):
        number: int | None = tote
    else:
        text = str(tote).strip().upper()
        for prefix in ("TOTE", "T"):
            if text.startswith(prefix):
                text = text[len(prefix):].lstrip("-_ ")
                break
        number = whole_number(text)
    if number is None or not 0 < number <= INT_MAX:
        raise ValidationError(f"tote must be a number like 3 or T3, not '{shown(str(tote))}'")
    return number


def positive(qty: object, what: str) -> int:
    """``qty`` when it is a positive whole number a quantity column holds (ValidationError
    otherwise)."""
    if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
        raise ValidationError(f"{what} must be a positive whole number, not {qty!r}")
    return check_int(qty, what, minimum=1)


def maybe_complete(pl: ListRow, *, actor: Actor, any_open: bool | None = None) -> ListRow:
    """Finish the list when no line is open (``any_open``: whether one is, when the caller
    has just read it); returns the row as it now is.

    Every order on a list that finishes has its status looked at again, not only the orders
    of the last pick: an order whose lines were all short-picked was "picking" while the
    list was open, and is back-ordered (where the next allocation finds it) once it is not."""
    if any_open is None:
        any_open = db.execute("SELECT 1 FROM pick_line WHERE picklist_id = ? AND status = 'open' LIMIT 1",
                              (pl.id,)).fetchone() is not None
    if not any_open:
        pl = set_status(pl, PickListStatus.DONE, actor=actor)
        audit.record("picklist_done", actor=actor, doc_type="picklist", doc_id=pl.id,
                     client_id=pl.client_id, detail=pl.number)
        recompute([oid for (oid,) in db.execute("SELECT order_id FROM pick_list_order WHERE picklist_id = ?",
                                                (pl.id,)).fetchall()], actor=actor)
    return pl
