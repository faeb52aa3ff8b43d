"""The log file rotates by size like the standard library's RotatingFileHandler: NAME, NAME.1
... NAME.<backups>, the oldest dropped; no record is split or lost at a rotation."""

from __future__ import annotations

import logging

from app.kernel.logsetup import RotatingLogFile


def _logger(handler: logging.Handler) -> logging.Logger:
    logger = logging.getLogger("tests.logsetup")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger


def test_the_log_file_rotates_before_it_would_pass_its_size_and_keeps_its_backups(tmp_path):
    path = tmp_path / "prepdesk.log"
    handler = RotatingLogFile(path, max_bytes=100, backup_count=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = _logger(handler)
    try:
        for n in range(1, 10):
            log.info("record %02d %s", n, "x" * 20)  # 30 characters and a newline: 3 a file
    finally:
        handler.close()
    assert path.read_text(encoding="utf-8") == f"record 07 {'x' * 20}\nrecord 08 {'x' * 20}\nrecord 09 {'x' * 20}\n"
    assert (tmp_path / "prepdesk.log.1").read_text(encoding="utf-8").splitlines() == [
        f"record 0{n} {'x' * 20}" for n in (4, 5, 6)]
    assert (tmp_path / "prepdesk.log.2").read_text(encoding="utf-8").splitlines() == [
        f"record 0{n} {'x' * 20}" for n in (1, 2, 3)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prepdesk.log", "prepdesk.log.1", "prepdesk.log.2"]


def test_a_reopened_log_file_appends_and_rotates_on_its_existing_size(tmp_path):
    path = tmp_path / "prepdesk.log"
    path.write_text("y" * 90 + "\n", encoding="utf-8")  # what the last start wrote
    handler = RotatingLogFile(path, max_bytes=100, backup_count=1)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = _logger(handler)
    try:
        log.info("first of this start")
        log.info("second")
    finally:
        handler.close()
    assert (tmp_path / "prepdesk.log.1").read_text(encoding="utf-8") == "y" * 90 + "\n"
    assert path.read_text(encoding="utf-8") == "first of this start\nsecond\n"
