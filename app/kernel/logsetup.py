"""Logging to a file in this platform's log folder (tracebacks go there, not to users).

``setup_logging`` opens ``prepdesk.log`` with a plain ``logging.FileHandler``, so records
reach the file from the first one (a crash before the first window included) without
importing ``logging.handlers``, which pulls in sockets, pickling and queues (≈8 ms before a
station's login dialog). ``app.kernel.logrotate`` then hands the same file to the standard
library's ``RotatingFileHandler`` (5 files of 2 MB): at once for the command line, once the
login dialog is drawn for a station."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import platformdirs

_configured: Path | None = None
_handler: logging.FileHandler | None = None

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


def file_handler() -> logging.FileHandler | None:
    """The handler writing ``prepdesk.log`` (None before ``setup_logging``)."""
    return _handler


def replace_file_handler(new: logging.FileHandler) -> None:
    """Write the log through ``new`` (same file) from now on; the old handler is closed."""
    global _handler
    old, _handler = _handler, new
    root = logging.getLogger()
    root.addHandler(new)
    if old is not None:
        root.removeHandler(old)
        old.close()


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send log records to ``prepdesk.log`` (5 files of 2 MB); returns the file's path."""
    global _configured
    if _configured is not None:
        return _configured
    path = log_dir() / "prepdesk.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A plain file first: the size rotation (``app.kernel.logrotate``, the standard
        # library's) takes over once the station's first screen is drawn.
        handler = logging.FileHandler(path, mode="a", encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("peewee").setLevel(logging.WARNING)
    global _handler
    _handler = handler
    _configured = path
    return path
