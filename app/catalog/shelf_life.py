"""A client's shelf-life minimum: units received with fewer days left are refused or quarantined."""

from __future__ import annotations

from app.catalog.products import client_by_code
from app.kernel.actor import Actor
from app.kernel.errors import ValidationError
from app.store import audit, db

MAX_SHELF_LIFE_DAYS = 3650


def set_min_shelf_life(client_code: str, days: int, *, actor: Actor) -> int:
    """Set how many days of shelf life a client's expiry-tracked goods need at receipt (0: any).

    Raises:
        NotFound: no such client.
        ValidationError: ``days`` is not a whole number from 0 to 3650.
        PermissionDenied: not a supervisor.
    """
    actor.require_to("set shelf-life minimums")
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_SHELF_LIFE_DAYS:
        raise ValidationError(f"shelf life must be a whole number of days from 0 to {MAX_SHELF_LIFE_DAYS}, "
                              f"not {days!r}")
    with db.write():
        client = client_by_code(client_code)
        db.execute("UPDATE client SET min_shelf_life_days = ? WHERE id = ?", (days, client.id))
        audit.record("client_shelf_life", actor=actor, client_id=client.id,
                     detail=f"{client.code} minimum shelf life {days} days")
    return days
