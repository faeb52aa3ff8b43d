"""Packing commands: verify units into packages, ship, box types, settings, slips and labels."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from app import billing, counting, packing, returns, shipping
from app.cli.common import EXIT_USAGE, CliError, actor_for, bad_input_is_usage
from app.devices import printing
from app.devices.label_options import LABEL_DPIS
from app.kernel import units
from app.kernel.actor import Actor
from app.kernel.barcodes import clean_scan
from app.kernel.errors import NotFound, ValidationError
from app.kernel.text import agreeing, counted
from app.packing import papers
from app.shipping import manifest
from app.store import locale, settings

if TYPE_CHECKING:
    from app.cli.common import Subcommands


def register(sub: Subcommands, groups: dict[str, Subcommands]) -> None:
    p = sub.add_parser("pack", help="verify scanned units into the order's open package; close it")
    p.add_argument("order", help="order number")
    p.add_argument("--client", help="client code, where order numbers repeat between clients")
    p.add_argument("--scan", nargs="+", action="extend", default=[], metavar="CODE",
                   help="unit barcodes or SKUs, one per unit (a case-pack code counts its pack size)")
    p.add_argument("--box", help="box type of the package")
    p.add_argument("--weight", metavar="WEIGHT",
                   help="weighed package weight: a number in the warehouse's unit (kg or lb), or 40oz, 1.2kg...")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--close", action="store_true",
                      help="close the LAST package: refused while picked units are unverified")
    what.add_argument("--next-box", action="store_true",
                      help="close this package and continue in the next one")
    p.add_argument("--override", metavar="REASON",
                   help="supervisor override: close the last package with unverified units")
    p.set_defaults(func=cmd_pack)

    p = sub.add_parser("ship", help="hand the order's closed packages to the carrier")
    p.add_argument("order")
    p.add_argument("--client")
    p.add_argument("--tracking", required=True, help="the carrier's tracking number")
    p.add_argument("--carrier", default="")
    p.add_argument("--service", default="")
    p.add_argument("--cost", type=_cost, metavar="AMOUNT",
                   help="shipping cost of each package shipped (e.g. 6.50; kept to the cent, half up)")
    p.add_argument("--package", type=int, metavar="N", help="ship only package N")
    p.set_defaults(func=cmd_ship)

    p = sub.add_parser("box", help="box types offered at the packing station")
    bsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = bsub.add_parser("add", help="add a box type (inner dimensions in cm)")
    a.add_argument("name")
    a.add_argument("--dims", required=True, metavar="LxWxH",
                   help="inner dimensions in the warehouse's unit (cm or in), e.g. 30x20x15 or 12x8x6 in")
    a.add_argument("--weight", default="0", metavar="WEIGHT", help="the empty box's weight (e.g. 0.3, 10 oz)")
    a.add_argument("--max-weight", default="0", metavar="WEIGHT", help="maximum load (0: none)")
    a.set_defaults(func=cmd_box_add)
    a = bsub.add_parser("list", help="box types, smallest first")
    a.add_argument("--all", action="store_true", help="include retired box types")
    a.set_defaults(func=cmd_box_list)
    a = bsub.add_parser("remove", help="retire a box type")
    a.add_argument("name")
    a.set_defaults(func=cmd_box_remove)
    a = bsub.add_parser("suggest", help="the box suggested for what an order still has to box")
    a.add_argument("order")
    a.add_argument("--client")
    a.set_defaults(func=cmd_box_suggest)

    p = sub.add_parser("package", help="an order's packages")
    ksub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = ksub.add_parser("void", help="void a package before it ships (its units go back to unverified)")
    a.add_argument("order")
    a.add_argument("--client")
    a.add_argument("--package", type=int, required=True, metavar="N")
    a.add_argument("--reason", default="")
    a.set_defaults(func=cmd_package_void)
    a = ksub.add_parser("list", help="an order's lines and packages")
    a.add_argument("order")
    a.add_argument("--client")
    a.set_defaults(func=cmd_package_list)

    p = sub.add_parser("setting", help="warehouse-wide settings (e.g. gs1_company_prefix)")
    ssub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = ssub.add_parser("set", help="set a setting (known keys are checked: a bad value is refused, exit 2)")
    a.add_argument("key")
    a.add_argument("value")
    a.set_defaults(func=cmd_setting_set)
    a = ssub.add_parser("get", help="show a setting")
    a.add_argument("key")
    a.set_defaults(func=cmd_setting_get)

    p = sub.add_parser("misscans", help="packing scans by result: ok, wrong item, over-scan, unknown, typed")
    p.add_argument("--by", choices=("client", "user", "day"), default="client")
    p.add_argument("--client")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="exclusive")
    p.set_defaults(func=bad_input_is_usage(cmd_misscans))

    prt = groups["print"]
    p = prt.add_parser("slip", help="an order's packing slip as PDF")
    p.add_argument("order")
    p.add_argument("--client")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.set_defaults(func=cmd_print_slip)
    p = prt.add_parser("carton-label", help="a package's 4x6 carton label (GS1-128 SSCC) as PDF or ZPL")
    p.add_argument("order")
    p.add_argument("--client")
    p.add_argument("--package", type=int, metavar="N", help="package N (default: the last one)")
    p.add_argument("--format", choices=("pdf", "zpl"),
                   help="pdf (default with --out) or zpl (default with --printer)")
    p.add_argument("--dpi", type=int, choices=LABEL_DPIS, default=203, help="the ZPL printer's density")
    dest = p.add_mutually_exclusive_group(required=True)
    dest.add_argument("--out", metavar="FILE")
    dest.add_argument("--printer", metavar="TARGET",
                      help="zpl://host:9100 or cups://queue (ZPL; --format pdf for a PDF-only printer)")
    p.set_defaults(func=cmd_print_label)
    p = prt.add_parser("manifest", help="a package's contents as PDF")
    p.add_argument("order")
    p.add_argument("--client")
    p.add_argument("--package", type=int, required=True, metavar="N")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.set_defaults(func=cmd_print_manifest)


def _cost(text: str) -> Decimal | None:
    """A --cost amount (argparse makes a refusal one line and exit 2)."""
    try:
        return shipping.parse_cost(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _order(args: argparse.Namespace) -> int:
    return packing.find_order(args.order, client=args.client)


def _write(path: str, data: bytes) -> None:
    target = Path(path)
    if not target.parent.is_dir():
        raise CliError(f"folder {str(target.parent)!r} does not exist")
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None


def _summary(order_id: int) -> str:
    view = packing.packing_view(order_id)
    open_pkg = view.open_package
    where = f"; package {open_pkg.seq} open with {counted(open_pkg.units, 'unit')}" if open_pkg else ""
    return f"order {view.number}: {view.verified} of {counted(view.picked, 'picked unit')} verified{where}"


def cmd_pack(args: argparse.Namespace) -> int:
    if args.override is not None and args.next_box:
        raise CliError("--override closes the LAST package: use it with --close, not --next-box")
    close = "last" if args.close or args.override is not None else "next" if args.next_box else None
    if (args.weight or "").strip() and close is None:  # a box is weighed as it is closed
        print("error: --weight is the weight of the box being closed: add --close (the last box) or "
              "--next-box", file=sys.stderr)
        return EXIT_USAGE
    actor = actor_for(args)
    order_id = _order(args)
    try:
        # Scans typed or pasted on a command line are cleaned as the station's scan field cleans them.
        result = packing.pack(order_id, scans=[clean_scan(s) for s in args.scan], box=args.box,
                              weight_kg=packing.parse_weight(args.weight or ""), close=close,
                              override_reason=args.override, actor=actor)
    except packing.AlreadyShipped as exc:
        raise exc.with_hint(f"'print slip {exc.number} --out FILE.pdf' and 'print carton-label {exc.number} "
                            "--out FILE' print its papers again") from None
    if result.refused:
        for out in result.outcomes:
            if out.accepted:
                print(f"not counted  {out.message}")
            else:
                print(f"REFUSED      {out.result}: {out.message}", file=sys.stderr)
        print(_summary(order_id))
        print(f"error: {counted(len(result.refused), 'scan')} refused: nothing of this command was counted or "
              "closed; take the refused items out and scan the units again", file=sys.stderr)
        return 1
    for out in result.outcomes:
        print(f"ok           {out.message}")
    if result.closed is not None:
        pkg = result.closed.package
        print(f"package {pkg.seq} closed: {counted(pkg.units, 'unit')}, {pkg.box or 'no box type'}, "
              f"{units.weight_text(pkg.weight_kg)}, SSCC {pkg.sscc}" + (" (supervisor override)" if result.closed.override else ""))
        print("packing complete: ready to ship" if result.closed.packing_complete
              else f"{counted(result.closed.unverified, 'picked unit')} still to verify")
        return 0
    print(_summary(order_id))
    return 0


def cmd_ship(args: argparse.Namespace) -> int:
    # The carrier label's scan is cleaned as the station's tracking field cleans it.
    result = shipping.ship_order(_order(args), tracking=clean_scan(args.tracking), carrier=args.carrier,
                                 service=args.service, cost=args.cost, package_seq=args.package,
                                 actor=actor_for(args))
    print(f"order {result.number} shipped: {counted(result.units, 'unit')} in {agreeing(len(result.packages), 'package', 'packages')} "
          f"{', '.join(str(s) for s in result.packages)}; status {result.order_status}"
          + (f"; {counted(result.released, 'reserved unit')} released" if result.released else ""))
    return 0


def cmd_box_add(args: argparse.Namespace) -> int:
    length, width, height = packing.parse_dims(args.dims)
    row = packing.add_box_type(args.name, length_cm=length, width_cm=width, height_cm=height,
                               weight_kg=_weight(args.weight, "box weight"),
                               max_weight_kg=_weight(args.max_weight, "box maximum weight"), actor=actor_for(args))
    print(f"box type {row.name} added: {row.dims_text}, {_box_weight(row.weight_kg)}"
          + (f", up to {_box_weight(row.max_weight_kg)}" if row.max_weight_kg else ""))
    return 0


def _weight(text: str, what: str) -> float:
    """A weight flag in kg (a bare number in the warehouse's unit; ``10 oz``, ``0.3 kg``...)."""
    try:
        return float(units.parse_weight(text))
    except ValueError as exc:
        raise CliError(f"{what}: {exc}") from None


def _box_weight(kg: float) -> str:
    return f"{kg:g} kg" if units.system() == "metric" else units.weight_text(kg)


def cmd_box_list(args: argparse.Namespace) -> int:
    rows = packing.list_box_types(include_inactive=args.all)
    for r in rows:
        print(f"{r.name}\t{r.dims_text}\t{_box_weight(r.weight_kg)}\tmax {_box_weight(r.max_weight_kg)}"
              + ("" if r.active else "\tretired"))
    print(counted(len(rows), "box type"))
    return 0


def cmd_box_remove(args: argparse.Namespace) -> int:
    row = packing.deactivate_box_type(args.name, actor=actor_for(args))
    print(f"box type {row.name} retired")
    return 0


def cmd_box_suggest(args: argparse.Namespace) -> int:
    s = packing.suggest_box(_order(args))
    print(s.message)
    return 0 if s.box else 1


def cmd_package_void(args: argparse.Namespace) -> int:
    order_id = _order(args)
    view = packing.void_package(order_id, seq=args.package, reason=args.reason, actor=actor_for(args))
    print(f"package {view.seq} void; {_summary(order_id)}")
    return 0


def cmd_package_list(args: argparse.Namespace) -> int:
    view = packing.packing_view(_order(args))
    print(f"order {view.number} ({view.client_code}), status {view.status}")
    for ln in view.lines:
        print(f"  {ln.sku:<18} ordered {ln.ordered:>4} picked {ln.picked:>4} verified {ln.verified:>4} "
              f"packed {ln.packed:>4} shipped {ln.shipped:>4}")
    for p in view.packages:
        print(f"  package {p.seq}: {p.status}, {counted(p.units, 'unit')}, box {p.box or '-'}, "
              f"weight {'-' if p.weight_kg is None else units.weight_text(p.weight_kg)}, SSCC {p.sscc}"
              + (f", tracking {p.tracking}" if p.tracking else ""))
    return 0


# The areas' checks of the warehouse settings they own, so the generic ``setting set`` refuses
# what the area's own command would (the time zone, units and cut-off are checked by the store).
SETTING_VALIDATORS: dict[str, settings.Validator] = {
    **packing.SETTING_VALIDATORS,
    **billing.BILLING_SETTINGS,
    returns.EXCHANGE_RELEASE_KEY: returns.check_exchange_release,
    counting.APPROVE_UNITS_KEY: counting.valid_approve_units,
}


def set_any_setting(key: str, value: str, *, actor: Actor) -> str:
    """Set a warehouse setting through the check of the area that owns it; the value stored."""
    key = key.strip()
    if key == counting.APPROVE_VALUE_KEY:
        amount = counting.set_approve_value(value, actor=actor)
        return "" if amount is None else str(amount)
    return settings.set_setting(key, value, actor=actor, validate=SETTING_VALIDATORS.get(key))


def cmd_setting_set(args: argparse.Namespace) -> int:
    try:
        value = set_any_setting(args.key, args.value, actor=actor_for(args))
    except (ValidationError, NotFound) as exc:  # a bad key or value: usage, nothing stored
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{args.key.strip()} = {value}")
    return 0


def cmd_setting_get(args: argparse.Namespace) -> int:
    value = packing.get_setting(args.key.strip())
    if value is None:
        if args.key.strip() == packing.GS1_PREFIX_KEY:
            print(f"{packing.GS1_PREFIX_KEY} is not set: labels use the placeholder "
                  f"{packing.DEFAULT_GS1_PREFIX}")
            return 0
        default = locale.default_text(args.key.strip())
        if default is not None:  # the value in force while it is not set
            print(f"{default} (not set: the default)")
            return 0
        raise CliError(f"setting {args.key!r} is not set")
    print(value)
    return 0


def cmd_misscans(args: argparse.Namespace) -> int:
    try:
        date_from = dt.date.fromisoformat(args.date_from) if args.date_from else None
        date_to = dt.date.fromisoformat(args.date_to) if args.date_to else None
    except ValueError:
        raise CliError("dates must look like 2026-03-02") from None
    rows = packing.mis_scan_counts(date_from=date_from, date_to=date_to, client=args.client, group=args.by)
    print(f"{args.by.upper():<20} {'SCANS':>7} {'OK':>7} {'WRONG':>7} {'OVER':>7} {'UNKNOWN':>7} {'TYPED':>7}")
    for r in rows:
        print(f"{r.key:<20} {r.scans:>7} {r.ok:>7} {r.wrong_item:>7} {r.over_scan:>7} {r.unknown:>7} "
              f"{r.keyed:>7}")
    return 0


def cmd_print_slip(args: argparse.Namespace) -> int:
    _write(args.out, papers.render_slip(_order(args)))
    print(f"packing slip written to {args.out}")
    return 0


def cmd_print_label(args: argparse.Namespace) -> int:
    order_id = _order(args)
    if args.printer:
        fmt = args.format or "zpl"
        printing.send_labels(args.printer, papers.render_carton_label(order_id, seq=args.package, fmt=fmt,
                                                                       dpi=args.dpi), fmt)
        print(f"carton label sent to {args.printer}")
        return 0
    fmt = args.format or "pdf"
    _write(args.out, papers.render_carton_label(order_id, seq=args.package, fmt=fmt, dpi=args.dpi))
    print(f"carton label ({fmt}) written to {args.out}")
    return 0


def cmd_print_manifest(args: argparse.Namespace) -> int:
    _write(args.out, manifest.render_manifest(_order(args), seq=args.package))
    print(f"package manifest written to {args.out}")
    return 0
