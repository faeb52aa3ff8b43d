"""Logging to a rotating file in this platform's log folder (tracebacks go there, not to users)."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

import platformdirs

_configured: Path | None = None


def log_dir() -> Path:
    """``PREPDESK_LOG_DIR`` if set, else the platform's log folder for PrepDesk.

    ``~/.local/state/prepdesk/log`` (or under ``$XDG_STATE_HOME``) on Linux,
    ``%LOCALAPPDATA%\\prepdesk\\Logs`` on Windows, ``~/Library/Logs/prepdesk`` on macOS.
    """
    env = os.environ.get("PREPDESK_LOG_DIR")
    if env:
        return Path(env)
    return Path(platformdirs.user_log_dir("prepdesk", appauthor=False))


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send log records to ``prepdesk.log`` (5 files of 2 MB); returns the file's path."""
    global _configured
    if _configured is not None:
        return _configured
    path = log_dir() / "prepdesk.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("peewee").setLevel(logging.WARNING)
    _configured = path
    return path
