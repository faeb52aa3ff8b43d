"""Bins and staging areas: adding, importing and listing them, with their place on the walk path."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from app.kernel.actor import Actor
from app.kernel.csvfiles import parse_int, read_csv_rows
from app.kernel.errors import Conflict, ImportRejected, NotFound, ValidationError
from app.kernel.text import check_int, check_length, check_text, counted
from app.store import audit, db
from app.store.models import Location

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,39}$")


@dataclass(frozen=True)
class LocationRow:
    id: int
    code: str
    zone: str
    kind: str
    pick_seq: int
    name: str


def _row(loc: Location) -> LocationRow:
    return LocationRow(loc.id, loc.code, loc.zone, loc.kind, loc.pick_seq, loc.name)


def _validate_code(code: str) -> str:
    code = code.strip().upper()
    if not _CODE.match(code):
        raise ValidationError(f"location code {code!r}: letters, digits and . _ / - only, at most 40")
    return code


def add_location(code: str, *, zone: str = "", seq: int | None = None, kind: str = "bin",
                 name: str = "", actor: Actor | None = None) -> LocationRow:
    """Add a bin (or staging area). Without ``seq`` it goes at the end of the walk path."""
    actor = actor or Actor.system()
    actor.require_to("add locations")
    code = _validate_code(check_text(code, "location code"))
    check_length(check_text(name, "location name"), "location name", Location.name.max_length)
    check_length(check_text(zone.strip(), "zone"), "zone", Location.zone.max_length)
    if seq is not None:
        check_int(seq, "seq", minimum=0)
    if kind not in ("bin", "staging"):
        raise ValidationError("a new location is a bin or a staging area")
    with db.write():
        if Location.select().where(Location.code == code).exists():
            raise Conflict(f"location {code} exists already")
        if seq is None:
            seq = (Location.select(Location.pick_seq).order_by(Location.pick_seq.desc()).scalar() or 0) + 10
        loc = Location.create(code=code, zone=zone.strip().upper(), pick_seq=seq, kind=kind, name=name)
        audit.record("location_added", actor=actor, detail=code)
    return _row(loc)


def import_locations(path: str | Path, *, actor: Actor | None = None) -> tuple[int, int]:
    """Add or update bins from CSV (code, zone, seq[, kind, name]); all or nothing.

    Returns:
        (created, updated)
    """
    actor = actor or Actor.system()
    actor.require_to("import locations")
    rows = read_csv_rows(path, required={"code"}, what="location file")
    errors: list[str] = []
    items = []
    seen: dict[str, int] = {}
    for line, row in rows:
        try:
            code = _validate_code(row["code"])
        except ValidationError as exc:
            errors.append(f"line {line}: {exc}")
            continue
        if code in seen:
            errors.append(f"line {line}: {code} repeats line {seen[code]}")
        seen[code] = line
        seq = parse_int(row.get("seq", "") or row.get("pick_seq", ""), line=line, column="seq",
                        errors=errors, default=0)
        kind = (row.get("kind") or "bin").lower()
        if kind not in ("bin", "staging"):
            errors.append(f"line {line}: kind {kind!r} must be bin or staging")
        for column, limit in (("zone", Location.zone.max_length), ("name", Location.name.max_length)):
            try:
                check_length(row.get(column, ""), column, limit)
            except ValidationError as exc:
                errors.append(f"line {line}: {exc}")
        items.append((code, row.get("zone", "").upper(), seq or 0, kind, row.get("name", "")))
    if errors:
        raise ImportRejected("location file", errors)
    created = updated = 0
    with db.write():
        existing = {loc.code: loc for loc in Location.select()}
        for code, zone, seq, kind, name in items:
            loc = existing.get(code)
            if loc is None:
                Location.create(code=code, zone=zone, pick_seq=seq, kind=kind, name=name)
                created += 1
            else:
                if loc.kind == "virtual" or loc.kind != kind:
                    raise ImportRejected("location file", [f"line {seen[code]}: {code} is a {loc.kind} location"])
                Location.update(zone=zone, pick_seq=seq, name=name or loc.name).where(Location.id == loc.id).execute()
                updated += 1
        audit.record("import_locations", actor=actor, detail=f"{created} new, {updated} updated")
    return created, updated


def get_location(code: str) -> LocationRow:
    loc = Location.get_or_none(Location.code == code.strip().upper())
    if loc is None:
        raise NotFound(f"no location {code!r}")
    return _row(loc)


def list_locations(*, kind: str | None = None, zone: str | None = None) -> list[LocationRow]:
    q = Location.select().order_by(Location.pick_seq, Location.code)
    if kind:
        q = q.where(Location.kind == kind)
    if zone:
        q = q.where(Location.zone == zone)
    return [_row(loc) for loc in q]


@dataclass(frozen=True)
class BinRow:
    """A bin as the supervisor's list of bins shows it: where it is on the walk, whether it is
    open (allocation, putaway and counts use it) and what it holds."""

    code: str
    zone: str
    pick_seq: int
    active: bool
    on_hand: int
    reserved: int


def bins_overview(*, code: str | None = None) -> list[BinRow]:
    """Every bin (or the one ``code``) in walk order, with the units it holds and how many of
    them are reserved."""
    one, params = ("AND l.code = ? ", [code]) if code is not None else ("", [])
    rows = db.execute(
        "SELECT l.code, l.zone, l.pick_seq, l.active, COALESCE(SUM(sl.on_hand), 0), COALESCE(SUM(sl.reserved), 0) "
        f"FROM location l LEFT JOIN stock_level sl ON sl.location_id = l.id WHERE l.kind = 'bin' {one}"
        "GROUP BY l.id, l.code, l.zone, l.pick_seq, l.active ORDER BY l.pick_seq, l.code", params).fetchall()
    return [BinRow(str(c), str(z or ""), int(q), bool(a), int(h), int(r)) for c, z, q, a, h, r in rows]


def set_bin_open(code: str, is_open: bool, *, actor: Actor) -> BinRow:
    """Close an empty bin (a broken shelf, a bay being rebuilt: nothing is put away,
    transferred or restocked into it, allocated from it or counted in it) or open it again.
    A bin is emptied (Transfer) before it closes, so every figure of available stock stays
    true.

    Raises:
        NotFound: no such location. ValidationError: not a bin.
        Conflict: closing a bin that still holds units.
    """
    actor.require_to("edit locations")
    with db.write():
        found = db.execute("SELECT code, kind FROM location WHERE code = ?" + db.for_update(),
                           ((code or "").strip().upper(),)).fetchone()  # (a putaway into it waits)
        if found is None:
            raise NotFound(f"no location {code!r}")
        if found[1] != "bin":
            raise ValidationError(f"{found[0]} is a {found[1]} location: only bins are closed and opened")
        (row,) = bins_overview(code=found[0])
        if not is_open and row.on_hand:
            more = f", {row.reserved} of them reserved for orders" if row.reserved else ""
            raise Conflict(f"{row.code} holds {counted(row.on_hand, 'unit')}{more}: move them to another bin first "
                           "(Transfer), then close it")
        if row.active != is_open:
            Location.update(active=is_open).where(Location.code == row.code).execute()
            audit.record("location_opened" if is_open else "location_closed", actor=actor, detail=row.code)
            row = replace(row, active=is_open)
    return row
