"""Who may do what: the table in the code equals the one in docs/architecture.md, and every
service that changes stock or documents allows or refuses each role exactly as it says."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from app import billing, counting, inventory, ledger, orders, packing, picking, reports, returns
from app.catalog import clients, product_edit, products, shelf_life, users
from app.kernel.actor import Actor
from app.kernel.errors import PermissionDenied
from app.kernel.permissions import PERMISSIONS, ROLES
from app.ledger import locations
from app.orders import allocation, importers
from app.packing.pack import pack
from app.receiving import asn, bin_putaway, close, receive, shipments
from app.shipping import ship
from app.store import models, settings
from tests.support.packing import SHIP_TO, make_products, picked_order
from tests.support.returns import shipped_order

DOC = Path(__file__).resolve().parents[3] / "docs" / "architecture.md"


def doc_table() -> dict[str, tuple[str, ...]]:
    """The rows of the table under '## Who may do what' in docs/architecture.md."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("\n## Who may do what\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) == 2 and cells[0] not in ("action", "---"):
            rows[cells[0]] = tuple(r.strip() for r in cells[1].split(","))
    return rows


def test_the_documented_table_is_the_code_table():
    assert doc_table() == PERMISSIONS


def test_every_role_is_a_known_role():
    assert {r for roles in PERMISSIONS.values() for r in roles} <= set(ROLES)
    assert all("supervisor" in roles for roles in PERMISSIONS.values())


def test_no_service_checks_roles_outside_the_table():
    """``actor.require(role, ...)`` (the check before the table) is left nowhere: each service
    names its action with ``require_to`` so the table decides."""
    app_dir = Path(__file__).resolve().parents[3] / "app"
    left = [f"{path.relative_to(app_dir.parent)}:{n}" for path in sorted(app_dir.rglob("*.py"))
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if re.search(r"\.require\(", line) and "def require(" not in line]
    assert left == []


def test_every_service_check_names_an_action_of_the_table():
    app_dir = Path(__file__).resolve().parents[3] / "app"
    named = set()
    for path in app_dir.rglob("*.py"):
        named |= set(re.findall(r'require_to\("([^"]+)"\)', path.read_text(encoding="utf-8")))
    assert named <= set(PERMISSIONS)
    # every action of the table is checked by some service
    assert set(PERMISSIONS) <= named


# --- every stock-changing service, with each role --------------------------------------

def _csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _stock(world, tmp_path):
    p = world.product("TENT", barcode="012345678905")
    world.stock(p.id, "A-01-01", 5)
    return p


def _shipment(world, tmp_path):
    p = world.product("TENT", barcode="012345678905")
    ref = shipments.create_shipment("ACME", "ASN-1", [("TENT", 4)], actor=world.actor)
    return p, ref.id


def _received(world, tmp_path):
    p, sid = _shipment(world, tmp_path)
    result = receive.receive_scan(sid, "012345678905", actor=world.actor, qty=2)
    return p, sid, result.move_id


def _order(world, tmp_path):
    _stock(world, tmp_path)
    ref = orders.create_order("ACME", "1001", [("TENT", 2)], actor=world.actor, **SHIP_TO)
    allocation.allocate_orders(actor=world.actor)
    return ref.id


def _picked(world, tmp_path):
    prods = make_products(world, [("TENT", "012345678905")])
    return picked_order(world, "2001", [("TENT", 1, 1)], products=prods)


def _packed(world, tmp_path):
    order = _picked(world, tmp_path)
    pack(order.id, scans=["012345678905"], close="last", actor=world.actor)
    return order


def _wave(world, tmp_path):
    """Order 1001 (2 TENT, allocated in A-01-01) on a pick list: (pick list id, its first stop)."""
    _order(world, tmp_path)
    pl = picking.create_picklist(actor=world.actor)
    return pl.id, picking.next_stop(pl.id)


def _short(world, tmp_path):
    pl_id, stop = _wave(world, tmp_path)
    picking.short_pick(pl_id, bin_code=stop.bin_code, product=stop.product_id, qty_short=1, reason="empty",
                       actor=world.actor)
    return picking.exceptions_list()[0].id


def _open_box(world, tmp_path):
    order = _picked(world, tmp_path)
    pack(order.id, scans=["012345678905"], actor=world.actor)
    return order


def _shipped(world, tmp_path):
    """Order 2001 (1 TENT) shipped to the customer: its id."""
    prods = make_products(world, [("TENT", "012345678905")])
    return shipped_order(world, "2001", [("TENT", 1)], products=prods, barcodes={"TENT": "012345678905"})


def _rma(world, tmp_path):
    """An RMA for the shipped TENT: its number."""
    oid = _shipped(world, tmp_path)
    return returns.create_rma(oid, [returns.RmaRequestLine("TENT", 1, "unwanted")], actor=world.actor).number


def _returned(world, tmp_path):
    """The RMA's unit received in RETURNS: the RMA number."""
    number = _rma(world, tmp_path)
    returns.receive_unit(number, "012345678905", actor=world.actor)
    return number


def _count_task(world, tmp_path):
    _stock(world, tmp_path)
    return counting.create_task(bin_code="A-01-01", actor=world.actor).number


def _counting(world, tmp_path):
    """A count of A-01-01 (5 TENT) whose bin is being counted: 3 found so far."""
    number = _count_task(world, tmp_path)
    counting.scan(number, bin_code="A-01-01", code="012345678905", qty=3, actor=world.actor)
    return number


def _counted_short(world, tmp_path):
    """A count of A-01-01 that found 2 TENT of 5: waiting for a supervisor's approval."""
    settings.set_setting("count_approve_units", "1", actor=world.actor)
    number = _count_task(world, tmp_path)
    counting.scan(number, bin_code="A-01-01", code="012345678905", qty=2, actor=world.actor)
    counting.finish(number, actor=world.actor)
    return number


def _reverse(world, tmp_path):
    p = _stock(world, tmp_path)
    return inventory.adjust(p.id, "A-01-01", 1, reason="found", actor=world.actor)


# action -> (setup(world, tmp_path) -> state, call(state, actor, tmp_path))
Case = tuple[str, Callable, Callable]
CASES: dict[str, Case] = {
    "set rates": ("set rates", lambda w, t: None,
                  lambda _, a, t: billing.set_rates("ACME", {"order": "2.50"}, actor=a)),
    "add a charge": ("add charges", lambda w, t: None,
                     lambda _, a, t: billing.add_charge("ACME", "rush", 1, amount="5", actor=a)),
    "issue a statement": ("issue statements", lambda w, t: None,
                          lambda _, a, t: billing.issue_statement("ACME", dt.date(2026, 3, 1), dt.date(2026, 3, 1),
                                                                 actor=a)),
    "shelf-life minimum": ("set shelf-life minimums", lambda w, t: None,
                           lambda _, a, t: shelf_life.set_min_shelf_life("ACME", 90, actor=a)),
    "authorise a return": ("authorise returns", _shipped,
                           lambda o, a, t: returns.create_rma(
                               o, [returns.RmaRequestLine("TENT", 1, "unwanted")], actor=a)),
    "receive a return": ("receive returns", _rma,
                         lambda n, a, t: returns.receive_unit(n, "012345678905", actor=a)),
    "restock a return": ("disposition returns", _returned,
                         lambda n, a, t: returns.dispose(n, "012345678905", "restock", bin_code="A-01-01",
                                                         actor=a)),
    "close a return short": ("close returns short", _rma,
                             lambda n, a, t: returns.close_rma(n, note="never came back", actor=a)),
    "count a bin": ("count stock", _count_task,
                    lambda n, a, t: counting.open_bin(n, bin_code="A-01-01", actor=a)),
    "count units": ("count stock", _count_task,
                    lambda n, a, t: counting.scan(n, bin_code="A-01-01", code="012345678905", qty=3, actor=a)),
    "count a bin empty": ("count stock", _count_task,
                          lambda n, a, t: counting.count_empty(n, bin_code="A-01-01", actor=a)),
    "count at the station": ("count stock", _count_task,
                             lambda n, a, t: counting.station_scan("A-01-01", task=n, actor=a)),
    "finish a count": ("finish counts", _counting, lambda n, a, t: counting.finish(n, actor=a)),
    "create a count": ("create count tasks", lambda w, t: _stock(w, t),
                       lambda _, a, t: counting.create_task(bin_code="A-01-01", actor=a)),
    "cancel a count": ("cancel count tasks", _count_task,
                       lambda n, a, t: counting.cancel_task(n, actor=a)),
    "see count differences": ("see count differences", _counted_short,
                              lambda n, a, t: counting.differences(n, actor=a)),
    "approve count differences": ("approve count differences", _counted_short,
                                  lambda n, a, t: counting.approve(n, actor=a)),
    "ask for a recount": ("ask for recounts", _counted_short,
                          lambda n, a, t: counting.recount(n, bin_code="A-01-01", actor=a)),
    "adjust": ("adjust stock", _stock,
               lambda p, a, t: inventory.adjust(p.id, "A-01-01", -1, reason="damaged", actor=a)),
    "move from supplier": ("move stock", lambda w, t: w.product("TENT"),
                           lambda p, a, t: inventory.move(p.id, "SUPPLIER", "A-01-01", 3, actor=a)),
    "move to scrap": ("move stock", _stock,
                      lambda p, a, t: inventory.move(p.id, "A-01-01", "SCRAP", 1, actor=a, kind="scrap")),
    "transfer bin to bin": ("transfer stock", _stock,
                            lambda p, a, t: inventory.transfer(p.id, "A-01-01", "A-01-02", 2, actor=a)),
    "restock from quarantine": ("transfer stock",
                                lambda w, t: (p := w.product("TENT"), w.stock(p.id, "QUARANTINE", 2))[0],
                                lambda p, a, t: inventory.transfer(p.id, "QUARANTINE", "A-01-01", 2, actor=a)),
    "scrap staged": ("scrap stock",
                     lambda w, t: (p := w.product("TENT"), w.stock(p.id, "QUARANTINE", 2))[0],
                     lambda p, a, t: reports.scrap_staged(p.id, "QUARANTINE", 1, actor=a)),
    "reverse a move": ("reverse stock moves", _reverse,
                       lambda m, a, t: ledger.reverse_move(m, actor=a)),
    "receive": ("receive goods", _shipment,
                lambda s, a, t: receive.receive_scan(s[1], "012345678905", actor=a)),
    "undo a receiving scan": ("undo receiving scans", _received,
                              lambda s, a, t: receive.undo_receipt(s[1], actor=a, move_id=s[2])),
    "put away": ("put stock away", _received,
                 lambda s, a, t: bin_putaway.putaway("012345678905", "A-01-01", actor=a)),
    "import an ASN": ("import inbound shipments", lambda w, t: w.product("TENT"),
                      lambda p, a, t: asn.import_asn(_csv(t, "asn.csv", "sku,qty\nTENT,3\n"),
                                                     client_code="ACME", ref="ASN-9", actor=a)),
    "create an order": ("create orders", lambda w, t: w.product("TENT"),
                        lambda p, a, t: orders.create_order("ACME", "1001", [("TENT", 1)], actor=a)),
    "import orders": ("import orders", lambda w, t: w.product("TENT"),
                      lambda p, a, t: importers.import_orders(
                          _csv(t, "orders.csv", "order_number,sku,qty,customer_name,address1,city,zip,country\n"
                                                "1001,TENT,1,Ann,1 Elm St,Springfield,12345,US\n"),
                          client_code="ACME", fmt="generic", actor=a)),
    "allocate": ("allocate orders",
                 lambda w, t: (_stock(w, t), orders.create_order("ACME", "1001", [("TENT", 2)], actor=w.actor)),
                 lambda s, a, t: allocation.allocate_orders(actor=a)),
    "release an order": ("release orders", _order, lambda o, a, t: allocation.release_order(o, actor=a)),
    "cancel an order": ("cancel orders", _order,
                        lambda o, a, t: orders.cancel_order(o, actor=a, reason="customer asked")),
    "create a pick list": ("create pick lists", _order, lambda o, a, t: picking.create_picklist(actor=a)),
    "pack": ("pack orders", _picked,
             lambda o, a, t: pack(o.id, scans=["012345678905"], close="last", actor=a)),
    "override unverified units": ("close a package with unverified units", _picked,
                                  lambda o, a, t: pack(o.id, close="last", override_reason="label torn",
                                                            actor=a)),
    "ship": ("ship orders", _packed,
             lambda o, a, t: ship.ship_order(o.id, tracking="1Z999AA10123456784", actor=a)),
    "release a line's reservation": ("release reservations", _order,
                                     lambda o, a, t: allocation.release_line(
                                         orders.order_detail(o).lines[0].id, actor=a)),
    "pick": ("pick", _wave,
             lambda s, a, t: picking.confirm_pick(s[0], bin_code=s[1].bin_code, scan_code=s[1].sku,
                                                  qty=s[1].totes[0].qty, tote=s[1].totes[0].tote, actor=a)),
    "short pick": ("record a short pick", _wave,
                   lambda s, a, t: picking.short_pick(s[0], bin_code=s[1].bin_code, product=s[1].product_id,
                                                      qty_short=1, reason="empty", actor=a)),
    "resolve a short pick": ("resolve pick exceptions", _short,
                             lambda e, a, t: picking.resolve_exception(e, actor=a, note="recounted")),
    "cancel a pick list": ("cancel pick lists", _wave,
                           lambda s, a, t: picking.cancel_picklist(s[0], actor=a, reason="redo")),
    "take an order off": ("take orders off pick lists", _wave,
                          lambda s, a, t: picking.remove_order(s[0], "1001", actor=a, reason="customer called")),
    "void a box": ("void packages", _open_box, lambda o, a, t: packing.void_package(o.id, seq=1, actor=a)),
    "box types": ("configure box types", lambda w, t: None,
                  lambda s, a, t: packing.add_box_type("Small", length_cm=30, width_cm=20, height_cm=15, actor=a)),
    "add a client": ("add clients", lambda w, t: None, lambda s, a, t: products.add_client("BETA", "Beta", actor=a)),
    "edit a client": ("edit clients", lambda w, t: None,
                      lambda s, a, t: clients.set_client("ACME", city="Reno", actor=a)),
    "edit a product": ("edit products", lambda w, t: w.product("CUP"),
                       lambda p, a, t: product_edit.update_product(p.id, name="Mug", actor=a)),
    "add a product": ("create products", lambda w, t: None,
                      lambda s, a, t: products.add_product("ACME", "CUP", "Cup", actor=a)),
    "link a barcode": ("link barcodes", lambda w, t: w.product("CUP"),
                       lambda p, a, t: products.link_barcode(p.id, "CUP-9", actor=a)),
    "add a bin": ("add locations", lambda w, t: None,
                  lambda s, a, t: locations.add_location("C-01-01", zone="C", seq=50, actor=a)),
    "close a bin": ("edit locations", lambda w, t: None,
                    lambda s, a, t: locations.set_bin_open("A-01-02", False, actor=a)),
    "add a user": ("add users", lambda w, t: None, lambda s, a, t: users.create_user("eve", "packer", "1234", actor=a)),
    "change a PIN": ("change PINs", lambda w, t: users.create_user("eve", "packer", "1234", actor=w.actor),
                     lambda u, a, t: users.set_pin("eve", "5678", actor=a)),
    "change a user": ("edit users", lambda w, t: users.create_user("eve", "packer", "1234", actor=w.actor),
                      lambda u, a, t: users.update_user("eve", role="receiver", actor=a)),
    "a setting": ("change warehouse settings", lambda w, t: None,
                  lambda s, a, t: settings.set_setting("site_name", "North", actor=a)),
    "announce a shipment": ("create inbound shipments", lambda w, t: w.product("TENT"),
                            lambda p, a, t: shipments.create_shipment("ACME", "ASN-7", [("TENT", 1)], actor=a)),
    "edit a shipment": ("edit inbound shipments", _shipment,
                        lambda s, a, t: shipments.add_line(s[1], "TENT", 2, actor=a)),
    "cancel a shipment": ("cancel inbound shipments", _shipment,
                          lambda s, a, t: shipments.cancel_shipment(s[1], actor=a, reason="never came")),
    "close a shipment": ("close inbound shipments", _received,
                         lambda s, a, t: close.close_shipment(s[1], actor=a)),
    "import products": ("import products", lambda w, t: None,
                        lambda s, a, t: products.import_products(_csv(t, "p.csv", "sku,name\nCUP,Cup\n"),
                                                                 client_code="ACME", actor=a)),
    "import locations": ("import locations", lambda w, t: None,
                         lambda s, a, t: locations.import_locations(_csv(t, "l.csv", "code,zone,seq\nC-01-01,C,50\n"),
                                                                    actor=a)),
}


def _all_tables() -> dict[str, int]:
    """Row counts of every table: a refused call leaves all of them as they were."""
    return {model._meta.table_name: model.select().count() for model in vars(models).values()
            if isinstance(model, type) and issubclass(model, models.BaseModel) and model is not models.BaseModel}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_each_role_is_allowed_or_refused_as_the_table_says(world, frozen_clock, tmp_path, case, role):
    action, setup, call = CASES[case]
    state = setup(world, tmp_path)
    actor = Actor(None, f"someone-{role}", role, "test")
    if role in PERMISSIONS[action]:
        call(state, actor, tmp_path)
        return
    before = _all_tables()
    with pytest.raises(PermissionDenied, match="may not "):
        call(state, actor, tmp_path)
    assert _all_tables() == before


def test_the_cases_cover_every_action_of_the_table():
    covered = {action for action, _, _ in CASES.values()}
    # restoring a backup replaces the whole file: the command line checks it (tests/app/cli);
    # migrating needs an empty PostgreSQL target (tests/app/store/test_migrate_db.py)
    assert covered == set(PERMISSIONS) - {"restore backups", "migrate databases"}
