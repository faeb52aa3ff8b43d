"""Receiving commands: import asn, receive, putaway, receipt close/report/show/undo, print labels."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app import catalog, receiving
from app.cli.common import EXIT_USAGE, CliError, actor_for, fit, whole
from app.devices import printing
from app.devices.label_options import LABEL_DPIS
from app.documents import labels
from app.documents.receiving_report import render_receiving_report
from app.kernel.errors import LotRequired
from app.kernel.text import counted

if TYPE_CHECKING:
    from app.cli.common import Subcommands


def register(sub: Subcommands, groups: dict[str, Subcommands]) -> None:
    p = groups["import"].add_parser("asn", help="an inbound shipment's expected lines from CSV (sku,qty[,barcode,name])")
    p.add_argument("file")
    p.add_argument("--client", required=True)
    p.add_argument("--ref", required=True, help="the shipment reference (ASN / PO number)")
    p.add_argument("--expected", metavar="YYYY-MM-DD", help="expected arrival (the back-order ETA)")
    p.add_argument("--carrier", default="")
    p.add_argument("--tracking", default="")
    p.set_defaults(func=cmd_import_asn)

    p = sub.add_parser("receive", help="one scan at the receiving desk into an open shipment")
    p.add_argument("ref", help="shipment reference")
    p.add_argument("--scan", required=True, metavar="CODE", help="a product barcode, case code or SKU")
    p.add_argument("--qty", metavar="N", help="how many of what was scanned (default 1)")
    p.add_argument("--damaged", action="store_true", help="received to QUARANTINE")
    p.add_argument("--lot", help="the lot, when the scan did not carry it (GS1 AI 10)")
    p.add_argument("--expiry", metavar="YYYY-MM-DD", help="the expiry date, when the scan did not carry it")
    p.add_argument("--quarantine-short", action="store_true",
                   help="send units with too little shelf life left to QUARANTINE instead of refusing them")
    p.add_argument("--client", help="needed only if several clients use the reference")
    p.set_defaults(func=cmd_receive)

    p = sub.add_parser("putaway", help="move a product from RECEIVING to a bin")
    p.add_argument("--scan", required=True, metavar="CODE", help="a product barcode or SKU")
    p.add_argument("--bin", required=True)
    p.add_argument("--qty", metavar="N", help="units (default: all waiting in RECEIVING)")
    p.add_argument("--client")
    p.add_argument("--ref", help="the shipment the units came in with (recorded on the move)")
    p.set_defaults(func=cmd_putaway)

    p = sub.add_parser("receipt", help="inbound shipments: show, close (with report), undo a scan")
    rsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = rsub.add_parser("show", help="lines: expected / received / damaged / remaining")
    a.add_argument("ref")
    a.add_argument("--client")
    a.set_defaults(func=cmd_receipt_show)
    a = rsub.add_parser("close", help="freeze the shipment; optionally write the receiving report")
    a.add_argument("ref")
    a.add_argument("--client")
    a.add_argument("--report", metavar="FILE.pdf")
    a.set_defaults(func=cmd_receipt_close)
    a = rsub.add_parser("report", help="write the receiving report PDF (again) of a shipment")
    a.add_argument("ref")
    a.add_argument("--client")
    a.add_argument("--out", required=True, metavar="FILE.pdf")
    a.set_defaults(func=cmd_receipt_report)
    a = rsub.add_parser("undo", help="undo the last scan made with this --station (another desk's scans stay)")
    a.add_argument("ref")
    a.add_argument("--client")
    a.set_defaults(func=cmd_receipt_undo)
    a = rsub.add_parser("list", help="open shipments")
    a.add_argument("--client")
    a.add_argument("--all", action="store_true", help="closed and cancelled too")
    a.set_defaults(func=cmd_receipt_list)

    p = groups["print"].add_parser("labels", help="unit labels for a product (FNSKU, else SKU)")
    p.add_argument("sku")
    p.add_argument("--count", default="1", metavar="N")
    p.add_argument("--format", default="sheet", metavar="sheet|thermal|zpl")
    p.add_argument("--out", metavar="FILE")
    p.add_argument("--printer", metavar="TARGET", help="send to zpl://host:port or cups://queue instead")
    p.add_argument("--dpi", type=int, choices=LABEL_DPIS, default=203, help="the ZPL printer's density")
    p.add_argument("--client")
    p.add_argument("--lot", default="", help="units of this lot: its expiry date is printed (a product that keeps lots needs it)")
    p.add_argument("--with-lot", action="store_true", help="print the lot beside the expiry")
    p.set_defaults(func=cmd_print_labels)

    p = groups["print"].add_parser("shipment-labels",
                                   help="a unit label for every good unit received on a shipment")
    p.add_argument("ref", help="shipment reference")
    p.add_argument("--client")
    p.add_argument("--format", default="thermal", metavar="sheet|thermal|zpl")
    p.add_argument("--out", metavar="FILE")
    p.add_argument("--printer", metavar="TARGET", help="send to zpl://host:port or cups://queue instead")
    p.add_argument("--dpi", type=int, choices=LABEL_DPIS, default=203, help="the ZPL printer's density")
    p.add_argument("--with-lot", action="store_true", help="print each unit's lot beside its expiry")
    p.set_defaults(func=cmd_print_shipment_labels)

    p = groups["print"].add_parser("bin-labels", help="labels for the bins from FROM to TO")
    p.add_argument("first", metavar="FROM")
    p.add_argument("last", metavar="TO")
    p.add_argument("--format", default="sheet", metavar="sheet|thermal|zpl")
    p.add_argument("--out", metavar="FILE")
    p.add_argument("--printer", metavar="TARGET")
    p.add_argument("--dpi", type=int, choices=LABEL_DPIS, default=203, help="the ZPL printer's density")
    p.set_defaults(func=cmd_print_bin_labels)


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CliError(f"date {text!r} is not YYYY-MM-DD") from None


def _qty(text: str | None, what: str = "--qty") -> int | None:
    if text is None:
        return None
    digits = text.strip()
    # int() would also take "1_000", "+5" or non-ASCII digits: a count is plain digits.
    if digits.startswith("-") and digits[1:].isascii() and digits[1:].isdigit():
        raise CliError(f"{what} must be at least 1, not {digits}")
    if not (digits.isascii() and digits.isdigit()):
        raise CliError(f"{what} {text!r} is not a whole number")
    value = int(digits)
    if value < 1:
        raise CliError(f"{what} must be at least 1, not {value}")
    if len(digits) > 9:
        raise CliError(f"{what} {digits} is too large: check the number")
    return value


def _client_id(code: str | None) -> int | None:
    return catalog.client_by_code(code).id if code else None


def cmd_import_asn(args: argparse.Namespace) -> int:
    expected = _date(args.expected)
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"no such file: {args.file}")
    res = receiving.import_asn(path, client_code=args.client, ref=args.ref, actor=actor_for(args),
                               expected_date=expected, carrier=args.carrier, tracking=args.tracking)
    print(f"shipment {res.shipment.ref} for {res.shipment.client_code}: {counted(res.lines, 'line')}, "
          f"{counted(res.units, 'unit')} expected"
          + (f" on {expected.isoformat()}" if expected else "")
          + (f"; {counted(res.products_created, 'product')} created" if res.products_created else ""))
    return 0


def cmd_receive(args: argparse.Namespace) -> int:
    qty = _qty(args.qty)
    ship = receiving.find_shipment(args.ref, client_code=args.client)
    expiry = _date(args.expiry)
    r = receiving.receive_scan(ship.id, args.scan, actor=actor_for(args), qty=qty, damaged=args.damaged,
                               lot=args.lot, expiry=expiry,
                               short_shelf_life="quarantine" if args.quarantine_short else "refuse")
    print(f"{r.ref}: {r.message} remaining {r.line.remaining}")
    if r.warning:
        print(f"warning: {r.warning}")
    return 0


def cmd_putaway(args: argparse.Namespace) -> int:
    qty = _qty(args.qty)
    ship = receiving.find_shipment(args.ref, client_code=args.client) if args.ref else None
    r = receiving.putaway(args.scan, args.bin, actor=actor_for(args), qty=qty,
                          client_id=_client_id(args.client) or (ship.client_id if ship else None),
                          shipment_id=ship.id if ship else None)
    print(f"put away {r.message}")
    if r.suggested_bin and r.suggested_bin != r.bin_code:
        print(f"note: suggested bin was {r.suggested_bin}")
    return 0


def _print_detail(d: receiving.ShipmentDetail) -> None:
    eta = d.expected_date.isoformat() if d.expected_date else "-"
    print(f"{d.ref}  client {d.client_code}  status {d.status}  expected {eta}")
    print(f"{'SKU':<20} {'EXPECTED':>8} {'RECEIVED':>8} {'DAMAGED':>8} {'REMAIN':>7}  {'NOTE':<6} PRODUCT")
    for ln in d.lines:
        note = "extra" if ln.is_extra else ("over" if ln.over else "")
        held = f"  (held for expiry: {ln.expiry_note})" if ln.expiry_note else ""
        print(f"{whole(ln.sku, 20)} {ln.expected:>8} {ln.received:>8} {ln.damaged_only:>8} {ln.remaining:>7}  "
              f"{note:<6} {fit(ln.name, 40).rstrip()}{held}".rstrip())
    print(f"{'TOTAL':<20} {d.total_expected:>8} {d.total_received:>8} "
          f"{d.total_damaged_only:>8} {d.total_remaining:>7}")


def cmd_receipt_show(args: argparse.Namespace) -> int:
    ship = receiving.find_shipment(args.ref, client_code=args.client)
    _print_detail(receiving.shipment_detail(ship.id))
    return 0


def _writable(path: str) -> Path:
    """An output file we can write, checked before anything is changed."""
    out = Path(path).expanduser()
    if out.is_dir():
        raise CliError(f"{str(out)!r} is a folder: give a file name")
    if not out.parent.resolve().is_dir():
        raise CliError(f"folder {str(out.parent)!r} does not exist")
    if not os.access(out.parent.resolve(), os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise CliError(f"cannot write {str(out)!r}: permission denied")
    return out


def _write(out: Path, data: bytes) -> None:
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CliError(f"cannot write {str(out)!r}: {exc.strerror or exc}") from None


def cmd_receipt_close(args: argparse.Namespace) -> int:
    out = _writable(args.report) if args.report else None
    ship = receiving.find_shipment(args.ref, client_code=args.client)
    res = receiving.close_shipment(ship.id, actor=actor_for(args))
    print(res.message)
    if out is not None:
        try:
            _write(out, _report_pdf(ship.id))
        except CliError as exc:
            raise CliError(f"{exc} (the shipment is closed: write the report with "
                           f"'receipt report {res.ref} --out FILE')") from None
        print(f"receiving report written to {out}")
    return 0


def _report_pdf(shipment_id: int) -> bytes:
    return render_receiving_report(receiving.shipment_detail(shipment_id))


def cmd_receipt_report(args: argparse.Namespace) -> int:
    out = _writable(args.out)
    ship = receiving.find_shipment(args.ref, client_code=args.client)
    _write(out, _report_pdf(ship.id))
    print(f"receiving report of {ship.ref} ({ship.status}) written to {out}")
    return 0


def cmd_receipt_undo(args: argparse.Namespace) -> int:
    ship = receiving.find_shipment(args.ref, client_code=args.client)
    u = receiving.undo_receipt(ship.id, actor=actor_for(args))
    print(f"{ship.ref}: {u.message}")
    return 0


def cmd_receipt_list(args: argparse.Namespace) -> int:
    rows = receiving.list_shipments(client_code=args.client, active_only=not args.all)
    for s in rows:
        eta = s.expected_date.isoformat() if s.expected_date else "-"
        print(f"{s.ref}\t{s.client_code}\t{s.status}\t{eta}\t{s.arrived}/{s.expected}")
    return 0


def _output(args: argparse.Namespace, data: bytes, what: str) -> None:
    if args.printer:
        if args.format == "zpl":
            printing.send_zpl(args.printer, data)
        else:
            printing.send_pdf(args.printer, data)
        print(f"{what} sent to {args.printer}")
        return
    out = _writable(args.out)
    _write(out, data)
    print(f"{what} written to {out}")


def _check_format(args: argparse.Namespace) -> None:
    if args.format not in labels.FORMATS:
        raise CliError(f"--format {args.format!r}: use one of {', '.join(labels.FORMATS)}")
    if not args.out and not args.printer:
        raise CliError("say where the labels go: --out FILE or --printer TARGET")
    if args.out:
        _writable(args.out)


def cmd_print_labels(args: argparse.Namespace) -> int:
    count = _qty(args.count, "--count")
    _check_format(args)
    try:
        labs = receiving.unit_labels(args.sku, count or 1, client_code=args.client, lot=args.lot,
                                     with_lot=args.with_lot)
    except LotRequired as exc:  # an argument left out: a usage error
        print(f"error: {exc}: give --lot LOT", file=sys.stderr)
        return EXIT_USAGE
    _output(args, labels.render(labs, args.format, dpi=args.dpi), f"{counted(len(labs), 'label')} for {labs[0].code}")
    return 0


def cmd_print_bin_labels(args: argparse.Namespace) -> int:
    _check_format(args)
    labs = receiving.bin_labels(args.first, args.last)
    _output(args, labels.render(labs, args.format, dpi=args.dpi), counted(len(labs), "bin label"))
    return 0


def cmd_print_shipment_labels(args: argparse.Namespace) -> int:
    _check_format(args)
    ship = receiving.find_shipment(args.ref, client_code=args.client)
    labs = receiving.shipment_labels(ship.id, with_lot=args.with_lot)
    kinds = len({lab.code for lab in labs})
    _output(args, labels.render(labs, args.format, dpi=args.dpi),
            f"{counted(len(labs), 'label')} of {counted(kinds, 'product')} for shipment {ship.ref}")
    return 0
