"""A known order history for the supervisor reports, built with the real services under a
frozen clock (entry, allocation, pick list, pick, pack, ship, cancel), in a UTC warehouse.

The period is Monday 2026-03-02 to Monday 2026-03-09 (cut-off 14:00); "now" is Tuesday
2026-03-10 12:00. Ten orders are received in it:

======  =====================  ==========================  ===================  ==========
order   received               due                          shipped              on time
======  =====================  ==========================  ===================  ==========
R1      Mon 03-02 09:00        03-03 00:00                  Mon 03-02 11:00      yes (2 h)
R2      Mon 03-02 10:00        03-03 00:00                  Mon 03-02 13:30      yes (3.5 h)
R3      Mon 03-02 15:00 (cut)  03-04 00:00                  Tue 03-03 10:00      yes (19 h)
R4      Fri 03-06 15:00 (cut)  03-10 00:00 (weekend)        Mon 03-09 09:00      yes (66 h)
R5      Tue 03-03 08:00        03-06 00:00 (ship-by 03-05)  Thu 03-05 16:00      yes (56 h)
R6      Wed 03-04 09:00        03-05 00:00                  Thu 03-05 09:30      no (24.5 h)
R7      Thu 03-05 13:59        03-06 00:00                  Fri 03-06 12:00      no (22 h 1 min)
R8      Tue 03-03 11:00        -                            cancelled            -
R9      Wed 03-04 10:00        03-05 00:00                  2 of 5 units (A)     open, B back-ordered
R10     Thu 03-05 09:00        03-06 00:00                  allocated only       open
======  =====================  ==========================  ===================  ==========

Besides: R0 received Sunday 03-01 (before the period, shipped) and R11 received Tuesday
03-10 09:00 (after it, new). Every shipped order (one unit of A) is allocated 30 min after
it is received, picked 60 min and packed 30 min before it ships.

Expected: received 10, cancelled 1, counted 9, shipped complete 7, on time 5 -> fulfillment
0.7778, on-time 0.5556; lines 10 of which 8 shipped (0.8000), units 13 of which 9 shipped
(0.6923); received to shipped: median 22.02 h, p90 66.00 h, max 66.00 h.
"""

from __future__ import annotations

import datetime as dt

from app import orders, packing, picking, shipping
from app.kernel import clock
from app.orders import allocation
from app.reports.table import Period
from tests.support.packing import PACKER, SHIP_TO, stock_in

FIRST, LAST = dt.date(2026, 3, 2), dt.date(2026, 3, 9)
NOW = dt.datetime(2026, 3, 10, 12, 0)
A, B = "RPT-A", "RPT-B"
BARCODES = {A: "012345678905", B: "036000291452"}


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute)


# number: (received, shipped, ship_by)
SHIPPED = {
    "R0": (dt.datetime(2026, 3, 1, 10, 0), dt.datetime(2026, 3, 1, 16, 0), None),
    "R1": (at(2, 9), at(2, 11), None),
    "R2": (at(2, 10), at(2, 13, 30), None),
    "R3": (at(2, 15), at(3, 10), None),
    "R4": (at(6, 15), at(9, 9), None),
    "R5": (at(3, 8), at(5, 16), dt.date(2026, 3, 5)),
    "R6": (at(4, 9), at(5, 9, 30), None),
    "R7": (at(5, 13, 59), at(6, 12), None),
}


def period() -> Period:
    return Period.of(FIRST, LAST)


def _order(world, number: str, lines: list[tuple[str, int]], **fields) -> int:
    values = dict(SHIP_TO)
    values.update(fields)
    return orders.create_order("ACME", number, lines, actor=world.actor, **values).id


def _pick_all(world, *, partial: bool = False) -> None:
    pl = picking.create_picklist(actor=world.actor, include_partial=partial, max_orders=50)
    while (stop := picking.next_stop(pl.id)) is not None:
        for split in stop.totes:
            if split.remaining > 0:
                picking.confirm_pick(pl.id, bin_code=stop.bin_code, scan_code=stop.sku, qty=split.remaining,
                                     tote=split.tote, actor=world.actor)


def build(world, fc: clock.FrozenClock) -> dict[str, int]:
    """The history above; returns order ids by number. ``fc`` is left at ``NOW``."""
    products = {sku: world.product(sku, barcode=code).id for sku, code in BARCODES.items()}
    ids: dict[str, int] = {}
    for number, (received, shipped, ship_by) in SHIPPED.items():
        fc.current = received
        ids[number] = oid = _order(world, number, [(A, 1)], ship_by=ship_by)
        stock_in(world, products[A], 1)
        fc.current = received + dt.timedelta(minutes=30)
        allocation.allocate_orders(actor=world.actor, order_ids=[oid])
        fc.current = shipped - dt.timedelta(minutes=60)
        _pick_all(world)
        fc.current = shipped - dt.timedelta(minutes=30)
        packing.pack(oid, scans=[BARCODES[A]], close="last", actor=PACKER)
        fc.current = shipped
        shipping.ship_order(oid, tracking="1Z999AA10123456784", carrier="UPS", actor=PACKER)
    fc.current = at(3, 11)
    ids["R8"] = _order(world, "R8", [(A, 1)])
    fc.current = at(3, 12)
    orders.cancel_order(ids["R8"], actor=world.actor, reason="customer changed their mind")
    # R9: two units of A go, three of B wait for stock that nobody expects.
    fc.current = at(4, 10)
    ids["R9"] = _order(world, "R9", [(A, 2), (B, 3)])
    stock_in(world, products[A], 2)
    fc.current = at(4, 11)
    allocation.allocate_orders(actor=world.actor, order_ids=[ids["R9"]])
    fc.current = at(4, 13)
    _pick_all(world, partial=True)
    fc.current = at(4, 14)
    packing.pack(ids["R9"], scans=[BARCODES[A]] * 2, close="last", actor=PACKER)
    fc.current = at(4, 15)
    shipping.ship_order(ids["R9"], tracking="1Z999AA10123456784", carrier="UPS", actor=PACKER)
    fc.current = at(5, 9)
    ids["R10"] = _order(world, "R10", [(A, 1)])
    stock_in(world, products[A], 1)
    fc.current = at(5, 9, 30)
    allocation.allocate_orders(actor=world.actor, order_ids=[ids["R10"]])
    fc.current = at(10, 9)
    ids["R11"] = _order(world, "R11", [(A, 1)])
    fc.current = NOW
    return ids
