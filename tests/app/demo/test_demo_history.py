"""The demo's last two working weeks: real work at its times of day, through the services,
so the supervisor's reports show a working warehouse from the first start."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app import demo, ledger
from app.demo import history
from app.kernel import clock
from app.reports import catalog
from app.reports.table import Period
from app.store import db

# Friday 2026-03-13, 18:00 UTC: the ten working days before are 2026-02-27 and 2026-03-02 .. 12.
NOW = dt.datetime(2026, 3, 13, 18, 0)


def _day_counts(sql: str) -> dict[str, int]:
    return {str(day)[:10]: int(n) for day, n in db.execute(sql).fetchall()}


def test_two_working_weeks_of_work_before_today(database, monkeypatch):
    monkeypatch.setattr(demo.warehouse, "_extend", lambda summary, actor: None)
    fc = clock.FrozenClock(NOW)
    clock.set_clock(fc)
    try:
        demo.create_demo()
        (line,) = history.add_demo_documents(actor=history._people()["supervisor"])
        assert fc.current == NOW and clock.now() == NOW  # the clock in force before is back
    finally:
        clock.set_clock(None)
    assert line == ("history: the last 10 working days: 240 units received, 48 orders shipped "
                    "(1 packed, waiting for the carrier)")
    days = ["2026-02-27", *(f"2026-03-{d:02d}" for d in (2, 3, 4, 5, 6, 9, 10, 11, 12))]
    received = _day_counts("SELECT DATE(created_at), SUM(qty) FROM stock_move WHERE kind = 'receive' "
                           "AND created_at < '2026-03-13' AND doc_type <> 'demo' GROUP BY DATE(created_at)")
    assert received == {day: 24 for day in days}
    # The opening stock came in before all of it (nothing is picked before it is there).
    opening = db.execute("SELECT MIN(created_at), MAX(created_at), SUM(qty) FROM stock_move "
                         "WHERE doc_type = 'demo'").fetchone()
    assert [str(opening[0])[:16], str(opening[1])[:16]] == ["2026-02-26 07:00"] * 2 and opening[2] > 1000
    assert str(db.execute("SELECT MIN(created_at) FROM stock_move WHERE doc_type <> 'demo'").fetchone()[0]) \
        .startswith("2026-02-27 ")
    taken_in = _day_counts('SELECT DATE(received_at), COUNT(*) FROM "order" GROUP BY DATE(received_at)')
    assert set(taken_in) == set(received) and set(taken_in.values()) == {5}  # weekdays only
    statuses = dict(db.execute('SELECT status, COUNT(*) FROM "order" GROUP BY status').fetchall())
    # one order short-picked whole waits as a back-order, one partly (shipped without it),
    # the last day's late one is packed and waits for the carrier
    assert statuses == {"shipped": 47, "backordered": 2, "packed": 1}
    assert db.execute("SELECT COUNT(DISTINCT doc_id) FROM stock_move WHERE kind = 'ship'").fetchone()[0] == 48
    # Who did what shows in the audit: the receiver received, the packer picked, packed, shipped.
    who = db.execute("SELECT kind, user_name, SUM(qty) FROM stock_move WHERE created_at < '2026-03-13' "
                     "AND doc_type <> 'demo' GROUP BY kind, user_name ORDER BY kind").fetchall()
    assert who == [("adjust", "Pat Packer", 4), ("pick", "Pat Packer", 150), ("putaway", "Rita Receiver", 240),
                   ("receive", "Rita Receiver", 240), ("ship", "Pat Packer", 148)]
    table = catalog.run("fulfillment", Period.of(dt.date(2026, 2, 27), dt.date(2026, 3, 12)))
    # The reports read that work: 50 orders taken in, 47 shipped complete, 38 on time.
    assert table.rows[-1] == ("ALL", 50, 0, 50, 47, 38, Decimal("0.9400"), Decimal("0.7600"),
                              Decimal("0.9605"), Decimal("0.9610"))
    assert ledger.check().ok
