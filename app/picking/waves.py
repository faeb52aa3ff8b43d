"""Waves: a new pick list of the most urgent allocated orders, one tote each, lines in walk order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import NotFound, ValidationError
from app.kernel.states import OrderStatus, PickListStatus
from app.kernel.text import counted
from app.picking.picklist import (
    DEFAULT_MAX_ORDERS,
    OPEN_STATUSES,
    WAVE_LOCK_KEY,
    format_number,
    positive,
    recompute,
)
from app.store import audit, db
from app.store.migrations import WALK_ORDER


@dataclass(frozen=True)
class PickListRef:
    """A new wave: its id, number and size."""

    id: int
    number: str
    orders: int
    lines: int
    units: int


def _next_number() -> str:
    row = db.execute(
        'INSERT INTO "sequence" (name, value) VALUES (?, 1) ON CONFLICT (name) '
        'DO UPDATE SET value = "sequence".value + 1 RETURNING value', ("picklist",),
    ).fetchone()
    return format_number(int(row[0]))


def _wave_filter(*, client: str | None, carrier: str | None, service: str | None,
                 ship_by: dt.date | None, include_partial: bool) -> tuple[list[str], list[object], int | None]:
    """WHERE terms (on ``"order" o``), their parameters and the client id of a wave's filters."""
    statuses = [str(OrderStatus.ALLOCATED)] + ([str(OrderStatus.PARTIALLY_ALLOCATED)] if include_partial else [])
    # 'picking' orders off any open list with stock reserved: a back-ordered rest that was
    # allocated after an earlier wave.
    where = [f"(o.status IN ({', '.join('?' for _ in statuses)}) OR (o.status = ? AND EXISTS "
             "(SELECT 1 FROM order_line ol JOIN allocation a ON a.order_line_id = ol.id "
             "WHERE ol.order_id = o.id AND a.qty > 0)))"]
    params: list[object] = [*statuses, str(OrderStatus.PICKING)]
    client_id = None
    if client:
        row = db.execute("SELECT id FROM client WHERE code = ?", (client.strip().upper(),)).fetchone()
        if row is None:
            raise NotFound(f"no client {client!r}")
        client_id = int(row[0])
        where.append("o.client_id = ?")
        params.append(client_id)
    if carrier:
        where.append("lower(o.carrier) = ?")
        params.append(carrier.strip().lower())
    if service:
        where.append("lower(o.service) = ?")
        params.append(service.strip().lower())
    if ship_by is not None:
        where.append("o.ship_by <= ?")
        params.append(ship_by)
    where.append(
        "NOT EXISTS (SELECT 1 FROM pick_list_order plo JOIN pick_list pl ON pl.id = plo.picklist_id "
        "WHERE plo.order_id = o.id AND pl.status IN (?, ?))"
    )
    params += [str(s) for s in OPEN_STATUSES]
    return where, params, client_id


def waiting_orders(*, client: str | None = None, carrier: str | None = None, service: str | None = None,
                   ship_by: dt.date | None = None, include_partial: bool = False) -> int:
    """How many orders a wave with these filters could take now (for the wave dialog).

    Raises:
        NotFound: unknown client.
    """
    if ship_by is not None and not isinstance(ship_by, dt.date):
        raise ValidationError(f"ship-by must be a date, not {ship_by!r}")
    where, params, _ = _wave_filter(client=client, carrier=carrier, service=service, ship_by=ship_by,
                                    include_partial=include_partial)
    return int(db.execute('SELECT COUNT(*) FROM "order" o WHERE ' + " AND ".join(where), params).fetchone()[0])


def create_picklist(*, actor: Actor, client: str | None = None, carrier: str | None = None,
                    service: str | None = None, ship_by: dt.date | None = None,
                    max_orders: int | None = DEFAULT_MAX_ORDERS, include_partial: bool = False,
                    picker: str = "") -> PickListRef:
    """Create a wave: allocated orders not on any open pick list, most urgent first.

    Args:
        client: only this client's orders (code).
        carrier, service: only orders shipping with this carrier / service (case-insensitive).
        ship_by: only orders due on or before this date.
        max_orders: how many totes the cart holds (None: no limit); each order gets tote 1..N.
        include_partial: also pick orders only partly allocated (ship what is there).
        picker: who will walk it (printed on the list).

    Returns:
        The new list's id, number and size.

    Raises:
        ValidationError: bad filter, or no order matches (nothing is created).
        NotFound: unknown client.
    """
    actor.require_to("create pick lists")
    if max_orders is not None:
        positive(max_orders, "max orders")
    if ship_by is not None and not isinstance(ship_by, dt.date):
        raise ValidationError(f"ship-by must be a date, not {ship_by!r}")
    where, params, client_id = _wave_filter(client=client, carrier=carrier, service=service,
                                            ship_by=ship_by, include_partial=include_partial)
    sql = (
        'SELECT o.id FROM "order" o WHERE ' + " AND ".join(where)
        + " ORDER BY o.priority DESC, CASE WHEN o.ship_by IS NULL THEN 1 ELSE 0 END, o.ship_by, "
        "o.received_at, o.id"
    )
    if max_orders is not None:
        sql += f" LIMIT {int(max_orders)}"
    if db.is_postgres():
        sql += " FOR UPDATE OF o"
    now = clock.now()
    with db.write():
        if db.is_postgres():
            # Two stations making waves at once: the second chooses after the first committed,
            # so its statement sees the first's totes (SQLite: the IMMEDIATE write lock).
            db.execute("SELECT pg_advisory_xact_lock(?)", (WAVE_LOCK_KEY,))
        order_ids = [int(r[0]) for r in db.execute(sql, params).fetchall()]
        if not order_ids:
            raise ValidationError("no allocated orders match these filters (or all are on open pick lists)")
        number = _next_number()
        cur = db.execute(
            "INSERT INTO pick_list (number, client_id, status, picker, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (number, client_id, str(PickListStatus.OPEN), picker.strip(), actor.name, now),
        )
        pl_id = int(cur.fetchone()[0])
        _insert_many(
            "INSERT INTO pick_list_order (picklist_id, order_id, tote) VALUES ",
            [(pl_id, oid, tote) for tote, oid in enumerate(order_ids, start=1)],
        )
        # One PickLine per allocation (its lot with it), set-based, each ranked once on the walk (its stop's place).
        db.execute(
            "INSERT INTO pick_line (picklist_id, order_line_id, product_id, location_id, tote, qty, "
            "qty_picked, qty_short, short_reason, status, walk_seq, lot) "
            "SELECT plo.picklist_id, a.order_line_id, a.product_id, a.location_id, plo.tote, a.qty, "
            f"0, 0, '', 'open', DENSE_RANK() OVER (ORDER BY {WALK_ORDER}), a.lot FROM pick_list_order plo "
            "JOIN order_line ol ON ol.order_id = plo.order_id "
            "JOIN allocation a ON a.order_line_id = ol.id "
            "JOIN location l ON l.id = a.location_id JOIN product p ON p.id = a.product_id "
            "WHERE plo.picklist_id = ? AND a.qty > 0 ORDER BY plo.tote, ol.line_no, a.id",
            (pl_id,),
        )
        lines, units = db.execute(
            "SELECT COUNT(*), COALESCE(SUM(qty), 0) FROM pick_line WHERE picklist_id = ?", (pl_id,)
        ).fetchone()
        if not lines:
            raise ValidationError("the matching orders have no reserved stock to pick")
        audit.transition(PickListStatus, pl_id, PickListStatus.NONE, PickListStatus.OPEN, actor=actor,
                         client_id=client_id, note=counted(len(order_ids), "order"), write=False,
                         label=f"pick list {number}")
        recompute(order_ids, actor=actor)
    return PickListRef(pl_id, number, len(order_ids), int(lines), int(units))


def _insert_many(prefix: str, rows: list[tuple[Any, ...]]) -> None:
    """A multi-row INSERT in chunks (one statement per 300 rows)."""
    for i in range(0, len(rows), 300):
        chunk = rows[i : i + 300]
        width = len(chunk[0])
        values = ", ".join("(" + ", ".join("?" * width) + ")" for _ in chunk)
        db.execute(prefix + values, [v for row in chunk for v in row])

