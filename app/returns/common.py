"""What the returns desk's use cases share: the codes, the RMA lookup, a line's quantities."""

from __future__ import annotations

from dataclasses import dataclass

from app.kernel.barcodes import normalize_code
from app.kernel.errors import NotFound, ValidationError
from app.kernel.states import ReturnStatus
from app.store import db

REASONS = ("damaged", "wrong_item", "not_as_described", "unwanted", "other")
WANTS = ("refund", "exchange")
# An exchange's replacements are lines of the RMA too, marked by this wish: units we send.
REPLACEMENT = "replacement"
DISPOSITIONS = ("restock", "quarantine", "scrap")
RMA_SEQUENCE = "rma"
EXCHANGE_RELEASE_KEY = "exchange_release"
EXCHANGE_RELEASES = ("advance", "on_receipt")
DEFAULT_EXCHANGE_RELEASE = "advance"
# The disposition barcodes printed on the desk's sheet: a scan of one sends the unit there.
QUARANTINE_CODE = "QUARANTINE"
SCRAP_CODE = "SCRAP"


@dataclass(frozen=True)
class RmaHead:
    """An RMA's header as the use cases read it."""

    id: int
    number: str
    client_id: int
    order_id: int | None
    status: ReturnStatus
    exchange_order_id: int | None


@dataclass(frozen=True)
class LineQty:
    """One RMA line's quantities."""

    id: int
    product_id: int
    sku: str
    order_line_id: int | None
    reason: str
    expected: int
    received: int
    restocked: int
    quarantined: int
    scrapped: int

    @property
    def waiting(self) -> int:
        """Units still to arrive."""
        return self.expected - self.received

    @property
    def undecided(self) -> int:
        """Units received and still in RETURNS without a disposition."""
        return self.received - self.restocked - self.quarantined - self.scrapped


_HEAD = ('SELECT id, number, client_id, order_id, status, exchange_order_id FROM "return" ')


def check_choice(what: str, value: str, allowed: tuple[str, ...]) -> str:
    """A code from a fixed list (reason, wish, disposition), lower-cased; one clear line if not."""
    clean = (value or "").strip().lower()
    if clean not in allowed:
        raise ValidationError(f"unknown {what} {value!r}: use one of {', '.join(allowed)}")
    return clean


def rma_head(rma: int | str, *, lock: bool = False) -> RmaHead:
    """An RMA by id or number (as typed or scanned).

    Raises:
        NotFound: no such RMA.
    """
    if isinstance(rma, int):
        row = db.execute(_HEAD + "WHERE id = ?" + (db.for_update() if lock else ""), (rma,)).fetchone()
    else:
        number = normalize_code(rma).upper()
        row = db.execute(_HEAD + "WHERE number = ?" + (db.for_update() if lock else ""), (number,)).fetchone()
    if row is None:
        raise NotFound(f"no return authorisation {rma!r}")
    rid, number, client_id, order_id, status, exchange_id = row
    return RmaHead(int(rid), str(number), int(client_id), order_id, ReturnStatus(status), exchange_id)


def rma_lines(rma_id: int) -> list[LineQty]:
    """An RMA's lines in entry order."""
    return [LineQty(*row) for row in db.execute(
        "SELECT rl.id, rl.product_id, p.sku, rl.order_line_id, rl.reason, rl.qty_expected, rl.qty_received, "
        "rl.qty_restocked, rl.qty_quarantined, rl.qty_scrapped FROM return_line rl "
        "JOIN product p ON p.id = rl.product_id WHERE rl.rma_id = ? AND rl.wants <> ? ORDER BY rl.id",
        (rma_id, REPLACEMENT)).fetchall()]


def returned_so_far(order_line_id: int) -> int:
    """Units of an order line already taken by RMAs: an open RMA holds what it expects, a
    closed one only what actually came back (a closed-short RMA frees the rest)."""
    row = db.execute(
        f"SELECT COALESCE(SUM(CASE WHEN r.status = '{ReturnStatus.CLOSED}' THEN rl.qty_received "
        "ELSE rl.qty_expected END), 0) FROM return_line rl JOIN \"return\" r ON r.id = rl.rma_id "
        "WHERE rl.order_line_id = ?", (order_line_id,)).fetchone()
    return int(row[0])


def rma_awaiting(order_id: int, product_id: int) -> str | None:
    """The open RMA of an order that still waits for units of a product (the first authorised
    of them), or None: a unit of a parcel that came without its RMA paper is received there."""
    row = db.execute(
        'SELECT r.number FROM "return" r JOIN return_line rl ON rl.rma_id = r.id WHERE r.order_id = ? '
        "AND r.status <> ? AND rl.product_id = ? AND rl.wants <> ? AND rl.qty_expected > rl.qty_received "
        "ORDER BY r.id LIMIT 1", (order_id, ReturnStatus.CLOSED, product_id, REPLACEMENT)).fetchone()
    return str(row[0]) if row else None
