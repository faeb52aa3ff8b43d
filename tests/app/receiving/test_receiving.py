"""Receiving services: ASN create/import, scan-to-receive, undo, close, putaway."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import threading
from pathlib import Path

import pytest

from app import catalog, ledger, orders, receiving
from app.kernel.actor import Actor
from app.kernel.errors import (
    Conflict,
    ImportRejected,
    InvalidTransition,
    NotFound,
    OutOfStock,
    PermissionDenied,
    UnknownBarcode,
    ValidationError,
)
from app.orders import allocation
from app.receiving import bin_putaway
from app.store import db
from app.store.models import (
    InboundShipment,
    Product,
    ProductBarcode,
    ReceiptLine,
    StatusChange,
    StockMove,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "receiving"


@pytest.fixture
def desk(world, frozen_clock):
    """ACME with two products (one with a 6-pack case code) and an open ASN for them."""
    w = world.product("WIDGET-1", barcode="012345678905", zone="A")
    g = world.product("GADGET-2", barcode="GAD-2", zone="B")
    catalog.link_barcode(w.id, "10012345678902", pack_qty=6, actor=world.actor)
    ship = receiving.create_shipment("ACME", "ASN-100", [("WIDGET-1", 10), ("GADGET-2", 4)],
                                     actor=world.actor, expected_date=dt.date(2026, 3, 5))
    return world, w, g, ship


def counts(detail, sku):
    line = detail.line_for(sku)
    return line.expected, line.received, line.damaged, line.remaining


def test_create_shipment_records_open_status(desk):
    world, w, g, ship = desk
    assert ship.status == "open"
    detail = receiving.shipment_detail(ship.id)
    assert detail.expected_date == dt.date(2026, 3, 5)
    assert counts(detail, "WIDGET-1") == (10, 0, 0, 10)
    assert counts(detail, "GADGET-2") == (4, 0, 0, 4)
    assert [(s.from_status, s.to_status) for s in StatusChange.select().where(
        StatusChange.doc_type == "receipt")] == [("", "open")]


def test_create_shipment_rejects_duplicate_ref_and_unknown_sku(desk):
    world, *_ = desk
    with pytest.raises(Conflict):
        receiving.create_shipment("ACME", "ASN-100", [("WIDGET-1", 1)], actor=world.actor)
    with pytest.raises(NotFound):
        receiving.create_shipment("ACME", "ASN-101", [("NOPE", 1)], actor=world.actor)
    with pytest.raises(ValidationError):
        receiving.create_shipment("ACME", "ASN-102", [("WIDGET-1", 0)], actor=world.actor)
    assert InboundShipment.select().count() == 1


def test_scan_receives_one_unit_into_receiving(desk, frozen_clock):
    world, w, g, ship = desk
    r = receiving.receive_scan(ship.id, "012345678905", actor=world.actor)
    assert (r.units, r.location, r.sku, r.extra, r.over_receipt, r.first_scan) == (
        1, "RECEIVING", "WIDGET-1", False, False, True)
    assert ledger.on_hand(w.id, "RECEIVING") == 1
    detail = receiving.shipment_detail(ship.id)
    assert detail.status == "receiving"
    assert detail.first_received_at == frozen_clock.current
    assert counts(detail, "WIDGET-1") == (10, 1, 0, 9)
    move = StockMove.get_by_id(r.move_id)
    assert (move.kind, move.doc_type, move.doc_id, move.doc_ref, move.qty) == (
        "receive", "receipt", ship.id, "ASN-100", 1)
    # the UPC scanned as EAN-13 (zxing, some scanners) matches too
    r2 = receiving.receive_scan(ship.id, "0012345678905", actor=world.actor)
    assert r2.line.received == 2 and not r2.first_scan


def test_case_pack_counts_pack_qty_and_keyed_qty_multiplies(desk):
    world, w, g, ship = desk
    r = receiving.receive_scan(ship.id, "10012345678902", actor=world.actor)
    assert r.units == 6
    r = receiving.receive_scan(ship.id, "GAD-2", actor=world.actor, qty=3)
    assert r.units == 3
    detail = receiving.shipment_detail(ship.id)
    assert counts(detail, "WIDGET-1") == (10, 6, 0, 4)
    assert counts(detail, "GADGET-2") == (4, 3, 0, 1)
    assert ledger.on_hand(w.id, "RECEIVING") == 6
    assert ledger.on_hand(g.id, "RECEIVING") == 3


def test_damaged_unit_goes_to_quarantine(desk):
    world, w, g, ship = desk
    r = receiving.receive_scan(ship.id, "GAD-2", actor=world.actor, damaged=True)
    assert (r.location, r.damaged) == ("QUARANTINE", True)
    assert ledger.on_hand(g.id, "QUARANTINE") == 1
    assert ledger.on_hand(g.id, "RECEIVING") == 0
    assert counts(receiving.shipment_detail(ship.id), "GADGET-2") == (4, 0, 1, 3)


def test_extra_product_and_over_receipt_are_flagged(desk):
    world, w, g, ship = desk
    other = world.product("EXTRA-3", barcode="EXTRA-3-CODE")
    r = receiving.receive_scan(ship.id, "EXTRA-3-CODE", actor=world.actor)
    assert r.extra and r.over_receipt
    assert "not on shipment ASN-100" in r.warning
    assert counts(receiving.shipment_detail(ship.id), "EXTRA-3") == (0, 1, 0, 0)
    assert ledger.on_hand(other.id, "RECEIVING") == 1
    r = receiving.receive_scan(ship.id, "GAD-2", actor=world.actor, qty=5)
    assert r.over_receipt and not r.extra and r.line.over == 1
    assert r.warning == "over-receipt: 5 of GADGET-2 arrived, 4 expected"


def test_unknown_barcode_changes_nothing(desk):
    world, w, g, ship = desk
    other = catalog.add_client("OTHER", "Other Co", actor=world.actor)
    catalog.add_product(other.code, "THEIRS", "Theirs", barcodes=["THEIR-CODE"], actor=world.actor)
    for code in ("NO-SUCH-CODE", "THEIR-CODE"):  # another client's barcode is unknown here
        with pytest.raises(UnknownBarcode) as info:
            receiving.receive_scan(ship.id, code, actor=world.actor)
        assert info.value.code == code
    assert StockMove.select().count() == 0
    assert receiving.shipment_detail(ship.id).status == "open"


def test_bad_quantity_and_permissions(desk):
    world, w, g, ship = desk
    for bad in (0, -2, 1.5, True):
        with pytest.raises(ValidationError):
            receiving.receive_scan(ship.id, "GAD-2", actor=world.actor, qty=bad)
    packer = Actor(None, "pat", "packer", "pack-1")
    with pytest.raises(PermissionDenied):
        receiving.receive_scan(ship.id, "GAD-2", actor=packer)
    assert StockMove.select().count() == 0


def test_undo_reverses_last_scan_and_counts(desk):
    world, w, g, ship = desk
    receiving.receive_scan(ship.id, "GAD-2", actor=world.actor, qty=2)
    dmg = receiving.receive_scan(ship.id, "GAD-2", actor=world.actor, damaged=True)
    u = receiving.undo_receipt(ship.id, actor=world.actor)
    assert (u.undone_move_id, u.units, u.damaged, u.sku) == (dmg.move_id, 1, True, "GADGET-2")
    assert counts(receiving.shipment_detail(ship.id), "GADGET-2") == (4, 2, 0, 2)
    assert ledger.on_hand(g.id, "QUARANTINE") == 0
    u = receiving.undo_receipt(ship.id, actor=world.actor)
    assert (u.units, u.damaged) == (2, False)
    assert ledger.on_hand(g.id, "RECEIVING") == 0
    with pytest.raises(NotFound):
        receiving.undo_receipt(ship.id, actor=world.actor)
    rev = StockMove.get_by_id(u.move_id)
    assert (rev.kind, rev.reverses_id) == ("undo", u.undone_move_id)


def test_undo_of_extra_line_removes_it(desk):
    world, w, g, ship = desk
    world.product("EXTRA-3", barcode="EXTRA-3-CODE")
    receiving.receive_scan(ship.id, "EXTRA-3-CODE", actor=world.actor)
    u = receiving.undo_receipt(ship.id, actor=world.actor)
    assert u.line is None
    assert [ln.sku for ln in receiving.shipment_detail(ship.id).lines] == ["GADGET-2", "WIDGET-1"]


def test_undo_after_putaway_is_refused(desk):
    world, w, g, ship = desk
    receiving.receive_scan(ship.id, "GAD-2", actor=world.actor)
    receiving.putaway("GAD-2", "B-01-01", actor=world.actor)
    with pytest.raises(OutOfStock, match="no longer in RECEIVING"):
        receiving.undo_receipt(ship.id, actor=world.actor)
    assert counts(receiving.shipment_detail(ship.id), "GADGET-2") == (4, 1, 0, 3)


def test_close_freezes_and_records_status(desk, frozen_clock):
    world, w, g, ship = desk
    receiving.receive_scan(ship.id, "012345678905", actor=world.actor, qty=9)
    receiving.receive_scan(ship.id, "GAD-2", actor=world.actor, damaged=True)
    frozen_clock.advance(minutes=30)
    res = receiving.close_shipment(ship.id, actor=world.actor)
    assert (res.expected, res.received, res.damaged, res.short) == (14, 9, 1, 4)
    detail = receiving.shipment_detail(ship.id)
    assert (detail.status, detail.closed_at, detail.closed_by) == ("closed", frozen_clock.current, "tester")
    assert detail.received_by == ("tester",)
    changes = [(s.from_status, s.to_status) for s in StatusChange.select().where(
        (StatusChange.doc_type == "receipt") & (StatusChange.doc_id == ship.id)).order_by(StatusChange.id)]
    assert changes == [("", "open"), ("open", "receiving"), ("receiving", "closed")]
    with pytest.raises(InvalidTransition):
        receiving.receive_scan(ship.id, "GAD-2", actor=world.actor)
    with pytest.raises(InvalidTransition):
        receiving.undo_receipt(ship.id, actor=world.actor)
    with pytest.raises(InvalidTransition):
        receiving.close_shipment(ship.id, actor=world.actor)


def test_putaway_suggests_existing_bin_then_empty_bin_in_zone(desk):
    world, w, g, ship = desk
    world.stock(w.id, "A-01-02", 5)
    world.stock(g.id, "A-02-01", 1)  # fills A-02-01; GADGET-2 is zone B
    receiving.receive_scan(ship.id, "012345678905", actor=world.actor, qty=4)
    receiving.receive_scan(ship.id, "GAD-2", actor=world.actor, qty=3)
    s = receiving.putaway_suggestion("012345678905")
    assert (s.sku, s.in_receiving, s.bin_code) == ("WIDGET-1", 4, "A-01-02")
    s = receiving.putaway_suggestion("GAD-2")
    assert (s.bin_code, s.in_receiving) == ("A-02-01", 3)  # already holds GADGET-2
    third = world.product("THIRD", barcode="THIRD-CODE", zone="A")
    assert receiving.putaway_suggestion("THIRD-CODE").bin_code == "A-01-01"  # first empty bin in A
    assert third.id
    r = receiving.putaway("012345678905", "a-01-02", actor=world.actor, qty=3)
    assert (r.units, r.bin_code, r.left_in_receiving, r.suggested_bin) == (3, "A-01-02", 1, "A-01-02")
    r = receiving.putaway("012345678905", "A-01-01", actor=world.actor)
    assert (r.units, r.left_in_receiving) == (1, 0)
    assert ledger.on_hand(w.id, "A-01-02") == 8
    assert ledger.on_hand(w.id, "A-01-01") == 1
    assert ledger.on_hand(w.id, "RECEIVING") == 0


def test_putaway_errors_change_nothing(desk):
    world, w, g, ship = desk
    receiving.receive_scan(ship.id, "GAD-2", actor=world.actor, qty=2)
    moves = StockMove.select().count()
    with pytest.raises(OutOfStock):
        receiving.putaway("GAD-2", "B-01-01", actor=world.actor, qty=3)
    with pytest.raises(ValidationError):
        receiving.putaway("GAD-2", "QUARANTINE", actor=world.actor)
    with pytest.raises(NotFound):
        receiving.putaway("GAD-2", "Z-99", actor=world.actor)
    with pytest.raises(UnknownBarcode):
        receiving.putaway("NOPE", "B-01-01", actor=world.actor)
    with pytest.raises(ValidationError, match="no WIDGET-1 waits"):
        receiving.putaway("WIDGET-1", "B-01-01", actor=world.actor)
    assert StockMove.select().count() == moves
    assert ledger.on_hand(g.id, "RECEIVING") == 2


def test_putaway_calls_stock_arrived_in_the_transaction(desk, monkeypatch):
    world, w, g, ship = desk
    calls = []

    def allocate_waiting(ids, *, actor):
        calls.append((set(ids), actor.name, db.database.obj.transaction_depth() > 0))
        return 0

    monkeypatch.setattr(bin_putaway, "allocate_waiting", allocate_waiting)
    receiving.receive_scan(ship.id, "GAD-2", actor=world.actor)
    receiving.putaway("GAD-2", "B-01-01", actor=world.actor)
    assert calls == [({g.id}, "tester", True)]


def test_expected_arrivals_is_the_backorder_eta(desk):
    world, w, g, ship = desk
    receiving.create_shipment("ACME", "ASN-LATER", [("GADGET-2", 2)], actor=world.actor,
                              expected_date=dt.date(2026, 3, 20))
    assert receiving.expected_arrivals({w.id, g.id}) == {w.id: dt.date(2026, 3, 5),
                                                          g.id: dt.date(2026, 3, 5)}
    receiving.receive_scan(ship.id, "GAD-2", actor=world.actor, qty=4)
    assert receiving.expected_arrivals({g.id}) == {g.id: dt.date(2026, 3, 20)}


def test_find_and_list_shipments(desk):
    world, w, g, ship = desk
    assert receiving.find_shipment("ASN-100").id == ship.id
    assert receiving.find_shipment("asn-100").id == ship.id
    with pytest.raises(NotFound):
        receiving.find_shipment("ASN-999")
    rows = receiving.list_shipments()
    assert [(r.ref, r.expected, r.arrived) for r in rows] == [("ASN-100", 14, 0)]


# --- ASN import -------------------------------------------------------------------------


def test_import_asn_creates_shipment_and_new_products(world):
    world.product("WIDGET-1")
    world.product("GADGET-2")
    res = receiving.import_asn(FIXTURES / "asn_good.csv", client_code="acme", ref="PO-7",
                               actor=world.actor, expected_date=dt.date(2026, 4, 1))
    assert (res.lines, res.units, res.products_created, res.barcodes_linked) == (3, 17, 1, 2)
    detail = receiving.shipment_detail(res.shipment.id)
    assert detail.expected_date == dt.date(2026, 4, 1)
    assert [(ln.sku, ln.expected) for ln in detail.lines] == [
        ("GADGET-2", 4), ("NEWTHING-9", 3), ("WIDGET-1", 10)]
    assert Product.get(Product.sku == "NEWTHING-9").name == "Brand New Thing"
    r = receiving.receive_scan(res.shipment.id, "NEW-9-CODE", actor=world.actor)
    assert r.sku == "NEWTHING-9"
    r = receiving.receive_scan(res.shipment.id, "012345678905", actor=world.actor)
    assert r.sku == "WIDGET-1"


def _nothing_imported(before_products: int) -> None:
    assert InboundShipment.select().count() == 0
    assert ReceiptLine.select().count() == 0
    assert Product.select().count() == before_products


@pytest.mark.parametrize("name, expected", [
    ("asn_missing_qty.csv", "line 1: missing column(s) qty"),
    ("asn_bad_qty.csv", "line 3: qty must be at least 1, not 0"),
    ("asn_unknown_sku.csv", "line 3: unknown sku NOPE-1 for ACME and no name to create it"),
])
def test_import_asn_rejects_bad_files(world, name, expected):
    world.product("WIDGET-1")
    world.product("GADGET-2")
    with pytest.raises(ImportRejected) as info:
        receiving.import_asn(FIXTURES / name, client_code="ACME", ref="PO-8", actor=world.actor)
    assert expected in str(info.value)
    _nothing_imported(2)


def test_import_asn_bad_quantities_are_all_listed(world):
    world.product("WIDGET-1")
    world.product("GADGET-2")
    with pytest.raises(ImportRejected) as info:
        receiving.import_asn(FIXTURES / "asn_bad_qty.csv", client_code="ACME", ref="PO-8",
                             actor=world.actor)
    assert info.value.errors == [
        "line 3: qty must be at least 1, not 0",
        "line 4: qty must be at least 1, not -3",
        "line 5: qty 'lots' is not a whole number",
    ]
    _nothing_imported(2)


def test_import_asn_unknown_client_and_duplicate_ref(world):
    world.product("WIDGET-1")
    world.product("GADGET-2")
    with pytest.raises(NotFound, match="no client"):
        receiving.import_asn(FIXTURES / "asn_good.csv", client_code="NOBODY", ref="PO-1", actor=world.actor)
    _nothing_imported(2)
    receiving.create_shipment("ACME", "PO-1", [("WIDGET-1", 1)], actor=world.actor)
    with pytest.raises(Conflict, match="already has a shipment PO-1"):
        receiving.import_asn(FIXTURES / "asn_good.csv", client_code="ACME", ref="PO-1", actor=world.actor)
    assert InboundShipment.select().count() == 1
    assert Product.select().count() == 2


def test_import_asn_rejects_10mb_garbage(world, tmp_path):
    world.product("WIDGET-1")
    binary = tmp_path / "garbage.bin"
    binary.write_bytes(os.urandom(10 * 1024 * 1024))
    with pytest.raises(ImportRejected, match="line 1"):
        receiving.import_asn(binary, client_code="ACME", ref="PO-9", actor=world.actor)
    # printable garbage without any header we know
    text = tmp_path / "garbage.csv"
    text.write_bytes(bytes(range(33, 127)) * (10 * 1024 * 1024 // 94))
    with pytest.raises(ImportRejected, match="line 1: missing column"):
        receiving.import_asn(text, client_code="ACME", ref="PO-9", actor=world.actor)
    _nothing_imported(1)
    assert ProductBarcode.select().count() == 0


def test_parse_lines_for_new_shipment():
    assert receiving.parse_lines("ABC-1 12\n\nXYZ,3\n") == [("ABC-1", 12), ("XYZ", 3)]
    with pytest.raises(ValidationError, match="line 2: quantity must be at least 1"):
        receiving.parse_lines("ABC-1 12\nXYZ 0")
    with pytest.raises(ValidationError, match="line 1: write SKU and quantity"):
        receiving.parse_lines("ABC-1")
    with pytest.raises(ValidationError, match="no lines"):
        receiving.parse_lines("  \n")


def test_import_asn_sums_repeated_skus_and_rejects_taken_barcode(world):
    world.product("WIDGET-1", barcode="012345678905")
    world.product("GADGET-2")

    with tempfile.TemporaryDirectory() as tmp:
        repeated = Path(tmp) / "repeated.csv"
        repeated.write_text("SKU,Qty\nWIDGET-1,2\nGADGET-2,1\nWIDGET-1,3\n", encoding="utf-8")
        res = receiving.import_asn(repeated, client_code="ACME", ref="PO-R", actor=world.actor)
        assert (res.lines, res.units) == (2, 6)
        assert receiving.shipment_detail(res.shipment.id).line_for("WIDGET-1").expected == 5
        taken = Path(tmp) / "taken.csv"
        taken.write_text("sku,qty,barcode\nGADGET-2,1,012345678905\n", encoding="utf-8")
        with pytest.raises(ImportRejected, match="line 2: barcode 012345678905 already belongs to WIDGET-1"):
            receiving.import_asn(taken, client_code="ACME", ref="PO-T", actor=world.actor)
    assert InboundShipment.select().count() == 1


def test_two_stations_scanning_the_same_shipment_at_once(desk):
    """Each scan is its own transaction; concurrent desks never lose a count."""


    world, w, g, ship = desk
    errors: list[BaseException] = []

    def station(name: str, code: str) -> None:
        actor = Actor(None, name, "receiver", name)
        try:
            for _ in range(15):
                receiving.receive_scan(ship.id, code, actor=actor)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            db.database.close()

    threads = [threading.Thread(target=station, args=(f"desk-{i}", code))
               for i, code in enumerate(["012345678905", "GAD-2", "012345678905"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    detail = receiving.shipment_detail(ship.id)
    assert counts(detail, "WIDGET-1")[1] == 30
    assert counts(detail, "GADGET-2")[1] == 15
    assert ledger.on_hand(w.id, "RECEIVING") == 30
    assert StatusChange.select().where((StatusChange.doc_id == ship.id)
                                       & (StatusChange.to_status == "receiving")).count() == 1


def test_putaway_fills_a_waiting_backorder(desk):
    """Stock arrival triggers allocation of waiting back-orders (the orders capability's hook)."""

    world, w, g, ship = desk
    ref = orders.create_order("ACME", "SO-1", [("GADGET-2", 2)], actor=world.actor,
                              ship_name="Jo", address1="1 Main St", city="Boston", zip="02134",
                              country="US")
    allocation.allocate_orders(actor=world.actor)
    assert orders.order_detail(ref.id).status == "backordered"
    receiving.receive_scan(ship.id, "GAD-2", actor=world.actor, qty=3)
    assert orders.order_detail(ref.id).status == "backordered"  # RECEIVING is not pickable
    receiving.putaway("GAD-2", "B-01-01", actor=world.actor)
    assert orders.order_detail(ref.id).status == "allocated"
    assert ledger.reserved(g.id, "B-01-01") == 2


def test_scan_is_cleaned_like_the_desk_scan_field_and_garbage_changes_nothing(desk):
    """The CLI and any caller get what the scan field would read: AIM prefix and control
    characters removed; empty, control-only or absurdly long scans are refused."""
    world, w, g, ship = desk
    r = receiving.receive_scan(ship.id, "]E00012345678905\r", actor=world.actor)
    assert (r.sku, r.units) == ("WIDGET-1", 1)
    r = receiving.receive_scan(ship.id, "\x1dGAD-2\n", actor=world.actor)
    assert r.sku == "GADGET-2"
    moves = StockMove.select().count()
    for bad, message in (("\x01\x02\x1b", "empty scan"), ("   ", "empty scan"),
                         ("A" * 5000, "5000 characters"), ("NOPE\x07", "unknown barcode 'NOPE'")):
        with pytest.raises(UnknownBarcode, match=message) as info:
            receiving.receive_scan(ship.id, bad, actor=world.actor)
        assert len(str(info.value)) < 120  # one readable line, not the whole scan
    with pytest.raises(UnknownBarcode, match="5000 characters"):
        receiving.putaway("A" * 5000, "A-01-01", actor=world.actor)
    with pytest.raises(ValidationError, match="scan or type a bin"):
        receiving.putaway("GAD-2", "\x01", actor=world.actor)
    with pytest.raises(NotFound):
        receiving.find_shipment("A" * 500)
    assert receiving.find_shipment("]C0ASN-100").id == ship.id
    assert StockMove.select().count() == moves
    assert counts(receiving.shipment_detail(ship.id), "WIDGET-1") == (10, 1, 0, 9)


def test_import_asn_edge_cases_of_real_files(world, tmp_path):
    """Excel's BOM and CRLF, quoted cells, blank lines and padded numbers import; values
    longer than their columns (PostgreSQL refused them with an internal error, SQLite kept
    them) and a UPC with a wrong check digit are line-numbered rejections."""
    world.product("WIDGET-1")
    world.product("GADGET-2")
    good = tmp_path / "excel.csv"
    good.write_bytes(b'\xef\xbb\xbfSKU,Qty\r\n"WIDGET-1", 5 \r\n\r\n"GADGET-2","2"\r\n')
    res = receiving.import_asn(good, client_code="ACME", ref="PO-X", actor=world.actor)
    assert (res.lines, res.units) == (2, 7)
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,qty,barcode,name\n"
                   f"{'S' * 101},1,,Thing\n"
                   f"NEW-1,1,,{'N' * 301}\n"
                   f"NEW-2,1,{'7' * 101},Thing\n"
                   "NEW-3,1,4006381333932,Thing\n"
                   "NEW-4,1,4006381333931,Kettle\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        receiving.import_asn(bad, client_code="ACME", ref="PO-Y", actor=world.actor)
    assert info.value.errors == [
        "line 2: sku longer than 100 characters",
        "line 3: name longer than 300 characters",
        "line 4: barcode longer than 100 characters",
        "line 5: barcode 4006381333932 has a wrong check digit for a 13-digit UPC/EAN/GTIN",
    ]
    with pytest.raises(ValidationError, match="tracking is longer than 100"):
        receiving.import_asn(good, client_code="ACME", ref="PO-Z", actor=world.actor, tracking="1Z" * 60)
    with pytest.raises(ValidationError, match="carrier is longer than 100"):
        receiving.create_shipment("ACME", "PO-W", [("WIDGET-1", 1)], actor=world.actor, carrier="C" * 101)
    assert [s.ref for s in InboundShipment.select()] == ["PO-X"]
    assert Product.select().count() == 2 and ProductBarcode.select().count() == 0


def test_undo_takes_back_this_desks_last_scan_not_another_desks(desk):
    """Two desks on one big shipment: Ctrl+Z at desk 1 undoes desk 1's scan even though
    desk 2 scanned after it."""
    world, w, g, ship = desk
    rita = Actor(None, "rita", "receiver", "recv-1")
    sam = Actor(None, "sam", "receiver", "recv-2")
    mine = receiving.receive_scan(ship.id, "012345678905", actor=rita)
    receiving.receive_scan(ship.id, "GAD-2", actor=sam, qty=2)
    u = receiving.undo_receipt(ship.id, actor=rita)
    assert (u.undone_move_id, u.sku) == (mine.move_id, "WIDGET-1")
    assert counts(receiving.shipment_detail(ship.id), "GADGET-2") == (4, 2, 0, 2)
    with pytest.raises(NotFound, match="nothing to undo on shipment ASN-100 by rita at recv-1"):
        receiving.undo_receipt(ship.id, actor=rita)
    assert receiving.undo_receipt(ship.id, actor=sam).units == 2


def test_import_of_a_22000_line_asn_with_new_products(world, tmp_path):
    """A big delivery (22,000 new products with their barcodes) imports whole; speed is a
    benchmark matter, not a test's."""
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as f:
        f.write("sku,qty,barcode,name\n")
        for i in range(22_000):
            f.write(f"NEW-{i},{i % 7 + 1},CODE-{i},New product {i}\n")
    res = receiving.import_asn(big, client_code="ACME", ref="PO-BIG", actor=world.actor)
    assert (res.lines, res.products_created, res.barcodes_linked) == (22_000, 22_000, 22_000)
    assert res.units == sum(i % 7 + 1 for i in range(22_000))
    p = Product.get(Product.sku == "NEW-21999")
    assert (p.name, p.fnsku, p.active, p.created_at is not None) == ("New product 21999", "", True, True)
    r = receiving.receive_scan(res.shipment.id, "code-21999", actor=world.actor)
    assert (r.sku, r.line.expected) == ("NEW-21999", 21999 % 7 + 1)


def test_putaway_records_the_shipment_as_its_document(desk):
    world, w, g, ship = desk
    receiving.receive_scan(ship.id, "GAD-2", actor=world.actor, qty=2)
    r = receiving.putaway("GAD-2", "B-01-01", actor=world.actor, qty=1, shipment_id=ship.id)
    move = StockMove.get_by_id(r.move_id)
    assert (move.kind, move.doc_type, move.doc_id, move.doc_ref) == ("putaway", "receipt", ship.id, "ASN-100")
    other = catalog.add_client("OTHER", "Other Co", actor=world.actor)
    catalog.add_product(other.code, "THEIRS", "Theirs", actor=world.actor)
    theirs = receiving.create_shipment("OTHER", "ASN-O", [("THEIRS", 1)], actor=world.actor)
    with pytest.raises(ValidationError, match="did not come in with shipment ASN-O"):
        receiving.putaway("GAD-2", "B-01-01", actor=world.actor, shipment_id=theirs.id)
    assert ledger.on_hand(g.id, "RECEIVING") == 1
