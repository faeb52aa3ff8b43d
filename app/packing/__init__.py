"""The packing station: verify every unit by scan, boxes, packages and their papers.

The papers (``app.packing.papers``: the packing slip and carton labels drawn with ReportLab)
and printing them again (``app.packing.reprint``) are imported by those who print, not
re-exported here, so a packing station's screen opens without the drawing libraries."""

from __future__ import annotations

from app.packing.boxes import (
    BOX_VOLUME_MARGIN,
    BOX_WEIGHT_MARGIN,
    BoxSuggestion,
    BoxTypeRow,
    add_box_type,
    box_by_name,
    deactivate_box_type,
    list_box_types,
    parse_dims,
    suggest_box,
    suggest_box_for,
    update_box_type,
)
from app.packing.opening import (
    AlreadyShipped,
    PackTarget,
    check_packable,
    find_order,
    has_packing_work,
    open_for_packing,
)
from app.packing.pack import (
    PackResult,
    pack,
)
from app.packing.packages import (
    CloseResult,
    UnverifiedUnits,
    close_package,
    complete_packing,
    open_package,
    parse_weight,
    void_package,
)
from app.packing.scan import (
    ACK_CODES,
    ScanOutcome,
    StationScan,
    applied_to,
    is_ack_code,
    station_scan,
    verify_scan,
)
from app.packing.station_settings import (
    DEFAULT_GS1_PREFIX,
    GS1_PREFIX_KEY,
    SETTING_VALIDATORS,
    SSCC_EXTENSION_KEY,
    SSCC_SEQUENCE,
    TYPED_UNITS_KEY,
    gs1_company_prefix,
    set_setting,
    typed_units_allowed,
)
from app.packing.view import (
    MisScanRow,
    PackageView,
    PackingView,
    PackLineView,
    mis_scan_counts,
    package_view,
    packing_view,
    ship_to_lines,
    unverified_total,
)
from app.store.settings import (
    get_setting,
    next_sequence,
)

__all__ = [
    "ACK_CODES",
    "AlreadyShipped",
    "BOX_VOLUME_MARGIN",
    "BOX_WEIGHT_MARGIN",
    "BoxSuggestion",
    "BoxTypeRow",
    "CloseResult",
    "parse_weight",
    "DEFAULT_GS1_PREFIX",
    "GS1_PREFIX_KEY",
    "MisScanRow",
    "PackLineView",
    "PackResult",
    "PackTarget",
    "PackageView",
    "PackingView",
    "SETTING_VALIDATORS",
    "SSCC_EXTENSION_KEY",
    "SSCC_SEQUENCE",
    "ScanOutcome",
    "StationScan",
    "TYPED_UNITS_KEY",
    "UnverifiedUnits",
    "add_box_type",
    "applied_to",
    "box_by_name",
    "check_packable",
    "close_package",
    "complete_packing",
    "deactivate_box_type",
    "find_order",
    "get_setting",
    "gs1_company_prefix",
    "has_packing_work",
    "is_ack_code",
    "list_box_types",
    "mis_scan_counts",
    "next_sequence",
    "open_for_packing",
    "open_package",
    "pack",
    "package_view",
    "packing_view",
    "parse_dims",
    "set_setting",
    "ship_to_lines",
    "station_scan",
    "suggest_box",
    "suggest_box_for",
    "typed_units_allowed",
    "unverified_total",
    "update_box_type",
    "verify_scan",
    "void_package",
]
