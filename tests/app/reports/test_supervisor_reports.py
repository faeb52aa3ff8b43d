"""Reports 1-4 (fulfillment, processing times, late, back-orders), the headline tiles, the daily
trend and the back-order aging over a known history built with the real services under a
frozen clock (tests/support/reports.py describes it order by order)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app import ledger, receiving
from app.kernel.errors import NotFound
from app.reports import catalog, trends
from app.reports.backorders import AgeBucket, backorders
from app.reports.fulfillment import fulfillment
from app.reports.late import late
from app.reports.processing import processing_times
from app.store import db
from tests.support import reports as history

D = Decimal


@pytest.fixture
def known(world, frozen_clock):
    ids = history.build(world, frozen_clock)
    return ids


def test_fulfillment_counts_the_orders_received_in_the_period(known):
    table = fulfillment(history.period())
    assert table.columns == ("client", "received", "cancelled", "counted", "shipped_complete", "shipped_on_time",
                             "fulfillment_rate", "on_time_rate", "line_fill_rate", "unit_fill_rate")
    row = ("ACME", 10, 1, 9, 7, 5, D("0.7778"), D("0.5556"), D("0.8000"), D("0.6923"))
    assert table.rows == [row, ("ALL", *row[1:])]


def test_a_period_that_ends_before_the_shipments_counts_none_of_them_as_shipped(known):
    # Monday 03-02 only: R1 and R2 shipped that day, R3 (after the cut-off) the next morning.
    rows = fulfillment(history.Period.of(dt.date(2026, 3, 2))).rows
    assert rows[-1] == ("ALL", 3, 0, 3, 2, 2, D("0.6667"), D("0.6667"), D("0.6667"), D("0.6667"))


def test_processing_times_per_stage_to_the_minute(known):
    table = processing_times(history.period())
    assert table.columns == ("client", "stage", "orders", "median_hours", "p90_hours", "max_hours")
    # received to shipped: 2, 3.5, 19, 22h01, 24.5, 56, 66 h; allocated to picked is 1.5 h less.
    expected = [
        ("received_to_shipped", 7, D("22.02"), D("66.00"), D("66.00")),
        ("received_to_allocated", 7, D("0.50"), D("0.50"), D("0.50")),
        ("allocated_to_picked", 7, D("20.52"), D("64.50"), D("64.50")),
        ("picked_to_packed", 7, D("0.50"), D("0.50"), D("0.50")),
        ("packed_to_shipped", 7, D("0.50"), D("0.50"), D("0.50")),
    ]
    assert table.rows == [("ACME", *r) for r in expected] + [("ALL", *r) for r in expected]


def test_late_lists_open_orders_past_due_with_what_holds_them(known):
    table = late(history.period())
    assert table.columns == ("client", "order", "status", "received", "due", "hours_past_due", "backordered",
                             "eta", "not_picked", "not_packed")
    assert table.rows == [
        ("ACME", "R9", "Back-ordered", "2026-03-04 10:00", "2026-03-05 00:00", D("132.00"), "RPT-Bx3", "unknown", 0, 0),
        ("ACME", "R10", "Allocated", "2026-03-05 09:00", "2026-03-06 00:00", D("108.00"), "", "", 1, 0),
    ]
    # Without a period: R11 (received this morning before the cut-off) is due tonight.
    assert [r[1] for r in late().rows] == ["R9", "R10", "R11"]
    assert late().rows[-1][4:6] == ("2026-03-11 00:00", D("-12.00"))


def test_a_new_order_is_not_allocated_yet_not_back_ordered_whatever_is_on_the_way(known, world):
    """R11 (new, one unit of A) waits for allocation with stock of A free: no ETA from an inbound shipment."""
    receiving.create_shipment("ACME", "ASN-A", [(history.A, 5)], actor=world.actor,
                              expected_date=dt.date(2026, 3, 17))
    a = db.execute("SELECT id FROM product WHERE sku = ?", (history.A,)).fetchone()[0]
    world.stock(a, "A-01-01", 4)
    assert ledger.available(a) == 4
    r11 = late().rows[-1]
    assert r11[1:3] == ("R11", "New")
    assert r11[6:] == ("", "not allocated yet", 0, 0)
    assert "not allocated yet" in late().notes[0]
    assert [r[1] for r in backorders().rows] == ["RPT-B"]  # the back-orders report leaves R11 out too
    assert ledger.check().ok


def test_backorders_by_age_with_eta_and_orders_at_risk(known):
    table = backorders(history.period())
    assert table.columns == ("client", "sku", "name", "units_short", "orders", "age_0_1", "age_2_3", "age_4_7",
                             "age_8_plus", "eta", "orders_at_risk")
    assert table.rows == [("ACME", "RPT-B", "Product RPT-B", 3, 1, 0, 0, 3, 0, "unknown", "R9")]
    assert trends.backorder_aging(history.period()) == [
        AgeBucket("0-1", 0, 0), AgeBucket("2-3", 0, 0), AgeBucket("4-7", 1, 3), AgeBucket("8+", 0, 0)]


def test_headline_tiles(known):
    assert trends.headline(history.period()) == trends.Headline(D("0.7778"), D("0.5556"), D("22.02"), 2, 3)


def test_the_tabs_overview_is_the_headline_and_the_daily_trend_read_together(known):
    for client in (None, "ACME"):
        assert trends.overview(history.period(), client=client) == (
            trends.headline(history.period(), client=client), trends.daily_trend(history.period(), client=client))
    empty = history.Period.of(dt.date(2025, 1, 6), dt.date(2025, 1, 7))
    head, days = trends.overview(empty)
    assert (head.fulfillment_rate, head.on_time_rate, head.median_processing_hours) == (None, None, None)
    assert [d.received for d in days] == [0, 0]


def test_daily_trend_has_every_day_of_the_period(known):
    days = trends.daily_trend(history.period())
    assert [(d.day.day, d.received, d.shipped_complete, d.fulfillment_rate, d.on_time_rate, d.median_hours)
            for d in days] == [
        (2, 3, 3, D("1.0000"), D("1.0000"), D("3.50")),
        (3, 2, 1, D("1.0000"), D("1.0000"), D("56.00")),   # R8 cancelled
        (4, 2, 1, D("0.5000"), D("0.0000"), D("24.50")),   # R9 partly shipped
        (5, 2, 1, D("0.5000"), D("0.0000"), D("22.02")),   # R10 open
        (6, 1, 1, D("1.0000"), D("1.0000"), D("66.00")),
        (7, 0, 0, None, None, None),
        (8, 0, 0, None, None, None),
        (9, 0, 0, None, None, None),
    ]


def test_lines_keep_their_own_stage_times(known):
    """R9 shipped line A and waits for B: A has its times, B none, the order no shipped time."""
    rows = db.execute(
        "SELECT p.sku, ol.allocated_at, ol.picked_at, ol.packed_at, ol.shipped_at FROM order_line ol "
        "JOIN product p ON p.id = ol.product_id WHERE ol.order_id = ? ORDER BY ol.line_no", (known["R9"],)).fetchall()
    assert [(sku, *(db.as_datetime(v) for v in stamps)) for sku, *stamps in rows] == [
        ("RPT-A", history.at(4, 11), history.at(4, 13), history.at(4, 14), history.at(4, 15)),
        ("RPT-B", None, None, None, None),
    ]
    order = db.execute('SELECT allocated_at, shipped_at FROM "order" WHERE id = ?', (known["R9"],)).fetchone()
    assert order == (None, None)


def test_a_client_filter_and_an_unknown_client(known):
    assert fulfillment(history.period(), client="acme").rows[0][0] == "ACME"
    with pytest.raises(NotFound, match="no client NOPE"):
        fulfillment(history.period(), client="NOPE")
    with pytest.raises(NotFound):
        trends.headline(history.period(), client="NOPE")


def test_the_catalog_runs_every_report_and_writes_its_csv(known):
    assert {"fulfillment", "processing-times", "late", "backorders", "returns"} <= set(catalog.REPORTS)
    text = catalog.to_csv(catalog.run("fulfillment", history.period()))
    assert text.splitlines() == [
        "client,received,cancelled,counted,shipped_complete,shipped_on_time,fulfillment_rate,on_time_rate,"
        "line_fill_rate,unit_fill_rate",
        "ACME,10,1,9,7,5,0.7778,0.5556,0.8000,0.6923",
        "ALL,10,1,9,7,5,0.7778,0.5556,0.8000,0.6923",
    ]
    for name in catalog.REPORTS:
        table = catalog.run(name, history.period())
        assert table.name == name
        assert catalog.to_csv(table).splitlines()[0] == ",".join(table.columns)


def test_an_order_whose_rest_is_cancelled_after_a_partial_shipment_is_not_shipped_complete(known, world):
    """Cancelling R9's back-ordered rest ends it as Shipped (a parcel went), not complete."""
    from app import orders

    ref = orders.cancel_order(known["R9"], actor=world.actor, reason="customer will not wait")
    assert ref.status == "shipped"
    row = fulfillment(history.period()).rows[-1]
    assert row == ("ALL", 10, 1, 9, 7, 5, D("0.7778"), D("0.5556"), D("0.8000"), D("0.6923"))
    assert [r[1] for r in late(history.period()).rows] == ["R10"]
    assert backorders(history.period()).rows == []
    assert trends.headline(history.period()) == trends.Headline(D("0.7778"), D("0.5556"), D("22.02"), 1, 0)


def test_an_older_database_gains_line_stage_times_from_its_orders(known, world):
    """Migration 11 on a database made before it: each line of an order that reached a stage
    takes the order's time (it got there no later); lines of orders that did not stay empty."""
    from app.store import migrations

    db.execute("DROP INDEX order_received_at")
    for stage in migrations.LINE_STAGES:
        db.execute(f"ALTER TABLE order_line DROP COLUMN {stage}_at")
    with db.database.atomic():
        migrations._m11_line_stages(None)
    shipped = db.execute("SELECT COUNT(*) FROM order_line WHERE shipped_at IS NOT NULL").fetchone()[0]
    assert shipped == 8  # R0 to R7, one line each
    r9 = db.execute("SELECT allocated_at, shipped_at FROM order_line WHERE order_id = ?", (known["R9"],)).fetchall()
    assert r9 == [(None, None), (None, None)]
    r1 = db.execute("SELECT o.shipped_at, ol.shipped_at FROM order_line ol JOIN \"order\" o ON o.id = ol.order_id "
                    "WHERE o.id = ?", (known["R1"],)).fetchone()
    assert r1[0] == r1[1]
    assert fulfillment(history.period()).rows[-1][1:6] == (10, 1, 9, 7, 5)


def test_a_period_of_more_than_ten_years_is_refused(known):
    from app.kernel.errors import ValidationError

    with pytest.raises(ValidationError, match="at most 3660 days"):
        fulfillment(history.Period.of(dt.date(2010, 1, 1), dt.date(2026, 3, 9)))
    assert fulfillment(history.Period.of(dt.date(2016, 3, 12), dt.date(2026, 3, 9))).rows[-1][1] == 11  # R0 to R10
