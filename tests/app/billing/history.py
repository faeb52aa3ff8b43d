"""A known five-day history of client ACME for billing tests, with a fixed clock.

Days (warehouse days, 2026-03-02 to 2026-03-06):

1. PO-1 received: 10 TENT, 5 LAMP good + 1 damaged (QUARANTINE), 4 CUP; one more CUP scanned
   and undone. Put away into A-01-01, A-01-02, A-02-01.        end: 20 units, 3 bins
2. SO-1 (1 TENT) and SO-2 (2 LAMP + 1 CUP) picked, packed (one package each) and shipped; the
   slip of SO-1 reprinted.                                      end: 16 units, 3 bins
3. New prices in force. PO-2: 6 TENT received, put away into B-01-01; SO-3 (3 TENT) shipped in
   two packages.                                                end: 19 units, 4 bins
4. One LAMP of SO-2 returned and restocked into A-01-02; the 3 CUP moved from A-02-01 to
   A-01-02 (A-02-01 empty); a manual charge of 2 pallet_wrap at 12.50.
                                                                end: 20 units, 3 bins
5. A count finds 2 TENT missing in the TENT bin that SO-3 did not empty.
                                                                end: 18 units, 3 bins

The clock is left at 08:00 on the morning after day 5, so the five days have ended.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app import billing, inventory, ledger, orders, packing, picking, receiving, returns, shipping
from app.kernel import clock
from app.kernel.actor import Actor
from app.orders import allocation
from app.packing.reprint import reprint_papers
from tests.support.packing import PACKER, SHIP_TO

FIRST = dt.date(2026, 3, 2)
LAST = dt.date(2026, 3, 6)
CHANGE = dt.date(2026, 3, 4)
BARCODES = {"TENT": "TENT-BC", "LAMP": "LAMP-BC", "CUP": "CUP-BC"}

RATES = {"receive_unit": "0.35", "order": "2.50", "order_extra_unit": "0.40", "package": "1.10",
         "return_unit": "1.75", "storage_unit_day": "0.0125", "storage_bin_day": "0.45",
         "label_unit": "0.20", "polybag_unit": "0.15", "bubble_wrap_unit": "0.30"}
NEW_RATES = {"receive_unit": "0.40", "storage_unit_day": "0.015"}

# The statement of the five days, line by line: fee, quantity, rate, amount.
EXPECTED_LINES = [
    ("receive_unit", 20, "0.35", "7.00"),
    ("receive_unit", 6, "0.40", "2.40"),
    ("order", 3, "2.50", "7.50"),
    ("order_extra_unit", 4, "0.40", "1.60"),
    ("package", 4, "1.10", "4.40"),
    ("return_unit", 1, "1.75", "1.75"),
    ("storage_unit_day", 36, "0.0125", "0.45"),   # 20 + 16
    ("storage_unit_day", 57, "0.015", "0.86"),    # 19 + 20 + 18 = 57 x 0.015 = 0.855, half up
    ("storage_bin_day", 16, "0.45", "7.20"),      # 3 + 3 + 4 + 3 + 3
    ("label_unit", 4, "0.20", "0.80"),
    ("polybag_unit", 4, "0.15", "0.60"),
    ("bubble_wrap_unit", 1, "0.30", "0.30"),
    ("pallet_wrap", 2, "12.50", "25.00"),
]
EXPECTED_TOTAL = "59.86"
UNITS_PER_DAY = (20, 16, 19, 20, 18)
BINS_PER_DAY = (3, 3, 4, 3, 3)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """Local time on day 1..5 of the history, as the naive UTC the clock gives."""
    return clock.to_utc(dt.datetime.combine(FIRST + dt.timedelta(days=day - 1), dt.time(hour, minute)))


def _ship(world, number: str, lines: list[tuple[str, int]], boxes: list[list[str]], tracking: str) -> int:
    ref = orders.create_order("ACME", number, lines, actor=world.actor, **SHIP_TO)
    allocation.allocate_orders(actor=world.actor, order_ids=[ref.id])
    pl = picking.create_picklist(actor=world.actor, include_partial=True, max_orders=50)
    while (stop := picking.next_stop(pl.id)) is not None:
        for split in stop.totes:
            if split.remaining > 0:
                picking.confirm_pick(pl.id, bin_code=stop.bin_code, scan_code=stop.sku,
                                     qty=split.remaining, tote=split.tote, actor=world.actor)
    for i, box in enumerate(boxes):
        packing.pack(ref.id, scans=[BARCODES[sku] for sku in box],
                     close="last" if i == len(boxes) - 1 else "next", actor=PACKER)
    shipping.ship_order(ref.id, tracking=tracking, carrier="UPS", actor=PACKER)
    return ref.id


def build_history(world, fc: clock.FrozenClock) -> dict[str, int]:
    """Play the five days (see the module); returns the products' ids."""
    boss: Actor = world.actor
    dims = dict(length_cm=20.0, width_cm=15.0, height_cm=10.0, weight_kg=0.5)
    ids = {
        "TENT": world.product("TENT", barcode=BARCODES["TENT"], prep_services="label,polybag", **dims).id,
        "LAMP": world.product("LAMP", barcode=BARCODES["LAMP"], **dims).id,
        "CUP": world.product("CUP", barcode=BARCODES["CUP"], prep_services="bubble_wrap", **dims).id,
    }
    fc.current = at(1, 8)
    billing.set_rates("ACME", {k: Decimal(v) for k, v in RATES.items()}, effective_from=dt.date(2026, 3, 1),
                      actor=boss)
    billing.set_rates("ACME", {k: Decimal(v) for k, v in NEW_RATES.items()}, effective_from=CHANGE, actor=boss)

    # Day 1: receiving, an undone scan, putaway.
    fc.current = at(1, 9)
    po1 = receiving.create_shipment("ACME", "PO-1", [("TENT", 10), ("LAMP", 6), ("CUP", 4)], actor=boss)
    receiving.receive_scan(po1.id, BARCODES["TENT"], qty=10, actor=boss)
    receiving.receive_scan(po1.id, BARCODES["LAMP"], qty=5, actor=boss)
    receiving.receive_scan(po1.id, BARCODES["LAMP"], damaged=True, actor=boss)
    receiving.receive_scan(po1.id, BARCODES["CUP"], qty=4, actor=boss)
    receiving.receive_scan(po1.id, BARCODES["CUP"], actor=boss)
    receiving.undo_receipt(po1.id, actor=boss)  # the fifth CUP was a double scan
    fc.current = at(1, 10)
    receiving.putaway(BARCODES["TENT"], "A-01-01", actor=boss)
    receiving.putaway(BARCODES["LAMP"], "A-01-02", actor=boss)
    receiving.putaway(BARCODES["CUP"], "A-02-01", actor=boss)

    # Day 2: two orders of 1 and 3 units, one package each; a reprint.
    fc.current = at(2, 11)
    _ship(world, "SO-1", [("TENT", 1)], [["TENT"]], "1Z999AA10123456784")
    _ship(world, "SO-2", [("LAMP", 2), ("CUP", 1)], [["LAMP", "LAMP", "CUP"]], "1Z999AA10123456792")
    fc.current = at(2, 15)
    reprint_papers("SO-1")

    # Day 3: new prices; PO-2; SO-3 (3 units) in two packages.
    fc.current = at(3, 9)
    po2 = receiving.create_shipment("ACME", "PO-2", [("TENT", 6)], actor=boss)
    receiving.receive_scan(po2.id, BARCODES["TENT"], qty=6, actor=boss)
    receiving.putaway(BARCODES["TENT"], "B-01-01", actor=boss)
    fc.current = at(3, 14)
    _ship(world, "SO-3", [("TENT", 3)], [["TENT", "TENT"], ["TENT"]], "1Z999AA10123456800")

    # Day 4: a return restocked, a transfer that empties a bin, a manual charge.
    fc.current = at(4, 10)
    rma = returns.create_rma("SO-2", [returns.RmaRequestLine("LAMP", 1, "damaged")], actor=boss)
    returns.receive(rma.number, BARCODES["LAMP"], disposition="restock", bin_code="A-01-02", actor=boss)
    inventory.transfer(ids["CUP"], "A-02-01", "A-01-02", 3, actor=boss)
    billing.add_charge("ACME", "pallet_wrap", 2, amount="12.50", note="two pallets rewrapped", actor=boss)

    # Day 5: a count finds 2 TENT missing (in a bin that keeps some).
    fc.current = at(5, 16)
    tent_bin = "A-01-01" if ledger.on_hand(ids["TENT"], "A-01-01") >= 3 else "B-01-01"
    inventory.adjust(ids["TENT"], tent_bin, -2, reason="count", actor=boss)
    fc.current = at(6, 8)  # the next morning: the five days have ended and may be billed
    return ids
