"""Pick lists (waves): creation in walk order, picking by scan, short picks."""

from __future__ import annotations

from app.ledger.lots import expiry_text, lot_text
from app.picking.cancel import cancel_picklist, drop_unreserved_lines, remove_order
from app.picking.confirm import PickResult, confirm_pick
from app.picking.lots import SwapResult, swap_lot, swap_lot_at
from app.picking.picklist import (
    DEFAULT_MAX_ORDERS,
    OPEN_STATUSES,
    SHORT_REASONS,
    WAVE_LOCK_KEY,
    WRITE_OFF_REASON,
    LinesDropped,
    WrongLot,
    WrongScan,
    format_number,
)
from app.picking.scan import ItemMatch, PickScan, ScanContext, check_bin, check_item, station_scan
from app.picking.shorts import (
    PickExceptionRow,
    Reroute,
    ShortResult,
    exceptions_list,
    resolve_exception,
    short_pick,
)
from app.picking.view import (
    PickListSummary,
    PickListView,
    Stop,
    StopLot,
    ToteOrder,
    ToteSplit,
    next_stop,
    open_picklists,
    picklist_view,
    render_pdf,
    sheet,
)
from app.picking.waves import PickListRef, create_picklist, waiting_orders

__all__ = [
    "DEFAULT_MAX_ORDERS",
    "ItemMatch",
    "LinesDropped",
    "OPEN_STATUSES",
    "PickExceptionRow",
    "PickListRef",
    "PickListSummary",
    "PickListView",
    "PickResult",
    "PickScan",
    "Reroute",
    "SHORT_REASONS",
    "ScanContext",
    "ShortResult",
    "Stop",
    "StopLot",
    "SwapResult",
    "ToteOrder",
    "ToteSplit",
    "WAVE_LOCK_KEY",
    "WRITE_OFF_REASON",
    "WrongLot",
    "WrongScan",
    "cancel_picklist",
    "check_bin",
    "check_item",
    "confirm_pick",
    "create_picklist",
    "drop_unreserved_lines",
    "exceptions_list",
    "expiry_text",
    "format_number",
    "lot_text",
    "next_stop",
    "open_picklists",
    "picklist_view",
    "remove_order",
    "render_pdf",
    "resolve_exception",
    "sheet",
    "short_pick",
    "station_scan",
    "swap_lot",
    "swap_lot_at",
    "waiting_orders",
]
