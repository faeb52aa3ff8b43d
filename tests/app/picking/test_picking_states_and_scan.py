"""Pick list states through the kernel table, and the picking station's scan router."""

from __future__ import annotations

import pytest

from app import ledger, picking
from app.kernel.errors import Conflict, InvalidTransition, NotFound, ValidationError
from app.kernel.states import TRANSITIONS, PickListStatus
from app.picking.picklist import list_row, set_status
from app.store import changes, db
from app.store.models import StatusChange
from tests.app.picking.test_picking import WALK, wave  # noqa: F401 - fixture

S = PickListStatus
MOVES = [(a, b) for a in S for b in S if a != b]
ALLOWED = [(a, b) for a, b in MOVES if b in TRANSITIONS[S][a]]
REFUSED = [(a, b) for a, b in MOVES if b not in TRANSITIONS[S][a]]


def _list_in(state: PickListStatus, actor) -> int:
    ref = picking.create_picklist(actor=actor)
    with db.write():
        db.execute("UPDATE pick_list SET status = ? WHERE id = ?", (str(state), ref.id))
    return ref.id


@pytest.mark.parametrize(("from_state", "to_state"), ALLOWED, ids=[f"{a or 'none'}->{b}" for a, b in ALLOWED])
def test_allowed_pick_list_move_is_written_and_recorded(wave, from_state, to_state):  # noqa: F811
    pl_id = _list_in(from_state, wave.actor)
    heard: list[changes.Changes] = []
    stop = changes.listen(heard.append)
    try:
        with db.write():
            row = set_status(list_row(pl_id, lock=True), to_state, actor=wave.actor, note="test")
    finally:
        stop()
    assert row.status == to_state and list_row(pl_id).status == to_state
    assert StatusChange.select().where((StatusChange.doc_type == "picklist") & (StatusChange.doc_id == pl_id)
                                       & (StatusChange.from_status == str(from_state))
                                       & (StatusChange.to_status == str(to_state))
                                       & (StatusChange.note == "test")).count() == 1
    assert any(pl_id in c.kinds.get("picklist", ()) for c in heard)


@pytest.mark.parametrize(("from_state", "to_state"), REFUSED, ids=[f"{a or 'none'}->{b or 'none'}" for a, b in REFUSED])
def test_refused_pick_list_move_changes_nothing(wave, from_state, to_state):  # noqa: F811
    pl_id = _list_in(from_state, wave.actor)
    with pytest.raises(InvalidTransition), db.write():
        set_status(list_row(pl_id, lock=True), to_state, actor=wave.actor)
    assert list_row(pl_id).status == from_state


def test_a_move_another_station_made_first_is_a_conflict(wave):  # noqa: F811
    pl_id = _list_in(S.OPEN, wave.actor)
    stale = list_row(pl_id)
    with db.write():
        set_status(list_row(pl_id, lock=True), S.PICKING, actor=wave.actor)
    with pytest.raises(Conflict), db.write():
        set_status(stale, S.CANCELLED, actor=wave.actor)
    assert list_row(pl_id).status == S.PICKING


def _ctx(step: str, ref_id: int, **kw) -> picking.ScanContext:
    return picking.ScanContext(step=step, view=picking.picklist_view(ref_id), **kw)


def test_station_scan_walks_list_bin_item_tote(wave):  # noqa: F811
    ref = picking.create_picklist(actor=wave.actor)
    out = picking.station_scan(ref.number, picking.ScanContext(step="list"), actor=wave.actor)
    assert (out.kind, out.number) == ("open", ref.number)
    out = picking.station_scan("c-01-01", _ctx("bin", ref.id), actor=wave.actor)
    assert out.kind == "bin" and out.stop is not None and out.stop.bin_code == WALK[0]
    out = picking.station_scan("BC-SKU-H", _ctx("item", ref.id, bin_code="C-01-01"), actor=wave.actor)
    assert out.kind == "item" and out.item is not None and (out.item.stop.sku, out.item.pack_qty) == ("SKU-H", 1)
    ctx = _ctx("tote", ref.id, bin_code="C-01-01", item_code="BC-SKU-H", qty=2)
    assert picking.station_scan("BC-SKU-H", ctx, actor=wave.actor).kind == "more"
    out = picking.station_scan("T1", ctx, actor=wave.actor)
    assert out.kind == "picked" and out.pick is not None
    assert (out.pick.qty, out.pick.tote, out.pick.stop.picked, out.pick.stop.remaining) == (2, 1, 2, 1)
    assert out.message.startswith("Picked 2 × SKU-H → tote 1.")
    assert ledger.on_hand(wave.pid("SKU-H"), "PACKING") == 2


def test_station_scan_refusals_change_nothing(wave):  # noqa: F811
    ref = picking.create_picklist(actor=wave.actor)
    with pytest.raises(picking.WrongScan, match="is not a pick list"):
        picking.station_scan("NOPE", picking.ScanContext(step="list"), actor=wave.actor)
    with pytest.raises(picking.WrongScan, match="go to C-01-01"):
        picking.station_scan("A-01-01", _ctx("bin", ref.id), actor=wave.actor)
    with pytest.raises(picking.WrongScan, match="is not a bin"):
        picking.station_scan("X-99", _ctx("bin", ref.id), actor=wave.actor)
    with pytest.raises(picking.WrongScan, match="wrong item"):
        picking.station_scan("BC-SKU-A", _ctx("item", ref.id, bin_code="C-01-01"), actor=wave.actor)
    with pytest.raises(ValidationError, match="tote 4"):
        picking.station_scan("T4", _ctx("tote", ref.id, bin_code="C-01-01", item_code="BC-SKU-H"),
                             actor=wave.actor)
    assert ledger.on_hand(wave.pid("SKU-H"), "PACKING") == 0


@pytest.mark.parametrize("code", ["99999999999999999999", "T99999999999999999999", "2147483648", "\u00b2", "T0"])
def test_a_tote_number_no_tote_has_is_refused_in_one_line(wave, code):  # noqa: F811
    ref = picking.create_picklist(actor=wave.actor)
    ctx = _ctx("tote", ref.id, bin_code="C-01-01", item_code="BC-SKU-H")
    with pytest.raises(ValidationError) as refused:
        picking.station_scan(code, ctx, actor=wave.actor)
    assert str(refused.value) == f"tote must be a number like 3 or T3, not '{code}'"
    with pytest.raises(ValidationError, match="tote must be a number"):
        picking.confirm_pick(ref.id, bin_code="C-01-01", scan_code="BC-SKU-H", tote=code, actor=wave.actor)
    assert ledger.on_hand(wave.pid("SKU-H"), "PACKING") == 0
    with pytest.raises(ValidationError, match="quantity 99999999999999999999 is out of range"):
        picking.confirm_pick(ref.id, bin_code="C-01-01", scan_code="BC-SKU-H", qty=10**20 - 1, tote=1,
                             actor=wave.actor)
    with pytest.raises(ValidationError, match="max orders 99999999999999999999 is out of range"):
        picking.create_picklist(actor=wave.actor, max_orders=10**20 - 1)
    with pytest.raises(NotFound, match="no open pick exception #99999999999999999999"):
        picking.resolve_exception(10**20 - 1, actor=wave.actor)


def test_station_scan_of_another_list_at_the_bin_step_opens_it(wave):  # noqa: F811
    first = picking.create_picklist(actor=wave.actor, max_orders=2)
    second = picking.create_picklist(actor=wave.actor)
    out = picking.station_scan(second.number, _ctx("bin", first.id), actor=wave.actor)
    assert (out.kind, out.number) == ("open", second.number)


def test_bin_and_item_checks_answer_from_the_screens_state(wave, monkeypatch):  # noqa: F811
    ref = picking.create_picklist(actor=wave.actor)
    ctx = _ctx("item", ref.id, bin_code="C-01-01")
    built = []
    monkeypatch.setattr("app.picking.view._stops", lambda *a, **k: built.append(1) or ())
    bin_ctx = picking.ScanContext(step="bin", view=ctx.view)
    assert picking.station_scan("C-01-01", bin_ctx, actor=wave.actor).kind == "bin"
    assert picking.station_scan("BC-SKU-H", ctx, actor=wave.actor).kind == "item"
    assert built == []  # no walk was built for either


def test_next_stop_is_the_views_next_stop(wave):  # noqa: F811
    ref = picking.create_picklist(actor=wave.actor)
    for _ in range(3):
        nxt = picking.next_stop(ref.id)
        assert nxt == picking.picklist_view(ref.id).next_stop
        assert nxt is not None
        tote = next(t for t in nxt.totes if t.remaining)
        picking.confirm_pick(ref.id, bin_code=nxt.bin_code, scan_code=nxt.sku, qty=tote.remaining,
                             tote=tote.tote, actor=wave.actor)


def test_the_printed_list_takes_plain_data(wave):  # noqa: F811
    ref = picking.create_picklist(actor=wave.actor)
    sheet = picking.sheet(picking.picklist_view(ref.id))
    assert sheet.number == ref.number and [s.bin_code for s in sheet.stops] == list(WALK)
    assert type(sheet).__module__ == "app.documents.picklist_pdf"
