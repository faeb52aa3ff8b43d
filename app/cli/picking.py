"""Pick list commands: create a wave (and its PDF), confirm and short picks, show, exceptions."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from app import picking
from app.cli.common import CliError, actor_for, fit, whole
from app.kernel import clock
from app.kernel.text import check_int, counted
from app.store import db

if TYPE_CHECKING:
    from app.cli.common import Subcommands


def register(sub: Subcommands, groups: dict[str, Subcommands]) -> None:
    p = sub.add_parser("picklist", help="pick lists (waves): create, confirm picks, short picks, show")
    psub = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = psub.add_parser("create", help="a wave of allocated orders; prints the list number, writes the PDF")
    a.add_argument("--client", help="only this client's orders")
    a.add_argument("--carrier", help="only orders shipping with this carrier")
    a.add_argument("--service", help="only orders with this shipping service")
    a.add_argument("--ship-by", metavar="YYYY-MM-DD", help="only orders due on or before this date")
    a.add_argument("--max-orders", metavar="N", help=f"totes on the cart (default {picking.DEFAULT_MAX_ORDERS})")
    a.add_argument("--partial", action="store_true", help="also orders only partly allocated")
    a.add_argument("--picker", default="", help="who walks it (printed on the list)")
    a.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the pick list PDF")
    a.add_argument("--page-size", default="letter", metavar="letter|a4")
    a.set_defaults(func=cmd_create)

    a = psub.add_parser("confirm", help="a confirmed pick: bin, item, tote")
    a.add_argument("list", metavar="LIST", help="pick list number (PL000123)")
    a.add_argument("--bin", required=True)
    a.add_argument("--scan", required=True, metavar="CODE", help="item barcode, case code or SKU")
    a.add_argument("--qty", metavar="N", help="how many scans of that code (default 1)")
    a.add_argument("--tote", required=True, metavar="T")
    a.set_defaults(func=cmd_confirm)

    a = psub.add_parser("short", help="the bin could not give what the list says")
    a.add_argument("list", metavar="LIST")
    a.add_argument("--bin", required=True)
    a.add_argument("--scan", required=True, metavar="CODE", help="item barcode or SKU")
    a.add_argument("--qty", required=True, metavar="N", help="units missing")
    a.add_argument("--reason", required=True, metavar="|".join(picking.SHORT_REASONS))
    a.set_defaults(func=cmd_short)

    a = psub.add_parser("swap-lot", help="take another lot of the item in that bin for a line (supervisor)")
    a.add_argument("list", metavar="LIST", help="pick list number (PL000123)")
    a.add_argument("--bin", required=True)
    a.add_argument("--scan", required=True, metavar="CODE",
                   help="item barcode, SKU, or the unit's GS1 code (its lot is the lot to take)")
    a.add_argument("--lot", default="", metavar="LOT", help="the lot to take instead (default: the scan's)")
    a.add_argument("--tote", metavar="T", help="whose line, when several totes take the item there")
    a.set_defaults(func=cmd_swap_lot)

    a = psub.add_parser("show", help="a pick list's stops in walk order")
    a.add_argument("list", metavar="LIST")
    a.set_defaults(func=cmd_show)

    a = psub.add_parser("list", help="open pick lists")
    a.add_argument("--all", action="store_true", help="finished and cancelled ones too")
    a.set_defaults(func=cmd_list)

    a = psub.add_parser("cancel", help="give up a wave (supervisor); its orders can go on a new one")
    a.add_argument("list", metavar="LIST")
    a.add_argument("--reason", default="")
    a.set_defaults(func=cmd_cancel)

    a = psub.add_parser("remove", help="take one order off a wave (supervisor), e.g. before cancelling it")
    a.add_argument("list", metavar="LIST")
    a.add_argument("order", metavar="ORDER", help="order number")
    a.add_argument("--reason", required=True)
    a.set_defaults(func=cmd_remove)

    a = psub.add_parser("resolve", help="mark a short-pick exception dealt with (supervisor)")
    a.add_argument("id", metavar="ID", help="exception id (see picklist exceptions)")
    a.add_argument("--note", default="")
    a.set_defaults(func=cmd_resolve)

    a = psub.add_parser("exceptions", help="short picks for the supervisor")
    a.add_argument("--all", action="store_true", help="resolved ones too")
    a.set_defaults(func=cmd_exceptions)

    a = groups["print"].add_parser("picklist", help="a pick list as PDF")
    a.add_argument("list", metavar="LIST")
    a.add_argument("--out", required=True, metavar="FILE.pdf")
    a.add_argument("--page-size", default="letter", metavar="letter|a4")
    a.set_defaults(func=cmd_print)


def _int(value: str | None, what: str) -> int | None:
    """A positive whole number argument, in the digits 0-9, no bigger than a column holds."""
    if value is None:
        return None
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise CliError(f"{what} must be a whole number, not {value!r}")
    number = int(text)
    if number <= 0:
        raise CliError(f"{what} must be positive, not {number}")
    return check_int(number, what, minimum=1)


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CliError(f"ship-by must be a date like 2026-03-31, not {value!r}") from None


def _page_size(value: str) -> str:
    size = (value or "").strip().lower()
    if size not in ("letter", "a4"):
        raise CliError(f"page size must be letter or a4, not {value!r}")
    return size


def _out_path(value: str) -> Path:
    """Checked before anything is written, so a bad path changes nothing."""
    path = Path(value).expanduser()
    if path.is_dir():
        raise CliError(f"{str(path)!r} is a folder: give a file name")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise CliError(f"folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CliError(f"cannot write {str(path)!r}")
    return path


def _write(out: Path, data: bytes) -> None:
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CliError(f"cannot write {str(out)!r}: {exc.strerror or exc}") from None


def cmd_create(args: argparse.Namespace) -> int:
    """The wave and its PDF are one unit of work: a PDF that cannot be written leaves no wave."""
    out = _out_path(args.out)
    size = _page_size(args.page_size)
    max_orders = _int(args.max_orders, "--max-orders")
    ship_by = _date(args.ship_by)
    actor = actor_for(args)
    with db.write():
        ref = picking.create_picklist(
            actor=actor, client=args.client, carrier=args.carrier, service=args.service, ship_by=ship_by,
            max_orders=max_orders if max_orders else picking.DEFAULT_MAX_ORDERS,
            include_partial=args.partial, picker=args.picker,
        )
        _write(out, picking.render_pdf(ref.id, page_size=size))
    print(ref.number)
    return 0


def cmd_confirm(args: argparse.Namespace) -> int:
    r = picking.confirm_pick(args.list, bin_code=args.bin, scan_code=args.scan, qty=_int(args.qty, "--qty"),
                             tote=args.tote, actor=actor_for(args))
    print(f"picked {r.qty} {r.sku} from {r.bin_code} into tote {r.tote} ({', '.join(r.order_numbers)})")
    print(_next_text(r.next_stop, r.picklist_status, r.number))
    return 0


def _next_text(stop: picking.Stop | None, status: str, number: str) -> str:
    if stop is None:
        return f"{number} {status}: nothing left to pick"
    return f"next: {stop.bin_code} {stop.sku} x{stop.remaining} ({stop.remaining_text()})"


def cmd_short(args: argparse.Namespace) -> int:
    qty = _int(args.qty, "--qty")
    r = picking.short_pick(args.list, bin_code=args.bin, product=args.scan, qty_short=qty or 0,
                           reason=args.reason, actor=actor_for(args))
    print(r.message())
    print(_next_text(r.next_stop, r.picklist_status, r.number))
    return 0


def cmd_swap_lot(args: argparse.Namespace) -> int:
    r = picking.swap_lot_at(args.list, bin_code=args.bin, code=args.scan, new_lot=args.lot, tote=args.tote,
                            actor=actor_for(args))
    print(f"{r.picklist}: {r.message()}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    v = picking.picklist_view(args.list)
    print(f"{v.number}  {v.status}  {counted(len(v.orders), 'order')}  {counted(len(v.stops), 'stop')}  "
          f"{counted(v.units, 'unit')}"
          + (f"  picker {v.picker}" if v.picker else ""))
    print(f"{'#':>3} {'BIN':<12} {'SKU':<16} {'NAME':<28} {'QTY':>4} {'DONE':>4}  TOTES")
    for s in v.stops:
        mark = "ok" if s.done else ""
        print(f"{s.index:>3} {whole(s.bin_code, 12)} {whole(s.sku, 16)} {fit(s.name, 28)} {s.qty:>4} "
              f"{s.picked:>4}  {s.split_text()}{'  short ' + str(s.short) if s.short else ''}"
              f"{'  ' + s.lot_text() if s.lots else ''} {mark}".rstrip())
    for o in v.orders:
        print(f"tote {o.tote}: {o.order_number} ({o.client})")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    rows = picking.open_picklists(include_done=args.all)
    for r in rows:
        print(f"{r.number}\t{r.status}\t{counted(r.orders, 'order')}\t"
              f"{r.lines_open}/{counted(r.lines_total, 'line')} open"
              f"\t{clock.local_text(r.created_at)}\t{r.picker}")
    print(counted(len(rows), "pick list"))
    return 0


def cmd_cancel(args: argparse.Namespace) -> int:
    picking.cancel_picklist(args.list, actor=actor_for(args), reason=args.reason)
    print(f"{args.list.upper()} cancelled")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    units = picking.remove_order(args.list, args.order, actor=actor_for(args), reason=args.reason)
    print(f"order {args.order} taken off {args.list.upper()} ({counted(units, 'unit')} no longer to pick)")
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    picking.resolve_exception(_int(args.id, "exception id") or 0, actor=actor_for(args), note=args.note)
    print(f"exception {args.id} resolved")
    return 0


def cmd_exceptions(args: argparse.Namespace) -> int:
    rows = picking.exceptions_list(include_resolved=args.all)
    for e in rows:
        print(f"#{e.id}\t{clock.local_text(e.created_at)}\t{e.picklist}\t{e.client} {e.order_number}\t{e.sku}\t"
              f"{e.bin_code}\t{e.qty}\t{e.reason}\t{e.outcome}\t{e.user_name}"
              + ("\tresolved" if e.resolved else ""))
    print(counted(len(rows), "exception"))
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    out = _out_path(args.out)
    pdf = picking.render_pdf(args.list, page_size=_page_size(args.page_size))
    _write(out, pdf)
    print(f"pick list written to {out}")
    return 0
