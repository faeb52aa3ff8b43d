"""The audit log viewer's service: newest first, warehouse time, filters, pages."""

from __future__ import annotations

import datetime as dt

import pytest

from app.kernel import clock
from app.kernel.errors import ValidationError
from app.reports import audit_log
from app.reports.table import Period
from tests.support import floor_history

MONDAY = Period.of(dt.date(2026, 3, 2))


@pytest.fixture
def history(world, frozen_clock):
    return floor_history.build(world, frozen_clock)


def test_newest_first_with_who_when_where(history):
    page = audit_log.audit_log(user="PIA", period=MONDAY)
    assert page.table.columns == ("when", "user", "station", "kind", "document", "client", "detail")
    assert [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in page.table.rows] == [
        ("2026-03-02 11:40:00", "pia", "pick-1", "Picklist done", "picklist PL000003", ""),
        ("2026-03-02 11:40:00", "pia", "pick-1", "Short pick", "picklist PL000003", "ACME"),
        ("2026-03-02 11:40:00", "pia", "pick-1", "Allocate", "", ""),
        ("2026-03-02 11:35:00", "pia", "pick-1", "Order created", "order 1002", "ACME"),
        ("2026-03-02 09:20:00", "pia", "pick-1", "Picklist done", "picklist PL000002", ""),
        ("2026-03-02 09:20:00", "pia", "pick-1", "Allocate", "", ""),
        ("2026-03-02 09:05:00", "pia", "pick-1", "Picklist done", "picklist PL000001", ""),
        ("2026-03-02 09:05:00", "pia", "pick-1", "Allocate", "", ""),
        ("2026-03-02 09:00:00", "pia", "pick-1", "Order created", "order 2001", "BETA"),
        ("2026-03-02 09:00:00", "pia", "pick-1", "Order created", "order 1001", "ACME"),
    ]
    assert page.text == "page 1 of 1 (10 events)"
    clock.set_zone("America/New_York")  # shown in the warehouse's time: 11:40 UTC is 06:40 EST
    assert audit_log.audit_log(kind="short_pick").table.rows[0][0] == "2026-03-02 06:40:00"


def test_filters_by_document_and_kind(history):
    rows = audit_log.audit_log(document="order 1002").table.rows
    assert [(r[3], r[4]) for r in rows] == [("Order created", "order 1002")]
    assert len(audit_log.audit_log(document="order").table.rows) == 4
    assert [r[4] for r in audit_log.audit_log(document="picklist PL000003").table.rows] == [
        "picklist PL000003", "picklist PL000003"]
    assert [r[6] for r in audit_log.audit_log(kind="SHORT_PICK").table.rows] == [
        "PL000003 A-01-02 LAMP short 1 (blocked); rerouted 0, back-ordered 1, written off 0, quarantined 0"]
    # the filter takes the kind in words (as the screen lists it) or as its code
    assert audit_log.audit_log(kind="Short pick").table.rows == audit_log.audit_log(kind="short_pick").table.rows
    assert audit_log.audit_log(user="nobody").table.rows == []
    assert "Short pick" in audit_log.kinds() and "pia" in audit_log.users()
    with pytest.raises(ValidationError, match="by its number"):
        audit_log.audit_log(document="package abc")


def test_pages(history):
    first = audit_log.audit_log(user="pia", page_size=4)
    assert (first.total, first.pages, first.page, len(first.table.rows)) == (13, 4, 0, 4)
    assert first.table.rows[0][0] == "2026-03-03 14:00:00"
    last = audit_log.audit_log(user="pia", page=9, page_size=4)  # past the end: the last page
    assert last.page == 3
    assert [(r[0], r[4]) for r in last.table.rows] == [("2026-03-02 09:00:00", "order 1001")]
    for bad in ({"page": -1}, {"page_size": 0}, {"page_size": 5000}):
        with pytest.raises(ValidationError):
            audit_log.audit_log(**bad)


def test_a_document_number_alone_finds_its_events_and_nonsense_is_told(history):
    assert [(r[3], r[4]) for r in audit_log.audit_log(document="1002").table.rows] == [("Order created", "order 1002")]
    assert [r[4] for r in audit_log.audit_log(document="PL000003").table.rows] == [
        "picklist PL000003", "picklist PL000003"]
    assert audit_log.audit_log(document="#1002").table.rows == audit_log.audit_log(document="order 1002").table.rows
    with pytest.raises(ValidationError) as told:
        audit_log.audit_log(document="nonsense")
    assert str(told.value) == ("'nonsense' is no document's number nor a kind: type a number (1001), a kind "
                               "(count, order, package, picklist, receipt, return) or both (order 1001)")
    with pytest.raises(ValidationError, match="^unknown document kind 'ordr': use one of count, order, package, picklist, receipt, return$"):
        audit_log.audit_log(document="ordr 1002")
