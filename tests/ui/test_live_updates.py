"""Another station's work reaches this station's screens by itself, within two seconds, on
SQLite and PostgreSQL; this station's own work is not heard twice."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app import inventory, ledger
from app.store import live
from ui.events import AppEvents
from ui.live import LiveUpdates

ROOT = Path(__file__).resolve().parents[2]

OTHER_STATION = r"""
import sys
from app import inventory
from app.kernel.actor import Actor
from app.store import db

db.connect(sys.argv[1], migrate=False)
inventory.adjust(int(sys.argv[2]), "A-01-01", -7, reason="count", actor=Actor(None, "other", "supervisor", "desk-2"))
db.close()
"""


@pytest.fixture
def screen(qtbot, world):
    product = world.product("TENT-1")
    world.stock(product.id, "A-01-01", 20)
    events = AppEvents()
    heard: list = []
    events.changed.connect(heard.append)
    updates = LiveUpdates(events, interval_ms=100)
    updates.start()
    yield world, product, events, heard
    updates.stop()
    events.detach()


def test_another_stations_adjustment_reaches_this_screen(qtbot, screen):
    world, product, events, heard = screen
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", OTHER_STATION, world.db.url, str(product.id)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with qtbot.waitSignal(events.stock_changed, timeout=2000):
        pass
    assert any("stock" in news for news in heard)
    if world.db.is_pg:  # the notice names what changed
        assert any(news.kinds.get("stock") for news in heard)
    assert ledger.on_hand(product.id, "A-01-01") == 13  # and the screen's reload sees it


def test_this_stations_own_work_is_not_heard_twice(qtbot, screen):
    world, product, events, heard = screen
    inventory.adjust(product.id, "A-01-01", -2, reason="count", actor=world.actor)
    qtbot.waitUntil(lambda: len(heard) == 1, timeout=2000)  # from the commit itself
    watcher = live.watch()
    try:
        assert watcher.poll() is None
        inventory.adjust(product.id, "A-01-01", -1, reason="count", actor=world.actor)
        assert watcher.poll() is None  # its own commit: already heard from the change signal
    finally:
        watcher.close()
    qtbot.waitUntil(lambda: len(heard) == 2, timeout=2000)
    with qtbot.assertNotEmitted(events.changed, wait=300):
        pass
    assert ledger.on_hand(product.id, "A-01-01") == 17


def test_notices_round_trip():
    from app.store import changes

    text = changes.encode({"stock": {3, 1}, "order": set()})
    assert live.decode(text) == (changes.STATION, {"order": set(), "stock": {1, 3}})
    big = changes.encode({"stock": set(range(5000))})
    assert len(big) < 8000 and live.decode(big)[1] == {"stock": set()}


def test_every_kind_a_service_notes_is_in_everything():
    """On SQLite another station's commit says "every kind": a kind left out of it (clients
    edited at another desk, a setting) would never reach this station's screens."""
    noted = {kind for path in (ROOT / "app").rglob("*.py")
             for kind in re.findall(r'changes\.changed\("([a-z_]+)"', path.read_text(encoding="utf-8"))}
    assert {"client", "setting", "stock", "order"} <= noted
    assert noted <= set(live.everything().kinds)
