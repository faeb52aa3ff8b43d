"""Short picks: the bin could not give what the list says, and what becomes of the missing units.

The ledger is corrected, the units re-routed to another bin or back-ordered, and the
supervisor sees each case as an exception to resolve.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app import ledger
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, InvalidTransition, NotFound, ValidationError
from app.kernel.states import PickListStatus
from app.kernel.text import INT_MAX
from app.orders import allocation
from app.picking.cancel import after_conflict
from app.picking.lines import (
    OpenLine,
    consume_allocation,
    match_product,
    open_lines,
    release_reserved,
    scanned_bin,
    walk_seq_for,
)
from app.picking.picklist import (
    OPEN_STATUSES,
    SHORT_REASONS,
    WRITE_OFF_REASON,
    ListRow,
    WrongScan,
    list_row,
    maybe_complete,
    positive,
    recompute,
    set_status,
)
from app.picking.view import Stop, stop_pair
from app.store import audit, changes, db


@dataclass(frozen=True)
class Reroute:
    """Units of a short line reserved in another bin: take them there for this tote."""

    bin_code: str
    tote: int
    qty: int


@dataclass(frozen=True)
class ShortResult:
    """One recorded short pick: what the ledger lost and where the units come from instead."""

    picklist_id: int
    number: str
    bin_code: str
    sku: str
    qty_short: int
    written_off: int
    quarantined: int
    rerouted: tuple[Reroute, ...]
    backordered: int
    next_stop: Stop | None
    picklist_status: str

    def message(self) -> str:
        """What the picker is told to do next."""
        parts = []
        if self.rerouted:
            where = ", ".join(f"{r.qty} from {r.bin_code} for tote {r.tote}" for r in self.rerouted)
            parts.append(f"take {where}")
        if self.backordered:
            parts.append(f"{self.backordered} of {self.sku} back-ordered")
        return f"short {self.qty_short} of {self.sku} in {self.bin_code}: " + ("; ".join(parts) or "recorded")


# A short pick's outcome as a screen shows it.
OUTCOME_LABELS = {"rerouted": "Re-routed", "backordered": "Back-ordered"}


@dataclass(frozen=True)
class PickExceptionRow:
    """A short pick for the supervisor to look at."""

    id: int
    created_at: dt.datetime
    picklist: str
    order_number: str
    client: str
    sku: str
    name: str
    bin_code: str
    qty: int
    reason: str
    outcome: str
    user_name: str
    resolved: bool

    @property
    def outcome_text(self) -> str:
        """What became of the missing units, in words ("Back-ordered", not "backordered")."""
        return OUTCOME_LABELS.get(self.outcome, self.outcome)


# --- Helpers ------------------------------------------------------------------------

def exceptions_list(*, include_resolved: bool = False, limit: int = 500) -> list[PickExceptionRow]:
    """Short picks for the supervisor, newest first: what was short, where, and what became of it."""
    where = "" if include_resolved else "WHERE e.resolved_at IS NULL"
    rows = db.execute(
        "SELECT e.id, e.created_at, pl.number, o.number, c.code, p.sku, p.name, l.code, e.qty, "
        "e.reason, e.outcome, e.user_name, e.resolved_at FROM pick_exception e "
        "JOIN pick_list pl ON pl.id = e.picklist_id JOIN order_line ol ON ol.id = e.order_line_id "
        'JOIN "order" o ON o.id = ol.order_id JOIN client c ON c.id = o.client_id '
        "JOIN product p ON p.id = e.product_id JOIN location l ON l.id = e.location_id "
        f"{where} ORDER BY e.id DESC LIMIT {int(limit)}"
    ).fetchall()
    out = []
    for r in rows:
        created = r[1]
        if isinstance(created, str):
            created = dt.datetime.fromisoformat(created)
        out.append(PickExceptionRow(int(r[0]), created, r[2], r[3], r[4], r[5], r[6], r[7], int(r[8]),
                                    r[9], r[10], r[11], r[12] is not None))
    return out


def resolve_exception(exception_id: int, *, actor: Actor, note: str = "") -> None:
    """The supervisor has dealt with a short pick (counted the bin, told the client...)."""
    actor.require_to("resolve pick exceptions")
    if isinstance(exception_id, bool) or not isinstance(exception_id, int) or not 0 < exception_id <= INT_MAX:
        raise NotFound(f"no open pick exception #{exception_id}")  # no row can have that id
    with db.write():
        cur = db.execute("UPDATE pick_exception SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL",
                         (clock.now(), exception_id))
        if cur.rowcount != 1:
            raise NotFound(f"no open pick exception #{exception_id}")
        audit.record("pick_exception_resolved", actor=actor, doc_type="pick_exception",
                     doc_id=exception_id, detail=note)
        changes.changed("picklist")


# --- Picking ------------------------------------------------------------------------

def short_pick(picklist: int | str, *, bin_code: str, product: int | str, qty_short: int,
               reason: str, actor: Actor) -> ShortResult:
    """The bin could not give what the list says: record it and find the units elsewhere.

    The short quantity is taken from the open lines of that bin and product (highest tote,
    i.e. least urgent order, first) and their reservation released. The ledger is then made
    truthful: for ``empty`` all the bin holds of the product is written off (bin ->
    ADJUSTMENT, kind 'adjust', reason 'short pick'), for ``short`` the shortage, for
    ``damaged`` the shortage goes to QUARANTINE, for ``blocked`` nothing moves; what of it
    other orders had reserved is taken back from the least urgent of them (never units still
    to pick on an open list). Each shorted line is then re-reserved from other bins with free
    stock (walk order; new pick lines tell the picker where to go) or, when there is none,
    left back-ordered; the orders that lost their reservation are served after it from what
    is still free. Every case is a PickException for the supervisor.

    Raises:
        ValidationError: unknown reason, bad quantity, more than is open at that stop.
        WrongScan: the bin or item is not an open stop of this list.
    """
    actor.require_to("record a short pick")
    reason = (reason or "").strip().lower()
    if reason not in SHORT_REASONS:
        raise ValidationError(f"reason must be one of {', '.join(SHORT_REASONS)}, not {reason!r}")
    qty_short = positive(qty_short, "short quantity")
    loc = scanned_bin(bin_code)
    try:
        return _short_pick(picklist, loc, product, qty_short, reason, actor=actor)
    except Conflict as exc:
        after_conflict(picklist, exc, actor=actor)
        raise


def _short_pick(picklist: int | str, loc: ledger.LocationRef, product: int | str, qty_short: int,
                reason: str, *, actor: Actor) -> ShortResult:
    with db.write():
        pl = list_row(picklist, lock=True)
        if pl.status not in OPEN_STATUSES:
            raise InvalidTransition(f"pick list {pl.number} is {pl.status}")
        here = open_lines(pl.id, loc.id)
        if not here:
            raise WrongScan(f"pick list {pl.number} has nothing open in {loc.code}")
        if isinstance(product, int) and not isinstance(product, bool):
            product_id = product if any(ln.product_id == product for ln in here) else None
        else:
            m = match_product(str(product).strip(), {ln.product_id for ln in here})
            product_id = m[0] if m else None
        if product_id is None:
            raise WrongScan(f"{product} is not picked from {loc.code} on {pl.number}")
        lines = sorted((ln for ln in here if ln.product_id == product_id),
                       key=lambda ln: (-ln.tote, -ln.id))
        sku, client_id = lines[0].sku, lines[0].client_id
        open_qty = sum(ln.remaining for ln in lines)
        if qty_short > open_qty:
            raise ValidationError(f"only {open_qty} of {sku} are still to pick in {loc.code}")
        now = clock.now()
        shorted: list[tuple[OpenLine, int]] = []
        per_lot: dict[str, int] = {}
        left = qty_short
        for ln in lines:
            n = min(ln.remaining, left)
            if not n:
                continue
            consume_allocation(ln.order_line_id, loc.id, n, ln.lot)
            release_reserved(product_id, loc.id, n, ln.lot)
            per_lot[ln.lot] = per_lot.get(ln.lot, 0) + n
            db.execute("UPDATE order_line SET qty_allocated = qty_allocated - ? WHERE id = ?",
                       (n, ln.order_line_id))
            closed = ln.picked + ln.short + n >= ln.qty
            db.execute("UPDATE pick_line SET qty_short = qty_short + ?, short_reason = ?, status = ? "
                       "WHERE id = ?", (n, reason, "short" if closed else "open", ln.id))
            shorted.append((ln, n))
            left -= n
            if not left:
                break
        if reason == "empty":  # the bin holds none of it: every lot of it there is written off
            for (other,) in db.execute("SELECT lot FROM stock_level WHERE product_id = ? AND location_id = ? "
                                       "AND on_hand > 0 ORDER BY lot", (product_id, loc.id)).fetchall():
                per_lot.setdefault(other, 0)
        written_off = quarantined = 0
        taken: set[int] = set()  # orders whose reservation in the bin went with the stock
        for lot, n_lot in per_lot.items():
            off, quar, lost = _fix_ledger(pl, product_id, loc, n_lot, reason, client_id, actor=actor, lot=lot)
            written_off += off
            quarantined += quar
            taken |= lost
        reroutes: list[Reroute] = []
        backordered = 0
        for ln, n in sorted(shorted, key=lambda x: x[0].tote):
            got = _reroute(pl, ln, n, exclude=loc.id, now=now)
            for bin_code_to, k in got:
                reroutes.append(Reroute(bin_code_to, ln.tote, k))
                _exception(pl, ln, loc.id, k, f"{reason}; take from {bin_code_to}", "rerouted", actor, now)
            missing = n - sum(k for _, k in got)
            if missing:
                backordered += missing
                _exception(pl, ln, loc.id, missing, reason, "backordered", actor, now)
        if taken:  # the shorted lines (the list's most urgent) were served first; now the others
            allocation.allocate_waiting({product_id}, actor=actor)
        audit.record("short_pick", actor=actor, doc_type="picklist", doc_id=pl.id, client_id=client_id,
                     detail=f"{pl.number} {loc.code} {sku} short {qty_short} ({reason}); "
                            f"rerouted {sum(r.qty for r in reroutes)}, back-ordered {backordered}, "
                            f"written off {written_off}, quarantined {quarantined}")
        if pl.status == PickListStatus.OPEN:
            pl = set_status(pl, PickListStatus.PICKING, actor=actor)
        pl = maybe_complete(pl, actor=actor)
        changes.changed("picklist", pl.id)
        if pl.status in OPEN_STATUSES:  # (a finished list's orders were all looked at again)
            recompute({ln.order_id for ln, _ in shorted}, actor=actor)
        _, nxt = stop_pair(pl.id, (loc.id, product_id))
    return ShortResult(pl.id, pl.number, loc.code, sku, qty_short, written_off, quarantined,
                       tuple(reroutes), backordered, nxt, pl.status)

def _fix_ledger(pl: ListRow, product_id: int, loc: ledger.LocationRef, qty_short: int,
                reason: str, client_id: int, *, actor: Actor, lot: str = "") -> tuple[int, int, set[int]]:
    """Take off the books what the picker found missing of a lot: for ``empty`` all the bin
    holds, else the shortage. Units reserved there for orders not on a pick list being picked
    go too, their reservation taken back from the least urgent orders first, which are
    back-ordered (``allocation.release_short``, as a count or an adjustment does); units still
    to be picked on an open list stay until their picker says. Returns (written off,
    quarantined, the orders that lost reserved units)."""
    if reason == "blocked":
        return 0, 0, set()
    row = db.execute("SELECT on_hand FROM stock_level WHERE product_id = ? AND location_id = ? "
                     "AND lot = ?" + db.for_update(), (product_id, loc.id, lot)).fetchone()
    on_hand = int(row[0]) if row else 0
    qty = min(on_hand if reason == "empty" else qty_short, on_hand - _held_for_lists(product_id, loc.id, lot))
    if qty <= 0:
        return 0, 0, set()
    lost = allocation.release_short(product_id, loc.id, qty, lot=lot, actor=actor,
                                    note=f"short pick ({reason}) in {loc.code} on {pl.number}")
    if reason == "damaged":
        ledger.apply_move(product_id, loc.id, ledger.location("QUARANTINE").id, qty,
                             kind="transfer", actor=actor, reason="short pick: damaged",
                             doc_type="picklist", doc_id=pl.id, doc_ref=pl.number, client_id=client_id, lot=lot)
        return 0, qty, lost
    ledger.apply_move(product_id, loc.id, ledger.location("ADJUSTMENT").id, qty, kind="adjust",
                         actor=actor, reason=WRITE_OFF_REASON, doc_type="picklist", doc_id=pl.id,
                         doc_ref=pl.number, client_id=client_id, lot=lot)
    return qty, 0, lost


def _held_for_lists(product_id: int, location_id: int, lot: str) -> int:
    """Units of a lot in a bin reserved for open lines of pick lists open or being picked:
    the ones ``allocation.take_back`` never takes."""
    row = db.execute(
        "SELECT COALESCE(SUM(a.qty), 0) FROM allocation a WHERE a.product_id = ? AND a.location_id = ? "
        "AND a.lot = ? AND EXISTS (SELECT 1 FROM pick_line pk JOIN pick_list pl ON pl.id = pk.picklist_id "
        "WHERE pk.order_line_id = a.order_line_id AND pk.location_id = a.location_id AND pk.lot = a.lot "
        "AND pk.status = 'open' AND pl.status IN ('open', 'picking'))", (product_id, location_id, lot)).fetchone()
    return int(row[0])


def _reroute(pl: ListRow, ln: OpenLine, qty: int, *, exclude: int,
             now: dt.datetime) -> list[tuple[str, int]]:
    """Reserve up to ``qty`` for the line in other bins with free stock (first expiring lot
    first, then walk order) and add pick lines there. Returns [(bin code, qty)]."""
    got: list[tuple[str, int]] = []
    left = qty
    for _pid, loc_id, lot, free, _exp, _lot_id, _seq, code in allocation.free_stock(
            ln.product_id, exclude_location=exclude):
        k = min(free, left)
        if k <= 0:
            continue
        cur = db.execute("UPDATE stock_level SET reserved = reserved + ? WHERE product_id = ? AND "
                         "location_id = ? AND lot = ? AND on_hand - reserved >= ?", (k, ln.product_id, loc_id, lot, k))
        if cur.rowcount != 1:
            continue
        db.execute("INSERT INTO allocation (order_line_id, product_id, location_id, lot, qty, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?)", (ln.order_line_id, ln.product_id, loc_id, lot, k, now))
        db.execute("UPDATE order_line SET qty_allocated = qty_allocated + ? WHERE id = ?",
                   (k, ln.order_line_id))
        db.execute("INSERT INTO pick_line (picklist_id, order_line_id, product_id, location_id, tote, qty, "
                   "qty_picked, qty_short, short_reason, status, walk_seq, lot) "
                   "VALUES (?, ?, ?, ?, ?, ?, 0, 0, '', 'open', ?, ?)",
                   (pl.id, ln.order_line_id, ln.product_id, loc_id, ln.tote, k,
                    walk_seq_for(pl.id, loc_id, ln.product_id), lot))
        got.append((code, k))
        left -= k
        if not left:
            break
    return got


def _exception(pl: ListRow, ln: OpenLine, location_id: int, qty: int, reason: str, outcome: str,
               actor: Actor, now: dt.datetime) -> None:
    db.execute("INSERT INTO pick_exception (picklist_id, order_line_id, product_id, location_id, qty, "
               "reason, outcome, user_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (pl.id, ln.order_line_id, ln.product_id, location_id, qty, reason[:200], outcome,
                actor.name, now))

