"""A known day on the floor for the supervisor reports (stock, productivity, shipping, audit):
several people, two clients, real flows (receive, put away, pick, short pick, pack with
mis-scans, ship with a cost), each step at a set time of a frozen clock.

Monday 2026-03-02 (UTC):
- 08:10 rita receives 10 TENT (ACME) and 4 MUG (BETA) into RECEIVING; 08:40 puts them away
  (TENT -> A-01-01, MUG -> A-01-02).
- 09:05 pia picks order 1001 (ACME, 3 TENT) and 09:20 order 2001 (BETA, 2 MUG).
- 10:15 pat packs 1001 (3 scans ok, one unknown code); 10:30 packs 2001 (2 ok, one TENT scan:
  wrong item). 10:50 sam ships 1001 (UPS Ground, cost 7.455 -> 7.46); 11:20 ships 2001 (USPS
  Priority, 5.10).
- 11:30 rita receives 1 LAMP straight into A-01-02; 11:35 order 1002 (ACME, 1 TENT, 1 LAMP):
  11:40 pia picks the TENT and short-picks the LAMP (bin blocked).
Tuesday 2026-03-03: 14:00 order 1003 (ACME, 1 TENT) picked by pia, 14:30 packed by pat, 15:00
shipped by sam (UPS Ground, no cost recorded). The clock is left at 18:00 that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from app import catalog, ledger, orders, packing, picking, shipping
from app.kernel import clock
from app.kernel.actor import Actor
from app.orders import allocation
from app.store import db

RITA = Actor(None, "rita", "supervisor", "recv-1")
PIA = Actor(None, "pia", "supervisor", "pick-1")
PAT = Actor(None, "pat", "supervisor", "pack-1")
SAM = Actor(None, "sam", "supervisor", "ship-1")
DAY = dt.date(2026, 3, 2)


@dataclass
class History:
    products: dict[str, int]
    orders: dict[str, int]


def _at(fc: clock.FrozenClock, day: dt.date, hh: int, mm: int) -> None:
    fc.current = dt.datetime.combine(day, dt.time(hh, mm))


def _move(product_id: int, src: str, dest: str, qty: int, kind: str, actor: Actor) -> None:
    with db.write():
        ledger.apply_move(product_id, ledger.location(src).id, ledger.location(dest).id, qty,
                          kind=kind, actor=actor, reason="history")


def _pick_all(order_id: int, actor: Actor, *, short: str | None = None) -> None:
    allocation.allocate_orders(actor=actor, order_ids=[order_id])
    pl = picking.create_picklist(actor=actor, include_partial=True, max_orders=50)
    while (stop := picking.next_stop(pl.id)) is not None:
        if stop.sku == short:
            picking.short_pick(pl.id, bin_code=stop.bin_code, product=stop.sku, qty_short=stop.totes[0].remaining,
                               reason="blocked", actor=actor)
            continue
        for split in stop.totes:
            if split.remaining > 0:
                picking.confirm_pick(pl.id, bin_code=stop.bin_code, scan_code=stop.sku,
                                     qty=split.remaining, tote=split.tote, actor=actor)


def _pack(order_id: int, scans: list[str], actor: Actor) -> None:
    for code in scans:
        packing.verify_scan(order_id, code, actor=actor)
    packing.close_package(order_id, final=True, weight_kg=1.0, actor=actor)


def build(world, fc: clock.FrozenClock) -> History:
    catalog.add_client("BETA", "Beta Home Ltd.")
    p = {
        "TENT": world.product("TENT", barcode="111000111", reorder_point=8).id,
        "LAMP": world.product("LAMP", barcode="222000222", reorder_point=1).id,
        "CUP": world.product("CUP", barcode="333000333", reorder_point=5).id,
        "MUG": world.product("MUG", barcode="444000444", client="BETA").id,
    }
    o: dict[str, int] = {}
    _at(fc, DAY, 8, 10)
    _move(p["TENT"], "SUPPLIER", "RECEIVING", 10, "receive", RITA)
    _move(p["MUG"], "SUPPLIER", "RECEIVING", 4, "receive", RITA)
    _at(fc, DAY, 8, 40)
    _move(p["TENT"], "RECEIVING", "A-01-01", 10, "putaway", RITA)
    _move(p["MUG"], "RECEIVING", "A-01-02", 4, "putaway", RITA)
    _at(fc, DAY, 9, 0)
    o["1001"] = orders.create_order("ACME", "1001", [("TENT", 3)], actor=PIA, customer_name="Ann").id
    o["2001"] = orders.create_order("BETA", "2001", [("MUG", 2)], actor=PIA, customer_name="Bob").id
    _at(fc, DAY, 9, 5)
    _pick_all(o["1001"], PIA)
    _at(fc, DAY, 9, 20)
    _pick_all(o["2001"], PIA)
    _at(fc, DAY, 10, 15)
    _pack(o["1001"], ["111000111", "111000111", "NOPE-1", "111000111"], PAT)
    _at(fc, DAY, 10, 30)
    _pack(o["2001"], ["444000444", "111000111", "444000444"], PAT)
    _at(fc, DAY, 10, 50)
    shipping.ship_order(o["1001"], tracking="1Z0001", carrier="UPS", service="Ground", cost=Decimal("7.455"), actor=SAM)
    _at(fc, DAY, 11, 20)
    shipping.ship_order(o["2001"], tracking="9400111", carrier="USPS", service="Priority", cost=Decimal("5.10"), actor=SAM)
    _at(fc, DAY, 11, 30)
    _move(p["LAMP"], "SUPPLIER", "A-01-02", 1, "receive", RITA)
    _at(fc, DAY, 11, 35)
    o["1002"] = orders.create_order("ACME", "1002", [("TENT", 1), ("LAMP", 1)], actor=PIA,
                                    customer_name="Cy").id
    _at(fc, DAY, 11, 40)
    _pick_all(o["1002"], PIA, short="LAMP")
    nxt = DAY + dt.timedelta(days=1)
    _at(fc, nxt, 14, 0)
    o["1003"] = orders.create_order("ACME", "1003", [("TENT", 1)], actor=PIA, customer_name="Di").id
    _pick_all(o["1003"], PIA)
    _at(fc, nxt, 14, 30)
    _pack(o["1003"], ["111000111"], PAT)
    _at(fc, nxt, 15, 0)
    shipping.ship_order(o["1003"], tracking="1Z0003", carrier="UPS", service="Ground", actor=SAM)
    _at(fc, nxt, 18, 0)
    return History(p, o)
