"""Client and product commands: add, set, show and list clients; set and show a product."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app import catalog
from app.catalog import clients
from app.cli.common import actor_for, bad_input_is_usage
from app.kernel import units
from app.kernel.errors import NotFound, ValidationError

if TYPE_CHECKING:
    from app.cli.common import Subcommands

# client set's options -> the client's fields
CLIENT_OPTIONS = {
    "name": "name", "address1": "address1", "address2": "address2", "city": "city", "province": "province",
    "zip": "zip", "country": "country", "phone": "phone", "email": "email", "contact": "contact",
    "returns_note": "returns_note", "packing_instructions": "packing_instructions",
    "gs1_prefix": "gs1_company_prefix", "carrier": "default_carrier", "service": "default_service",
}
_YES_NO = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}


def _yes_no(text: str) -> bool:
    try:
        return _YES_NO[text.strip().lower()]
    except KeyError:
        raise argparse.ArgumentTypeError(f"must be yes or no, not {text!r}") from None


def register(sub: Subcommands, groups: dict[str, Subcommands]) -> None:
    p = sub.add_parser("client", help="clients (sellers whose goods we hold)")
    csub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = csub.add_parser("add", help="add a client")
    a.add_argument("code")
    a.add_argument("--name", required=True)
    a.set_defaults(func=cmd_client_add)
    a = csub.add_parser("set", help="create a client or change its account (supervisor)")
    a.add_argument("code")
    for option in CLIENT_OPTIONS:
        metavar = {"country": "CC", "gs1_prefix": "DIGITS", "carrier": "CARRIER", "service": "SERVICE"}
        a.add_argument("--" + option.replace("_", "-"), dest=option, metavar=metavar.get(option, "TEXT"))
    logo = a.add_mutually_exclusive_group()
    logo.add_argument("--logo", metavar="FILE", help="PNG or JPEG picture printed on packing slips (at most 2 MB)")
    logo.add_argument("--no-logo", action="store_true", help="remove the stored logo")
    a.add_argument("--active", type=_yes_no, metavar="yes|no")
    a.add_argument("--min-shelf-life-days", type=int, metavar="N")
    a.set_defaults(func=cmd_client_set)
    a = csub.add_parser("show", help="a client's account")
    a.add_argument("code")
    a.set_defaults(func=cmd_client_show)
    a = csub.add_parser("list", help="list active clients")
    a.add_argument("--all", action="store_true", help="inactive clients too")
    a.set_defaults(func=cmd_client_list)
    a = csub.add_parser("shelf-life", help="days of shelf life a client's dated goods need at receipt")
    a.add_argument("code")
    a.add_argument("days", type=int)
    a.set_defaults(func=cmd_client_shelf_life)

    p = sub.add_parser("product", help="edit or show one product")
    psub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = psub.add_parser("set", help="change a product (supervisor)")
    a.add_argument("client")
    a.add_argument("sku")
    a.add_argument("--name", metavar="TEXT")
    a.add_argument("--add-barcode", action="append", default=[], metavar="CODE",
                   help="link a barcode (repeatable); with --pack-qty N a case of N units")
    a.add_argument("--pack-qty", type=int, default=1, metavar="N", help="units in each --add-barcode's case")
    a.add_argument("--remove-barcode", action="append", default=[], metavar="CODE")
    a.add_argument("--weight", metavar="W", help="e.g. 1.2lb, 500g; a bare number in the warehouse's unit")
    a.add_argument("--dims", metavar="LxWxH", help="e.g. 30x20x10 or 12x8x4in; 0x0x0 clears")
    a.add_argument("--reorder-point", type=int, metavar="N")
    a.add_argument("--packing-instructions", metavar="TEXT")
    a.add_argument("--prep", metavar="LIST", help=f"prep services, comma-separated: {', '.join(catalog.PREP_SERVICES)} "
                   "('' for none)")
    a.add_argument("--unit-cost", metavar="AMOUNT", help="e.g. 3.50 ('' clears)")
    a.add_argument("--track-lot", type=_yes_no, metavar="yes|no")
    a.add_argument("--track-expiry", type=_yes_no, metavar="yes|no")
    a.add_argument("--active", type=_yes_no, metavar="yes|no")
    a.set_defaults(func=cmd_product_set)
    a = psub.add_parser("show", help="a product's details and barcodes")
    a.add_argument("client")
    a.add_argument("sku")
    a.set_defaults(func=cmd_product_show)




def cmd_client_add(args: argparse.Namespace) -> int:
    row = catalog.add_client(args.code, args.name, actor=actor_for(args))
    print(f"client {row.code} added")
    return 0


@bad_input_is_usage
def cmd_client_set(args: argparse.Namespace) -> int:
    fields: dict[str, Any] = {field: getattr(args, option) for option, field in CLIENT_OPTIONS.items()
                              if getattr(args, option) is not None}
    if args.logo is not None:
        fields["logo"] = clients.read_logo(args.logo)
    elif args.no_logo:
        fields["logo"] = None
    if args.active is not None:
        fields["active"] = args.active
    if args.min_shelf_life_days is not None:
        fields["min_shelf_life_days"] = args.min_shelf_life_days
    known = clients.client_exists(args.code)
    detail = clients.set_client(args.code, actor=actor_for(args), **fields)
    print(f"client {detail.code} {'saved' if known else 'added'}")
    return 0


def logo_text(detail: clients.ClientDetail) -> str:
    if detail.logo:
        kind = "PNG" if detail.logo.startswith(clients.PNG_MAGIC) else "JPEG"
        return f"{kind}, {len(detail.logo)} bytes"
    return f"file {detail.logo_path}" if detail.logo_path else "none"


def client_lines(d: clients.ClientDetail) -> list[str]:
    """A client's account as ``client show`` prints it: one ``label: value`` per line."""
    place = " ".join(x for x in (d.city, d.province, d.zip) if x)
    address = ", ".join(x for x in (d.address1, d.address2, place, d.country) if x)
    return [
        f"client: {d.code}",
        f"name: {d.name}",
        f"active: {'yes' if d.active else 'no'}",
        f"contact: {d.contact}",
        f"address: {address}",
        f"phone: {d.phone}",
        f"email: {d.email}",
        f"gs1 prefix: {d.gs1_company_prefix}",
        f"carrier: {' '.join(x for x in (d.default_carrier, d.default_service) if x)}",
        f"min shelf life: {d.min_shelf_life_days} days",
        f"logo: {logo_text(d)}",
        "returns note: " + d.returns_note.replace("\n", " / "),
        "packing instructions: " + d.packing_instructions.replace("\n", " / "),
    ]


@bad_input_is_usage
def cmd_client_show(args: argparse.Namespace) -> int:
    print("\n".join(client_lines(clients.client_detail(args.code))))
    return 0


def cmd_client_list(args: argparse.Namespace) -> int:
    for c in clients.list_clients(include_inactive=args.all):
        print(f"{c.code}\t{c.name}" + ("" if c.active else "\tinactive"))
    return 0


def cmd_client_shelf_life(args: argparse.Namespace) -> int:
    days = catalog.set_min_shelf_life(args.code, args.days, actor=actor_for(args))
    print(f"client {args.code.upper()}: units with fewer than {days} days left are refused or quarantined")
    return 0


def _product_id(client: str, sku: str) -> int:
    owner = catalog.client_by_code(client)
    product = catalog.find_product(owner.id, sku.strip())
    if product is None:
        raise NotFound(f"{owner.code} has no product {sku.strip()!r}")
    return int(product.id)


@bad_input_is_usage
def cmd_product_set(args: argparse.Namespace) -> int:
    fields: dict[str, Any] = {}
    for option, field in (("name", "name"), ("weight", "weight"), ("dims", "dimensions"),
                          ("reorder_point", "reorder_point"), ("packing_instructions", "packing_instructions"),
                          ("prep", "prep_services"), ("unit_cost", "unit_cost"), ("track_lot", "track_lot"),
                          ("track_expiry", "track_expiry"), ("active", "active")):
        value = getattr(args, option)
        if value is not None:
            fields[field] = value
    if args.add_barcode:
        fields["add_barcodes"] = [(code, args.pack_qty) for code in args.add_barcode]
    elif args.pack_qty != 1:
        raise ValidationError("--pack-qty goes with --add-barcode CODE")
    if args.remove_barcode:
        fields["remove_barcodes"] = args.remove_barcode
    product_id = _product_id(args.client, args.sku)
    detail = catalog.update_product(product_id, actor=actor_for(args), **fields)
    print(f"product {detail.client_code} {detail.sku} saved")
    return 0


def product_lines(d: catalog.ProductDetail) -> list[str]:
    """A product as ``product show`` prints it."""
    lines = [
        f"product: {d.client_code} {d.sku}",
        f"name: {d.name}",
        f"active: {'yes' if d.active else 'no'}",
        f"weight: {units.weight_text(d.weight_kg) if d.weight_kg else ''}",
        f"size: {units.dimensions_text(d.length_cm, d.width_cm, d.height_cm) if d.length_cm else ''}",
        f"reorder point: {d.reorder_point}",
        f"prep: {','.join(d.prep_services)}",
        f"unit cost: {'' if d.unit_cost is None else d.unit_cost}",
        f"lots: {'yes' if d.track_lot else 'no'}; expiry: {'yes' if d.track_expiry else 'no'}",
        "packing instructions: " + d.packing_instructions.replace("\n", " / "),
    ]
    lines += [f"barcode: {code} {kind} x{qty}" for code, kind, qty in d.barcodes]
    return lines


@bad_input_is_usage
def cmd_product_show(args: argparse.Namespace) -> int:
    print("\n".join(product_lines(catalog.product_detail(_product_id(args.client, args.sku)))))
    return 0
