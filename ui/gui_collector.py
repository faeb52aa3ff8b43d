"""Python's cyclic garbage collector, run on the GUI thread only.

Left automatic, a collection runs in whichever thread happens to allocate when a threshold
is crossed: a background task's (a report's query, the ledger check, the daily backup). It
may then free Qt objects caught in a reference cycle (a closed dialog and the lambda
connected to its own signal) off the GUI thread, which crashes the program. While the window
runs, automatic collection is off and a timer collects here, the generation the thresholds
call for, as often as they would have asked. Reference counting frees everything else at
once, as before.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

# How often the thresholds are looked at (a young-generation pass costs well under 1 ms).
INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    """Between ``start`` and ``stop`` the collector runs only from this object's timer."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._was_enabled = False
        self.collections = [0, 0, 0]  # passes made per generation (tests, the log)

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start(INTERVAL_MS)

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def collect_due(self) -> int:
        """Collect the oldest generation whose threshold is passed (as Python would have);
        the generation collected, or -1 when none was due."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        generation = -1
        for gen in range(3):
            if counts[gen] > thresholds[gen]:
                generation = gen
            else:
                break
        if generation >= 0:
            gc.collect(generation)
            self.collections[generation] += 1
        return generation
