"""The log file: written from the first record by a plain file handler, then rotated by size
by the standard library's RotatingFileHandler (NAME, NAME.1 ... NAME.5) once it takes over,
with nothing lost at the hand-over."""

from __future__ import annotations

import logging
import logging.handlers

import pytest

from app.kernel import logrotate, logsetup


@pytest.fixture
def fresh_log(tmp_path, monkeypatch):
    monkeypatch.setenv("PREPDESK_LOG_DIR", str(tmp_path))
    monkeypatch.setattr(logsetup, "_configured", None)
    monkeypatch.setattr(logsetup, "_handler", None)
    monkeypatch.setattr(logsetup, "MAX_BYTES", 100)
    monkeypatch.setattr(logsetup, "BACKUP_COUNT", 2)
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    yield tmp_path
    handler = logsetup.file_handler()
    if handler is not None:
        root.removeHandler(handler)
        handler.close()
    root.handlers[:] = before
    root.setLevel(level)


def test_the_plain_file_hands_over_to_size_rotation_losing_nothing(fresh_log):
    path = logsetup.setup_logging()
    assert path == fresh_log / "prepdesk.log"
    assert type(logsetup.file_handler()) is logging.FileHandler
    log = logging.getLogger("tests.logsetup")
    log.info("before the dialog %s", "x" * 60)
    logrotate.rotate_log()
    assert isinstance(logsetup.file_handler(), logging.handlers.RotatingFileHandler)
    ours = [h for h in logging.getLogger().handlers
            if isinstance(h, logging.FileHandler) and h.baseFilename == str(path)]
    assert ours == [logsetup.file_handler()]
    for n in range(1, 7):
        log.info("record %02d %s", n, "y" * 40)
    logrotate.rotate_log()  # a second hand-over changes nothing
    names = sorted(p.name for p in fresh_log.iterdir())
    assert names == ["prepdesk.log", "prepdesk.log.1", "prepdesk.log.2"]
    text = "".join((fresh_log / n).read_text(encoding="utf-8") for n in reversed(names[1:]))
    text += (fresh_log / "prepdesk.log").read_text(encoding="utf-8")
    # the last 100 bytes' worth of files hold the newest records, whole, in order
    assert "record 06" in (fresh_log / "prepdesk.log").read_text(encoding="utf-8")
    kept = [line.split(": ", 1)[1] for line in text.splitlines()]
    assert kept == [f"record 0{n} {'y' * 40}" for n in range(7 - len(kept), 7)]
