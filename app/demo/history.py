"""The demo warehouse's last two working weeks: goods received and put away, orders taken in,
picked, packed and shipped at their times of day by the demo's people, so the supervisor's
reports, charts and the clients' bills show a working warehouse from the first start.

Everything goes through the same services a station uses, each step at a set time of a
frozen clock (warehouse time): the figures are what that work makes, nothing is written
into a report. Each day: an inbound shipment received at 08:00 and put away; five orders
taken in between 08:30 and 11:00; one wave picked from 11:30; packing from 13:00; shipping
from 14:30. Some orders wait for the next working day (late), one a week has an item
short-picked and goes out without it.
"""

from __future__ import annotations

import datetime as dt
import random

from app import orders, packing, picking, receiving, shipping
from app.catalog import users
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.text import counted
from app.orders import allocation
from app.store import db

WORKING_DAYS = 10
ORDERS_PER_DAY = 5
CARRIERS = (("UPS", "Ground", "7.45"), ("USPS", "Priority", "5.10"), ("FedEx", "Home", "8.95"))


def _people() -> dict[str, Actor]:
    """The demo's people by role (their actions carry their names in the audit log)."""
    found: dict[str, Actor] = {}
    for row in users.list_users():
        if row.active and row.role not in found:
            found[row.role] = Actor(row.id, row.name, row.role, f"{row.role} demo")
    return found


def opened_at() -> dt.datetime:
    """When the demo warehouse was set up and its opening stock received (UTC): 07:00 on the
    working day before the history's first, so no move of the history comes before the
    stock it moves."""
    first = _working_days(clock.local_today(), WORKING_DAYS)[0]
    return clock.to_utc(dt.datetime.combine(_working_days(first, 1)[0], dt.time(7, 0)))


def _working_days(before: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = before
    while len(days) < count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def _in_stock(client_id: int) -> list[tuple[str, int]]:
    """(SKU, units free in bins) of the client's untracked products with stock to spare."""
    rows = db.execute(
        "SELECT p.sku, SUM(sl.on_hand - sl.reserved) FROM product p "
        "JOIN stock_level sl ON sl.product_id = p.id JOIN location l ON l.id = sl.location_id "
        "WHERE p.client_id = ? AND l.kind = 'bin' AND p.track_lot = ? AND p.track_expiry = ? "
        "GROUP BY p.id, p.sku HAVING SUM(sl.on_hand - sl.reserved) >= 6 ORDER BY p.sku",
        (client_id, False, False)).fetchall()
    return [(sku, int(free)) for sku, free in rows]


def _pick_wave(picker: Actor, boss: Actor, order_ids: list[int], short_sku: str | None,
               frozen: clock.FrozenClock) -> None:
    """Allocate the orders, make their wave and walk it, two minutes a stop."""
    allocation.allocate_orders(actor=boss, order_ids=order_ids)
    frozen.advance(minutes=5)
    wave = picking.create_picklist(actor=boss, include_partial=True, max_orders=len(order_ids) + 5)
    while (stop := picking.next_stop(wave.id)) is not None:
        frozen.advance(minutes=2)
        if stop.sku == short_sku:
            short_sku = None  # one unit short, once: the bin was found short
            picking.short_pick(wave.id, bin_code=stop.bin_code, product=stop.sku,
                               qty_short=stop.totes[0].remaining, reason="short", actor=picker)
            continue
        for split in stop.totes:
            if split.remaining > 0:
                picking.confirm_pick(wave.id, bin_code=stop.bin_code, scan_code=stop.sku,
                                     qty=split.remaining, tote=split.tote, actor=picker)


def _pack(packer: Actor, order_id: int, lines: list[tuple[str, int]]) -> bool:
    """Scan each picked unit into the box and close it; False when nothing was picked."""
    picked = {sku: qty for sku, qty in db.execute(
        "SELECT p.sku, ol.qty_picked FROM order_line ol JOIN product p ON p.id = ol.product_id "
        "WHERE ol.order_id = ? AND ol.qty_picked > 0", (order_id,)).fetchall()}
    if not picked:
        return False
    units = 0
    for sku, _ in lines:
        for _ in range(picked.get(sku, 0)):
            packing.verify_scan(order_id, sku, actor=packer)
            units += 1
    packing.close_package(order_id, final=True, weight_kg=round(0.3 + 0.25 * units, 2), actor=packer)
    return True


def add_demo_documents(*, actor: Actor, seed: int = 5) -> list[str]:
    """Two working weeks of history before today; returns the summary line (nothing when the
    demo has no supervisor, receiver and packer, or no stock to ship)."""
    people = _people()
    boss, receiver, packer = people.get("supervisor"), people.get("receiver"), people.get("packer")
    if boss is None or receiver is None or packer is None:
        return []
    clients = db.execute("SELECT id, code FROM client WHERE active = ? ORDER BY code", (True,)).fetchall()
    if not clients:
        return []
    rng = random.Random(seed)
    start = clock.now()
    days = _working_days(clock.local_today(), WORKING_DAYS)
    frozen = clock.FrozenClock(start)
    shipped = received = 0
    waiting: list[tuple[int, list[tuple[str, int]]]] = []  # picked yesterday, shipped today
    with clock.running_on(frozen):

        def at(day: dt.date, hour: int, minute: int = 0) -> None:
            frozen.current = clock.to_utc(dt.datetime.combine(day, dt.time(hour, minute)))

        for n, day in enumerate(days):
            cid, code = clients[n % len(clients)]
            stock = _in_stock(cid)
            if len(stock) < 2:
                continue
            # 07:30 the client's inbound shipment is announced; 08:00 received, 08:40 put away.
            at(day, 7, 30)
            inbound = rng.sample(stock, 2)
            ref = receiving.create_shipment(code, f"ASN-{code}-{day:%m%d}", [(sku, 12) for sku, _ in inbound],
                                            actor=boss, expected_date=day, carrier="UPS Freight")
            at(day, 8, 0)
            for sku, _ in inbound:
                receiving.receive_scan(ref.id, sku, qty=12, actor=receiver)
                received += 12
            receiving.close_shipment(ref.id, actor=receiver)
            at(day, 8, 40)
            for sku, _ in inbound:
                suggestion = receiving.putaway_suggestion(sku, client_id=cid)
                if suggestion.bin_code:
                    receiving.putaway(sku, suggestion.bin_code, actor=receiver, client_id=cid)
            # 08:30-11:00 orders come in, across the clients.
            today: list[tuple[int, list[tuple[str, int]]]] = []
            for i in range(ORDERS_PER_DAY):
                ocid, ocode = clients[(n + i) % len(clients)]
                pool = _in_stock(ocid)
                if not pool:
                    continue
                at(day, 8 + (30 + i * 30) // 60, (30 + i * 30) % 60)
                picks = rng.sample(pool, min(len(pool), rng.randint(1, 2)))
                lines = [(sku, rng.randint(1, min(3, free))) for sku, free in picks]
                number = f"H{day:%m%d}-{i + 1}"
                ref_o = orders.create_order(ocode, number, lines, actor=boss, channel="demo",
                                            customer_name=f"Customer {n * ORDERS_PER_DAY + i + 1}",
                                            city="Springfield", country="US")
                today.append((ref_o.id, lines))
            # 11:30 one wave for the day's orders; once a week a bin is found one short.
            at(day, 11, 30)
            short = today[0][1][0][0] if n % 5 == 2 and today else None
            _pick_wave(packer, boss, [oid for oid, _ in today], short, frozen)
            # 13:00 packing, 14:30 shipping; every fourth order waits for the next day (late).
            at(day, 13, 0)
            ready = []
            for oid, lines in today:
                frozen.advance(minutes=8)  # a box takes the packer a few minutes
                if _pack(packer, oid, lines):
                    ready.append((oid, lines))
            late = [item for k, item in enumerate(ready) if k % 4 == 3]
            for k, (oid, _) in enumerate(waiting + [item for item in ready if item not in late]):
                at(day, 14, 30 + k * 5 if k < 6 else 59)
                carrier, service, cost = CARRIERS[(oid + k) % len(CARRIERS)]
                shipping.ship_order(oid, tracking=f"DEMO{oid:06d}", carrier=carrier, service=service,
                                    cost=cost, actor=packer)
                shipped += 1
            waiting = late
    return [f"history: the last {len(days)} working days: {counted(received, 'unit')} received, "
            f"{counted(shipped, 'order')} shipped ({len(waiting)} packed, waiting for the carrier)"]
