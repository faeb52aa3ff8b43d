"""Receiving lot- and expiry-tracked goods: which lot, which expiry, and where short-dated units go."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.catalog.scan import ScanMatch
from app.kernel import clock
from app.kernel.errors import LotRequired, ShortShelfLife, ValidationError
from app.ledger.lots import check_lot, register_lot
from app.store import db

# What the receiver chose for units with less shelf life left than the client accepts.
SHORT_REFUSE = "refuse"
SHORT_QUARANTINE = "quarantine"


@dataclass(frozen=True)
class LotDecision:
    lot: str  # "" for a product without lots
    expiry: dt.date | None
    quarantine_reason: str  # "" when the units may go to RECEIVING


def decide_lot(match: ScanMatch, *, lot: str | None, expiry: dt.date | None,
               short_shelf_life: str) -> LotDecision:
    """The lot and expiry of scanned units (keyed values win over the GS1 scan's), recorded
    in the lot table, and whether they go to QUARANTINE. Call inside ``db.write()``.

    Raises:
        LotRequired: the product tracks lots or expiry and the scan did not carry them.
        ShortShelfLife: fewer days left than the client's minimum and the receiver refuses them.
        ValidationError: a bad lot, or the lot is known with another expiry date.
    """
    if short_shelf_life not in (SHORT_REFUSE, SHORT_QUARANTINE):
        raise ValidationError(f"short-dated units are refused or quarantined, not {short_shelf_life!r}")
    if not match.tracks:  # the scan's lookup read the flags: most products need no more
        return LotDecision("", None, "")
    track_expiry, sku = bool(match.tracks & 2), match.label
    lot_no = check_lot(lot if lot is not None else match.lot)
    date = expiry if expiry is not None else match.expiry
    missing = [w for w, gone in (("lot", not lot_no), ("expiry date", track_expiry and date is None)) if gone]
    if missing:
        raise LotRequired(f"{sku} needs its {' and '.join(missing)}: scan the GS1 code or key them in")
    register_lot(match.id, lot_no, date if track_expiry else None)
    if not track_expiry or date is None:
        return LotDecision(lot_no, None, "")
    left = (date - clock.local_today()).days
    if left < 0:
        return LotDecision(lot_no, date, f"expired {date.isoformat()}")
    row = db.execute("SELECT c.min_shelf_life_days FROM product p JOIN client c ON c.id = p.client_id "
                     "WHERE p.id = ?", (match.id,)).fetchone()
    min_days = int(row[0] or 0)
    if left < min_days:
        reason = f"short shelf life: {left} days left, client accepts {min_days}"
        if short_shelf_life == SHORT_REFUSE:
            raise ShortShelfLife(f"{sku} lot {lot_no} refused ({reason})")
        return LotDecision(lot_no, date, reason)
    return LotDecision(lot_no, date, "")
