"""The receiving desk: inbound shipments (ASNs), receiving scans, closing, putaway, labels."""

from __future__ import annotations

from app.receiving.asn import (
    MAX_ASN_BYTES,
    ImportAsnResult,
    import_asn,
)
from app.receiving.bin_putaway import (
    PutawayResult,
    PutawaySuggestion,
    putaway,
    putaway_suggestion,
    suggest_bin,
)
from app.receiving.close import (
    CloseResult,
    close_shipment,
)
from app.receiving.labels import (
    bin_labels,
    product_label,
    shipment_labels,
    unit_labels,
)
from app.receiving.lots import (
    SHORT_QUARANTINE,
    SHORT_REFUSE,
    LotDecision,
    LotScan,
    decide_lot,
    lot_from_scan,
)
from app.receiving.receive import (
    ReceiveResult,
    UndoResult,
    receive_scan,
    receive_unknown,
    undo_receipt,
)
from app.receiving.scan import (
    DeskContext,
    Outcome,
    station_scan,
)
from app.receiving.shipments import (
    ACTIVE_STATUSES,
    DOC_TYPE,
    MAX_CODE_LENGTH,
    MAX_UNITS_PER_SCAN,
    LineRow,
    ShipmentDetail,
    ShipmentRef,
    ShipmentSummary,
    add_line,
    cancel_shipment,
    create_shipment,
    expected_arrivals,
    find_shipment,
    list_shipments,
    parse_lines,
    shipment_detail,
    shipment_ref,
)

__all__ = [
    "SHORT_QUARANTINE",
    "SHORT_REFUSE",
    "LotDecision",
    "LotScan",
    "decide_lot",
    "lot_from_scan",
    "ACTIVE_STATUSES",
    "CloseResult",
    "DOC_TYPE",
    "DeskContext",
    "ImportAsnResult",
    "LineRow",
    "MAX_ASN_BYTES",
    "MAX_CODE_LENGTH",
    "MAX_UNITS_PER_SCAN",
    "Outcome",
    "PutawayResult",
    "PutawaySuggestion",
    "ReceiveResult",
    "ShipmentDetail",
    "ShipmentRef",
    "ShipmentSummary",
    "UndoResult",
    "add_line",
    "bin_labels",
    "cancel_shipment",
    "close_shipment",
    "create_shipment",
    "expected_arrivals",
    "find_shipment",
    "import_asn",
    "list_shipments",
    "parse_lines",
    "product_label",
    "putaway",
    "putaway_suggestion",
    "receive_scan",
    "receive_unknown",
    "shipment_detail",
    "shipment_labels",
    "shipment_ref",
    "station_scan",
    "suggest_bin",
    "undo_receipt",
    "unit_labels",
]
