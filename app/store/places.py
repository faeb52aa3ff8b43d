"""Location lookups by code and by id, cached per open database (codes and kinds never change)."""

from __future__ import annotations

from dataclasses import dataclass

from app.kernel.errors import NotFound, ValidationError
from app.store.connection import database, execute, for_update

# (database object id, code as asked) -> (location id, kind, code); locations are never deleted.
_loc_cache: dict[tuple[int, str], tuple[int, str, str]] = {}
_loc_kind_cache: dict[tuple[int, int], tuple[str, str]] = {}


@dataclass(frozen=True)
class LocationRef:
    id: int
    code: str
    kind: str


def location(code: str) -> LocationRef:
    """A location by code (cached: codes and kinds never change).

    Raises:
        NotFound: no such location.
    """
    key = (id(database.obj), code)
    hit = _loc_cache.get(key)
    if hit is None:
        row = execute("SELECT id, kind, code FROM location WHERE code = ?", (code,)).fetchone()
        if row is None:
            row = execute("SELECT id, kind, code FROM location WHERE upper(code) = ?",
                          (code.strip().upper(),)).fetchone()
            if row is None:
                raise NotFound(f"no location {code!r}")
        hit = (row[0], row[1], row[2])
        _loc_cache[key] = hit
    return LocationRef(hit[0], hit[2], hit[1])


def location_by_id(location_id: int) -> LocationRef:
    """A location by id (cached).

    Raises:
        NotFound: no such location.
    """
    key = (id(database.obj), location_id)
    hit = _loc_kind_cache.get(key)
    if hit is None:
        row = execute("SELECT code, kind FROM location WHERE id = ?", (location_id,)).fetchone()
        if row is None:
            raise NotFound(f"no location #{location_id}")
        hit = (row[0], row[1])
        _loc_kind_cache[key] = hit
    return LocationRef(location_id, hit[0], hit[1])


def require_open_bin(loc: LocationRef) -> None:
    """Refuse to put stock into a bin a supervisor closed (read each time: it can change).
    Call it inside the transaction that moves the stock: on PostgreSQL the bin's row is
    locked until it ends, so the bin cannot close (``set_bin_open``) under the move.

    Raises:
        ValidationError: the bin is closed.
    """
    if loc.kind == "bin":
        row = execute("SELECT active FROM location WHERE id = ?" + for_update(), (loc.id,)).fetchone()
        if row is not None and not row[0]:
            raise ValidationError(f"bin {loc.code} is closed: use another bin (a supervisor opens it again "
                                  "under Inventory → Bins…)")


def clear_caches() -> None:
    """Forget every cached lookup (a new database was opened: an object id may be reused)."""
    _loc_cache.clear()
    _loc_kind_cache.clear()
