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
    ran_on: list[str] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            ran_on.append(threading.current_thread().name)

    gc.callbacks.append(note)
    thresholds = gc.get_threshold()
    collector.start()
    try:
        assert not gc.isenabled()
        kept: list[object] = []

        def allocate() -> None:  # a report's rows kept (well past a collection's threshold), a cycle left
            _Cycle(freed)
            kept.append([[i] for i in range(5_000)])

        worker = threading.Thread(target=allocate, name="worker")
        worker.start()
        worker.join()
        assert freed == [] and "worker" not in ran_on  # no collection ran on the worker
        gc.set_threshold(1)  # (other tests' objects freed meanwhile must not make it look not due)
        qtbot.waitUntil(lambda: freed == [threading.current_thread().name], timeout=5000)
        assert set(ran_on) == {threading.current_thread().name} and sum(collector.collections) >= 1
    finally:
        collector.stop()
        gc.set_threshold(*thresholds)
        gc.callbacks.remove(note)
    assert gc.isenabled()


def test_only_a_due_generation_is_collected():
    collector = GuiThreadCollector()
    thresholds = gc.get_threshold()
    collector.start()
    try:
        gc.set_threshold(100, 10, 10)
        gc.collect()
        assert collector.collect_due() == -1  # nothing allocated since: nothing due
        keep = [[i] for i in range(200)]
        assert collector.collect_due() == 0 and collector.collections[0] == 1
        del keep
    finally:
        collector.stop()
        gc.set_threshold(*thresholds)
