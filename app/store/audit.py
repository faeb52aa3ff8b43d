"""The audit trail and the status-change log every document writes to."""

from __future__ import annotations

from app.kernel import clock
from app.kernel.actor import Actor
from app.store.models import AuditEvent, StatusChange


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


class StateMachine:
    """Allowed transitions as data; ``guard`` raises InvalidTransition on anything else."""

    def __init__(self, doc_type: str, transitions: dict[str, set[str]]) -> None:
        self.doc_type = doc_type
        self.transitions = transitions

    def allowed(self, from_status: str, to_status: str) -> bool:
        return to_status in self.transitions.get(from_status, set())

    def guard(self, from_status: str, to_status: str, *, label: str = "") -> None:
        from app.kernel.errors import InvalidTransition

        if not self.allowed(from_status, to_status):
            what = f"{self.doc_type} {label}".strip()
            raise InvalidTransition(f"{what} cannot go from {from_status} to {to_status}")
