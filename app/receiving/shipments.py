"""The receiving desk: inbound shipments (ASNs), scan-to-receive, undo, close, putaway.

Each scan is one committed transaction: a SUPPLIER -> RECEIVING move (QUARANTINE for a
damaged unit) and the receipt line's counts, written together. The scan path uses raw SQL
(it runs for every unit on the desk); the rest uses the ORM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import catalog, ledger
from app.catalog.scan import ScanMatch, find_product_code
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.barcodes import clean_scan, gtin_kind, is_valid_gtin, normalize_code
from app.kernel.errors import (
    Conflict,
    ImportRejected,
    InvalidTransition,
    NotFound,
    OutOfStock,
    UnknownBarcode,
    ValidationError,
)
from app.store import audit, db
from app.store.audit import StateMachine
from app.store.models import BaseModel, InboundShipment, Product, ProductBarcode, ReceiptLine

DOC_TYPE = "receipt"
MAX_UNITS_PER_SCAN = 100_000
MAX_ASN_BYTES = 20 * 1024 * 1024
MAX_CODE_LENGTH = 100  # longer than any barcode a label or a client's product carries
_ASN_LIMITS = (("sku", 100), ("name", 300), ("barcode", 100))  # the columns' sizes

SHIPMENT_FLOW = StateMachine(
    "inbound shipment",
    {
        "open": {"receiving", "closed", "cancelled"},
        "receiving": {"closed"},
        "closed": set(),
        "cancelled": set(),
    },
)
ACTIVE_STATUSES = ("open", "receiving")


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
    damaged: int  # units received to QUARANTINE
    is_extra: bool

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


@dataclass(frozen=True)
class ReceiveResult:
    move_id: int
    shipment_id: int
    ref: str
    product_id: int
    sku: str
    name: str
    units: int
    damaged: bool
    location: str  # RECEIVING or QUARANTINE
    line: LineRow
    extra: bool  # product not on the ASN: accepted as an extra line
    over_receipt: bool  # more arrived than the ASN announced
    first_scan: bool

    @property
    def warning(self) -> str:
        if self.extra:
            return f"{self.sku} is not on shipment {self.ref}: received as an extra line"
        if self.over_receipt:
            return (f"over-receipt: {self.line.arrived} of {self.sku} arrived, "
                    f"{self.line.expected} expected")
        return ""

    @property
    def message(self) -> str:
        where = " DAMAGED to QUARANTINE" if self.damaged else ""
        return f"+{self.units} {self.sku}{where} ({self.line.arrived}/{self.line.expected})"


@dataclass(frozen=True)
class UndoResult:
    move_id: int  # the reversing move
    undone_move_id: int
    sku: str
    units: int
    damaged: bool
    line: LineRow | None  # None when an extra line went away entirely

    @property
    def message(self) -> str:
        return f"undone: -{self.units} {self.sku}" + (" (damaged)" if self.damaged else "")


@dataclass(frozen=True)
class CloseResult:
    shipment_id: int
    ref: str
    closed_at: dt.datetime
    expected: int
    received: int
    damaged: int
    short: int


@dataclass(frozen=True)
class ImportAsnResult:
    shipment: ShipmentRef
    lines: int
    units: int
    products_created: int
    barcodes_linked: int


@dataclass(frozen=True)
class PutawaySuggestion:
    product_id: int
    sku: str
    name: str
    client_id: int
    in_receiving: int
    bin_code: str | None
    reason: str  # "holds N already", "empty bin in zone A", "" when none


@dataclass(frozen=True)
class PutawayResult:
    move_id: int
    product_id: int
    sku: str
    units: int
    bin_code: str
    left_in_receiving: int
    suggested_bin: str | None

    @property
    def message(self) -> str:
        return f"{self.units} {self.sku} -> {self.bin_code} ({self.left_in_receiving} left in RECEIVING)"


# --- Creating shipments -------------------------------------------------------------


def _shown(code: str, limit: int = 40) -> str:
    """A scanned code as a message shows it: repr (control characters visible), cut short."""
    return repr(code if len(code) <= limit else code[:limit] + "…")


def _scanned(code: str | None) -> str:
    """What a scan means, exactly as the desk's scan field reads it (AIM prefix and
    control characters removed); an empty or absurdly long scan is refused.

    Raises:
        UnknownBarcode: nothing left after cleaning, or longer than any real code.
    """
    cleaned = clean_scan(code or "")
    if not cleaned:
        raise UnknownBarcode(code or "", f"empty scan {_shown(code)}" if code else "empty scan")
    if len(cleaned) > MAX_CODE_LENGTH:
        raise UnknownBarcode(cleaned, f"scan of {len(cleaned)} characters {_shown(cleaned)} is "
                             f"no barcode (at most {MAX_CODE_LENGTH})")
    return cleaned


def _check_ref(ref: str) -> str:
    ref = (ref or "").strip()
    if not ref:
        raise ValidationError("a shipment needs a reference")
    if len(ref) > 100 or any(ch.isspace() for ch in ref):
        raise ValidationError(f"shipment reference {ref!r} must be one word of at most 100 characters")
    return ref


def _check_qty(qty: object, what: str = "quantity") -> int:
    if isinstance(qty, bool) or not isinstance(qty, int) or qty < 1:
        raise ValidationError(f"{what} must be a whole number of at least 1, not {qty!r}")
    if qty > MAX_UNITS_PER_SCAN:
        raise ValidationError(f"{what} {qty} is more than {MAX_UNITS_PER_SCAN}: check the number")
    return qty


def create_shipment(client_code: str, ref: str, lines: Sequence[tuple[str, int]] = (), *,
                    actor: Actor, expected_date: dt.date | None = None, carrier: str = "",
                    tracking: str = "", notes: str = "") -> ShipmentRef:
    """Announce an inbound shipment (ASN) with its expected lines (SKU, quantity).

    Raises:
        NotFound: unknown client or SKU.
        Conflict: the client already has a shipment with this reference.
        ValidationError: empty reference, bad quantity.
    """
    actor.require("receiver", action="create inbound shipments")
    ref = _check_ref(ref)
    _check_text(carrier, tracking)
    client = catalog.client_by_code(client_code)
    wanted: dict[str, int] = {}
    for sku, qty in lines:
        _check_qty(qty, f"quantity of {sku}")
        wanted[sku] = wanted.get(sku, 0) + qty
    with db.write():
        _refuse_duplicate(client.id, client.code, ref)
        product_ids: dict[str, int] = {}
        for sku in wanted:
            p = catalog.find_product(client.id, sku)
            if p is None:
                raise NotFound(f"{client.code} has no product {sku!r}")
            product_ids[sku] = p.id
        sid = _insert_shipment(client.id, ref, expected_date, carrier, tracking, notes, actor)
        for sku, qty in wanted.items():
            ReceiptLine.create(shipment=sid, product=product_ids[sku], expected_qty=qty)
        audit.record("shipment_created", actor=actor, client_id=client.id, doc_type=DOC_TYPE,
                     doc_id=sid, detail=f"{ref}: {len(wanted)} lines, {sum(wanted.values())} units")
    return ShipmentRef(sid, ref, client.id, client.code, "open", expected_date)


def _refuse_duplicate(client_id: int, client_code: str, ref: str) -> None:
    if InboundShipment.select().where((InboundShipment.client == client_id)
                                      & (InboundShipment.ref == ref)).exists():
        raise Conflict(f"{client_code} already has a shipment {ref}")


def _check_text(carrier: str, tracking: str) -> None:
    for what, value in (("carrier", carrier), ("tracking", tracking)):
        if len((value or "").strip()) > 100:
            raise ValidationError(f"{what} is longer than 100 characters")


def _insert_shipment(client_id: int, ref: str, expected_date: dt.date | None, carrier: str,
                     tracking: str, notes: str, actor: Actor) -> int:
    s = InboundShipment.create(client=client_id, ref=ref, expected_date=expected_date,
                               carrier=carrier.strip(), tracking=tracking.strip(), notes=notes,
                               status="open", created_at=clock.now())
    audit.status_changed(DOC_TYPE, s.id, "", "open", actor=actor, client_id=client_id)
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
    actor.require("receiver", action="edit inbound shipments")
    _check_qty(qty)
    with db.write():
        s = _shipment_for_update(shipment_id)
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
        return _line_row(shipment_id, p.id)


def import_asn(path: str | Path, *, client_code: str, ref: str, actor: Actor,
               expected_date: dt.date | None = None, carrier: str = "",
               tracking: str = "") -> ImportAsnResult:
    """An inbound shipment from CSV: columns ``sku,qty`` and optionally ``barcode,name``.

    An unknown SKU with a name creates the product (with its barcode); without a name it is
    an error. All or nothing: any bad line rejects the whole file.

    Raises:
        NotFound: unknown client.
        Conflict: the client already has a shipment with this reference.
        ImportRejected: bad file; line-numbered messages.
    """
    actor.require("receiver", action="import inbound shipments")
    ref = _check_ref(ref)
    _check_text(carrier, tracking)
    client = catalog.client_by_code(client_code)
    if InboundShipment.select().where((InboundShipment.client == client.id)
                                      & (InboundShipment.ref == ref)).exists():
        raise Conflict(f"{client.code} already has a shipment {ref}")
    rows = catalog.read_csv_rows(path, required={"sku", "qty"}, what="ASN file", max_bytes=MAX_ASN_BYTES)
    existing = {sku: pid for pid, sku in db.execute(
        "SELECT id, sku FROM product WHERE client_id = ?", (client.id,)).fetchall()}
    owners = {code: pid for code, pid in db.execute(
        "SELECT code, product_id FROM product_barcode WHERE client_id = ?", (client.id,)).fetchall()}
    errors: list[str] = []
    wanted: dict[str, int] = {}
    new_products: dict[str, tuple[str, int]] = {}  # sku -> (name, line)
    links: dict[str, tuple[str, int, str]] = {}  # normalised code -> (sku, line, raw)
    for line, row in rows:
        sku = row.get("sku", "")
        if not sku:
            errors.append(f"line {line}: empty sku")
            continue
        too_long = [f"{column} longer than {limit} characters" for column, limit in _ASN_LIMITS
                    if len(row.get(column, "")) > limit]
        if too_long:  # PostgreSQL would refuse the insert; SQLite would keep it silently
            errors.append(f"line {line}: " + ", ".join(too_long))
            continue
        qty = catalog.parse_int(row.get("qty", ""), line=line, column="qty", errors=errors, minimum=1)
        if qty is not None and qty > MAX_UNITS_PER_SCAN:
            errors.append(f"line {line}: qty {qty} is more than {MAX_UNITS_PER_SCAN}")
            qty = None
        name = row.get("name", "")
        if sku not in existing and sku not in new_products:
            if not name:
                errors.append(f"line {line}: unknown sku {sku} for {client.code} and no name to create it")
            else:
                new_products[sku] = (name, line)
        raw = row.get("barcode", "")
        if raw and raw.isascii() and raw.isdigit() and len(raw) in (8, 12, 13, 14) and not is_valid_gtin(raw):
            # A typo in a UPC/EAN: linked as typed, the real barcode would never match.
            errors.append(f"line {line}: barcode {raw} has a wrong check digit for a "
                          f"{len(raw)}-digit UPC/EAN/GTIN")
        elif raw:
            code = normalize_code(raw)
            owner = owners.get(code)
            if owner is not None and owner != existing.get(sku):
                other = next((s for s, pid in existing.items() if pid == owner), "another product")
                errors.append(f"line {line}: barcode {raw} already belongs to {other}")
            elif code in links and links[code][0] != sku:
                errors.append(f"line {line}: barcode {raw} also on line {links[code][1]}")
            elif owner is None:
                links[code] = (sku, line, raw)
        if qty is not None:
            wanted[sku] = wanted.get(sku, 0) + qty
    if errors:
        raise ImportRejected("ASN file", errors)
    with db.write():
        _refuse_duplicate(client.id, client.code, ref)
        # Bulk inserts: a 20,000-line ASN took 11 s row by row.
        _insert_chunks(Product, [dict(client=client.id, sku=sku, name=name)
                                 for sku, (name, _line) in new_products.items()])
        if new_products:
            existing = {sku: pid for pid, sku in db.execute(
                "SELECT id, sku FROM product WHERE client_id = ?", (client.id,)).fetchall()}
        _insert_chunks(ProductBarcode, [dict(product=existing[sku], client=client.id, code=code,
                                             kind=gtin_kind(raw), pack_qty=1)
                                        for code, (sku, _line, raw) in links.items()])
        sid = _insert_shipment(client.id, ref, expected_date, carrier, tracking, "", actor)
        _insert_chunks(ReceiptLine, [dict(shipment=sid, product=existing[sku], expected_qty=qty)
                                     for sku, qty in wanted.items()])
        audit.record("import_asn", actor=actor, client_id=client.id, doc_type=DOC_TYPE, doc_id=sid,
                     detail=f"{Path(path).name} as {ref}: {len(wanted)} lines, "
                            f"{len(new_products)} new products")
    return ImportAsnResult(ShipmentRef(sid, ref, client.id, client.code, "open", expected_date),
                           len(wanted), sum(wanted.values()), len(new_products), len(links))


def _insert_chunks(model: type[BaseModel], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (field name -> value; the model's defaults fill the rest) through
    one prepared statement: peewee's insert_many spent seconds building SQL for a
    20,000-line ASN."""
    if not rows:
        return
    fields = [f for f in model._meta.sorted_fields if not f.primary_key]
    defaults = {f.name: (f.default() if callable(f.default) else f.default)
                for f in fields if f.default is not None}
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join("?" for _ in fields)
    db.executemany(f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})',
                   [[f.db_value(row[f.name] if f.name in row else defaults[f.name]) for f in fields]
                    for row in rows])


def cancel_shipment(shipment_id: int, *, actor: Actor, reason: str = "") -> ShipmentRef:
    """Cancel a shipment nothing was received against."""
    actor.require("receiver", action="cancel inbound shipments")
    with db.write():
        sid, ref, client_id, status = _shipment_for_update(shipment_id)
        SHIPMENT_FLOW.guard(status, "cancelled", label=ref)
        InboundShipment.update(status="cancelled").where(InboundShipment.id == sid).execute()
        audit.status_changed(DOC_TYPE, sid, status, "cancelled", actor=actor, client_id=client_id,
                             note=reason)
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
        raise NotFound(f"no inbound shipment {_shown(ref)}")
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
        raise NotFound(f"no inbound shipment {_shown(ref)}" + (f" for {client_code.upper()}" if client_code else ""))
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
        where.append("s.status IN ('open', 'receiving')")
    if client_code:
        where.append("c.code = ?")
        params.append(client_code.strip().upper())
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " GROUP BY s.id, s.ref, c.code, s.status, s.expected_date ORDER BY s.expected_date, s.id"
    return [ShipmentSummary(r[0], r[1], r[2], r[3], db.as_date(r[4]), int(r[5]), int(r[6]))
            for r in db.execute(sql, params).fetchall()]


_LINE_SELECT = (
    "SELECT l.id, l.product_id, p.sku, p.name, l.expected_qty, l.received_qty, l.damaged_qty, "
    "l.is_extra FROM receipt_line l JOIN product p ON p.id = l.product_id "
)


def _line_from(row: Sequence[Any]) -> LineRow:
    return LineRow(row[0], row[1], row[2], row[3], int(row[4]), int(row[5]), int(row[6]), bool(row[7]))


def _line_row(shipment_id: int, product_id: int) -> LineRow:
    row = db.execute(_LINE_SELECT + "WHERE l.shipment_id = ? AND l.product_id = ?",
                     (shipment_id, product_id)).fetchone()
    if row is None:
        raise NotFound(f"no receipt line for product #{product_id}")
    return _line_from(row)


def shipment_detail(shipment_id: int) -> ShipmentDetail:
    """The shipment with its lines (expected / received / damaged / remaining)."""
    row = db.execute(
        "SELECT s.id, s.ref, s.client_id, c.code, c.name, s.carrier, s.tracking, s.expected_date, "
        "s.status, s.notes, s.created_at, s.first_received_at, s.closed_at, s.closed_by "
        "FROM inbound_shipment s JOIN client c ON c.id = s.client_id WHERE s.id = ?",
        (shipment_id,)).fetchone()
    if row is None:
        raise NotFound(f"no inbound shipment #{shipment_id}")
    lines = tuple(_line_from(r) for r in db.execute(
        _LINE_SELECT + "WHERE l.shipment_id = ? ORDER BY l.is_extra, p.sku", (shipment_id,)).fetchall())
    who = tuple(r[0] for r in db.execute(
        "SELECT user_name FROM stock_move WHERE doc_type = ? AND doc_id = ? AND kind = 'receive' "
        "GROUP BY user_name ORDER BY MIN(id)", (DOC_TYPE, shipment_id)).fetchall())
    return ShipmentDetail(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6], db.as_date(row[7]), row[8], row[9],
        db.as_datetime(row[10]), db.as_datetime(row[11]), db.as_datetime(row[12]), row[13], who, lines,
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
            f"WHERE l.product_id IN ({marks}) AND s.status IN ('open', 'receiving') "
            "AND s.expected_date IS NOT NULL AND l.expected_qty > l.received_qty + l.damaged_qty "
            "GROUP BY l.product_id", chunk,
        ).fetchall():
            d = db.as_date(date)
            if d is not None:
                result[pid] = d
    return result


# --- Scan to receive ----------------------------------------------------------------


def _shipment_for_update(shipment_id: int) -> tuple[int, str, int, str]:
    row = db.execute("SELECT id, ref, client_id, status FROM inbound_shipment WHERE id = ?"
                     + db.for_update(), (shipment_id,)).fetchone()
    if row is None:
        raise NotFound(f"no inbound shipment #{shipment_id}")
    return row[0], row[1], row[2], row[3]


def receive_scan(shipment_id: int, code: str, *, actor: Actor, qty: int | None = None,
                 damaged: bool = False) -> ReceiveResult:
    """One scan at the receiving desk, committed before it returns.

    The scanned code counts one unit, a case-pack code its pack quantity; a keyed ``qty``
    multiplies that. Good units go SUPPLIER -> RECEIVING, damaged ones -> QUARANTINE. A
    product of the client that is not on the ASN becomes an extra line (``result.extra``);
    more than expected sets ``result.over_receipt``.

    Raises:
        UnknownBarcode: the code is none of this client's products (offer link/create).
        InvalidTransition: the shipment is closed or cancelled.
        ValidationError: bad quantity.
    """
    actor.require("receiver", action="receive goods")
    count = 1 if qty is None else _check_qty(qty)
    code = _scanned(code)
    with db.write():
        sid, ref, client_id, status = _shipment_for_update(shipment_id)
        if status not in ACTIVE_STATUSES:
            raise InvalidTransition(f"shipment {ref} is {status}: nothing more can be received")
        match = find_product_code(code, client_id=client_id)
        if match is None:
            raise UnknownBarcode(code, f"unknown barcode {_shown(code)} for this client")
        units = _check_qty(count * match.pack_qty, "received quantity")
        dest = ledger.location("QUARANTINE" if damaged else "RECEIVING")
        move_id = ledger.apply_move(
            match.id, ledger.location("SUPPLIER").id, dest.id, units, kind="receive", actor=actor,
            reason="damaged" if damaged else "", doc_type=DOC_TYPE, doc_id=sid, doc_ref=ref,
            client_id=client_id,
        )
        column = "damaged_qty" if damaged else "received_qty"
        cur = db.execute(f"UPDATE receipt_line SET {column} = {column} + ? "
                         "WHERE shipment_id = ? AND product_id = ?", (units, sid, match.id))
        if cur.rowcount == 0:
            db.execute(
                "INSERT INTO receipt_line (shipment_id, product_id, expected_qty, received_qty, "
                "damaged_qty, is_extra) VALUES (?, ?, 0, ?, ?, ?)",
                (sid, match.id, 0 if damaged else units, units if damaged else 0, True))
        first = status == "open"
        if first:
            db.execute("UPDATE inbound_shipment SET status = 'receiving', first_received_at = ? "
                       "WHERE id = ?", (clock.now(), sid))
            audit.status_changed(DOC_TYPE, sid, "open", "receiving", actor=actor, client_id=client_id)
        row = db.execute(_LINE_SELECT + "WHERE l.shipment_id = ? AND l.product_id = ?",
                         (sid, match.id)).fetchone()
    line = _line_from(row)
    return ReceiveResult(
        move_id, sid, ref, match.id, line.sku, line.name, units, damaged, dest.code, line,
        extra=line.is_extra, over_receipt=line.arrived > line.expected, first_scan=first,
    )


def undo_receipt(shipment_id: int, *, actor: Actor, move_id: int | None = None) -> UndoResult:
    """Undo this desk's last receiving scan of a shipment (or a given one) with a reversing move.

    "Last" is the last scan by the same user at the same station: when two desks receive
    one large shipment, Ctrl+Z at one desk must not take back the other desk's unit.

    Raises:
        NotFound: nothing of this desk's left to undo.
        InvalidTransition: the shipment is closed.
        OutOfStock: the units were put away already.
    """
    actor.require("receiver", action="undo receiving scans")
    with db.write():
        sid, ref, client_id, status = _shipment_for_update(shipment_id)
        if status not in ACTIVE_STATUSES:
            raise InvalidTransition(f"shipment {ref} is {status}: its scans cannot be undone")
        sql = ("SELECT m.id, m.product_id, m.to_location_id, m.qty FROM stock_move m "
               "WHERE m.doc_type = ? AND m.doc_id = ? AND m.kind = 'receive' AND NOT EXISTS "
               "(SELECT 1 FROM stock_move u WHERE u.reverses_id = m.id)")
        params: list[object] = [DOC_TYPE, sid]
        if move_id is not None:
            sql += " AND m.id = ?"
            params.append(move_id)
        else:
            sql += " AND m.user_name = ? AND m.station = ?"
            params += [actor.name, actor.station or ""]
        row = db.execute(sql + " ORDER BY m.id DESC LIMIT 1", params).fetchone()
        if row is None:
            mine = "" if move_id is not None else f" by {actor.name} at {actor.station or 'this station'}"
            raise NotFound(f"nothing to undo on shipment {ref}{mine}")
        undone, product_id, to_id, units = row
        damaged = to_id == ledger.location("QUARANTINE").id
        try:
            rev = ledger.reverse_move_in_tx(undone, actor=actor, reason=f"undo scan on {ref}")
        except OutOfStock:
            sku = db.execute("SELECT sku FROM product WHERE id = ?", (product_id,)).fetchone()[0]
            raise OutOfStock(f"the {units} {sku} of that scan are no longer in "
                             f"{'QUARANTINE' if damaged else 'RECEIVING'} (put away?): "
                             "cannot undo") from None
        column = "damaged_qty" if damaged else "received_qty"
        db.execute(f"UPDATE receipt_line SET {column} = {column} - ? "
                   "WHERE shipment_id = ? AND product_id = ?", (units, sid, product_id))
        row = db.execute(_LINE_SELECT + "WHERE l.shipment_id = ? AND l.product_id = ?",
                         (sid, product_id)).fetchone()
        found = _line_from(row)
        sku = found.sku
        line: LineRow | None = found
        if found.is_extra and found.arrived == 0:
            db.execute("DELETE FROM receipt_line WHERE id = ?", (found.line_id,))
            line = None
    return UndoResult(rev, undone, sku, units, damaged, line)


def close_shipment(shipment_id: int, *, actor: Actor, note: str = "") -> CloseResult:
    """Freeze a shipment: no more scans; what did not arrive is short on the report.

    Raises:
        InvalidTransition: closed or cancelled already.
    """
    actor.require("receiver", action="close inbound shipments")
    with db.write():
        sid, ref, client_id, status = _shipment_for_update(shipment_id)
        SHIPMENT_FLOW.guard(status, "closed", label=ref)
        now = clock.now()
        InboundShipment.update(status="closed", closed_at=now, closed_by=actor.name).where(
            InboundShipment.id == sid).execute()
        audit.status_changed(DOC_TYPE, sid, status, "closed", actor=actor, client_id=client_id,
                             note=note)
        detail = shipment_detail(sid)
    return CloseResult(sid, ref, now, detail.total_expected, detail.total_received,
                       detail.total_damaged, detail.total_remaining)


# --- Putaway --------------------------------------------------------------------------


def _product_for_putaway(code: str, client_id: int | None) -> ScanMatch:
    code = _scanned(code)
    match = find_product_code(code, client_id=client_id)
    if match is None:
        raise UnknownBarcode(code, f"unknown product barcode {_shown(code)}")
    return match


def _product_by_id(product_id: int) -> ScanMatch:
    row = db.execute("SELECT sku, client_id FROM product WHERE id = ?", (product_id,)).fetchone()
    if row is None:
        raise NotFound(f"no product #{product_id}")
    return ScanMatch("product", product_id, row[0], row[0], row[1], 1)


def suggest_bin(product_id: int) -> tuple[str | None, str]:
    """Where to put a product: the bin already holding it, else an empty bin in its zone."""
    row = db.execute(
        "SELECT l.code, sl.on_hand FROM stock_level sl JOIN location l ON l.id = sl.location_id "
        "WHERE sl.product_id = ? AND l.kind = 'bin' AND sl.on_hand > 0 "
        "ORDER BY sl.on_hand DESC, l.pick_seq, l.code LIMIT 1", (product_id,)).fetchone()
    if row:
        return row[0], f"holds {row[1]} already"
    zone = db.execute("SELECT zone FROM product WHERE id = ?", (product_id,)).fetchone()[0] or ""
    empty = ("SELECT l.code, l.zone FROM location l WHERE l.kind = 'bin' AND l.active = ? {zone} "
             "AND NOT EXISTS (SELECT 1 FROM stock_level sl WHERE sl.location_id = l.id "
             "AND sl.on_hand > 0) ORDER BY l.pick_seq, l.code LIMIT 1")
    if zone:
        row = db.execute(empty.format(zone="AND l.zone = ?"), (True, zone)).fetchone()
        if row:
            return row[0], f"empty bin in zone {zone}"
        return None, f"no empty bin left in zone {zone}"
    row = db.execute(empty.format(zone=""), (True,)).fetchone()
    if row:
        return row[0], "empty bin"
    return None, "no empty bin"


def putaway_suggestion(code: str, *, client_id: int | None = None,
                       require_waiting: bool = False) -> PutawaySuggestion:
    """What a scanned product is, how many wait in RECEIVING and where they should go.

    Raises:
        UnknownBarcode: the code matches no product.
        ValidationError: ``require_waiting`` and none of it waits in RECEIVING.
    """
    match = _product_for_putaway(code, client_id)
    waiting = ledger.on_hand(match.id, "RECEIVING")
    if require_waiting and waiting <= 0:
        raise ValidationError(f"no {match.label} waits in RECEIVING")
    bin_code, reason = suggest_bin(match.id)
    row = db.execute("SELECT name FROM product WHERE id = ?", (match.id,)).fetchone()
    return PutawaySuggestion(match.id, match.label, row[0], match.client_id or 0, waiting,
                             bin_code, reason)


def putaway(code: str, bin_code: str, *, actor: Actor, qty: int | None = None,
            client_id: int | None = None, product_id: int | None = None,
            shipment_id: int | None = None) -> PutawayResult:
    """Move a product from RECEIVING to a bin (all of it waiting there unless ``qty``).

    Back-orders waiting for the product are allocated in the same transaction. The desk,
    which resolved the scan already (``putaway_suggestion``), passes ``product_id`` so the
    product cannot change between the two scans. ``shipment_id`` (the shipment the units
    came in with) is recorded on the move as its document.

    Raises:
        UnknownBarcode: the product code matches nothing.
        NotFound: no such bin.
        ValidationError: the location is not a bin, or nothing waits in RECEIVING.
        OutOfStock: fewer than ``qty`` wait in RECEIVING.
    """
    actor.require("receiver", action="put stock away")
    if qty is not None:
        _check_qty(qty)
    match = _product_for_putaway(code, client_id) if product_id is None else _product_by_id(product_id)
    bin_code = clean_scan(bin_code or "").upper()
    if not bin_code or len(bin_code) > MAX_CODE_LENGTH:
        raise ValidationError(f"scan or type a bin, not {_shown(bin_code)}")
    dest = ledger.location(bin_code)
    if dest.kind != "bin":
        raise ValidationError(f"{dest.code} is not a bin: put stock away into a bin")
    src = ledger.location("RECEIVING")
    doc: dict[str, Any] = {}
    if shipment_id is not None:
        ship = shipment_ref(shipment_id)
        if match.client_id is not None and ship.client_id != match.client_id:
            raise ValidationError(f"{match.label} is not {ship.client_code}'s: it did not come in "
                                  f"with shipment {ship.ref}")
        doc = dict(doc_type=DOC_TYPE, doc_id=ship.id, doc_ref=ship.ref)
    with db.write():
        waiting = db.execute("SELECT on_hand FROM stock_level WHERE product_id = ? AND location_id = ?"
                             + db.for_update(), (match.id, src.id)).fetchone()
        waiting_qty = int(waiting[0]) if waiting else 0
        if waiting_qty <= 0:
            raise ValidationError(f"no {match.label} waits in RECEIVING")
        units = waiting_qty if qty is None else qty
        suggested, _ = suggest_bin(match.id)
        move_id = ledger.apply_move(match.id, src.id, dest.id, units, kind="putaway", actor=actor,
                                       client_id=match.client_id, **doc)
        ledger.stock_arrived({match.id}, actor=actor)
    return PutawayResult(move_id, match.id, match.label, units, dest.code, waiting_qty - units, suggested)
