"""The audit trail and the status-change log every document writes to."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from app.kernel import clock, states
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, InvalidTransition
from app.store import changes, db
from app.store.count_models import CountTask
from app.store.models import (
    AuditEvent,
    InboundShipment,
    Order,
    Package,
    PickList,
    Return,
    StatusChange,
)

# Per document kind: the name its status changes are recorded under, and its table.
DOCUMENTS: dict[type[StrEnum], tuple[str, str]] = {
    states.OrderStatus: ("order", Order._meta.table_name),
    states.ShipmentStatus: ("receipt", InboundShipment._meta.table_name),
    states.PickListStatus: ("picklist", PickList._meta.table_name),
    states.PackageStatus: ("package", Package._meta.table_name),
    states.CountStatus: ("count", CountTask._meta.table_name),
    states.ReturnStatus: ("return", Return._meta.table_name),
}


def record(kind: str, *, actor: Actor, detail: str = "", doc_type: str = "",
           doc_id: int | None = None, client_id: int | None = None) -> None:
    """Append an audit event (call inside the action's transaction)."""
    AuditEvent.insert(
        created_at=clock.now(), kind=kind, user=actor.user_id, user_name=actor.name,
        station=actor.station, client=client_id, doc_type=doc_type, doc_id=doc_id, detail=detail,
    ).execute()


def status_changed(doc_type: str, doc_id: int, from_status: str, to_status: str, *,
                   actor: Actor, client_id: int | None, note: str = "") -> None:
    """Record a document's state transition with its time (call inside the transaction)."""
    StatusChange.insert(
        doc_type=doc_type, doc_id=doc_id, client=client_id, from_status=from_status,
        to_status=to_status, user=actor.user_id, user_name=actor.name, station=actor.station,
        note=note, created_at=clock.now(),
    ).execute()


def transition(state_type: type[StrEnum], doc_id: int, from_state: str, to_state: str, *,
               actor: Actor, client_id: int | None, note: str = "", write: bool = True,
               label: str = "") -> None:
    """Move a document from one state to another: check the move is allowed, write the new
    state (only if the row is still in ``from_state``: another station may have moved it) and
    record the StatusChange, all in the caller's transaction.

    Args:
        state_type: the document's state enum (``states.OrderStatus``...).
        doc_id: the document's id.
        from_state: the state the caller read ("" for a document being created).
        to_state: the new state.
        write: False when the caller has written the row itself (a new document's INSERT).
        label: how to name the document in a refusal ("order #1001").
    """
    doc_type, table = DOCUMENTS[state_type]
    if from_state != "" or state_type is states.PickListStatus:
        if not states.allowed(state_type, from_state, to_state):
            what = label or f"{doc_type} {doc_id}"
            raise InvalidTransition(f"{what} cannot go from {states.label(from_state, state_type)} "
                                    f"to {states.label(to_state, state_type)}")
    if write:
        cur = db.execute(f'UPDATE "{table}" SET status = ? WHERE id = ? AND status = ?',
                         (str(to_state), doc_id, str(from_state)))
        if cur.rowcount != 1:
            raise Conflict(f"{label or doc_type} was changed at another station: look again")
    status_changed(doc_type, doc_id, str(from_state), str(to_state), actor=actor, client_id=client_id,
                   note=note)
    changes.changed(doc_type, doc_id)


def transition_many(state_type: type[StrEnum], moves: Sequence[tuple[int, int | None, str, str]], *,
                    actor: Actor, note: str = "") -> None:
    """``transition`` for many documents at once (allocation moving thousands of orders):
    the same checks, one compare-and-set UPDATE per (from, to) pair and one insert of the
    status changes, in the caller's transaction.

    Args:
        state_type: the documents' state enum.
        moves: ``(doc_id, client_id, from_state, to_state)`` per document.
    """
    if not moves:
        return
    doc_type, table = DOCUMENTS[state_type]
    groups: dict[tuple[str, str], list[int]] = {}
    for doc_id, _client, old, new in moves:
        if not states.allowed(state_type, old, new):
            raise InvalidTransition(f"{doc_type} {doc_id} cannot go from {states.label(old, state_type)} "
                                    f"to {states.label(new, state_type)}")
        groups.setdefault((str(old), str(new)), []).append(doc_id)
    for (old, new), ids in groups.items():
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            marks = ", ".join("?" * len(part))
            cur = db.execute(f'UPDATE "{table}" SET status = ? WHERE status = ? AND id IN ({marks})',
                             [new, old, *part])
            if cur.rowcount != len(part):
                raise Conflict(f"{doc_type}s were changed at another station: look again")
    now = clock.now()
    # One prepared INSERT for every row: peewee's query builder took 10 of an allocation's
    # 19 s for 100,000 orders building the VALUES of its multi-row inserts.
    db.executemany(_INSERT_STATUS_CHANGE, [
        (doc_type, doc_id, client, str(old), str(new), actor.user_id, actor.name, actor.station, note, now)
        for doc_id, client, old, new in moves])
    changes.changed(doc_type, *(m[0] for m in moves))


_INSERT_STATUS_CHANGE = (
    "INSERT INTO status_change (doc_type, doc_id, client_id, from_status, to_status, user_id, user_name, "
    "station, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
