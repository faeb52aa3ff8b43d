"""Packing weight (typed, or an estimate said to be one), the carrier guessed from the
tracking number, and a shipped order's papers printed again."""

from __future__ import annotations

import io

import pypdf
import pytest

from app import ledger, packing, shipping
from app.kernel.errors import NotFound, ValidationError
from app.packing import papers
from app.packing.reprint import reprint_papers
from app.store.models import Package
from tests.support.packing import PACKER, make_products, picked_order


@pytest.fixture
def order(world, frozen_clock):
    prods = make_products(world, [("TENT", "012345678905"), ("CUP", "CUP-1")])
    packing.add_box_type("Small", length_cm=40, width_cm=30, height_cm=20, weight_kg=0.25,
                         max_weight_kg=8, actor=world.actor)
    o = picked_order(world, "1001", [("TENT", 1, 1), ("CUP", 2, 2)], products=prods)
    for code in ("012345678905", "CUP-1", "CUP-1"):
        packing.station_scan(code, order_id=o.id, actor=PACKER)
    return o


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_an_unweighed_box_is_refused_unless_the_estimate_is_chosen(order):
    with pytest.raises(ValidationError, match="weigh package 1 of order 1001: type its weight, "
                                              "or tick 'Use estimate'"):
        packing.close_package(order.id, box="Small", estimate=False, actor=PACKER)
    assert Package.get(Package.order == order.id).status == "open"
    result = packing.close_package(order.id, box="Small", estimate=True, actor=PACKER)
    pkg = result.package
    assert pkg.weight_estimated and pkg.weight_kg == pytest.approx(0.25 + 3 * 0.5)
    assert pkg.weight_text == "1.75 kg est."
    label = pdf_text(papers.render_carton_label(order.id, seq=1))
    assert "1.75 kg est." in label
    zpl = papers.render_carton_label(order.id, seq=1, fmt="zpl").decode()
    assert "1.75 kg est." in zpl
    assert ledger.check().ok


def test_a_typed_weight_is_printed_as_measured(order):
    result = packing.close_package(order.id, box="Small", weight_kg=2.4, estimate=False, actor=PACKER)
    assert not result.package.weight_estimated and result.package.weight_text == "2.40 kg"
    label = pdf_text(papers.render_carton_label(order.id, seq=1))
    assert "2.40 kg" in label and "est." not in label
    assert Package.get(Package.order == order.id).weight_estimated is False


@pytest.mark.parametrize(("tracking", "carrier"), [
    ("1Z999AA10123456784", "UPS"),
    ("1z 999 aa1 0123 456784", "UPS"),
    ("9400111899223197428490", "USPS"),  # 22 digits
    ("92055901755477000000", "USPS"),  # 20 digits starting 92
    ("9361289676090919095393", "USPS"),
    ("123456789012", "FedEx"),
    ("123456789012345", "FedEx"),
    ("12345678901234567890", "FedEx"),
    ("1234567890", "DHL"),
    ("JJD0099999999", "DHL"),
    ("ABC-123", ""),
    ("12345", ""),
])
def test_the_carrier_is_guessed_from_the_tracking_number(tracking, carrier):
    assert shipping.guess_carrier(tracking) == carrier


def test_shipping_records_the_guessed_carrier_and_keeps_a_chosen_one(order, world):
    packing.close_package(order.id, weight_kg=2.0, actor=PACKER)
    shipping.ship_order(order.id, tracking="1Z999AA10123456784", actor=PACKER)
    pkg = Package.get(Package.order == order.id)
    assert (pkg.carrier, pkg.tracking, pkg.status) == ("UPS", "1Z999AA10123456784", "shipped")
    assert ledger.check().ok


def test_a_shipped_orders_papers_print_again(order):
    packing.close_package(order.id, weight_kg=2.0, actor=PACKER)
    shipping.ship_order(order.id, tracking="1Z999AA10123456784", carrier="UPS", actor=PACKER)
    again = reprint_papers("1001")
    assert (again.number, [n for n, _ in again.labels]) == ("1001", [1])
    assert "1001" in pdf_text(again.slip_pdf)
    label = pdf_text(again.labels[0][1])
    assert "2.00 kg" in label and "1Z999AA10123456784" in label.replace(" ", "")
    assert again.message == "order 1001: slip and 1 label ready to print again"
    with pytest.raises(NotFound, match="no order 9999"):
        reprint_papers("9999")
    with pytest.raises(ValidationError, match="scan or type the order number"):
        reprint_papers("  ")
