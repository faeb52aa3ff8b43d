"""Returns commands: authorise (RMA), receive by scan with a disposition, show, list, close,
print the authorisation, and the returns report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app import reports, returns
from app.cli.common import CliError, actor_for, bad_input_is_usage, day
from app.kernel.text import counted

if TYPE_CHECKING:
    from app.cli.common import Subcommands


def register(sub: Subcommands, groups: dict[str, Subcommands]) -> None:
    p = sub.add_parser("return", help="customer returns (RMA): create, receive, show, list, close")
    rsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = rsub.add_parser("create", help="authorise a return for a shipped order; prints the RMA number first")
    a.add_argument("order", help="order number")
    a.add_argument("--client", help="client code, where order numbers repeat between clients")
    a.add_argument("--line", action="append", required=True, metavar="SKU=QTY", help="a product coming back")
    a.add_argument("--reason", required=True, help=", ".join(returns.REASONS))
    a.add_argument("--exchange", action="append", default=[], metavar="SKU=QTY",
                   help="a replacement to send (makes the RMA an exchange)")
    a.add_argument("--note", default="")
    a.set_defaults(func=cmd_create)
    a = rsub.add_parser("receive", help="receive scanned units of an RMA and decide what becomes of them")
    a.add_argument("rma")
    a.add_argument("--scan", required=True, metavar="CODE", help="the unit's barcode or SKU")
    a.add_argument("--qty", type=int, default=1, metavar="N")
    a.add_argument("--disposition", required=True, choices=returns.DISPOSITIONS)
    a.add_argument("--bin", default="", help="the bin a restocked unit goes to")
    a.add_argument("--reason", default="", help="why a unit is scrapped")
    a.set_defaults(func=cmd_receive)
    a = rsub.add_parser("show", help="an RMA with its lines")
    a.add_argument("rma")
    a.set_defaults(func=cmd_show)
    a = rsub.add_parser("list", help="RMAs, newest first")
    a.add_argument("--open", action="store_true", help="only those not closed")
    a.add_argument("--client")
    a.set_defaults(func=bad_input_is_usage(cmd_list))
    a = rsub.add_parser("close", help="close an RMA (short: a supervisor, with a note)")
    a.add_argument("rma")
    a.add_argument("--note", default="")
    a.set_defaults(func=cmd_close)

    a = groups["print"].add_parser("rma", help="the return authorisation PDF of an RMA")
    a.add_argument("rma")
    a.add_argument("--out", required=True, metavar="FILE.pdf")
    a.set_defaults(func=cmd_print_rma)

    a = groups["report"].add_parser("returns", help="per product: shipped, returned, rate, reasons, dispositions")
    a.add_argument("--from", dest="start", required=True, type=day, metavar="YYYY-MM-DD")
    a.add_argument("--to", dest="end", required=True, type=day, metavar="YYYY-MM-DD")
    a.add_argument("--client")
    a.add_argument("--csv", action="store_true", help="CSV on standard output")
    a.set_defaults(func=bad_input_is_usage(cmd_report_returns))


def _pairs(values: list[str], what: str) -> list[tuple[str, int]]:
    out = []
    for value in values:
        sku, sep, qty = value.rpartition("=")
        if not sep or not sku.strip():
            raise CliError(f"{what} {value!r}: write SKU=QTY")
        try:
            out.append((sku.strip(), int(qty)))
        except ValueError:
            raise CliError(f"{what} {value!r}: the quantity is not a whole number") from None
    return out


def cmd_create(args: argparse.Namespace) -> int:
    exchange = _pairs(args.exchange, "--exchange")
    wants = "exchange" if exchange else "refund"
    lines = [returns.RmaRequestLine(sku, qty, args.reason, wants) for sku, qty in _pairs(args.line, "--line")]
    ref = returns.create_rma(args.order, lines, client=args.client, exchange=exchange, note=args.note,
                             actor=actor_for(args))
    extra = f"; exchange order {ref.exchange_order}" if ref.exchange_order else ""
    print(f"{ref.number} for order {ref.order_number}: {counted(ref.units, 'unit')}{extra}")
    return 0


def cmd_receive(args: argparse.Namespace) -> int:
    out = returns.receive(args.rma, args.scan, qty=args.qty, disposition=args.disposition, bin_code=args.bin,
                          reason=args.reason, actor=actor_for(args))
    print(out.message + (f"; {out.rma} closed" if out.status == "closed" else "")
          + (f"; exchange order {out.exchange_order} released" if out.exchange_order else ""))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    d = returns.rma_detail(args.rma)
    print(f"{d.number}  {d.client_code}  order {d.order_number}  {d.customer_name}  status {d.status}")
    if d.exchange_order:
        print(f"exchange order: {d.exchange_order}")
    if d.note:
        print(f"note: {d.note}")
    print(f"{'SKU':<20} {'reason':<17} {'wants':<8} {'exp':>4} {'recv':>4} {'restock':>7} {'quar':>4} {'scrap':>5}")
    for ln in d.lines:
        print(f"{ln.sku:<20} {ln.reason:<17} {ln.wants:<8} {ln.expected:>4} {ln.received:>4} {ln.restocked:>7} "
              f"{ln.quarantined:>4} {ln.scrapped:>5}")
    for sku, _name, qty in d.replacements:
        print(f"replacement: {qty} x {sku} ({d.replacement_state})")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    for r in returns.list_rmas(open_only=args.open, client=args.client):
        print(f"{r.number}  {r.client_code:<8} {r.order_number:<16} {r.status:<10} {r.received}/{r.expected}  "
              f"{r.customer_name}")
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    out = returns.close_rma(args.rma, note=args.note, actor=actor_for(args))
    print(out.message)
    return 0


def cmd_print_rma(args: argparse.Namespace) -> int:
    data = returns.render_rma_pdf(args.rma)
    try:
        Path(args.out).write_bytes(data)
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(f"return authorisation written to {args.out}")
    return 0


def cmd_report_returns(args: argparse.Namespace) -> int:
    rows = reports.returns_report(args.start, args.end, client=args.client)
    if args.csv:
        sys.stdout.write(reports.returns_csv(rows))
        return 0
    print(f"{'client':<8} {'SKU':<20} {'shipped':>7} {'returned':>8} {'rate':>7}  reasons / dispositions")
    for r in rows:
        rate = "-" if r.return_rate is None else str(r.return_rate)
        reasons = " ".join(f"{n}={q}" for n, q in zip(reports.REASON_COLUMNS, r.by_reason, strict=True) if q)
        print(f"{r.client:<8} {r.sku:<20} {r.shipped:>7} {r.returned:>8} {rate:>7}  {reasons} "
              f"restocked={r.restocked} quarantined={r.quarantined} scrapped={r.scrapped}")
    return 0
