"""Lots in the ledger: each lot's expiry, and a product's lots in a location, earliest expiry first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.kernel import clock
from app.kernel.errors import ValidationError
from app.ledger.moves import sku_of
from app.store import db

MAX_LOT_LENGTH = 100


@dataclass(frozen=True)
class LotBalance:
    lot: str
    expiry: dt.date | None
    on_hand: int
    reserved: int

    @property
    def free(self) -> int:
        return self.on_hand - self.reserved


def check_lot(lot: str) -> str:
    """A lot as typed or scanned, trimmed; refused when too long or holding control characters."""
    text = lot.strip()
    if len(text) > MAX_LOT_LENGTH or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ValidationError(f"not a lot number: {text[:40]!r}")
    return text


def expiry_text(expiry: dt.date | None) -> str:
    """'EXP 03-12-2026', the marketplaces' form of an expiry date ('' without one)."""
    return f"EXP {expiry:%m-%d-%Y}" if expiry else ""


def lot_text(lot: str, expiry: dt.date | None) -> str:
    """'lot A42 EXP 03-12-2026' ('' for a product without lots)."""
    return " ".join(x for x in (f"lot {lot}" if lot else "", expiry_text(expiry)) if x)


def lot_expiry(product_id: int, lot: str) -> dt.date | None:
    """The expiry date recorded for a product's lot (None when none was)."""
    row = db.execute("SELECT expiry FROM lot WHERE product_id = ? AND lot = ?", (product_id, lot)).fetchone()
    return db.as_date(row[0]) if row else None


def register_lot(product_id: int, lot: str, expiry: dt.date | None) -> None:
    """Record a lot and its expiry (inside the caller's transaction); a lot keeps one date.

    Raises:
        ValidationError: the lot was recorded with another expiry date.
    """
    row = db.execute("SELECT expiry FROM lot WHERE product_id = ? AND lot = ?" + db.for_update(),
                     (product_id, lot)).fetchone()
    if row is None:
        db.execute("INSERT INTO lot (product_id, lot, expiry, created_at) VALUES (?, ?, ?, ?)",
                   (product_id, lot, expiry, clock.now()))
        return
    known = db.as_date(row[0])
    _require_same_date(product_id, lot, known, expiry)
    if known is None and expiry is not None:
        db.execute("UPDATE lot SET expiry = ? WHERE product_id = ? AND lot = ?", (expiry, product_id, lot))


def require_lot_date(product_id: int, lot: str, expiry: dt.date | None) -> None:
    """Refuse a scanned expiry that is not the one recorded for its lot (a lot keeps one date;
    a GS1 label saying otherwise is another lot's or misprinted).

    Raises:
        ValidationError: the lot was recorded with another expiry date.
    """
    _require_same_date(product_id, lot, lot_expiry(product_id, lot), expiry)


def _require_same_date(product_id: int, lot: str, known: dt.date | None, expiry: dt.date | None) -> None:
    if expiry is not None and known is not None and known != expiry:
        raise ValidationError(f"lot {lot} of {sku_of(product_id)} expires on {known.isoformat()}, "
                              f"not {expiry.isoformat()}")


# Earliest expiry first (a lot without a date last), then the oldest lot.
FEFO_ORDER = "CASE WHEN t.expiry IS NULL THEN 1 ELSE 0 END, t.expiry, t.id, sl.lot"


def lots_in(product_id: int, location_id: int) -> list[LotBalance]:
    """A product's lots holding stock in one location, first to expire first."""
    rows = db.execute(
        "SELECT sl.lot, t.expiry, sl.on_hand, sl.reserved FROM stock_level sl "
        "LEFT JOIN lot t ON t.product_id = sl.product_id AND t.lot = sl.lot "
        f"WHERE sl.product_id = ? AND sl.location_id = ? AND sl.on_hand > 0 ORDER BY {FEFO_ORDER}",
        (product_id, location_id)).fetchall()
    return [LotBalance(lot, db.as_date(exp), int(oh), int(rs)) for lot, exp, oh, rs in rows]
