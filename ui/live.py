"""Other stations' work on this station's open screens: a timer asks ``app.store.live`` what
they committed and hands it to the events object, which the screens already listen to."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from app.store import live
from ui.events import AppEvents

log = logging.getLogger(__name__)

# How often to look (ms): a notice or a data-version check costs well under a millisecond,
# and another station's work shows here within this time.
INTERVAL_MS = 500


class LiveUpdates(QObject):
    """Polls the database for other stations' commits while the window is open."""

    def __init__(self, events: AppEvents, *, interval_ms: int = INTERVAL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._events = events
        self._watcher: live.Watcher | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        try:
            self._watcher = live.watch()
        except Exception as exc:  # noqa: BLE001 - the screens still work; they just hear less
            log.warning("other stations' changes will not show by themselves: %s", exc)
            return
        self._timer.start()

    def poll(self) -> None:
        if self._watcher is None:
            return
        try:
            news = self._watcher.poll()
        except Exception:  # noqa: BLE001 - a database hiccup: the next tick tries again
            log.exception("checking for other stations' changes failed")
            return
        if news is not None:
            self._events.on_changes_arrived(news)

    def stop(self) -> None:
        self._timer.stop()
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None
