"""Receiving lot- and expiry-tracked goods: the lot and expiry from a GS1 scan or keyed in,
balances per lot, expired and short-dated units, putaway lot by lot."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest

from app import catalog, ledger, receiving
from app.cli import main as cli_main
from app.documents.receiving_report import render_receiving_report
from app.kernel.actor import Actor
from app.kernel.errors import (
    LotRequired,
    PermissionDenied,
    ShortShelfLife,
    UnknownBarcode,
    ValidationError,
)
from app.store import db
from app.store.models import Client, ProductBarcode, ReceiptLine, StockMove

GTIN = "00000000100014"
GS = "\x1d"


def gs1(lot: str, yymmdd: str) -> str:
    return f"01{GTIN}17{yymmdd}10{lot}"


@pytest.fixture
def vit(world, frozen_clock):
    """ACME asks for 90 days of shelf life; VITAMIN-C tracks lots and expiry (today 2026-03-02)."""
    Client.update(min_shelf_life_days=90).where(Client.code == "ACME").execute()
    p = world.product("VITAMIN-C", barcode=GTIN, track_lot=True, track_expiry=True)
    plain = world.product("SPOON-1", barcode="SPOON-1")
    ship = receiving.create_shipment("ACME", "ASN-7", [("VITAMIN-C", 10), ("SPOON-1", 2)],
                                     actor=world.actor)
    return world, p, plain, ship


def lot_balances(product_id, code):
    return [(b.lot, b.expiry, b.on_hand) for b in ledger.lots_in(product_id, ledger.location(code).id)]


def test_gs1_scans_receive_into_balances_per_lot(vit):
    world, p, plain, ship = vit
    r = receiving.receive_scan(ship.id, "]C1" + gs1("LOT42", "271231"), actor=world.actor)
    assert (r.lot, r.expiry, r.location) == ("LOT42", dt.date(2027, 12, 31), "RECEIVING")
    assert "lot LOT42" in r.message
    receiving.receive_scan(ship.id, gs1("LOT42", "271231"), actor=world.actor, qty=2)
    receiving.receive_scan(ship.id, gs1("EARLY", "270600") + GS + "21SN1", actor=world.actor)
    receiving.receive_scan(ship.id, "SPOON-1", actor=world.actor)
    assert lot_balances(p.id, "RECEIVING") == [("EARLY", dt.date(2027, 6, 30), 1),
                                               ("LOT42", dt.date(2027, 12, 31), 3)]
    assert lot_balances(plain.id, "RECEIVING") == [("", None, 1)]
    assert ledger.on_hand(p.id, "RECEIVING") == 4
    assert [m.lot for m in StockMove.select().where(StockMove.product == p.id).order_by(StockMove.id)] == [
        "LOT42", "LOT42", "EARLY"]
    assert ledger.check().ok


def test_a_plain_scan_of_a_tracked_product_asks_for_lot_and_expiry(vit):
    world, p, plain, ship = vit
    with pytest.raises(LotRequired, match="VITAMIN-C needs its lot and expiry date"):
        receiving.receive_scan(ship.id, GTIN, actor=world.actor)
    with pytest.raises(LotRequired, match="needs its expiry date"):
        receiving.receive_scan(ship.id, GTIN, actor=world.actor, lot="L9")
    assert StockMove.select().count() == 0
    r = receiving.receive_scan(ship.id, GTIN, actor=world.actor, lot="L9", expiry=dt.date(2027, 1, 31))
    assert (r.lot, r.expiry) == ("L9", dt.date(2027, 1, 31))
    assert ledger.lot_expiry(p.id, "L9") == dt.date(2027, 1, 31)


def test_a_lot_keeps_one_expiry_date(vit):
    world, p, plain, ship = vit
    receiving.receive_scan(ship.id, gs1("LOT42", "271231"), actor=world.actor)
    with pytest.raises(ValidationError, match="lot LOT42 of VITAMIN-C expires on 2027-12-31, not 2027-11-30"):
        receiving.receive_scan(ship.id, gs1("LOT42", "271100"), actor=world.actor)
    assert ledger.on_hand(p.id, "RECEIVING") == 1


def test_expired_units_go_to_quarantine_and_short_dated_ones_are_refused_or_quarantined(vit):
    world, p, plain, ship = vit
    r = receiving.receive_scan(ship.id, gs1("OLD", "260201"), actor=world.actor)
    assert (r.location, r.quarantine_reason) == ("QUARANTINE", "expired 2026-02-01")
    # 2026-05-01 is 60 days away; ACME accepts 90 at least
    with pytest.raises(ShortShelfLife, match="refused .short shelf life: 60 days left, client accepts 90"):
        receiving.receive_scan(ship.id, gs1("SHORT", "260501"), actor=world.actor)
    assert ledger.on_hand(p.id, "RECEIVING") == 0
    r = receiving.receive_scan(ship.id, gs1("SHORT", "260501"), actor=world.actor,
                               short_shelf_life="quarantine")
    assert r.location == "QUARANTINE" and "60 days left" in r.quarantine_reason
    assert lot_balances(p.id, "QUARANTINE") == [("OLD", dt.date(2026, 2, 1), 1),
                                                ("SHORT", dt.date(2026, 5, 1), 1)]
    line = ReceiptLine.get(ReceiptLine.product == p.id)
    assert (line.received_qty, line.damaged_qty) == (0, 2)
    reasons = [m.reason for m in StockMove.select().order_by(StockMove.id)]
    assert reasons == ["expired 2026-02-01", "short shelf life: 60 days left, client accepts 90"]
    # the undo takes the last quarantined unit back out of its lot, and says why it was there
    undone = receiving.undo_receipt(ship.id, actor=world.actor)
    assert undone.message == "undone: -1 VITAMIN-C (short shelf life: 60 days left, client accepts 90)"
    assert lot_balances(p.id, "QUARANTINE") == [("OLD", dt.date(2026, 2, 1), 1)]
    assert receiving.undo_receipt(ship.id, actor=world.actor).message == "undone: -1 VITAMIN-C (expired 2026-02-01)"


def test_putaway_moves_lot_by_lot_and_a_gs1_scan_moves_its_own_lot(vit):
    world, p, plain, ship = vit
    receiving.receive_scan(ship.id, gs1("LATE", "271231"), actor=world.actor, qty=3)
    receiving.receive_scan(ship.id, gs1("EARLY", "270600"), actor=world.actor, qty=2)
    r = receiving.putaway(gs1("LATE", "271231"), "A-01-01", actor=world.actor, qty=1)
    assert (r.units, r.left_in_receiving) == (1, 4)  # 2 more of LATE and 2 of EARLY
    assert lot_balances(p.id, "A-01-01") == [("LATE", dt.date(2027, 12, 31), 1)]
    r = receiving.putaway(GTIN, "A-01-01", actor=world.actor, qty=3)  # first to expire first
    assert lot_balances(p.id, "A-01-01") == [("EARLY", dt.date(2027, 6, 30), 2),
                                             ("LATE", dt.date(2027, 12, 31), 2)]
    assert lot_balances(p.id, "RECEIVING") == [("LATE", dt.date(2027, 12, 31), 1)]
    with pytest.raises(ValidationError, match="no VITAMIN-C lot EARLY waits in RECEIVING"):
        receiving.putaway(gs1("EARLY", "270600"), "A-01-01", actor=world.actor)
    assert ledger.check().ok


def test_a_malformed_gs1_scan_at_the_desk_changes_nothing(vit):
    world, p, plain, ship = vit
    with pytest.raises(ValidationError, match="malformed GS1 code"):
        receiving.receive_scan(ship.id, f"01{GTIN}17271399", actor=world.actor)
    assert StockMove.select().count() == 0


def test_cli_receives_with_lot_and_expiry(vit, capsys):
    world, p, plain, ship = vit
    url = world.db.url
    assert cli_main(["--db", url, "receive", "ASN-7", "--scan", GTIN, "--lot", "C1",
                     "--expiry", "2027-04-30"]) == 0
    assert "+1 VITAMIN-C lot C1" in capsys.readouterr().out
    db.connect(url, migrate=False)  # main() closes the connection
    assert lot_balances(p.id, "RECEIVING") == [("C1", dt.date(2027, 4, 30), 1)]
    assert cli_main(["--db", url, "receive", "ASN-7", "--scan", GTIN]) == 1
    db.connect(url, migrate=False)
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "needs its lot and expiry date" in err
    assert ledger.on_hand(p.id, "RECEIVING") == 1


def test_a_clients_shelf_life_minimum_is_set_by_a_supervisor(world, capsys):
    assert catalog.set_min_shelf_life("acme", 120, actor=world.actor) == 120
    assert Client.get(Client.code == "ACME").min_shelf_life_days == 120
    packer = Actor(None, "pat", "packer", "pack-1")
    with pytest.raises(PermissionDenied):
        catalog.set_min_shelf_life("ACME", 1, actor=packer)
    with pytest.raises(ValidationError, match="from 0 to 3650"):
        catalog.set_min_shelf_life("ACME", -5, actor=world.actor)
    assert cli_main(["--db", world.db.url, "client", "shelf-life", "ACME", "30"]) == 0
    db.connect(world.db.url, migrate=False)
    assert "fewer than 30 days left" in capsys.readouterr().out
    assert Client.get(Client.code == "ACME").min_shelf_life_days == 30


def test_an_unknown_gs1_code_links_its_gtin_and_receives_the_units_lot(vit):
    world, p, plain, ship = vit
    other_gtin = "09501101530003"
    code = f"]C101{other_gtin}17271231{10}LOTZ"
    with pytest.raises(UnknownBarcode):
        receiving.receive_scan(ship.id, code, actor=world.actor)
    r = receiving.receive_unknown(ship.id, code, actor=world.actor, new_sku="TEA-1", new_name="Green tea")
    assert (r.sku, r.units) == ("TEA-1", 1)
    assert [b.code for b in ProductBarcode.select().where(ProductBarcode.product == r.product_id)] == [other_gtin]
    # the next unit of that product is a known scan now
    again = receiving.receive_scan(ship.id, f"01{other_gtin}17271231{10}LOTZ", actor=world.actor)
    assert (again.sku, again.line.arrived) == ("TEA-1", 2)
    # linking to a lot-tracked product takes the scan's lot and expiry
    case_gtin = "19501101530000"
    linked = receiving.receive_unknown(ship.id, f"01{case_gtin}17271130{10}K9", actor=world.actor,
                                       link_to=p.id)
    assert (linked.sku, linked.lot, linked.expiry) == ("VITAMIN-C", "K9", dt.date(2027, 11, 30))
    assert lot_balances(p.id, "RECEIVING") == [("K9", dt.date(2027, 11, 30), 1)]
    with pytest.raises(ValidationError, match="SSCC, not a product's barcode"):
        receiving.receive_unknown(ship.id, f"00106141411234567891{GS}3712", actor=world.actor, link_to=p.id)
    assert ledger.check().ok


def test_a_gs1_count_ai_37_counts_the_cartons_units(vit):
    world, p, plain, ship = vit
    carton = f"]C102{GTIN}3712{GS}17271231{GS}10C12"
    r = receiving.receive_scan(ship.id, carton, actor=world.actor)
    assert (r.units, r.lot, r.line.arrived) == (12, "C12", 12)
    r = receiving.receive_scan(ship.id, carton, actor=world.actor, qty=2)  # two such cartons
    assert (r.units, r.line.arrived) == (24, 36)
    assert ledger.on_hand(p.id, "RECEIVING") == 36
    with pytest.raises(ValidationError, match=r"holds no units \(AI 37 is 0\)"):
        receiving.receive_scan(ship.id, f"02{GTIN}370{GS}17271231{GS}10C12", actor=world.actor)
    assert ledger.on_hand(p.id, "RECEIVING") == 36
    assert ledger.check().ok


def test_putaway_refuses_a_gs1_expiry_other_than_its_lots_and_counts_every_lot_left(vit):
    world, p, plain, ship = vit
    receiving.receive_scan(ship.id, gs1("Q1", "271231"), actor=world.actor)
    receiving.receive_scan(ship.id, gs1("Q2", "271231"), actor=world.actor, qty=3)
    with pytest.raises(ValidationError, match="lot Q1 of VITAMIN-C expires on 2027-12-31, not 2029-12-31"):
        receiving.putaway(gs1("Q1", "291231"), "A-01-01", actor=world.actor)
    assert ledger.on_hand(p.id, "RECEIVING") == 4
    r = receiving.putaway(gs1("Q1", "271231"), "A-01-01", actor=world.actor)
    assert (r.units, r.lot, r.left_in_receiving) == (1, "Q1", 3)
    assert r.message == "1 VITAMIN-C lot Q1 -> A-01-01 (3 left in RECEIVING)"
    assert ledger.check().ok


def test_the_receiving_report_says_why_units_are_held_not_damaged(vit, capsys):
    world, p, plain, ship = vit
    receiving.receive_scan(ship.id, gs1("OLD", "260201"), actor=world.actor, qty=2)  # expired
    receiving.receive_scan(ship.id, gs1("SHORT", "260501"), actor=world.actor, short_shelf_life="quarantine")
    receiving.receive_scan(ship.id, gs1("GOOD", "271231"), actor=world.actor, qty=3)
    receiving.receive_scan(ship.id, gs1("GOOD", "271231"), actor=world.actor, damaged=True)
    receiving.receive_scan(ship.id, "SPOON-1", actor=world.actor, damaged=True)
    receiving.receive_scan(ship.id, gs1("OLD", "260201"), actor=world.actor)  # taken back
    receiving.undo_receipt(ship.id, actor=world.actor)
    detail = receiving.shipment_detail(ship.id)
    vit_line = detail.line_for("VITAMIN-C")
    assert (vit_line.received, vit_line.damaged, vit_line.damaged_only, vit_line.expired,
            vit_line.short_dated) == (3, 4, 1, 2, 1)
    assert vit_line.held_note == "damaged 1, expired 2, short-dated 1"
    assert (detail.total_damaged, detail.total_expiry_held) == (5, 3)
    text = " ".join(re.sub(r"\s+", " ", page.extract_text())
                    for page in pypdf.PdfReader(io.BytesIO(render_receiving_report(detail))).pages)
    assert "received in good condition 3 · damaged 2 · held for expiry 3 · short 4 · over 0" in text
    assert "SKU Product Expected Received Damaged Expiry Short Over Note" in text
    assert "10 3 1 3 3 0 damaged 1, expired 2, short-dated 1" in text  # (the name column wraps)
    assert "SPOON-1 Product SPOON-1 2 0 1 0 1 0 damaged 1" in text
    assert "Expiry: units held in quarantine because they had expired" in text
    closed = receiving.close_shipment(ship.id, actor=world.actor)
    assert closed.message == "ASN-7 closed: 3 received, 2 damaged, 3 held for expiry, 4 short of 12 expected"
    assert ledger.check().ok
