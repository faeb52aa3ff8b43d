"""Label data for the receiving desk: unit labels for a product or a whole shipment, bin labels.

What each label carries comes from the database here; ``app.documents.labels`` draws them.
"""

from __future__ import annotations

import datetime as dt

from app.documents.label_data import MAX_LABELS, Label
from app.kernel.errors import LotRequired, NotFound, ValidationError
from app.ledger.lots import lot_expiry
from app.store import db


def unit_labels(sku: str, count: int, *, client_code: str | None = None, condition: str = "New",
                lot: str = "", expiry: dt.date | None = None, with_lot: bool = False) -> list[Label]:
    """``count`` unit labels for a product: its FNSKU if it has one, else its SKU. Units of
    a product that keeps lots are labelled by ``lot`` (printed, ``with_lot``); an
    expiry-tracked product's carry the lot's expiry: the one recorded, else ``expiry`` (from a
    GS1 scan of a unit whose lot is not received yet).

    Raises:
        NotFound: no such product (for that client), or no expiry for the lot.
        LotRequired: the product keeps lots and no lot was named.
        ValidationError: the SKU belongs to several clients and none was named; bad count;
            an ``expiry`` other than the lot's recorded one.
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValidationError(f"label count must be a whole number of at least 1, not {count!r}")
    if count > MAX_LABELS:
        raise ValidationError(f"{count} labels is more than {MAX_LABELS} at once")
    sql = ("SELECT p.sku, p.name, p.fnsku, p.id, p.track_lot, p.track_expiry FROM product p "
           "JOIN client c ON c.id = p.client_id "
           "WHERE p.sku = ?")
    params: list[object] = [sku.strip()]
    if client_code:
        sql += " AND c.code = ?"
        params.append(client_code.strip().upper())
    rows = db.execute(sql + " LIMIT 2", params).fetchall()
    if not rows:
        raise NotFound(f"no product {sku!r}" + (f" for {client_code.upper()}" if client_code else ""))
    if len(rows) > 1:
        raise ValidationError(f"SKU {sku} belongs to several clients: name the client")
    p_sku, name, fnsku, pid, track_lot, track_expiry = rows[0]
    lot = lot.strip()
    if (track_lot or track_expiry) and not lot:
        dated = " (its expiry date prints on them)" if track_expiry else ""
        raise LotRequired(f"{p_sku} keeps lots: name the lot of the units to label{dated}")
    dated_on = _lot_expiry(pid, p_sku, lot, expiry) if track_expiry else None
    return [Label(fnsku or p_sku, name, condition, expiry=dated_on, lot=lot if with_lot else "")] * count


def _lot_expiry(product_id: int, sku: str, lot: str, scanned: dt.date | None) -> dt.date:
    """The expiry printed for a lot: the one recorded, else the one a scan carried."""
    recorded = lot_expiry(product_id, lot)
    if recorded is not None and scanned is not None and scanned != recorded:
        raise ValidationError(f"lot {lot} of {sku} expires {recorded:%Y-%m-%d}, not {scanned:%Y-%m-%d}")
    if recorded is None and scanned is None:
        raise NotFound(f"no lot {lot!r} of {sku} with an expiry date")
    return recorded or scanned  # type: ignore[return-value]


def shipment_labels(shipment_id: int, *, condition: str = "New", with_lot: bool = False) -> list[Label]:
    """One unit label for every good unit received on an inbound shipment, line by line
    (the prep center labels a whole delivery in one run; damaged units get none). Each unit
    of an expiry-tracked product carries its own lot's expiry (and its lot, ``with_lot``).

    Raises:
        NotFound: no such shipment.
        ValidationError: nothing received yet, or more than ``MAX_LABELS``.
    """
    ref = db.execute("SELECT ref FROM inbound_shipment WHERE id = ?", (shipment_id,)).fetchone()
    if ref is None:
        raise NotFound(f"no inbound shipment #{shipment_id}")
    # The good units of each lot: the shipment's receive moves into RECEIVING, less their undos.
    rows = db.execute(
        "SELECT p.sku, p.name, p.fnsku, SUM(CASE WHEN m.kind = 'receive' THEN m.qty ELSE -m.qty END), "
        "m.lot, t.expiry, p.track_expiry FROM stock_move m JOIN product p ON p.id = m.product_id "
        "JOIN location r ON r.id = m.to_location_id OR r.id = m.from_location_id "
        "LEFT JOIN lot t ON t.product_id = m.product_id AND t.lot = m.lot "
        "WHERE m.doc_type = 'receipt' AND m.doc_id = ? AND r.code = 'RECEIVING' "
        "AND (m.kind = 'receive' OR (m.kind = 'undo' AND m.from_location_id = r.id)) "
        "GROUP BY p.sku, p.name, p.fnsku, m.lot, t.expiry, p.track_expiry "
        "HAVING SUM(CASE WHEN m.kind = 'receive' THEN m.qty ELSE -m.qty END) > 0 "
        "ORDER BY p.sku, t.expiry, m.lot", (shipment_id,)).fetchall()
    total = sum(int(r[3]) for r in rows)
    if not total:
        raise ValidationError(f"nothing received on shipment {ref[0]} yet: no labels to print")
    if total > MAX_LABELS:
        raise ValidationError(f"{total} labels is more than {MAX_LABELS} at once: print them per product")
    result: list[Label] = []
    for sku, name, fnsku, qty, lot, expiry, track_expiry in rows:
        when = _as_date(expiry) if track_expiry else None
        result += [Label(fnsku or sku, name, condition, expiry=when, lot=lot if with_lot else "")] * int(qty)
    return result


def _as_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def product_label(product_id: int, *, condition: str = "New") -> Label:
    """One unit label for a product (by id): its FNSKU if it has one, else its SKU."""
    row = db.execute("SELECT sku, name, fnsku FROM product WHERE id = ?", (product_id,)).fetchone()
    if row is None:
        raise NotFound(f"no product #{product_id}")
    return Label(row[2] or row[0], row[1], condition)


def bin_labels(first: str, last: str) -> list[Label]:
    """Labels for the bins whose codes sort from ``first`` to ``last`` (inclusive).

    Raises:
        ValidationError: no bin in that range.
    """
    a, b = first.strip().upper(), last.strip().upper()
    if a > b:
        a, b = b, a
    rows = db.execute(
        "SELECT code, zone FROM location WHERE kind = 'bin' AND code >= ? AND code <= ? "
        "ORDER BY code", (a, b)).fetchall()
    if not rows:
        raise ValidationError(f"no bins from {a} to {b}")
    if len(rows) > MAX_LABELS:
        raise ValidationError(f"{len(rows)} bins is more than {MAX_LABELS} labels at once")
    return [Label(code, f"Zone {zone}" if zone else "", "", kind="bin") for code, zone in rows]
