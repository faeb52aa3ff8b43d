"""Logging to a rotating file in the user's data directory (tracebacks go there, not to users)."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from app.store.db import user_data_dir

_configured: Path | None = None


def log_dir() -> Path:
    env = os.environ.get("PREPDESK_LOG_DIR")
    return Path(env) if env else user_data_dir() / "logs"


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
