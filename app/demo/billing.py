"""Demo data for billing: a rate card for every demo client, so a statement prices its work."""

from __future__ import annotations

import datetime as dt

from app import billing
from app.kernel import clock
from app.kernel.actor import Actor
from app.store import db

# A small prep center's list prices (per unit, order, package, unit-day or bin-day).
DEMO_PRICES = {
    "receive_unit": "0.25",
    "order": "2.50",
    "order_extra_unit": "0.50",
    "package": "0.75",
    "return_unit": "1.50",
    "storage_unit_day": "0.0100",
    "storage_bin_day": "0.2000",
    "label_unit": "0.20",
    "polybag_unit": "0.30",
    "bubble_wrap_unit": "0.40",
    "insert_unit": "0.15",
    "bundle": "0.60",
}


def add_demo_documents(*, actor: Actor) -> list[str]:
    """Give each demo client without a rate card the demo prices, from 30 days ago on."""
    codes = [code for (code,) in db.execute(
        "SELECT c.code FROM client c WHERE NOT EXISTS (SELECT 1 FROM rate r WHERE r.client_id = c.id) "
        "ORDER BY c.code").fetchall()]
    since = clock.local_today() - dt.timedelta(days=30)
    for code in codes:
        billing.set_rates(code, DEMO_PRICES, effective_from=since, actor=actor)
    if not codes:
        return []
    return [f"billing: rate cards for {', '.join(codes)} from {since} (billing rates CLIENT to see them)"]
