"""Billing: rate cards, manual charges, billable activity and storage from the ledger, statements."""

from __future__ import annotations

from app.billing.activity import activity
from app.billing.charges import ChargeRow, add_charge
from app.billing.days import Days
from app.billing.fees import (
    CURRENCY_KEY,
    FEE_WORDS,
    FEES,
    PREP_FEES,
    check_fee,
    fee_title,
    line_amount,
    money_text,
    parse_price,
    price_text,
)
from app.billing.invoices import (
    StatementNotSaved,
    pdf_destination,
    reprint_statement,
    save_statement_pdf,
)
from app.billing.rates import (
    BILLING_SETTINGS,
    WAREHOUSE_ADDRESS_KEY,
    WAREHOUSE_NAME_KEY,
    RateCard,
    RateRow,
    currency,
    parse_rate_settings,
    rate_card,
    set_billing_setting,
    set_rates,
    warehouse_identity,
)
from app.billing.statement import (
    CSV_COLUMNS,
    Statement,
    StatementLine,
    check_issuable,
    issue_statement,
    statement,
    statement_csv,
    statement_pdf,
)
from app.billing.storage import StorageDays, storage_days

__all__ = [
    "BILLING_SETTINGS",
    "CSV_COLUMNS",
    "CURRENCY_KEY",
    "FEES",
    "FEE_WORDS",
    "PREP_FEES",
    "WAREHOUSE_ADDRESS_KEY",
    "WAREHOUSE_NAME_KEY",
    "ChargeRow",
    "Days",
    "RateCard",
    "RateRow",
    "Statement",
    "StatementLine",
    "StatementNotSaved",
    "StorageDays",
    "activity",
    "add_charge",
    "check_fee",
    "fee_title",
    "currency",
    "check_issuable",
    "issue_statement",
    "line_amount",
    "money_text",
    "parse_price",
    "parse_rate_settings",
    "pdf_destination",
    "price_text",
    "rate_card",
    "reprint_statement",
    "save_statement_pdf",
    "set_billing_setting",
    "set_rates",
    "statement",
    "statement_csv",
    "statement_pdf",
    "storage_days",
    "warehouse_identity",
]
