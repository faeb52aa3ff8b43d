"""Count tasks: what a supervisor asks to be counted (a bin, a zone, a product's bins, stale bins).

A task is a list of bins. Each bin is counted whole, blind: the counter never sees what the
ledger expects there. A bin belongs to one unfinished task at a time, so two counts never
adjust the same shelf twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.catalog.scan import find_product_code
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import InvalidTransition, NotFound, ValidationError
from app.kernel.states import CountStatus
from app.store import audit, db
from app.store.places import location
from app.store.settings import get_setting, next_sequence, set_setting

SEQUENCE = "count_task"
CENT = Decimal("0.01")
APPROVE_UNITS_KEY = "count_approve_units"
DEFAULT_APPROVE_UNITS = 5
APPROVE_VALUE_KEY = "count_approve_value"  # unset: no limit by value
# Tasks whose bins may still be counted (a bin is in one of them at most).
UNFINISHED = (CountStatus.OPEN, CountStatus.COUNTING)


@dataclass(frozen=True)
class TaskRow:
    id: int
    number: str
    status: str
    client_id: int | None
    scope: str


@dataclass(frozen=True)
class CreatedTask:
    """A new count task and the bins it covers, in walk order."""

    id: int
    number: str
    scope: str
    bins: tuple[str, ...]


def approve_units() -> int:
    """Differences of more units than this wait for a supervisor (``count_approve_units``)."""
    value = (get_setting(APPROVE_UNITS_KEY) or "").strip()
    return int(value) if value.isdigit() else DEFAULT_APPROVE_UNITS


def approve_value() -> Decimal | None:
    """Differences worth more than this (units x unit cost) wait for a supervisor
    (``count_approve_value``, money); None when unset."""
    value = (get_setting(APPROVE_VALUE_KEY) or "").strip()
    try:
        return Decimal(_valid_money(value)) if value else None
    except ValidationError:
        return None


def set_approve_value(value: str, *, actor: Actor) -> Decimal | None:
    """Set ``count_approve_value`` (an amount like 50 or 49.90; "" for no limit by value).

    Raises:
        ValidationError: not an amount of money.
        PermissionDenied: not a supervisor.
    """
    stored = set_setting(APPROVE_VALUE_KEY, value, actor=actor, validate=_valid_money)
    return Decimal(stored) if stored else None


def valid_approve_units(value: str) -> str:
    """``count_approve_units``: a whole number of units from 0 (every difference waits)."""
    text = value.strip()
    if not text.isdigit() or int(text) > 1_000_000:
        raise ValidationError(f"count approval units must be a whole number from 0 to 1000000, "
                              f"not {text!r}")
    return str(int(text))


def _valid_money(value: str) -> str:
    text = value.strip()
    if not text:
        return ""
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"count approval value must be an amount like 50.00, not {text!r}") from None
    if not amount.is_finite() or amount < 0 or amount >= 10**10:
        raise ValidationError(f"count approval value must be an amount like 50.00, not {text!r}")
    return str(amount.quantize(CENT, rounding=ROUND_HALF_UP))


def task_row(task: int | str, *, lock: bool = False) -> TaskRow:
    """A count task by id or number (CNT000001); ``lock`` holds it for this transaction.

    Raises:
        NotFound: no such task.
    """
    key: list[object]
    if isinstance(task, int) and not isinstance(task, bool):
        where, key = "id = ?", [task]
    else:
        where, key = "number = ?", [str(task).strip().upper()]
    row = db.execute(f"SELECT id, number, status, client_id, scope FROM count_task WHERE {where}"
                     + (db.for_update() if lock else ""), key).fetchone()
    if row is None:
        raise NotFound(f"no count task {task!r}")
    return TaskRow(int(row[0]), row[1], row[2], row[3], row[4])


def require_status(t: TaskRow, *allowed: CountStatus) -> None:
    """Refuse (InvalidTransition) unless the task is in one of ``allowed``."""
    if t.status not in allowed:
        raise InvalidTransition(f"count {t.number} is {t.status.replace('_', ' ')}")


def _client_id(client: str | None) -> int | None:
    if not client:
        return None
    row = db.execute("SELECT id FROM client WHERE code = ?", (client.strip().upper(),)).fetchone()
    if row is None:
        raise NotFound(f"no client {client!r}")
    return int(row[0])


def _bins(*, bin_code: str | None, zone: str | None, product: str | None, stale_days: int | None,
          client_id: int | None) -> tuple[str, list[tuple[int, str]]]:
    """(the scope in words, [(bin id, code)]) for what was asked."""
    order = " ORDER BY l.pick_seq, l.code"
    holds = ("EXISTS (SELECT 1 FROM stock_level sl JOIN product p ON p.id = sl.product_id "
             "WHERE sl.location_id = l.id AND sl.on_hand > 0 AND p.client_id = ?)")
    if bin_code is not None:
        loc = location(bin_code.strip())
        if loc.kind != "bin":
            raise ValidationError(f"{loc.code} is not a bin: counts are of bins")
        return f"bin {loc.code}", [(loc.id, loc.code)]
    if zone is not None:
        z = zone.strip().upper()
        params: list[object] = [True, z]
        where = "l.kind = 'bin' AND l.active = ? AND upper(l.zone) = ?"
        if client_id is not None:
            where, params = f"{where} AND {holds}", [*params, client_id]
        rows = db.execute(f"SELECT l.id, l.code FROM location l WHERE {where}{order}", params).fetchall()
        return f"zone {z}", rows
    if product is not None:
        hit = find_product_code(product.strip(), client_id=client_id)  # its SKU or a barcode (scanned)
        if hit is None:
            raise NotFound(f"no product {product.strip()!r}")
        rows = db.execute("SELECT l.id, l.code FROM location l JOIN stock_level sl ON sl.location_id = l.id "
                          f"WHERE sl.product_id = ? AND sl.on_hand > 0 AND l.kind = 'bin'{order}",
                          (hit.id,)).fetchall()
        return f"product {hit.label}", rows
    days = stale_days if stale_days is not None else -1
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValidationError(f"days must be a whole number of 0 or more, not {stale_days!r}")
    cutoff = clock.now() - dt.timedelta(days=days)
    where = ("l.kind = 'bin' AND l.active = ? AND NOT EXISTS (SELECT 1 FROM count_bin cb WHERE "
             "cb.location_id = l.id AND cb.status = 'counted' AND cb.started_at >= ?)")
    params = [True, cutoff]
    if client_id is not None:
        where, params = f"{where} AND {holds}", [*params, client_id]
    rows = db.execute(f"SELECT l.id, l.code FROM location l WHERE {where}{order}", params).fetchall()
    return f"bins not counted for {days} days", rows


def create_task(*, bin_code: str | None = None, zone: str | None = None, product: str | None = None,
                stale_days: int | None = None, client: str | None = None, actor: Actor) -> CreatedTask:
    """Ask for a blind count of one bin, a zone, the bins holding a product, or the bins not
    counted for ``stale_days`` days (``client`` narrows a zone or stale count to the bins
    holding that client's goods, and names the client of a SKU).

    Raises:
        PermissionDenied: not a supervisor.
        ValidationError: not exactly one of the four asked, no bin found, a bin already in
            another unfinished count.
        NotFound: unknown bin, client or product.
    """
    actor.require_to("create count tasks")
    for what, given in (("bin", bin_code), ("zone", zone), ("product", product)):
        if given is not None and not given.strip():
            raise ValidationError(f"type or scan the {what} to count")
    asked = [x for x in (bin_code, zone, product, stale_days) if x is not None]
    if len(asked) != 1:
        raise ValidationError("name exactly one of: a bin, a zone, a product, or days since the last count")
    with db.write():
        client_id = _client_id(client)
        scope, bins = _bins(bin_code=bin_code, zone=zone, product=product, stale_days=stale_days,
                            client_id=client_id)
        if not bins:
            raise ValidationError(f"no bins to count for {scope}")
        return new_task(scope, bins, client_id=client_id, actor=actor)


def new_task(scope: str, bins: list[tuple[int, str]], *, client_id: int | None, actor: Actor,
             recount_of: int | None = None) -> CreatedTask:
    """Write a task over ``bins`` (inside the caller's transaction)."""
    ids = [b for b, _ in bins]
    busy = db.execute(
        "SELECT l.code, t.number FROM count_bin cb JOIN count_task t ON t.id = cb.task_id "
        "JOIN location l ON l.id = cb.location_id WHERE t.status IN (?, ?) "
        f"AND cb.location_id IN ({', '.join('?' * len(ids))}) ORDER BY l.code LIMIT 1",
        [*UNFINISHED, *ids]).fetchone()
    if busy:
        raise ValidationError(f"{busy[0]} is already in count {busy[1]}: finish or cancel it first")
    number = f"CNT{next_sequence(SEQUENCE):06d}"
    task_id = int(db.execute(
        "INSERT INTO count_task (number, client_id, scope, status, recount_of_id, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (number, client_id, scope[:200], CountStatus.OPEN, recount_of, actor.name, clock.now()),
    ).fetchone()[0])
    db.executemany("INSERT INTO count_bin (task_id, location_id, status, since_move, counted_by, empty) "
                   "VALUES (?, ?, 'open', 0, '', ?)", [(task_id, b, False) for b in ids])
    audit.transition(CountStatus, task_id, "", CountStatus.OPEN, actor=actor, client_id=client_id,
                     write=False, note=scope[:200], label=f"count {number}")
    return CreatedTask(task_id, number, scope, tuple(code for _, code in bins))


def cancel_task(task: int | str, *, actor: Actor) -> str:
    """Drop a count not yet finished (nothing was adjusted); returns its number.

    Raises:
        PermissionDenied: not a supervisor.
        InvalidTransition: the task is finished already.
    """
    actor.require_to("cancel count tasks")
    with db.write():
        t = task_row(task, lock=True)
        require_status(t, *UNFINISHED)
        audit.transition(CountStatus, t.id, t.status, CountStatus.CANCELLED, actor=actor,
                         client_id=t.client_id, label=f"count {t.number}")
    return t.number
