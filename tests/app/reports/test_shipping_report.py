"""Report ``shipping``: packages and shipping cost per client and carrier/service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.reports import shipping_report
from app.reports.table import Period
from tests.support import floor_history

D = Decimal


@pytest.fixture
def history(world, frozen_clock):
    return floor_history.build(world, frozen_clock)


def test_packages_and_cost_per_client_and_carrier(history):
    table = shipping_report.shipping(Period.of(dt.date(2026, 3, 2), dt.date(2026, 3, 3)))
    assert table.columns == ("client", "carrier", "service", "packages", "orders", "units", "cost",
                             "cost_per_package", "packages_without_cost")
    assert table.rows == [
        ("ACME", "UPS", "Ground", 2, 2, 4, D("7.46"), D("7.46"), 1),  # 7.455 rounds half up
        ("ACME", "all", "all", 2, 2, 4, D("7.46"), D("7.46"), 1),
        ("BETA", "USPS", "Priority", 1, 1, 2, D("5.10"), D("5.10"), 0),
        ("BETA", "all", "all", 1, 1, 2, D("5.10"), D("5.10"), 0),
        ("ALL", "UPS", "Ground", 2, 2, 4, D("7.46"), D("7.46"), 1),
        ("ALL", "USPS", "Priority", 1, 1, 2, D("5.10"), D("5.10"), 0),
        ("ALL", "all", "all", 3, 3, 6, D("12.56"), D("6.28"), 1),
    ]


def test_only_packages_shipped_in_the_period_and_of_the_client(history):
    tuesday = shipping_report.shipping(Period.of(dt.date(2026, 3, 3)), client="acme").rows
    assert tuesday == [
        ("ACME", "UPS", "Ground", 1, 1, 1, D("0.00"), None, 1),
        ("ACME", "all", "all", 1, 1, 1, D("0.00"), None, 1),
        ("ALL", "UPS", "Ground", 1, 1, 1, D("0.00"), None, 1),
        ("ALL", "all", "all", 1, 1, 1, D("0.00"), None, 1),
    ]
    assert shipping_report.shipping(Period.of(dt.date(2026, 3, 4))).rows == [
        ("ALL", "all", "all", 0, 0, 0, D("0.00"), None, 0)]
