"""Logging to a rotating file in this platform's log folder (tracebacks go there, not to users).

The file rotates itself (:class:`RotatingLogFile`, the standard library's size rotation on
``logging.FileHandler``): ``logging.handlers`` is not imported, as it pulls in sockets,
pickling and queues (≈8 ms before the login dialog) that a file does not need. Records go to
the file from the first one, so a crash before the first window still reaches it."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import platformdirs

_configured: Path | None = None

MAX_BYTES = 2_000_000
BACKUP_COUNT = 5


def log_dir() -> Path:
    """``PREPDESK_LOG_DIR`` if set, else the platform's log folder for PrepDesk.

    ``~/.local/state/prepdesk/log`` (or under ``$XDG_STATE_HOME``) on Linux,
    ``%LOCALAPPDATA%\\prepdesk\\Logs`` on Windows, ``~/Library/Logs/prepdesk`` on macOS.
    """
    env = os.environ.get("PREPDESK_LOG_DIR")
    if env:
        return Path(env)
    return Path(platformdirs.user_log_dir("prepdesk", appauthor=False))


class RotatingLogFile(logging.FileHandler):
    """A log file of at most ``max_bytes``: before a record would pass that, ``NAME`` becomes
    ``NAME.1`` (``NAME.1`` becomes ``NAME.2``, ... up to ``backup_count``; the oldest goes)
    and a new ``NAME`` starts — what ``logging.handlers.RotatingFileHandler`` does."""

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, backup_count: int = BACKUP_COUNT) -> None:
        super().__init__(path, mode="a", encoding="utf-8")
        self.max_bytes, self.backup_count = max_bytes, backup_count

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(record):
                self._rotate()
        except Exception:  # logging never raises: handleError reports it on stderr
            self.handleError(record)
            return
        super().emit(record)

    def _full(self, record: logging.LogRecord) -> bool:
        if self.max_bytes <= 0:
            return False
        if self.stream is None:
            self.stream = self._open()
        size = self.stream.tell()
        if size == 0 or size + len(self.format(record)) + 1 < self.max_bytes:
            return False
        return os.path.isfile(self.baseFilename)  # (never rotates a device such as /dev/null)

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # reopened by emit
        base = self.baseFilename
        if self.backup_count > 0:
            for i in range(self.backup_count - 1, 0, -1):
                if os.path.exists(f"{base}.{i}"):
                    os.replace(f"{base}.{i}", f"{base}.{i + 1}")
            os.replace(base, f"{base}.1")
        else:
            os.remove(base)


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send log records to ``prepdesk.log`` (5 files of 2 MB); returns the file's path."""
    global _configured
    if _configured is not None:
        return _configured
    path = log_dir() / "prepdesk.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingLogFile(path)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("peewee").setLevel(logging.WARNING)
    _configured = path
    return path
