"""The log file's size rotation (5 files of 2 MB), by the standard library's handler.

Loaded after a station's login dialog is drawn (``logging.handlers`` is not on the way to
it) and at once by the command line; see ``app.kernel.logsetup``."""

from __future__ import annotations

import logging.handlers

from app.kernel import logsetup


def rotate_log() -> None:
    """From now on the log file rotates by size; nothing written so far is lost (the plain
    handler wrote and flushed each record as it came). Does nothing without a log file or
    when the file rotates already."""
    current = logsetup.file_handler()
    if current is None or isinstance(current, logging.handlers.RotatingFileHandler):
        return
    rotating = logging.handlers.RotatingFileHandler(
        current.baseFilename, maxBytes=logsetup.MAX_BYTES, backupCount=logsetup.BACKUP_COUNT,
        encoding="utf-8")
    rotating.setFormatter(current.formatter)
    rotating.setLevel(current.level)
    logsetup.replace_file_handler(rotating)
