"""The pick list as it is walked: stops per (bin, product) in walk order, totes, the next stop."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.documents.picklist_pdf import (
    PickListSheet,
    SheetOrder,
    SheetStop,
    SheetTote,
    render_picklist,
)
from app.kernel import clock
from app.kernel.states import PickListStatus
from app.ledger.lots import lot_text
from app.picking.picklist import OPEN_STATUSES, list_row
from app.store import db
from app.store.db import as_date


@dataclass(frozen=True)
class ToteSplit:
    """How many of a stop's units go into one tote, and how many went."""

    tote: int
    order_number: str
    qty: int
    picked: int
    short: int

    @property
    def remaining(self) -> int:
        return self.qty - self.picked - self.short


@dataclass(frozen=True)
class StopLot:
    """A lot to take at a stop (products with lots), with its expiry date."""

    lot: str
    expiry: dt.date | None
    qty: int
    remaining: int

    def text(self) -> str:
        """'lot A42 EXP 03-12-2026'."""
        return lot_text(self.lot, self.expiry)


@dataclass(frozen=True)
class Stop:
    """One place on the walk: take ``qty`` of a product from a bin, split over totes."""

    index: int  # 1-based position on the walk
    location_id: int
    bin_code: str
    pick_seq: int
    product_id: int
    sku: str
    name: str
    packing_instructions: str
    qty: int
    picked: int
    short: int
    totes: tuple[ToteSplit, ...]
    lots: tuple[StopLot, ...] = ()  # the lots to take (none for a product without lots)

    @property
    def remaining(self) -> int:
        return self.qty - self.picked - self.short

    @property
    def done(self) -> bool:
        return self.remaining <= 0

    def lot_text(self) -> str:
        """The lot(s) to take and their expiry: 'lot A42 EXP 03-12-2026' ('' without lots);
        several lots name their units: 'lot A42 EXP 03-12-2026 x2, lot B7 EXP 09-18-2026 x1'."""
        lots = [x for x in self.lots if x.remaining > 0] or list(self.lots)
        if len(lots) == 1:
            return lots[0].text()
        return ", ".join(f"{x.text()} x{x.remaining if x.remaining > 0 else x.qty}" for x in lots)

    def split_text(self) -> str:
        """'T1 x2, T3 x1' - how the stop's units go into the totes."""
        return ", ".join(f"T{t.tote} x{t.qty}" for t in self.totes)

    def remaining_text(self) -> str:
        """'T3 x1' - what each tote still needs here (the totes served already left out)."""
        return ", ".join(f"T{t.tote} x{t.remaining}" for t in self.totes if t.remaining > 0)


@dataclass(frozen=True)
class ToteOrder:
    """The order riding in one tote of the cart."""

    tote: int
    order_id: int
    order_number: str
    client: str
    customer: str


@dataclass(frozen=True)
class PickListView:
    """A whole pick list as the screen and the printed list show it."""

    id: int
    number: str
    status: PickListStatus
    client: str  # client code when the wave was filtered by one, else ""
    picker: str
    created_by: str
    created_at: dt.datetime
    orders: tuple[ToteOrder, ...]
    stops: tuple[Stop, ...]

    @property
    def units(self) -> int:
        """The units the list puts in its totes: a unit found short is counted once, at the bin
        it was re-routed to (back-ordered, it is off the list)."""
        return sum(s.qty - s.short for s in self.stops)

    @property
    def next_stop(self) -> Stop | None:
        return next((s for s in self.stops if not s.done), None)

    @property
    def open_stops(self) -> int:
        return sum(1 for s in self.stops if not s.done)


@dataclass(frozen=True)
class PickListSummary:
    """One row of the screen's list of pick lists."""

    id: int
    number: str
    status: str
    client: str
    picker: str
    created_at: dt.datetime
    orders: int
    lines_open: int
    lines_total: int

_LINES_SQL = (
    "SELECT pl.walk_seq, pl.location_id, l.code, l.pick_seq, pl.product_id, p.sku, p.name, p.packing_instructions, "
    "pl.tote, o.number, pl.qty, pl.qty_picked, pl.qty_short, pl.lot, t.expiry "
    "FROM pick_line pl JOIN location l ON l.id = pl.location_id "
    "JOIN product p ON p.id = pl.product_id "
    "LEFT JOIN lot t ON t.product_id = pl.product_id AND t.lot = pl.lot "
    "JOIN order_line ol ON ol.id = pl.order_line_id "
    'JOIN "order" o ON o.id = ol.order_id '
    "WHERE pl.picklist_id = ? AND pl.status <> 'cancelled' "
    "ORDER BY pl.walk_seq, pl.tote"
)


# The lines of given stops (walk ranks), through the (picklist, status, walk_seq) index.
_STOP_LINES_SQL = _LINES_SQL.replace(
    "pl.status <> 'cancelled' ", "pl.status IN ('open', 'picked', 'short') AND pl.walk_seq IN ({ranks}) ")


# The ranks up to a given one left without a line to pick (every line of the stop cancelled).
_GONE_RANKS_SQL = (
    "SELECT COUNT(DISTINCT c.walk_seq) FROM pick_line c WHERE c.picklist_id = ? AND c.status = 'cancelled' "
    "AND c.walk_seq <= ? AND NOT EXISTS (SELECT 1 FROM pick_line x WHERE x.picklist_id = c.picklist_id "
    "AND x.status IN ('open', 'picked', 'short') AND x.walk_seq = c.walk_seq)"
)


def stop_pair(picklist_id: int, key: tuple[int, int] | None) -> tuple[Stop | None, Stop | None]:
    """(the stop ``key`` = (location, product), the next open stop), each read by its walk rank:
    what a scan answers with, in the same few index reads however long the wave."""
    nxt = db.execute("SELECT walk_seq FROM pick_line WHERE picklist_id = ? AND status = 'open' "
                     "ORDER BY walk_seq LIMIT 1", (picklist_id,)).fetchone()
    here = None
    if key is not None:
        here = db.execute("SELECT walk_seq FROM pick_line WHERE picklist_id = ? AND location_id = ? "
                          "AND product_id = ? AND status <> 'cancelled' LIMIT 1",
                          (picklist_id, *key)).fetchone()
    ranks = sorted({int(r[0]) for r in (here, nxt) if r is not None})
    if not ranks:
        return None, None
    # A stop's place on the screen's walk: its rank (ranks run 1, 2, 3... on the walk) less the
    # ranks before it whose lines were all cancelled (rare: read from the cancelled lines only).
    index = {rank: rank - int(db.execute(_GONE_RANKS_SQL, (picklist_id, rank)).fetchone()[0]) for rank in ranks}
    sql = _STOP_LINES_SQL.format(ranks=", ".join("?" for _ in ranks))
    built = {st.index: st for st in _stops(picklist_id, sql=sql, params=[picklist_id, *ranks],
                                           index=index)}
    return (built.get(index[int(here[0])]) if here is not None else None,
            built.get(index[int(nxt[0])]) if nxt is not None else None)


# The stop at a given rank and the next open stop in one read: their lines (_LINES_SQL's
# columns), then each line's stop's place on the screen's walk (its rank less the ranks up to
# it whose lines were all cancelled, as _GONE_RANKS_SQL) and the next open stop's rank (NULL
# when nothing is left to pick; the same uncorrelated subquery, evaluated once).
_NEXT_RANK_SQL = ("(SELECT n.walk_seq FROM pick_line n WHERE n.picklist_id = ? AND n.status = 'open' "
                  "ORDER BY n.walk_seq LIMIT 1)")
_PAIR_SQL = (
    "SELECT pl.walk_seq, pl.location_id, l.code, l.pick_seq, pl.product_id, p.sku, p.name, p.packing_instructions, "
    "pl.tote, o.number, pl.qty, pl.qty_picked, pl.qty_short, pl.lot, t.expiry, "
    "pl.walk_seq - (SELECT COUNT(DISTINCT c.walk_seq) FROM pick_line c WHERE c.picklist_id = pl.picklist_id "
    "AND c.status = 'cancelled' AND c.walk_seq <= pl.walk_seq AND NOT EXISTS (SELECT 1 FROM pick_line x "
    "WHERE x.picklist_id = c.picklist_id AND x.status IN ('open', 'picked', 'short') "
    f"AND x.walk_seq = c.walk_seq)), {_NEXT_RANK_SQL} "
    "FROM pick_line pl JOIN location l ON l.id = pl.location_id "
    "JOIN product p ON p.id = pl.product_id "
    "LEFT JOIN lot t ON t.product_id = pl.product_id AND t.lot = pl.lot "
    "JOIN order_line ol ON ol.id = pl.order_line_id "
    'JOIN "order" o ON o.id = ol.order_id '
    f"WHERE pl.picklist_id = ? AND pl.status IN ('open', 'picked', 'short') AND pl.walk_seq IN (?, {_NEXT_RANK_SQL}) "
    "ORDER BY pl.walk_seq, pl.tote"
)


def stop_pair_at(picklist_id: int, rank: int) -> tuple[Stop | None, Stop | None]:
    """``stop_pair`` for the stop at walk rank ``rank`` (a scan there knows it), in one read.
    The second is None exactly when no line is left open."""
    rows = db.execute(_PAIR_SQL, (picklist_id, picklist_id, rank, picklist_id)).fetchall()
    if not rows:  # no line left at that rank (all cancelled): the next stop is read alone
        return None, stop_pair(picklist_id, None)[1]
    index = {int(r[0]): int(r[15]) for r in rows}
    nxt = rows[0][16]
    built = {st.index: st for st in _build_stops([r[:15] for r in rows], index)}
    return built.get(index.get(rank, -1)), (built.get(index[int(nxt)]) if nxt is not None else None)


def _stops(picklist_id: int, *, sql: str = _LINES_SQL, params: list[object] | None = None,
           index: dict[int, int] | None = None) -> tuple[Stop, ...]:
    return _build_stops(db.execute(sql, params if params is not None else (picklist_id,)).fetchall(), index)


def _build_stops(rows: list[Any], index: dict[int, int] | None = None) -> tuple[Stop, ...]:
    """Stops from pick lines in walk order (``_LINES_SQL``'s columns); ``index``: each rank's
    place on the walk (default: 1, 2, 3... as they come)."""
    groups: dict[int, list[Any]] = {}  # rank: [loc, code, seq, pid, sku, name, instr, {tote: [...]}, {lot: [...]}]
    for rank, loc_id, code, seq, pid, sku, name, instr, tote, onum, qty, picked, short, lot, exp in rows:
        g = groups.get(rank)
        if g is None:
            g = groups[rank] = [loc_id, code, seq, pid, sku, name, instr or "", {}, {}]
        if lot:
            x = g[8].setdefault(lot, [as_date(exp), 0, 0])
            x[1] += qty
            x[2] += qty - picked - short
        totes = g[7]
        t = totes.get(tote)
        if t is None:
            totes[tote] = [onum, qty, picked, short]
        else:
            t[1] += qty
            t[2] += picked
            t[3] += short
    stops = []
    for i, (rank, (loc_id, code, seq, pid, sku, name, instr, totes, lots)) in enumerate(groups.items(), start=1):
        splits = tuple(ToteSplit(t, v[0], v[1], v[2], v[3]) for t, v in sorted(totes.items()))
        stop_lots = tuple(sorted((StopLot(lot, v[0], v[1], v[2]) for lot, v in lots.items()),
                                 key=lambda x: (x.expiry is None, x.expiry or dt.date.min, x.lot)))
        stops.append(Stop(
            index=index[rank] if index is not None else i, location_id=loc_id, bin_code=code,
            pick_seq=seq, product_id=pid, sku=sku,
            name=name, packing_instructions=instr, qty=sum(s.qty for s in splits),
            picked=sum(s.picked for s in splits), short=sum(s.short for s in splits), totes=splits,
            lots=stop_lots,
        ))
    return tuple(stops)


def picklist_view(picklist: int | str) -> PickListView:
    """Everything the screen and the printed list show: header, totes and stops in walk order.

    Raises:
        NotFound: no such pick list.
    """
    pl = list_row(picklist)
    head = db.execute(
        "SELECT pl.created_by, pl.created_at, c.code FROM pick_list pl "
        "LEFT JOIN client c ON c.id = pl.client_id WHERE pl.id = ?", (pl.id,),
    ).fetchone()
    orders = tuple(
        ToteOrder(int(tote), int(oid), number, ccode, customer or "")
        for tote, oid, number, ccode, customer in db.execute(
            'SELECT plo.tote, o.id, o.number, c.code, o.customer_name FROM pick_list_order plo '
            'JOIN "order" o ON o.id = plo.order_id JOIN client c ON c.id = o.client_id '
            "WHERE plo.picklist_id = ? ORDER BY plo.tote", (pl.id,),
        ).fetchall()
    )
    created_at = head[1]
    if isinstance(created_at, str):
        created_at = dt.datetime.fromisoformat(created_at)
    return PickListView(pl.id, pl.number, pl.status, head[2] or "", pl.picker, head[0] or "",
                        created_at, orders, _stops(pl.id))


def next_stop(picklist: int | str) -> Stop | None:
    """The first stop on the walk that still has something to pick (None when all done).

    Raises:
        NotFound: no such pick list.
    """
    return stop_pair(list_row(picklist).id, None)[1]


def open_picklists(*, include_done: bool = False, limit: int = 200) -> list[PickListSummary]:
    """Pick lists for the screen's list: open and in progress first, newest first."""
    where = "" if include_done else "WHERE pl.status IN (?, ?)"
    rows = db.execute(
        "SELECT pl.id, pl.number, pl.status, COALESCE(c.code, ''), pl.picker, pl.created_at, "
        "(SELECT COUNT(*) FROM pick_list_order plo WHERE plo.picklist_id = pl.id), "
        "(SELECT COUNT(*) FROM pick_line x WHERE x.picklist_id = pl.id AND x.status = 'open'), "
        "(SELECT COUNT(*) FROM pick_line x WHERE x.picklist_id = pl.id AND x.status <> 'cancelled') "
        f"FROM pick_list pl LEFT JOIN client c ON c.id = pl.client_id {where} "
        f"ORDER BY pl.id DESC LIMIT {int(limit)}", () if include_done else [str(s) for s in OPEN_STATUSES]
    ).fetchall()
    out = []
    for r in rows:
        created = r[5]
        if isinstance(created, str):
            created = dt.datetime.fromisoformat(created)
        out.append(PickListSummary(int(r[0]), r[1], r[2], r[3], r[4] or "", created, int(r[6]),
                                   int(r[7]), int(r[8])))
    return out


def render_pdf(picklist: int | str, *, page_size: str = "letter") -> bytes:
    """The printed pick list (see app.documents.picklist_pdf)."""
    return render_picklist(sheet(picklist_view(picklist)), page_size=page_size, printed_at=clock.now())


def sheet(view: PickListView) -> PickListSheet:
    """What the printed list shows of a pick list, as plain data for the document."""
    return PickListSheet(
        number=view.number, client=view.client, picker=view.picker, created_by=view.created_by,
        created_at=view.created_at,
        orders=tuple(SheetOrder(o.tote, o.order_number, o.client, o.customer) for o in view.orders),
        stops=tuple(SheetStop(s.index, s.bin_code, s.sku, s.name, s.packing_instructions, s.qty, s.picked,
                              s.short, tuple(SheetTote(t.tote, t.qty, t.picked, t.short) for t in s.totes),
                              lot=s.lot_text())
                    for s in view.stops),
    )
