"""Order commands: import orders, order add/show/cancel/find/list, allocate, backorders."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from app import catalog, orders
from app.cli.common import CliError, actor_for, bad_input_is_usage, fit, whole
from app.kernel import clock
from app.kernel.states import OrderStatus, label
from app.kernel.text import counted
from app.orders import allocation, backorders, importers

if TYPE_CHECKING:
    from app.cli.common import Subcommands


def register(sub: Subcommands, groups: dict[str, Subcommands]) -> None:
    p = groups["import"].add_parser(
        "orders", help="orders from a shop export (Shopify's order CSV, or the generic CSV)")
    p.add_argument("file")
    p.add_argument("--client", required=True)
    p.add_argument("--format", default="shopify", choices=importers.FORMATS,
                   help="shopify: Shopify's order export (the default); generic: one row per order line "
                   "with order_number,sku,qty")
    p.add_argument("--dry-run", action="store_true", help="check the file and say what would happen")
    p.set_defaults(func=cmd_import_orders)

    p = sub.add_parser("order", help="orders: add, show (lines + timeline), cancel, find, list")
    osub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = osub.add_parser("add", help="enter an order by hand")
    a.add_argument("number")
    a.add_argument("--client", required=True)
    a.add_argument("--line", action="append", required=True, metavar="SKU=QTY",
                   help="an order line (repeat for more lines)")
    a.add_argument("--name", default="", help="customer name")
    a.add_argument("--ship-name", default="", help="name on the parcel (default: customer name)")
    for opt in ("email", "phone", "address1", "address2", "city", "province", "zip", "country",
                "carrier", "service", "notes"):
        a.add_argument(f"--{opt}", default="")
    a.add_argument("--ship-by", default="", metavar="YYYY-MM-DD")
    a.add_argument("--priority", default="0", help="higher is more urgent")
    a.set_defaults(func=cmd_order_add)
    a = osub.add_parser("show", help="an order's lines and timeline")
    a.add_argument("number")
    a.add_argument("--client")
    a.set_defaults(func=cmd_order_show)
    a = osub.add_parser("cancel", help="cancel an order not yet picked (releases its stock)")
    a.add_argument("number")
    a.add_argument("--reason", required=True)
    a.add_argument("--client")
    a.set_defaults(func=cmd_order_cancel)
    a = osub.add_parser("find", help="search by order number, customer name, email or tracking number")
    a.add_argument("text")
    a.set_defaults(func=cmd_order_find)
    a = osub.add_parser("list", help="orders, newest first")
    a.add_argument("--status", help="one status, or 'open'")
    a.add_argument("--client")
    a.add_argument("--limit", default="200")
    a.set_defaults(func=cmd_order_list)

    p = sub.add_parser("allocate", help="reserve stock for open orders, most urgent first; the rest is back-ordered")
    p.add_argument("--client")
    p.set_defaults(func=cmd_allocate)

    p = sub.add_parser("backorders", help="the back-order list; customer notices")
    p.add_argument("--client")
    p.add_argument("--csv", action="store_true", help="the list as CSV on stdout")
    p.add_argument("--notices", metavar="FILE.csv", help="write one customer notice row per affected order")
    p.add_argument("--messages", metavar="DIR_OR_FILE",
                   help="write ready-to-send messages: one .txt per order into a folder, or one file")
    p.set_defaults(func=cmd_backorders)


def cmd_import_orders(args: argparse.Namespace) -> int:
    if not Path(args.file).is_file():
        raise CliError(f"no file {args.file}")
    result = importers.import_orders(args.file, client_code=args.client, fmt=args.format,
                                     actor=actor_for(args), dry_run=args.dry_run)
    print(result.text())
    return 0


def _lines(specs: list[str]) -> list[tuple[str, int]]:
    out = []
    for spec in specs:
        sku, sep, qty = spec.rpartition("=")
        if not sep:
            sku, sep, qty = spec.rpartition(":")
        if not sep or not sku.strip():
            raise CliError(f"line {spec!r}: write SKU=QTY")
        try:
            out.append((sku.strip(), int(qty)))
        except ValueError:
            raise CliError(f"line {spec!r}: quantity {qty!r} is not a whole number") from None
    return out


def cmd_order_add(args: argparse.Namespace) -> int:
    ref = orders.enter_order(
        args.client, args.number, _lines(args.line), actor=actor_for(args), customer_name=args.name,
        ship_name=args.ship_name or args.name, email=args.email, phone=args.phone,
        address1=args.address1, address2=args.address2, city=args.city, province=args.province,
        zip=args.zip, country=args.country, ship_by=args.ship_by, priority=args.priority,
        carrier=args.carrier, service=args.service, notes=args.notes)
    print(f"order {ref.number} added ({ref.status}); run 'allocate' to reserve stock")
    return 0


def _when(value: dt.datetime | None) -> str:
    """A stored (UTC) time in the warehouse's zone."""
    return clock.local_text(value) if value else "-"


def cmd_order_show(args: argparse.Namespace) -> int:
    ref = orders.find_order(args.number, client=args.client)
    d = orders.order_detail(ref.id)
    print(f"order {d.number} ({d.client_code})  status: {label(d.status, OrderStatus)}")
    print(f"  customer: {d.customer_name} <{d.email}> {d.phone}".rstrip())
    ship = ", ".join(x for x in (d.ship_name, d.ship_company, d.address1, d.address2, d.zip, d.city,
                                 d.province, d.country) if x)
    print(f"  ship to:  {ship}")
    shipping = f"{d.carrier} {d.service}".strip()
    print(f"  priority {d.priority}, ship by {d.ship_by or '-'}" + (f", {shipping}" if shipping else ""))
    if d.notes:
        print(f"  notes:    {d.notes}")
    print(f"  received {_when(d.received_at)}, allocated {_when(d.allocated_at)}, picked {_when(d.picked_at)}, "
          f"packed {_when(d.packed_at)}, shipped {_when(d.shipped_at)}"
          + (f", cancelled {_when(d.cancelled_at)}" if d.cancelled_at else ""))
    print(f"  {'#':>3} {'SKU':<18} {'NAME':<30} {'ORD':>5} {'ALLOC':>5} {'PICK':>5} {'PACK':>5} {'SHIP':>5} {'SHORT':>5}")
    for ln in d.lines:
        print(f"  {ln.line_no:>3} {whole(ln.sku, 18)} {fit(ln.name, 30)} {ln.qty_ordered:>5} {ln.qty_allocated:>5} "
              f"{ln.qty_picked:>5} {ln.qty_packed:>5} {ln.qty_shipped:>5} {ln.qty_short:>5}")
    print("timeline:")
    for e in orders.timeline(ref.id):
        who = f"{e.who}@{e.station}" if e.station else e.who
        print(f"  {_when(e.at)}  {who:<20} {e.text}")
    return 0


def cmd_order_cancel(args: argparse.Namespace) -> int:
    ref = orders.find_order(args.number, client=args.client)
    done = orders.cancel_order(ref.id, actor=actor_for(args), reason=args.reason)
    if done.status == OrderStatus.CANCELLED:
        print(f"order {ref.number} cancelled; its reservations were released")
    else:
        print(f"order {ref.number}: the back-ordered rest was cancelled; the order is shipped with what left")
    return 0


def _print_rows(rows: Iterable[orders.OrderRow]) -> None:
    print(f"{'CLIENT':<8} {'ORDER':<14} {'STATUS':<20} {'CUSTOMER':<24} {'EMAIL':<28} {'UNITS':>5} {'SHORT':>5}")
    for r in rows:
        print(f"{whole(r.client_code, 8)} {whole(r.number, 14)} {label(r.status, OrderStatus):<20} "
              f"{fit(r.customer_name, 24)} {fit(r.email, 28)} {r.units:>5} {r.units_short:>5}")


def cmd_order_find(args: argparse.Namespace) -> int:
    rows = orders.search_orders(args.text)
    _print_rows(rows)
    print(counted(len(rows), "order"))
    return 0 if rows else 1


@bad_input_is_usage
def cmd_order_list(args: argparse.Namespace) -> int:
    try:
        limit = int(args.limit)
    except ValueError:
        raise CliError(f"--limit {args.limit!r} is not a whole number") from None
    if limit < 1:
        raise CliError(f"--limit must be at least 1, not {limit}")
    if args.client:  # an unknown client is a typing slip, not "no orders"
        catalog.client_by_code(args.client)
    rows = orders.list_orders(status=args.status, client=args.client, limit=limit)
    _print_rows(rows)
    print(counted(len(rows), "order"))
    return 0


def cmd_allocate(args: argparse.Namespace) -> int:
    result = allocation.allocate_orders(actor=actor_for(args), client=args.client)
    print(result.text())
    return 0


@bad_input_is_usage
def cmd_backorders(args: argparse.Namespace) -> int:
    if args.client:  # an unknown client is a typing slip, not "nothing back-ordered"
        catalog.client_by_code(args.client)
    rows = backorders.backorder_list(client=args.client)
    if args.csv:
        sys.stdout.write(backorders.backorders_csv(rows))
    else:
        print(f"{'CLIENT':<8} {'SKU':<18} {'NAME':<28} {'SHORT':>6} {'AVAIL':>6} {'ORDERS':>6} "
              f"{'OLDEST':>8}  ETA")
        for r in rows:
            print(f"{whole(r.client, 8)} {whole(r.sku, 18)} {fit(r.name, 28)} {r.qty_short:>6} {r.qty_available:>6} "
                  f"{len(r.orders):>6} {r.age_text:>8}  {r.eta}")
        print(f"{counted(len(rows), 'product')} back-ordered")
    if args.notices or args.messages:
        notices = backorders.customer_notices(client=args.client)
        no_email = [n.order_number for n in notices if not n.has_email]
        if no_email:
            print(f"{len(no_email)} affected orders have no email address (tell them another way): "
                  + " ".join(no_email[:10]) + (" ..." if len(no_email) > 10 else ""), file=sys.stderr)
        if args.notices:
            try:
                Path(args.notices).write_text(backorders.notices_csv(notices), encoding="utf-8")
            except OSError as exc:
                raise CliError(f"cannot write {args.notices}: {exc.strerror or exc}") from None
            print(f"{len(notices)} customer notices written to {args.notices}", file=sys.stderr)
        if args.messages:
            files = backorders.write_messages(notices, args.messages)
            print(f"{counted(len(notices), 'message')} written to {', '.join(str(f) for f in files[:3])}"
                  + (" ..." if len(files) > 3 else ""), file=sys.stderr)
    return 0
