"""Cycle count commands: create a task, scan a bin blind, finish, approve, recount, show."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app import counting
from app.cli.common import CliError, actor_for
from app.kernel.text import counted

if TYPE_CHECKING:
    from app.cli.common import Subcommands


def register(sub: Subcommands, groups: dict[str, Subcommands]) -> None:
    p = sub.add_parser("count", help="cycle counts: blind counts of bins, differences adjusted or approved")
    psub = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = psub.add_parser("create", help="a count task; prints its number first (CNT000001)")
    what = a.add_mutually_exclusive_group(required=True)
    what.add_argument("--bin", help="one bin")
    what.add_argument("--zone", help="every bin of a zone")
    what.add_argument("--product", metavar="SKU", help="every bin holding this product")
    what.add_argument("--stale-days", metavar="N", help="the bins not counted for N days")
    a.add_argument("--client", help="only bins holding this client's goods (and the client of a SKU)")
    a.set_defaults(func=cmd_create)

    a = psub.add_parser("scan", help="count in a bin: a unit scan (or a unit and --qty), or --empty")
    a.add_argument("task", metavar="TASK", help="count task number")
    a.add_argument("--bin", required=True)
    how = a.add_mutually_exclusive_group(required=True)
    how.add_argument("--scan", metavar="CODE", help="item barcode, case code or SKU")
    how.add_argument("--empty", action="store_true", help="the bin is empty")
    a.add_argument("--qty", metavar="N", help="units of that code (default 1)")
    a.set_defaults(func=cmd_scan)

    a = psub.add_parser("finish", help="adjust the differences (large ones wait for approval)")
    a.add_argument("task", metavar="TASK")
    a.set_defaults(func=cmd_finish)

    a = psub.add_parser("approve", help="accept the differences waiting for approval (supervisor)")
    a.add_argument("task", metavar="TASK")
    a.add_argument("--line", nargs="+", metavar="N", help="only these lines (see 'count show')")
    a.set_defaults(func=cmd_approve)

    a = psub.add_parser("recount", help="count a bin again instead of approving its differences")
    a.add_argument("task", metavar="TASK")
    a.add_argument("--bin", required=True)
    a.set_defaults(func=cmd_recount)

    a = psub.add_parser("cancel", help="drop a count not yet finished")
    a.add_argument("task", metavar="TASK")
    a.set_defaults(func=cmd_cancel)

    a = psub.add_parser("list", help="count tasks, newest first")
    a.add_argument("--status", help="only tasks in this state (e.g. awaiting_approval)")
    a.set_defaults(func=cmd_list)

    a = psub.add_parser("show", help="a task's lines: expected, counted, difference (supervisor)")
    a.add_argument("task", metavar="TASK")
    a.set_defaults(func=cmd_show)


def _int(value: str | None, what: str) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise CliError(f"{what} must be a whole number, not {value!r}") from None


def cmd_create(args: argparse.Namespace) -> int:
    t = counting.create_task(bin_code=args.bin, zone=args.zone, product=args.product,
                             stale_days=_int(args.stale_days, "--stale-days"), client=args.client,
                             actor=actor_for(args))
    print(f"{t.number} {t.scope}: {counted(len(t.bins), 'bin')}: {', '.join(t.bins)}")
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    actor = actor_for(args)
    if args.empty:
        if args.qty is not None:
            raise CliError("--qty goes with --scan, not --empty")
        print(counting.count_empty(args.task, bin_code=args.bin, actor=actor).message())
        return 0
    qty = _int(args.qty, "--qty")
    r = counting.scan(args.task, bin_code=args.bin, code=args.scan, qty=1 if qty is None else qty, actor=actor)
    print(r.message())
    return 0


def cmd_finish(args: argparse.Namespace) -> int:
    print(counting.finish(args.task, actor=actor_for(args)).message())
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    lines = None if args.line is None else [_int(x, "--line") or 0 for x in args.line]
    r = counting.approve(args.task, lines=lines, actor=actor_for(args))
    print(f"{r.number} {r.status.replace('_', ' ')}: {counted(r.adjusted, 'line')} adjusted"
          + (f", {r.pending} still wait for approval" if r.pending else ""))
    return 0


def cmd_recount(args: argparse.Namespace) -> int:
    r = counting.recount(args.task, bin_code=args.bin, actor=actor_for(args))
    print(f"{r.new_number} recount of {r.bin_code}; {r.number} {r.status.replace('_', ' ')}")
    return 0


def cmd_cancel(args: argparse.Namespace) -> int:
    print(f"{counting.cancel_task(args.task, actor=actor_for(args))} cancelled")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    print(f"{'TASK':<10} {'STATUS':<18} {'BINS':>5} {'DONE':>5} {'PENDING':>7}  SCOPE")
    for t in counting.task_list(status=args.status):
        print(f"{t.number:<10} {t.status:<18} {t.bins:>5} {t.bins_counted:>5} {t.pending:>7}  {t.scope}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    diffs = counting.differences(args.task, actor=actor_for(
        args, why="a count's expected quantities are shown to a supervisor: give --user NAME (and the PIN)"))
    lots = any(d.lot for d in diffs)  # a LOT column where a product is counted by lot
    lot_head = f" {'LOT':<14}" if lots else ""
    print(f"{'LINE':>5} {'BIN':<12} {'SKU':<18}{lot_head} {'EXPECTED':>8} {'COUNTED':>8} {'DIFF':>6}  STATUS")
    for d in diffs:
        lot = f" {d.lot or '-':<14}" if lots else ""
        print(f"{d.line:>5} {d.bin_code:<12} {d.sku:<18}{lot} {d.expected:>8} {d.counted:>8} "
              f"{d.difference:>+6}  {d.status}")
    return 0
