"""Background tasks: a task that ends after its window closed reports nothing and raises nothing."""

from __future__ import annotations

import logging

import shiboken6

from ui.worker import Task


def test_a_task_finishing_after_its_signals_are_gone_is_dropped_quietly(qtbot, caplog):
    for fn in (lambda: 42, lambda: 1 / 0):
        task = Task(fn, (), {})
        shiboken6.delete(task.signals)  # what quitting does to the GUI-side object
        with caplog.at_level(logging.DEBUG, logger="ui.worker"):
            task.run()
        assert "finished after its window closed" in caplog.text
        assert "RuntimeError" not in caplog.text
        caplog.clear()
