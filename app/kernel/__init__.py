"""The ground floor: errors, who acts (actor), the clock, barcode arithmetic, CSV reading,
document states, logging."""

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
from app.kernel.clock import (
    FrozenClock,
    now,
    set_clock,
    today,
)
from app.kernel.csvfiles import (
    DELIMITERS,
    MAX_IMPORT_BYTES,
    parse_float,
    parse_int,
    read_csv_rows,
)
from app.kernel.csvsafe import SafeWriter, safe_cell, safe_writer
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
    "SafeWriter",
    "safe_cell",
    "safe_writer",
    "DELIMITERS",
    "MAX_IMPORT_BYTES",
    "parse_float",
    "parse_int",
    "read_csv_rows",
    "Actor",
    "AuthError",
    "Conflict",
    "DatabaseUnavailable",
    "FrozenClock",
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
    "now",
    "set_clock",
    "setup_logging",
    "today",
]
