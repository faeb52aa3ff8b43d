"""The demo warehouse comes with rate cards, so its Billing tab prices the demo's work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app import billing
from app.demo import create_demo
from app.demo.billing import DEMO_PRICES
from app.kernel import clock


def test_every_demo_client_has_the_demo_prices_from_30_days_ago(database, frozen_clock):
    create_demo(products_per_client=3)
    for code in ("ACME", "BLOOM", "NOVA"):
        card = billing.rate_card(code)
        assert {r.fee: r.amount for r in card.in_force} == {k: Decimal(v) for k, v in DEMO_PRICES.items()}
        assert {r.effective_from for r in card.in_force} == {clock.local_today() - dt.timedelta(days=30)}
    assert len(billing.rate_card("ACME").history) == len(DEMO_PRICES)
