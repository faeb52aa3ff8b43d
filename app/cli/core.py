"""Foundation commands: init, check, locations, product import, stock, users, backup, migrate-db."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app import catalog, demo, inventory, ledger, reports
from app.catalog import users
from app.cli.common import SETUP_NAME, CliError, actor_for, day, fit, whole
from app.kernel.actor import ROLES
from app.kernel.csvsafe import safe_writer
from app.kernel.errors import DatabaseUnavailable
from app.kernel.text import counted
from app.ledger import locations
from app.store import backup, db, migrations
from app.store.copy import copy_warehouse

if TYPE_CHECKING:
    from app.cli.common import Subcommands


def register(sub: Subcommands, groups: dict[str, Subcommands]) -> None:
    p = sub.add_parser("init", help="create or upgrade the schema; --demo adds demo data")
    p.add_argument("--demo", action="store_true", help="add demo clients, products, bins, stock, users")
    p.set_defaults(func=cmd_init, creates_db=True)

    p = sub.add_parser("check", help="verify the stock ledger invariants (exit 1 on any breach)")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--full", action="store_true", help="every move and balance (the default)")
    how.add_argument("--incremental", action="store_true",
                     help="only the moves since the last clean check and the balances they touched")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("location", help="bins and staging areas")
    lsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = lsub.add_parser("add", help="add a bin")
    a.add_argument("code")
    a.add_argument("--zone", default="")
    a.add_argument("--seq", type=int, help="place on the walk path (pick sequence)")
    a.add_argument("--staging", action="store_true", help="a staging area, not a bin")
    a.set_defaults(func=cmd_location_add)
    a = lsub.add_parser("list", help="list locations in walk order")
    a.set_defaults(func=cmd_location_list)
    for action, words in (("close", "close an empty bin: nothing is put away, moved, allocated or counted there"),
                          ("open", "open a closed bin again")):
        a = lsub.add_parser(action, help=words)
        a.add_argument("code")
        a.set_defaults(func=cmd_location_open, opening=action == "open")

    p = sub.add_parser("user", help="users and their roles")
    usub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = usub.add_parser("add", help="add a user")
    a.add_argument("name")
    a.add_argument("--role", required=True, choices=ROLES)
    a.add_argument("--pin", required=True)
    a.add_argument("--badge")
    a.set_defaults(func=cmd_user_add)
    a = usub.add_parser("list", help="list users")
    a.set_defaults(func=cmd_user_list)
    a = usub.add_parser("set", help="change a user's role or badge, or whether they may log in")
    a.add_argument("name")
    a.add_argument("--role", choices=ROLES)
    a.add_argument("--badge", help="the new badge's code ('' takes the badge away)")
    a.add_argument("--active", choices=("yes", "no"), help="no: the user may no longer log in")
    a.set_defaults(func=cmd_user_set)
    a = usub.add_parser("pin", help="a new PIN for a user (a forgotten one); lifts a lock-out")
    a.add_argument("name")
    a.add_argument("--new-pin", required=True, metavar="PIN", help="4 to 12 digits")
    a.set_defaults(func=cmd_user_pin)

    p = groups["import"].add_parser("products", help="products and barcodes from CSV")
    p.add_argument("file")
    p.add_argument("--client", required=True)
    p.set_defaults(func=cmd_import_products)
    p = groups["import"].add_parser("locations", help="bins from CSV (code,zone,seq)")
    p.add_argument("file")
    p.set_defaults(func=cmd_import_locations)

    p = sub.add_parser("stock", help="on hand / reserved / available per product")
    p.add_argument("--client")
    p.add_argument("--search")
    p.add_argument("--csv", action="store_true", help="CSV on stdout")
    p.add_argument("--expiring-within", metavar="N",
                   help="instead: units expiring within N days (expired included), per client and bin")
    p.set_defaults(func=cmd_stock)

    p = sub.add_parser("adjust", help="correct a balance after a count (supervisor)")
    p.add_argument("sku", help="SKU, or a unit's GS1 scan (its lot is taken)")
    p.add_argument("--bin", required=True)
    p.add_argument("--qty", required=True, type=int, help="+N or -N")
    p.add_argument("--reason", required=True, choices=inventory.ADJUST_REASONS)
    p.add_argument("--client")
    p.add_argument("--note", default="")
    p.add_argument("--lot", help="the lot (products with lots; may be left out when the bin holds one)")
    p.add_argument("--expiry", type=day, metavar="YYYY-MM-DD",
                   help="the lot's expiry date, when the scan did not carry it (needed for units of a new lot)")
    p.set_defaults(func=cmd_adjust)

    p = sub.add_parser("transfer", help="move free stock between bins")
    p.add_argument("sku", help="SKU, or a unit's GS1 scan (its lot is taken)")
    p.add_argument("--from", dest="src", required=True)
    p.add_argument("--to", dest="dst", required=True)
    p.add_argument("--qty", required=True, type=int)
    p.add_argument("--client")
    p.add_argument("--lot", help="the lot to move (products with lots; may be left out when the bin holds one)")
    p.set_defaults(func=cmd_transfer)

    p = sub.add_parser("backup", help="copy the database to a file, consistently (pg_dump on PostgreSQL)")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--out", help="the file to write")
    how.add_argument("--auto", action="store_true",
                     help="today's copy in the backup folder unless taken already; old ones removed (for cron)")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="replace the SQLite database by a backup (checked first)")
    p.add_argument("file")
    p.set_defaults(func=cmd_restore, needs_db=False)

    p = sub.add_parser("migrate-db", help="copy a single-station SQLite warehouse into an empty "
                       "PostgreSQL database (ids kept; the ledger checked before it is kept)")
    p.add_argument("--from", dest="source", required=True, metavar="URL", help="sqlite:///FILE")
    p.add_argument("--to", dest="target", required=True, metavar="URL", help="postgresql://USER@HOST/DB (empty)")
    p.set_defaults(func=cmd_migrate_db, needs_db=False)


def cmd_init(args: argparse.Namespace) -> int:
    print(f"schema version {migrations.current_version()} at {db.describe(args.db or db.default_url())}")
    if args.demo:
        summary = demo.create_demo(actor=actor_for(args))
        print(summary.text())
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    damage = db.integrity_problems()
    for problem in damage:
        print(f"DAMAGE: {problem}")
    if damage:
        print(f"database file is damaged: {counted(len(damage), 'problem')} found by SQLite's quick_check",
              file=sys.stderr)
        return 1
    report = ledger.check(incremental=args.incremental)
    if report.ok:
        since = "" if report.full else f" ({report.new_moves} new moves checked)"
        print(f"ledger ok: {report.moves} moves, {report.balances} balances{since}")
        return 0
    for problem in report.problems:
        print(f"BREACH: {problem}")
    print(f"ledger check failed: {counted(len(report.problems), 'problem')}", file=sys.stderr)
    return 1


def cmd_location_add(args: argparse.Namespace) -> int:
    row = locations.add_location(args.code, zone=args.zone, seq=args.seq,
                                 kind="staging" if args.staging else "bin", actor=actor_for(args))
    print(f"location {row.code} added (zone {row.zone or '-'}, seq {row.pick_seq})")
    return 0


def cmd_location_list(args: argparse.Namespace) -> int:
    closed = {b.code for b in locations.bins_overview() if not b.active}
    for loc in locations.list_locations():
        print(f"{loc.pick_seq}\t{loc.code}\t{loc.kind}\t{loc.zone}" + ("\tclosed" if loc.code in closed else ""))
    return 0


def cmd_location_open(args: argparse.Namespace) -> int:
    row = locations.set_bin_open(args.code, args.opening, actor=actor_for(args))
    print(f"bin {row.code} is {'open' if row.active else 'closed'}")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    actor = actor_for(args)
    row = users.create_user(args.name, args.role, args.pin, badge=args.badge, actor=actor,
                            setting_up=actor.user_id is None and actor.name == SETUP_NAME)
    print(f"user {row.name} ({row.role}) added")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    for u in users.list_users():
        print(f"{u.name}\t{u.role}\t{'badge' if u.has_badge else ''}\t{'' if u.active else 'may not log in'}"
              .rstrip())
    return 0


def cmd_user_set(args: argparse.Namespace) -> int:
    if args.role is None and args.badge is None and args.active is None:
        raise CliError("say what to change: --role, --badge or --active")
    row = users.update_user(args.name, role=args.role, badge=args.badge,
                            active=None if args.active is None else args.active == "yes", actor=actor_for(args))
    print(f"user {row.name}: {row.role}, {'badge' if row.has_badge else 'no badge'}, "
          f"{'may log in' if row.active else 'may not log in'}")
    return 0


def cmd_user_pin(args: argparse.Namespace) -> int:
    row = users.set_pin(args.name, args.new_pin, actor=actor_for(args))
    print(f"user {row.name}: new PIN set")
    return 0


def _existing_file(path: str) -> Path:
    p = Path(path)
    if not p.is_file():
        raise CliError(f"no such file: {path}")
    return p


def cmd_import_products(args: argparse.Namespace) -> int:
    result = catalog.import_products(_existing_file(args.file), client_code=args.client,
                                     actor=actor_for(args))
    print(f"products: {result.created} created, {result.updated} updated, {result.barcodes} barcodes linked")
    return 0


def cmd_import_locations(args: argparse.Namespace) -> int:
    created, updated = locations.import_locations(_existing_file(args.file), actor=actor_for(args))
    print(f"locations: {created} created, {updated} updated")
    return 0


STOCK_HEADER = ("client", "sku", "name", "on_hand", "reserved", "available", "receiving",
                "quarantine", "elsewhere")


def cmd_stock(args: argparse.Namespace) -> int:
    if args.client:
        catalog.client_by_code(args.client)
    if args.expiring_within is not None:
        return _stock_expiring(args)
    rows = ledger.stock_rows(client=args.client.upper() if args.client else None, search=args.search,
                                sort="sku")
    if args.csv:
        w = safe_writer(sys.stdout, lineterminator="\n")
        w.writerow(STOCK_HEADER)
        for r in rows:
            w.writerow((r.client, r.sku, r.name, r.on_hand, r.reserved, r.available, r.receiving,
                        r.quarantine, r.elsewhere))
        return 0
    print(f"{'CLIENT':<8} {'SKU':<18} {'NAME':<34} {'ON HAND':>8} {'RESERVED':>8} {'AVAIL':>8} {'RECV':>6} {'QUAR':>6}")
    for r in rows:
        print(f"{whole(r.client, 8)} {whole(r.sku, 18)} {fit(r.name, 34)} {r.on_hand:>8} {r.reserved:>8} "
              f"{r.available:>8} {r.receiving:>6} {r.quarantine:>6}")
    print(counted(len(rows), "product"))
    return 0


EXPIRING_HEADER = ("client", "location", "sku", "name", "lot", "expiry", "days_left", "on_hand", "reserved")


def _stock_expiring(args: argparse.Namespace) -> int:
    text = args.expiring_within.strip()
    if not (text.isascii() and text.isdigit()):
        raise CliError(f"--expiring-within takes a number of days, not {text!r}")
    rows = reports.expiring_within(int(text), client=args.client)
    if args.csv:
        w = safe_writer(sys.stdout, lineterminator="\n")
        w.writerow(EXPIRING_HEADER)
        for r in rows:
            w.writerow((r.client, r.location, r.sku, r.name, r.lot, r.expiry.isoformat(), r.days_left,
                        r.on_hand, r.reserved))
        return 0
    print(f"{'CLIENT':<8} {'LOCATION':<12} {'SKU':<18} {'LOT':<14} {'EXPIRY':<10} {'DAYS':>5} {'ON HAND':>8}")
    for r in rows:
        print(f"{whole(r.client, 8)} {whole(r.location, 12)} {whole(r.sku, 18)} {whole(r.lot, 14)} {r.expiry.isoformat():<10} "
              f"{r.days_left:>5} {r.on_hand:>8}")
    print(f"{counted(sum(r.on_hand for r in rows), 'unit')} in {len(rows)} lot balances expire within {text} days")
    return 0


def _client_id(code: str | None) -> int | None:
    return catalog.client_by_code(code).id if code else None


def _moved(move_id: int) -> str:
    """'TENT-2P' or 'VITAMIN-C lot SOON': what a move moved."""
    sku, lot = inventory.what_moved(move_id)
    return f"{sku} lot {lot}" if lot else sku


def cmd_adjust(args: argparse.Namespace) -> int:
    move_id = inventory.adjust(args.sku, args.bin.upper(), args.qty, reason=args.reason, note=args.note,
                               actor=actor_for(args), client_id=_client_id(args.client), lot=args.lot,
                               expiry=args.expiry)
    print(f"adjusted {_moved(move_id)} in {args.bin.upper()} by {args.qty:+d}")
    return 0


def cmd_transfer(args: argparse.Namespace) -> int:
    move_id = inventory.transfer(args.sku, args.src.upper(), args.dst.upper(), args.qty, actor=actor_for(args),
                                 client_id=_client_id(args.client), lot=args.lot)
    print(f"moved {args.qty} {_moved(move_id)} from {args.src.upper()} to {args.dst.upper()}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    if args.auto:
        path, made, removed = backup.daily_backup()
        print(f"backup written to {path}" if made else f"today's backup is there already: {path}")
        for old in removed:
            print(f"removed old backup {old}")
        return 0
    path = backup.backup(args.out)
    print(f"backup written to {path}")
    return 0


def check_restorer(args: argparse.Namespace, url: str) -> None:
    """A readable database is replaced only by someone allowed to; a damaged or unreadable one
    by whoever has the file (the restore is how it is mended, and no login can be read from it)."""
    try:
        db.open_database(url)
    except DatabaseUnavailable:
        return
    try:
        actor_for(args).require_to("restore backups")
    finally:
        db.close()


def cmd_restore(args: argparse.Namespace) -> int:
    check_restorer(args, args.db or db.default_url())
    target = backup.restore(args.file, args.db or db.default_url())
    print(f"restored {args.file} into {target}")
    return 0


def cmd_migrate_db(args: argparse.Namespace) -> int:
    db.open_database(args.source)  # the supervisor logs in against the warehouse being moved
    actor = actor_for(args)
    report = copy_warehouse(args.source, args.target, actor=actor, verify=lambda: ledger.check().problems)
    width = max(len(t.table) for t in report.tables)
    for t in report.tables:
        print(f"{t.table:<{width}}  source {t.source:>8}  target {t.target:>8}")
    print(f"copied {counted(report.rows, 'row')} into {db.describe(args.target)}; ledger check on the copy: ok")
    return 0
