"""The counter's scans: a bin, then every unit (or a unit and a keyed quantity), blind.

A bin's first scan records the ledger as it stands (the last move and every balance there):
the count is compared with that, so stock moved in or out while the bin is being counted
is not taken for a difference. Nothing returned here says what the ledger expects.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.catalog.scan import ScanMatch, find_product_code
from app.counting.tasks import UNFINISHED, TaskRow, require_status, task_row
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import NotFound, UnknownBarcode, ValidationError
from app.kernel.states import CountStatus
from app.ledger.lots import check_lot, register_lot
from app.store import audit, changes, db
from app.store.places import location

MAX_QTY = 100_000


@dataclass(frozen=True)
class BinStart:
    id: int
    location_id: int
    code: str
    since_move: int
    status: str


@dataclass(frozen=True)
class ScanResult:
    """One counted scan: what was added and the running count of that product in the bin."""

    number: str
    bin_code: str
    sku: str
    added: int
    counted: int

    def message(self) -> str:
        return f"{self.bin_code}: {self.sku} +{self.added} (counted {self.counted})"


@dataclass(frozen=True)
class BinResult:
    """A bin opened for counting, or counted empty."""

    number: str
    bin_code: str
    empty: bool

    def message(self) -> str:
        return f"{self.bin_code} counted empty" if self.empty else f"counting {self.bin_code}: scan its units"


def _qty(qty: object) -> int:
    if isinstance(qty, bool) or not isinstance(qty, int) or not 0 < qty <= MAX_QTY:
        raise ValidationError(f"quantity must be a whole number from 1 to {MAX_QTY}, not {qty!r}")
    return qty


def start_bin(t: TaskRow, bin_code: str, *, actor: Actor) -> BinStart:
    """The task's bin, its count begun if this is its first scan (inside the transaction).

    Raises:
        NotFound: no such location.
        ValidationError: the bin is not in this task, or was counted empty.
    """
    loc = location(bin_code.strip())
    row = db.execute("SELECT id, status, since_move FROM count_bin WHERE task_id = ? AND location_id = ?"
                     + db.for_update(), (t.id, loc.id)).fetchone()
    if row is None:
        raise ValidationError(f"{loc.code} is not in count {t.number}")
    cb_id, status, since = int(row[0]), row[1], int(row[2])
    if status == "counted":
        raise ValidationError(f"{loc.code} was counted empty in {t.number}: ask for a recount")
    if status == "open":
        since = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM stock_move").fetchone()[0])
        db.execute("INSERT INTO count_line (task_id, location_id, product_id, lot, expected_at_start, counted, "
                   "status, adjusted) SELECT ?, location_id, product_id, lot, on_hand, 0, 'open', 0 "
                   "FROM stock_level WHERE location_id = ? AND on_hand > 0", (t.id, loc.id))
        db.execute("UPDATE count_bin SET status = 'counting', since_move = ?, started_at = ?, counted_by = ? "
                   "WHERE id = ?", (since, clock.now(), actor.name, cb_id))
        status = "counting"
        if t.status == CountStatus.OPEN:
            audit.transition(CountStatus, t.id, t.status, CountStatus.COUNTING, actor=actor,
                             client_id=t.client_id, label=f"count {t.number}")
    changes.changed("count", t.id)
    return BinStart(cb_id, loc.id, loc.code, since, status)


def balance_at(product_id: int, location_id: int, since_move: int, lot: str = "") -> int:
    """What the ledger held of a product's lot in a bin just after move ``since_move``."""
    row = db.execute("SELECT on_hand FROM stock_level WHERE product_id = ? AND location_id = ? AND lot = ?",
                     (product_id, location_id, lot)).fetchone()
    now = int(row[0]) if row else 0
    moved = db.execute(
        "SELECT COALESCE(SUM(CASE WHEN to_location_id = ? THEN qty ELSE -qty END), 0) FROM stock_move "
        "WHERE id > ? AND product_id = ? AND lot = ? AND (to_location_id = ? OR from_location_id = ?)",
        (location_id, since_move, product_id, lot, location_id, location_id)).fetchone()[0]
    return now - int(moved)


def open_bin(task: int | str, *, bin_code: str, actor: Actor) -> BinResult:
    """The counter scanned a bin of the task: its count begins (if it had not).

    Raises:
        PermissionDenied: the actor may not count stock (automation).
    """
    actor.require_to("count stock")
    return _open_bin(task, bin_code, actor)


def _open_bin(task: int | str, bin_code: str, actor: Actor) -> BinResult:
    with db.write():
        t = task_row(task, lock=True)
        require_status(t, *UNFINISHED)
        b = start_bin(t, bin_code, actor=actor)
    return BinResult(t.number, b.code, False)


def scan(task: int | str, *, bin_code: str, code: str, qty: int = 1, actor: Actor) -> ScanResult:
    """Count ``qty`` units (a case barcode counts its pack size each) of a scanned product in a bin.

    A product the ledger does not expect in the bin is counted all the same (found stock).

    Raises:
        PermissionDenied: the actor may not count stock (automation).
        NotFound / UnknownBarcode: unknown task, bin or code.
        InvalidTransition: the task is finished or cancelled.
        ValidationError: bad quantity, bin not in the task or counted empty.
    """
    actor.require_to("count stock")
    return _scan(task, bin_code, code, qty, actor)


def _scan(task: int | str, bin_code: str, code: str, qty: int, actor: Actor) -> ScanResult:
    qty = _qty(qty)
    code = (code or "").strip()
    if not code:
        raise ValidationError("scan a product")
    with db.write():
        t = task_row(task, lock=True)
        require_status(t, *UNFINISHED)
        match = find_product_code(code)
        if match is None:
            raise UnknownBarcode(code, f"unknown barcode {code!r}: not a product")
        b = start_bin(t, bin_code, actor=actor)
        lot = _lot_of(match, t.id, b.location_id)
        units = qty * max(1, match.pack_qty)
        cur = db.execute("UPDATE count_line SET counted = counted + ? WHERE task_id = ? AND location_id = ? "
                         "AND product_id = ? AND lot = ?", (units, t.id, b.location_id, match.id, lot))
        if cur.rowcount != 1:
            expected = balance_at(match.id, b.location_id, b.since_move, lot)
            db.execute("INSERT INTO count_line (task_id, location_id, product_id, lot, expected_at_start, "
                       "counted, status, adjusted) VALUES (?, ?, ?, ?, ?, ?, 'open', 0)",
                       (t.id, b.location_id, match.id, lot, expected, units))
        counted = int(db.execute("SELECT counted FROM count_line WHERE task_id = ? AND location_id = ? "
                                 "AND product_id = ? AND lot = ?", (t.id, b.location_id, match.id, lot)).fetchone()[0])
    return ScanResult(t.number, b.code, match.label + (f" lot {lot}" if lot else ""), units, counted)


def _lot_of(match: ScanMatch, task_id: int, location_id: int) -> str:
    """The lot a counted unit belongs to: a GS1 code's lot (recorded with its expiry), else the
    one lot of the product the bin's count knows; "" for a product without lots.

    Raises:
        ValidationError: a product with lots scanned without its lot where the bin's count
            knows several (or none) of them.
    """
    if not match.tracks:
        return ""
    if match.lot:
        lot = check_lot(match.lot)
        register_lot(match.id, lot, match.expiry)
        return lot
    known = [x for (x,) in db.execute(
        "SELECT DISTINCT lot FROM count_line WHERE task_id = ? AND location_id = ? AND product_id = ? "
        "AND lot <> '' ORDER BY lot", (task_id, location_id, match.id)).fetchall()]
    if len(known) == 1:
        return str(known[0])
    raise ValidationError(f"{match.label} is counted by lot: scan the GS1 code that carries its lot")


def count_empty(task: int | str, *, bin_code: str, actor: Actor) -> BinResult:
    """The counter found the bin empty.

    Raises:
        PermissionDenied: the actor may not count stock (automation).
        ValidationError: units were counted in the bin already.
    """
    actor.require_to("count stock")
    with db.write():
        t = task_row(task, lock=True)
        require_status(t, *UNFINISHED)
        b = start_bin(t, bin_code, actor=actor)
        if db.execute("SELECT 1 FROM count_line WHERE task_id = ? AND location_id = ? AND counted > 0",
                      (t.id, b.location_id)).fetchone():
            raise ValidationError(f"units were counted in {b.code}: it is not empty")
        db.execute("UPDATE count_bin SET status = 'counted', empty = ? WHERE id = ?", (True, b.id))
    return BinResult(t.number, b.code, True)


@dataclass(frozen=True)
class StationResult:
    """What a scan at the counts station was: a task, a bin or units; and what to show."""

    kind: str  # task, bin, unit
    number: str
    bin_code: str
    message: str


def station_scan(code: str, *, task: str | None = None, bin_code: str | None = None, qty: int = 1,
                 actor: Actor) -> StationResult:
    """The counts station's one scan: a task number picks the task, a bin of it begins that
    bin's count, anything else is a unit counted in the current bin (``qty`` of it).

    Raises:
        PermissionDenied: the actor may not count stock (automation).
        ValidationError: no task or bin scanned yet, a bin not in the task, a bad quantity.
        NotFound / UnknownBarcode: unknown task or code.
        InvalidTransition: the task is finished or cancelled.
    """
    actor.require_to("count stock")
    code = (code or "").strip()
    if code.upper().startswith("CNT"):
        t = task_row(code)
        require_status(t, *UNFINISHED)
        return StationResult("task", t.number, "", f"count {t.number}: scan a bin")
    if task is None:
        raise ValidationError("scan a count task first (CNT...)")
    try:
        loc = location(code)
    except NotFound:
        loc = None
    if loc is not None and loc.kind == "bin":
        b = _open_bin(task, loc.code, actor)  # (checked above: one read of the user a scan)
        return StationResult("bin", b.number, b.bin_code, b.message())
    if bin_code is None:
        raise ValidationError("scan a bin first")
    r = _scan(task, bin_code, code, qty, actor)
    return StationResult("unit", r.number, r.bin_code, r.message())
