"""Which stations have a SQLite database open: the marker a restore must wait for, and the
check that the file a station writes to is still the one it opened.

Every station that opens ``<db>`` (the real file: a symbolic link or another spelling of its
path leads to the same marker) holds a *shared* ``flock`` on ``<db>.lock`` for as long
as it is open, and an exclusive one on its own name card ``<db>.stations/<host>-<pid>-<n>``
(a line saying who it is). The locks are taken through ``portalocker`` (``flock`` on POSIX,
``LockFileEx`` on Windows), so stations run on both. A restore takes the *exclusive* lock on ``<db>.lock``: it gets
it only when no station is open, and while it holds it no station can open. When it cannot,
it reads the name cards whose lock is still held (a card whose lock is free was left by a
station that died, and is removed) to say who is connected. The operating system drops a
``flock`` when its process ends, however it ends, so a crash never leaves the database
locked. ``flock`` locks belong to an open file, so two connections of one process exclude
each other just like two processes.

A station also remembers which file it opened (device and inode): :meth:`StationMarker.check`
refuses to go on when the file at that path is another one (replaced by a copy) or is gone,
instead of writing into a deleted file whose work nobody would ever see again.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import portalocker

from app.kernel.errors import DatabaseUnavailable

_serial = itertools.count(1)
_held: list[StationMarker] = []  # the markers this process holds, for check_held()


def real_file(db_path: str | Path) -> Path:
    """The database file itself, whatever path names it (through a link, ``..`` or a
    relative path): every station and every restore of one file meet at the same marker."""
    return Path(os.path.realpath(db_path))


def lock_path(db_path: str | Path) -> Path:
    """The marker file next to the database (the real file, not a link to it)."""
    return Path(str(real_file(db_path)) + ".lock")


def cards_dir(db_path: str | Path) -> Path:
    """The folder of the connected stations' name cards, next to the real database file."""
    return Path(str(real_file(db_path)) + ".stations")


def _file_id(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)


@dataclass
class StationMarker:
    """A station's hold on a database file; ``release()`` when the station closes it."""

    db_path: Path
    who: str
    _lock: IO[bytes] | None = field(default=None, repr=False)
    _card: IO[bytes] | None = field(default=None, repr=False)
    _card_path: Path | None = field(default=None, repr=False)
    _file_id: tuple[int, int] | None = field(default=None, repr=False)

    def check(self) -> None:
        """Raise DatabaseUnavailable if the database file was replaced or removed since it
        was opened here (call before writing)."""
        if self._lock is None:
            return
        now = _file_id(self.db_path)
        if self._file_id is None:
            # Held before the file existed (a new database): the first file seen is ours.
            self._file_id = now
            return
        if now != self._file_id:
            what = "removed" if now is None else "replaced by another file"
            raise DatabaseUnavailable(
                f"the database file {self.db_path} was {what} while this station had it open "
                "(a restore?): nothing more is written here; close PrepDesk and start it again")

    def describe(self, who: str) -> None:
        """Say ``who`` on the name card from now on (a person logged in or out)."""
        self.who = _label(who)
        if self._card is None:
            return
        try:
            self._card.seek(0)
            self._card.truncate()
            self._card.write(self.who.encode() + b"\n")
            self._card.flush()
        except OSError:
            pass  # the card only names the station to a refused restore: the old name stays

    def release(self) -> None:
        """Let go of the database (idempotent): a restore may now replace it."""
        if self in _held:
            _held.remove(self)
        if self._card is not None:
            if self._card_path is not None:
                self._card_path.unlink(missing_ok=True)
            self._card.close()
            self._card = None
        if self._lock is not None:
            self._lock.close()  # closing the file drops its flock
            self._lock = None


def hold(db_path: str | Path, who: str = "") -> StationMarker:
    """Mark ``db_path`` as open by this station until ``release()`` (or the process ends).

    Args:
        db_path: the SQLite database file the station opened.
        who: how a restore names this station, e.g. "packing station (Pat Packer)";
            the host name and process id are added.

    Raises:
        DatabaseUnavailable: a restore is replacing the database right now, or the marker
            file cannot be made next to the database.
    """
    db_path = real_file(db_path)
    label = _label(who)
    marker = StationMarker(db_path, label)
    try:
        lock = open(lock_path(db_path), "a+b")  # noqa: SIM115 - held open while the station is
        try:
            portalocker.lock(lock, portalocker.LOCK_SH | portalocker.LOCK_NB)
        except portalocker.LockException:
            lock.close()
            raise DatabaseUnavailable(
                f"a restore is replacing {db_path} right now: try again in a minute") from None
        marker._lock = lock
        cards = cards_dir(db_path)
        cards.mkdir(exist_ok=True)
        card_path = cards / f"{socket.gethostname()}-{os.getpid()}-{next(_serial)}"
        card = open(card_path, "wb")  # noqa: SIM115 - held open (and locked) while the station is
        portalocker.lock(card, portalocker.LOCK_EX)
        card.write(label.encode() + b"\n")
        card.flush()
        marker._card, marker._card_path = card, card_path
    except OSError as exc:
        marker.release()
        raise DatabaseUnavailable(
            f"cannot mark {db_path} as open: {exc.strerror or exc}") from None
    marker._file_id = _file_id(db_path)
    _held.append(marker)
    return marker


def _label(who: str) -> str:
    return f"{who or 'a station'} on {socket.gethostname()}, process {os.getpid()}"


def describe_held(who: str) -> None:
    """Name this station as ``who`` on the cards of every database it holds, e.g. when
    somebody logs in ("packer workstation (Pat Packer)") or out."""
    for marker in list(_held):
        marker.describe(who)


def check_held() -> None:
    """``check()`` every database this process holds (cheap: one ``stat`` each)."""
    for marker in list(_held):
        marker.check()


def connected(db_path: str | Path) -> list[str]:
    """Who holds ``db_path`` open now, as their name cards say (stale cards are removed)."""
    names: list[str] = []
    folder = cards_dir(db_path)
    if not folder.is_dir():
        return names
    for card_path in sorted(folder.iterdir()):
        try:
            with open(card_path, "rb") as card:
                try:
                    portalocker.lock(card, portalocker.LOCK_EX | portalocker.LOCK_NB)
                except portalocker.LockException:
                    names.append(card.read().decode(errors="replace").strip() or card_path.name)
                    continue
                # Nobody holds it: its station ended without tidying up.
                card_path.unlink(missing_ok=True)
        except OSError:
            continue
    return names


@contextlib.contextmanager
def exclusive(db_path: str | Path, *, action: str = "restore",
              advice: str = "close PrepDesk there first") -> Iterator[None]:
    """Hold ``db_path`` for a restore (or a backup replacing it): no station open now, and
    none can open meanwhile. ``action`` and ``advice`` word the refusal.

    Raises:
        DatabaseUnavailable: a station has the database open (named when its card says so).
        OSError: the marker file cannot be made (no such folder, no permission).
    """
    with open(lock_path(db_path), "a+b") as lock:
        try:
            portalocker.lock(lock, portalocker.LOCK_EX | portalocker.LOCK_NB)
        except portalocker.LockException:
            names = connected(db_path)
            where = "; ".join(names) if names else "a station"
            raise DatabaseUnavailable(
                f"{action} refused: {real_file(db_path)} is open at {where}: {advice}"
            ) from None
        yield None
