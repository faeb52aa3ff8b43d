"""Receiving lot- and expiry-tracked goods: which lot, which expiry, and where short-dated units go."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.catalog.scan import ScanMatch, find_product_code
from app.kernel import clock
from app.kernel.barcodes import GS
from app.kernel.errors import LotRequired, ShortShelfLife, ValidationError
from app.kernel.gs1 import looks_gs1, parse_gs1
from app.ledger.lots import check_lot, register_lot
from app.receiving.shipments import EXPIRED_REASON, SHORT_LIFE_REASON
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
        return LotDecision(lot_no, date, f"{EXPIRED_REASON} {date.isoformat()}")
    row = db.execute("SELECT c.min_shelf_life_days FROM product p JOIN client c ON c.id = p.client_id "
                     "WHERE p.id = ?", (match.id,)).fetchone()
    min_days = int(row[0] or 0)
    if left < min_days:
        reason = f"{SHORT_LIFE_REASON}: {left} days left, client accepts {min_days}"
        if short_shelf_life == SHORT_REFUSE:
            raise ShortShelfLife(f"{sku} lot {lot_no} refused ({reason})")
        return LotDecision(lot_no, date, reason)
    return LotDecision(lot_no, date, "")


@dataclass(frozen=True)
class LotScan:
    """What a code scanned at the lot question gives: the lot, and the expiry when a GS1 code
    carried one."""

    lot: str
    expiry: dt.date | None = None


def lot_from_scan(scanned: str, *, product_code: str, client_id: int | None = None) -> LotScan:
    """A code scanned when the desk asks for the lot of ``product_code``'s units: a GS1 code's
    lot (AI 10) and expiry (AI 17), its GTIN that same product's; any other code is the lot.

    Raises:
        ValidationError: an unreadable GS1 code, one without a lot, or one of another product
            (the GS1 label of the carton beside it: its lot is not this product's).
    """
    if not looks_gs1(scanned):
        return LotScan(check_lot(scanned.replace(GS, "")))
    data = parse_gs1(scanned)
    if not data.lot:
        raise ValidationError("the GS1 code carries no lot (AI 10): scan the lot or type it")
    asked = find_product_code(product_code, client_id=client_id)
    found = find_product_code(scanned, client_id=client_id)
    if asked is None or found is None or found.id != asked.id:
        what = found.label if found is not None else f"GTIN {data.gtin or data.sscc}"
        wanted = asked.label if asked is not None else product_code
        raise ValidationError(f"that GS1 code is for {what}, not {wanted}: scan this product's own label")
    return LotScan(check_lot(data.lot), data.expiry)
