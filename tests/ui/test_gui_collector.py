"""While the window runs, reference cycles are collected on the GUI thread only."""

from __future__ import annotations

import gc
import threading

from ui.gui_collector import GuiThreadCollector


class _Cycle:
    def __init__(self, freed: list[str]) -> None:
        self.me = self
        self.freed = freed

    def __del__(self) -> None:
        self.freed.append(threading.current_thread().name)


def test_cycles_made_by_a_background_thread_are_freed_on_the_gui_thread(qtbot):
    collector = GuiThreadCollector()
    freed: list[str] = []
    collector.start()
    try:
        assert not gc.isenabled()

        kept: list[object] = []

        def allocate() -> None:  # a report's rows kept, and a cycle left behind
            _Cycle(freed)
            kept.append([[i] for i in range(5_000)])

        worker = threading.Thread(target=allocate, name="worker")
        worker.start()
        worker.join()
        assert freed == []  # no collection ran on the worker
        assert gc.get_count()[0] > gc.get_threshold()[0]  # automatic collection was due
        qtbot.waitUntil(lambda: freed == [threading.current_thread().name], timeout=5000)
        assert sum(collector.collections) >= 1
    finally:
        collector.stop()
    assert gc.isenabled()


def test_only_a_due_generation_is_collected():
    collector = GuiThreadCollector()
    collector.start()
    try:
        gc.collect()
        assert collector.collect_due() == -1  # nothing allocated since: nothing due
        keep = [[i] for i in range(gc.get_threshold()[0] + 10)]
        assert collector.collect_due() >= 0
        del keep
    finally:
        collector.stop()
