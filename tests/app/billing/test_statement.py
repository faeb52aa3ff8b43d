"""The statement of a known five-day history, exact to the cent, line by line (SQLite and
PostgreSQL); undoing a receiving scan takes its charge away; reprinting bills nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app import billing, orders, packing, picking, receiving, shipping
from app.catalog.products import client_by_code
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import PermissionDenied, ValidationError
from app.orders import allocation
from app.packing.reprint import reprint_papers
from app.store import db
from tests.app.billing.history import (
    BINS_PER_DAY,
    EXPECTED_LINES,
    EXPECTED_TOTAL,
    FIRST,
    LAST,
    UNITS_PER_DAY,
    at,
    build_history,
)
from tests.support.packing import PACKER, SHIP_TO


def _lines(st: billing.Statement) -> list[tuple[str, int, str, str]]:
    return [(ln.fee, ln.quantity, ln.rate_text, ln.amount_text) for ln in st.lines]


def test_five_days_give_a_statement_exact_to_the_cent(world, frozen_clock):
    build_history(world, frozen_clock)
    st = billing.statement("ACME", FIRST, LAST)
    assert _lines(st) == EXPECTED_LINES
    assert st.total == Decimal(EXPECTED_TOTAL) and st.total_text == EXPECTED_TOTAL
    assert st.unpriced == ()
    assert (st.currency, st.number, st.client_code) == ("USD", "", "ACME")
    storage = billing.storage_days(client_by_code("ACME").id, billing.Days.of(FIRST, LAST))
    assert storage.units == UNITS_PER_DAY and storage.bins == BINS_PER_DAY
    assert (st.unit_days, st.bin_days) == (93, 16)


def test_part_of_the_period_and_a_day_without_activity(world, frozen_clock):
    build_history(world, frozen_clock)
    # Days 2 and 3 only: the price change splits storage; nothing received on day 2.
    st = billing.statement("ACME", FIRST + dt.timedelta(days=1), FIRST + dt.timedelta(days=2))
    assert _lines(st) == [
        ("receive_unit", 6, "0.40", "2.40"),
        ("order", 3, "2.50", "7.50"),
        ("order_extra_unit", 4, "0.40", "1.60"),
        ("package", 4, "1.10", "4.40"),
        ("storage_unit_day", 16, "0.0125", "0.20"),
        ("storage_unit_day", 19, "0.015", "0.29"),   # 0.285 half up
        ("storage_bin_day", 7, "0.45", "3.15"),
        ("label_unit", 4, "0.20", "0.80"),
        ("polybag_unit", 4, "0.15", "0.60"),
        ("bubble_wrap_unit", 1, "0.30", "0.30"),
    ]
    assert st.total_text == "21.24"
    # A day after the history, once it has ended: storage only (the stock stays).
    later = dt.date(2026, 3, 9)
    frozen_clock.current = dt.datetime(2026, 3, 10, 8)
    assert _lines(billing.statement("ACME", later, later)) == [
        ("storage_unit_day", 18, "0.015", "0.27"), ("storage_bin_day", 3, "0.45", "1.35")]


def test_issuing_numbers_statements_in_sequence(world, frozen_clock, supervisor):
    build_history(world, frozen_clock)
    first = billing.issue_statement("ACME", FIRST, LAST, actor=supervisor)
    second = billing.issue_statement("ACME", FIRST, FIRST, actor=supervisor)
    assert (first.number, second.number) == ("ST000001", "ST000002")
    assert _lines(first) == EXPECTED_LINES
    assert db.execute("SELECT COUNT(*) FROM audit_event WHERE kind = 'statement_issued'").fetchone()[0] == 2
    packer = Actor(None, "pat", "packer", "pack-1")
    with pytest.raises(PermissionDenied):
        billing.issue_statement("ACME", FIRST, LAST, actor=packer)


def test_csv_has_the_lines_and_the_total(world, frozen_clock):
    build_history(world, frozen_clock)
    text = billing.statement_csv(billing.statement("ACME", FIRST, LAST))
    rows = text.splitlines()
    assert rows[0] == "fee,quantity,rate,amount"
    assert rows[1:-1] == [f"{f},{q},{r},{a}" for f, q, r, a in EXPECTED_LINES]
    assert rows[-1] == f"TOTAL,,,{EXPECTED_TOTAL}"


def test_undoing_a_receiving_scan_removes_its_charge(world, frozen_clock, supervisor):
    p = world.product("MUG", barcode="MUG-BC")
    billing.set_rates("ACME", {"receive_unit": Decimal("0.50")}, effective_from=FIRST, actor=supervisor)
    frozen_clock.current = at(1, 9)
    ship = receiving.create_shipment("ACME", "PO-9", [("MUG", 5)], actor=supervisor)
    receiving.receive_scan(ship.id, "MUG-BC", qty=3, actor=supervisor)
    receiving.receive_scan(ship.id, "MUG-BC", qty=2, actor=supervisor)
    assert _lines(billing.statement("ACME", FIRST, FIRST))[0] == ("receive_unit", 5, "0.50", "2.50")
    receiving.undo_receipt(ship.id, actor=supervisor)
    assert _lines(billing.statement("ACME", FIRST, FIRST)) == [("receive_unit", 3, "0.50", "1.50")]
    assert p.id


def test_reprinting_a_slip_bills_nothing(world, frozen_clock):
    build_history(world, frozen_clock)
    before = billing.statement("ACME", FIRST, LAST)
    frozen_clock.current = at(5, 17)
    reprint_papers("SO-2")
    reprint_papers("SO-3")
    frozen_clock.current = at(6, 8)
    assert billing.statement("ACME", FIRST, LAST) == before


def test_rates_in_force_and_their_history(world, supervisor):
    billing.set_rates("ACME", {"order": "2.50", "pallet_wrap": "12"}, effective_from=dt.date(2026, 1, 1),
                      actor=supervisor)
    billing.set_rates("ACME", {"order": "2.75"}, effective_from=dt.date(2026, 2, 1), actor=supervisor)
    card = billing.rate_card("ACME", day=dt.date(2026, 1, 31))
    assert [(r.fee, r.amount_text) for r in card.in_force] == [("order", "2.50"), ("pallet_wrap", "12.00")]
    card = billing.rate_card("ACME", day=dt.date(2026, 2, 1))
    assert [(r.fee, r.amount_text) for r in card.in_force] == [("order", "2.75"), ("pallet_wrap", "12.00")]
    assert [(r.fee, r.effective_from, r.amount_text) for r in card.history] == [
        ("order", dt.date(2026, 1, 1), "2.50"), ("order", dt.date(2026, 2, 1), "2.75"),
        ("pallet_wrap", dt.date(2026, 1, 1), "12.00")]
    # The same date again replaces that date's price.
    billing.set_rates("ACME", {"order": "2.80"}, effective_from=dt.date(2026, 2, 1), actor=supervisor)
    assert [r.amount_text for r in billing.rate_card("ACME", day=dt.date(2026, 3, 1)).in_force] == ["2.80", "12.00"]


@pytest.mark.parametrize("prices", [{"order": "abc"}, {"order": "-1"}, {"order": "0.12345"},
                                    {"Bad Fee": "1"}, {"total": "1"}, {}])
def test_bad_prices_change_nothing(world, supervisor, prices):
    with pytest.raises(ValidationError):
        billing.set_rates("ACME", prices, actor=supervisor)
    assert db.execute("SELECT COUNT(*) FROM rate").fetchone()[0] == 0


def test_a_fee_without_a_price_is_listed_apart(world, frozen_clock, supervisor):
    world.product("MUG", barcode="MUG-BC")
    frozen_clock.current = at(1, 9)
    ship = receiving.create_shipment("ACME", "PO-9", [("MUG", 5)], actor=supervisor)
    receiving.receive_scan(ship.id, "MUG-BC", qty=4, actor=supervisor)
    frozen_clock.current = at(2, 8)  # the day has ended: its storage counts
    st = billing.statement("ACME", FIRST, FIRST)
    assert st.lines == () and st.total_text == "0.00"
    assert st.unpriced == (("receive_unit", 4), ("storage_unit_day", 4))


def test_manual_charges_at_the_card_price_or_an_amount(world, frozen_clock, supervisor):
    frozen_clock.current = at(1, 12)
    with pytest.raises(ValidationError, match="no price for rush"):
        billing.add_charge("ACME", "rush", 1, actor=supervisor)
    billing.set_rates("ACME", {"rush": "15"}, effective_from=FIRST, actor=supervisor)
    row = billing.add_charge("ACME", "rush", 2, note="same-day", actor=supervisor)
    assert (row.rate_text, billing.money_text(row.amount), row.day) == ("15.00", "30.00", FIRST)
    billing.add_charge("ACME", "rush", 1, amount="-15", note="credit: one was late", actor=supervisor)
    assert _lines(billing.statement("ACME", FIRST, FIRST)) == [
        ("rush", 2, "15.00", "30.00"), ("rush", 1, "-15.00", "-15.00")]
    for bad in (dict(qty=0), dict(qty=1, amount="x"), dict(qty=1, fee="TOTAL")):
        args = {"fee": "rush", "amount": "1", **bad}
        with pytest.raises(ValidationError):
            billing.add_charge("ACME", args.pop("fee"), args.pop("qty"), actor=supervisor, **args)
    assert db.execute("SELECT COUNT(*) FROM charge").fetchone()[0] == 2


def test_an_order_shipped_over_two_days_is_billed_once(world, frozen_clock, supervisor):
    p = world.product("TENT", barcode="TENT-BC", prep_services="insert")
    billing.set_rates("ACME", {"order": "2", "order_extra_unit": "0.5", "package": "1", "insert_unit": "0.1"},
                      effective_from=FIRST, actor=supervisor)
    frozen_clock.current = at(1, 8)
    world.stock(p.id, "A-01-01", 5)
    ref = orders.create_order("ACME", "SO-9", [("TENT", 5)], actor=supervisor, **SHIP_TO)
    allocation.allocate_orders(actor=supervisor, order_ids=[ref.id])
    pl = picking.create_picklist(actor=supervisor)
    stop = picking.next_stop(pl.id)
    picking.confirm_pick(pl.id, bin_code=stop.bin_code, scan_code="TENT-BC", qty=5, tote=stop.totes[0].tote,
                         actor=supervisor)
    packing.pack(ref.id, scans=["TENT-BC"] * 2, close="next", actor=PACKER)
    packing.pack(ref.id, scans=["TENT-BC"] * 3, close="last", actor=PACKER)
    frozen_clock.current = at(1, 17)
    shipping.ship_order(ref.id, tracking="1Z999AA10123456784", package_seq=1, actor=PACKER)
    frozen_clock.current = at(2, 9)
    shipping.ship_order(ref.id, tracking="1Z999AA10123456792", package_seq=2, actor=PACKER)
    assert _lines(billing.statement("ACME", FIRST, FIRST)) == [
        ("order", 1, "2.00", "2.00"), ("order_extra_unit", 1, "0.50", "0.50"), ("package", 1, "1.00", "1.00"),
        ("insert_unit", 2, "0.10", "0.20")]
    # The second day: the order was billed already; all its units that day are extra ones.
    assert _lines(billing.statement("ACME", FIRST + dt.timedelta(days=1), FIRST + dt.timedelta(days=1))) == [
        ("order_extra_unit", 3, "0.50", "1.50"), ("package", 1, "1.00", "1.00"), ("insert_unit", 3, "0.10", "0.30")]
    both = billing.statement("ACME", FIRST, FIRST + dt.timedelta(days=1))
    assert _lines(both) == [("order", 1, "2.00", "2.00"), ("order_extra_unit", 4, "0.50", "2.00"),
                            ("package", 2, "1.00", "2.00"), ("insert_unit", 5, "0.10", "0.50")]


def test_the_warehouse_currency_and_identity(world, supervisor):
    assert billing.currency() == "USD"
    assert billing.set_billing_setting("currency", " eur ", actor=supervisor) == "EUR"
    assert billing.statement("ACME", FIRST, FIRST).currency == "EUR"
    billing.set_billing_setting("warehouse_address", "12 Quay Road\nPortsmouth NH", actor=supervisor)
    billing.set_billing_setting("warehouse_name", "North Dock", actor=supervisor)
    assert billing.warehouse_identity() == ("North Dock", ("12 Quay Road", "Portsmouth NH"))
    for key, value in (("currency", "euro"), ("currency", "E1"), ("timezone", "UTC"), ("warehouse_name", "x" * 201)):
        with pytest.raises(ValidationError):
            billing.set_billing_setting(key, value, actor=supervisor)
    assert billing.currency() == "EUR"


@pytest.mark.parametrize("name", ["none", "None", " NULL "])
def test_a_fee_named_after_a_missing_value_is_refused(name):
    with pytest.raises(ValidationError, match="is not a fee name"):
        billing.check_fee(name)


@pytest.mark.parametrize("typed", ["1_0", "1_000.00", "1e1", "1E-2", "\u0661\u0660", " 1 0", "+-1", "0x10", ".", "--1"])
def test_only_a_plain_amount_is_a_price(world, supervisor, typed):
    with pytest.raises(ValidationError, match="is not an amount"):
        billing.set_rates("ACME", {"receive_unit": typed}, actor=supervisor)
    with pytest.raises(ValidationError, match="is not an amount"):
        billing.parse_price(typed, "amount", negative=True)
    assert db.execute("SELECT COUNT(*) FROM rate").fetchone()[0] == 0


@pytest.mark.parametrize("typed", ["-0", "-0.00", "0", "-.0000"])
def test_a_zero_price_is_zero_never_minus_zero(world, supervisor, typed):
    card = billing.set_rates("ACME", {"receive_unit": typed}, actor=supervisor)
    assert [(r.fee, r.amount_text) for r in card.in_force] == [("receive_unit", "0.00")]
    assert str(billing.parse_price(typed, "amount", negative=True)) == "0.0000"
    assert billing.price_text(Decimal("-0.0000")) == "0.00" and billing.money_text(Decimal("-0.001")) == "0.00"


def test_a_period_not_ended_is_previewed_so_far_and_never_issued(world, frozen_clock, supervisor):
    build_history(world, frozen_clock)  # the clock: 08:00 on 2026-03-07, the morning after the five days
    today = dt.date(2026, 3, 7)
    for first, last in ((FIRST, today), (FIRST, today + dt.timedelta(days=6)), (today, today)):
        with pytest.raises(ValidationError) as refused:
            billing.issue_statement("ACME", first, last, actor=supervisor)
        assert str(refused.value) == (f"the period {first} to {last} has not ended (today is 2026-03-07 in the "
                                      f"warehouse): it can be issued from {last + dt.timedelta(days=1)} on; until "
                                      "then only previewed, without a number")
    assert db.execute("SELECT COUNT(*) FROM audit_event WHERE kind = 'statement_issued'").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM \"sequence\" WHERE name = 'statement'").fetchone()[0] == 0

    # the preview bills the activity so far and storage for the five days ended, none for today or later
    st = billing.statement("ACME", FIRST, today + dt.timedelta(days=6))
    assert (st.so_far, st.storage_to, st.number) == (True, LAST, "")
    assert _lines(st) == EXPECTED_LINES and (st.unit_days, st.bin_days) == (93, 16)
    assert st.so_far_text == "so far: the period has not ended; storage to the end of 2026-03-06"
    ahead = billing.statement("ACME", today, today + dt.timedelta(days=6))
    assert (ahead.lines, ahead.unit_days, ahead.storage_to) == ((), 0, None)
    assert ahead.so_far_text == "so far: the period has not ended, nor has any day of it (no storage yet)"
    ended = billing.issue_statement("ACME", FIRST, LAST, actor=supervisor)
    assert (ended.number, ended.so_far, ended.so_far_text, ended.total_text) == ("ST000001", False, "", EXPECTED_TOTAL)


def test_whether_a_day_has_ended_is_the_warehouses_day(world, frozen_clock, supervisor):
    """22:00 in New York on 2026-03-06 is already 03:00 on the 7th in UTC: the 6th is not over."""
    build_history(world, frozen_clock)
    clock.set_zone("America/New_York")
    frozen_clock.current = dt.datetime(2026, 3, 7, 3, 0)
    with pytest.raises(ValidationError, match="today is 2026-03-06 in the warehouse"):
        billing.issue_statement("ACME", FIRST, LAST, actor=supervisor)
    assert billing.statement("ACME", LAST, LAST).unit_days == 0
    frozen_clock.current = dt.datetime(2026, 3, 7, 5, 0)  # 00:00 EST on the 7th: the 6th has ended
    assert billing.statement("ACME", LAST, LAST).unit_days > 0
    assert billing.issue_statement("ACME", FIRST, LAST, actor=supervisor).number == "ST000001"
