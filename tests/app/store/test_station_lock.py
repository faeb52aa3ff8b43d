"""Restore waits for every station to close the database, and a station notices a replaced file.

No sleeps: the writer process and the test talk through pipes (the writer says each scan it
acknowledged, the test says when to stop).
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from app import inventory, ledger
from app.kernel.errors import DatabaseUnavailable
from app.store import backup, db, station_lock

ROOT = Path(__file__).resolve().parents[3]


def _path(url: str) -> Path:
    return Path(url[len("sqlite:///"):])


def test_restore_is_refused_while_a_station_is_open_then_works(sqlite_world, tmp_path):
    world = sqlite_world
    p = world.product("TENT-1")
    world.stock(p.id, "A-01-01", 10)
    copy = backup.backup(tmp_path / "copy.db")
    inventory.transfer(p.id, "A-01-01", "A-01-02", 4, actor=world.actor)
    station = station_lock.hold(_path(world.db.url), "packing station (Pat Packer)")
    try:
        with pytest.raises(DatabaseUnavailable) as info:
            backup.restore(copy, world.db.url)
        message = str(info.value)
        assert message.startswith("restore refused: ")
        assert "packing station (Pat Packer) on " in message and f"process {os.getpid()}" in message
        assert message.endswith("close PrepDesk there first") and "\n" not in message
        assert ledger.on_hand(p.id, "A-01-02") == 4  # nothing replaced
        station.check()  # still the file it opened
    finally:
        station.release()
    db.close()  # this process is a station too once opening a database holds the marker
    assert backup.restore(copy, world.db.url) == str(_path(world.db.url))
    db.connect(world.db.url)
    assert ledger.on_hand(p.id, "A-01-01") == 10
    assert ledger.on_hand(p.id, "A-01-02") == 0
    assert ledger.check().ok


def test_a_percent_encoded_url_restores_the_file_it_opens_and_meets_its_stations(sqlite_world, tmp_path):
    """``prepdesk%2Edb`` opens ``prepdesk.db``: a restore through that URL is refused while
    the file is open, then replaces that very file (not a new one named as typed)."""
    world = sqlite_world
    p = world.product("TENT-1")
    world.stock(p.id, "A-01-01", 10)
    copy = backup.backup(tmp_path / "copy.db")
    inventory.transfer(p.id, "A-01-01", "A-01-02", 4, actor=world.actor)
    path = _path(world.db.url)
    encoded = f"sqlite:///{path.parent}/prepdesk%2Edb"
    with pytest.raises(DatabaseUnavailable, match=f"^restore refused: {re.escape(str(path))} is open at "):
        backup.restore(copy, encoded)  # this process is the station
    assert ledger.on_hand(p.id, "A-01-02") == 4
    db.close()
    assert backup.restore(copy, encoded) == str(path)
    assert not (path.parent / "prepdesk%2Edb").exists()
    db.connect(encoded)
    assert ledger.on_hand(p.id, "A-01-01") == 10
    assert ledger.on_hand(p.id, "A-01-02") == 0
    assert ledger.check().ok


def test_a_link_to_the_database_leads_to_the_same_stations(sqlite_world, tmp_path):
    world = sqlite_world
    p = world.product("TENT-1")
    world.stock(p.id, "A-01-01", 10)
    copy = backup.backup(tmp_path / "copy.db")
    inventory.transfer(p.id, "A-01-01", "A-01-02", 4, actor=world.actor)
    path = _path(world.db.url)
    link = tmp_path / "link.db"
    link.symlink_to(path)
    # Open through its real path (this process): a restore through the link is refused...
    with pytest.raises(DatabaseUnavailable, match="^restore refused: "):
        backup.restore(copy, f"sqlite:///{link}")
    db.close()
    # ...and open through the link, a restore through the real path is refused.
    station = station_lock.hold(link, "receiving station")
    try:
        with pytest.raises(DatabaseUnavailable, match="receiving station on "):
            backup.restore(copy, world.db.url)
    finally:
        station.release()
    db.connect(world.db.url)
    assert ledger.on_hand(p.id, "A-01-02") == 4  # nothing replaced
    db.close()
    assert backup.restore(copy, f"SQLite:///{link}") == str(link)  # the scheme in any case
    assert link.is_symlink()
    db.connect(world.db.url)
    assert ledger.on_hand(p.id, "A-01-02") == 0
    assert ledger.check().ok


def test_a_station_cannot_open_while_a_restore_holds_the_database(sqlite_database):
    path = _path(sqlite_database.url)
    db.close()
    try:
        with station_lock.exclusive(path):
            with pytest.raises(DatabaseUnavailable, match="a restore is replacing .* try again in a minute"):
                station_lock.hold(path, "receiving station")
        station_lock.hold(path, "receiving station").release()
    finally:
        db.connect(sqlite_database.url)


def test_two_stations_are_both_named_and_a_dead_one_is_forgotten(sqlite_database):
    path = _path(sqlite_database.url)
    db.close()
    stale = station_lock.cards_dir(path)
    stale.mkdir(exist_ok=True)
    (stale / "gone-1-1").write_text("a crashed station\n")  # nobody holds its lock
    a = station_lock.hold(path, "packing station")
    b = station_lock.hold(path, "receiving station")
    try:
        names = station_lock.connected(path)
        assert sorted(n.split(" on ")[0] for n in names) == ["packing station", "receiving station"]
        assert not (stale / "gone-1-1").exists()
    finally:
        a.release()
        b.release()
        assert station_lock.connected(path) == []
        db.connect(sqlite_database.url)


def test_a_station_stops_when_its_file_is_replaced_or_removed(sqlite_database, tmp_path):
    path = _path(sqlite_database.url)
    db.close()  # the test's own station lets go: this test is the station
    station = station_lock.hold(path, "packing station")
    try:
        station_lock.check_held()
        other = tmp_path / "other.db"
        other.write_bytes(path.read_bytes())
        os.replace(other, path)  # what the old restore did (unlink + rename)
        with pytest.raises(DatabaseUnavailable, match="was replaced by another file while this station"):
            station_lock.check_held()
        path.unlink()
        with pytest.raises(DatabaseUnavailable, match="was removed while this station had it open"):
            station.check()
    finally:
        station.release()
    station_lock.check_held()  # released: nothing held, nothing to check
    db.close()
    db.connect(sqlite_database.url, create=True)  # a fresh database there, for the fixture's ledger check
    db.close()
    db.connect(sqlite_database.url, create=True)  # a fresh database there, for the fixture's ledger check


WRITER = r"""
import select, sys
from app import inventory
from app.kernel.actor import Actor
from app.store import db, station_lock

url, product_id = sys.argv[1], int(sys.argv[2])
db.connect(url)
marker = station_lock.hold(url[len("sqlite:///"):], "packing station (writer)")
actor = Actor(None, "writer", "supervisor", "pack-1")
done = 0
try:
    while done < 20000:  # bounded even if the test never says stop
        if select.select([sys.stdin], [], [], 0)[0]:
            break  # the test said stop (or went away)
        marker.check()
        inventory.transfer(product_id, "A-01-01", "A-01-02", 1, actor=actor)
        done += 1  # committed: acknowledged
        print("ack", done, flush=True)
finally:
    marker.release()
    db.close()
print("done", done, flush=True)
"""


def test_a_writer_loses_nothing_while_a_restore_is_attempted(sqlite_world, tmp_path):
    world = sqlite_world
    p = world.product("TENT-1")
    world.stock(p.id, "A-01-01", 100_000)
    copy = backup.backup(tmp_path / "copy.db")
    moves_before = db.execute("SELECT COUNT(*) FROM stock_move").fetchone()[0]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    writer = subprocess.Popen([sys.executable, "-c", WRITER, world.db.url, str(p.id)], cwd=ROOT, env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdin is not None

        def next_line() -> str:
            ready = select.select([writer.stdout], [], [], 60)[0]
            assert ready, "the writer said nothing for 60 s"
            return writer.stdout.readline().strip()

        first = next_line()
        assert first.startswith("ack"), first + (writer.stderr.read() if writer.stderr else "")
        # The writer is writing (it acknowledged a scan and goes on): restore must refuse.
        with pytest.raises(DatabaseUnavailable, match="restore refused: .*packing station \\(writer\\)"):
            backup.restore(copy, world.db.url)
        second = next_line()
        assert second.startswith("ack")  # it kept going through the attempt
        writer.stdin.write("stop\n")
        writer.stdin.flush()
        acked, last = int(second.split()[1]), ""  # the writer may stop right after this ack
        while not last.startswith("done"):
            last = next_line()
            if last.startswith("ack"):
                acked = int(last.split()[1])
        assert int(last.split()[1]) == acked >= 2
        assert writer.wait(timeout=60) == 0
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    moves = db.execute("SELECT COUNT(*) FROM stock_move").fetchone()[0]
    assert moves == moves_before + acked  # every acknowledged scan is there
    assert ledger.on_hand(p.id, "A-01-02") == acked
    assert ledger.check().ok
    # The writer closed: now the restore goes through, and the ledger is sound.
    db.close()
    backup.restore(copy, world.db.url)
    db.connect(world.db.url)
    assert db.execute("SELECT COUNT(*) FROM stock_move").fetchone()[0] == moves_before
    assert ledger.check().ok


def test_a_marker_held_before_the_file_exists_adopts_it(tmp_path):
    path = tmp_path / "new.db"
    station = station_lock.hold(path, "receiving station")
    try:
        station.check()  # no file yet: nothing to compare
        path.write_bytes(b"")
        station.check()  # the first file seen is the station's own
        other = tmp_path / "other.db"
        other.write_bytes(b"x")
        os.replace(other, path)
        with pytest.raises(DatabaseUnavailable, match="replaced by another file"):
            station.check()
    finally:
        station.release()


def test_a_station_s_card_says_who_is_there_now(sqlite_database):
    import os
    import socket

    from app.store import station_lock

    file = sqlite_database.url[len("sqlite:///"):]
    where = f"on {socket.gethostname()}, process {os.getpid()}"
    station_lock.describe_held("receiving desk (Rita Receiver)")
    assert station_lock.connected(file) == [f"receiving desk (Rita Receiver) {where}"]
    station_lock.describe_held("receiving desk (nobody logged in)")  # a shorter name leaves no tail
    assert station_lock.connected(file) == [f"receiving desk (nobody logged in) {where}"]
