"""Inbound shipments (ASNs): announce, add lines, cancel, find, list and read one with its lines.

The shipment's receipt lines count what arrived (good and damaged); the receiving scans
(``receive``), closing (``close``) and putaway (``putaway``) build on what is here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from app import catalog
from app.kernel import clock, states
from app.kernel.actor import Actor
from app.kernel.barcodes import clean_scan
from app.kernel.errors import Conflict, InvalidTransition, NotFound, UnknownBarcode, ValidationError
from app.kernel.states import ShipmentStatus
from app.kernel.text import counted
from app.ledger.moves import NOT_UNDONE
from app.store import audit, changes, db
from app.store.models import InboundShipment, ReceiptLine

DOC_TYPE = "receipt"
MAX_UNITS_PER_SCAN = 100_000
MAX_CODE_LENGTH = 100  # longer than any barcode a label or a client's product carries
# A shipment still taking units (scans, undo, new lines).
ACTIVE_STATUSES = (ShipmentStatus.OPEN, ShipmentStatus.RECEIVING)


# --- Results ------------------------------------------------------------------------


@dataclass(frozen=True)
class ShipmentRef:
    id: int
    ref: str
    client_id: int
    client_code: str
    status: str
    expected_date: dt.date | None = None


@dataclass(frozen=True)
class LineRow:
    line_id: int
    product_id: int
    sku: str
    name: str
    expected: int
    received: int  # good units, in RECEIVING (or already put away)
    damaged: int  # units received to QUARANTINE (damaged, expired or short-dated)
    is_extra: bool
    # Of ``damaged``: units held for their expiry, not for damage (filled by shipment_detail).
    expired: int = 0
    short_dated: int = 0

    @property
    def damaged_only(self) -> int:
        """Units that arrived damaged (the rest of QUARANTINE's are held for their dates)."""
        return self.damaged - self.expired - self.short_dated

    @property
    def expiry_note(self) -> str:
        """Units held for their dates, e.g. "expired 2, short-dated 1" ("" when none are)."""
        parts = (("expired", self.expired), ("short-dated", self.short_dated))
        return ", ".join(f"{what} {n}" for what, n in parts if n)

    @property
    def held_note(self) -> str:
        """Why units are in QUARANTINE, e.g. "damaged 1, expired 2" ("" when none are)."""
        damaged = f"damaged {self.damaged_only}" if self.damaged_only else ""
        return ", ".join(x for x in (damaged, self.expiry_note) if x)

    @property
    def arrived(self) -> int:
        return self.received + self.damaged

    @property
    def remaining(self) -> int:
        return max(self.expected - self.arrived, 0)

    @property
    def over(self) -> int:
        """Units beyond what the ASN announced (an extra line is over by everything)."""
        return max(self.arrived - self.expected, 0)


@dataclass(frozen=True)
class ShipmentDetail:
    id: int
    ref: str
    client_id: int
    client_code: str
    client_name: str
    carrier: str
    tracking: str
    expected_date: dt.date | None
    status: str
    notes: str
    created_at: dt.datetime | None
    first_received_at: dt.datetime | None
    closed_at: dt.datetime | None
    closed_by: str
    received_by: tuple[str, ...]
    lines: tuple[LineRow, ...]

    @property
    def total_expected(self) -> int:
        return sum(ln.expected for ln in self.lines)

    @property
    def total_received(self) -> int:
        return sum(ln.received for ln in self.lines)

    @property
    def total_damaged(self) -> int:
        return sum(ln.damaged for ln in self.lines)

    @property
    def total_damaged_only(self) -> int:
        """Units that arrived damaged (QUARANTINE's others are held for their dates)."""
        return sum(ln.damaged_only for ln in self.lines)

    @property
    def total_expiry_held(self) -> int:
        """Units in QUARANTINE for being expired or short-dated (0: every held unit is damaged)."""
        return sum(ln.expired + ln.short_dated for ln in self.lines)

    @property
    def total_remaining(self) -> int:
        return sum(ln.remaining for ln in self.lines)

    def line_for(self, sku: str) -> LineRow:
        for ln in self.lines:
            if ln.sku == sku:
                return ln
        raise NotFound(f"{sku} is not on shipment {self.ref}")


@dataclass(frozen=True)
class ShipmentSummary:
    id: int
    ref: str
    client_code: str
    status: str
    expected_date: dt.date | None
    expected: int
    arrived: int




# --- Checking what is typed or scanned ----------------------------------------------


def shown(code: str, limit: int = 40) -> str:
    """A scanned code as a message shows it: repr (control characters visible), cut short."""
    return repr(code if len(code) <= limit else code[:limit] + "…")


def scanned_code(code: str | None) -> str:
    """What a scan means, exactly as the desk's scan field reads it (AIM prefix and
    control characters removed); an empty or absurdly long scan is refused.

    Raises:
        UnknownBarcode: nothing left after cleaning, or longer than any real code.
    """
    cleaned = clean_scan(code or "")
    if not cleaned:
        raise UnknownBarcode(code or "", f"empty scan {shown(code)}" if code else "empty scan")
    if len(cleaned) > MAX_CODE_LENGTH:
        raise UnknownBarcode(cleaned, f"scan of {len(cleaned)} characters {shown(cleaned)} is "
                             f"no barcode (at most {MAX_CODE_LENGTH})")
    return cleaned


def check_ref(ref: str) -> str:
    """A shipment reference as stored: one word of at most 100 characters."""
    ref = (ref or "").strip()
    if not ref:
        raise ValidationError("a shipment needs a reference")
    if len(ref) > 100 or any(ch.isspace() for ch in ref):
        raise ValidationError(f"shipment reference {ref!r} must be one word of at most 100 characters")
    return ref


def check_qty(qty: object, what: str = "quantity") -> int:
    """A whole number of units from 1 to ``MAX_UNITS_PER_SCAN``; refused otherwise."""
    if isinstance(qty, bool) or not isinstance(qty, int) or qty < 1:
        raise ValidationError(f"{what} must be a whole number of at least 1, not {qty!r}")
    if qty > MAX_UNITS_PER_SCAN:
        raise ValidationError(f"{what} {qty} is more than {MAX_UNITS_PER_SCAN}: check the number")
    return qty




def lock_shipment(shipment_id: int) -> tuple[int, str, int, str]:
    """The shipment's (id, ref, client id, status), its row locked until the transaction ends.

    Raises:
        NotFound: no such shipment.
    """
    row = db.execute("SELECT id, ref, client_id, status FROM inbound_shipment WHERE id = ?"
                     + db.for_update(), (shipment_id,)).fetchone()
    if row is None:
        raise NotFound(f"no inbound shipment #{shipment_id}")
    return row[0], row[1], row[2], row[3]


def guard(ref: str, status: str, to_status: ShipmentStatus) -> None:
    """Refuse a move the shipment's state table does not allow, in the desk's words.

    Raises:
        InvalidTransition: ``status`` cannot become ``to_status``.
    """
    if not states.allowed(ShipmentStatus, status, to_status):
        raise InvalidTransition(f"inbound shipment {ref} cannot go from {status} to {to_status}")


# --- Creating shipments -------------------------------------------------------------


def create_shipment(client_code: str, ref: str, lines: Sequence[tuple[str, int]] = (), *,
                    actor: Actor, expected_date: dt.date | None = None, carrier: str = "",
                    tracking: str = "", notes: str = "") -> ShipmentRef:
    """Announce an inbound shipment (ASN) with its expected lines (SKU, quantity).

    Raises:
        NotFound: unknown client or SKU.
        Conflict: the client already has a shipment with this reference.
        ValidationError: empty reference, bad quantity.
    """
    actor.require_to("create inbound shipments")
    ref = check_ref(ref)
    check_text(carrier, tracking)
    client = catalog.active_client(client_code)
    wanted: dict[str, int] = {}
    for sku, qty in lines:
        check_qty(qty, f"quantity of {sku}")
        wanted[sku] = wanted.get(sku, 0) + qty
    with db.write():
        refuse_duplicate(client.id, client.code, ref)
        product_ids: dict[str, int] = {}
        for sku in wanted:
            p = catalog.find_product(client.id, sku)
            if p is None:
                raise NotFound(f"{client.code} has no product {sku!r}")
            product_ids[sku] = p.id
        sid = insert_shipment(client.id, ref, expected_date, carrier, tracking, notes, actor)
        for sku, qty in wanted.items():
            ReceiptLine.create(shipment=sid, product=product_ids[sku], expected_qty=qty)
        audit.record("shipment_created", actor=actor, client_id=client.id, doc_type=DOC_TYPE,
                     doc_id=sid,
                     detail=f"{ref}: {counted(len(wanted), 'line')}, {counted(sum(wanted.values()), 'unit')}")
    return ShipmentRef(sid, ref, client.id, client.code, ShipmentStatus.OPEN, expected_date)


def refuse_duplicate(client_id: int, client_code: str, ref: str) -> None:
    """A client's shipment references are unique."""
    if InboundShipment.select().where((InboundShipment.client == client_id)
                                      & (InboundShipment.ref == ref)).exists():
        raise Conflict(f"{client_code} already has a shipment {ref}")


def check_text(carrier: str, tracking: str) -> None:
    """Carrier and tracking fit their columns."""
    for what, value in (("carrier", carrier), ("tracking", tracking)):
        if len((value or "").strip()) > 100:
            raise ValidationError(f"{what} is longer than 100 characters")


def insert_shipment(client_id: int, ref: str, expected_date: dt.date | None, carrier: str,
                    tracking: str, notes: str, actor: Actor) -> int:
    """Insert an open shipment and record its first state (inside the caller's transaction)."""
    s = InboundShipment.create(client=client_id, ref=ref, expected_date=expected_date,
                               carrier=carrier.strip(), tracking=tracking.strip(), notes=notes,
                               status=ShipmentStatus.OPEN.value, created_at=clock.now())
    audit.transition(ShipmentStatus, s.id, "", ShipmentStatus.OPEN, actor=actor, client_id=client_id,
                     write=False, label=f"shipment {ref}")
    return s.id


def parse_lines(text: str) -> list[tuple[str, int]]:
    """Expected lines typed as ``SKU qty`` (or ``SKU,qty``), one a line, for a new shipment.

    Raises:
        ValidationError: a line without a whole quantity of at least 1 (line-numbered).
    """
    result: list[tuple[str, int]] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        parts = raw.replace(",", " ").replace(";", " ").replace("\t", " ").split()
        if not parts:
            continue
        if len(parts) != 2:
            errors.append(f"line {number}: write SKU and quantity, e.g. 'ABC-1 12'")
            continue
        qty = catalog.parse_int(parts[1], line=number, column="quantity", errors=errors, minimum=1)
        if qty is not None:
            result.append((parts[0], qty))
    if errors:
        raise ValidationError("; ".join(errors[:3]))
    if not result:
        raise ValidationError("no lines: write one 'SKU quantity' a line")
    return result


def add_line(shipment_id: int, sku: str, qty: int, *, actor: Actor) -> LineRow:
    """Add (or raise) an expected line on a shipment that is not closed."""
    actor.require_to("edit inbound shipments")
    check_qty(qty)
    with db.write():
        s = lock_shipment(shipment_id)
        if s[3] not in ACTIVE_STATUSES:
            raise InvalidTransition(f"shipment {s[1]} is {s[3]}: it cannot change")
        p = catalog.find_product(s[2], sku)
        if p is None:
            raise NotFound(f"no product {sku!r} for this client")
        line = ReceiptLine.get_or_none((ReceiptLine.shipment == shipment_id) & (ReceiptLine.product == p.id))
        if line is None:
            ReceiptLine.create(shipment=shipment_id, product=p.id, expected_qty=qty)
        else:
            ReceiptLine.update(expected_qty=ReceiptLine.expected_qty + qty, is_extra=False).where(
                ReceiptLine.id == line.id).execute()
        changes.changed(DOC_TYPE, shipment_id)
        return line_row(shipment_id, p.id)



def cancel_shipment(shipment_id: int, *, actor: Actor, reason: str = "") -> ShipmentRef:
    """Cancel a shipment nothing was received against."""
    actor.require_to("cancel inbound shipments")
    with db.write():
        sid, ref, client_id, status = lock_shipment(shipment_id)
        guard(ref, status, ShipmentStatus.CANCELLED)
        audit.transition(ShipmentStatus, sid, status, ShipmentStatus.CANCELLED, actor=actor,
                         client_id=client_id, note=reason, label=f"shipment {ref}")
    return shipment_ref(sid)




# --- Finding shipments ----------------------------------------------------------------


def find_shipment(ref: str, *, client_code: str | None = None) -> ShipmentRef:
    """A shipment by its reference (as typed or scanned).

    Raises:
        NotFound: no such shipment.
        ValidationError: the reference exists for several clients and none was named.
    """
    ref = clean_scan(ref or "")
    if not ref or len(ref) > MAX_CODE_LENGTH:
        raise NotFound(f"no inbound shipment {shown(ref)}")
    sql = ("SELECT s.id FROM inbound_shipment s JOIN client c ON c.id = s.client_id "
           "WHERE s.ref = ?")
    params: list[object] = [ref]
    if client_code:
        sql += " AND c.code = ?"
        params.append(client_code.strip().upper())
    rows = db.execute(sql + " ORDER BY s.id LIMIT 2", params).fetchall()
    if not rows and ref:
        rows = db.execute(sql.replace("s.ref = ?", "upper(s.ref) = ?") + " ORDER BY s.id LIMIT 2",
                          [ref.upper(), *params[1:]]).fetchall()
    if not rows:
        raise NotFound(f"no inbound shipment {shown(ref)}" + (f" for {client_code.upper()}" if client_code else ""))
    if len(rows) > 1:
        raise ValidationError(f"shipment {ref} exists for several clients: name the client")
    return shipment_ref(rows[0][0])


def shipment_ref(shipment_id: int) -> ShipmentRef:
    """A shipment's reference, client and status by id."""
    row = db.execute(
        "SELECT s.id, s.ref, s.client_id, c.code, s.status, s.expected_date FROM inbound_shipment s "
        "JOIN client c ON c.id = s.client_id WHERE s.id = ?", (shipment_id,)).fetchone()
    if row is None:
        raise NotFound(f"no inbound shipment #{shipment_id}")
    return ShipmentRef(row[0], row[1], row[2], row[3], row[4], db.as_date(row[5]))


def list_shipments(*, client_code: str | None = None, active_only: bool = True) -> list[ShipmentSummary]:
    """Shipments for the desk's chooser, expected date first."""
    sql = ("SELECT s.id, s.ref, c.code, s.status, s.expected_date, "
           "COALESCE(SUM(l.expected_qty), 0), COALESCE(SUM(l.received_qty + l.damaged_qty), 0) "
           "FROM inbound_shipment s JOIN client c ON c.id = s.client_id "
           "LEFT JOIN receipt_line l ON l.shipment_id = s.id")
    where, params = [], []
    if active_only:
        where.append("s.status IN (?, ?)")
        params += [str(st) for st in ACTIVE_STATUSES]
    if client_code:
        where.append("c.code = ?")
        params.append(client_code.strip().upper())
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " GROUP BY s.id, s.ref, c.code, s.status, s.expected_date ORDER BY s.expected_date, s.id"
    return [ShipmentSummary(r[0], r[1], r[2], r[3], db.as_date(r[4]), int(r[5]), int(r[6]))
            for r in db.execute(sql, params).fetchall()]


LINE_SELECT = (
    "SELECT l.id, l.product_id, p.sku, p.name, l.expected_qty, l.received_qty, l.damaged_qty, "
    "l.is_extra FROM receipt_line l JOIN product p ON p.id = l.product_id "
)


def line_from(row: Sequence[Any]) -> LineRow:
    """A receipt line from a ``LINE_SELECT`` row."""
    return LineRow(row[0], row[1], row[2], row[3], int(row[4]), int(row[5]), int(row[6]), bool(row[7]))


def line_row(shipment_id: int, product_id: int) -> LineRow:
    """A shipment's receipt line for one product, as it stands now."""
    row = db.execute(LINE_SELECT + "WHERE l.shipment_id = ? AND l.product_id = ?",
                     (shipment_id, product_id)).fetchone()
    if row is None:
        raise NotFound(f"no receipt line for product #{product_id}")
    return line_from(row)


# How a receiving move's reason begins for units held for their dates (app.receiving.lots
# writes them; the receipt counts them apart from damaged ones).
EXPIRED_REASON = "expired"
SHORT_LIFE_REASON = "short shelf life"


def _held_for_dates(shipment_id: int) -> dict[int, tuple[int, int]]:
    """Per product, the shipment's units in QUARANTINE for being expired and short-dated
    (the receiving scan's move says why: "expired …", "short shelf life: …"), scans undone left out."""
    held: dict[int, tuple[int, int]] = {}
    for product_id, reason, qty in db.execute(
            "SELECT m.product_id, m.reason, SUM(m.qty) FROM stock_move m JOIN location q "
            "ON q.id = m.to_location_id AND q.code = 'QUARANTINE' WHERE m.doc_type = ? AND m.doc_id = ? "
            "AND m.kind = 'receive' AND (m.reason LIKE ? OR m.reason LIKE ?) "
            f"AND {NOT_UNDONE} GROUP BY m.product_id, m.reason",
            (DOC_TYPE, shipment_id, f"{EXPIRED_REASON}%", f"{SHORT_LIFE_REASON}%")).fetchall():
        expired, short = held.get(int(product_id), (0, 0))
        if str(reason).startswith(EXPIRED_REASON):
            expired += int(qty)
        else:
            short += int(qty)
        held[int(product_id)] = (expired, short)
    return held


def shipment_detail(shipment_id: int) -> ShipmentDetail:
    """The shipment with its lines (expected / received / damaged / remaining)."""
    row = db.execute(
        "SELECT s.id, s.ref, s.client_id, c.code, c.name, s.carrier, s.tracking, s.expected_date, "
        "s.status, s.notes, s.created_at, s.first_received_at, s.closed_at, s.closed_by "
        "FROM inbound_shipment s JOIN client c ON c.id = s.client_id WHERE s.id = ?",
        (shipment_id,)).fetchone()
    if row is None:
        raise NotFound(f"no inbound shipment #{shipment_id}")
    held = _held_for_dates(shipment_id)
    lines = []
    for r in db.execute(LINE_SELECT + "WHERE l.shipment_id = ? ORDER BY l.is_extra, p.sku",
                        (shipment_id,)).fetchall():
        expired, short = held.get(r[1], (0, 0))
        lines.append(replace(line_from(r), expired=expired, short_dated=short))
    who = tuple(r[0] for r in db.execute(
        "SELECT user_name FROM stock_move WHERE doc_type = ? AND doc_id = ? AND kind = 'receive' "
        "GROUP BY user_name ORDER BY MIN(id)", (DOC_TYPE, shipment_id)).fetchall())
    return ShipmentDetail(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6], db.as_date(row[7]), row[8], row[9],
        db.as_datetime(row[10]), db.as_datetime(row[11]), db.as_datetime(row[12]), row[13], who, tuple(lines),
    )


def expected_arrivals(product_ids: set[int] | list[int]) -> dict[int, dt.date]:
    """Back-order ETA: the earliest expected date of an active shipment still bringing each product."""
    ids = sorted(set(product_ids))
    result: dict[int, dt.date] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for pid, date in db.execute(
            "SELECT l.product_id, MIN(s.expected_date) FROM receipt_line l "
            "JOIN inbound_shipment s ON s.id = l.shipment_id "
            f"WHERE l.product_id IN ({marks}) AND s.status IN (?, ?) "
            "AND s.expected_date IS NOT NULL AND l.expected_qty > l.received_qty + l.damaged_qty "
            "GROUP BY l.product_id", [*chunk, *(str(st) for st in ACTIVE_STATUSES)],
        ).fetchall():
            d = db.as_date(date)
            if d is not None:
                result[pid] = d
    return result


