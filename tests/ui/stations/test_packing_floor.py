"""The packing station as a scanner drives it: a box is weighed or knowingly estimated, the
carrier follows the tracking number, a shipped order's papers print again, an acknowledged
error takes its hint with it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app import ledger, packing
from app.store.models import Order, Package
from tests.conftest import World
from tests.support.helpers import add_acme_and_bins
from tests.support.packing import make_products, picked_order
from ui.stations.packing import reprint as reprint_module
from ui.stations.packing.tab import PackingTab


@pytest.fixture
def world(sqlite_database, frozen_clock):
    add_acme_and_bins()
    return World(sqlite_database)


@pytest.fixture
def order(world):
    prods = make_products(world, [("TENT", "012345678905"), ("LAMP", "LAMP-1"), ("CUP", "CUP-1")])
    packing.add_box_type("Medium", length_cm=40, width_cm=30, height_cm=20, weight_kg=0.4,
                         max_weight_kg=15, actor=world.actor)
    return picked_order(world, "1001", [("TENT", 2, 2), ("LAMP", 1, 1), ("CUP", 3, 3)], products=prods)


@pytest.fixture
def tab(qtbot, make_ctx, order):
    widget = PackingTab(make_ctx("packer", station="packer", name="pat"))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def scan(qtbot, field, code: str) -> None:
    """A scanner: the whole code in one burst (the field's key clock stands still)."""
    field.clock_ms = lambda: 0
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)


UNITS = ("012345678905", "012345678905", "LAMP-1", "CUP-1", "CUP-1", "CUP-1")


def test_close_needs_a_weight_or_the_estimate_on_purpose(qtbot, tab, order):
    scan(qtbot, tab.scan_field, "1001")
    for code in UNITS:
        scan(qtbot, tab.scan_field, code)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    assert tab.status.text() == "weigh package 1 of order 1001: type its weight, or tick 'Use estimate'"
    assert Package.get(Package.order == order.id).status == "open"
    tab.box_panel.use_estimate.setChecked(True)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    pkg = Package.get(Package.order == order.id)
    assert pkg.status == "closed" and pkg.weight_estimated
    assert tab.banner.text().endswith(f"{pkg.weight_kg:.2f} kg est.")
    assert not tab.box_panel.use_estimate.isChecked()  # the next box is weighed again


def test_tracking_number_names_the_carrier_and_the_shipped_order_reprints(qtbot, tab, order,
                                                                          monkeypatch):
    scan(qtbot, tab.scan_field, "1001")
    for code in UNITS:
        scan(qtbot, tab.scan_field, code)
    tab.weight.setValue(2.5)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    tab.carrier.setCurrentText("")
    seen: list[str] = []
    tab.carrier.currentTextChanged.connect(seen.append)
    scan(qtbot, tab.scan_field, "1Z999AA10123456784")
    assert "UPS" in seen  # shown on screen before shipping
    pkg = Package.get(Package.order == order.id)
    assert (pkg.status, pkg.carrier) == ("shipped", "UPS")
    assert Order.get_by_id(order.id).status == "shipped"
    # a shipped order at the packing station: scanning it says how to reprint
    scan(qtbot, tab.scan_field, "1001")
    assert "Reprint" in tab.banner.text()
    printed: list[tuple[str, bytes]] = []
    monkeypatch.setattr(reprint_module, "print_pdf", lambda parent, pdf, title: printed.append((title, pdf)))
    monkeypatch.setattr(tab.reprint, "ask_order", lambda: "1001")
    qtbot.mouseClick(tab.reprint_button, Qt.MouseButton.LeftButton)
    assert [t for t, _ in printed] == ["Packing slip 1001", "Carton label 1001 box 1"]
    assert all(pdf.startswith(b"%PDF") for _, pdf in printed)
    assert tab.status.text() == "Reprinted: order 1001: slip and 1 label"
    assert ledger.check().ok


def test_acknowledging_takes_the_hint_away(qtbot, tab, order):
    scan(qtbot, tab.scan_field, "1001")
    scan(qtbot, tab.scan_field, "NOT-IN-ORDER-9")
    assert tab.pending_error
    qtbot.mouseClick(tab.next_box_button, Qt.MouseButton.LeftButton)
    assert "Acknowledge the error first" in tab.status.text()
    scan(qtbot, tab.scan_field, "ACK")
    assert not tab.pending_error and "Acknowledge the error first" not in tab.status.text()


@pytest.mark.parametrize("typed", ["1Z999AA10123456784"])
def test_typed_tracking_number_fills_the_carrier(qtbot, tab, typed):
    tab.carrier.setCurrentText("")
    qtbot.keyClicks(tab.tracking, typed)
    assert tab.carrier.currentText() == "UPS"


def test_next_box_and_ack_from_the_command_sheet(qtbot, tab, order):
    scan(qtbot, tab.scan_field, "1001")
    scan(qtbot, tab.scan_field, "012345678905")
    tab.weight.setValue(1.1)
    scan(qtbot, tab.scan_field, "%CMD-NEXT-BOX")
    assert Package.get(Package.order == order.id, Package.seq == 1).status == "closed"
    scan(qtbot, tab.scan_field, "NOT-IN-ORDER-9")
    assert tab.pending_error
    scan(qtbot, tab.scan_field, "%CMD-ACK")
    assert not tab.pending_error
