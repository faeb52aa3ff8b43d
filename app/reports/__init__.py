"""Supervisor figures computed from the ledger and the documents."""

from __future__ import annotations

from app.reports.returns import CSV_COLUMNS, REASON_COLUMNS, ReturnsRow, returns_csv, returns_report
from app.reports.today import (
    STAGING_FOR_DISPOSITION,
    KindCount,
    StagedStock,
    StatusCount,
    StockTotals,
    day_bounds,
    moves_by_kind,
    orders_by_status,
    scrap_staged,
    staged_stock,
    stock_totals,
)

__all__ = [
    "CSV_COLUMNS",
    "REASON_COLUMNS",
    "KindCount",
    "ReturnsRow",
    "STAGING_FOR_DISPOSITION",
    "StagedStock",
    "StatusCount",
    "StockTotals",
    "day_bounds",
    "moves_by_kind",
    "orders_by_status",
    "returns_csv",
    "returns_report",
    "scrap_staged",
    "staged_stock",
    "stock_totals",
]
