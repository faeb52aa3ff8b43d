"""Package states: every move of the table in kernel.states is allowed, every other refused."""

from __future__ import annotations

import itertools

import pytest

from app import packing
from app.kernel.errors import InvalidTransition
from app.kernel.states import TRANSITIONS, PackageStatus
from app.store import audit, db
from app.store.models import Package, StatusChange
from tests.support.packing import PACKER, make_products, picked_order

ALLOWED = sorted((a, b) for a, tos in TRANSITIONS[PackageStatus].items() for b in tos)
REFUSED = sorted(pair for pair in itertools.product(PackageStatus, repeat=2) if pair not in ALLOWED)


def test_the_table_is_the_warehouse_s():
    assert set(ALLOWED) == {
        (PackageStatus.OPEN, PackageStatus.CLOSED), (PackageStatus.OPEN, PackageStatus.VOID),
        (PackageStatus.CLOSED, PackageStatus.SHIPPED), (PackageStatus.CLOSED, PackageStatus.VOID),
        (PackageStatus.CLOSED, PackageStatus.OPEN)}


@pytest.fixture
def package_id(world, frozen_clock) -> int:
    prods = make_products(world, [("LAMP", "LAMP-1")])
    order = picked_order(world, "1001", [("LAMP", 1, 1)], products=prods)
    assert packing.verify_scan(order.id, "LAMP-1", actor=PACKER).accepted
    return int(Package.get(Package.order == order.id).id)


def _put(package_id: int, status: PackageStatus) -> None:
    with db.write():
        db.execute("UPDATE package SET status = ? WHERE id = ?", (str(status), package_id))


@pytest.mark.parametrize(("from_state", "to_state"), ALLOWED, ids=lambda s: str(s))
def test_allowed_transition(package_id, from_state, to_state):
    _put(package_id, from_state)
    with db.write():
        audit.transition(PackageStatus, package_id, from_state, to_state, actor=PACKER, client_id=None)
    assert Package.get_by_id(package_id).status == to_state
    last = StatusChange.select().where(StatusChange.doc_type == "package").order_by(StatusChange.id.desc()).get()
    assert (last.doc_id, last.from_status, last.to_status) == (package_id, from_state, to_state)


@pytest.mark.parametrize(("from_state", "to_state"), REFUSED, ids=lambda s: str(s))
def test_refused_transition(package_id, from_state, to_state):
    _put(package_id, from_state)
    before = StatusChange.select().count()
    with pytest.raises(InvalidTransition), db.write():
        audit.transition(PackageStatus, package_id, from_state, to_state, actor=PACKER, client_id=None)
    assert Package.get_by_id(package_id).status == from_state
    assert StatusChange.select().count() == before


def test_a_new_package_is_recorded_as_opened(package_id):
    first = StatusChange.select().where(StatusChange.doc_type == "package").order_by(StatusChange.id).get()
    assert (first.doc_id, first.from_status, first.to_status) == (package_id, "", "open")
