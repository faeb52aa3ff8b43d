"""The returns desk: return authorisations (RMA), receiving returned units by scan, their
disposition (restock, quarantine, scrap), exchanges and closing."""

from __future__ import annotations

from app.returns.authorise import (
    OrderHit,
    ReturnableLine,
    RmaRef,
    RmaRequestLine,
    check_exchange_release,
    create_rma,
    exchange_release,
    find_orders,
    orders_for_unit,
    parcel_orders,
    release_exchange,
    returnable,
)
from app.returns.common import (
    DISPOSITIONS,
    EXCHANGE_RELEASE_KEY,
    EXCHANGE_RELEASES,
    QUARANTINE_CODE,
    REASONS,
    SCRAP_CODE,
    WANTS,
)
from app.returns.papers import RETURN_ADDRESS_KEY, disposition_sheet, render_rma_pdf, rma_document
from app.returns.queries import RmaDetail, RmaLineRow, RmaRow, list_rmas, rma_detail
from app.returns.receive import CloseResult, ReturnScan, close_rma, dispose, receive, receive_unit
from app.returns.scan import ACK_CODES, DeskScan, desk_scan, find_rma, return_from_order

__all__ = [
    "ACK_CODES",
    "DISPOSITIONS",
    "EXCHANGE_RELEASES",
    "EXCHANGE_RELEASE_KEY",
    "QUARANTINE_CODE",
    "REASONS",
    "RETURN_ADDRESS_KEY",
    "SCRAP_CODE",
    "WANTS",
    "CloseResult",
    "DeskScan",
    "OrderHit",
    "ReturnScan",
    "ReturnableLine",
    "RmaDetail",
    "RmaLineRow",
    "RmaRef",
    "RmaRequestLine",
    "RmaRow",
    "check_exchange_release",
    "close_rma",
    "create_rma",
    "desk_scan",
    "dispose",
    "disposition_sheet",
    "exchange_release",
    "find_orders",
    "find_rma",
    "list_rmas",
    "orders_for_unit",
    "parcel_orders",
    "receive",
    "receive_unit",
    "release_exchange",
    "render_rma_pdf",
    "return_from_order",
    "returnable",
    "rma_detail",
    "rma_document",
]
