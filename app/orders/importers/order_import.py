"""Order import: read a shop's export (Shopify or our generic CSV), check all of it, then write
it in one transaction with bulk inserts — or nothing at all.

Each format module turns CSV rows into :class:`ParsedOrder` objects and line-numbered errors;
this module validates SKUs, skips orders already imported (order numbers are unique per
client, so importing the same file twice adds nothing), previews and writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import IntegrityError

from app.catalog.products import MAX_IMPORT_BYTES, active_client, read_csv_rows
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, ImportRejected, ValidationError
from app.kernel.states import OrderStatus
from app.kernel.text import counted
from app.orders.entry import ORDER_FIELDS, clean_fields
from app.orders.importers import generic, shopify
from app.orders.importers.common import Parsed, ParsedOrder, Progress
from app.orders.status import OPEN_STATUSES, marks
from app.store import audit, changes, db

FORMATS = ("shopify", "generic")


@dataclass(frozen=True)
class PreviewLine:
    sku: str
    name: str
    qty: int


@dataclass(frozen=True)
class PreviewOrder:
    number: str
    customer_name: str
    email: str
    ship_to: str
    ordered_at: str
    lines: tuple[PreviewLine, ...]

    @property
    def units(self) -> int:
        return sum(ln.qty for ln in self.lines)


@dataclass(frozen=True)
class ImportPreview:
    """What an import would do; ``errors`` non-empty means the file would be rejected whole."""

    orders: tuple[PreviewOrder, ...]
    skipped: tuple[tuple[str, str], ...]
    already_imported: tuple[str, ...]
    errors: tuple[str, ...]
    # orders imported earlier, still open here, that the shop now skips (cancelled, refunded ...)
    changed_in_shop: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def line_count(self) -> int:
        return sum(len(o.lines) for o in self.orders)


@dataclass(frozen=True)
class ImportResult:
    orders: int
    lines: int
    skipped: int            # nothing for the warehouse: fulfilled, cancelled, refunded in the shop
    already_imported: int
    dry_run: bool = False
    changed_in_shop: tuple[tuple[str, str], ...] = ()  # (number, why): open here, not in the shop

    def text(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        text = (f"{verb} {counted(self.orders, 'order')} ({counted(self.lines, 'line')}); skipped {self.skipped} "
                f"fulfilled/cancelled, {self.already_imported} already imported")
        if self.changed_in_shop:
            text += "; " + changed_text(self.changed_in_shop)
        return text


def changed_text(changed: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str:
    """The warning for orders imported earlier that the shop has since cancelled or refunded."""
    shown = ", ".join(f"{number} ({why})" for number, why in changed[:10])
    return (f"check {counted(len(changed), 'order')} imported earlier and still open here: {shown}"
            + (" ..." if len(changed) > 10 else ""))


@dataclass
class _Plan:
    client_id: int
    client_code: str
    orders: list[tuple[ParsedOrder, dict[str, Any], list[tuple[int, int, str, str]]]]  # order, fields, (pid, qty, name, sku)
    skipped: list[tuple[str, str]]
    already: list[str]
    errors: list[str]
    changed: list[tuple[str, str]] = field(default_factory=list)


def read_rows(path: str | Path, *, required: set[str], wanted: set[str], what: str = "order file",
              max_bytes: int = MAX_IMPORT_BYTES) -> list[tuple[int, dict[str, str]]]:
    """Read a CSV file into (line number, row) pairs holding only the ``wanted`` columns
    (``catalog.read_csv_rows``: any delimiter and encoding a shop or spreadsheet writes).

    Raises:
        ImportRejected: unreadable, not text, not CSV, or missing required columns.
    """
    return read_csv_rows(path, required=required, what=what, max_bytes=max_bytes, wanted=wanted)


@dataclass(frozen=True)
class _Format:
    """What an order file format provides: its columns and its parser."""

    required: set[str]
    wanted: set[str]
    parse: Callable[..., Parsed]


_PARSERS = {
    "shopify": _Format(shopify.REQUIRED, shopify.WANTED, shopify.parse),
    "generic": _Format(generic.REQUIRED, generic.WANTED, generic.parse),
}


def _parser(fmt: str) -> _Format:
    found = _PARSERS.get((fmt or "shopify").strip().lower())
    if found is None:
        raise ValidationError(f"unknown order file format {fmt!r}: use shopify or generic")
    return found


def _plan(path: str | Path, client_code: str, fmt: str, progress: Progress | None) -> _Plan:
    module = _parser(fmt)
    client = active_client(client_code)
    rows = read_rows(path, required=module.required, wanted=module.wanted)
    parsed = module.parse(rows, progress=progress)
    errors = list(parsed.errors)
    products = {sku: (pid, name) for pid, sku, name in db.execute(
        "SELECT id, sku, name FROM product WHERE client_id = ?", (client.id,)).fetchall()}
    existing = {n for (n,) in db.execute('SELECT number FROM "order" WHERE client_id = ?',
                                         (client.id,)).fetchall()}
    plan = _Plan(client.id, client.code, [], list(parsed.skipped), [], errors)
    # An order imported earlier that the shop now cancels or refunds: the warehouse must hear
    # of it before the parcel leaves (it is not cancelled here by an import: a person decides).
    skipped_numbers = [number for number, _ in parsed.skipped]
    if skipped_numbers:
        open_here = set()
        for part in range(0, len(skipped_numbers), 900):
            chunk = skipped_numbers[part:part + 900]
            open_here |= {n for (n,) in db.execute(
                f'SELECT number FROM "order" WHERE client_id = ? AND number IN ({marks(len(chunk))}) '
                f"AND status IN ({marks(len(OPEN_STATUSES))})", [client.id, *chunk, *OPEN_STATUSES]).fetchall()}
        plan.changed = [(number, why) for number, why in parsed.skipped if number in open_here]
    seen: set[str] = set()
    for order in parsed.orders:
        if order.number in existing:
            plan.already.append(order.number)
            continue
        if order.number in seen:
            errors.append(f"line {order.line}: order {order.number} appears twice")
            continue
        seen.add(order.number)
        try:
            clean = clean_fields(order.fields)
        except ValidationError as exc:
            errors.append(f"line {order.line}: order {order.number}: {exc}")
            continue
        missing = [label for key, label in (("address1", "address"), ("city", "city"),
                                            ("country", "country")) if not clean.get(key)]
        if not (clean.get("ship_name") or clean.get("customer_name")):
            missing.insert(0, "name")
        if missing:
            errors.append(f"line {order.line}: order {order.number} is missing its shipping "
                          f"{', '.join(missing)}")
        if len(order.number) > 60:
            errors.append(f"line {order.line}: order number {order.number[:20]}... is too long")
        if not order.lines and not order.bad_lines:
            errors.append(f"line {order.line}: order {order.number} has no lines to ship")
        resolved = []
        for line, sku, qty, shop_name in order.lines:
            hit = products.get(sku)
            if hit is None:
                errors.append(f"line {line}: unknown SKU {sku!r} for {client.code}"
                              if sku else f"line {line}: empty SKU")
                continue
            # the customer's name for the item (packing slip, back-order notice)
            resolved.append((hit[0], qty, shop_name[:300] or hit[1], sku))
        plan.orders.append((order, clean, resolved))
    errors.sort(key=_line_of)
    return plan


def _line_of(message: str) -> int:
    match = re.match(r"line (\d+):", message)
    return int(match.group(1)) if match else 0


def preview_orders(path: str | Path, *, client_code: str, fmt: str = "shopify",
                   progress: Progress | None = None) -> ImportPreview:
    """What importing the file would do, without writing anything (for the GUI's preview).

    Raises:
        NotFound: unknown client.
        ImportRejected: the file cannot be read as CSV or lacks required columns.
    """
    plan = _plan(path, client_code, fmt, progress)
    shown = []
    for order, clean, resolved in plan.orders:
        ship_to = ", ".join(x for x in (clean.get("ship_name", ""), clean.get("address1", ""),
                                        clean.get("zip", ""), clean.get("city", ""),
                                        clean.get("country", "")) if x)
        ordered = clean.get("ordered_at")
        shown.append(PreviewOrder(
            order.number, clean.get("customer_name", ""), clean.get("email", ""), ship_to,
            ordered.strftime("%Y-%m-%d %H:%M") if ordered else "",
            tuple(PreviewLine(sku, name, qty) for _, qty, name, sku in resolved)))
    return ImportPreview(tuple(shown), tuple(plan.skipped), tuple(plan.already), tuple(plan.errors),
                         tuple(plan.changed))


def import_orders(path: str | Path, *, client_code: str, fmt: str = "shopify", actor: Actor,
                  dry_run: bool = False, progress: Progress | None = None) -> ImportResult:
    """Import a shop's order file: all of it or nothing.

    Orders fulfilled, cancelled or refunded in the shop (or with nothing to ship) are skipped; orders already imported are left
    alone (re-importing a file adds nothing). New orders start as ``new``: run allocation.

    Args:
        path: the CSV file.
        client_code: the client whose shop the file comes from.
        fmt: ``shopify`` (Shopify's order export as Shopify writes it) or ``generic``.
        actor: who imports.
        dry_run: check everything, write nothing.
        progress: called with (done, total) while reading and writing.

    Raises:
        NotFound: unknown client.
        ImportRejected: any error in the file (line-numbered messages); nothing was written.
    """
    actor.require_to("import orders")
    # one bar from 0 to 1000: reading the file is the first half, writing the second
    reading = writing = None
    if progress is not None:
        report = progress

        def reading(done: int, total: int) -> None:
            report(500 * done // max(total, 1), 1000)

        def writing(done: int, total: int) -> None:
            report(500 + 500 * done // max(total, 1), 1000)

    plan = _plan(path, client_code, fmt, reading)
    if plan.errors:
        raise ImportRejected("order file", plan.errors)
    n_lines = sum(len(r) for _, _, r in plan.orders)
    if dry_run:
        return ImportResult(len(plan.orders), n_lines, len(plan.skipped), len(plan.already), True,
                            tuple(plan.changed))
    try:
        return _commit(plan, path, fmt, actor, writing)
    except IntegrityError:
        # PostgreSQL: another station inserted one of these numbers after our check
        raise Conflict("another station imported orders of this file at the same time; "
                       "nothing was imported by this run: import again to add the rest") from None


def _commit(plan: _Plan, path: str | Path, fmt: str, actor: Actor, progress: Progress | None) -> ImportResult:
    with db.write():
        # another station may have imported some of these meanwhile
        existing = {n for (n,) in db.execute('SELECT number FROM "order" WHERE client_id = ?',
                                             (plan.client_id,)).fetchall()}
        todo = [item for item in plan.orders if item[0].number not in existing]
        already = len(plan.already) + len(plan.orders) - len(todo)
        _write(plan.client_id, todo, actor=actor, source=Path(path).name, progress=progress)
        audit.record("import_orders", actor=actor, client_id=plan.client_id,
                     detail=f"{Path(path).name} ({fmt}): {counted(len(todo), 'order')}, "
                            f"{counted(sum(len(r) for _, _, r in todo), 'line')}, {len(plan.skipped)} skipped, "
                            f"{already} already imported")
    return ImportResult(len(todo), sum(len(r) for _, _, r in todo), len(plan.skipped), already,
                        changed_in_shop=tuple(plan.changed))


def _write(client_id: int, todo: list[tuple[ParsedOrder, dict[str, Any], list[tuple[int, int, str, str]]]], *, actor: Actor, source: str,
           progress: Progress | None) -> None:
    if not todo:
        return
    now = clock.now()
    total = len(todo)
    max_id = db.execute('SELECT COALESCE(MAX(id), 0) FROM "order"').fetchone()[0]
    cols = ["client_id", "number", "status", "received_at", *ORDER_FIELDS]
    defaults: dict[str, object] = {key: "" for key in ORDER_FIELDS}
    defaults.update(ship_by=None, priority=0, ordered_at=None)
    rows = []
    for order, clean, _ in todo:
        values = {**defaults, **clean}
        values.setdefault("channel", "")
        if not values["channel"]:
            values["channel"] = "import"
        if not values["import_ref"]:
            values["import_ref"] = source
        rows.append((client_id, order.number, OrderStatus.NEW, now, *(values[k] for k in ORDER_FIELDS)))
    db.executemany(f'INSERT INTO "order" ({", ".join(cols)}) VALUES ({marks(len(cols))})', rows)
    if progress:
        progress(total // 3, total)
    ids = {number: oid for oid, number in db.execute(
        'SELECT id, number FROM "order" WHERE client_id = ? AND id > ?', (client_id, max_id)).fetchall()}
    line_rows, created = [], []
    for order, _, resolved in todo:
        oid = ids[order.number]
        for i, (pid, qty, name, _sku) in enumerate(resolved):
            line_rows.append((oid, i + 1, pid, qty, name))
        created.append((oid, client_id, OrderStatus.NEW, actor.user_id, actor.name, actor.station,
                        f"import {source}", now))
    db.executemany(
        "INSERT INTO order_line (order_id, line_no, product_id, qty_ordered, qty_allocated, qty_picked, "
        "qty_packed, qty_shipped, qty_cancelled, name) VALUES (?, ?, ?, ?, 0, 0, 0, 0, 0, ?)", line_rows)
    if progress:
        progress(2 * total // 3, total)
    # A creation, not a move: there is no earlier state to check, so the "created (New)" rows
    # are written in bulk (one audit.transition per order would triple a large import's time).
    db.executemany(
        "INSERT INTO status_change (doc_type, doc_id, client_id, from_status, to_status, user_id, "
        "user_name, station, note, created_at) VALUES ('order', ?, ?, '', ?, ?, ?, ?, ?, ?)", created)
    changes.changed("order", *ids.values())
    if progress:
        progress(total, total)
