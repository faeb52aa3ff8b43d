"""Logging to a rotating file in the user's data directory (tracebacks go there, not to users).

The caller names the data directory (``app.store.db.user_data_dir()``): the kernel knows no database.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

_configured: Path | None = None


def log_dir(data_dir: Path) -> Path:
    """Where the log files go: ``PREPDESK_LOG_DIR`` if set, else ``logs`` in the data directory."""
    env = os.environ.get("PREPDESK_LOG_DIR")
    return Path(env) if env else data_dir / "logs"


def setup_logging(data_dir: Path, level: int = logging.INFO) -> Path | None:
    """Send log records to ``prepdesk.log`` (5 files of 2 MB); returns the file's path."""
    global _configured
    if _configured is not None:
        return _configured
    path = log_dir(data_dir) / "prepdesk.log"
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
