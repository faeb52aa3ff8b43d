"""Billing commands: a client's rate card, manual charges, statements (screen, CSV, PDF) and
the warehouse's billing settings. Bad input is one line and exit 2, with nothing changed."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from app import billing
from app.cli.common import actor_for, bad_input_is_usage
from app.kernel.errors import ValidationError

if TYPE_CHECKING:
    from app.cli.common import Subcommands

Command = Callable[[argparse.Namespace], int]




def register(sub: Subcommands, groups: dict[str, Subcommands]) -> None:
    p = sub.add_parser("billing", help="rate cards, manual charges and statements (a supervisor)")
    bsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = bsub.add_parser("rates", help="set prices on a client's rate card, or show the card and its history")
    a.add_argument("client")
    a.add_argument("--set", dest="prices", action="append", default=[], metavar="FEE=AMOUNT",
                   help=f"a price per unit ({', '.join(billing.FEES)} or a manual fee's name)")
    a.add_argument("--from", dest="start", metavar="YYYY-MM-DD",
                   help="the first day the prices apply (default today); without --set: the card on that day")
    a.set_defaults(func=bad_input_is_usage(cmd_rates))
    a = bsub.add_parser("charge", help="bill a client a manual fee today")
    a.add_argument("client")
    a.add_argument("--fee", required=True, metavar="NAME")
    a.add_argument("--qty", required=True, type=int, metavar="N")
    a.add_argument("--amount", metavar="X", help="the price of one (default: the card's price of the fee); "
                   "negative for a credit")
    a.add_argument("--note", default="")
    a.set_defaults(func=bad_input_is_usage(cmd_charge))
    a = bsub.add_parser("statement", help="a client's statement for a period: lines, total; CSV or PDF")
    a.add_argument("client")
    a.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    a.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    a.add_argument("--out", metavar="FILE.pdf", help="issue the statement (next number) as a PDF invoice; "
                   "only once the period's last day has ended (without it: a preview)")
    a.add_argument("--csv", action="store_true", help="CSV (fee,quantity,rate,amount) on standard output")
    a.set_defaults(func=bad_input_is_usage(cmd_statement))
    a = bsub.add_parser("reprint", help="an issued statement again, under its number, as a PDF invoice")
    a.add_argument("number", metavar="NUMBER", help="the statement's number, e.g. ST000001")
    a.add_argument("--out", required=True, metavar="FILE.pdf")
    a.set_defaults(func=bad_input_is_usage(cmd_reprint))
    a = bsub.add_parser("setting", help="the warehouse's currency, name or address on statements")
    a.add_argument("key", choices=sorted(billing.BILLING_SETTINGS))
    a.add_argument("value", help="the text (the address: its lines separated by |; the currency: 3 letters)")
    a.set_defaults(func=bad_input_is_usage(cmd_setting))


def _day(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(f"{what} {value!r} is not a date (YYYY-MM-DD)") from None


def cmd_rates(args: argparse.Namespace) -> int:
    start = _day(args.start, "--from") if args.start else None
    if args.prices:
        prices = billing.parse_rate_settings(args.prices)
        card = billing.set_rates(args.client, prices, effective_from=start, actor=actor_for(args))
        print(f"{card.client_code}: from {card.day}: "
              + ", ".join(f"{fee}={billing.price_text(amount)}" for fee, amount in prices.items()))
        return 0
    actor_for(args, why="a client's prices are shown to a supervisor: give --user NAME (and the PIN)"
              ).require_to("set rates")
    card = billing.rate_card(args.client, day=start)
    cur = billing.currency()
    print(f"{card.client_code} {card.client_name}: rates in force on {card.day} ({cur})")
    if not card.in_force:
        print("  (no price set)")
    for r in card.in_force:
        print(f"  {r.fee:<20} {r.amount_text:>12}  since {r.effective_from}")
    if card.history:
        print("history:")
        for r in card.history:
            print(f"  {r.effective_from}  {r.fee:<20} {r.amount_text:>12}  by {r.created_by}")
    return 0


def cmd_charge(args: argparse.Namespace) -> int:
    row = billing.add_charge(args.client, args.fee, args.qty, amount=args.amount, note=args.note,
                             actor=actor_for(args))
    print(f"{row.client_code} {row.day}: {row.qty} x {row.fee} at {row.rate_text} = "
          f"{billing.money_text(row.amount)} {billing.currency()}")
    return 0


def cmd_statement(args: argparse.Namespace) -> int:
    first, last = _day(args.start, "--from"), _day(args.end, "--to")
    actor = actor_for(args, why="a client's bill is shown to a supervisor: give --user NAME (and the PIN)")
    actor.require_to("issue statements")
    if args.out:  # the file is checked before the statement takes its number
        st = billing.save_statement_pdf(args.client, first, last, args.out, actor=actor)
    else:
        st = billing.statement(args.client, first, last)
    if args.csv:
        sys.stdout.write(billing.statement_csv(st))
        if st.so_far:
            print(st.so_far_text, file=sys.stderr)
    else:
        print(f"{st.client_code} {st.client_name}: {first} to {last} ({st.currency})"
              + (f", statement {st.number}" if st.number else "") + (f", {st.so_far_text}" if st.so_far else ""))
        print(f"{'fee':<22} {'quantity':>10} {'rate':>10} {'amount':>12}")
        for ln in st.lines:
            print(f"{ln.fee:<22} {ln.quantity:>10} {ln.rate_text:>10} {ln.amount_text:>12}")
        print(f"{'TOTAL':<22} {'':>10} {'':>10} {st.total_text:>12}")
        for fee, qty in st.unpriced:
            print(f"not billed: {qty} {fee} (no price on the card)")
    if args.out:
        print(f"statement {st.number} written to {args.out}", file=sys.stderr if args.csv else sys.stdout)
    return 0


def cmd_reprint(args: argparse.Namespace) -> int:
    st = billing.reprint_statement(args.number, args.out, actor=actor_for(args))
    print(f"statement {st.number} ({st.client_code}, {st.first} to {st.last}, total {st.total_text} "
          f"{st.currency}) written to {args.out}")
    return 0


def cmd_setting(args: argparse.Namespace) -> int:
    value = args.value
    if args.key == billing.WAREHOUSE_ADDRESS_KEY:  # lines given as "line 1 | line 2"
        value = "\n".join(part.strip() for part in value.split("|"))
    value = billing.set_billing_setting(args.key, value, actor=actor_for(args))
    print(f"{args.key} = {value}".replace("\n", " | "))
    return 0
