"""The ground floor: errors, who acts (actor), the clock, barcode arithmetic, CSV reading,
document states, logging.

The clock (``app.kernel.clock``, with the time-zone database) and CSV reading and writing
(``csvfiles``, ``csvsafe``) are imported by those who use them, not re-exported here: the
login dialog needs only who acts, the errors and barcode cleaning."""

from __future__ import annotations

from app.kernel.actor import (
    ROLES,
    Actor,
)
from app.kernel.barcodes import (
    GS,
    clean_scan,
    display_gtin,
    gs1_check_digit,
    gtin_kind,
    is_valid_gtin,
    make_sscc,
    normalize_code,
)
from app.kernel.errors import (
    AuthError,
    Conflict,
    DatabaseUnavailable,
    ImportRejected,
    InvalidTransition,
    LotRequired,
    NotFound,
    OutOfStock,
    PermissionDenied,
    PrepDeskError,
    ShortShelfLife,
    UnknownBarcode,
    UserLocked,
    ValidationError,
)
from app.kernel.logsetup import (
    log_dir,
    setup_logging,
)

__all__ = [
    "Actor",
    "AuthError",
    "Conflict",
    "DatabaseUnavailable",
    "GS",
    "ImportRejected",
    "InvalidTransition",
    "NotFound",
    "OutOfStock",
    "PermissionDenied",
    "PrepDeskError",
    "ROLES",
    "UnknownBarcode",
    "UserLocked",
    "ValidationError",
    "LotRequired",
    "ShortShelfLife",
    "clean_scan",
    "display_gtin",
    "gs1_check_digit",
    "gtin_kind",
    "is_valid_gtin",
    "log_dir",
    "make_sscc",
    "normalize_code",
    "setup_logging",
]
