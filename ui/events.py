"""One application-wide events object: the one place where what the services changed
becomes Qt signals that the open screens listen to.

Services note their changes (``app.store.changes.changed``); after each commit the
``Changes`` arrive here, from any thread, and are re-emitted on the GUI thread: ``changed``
with the kinds and ids, and the per-kind signals the screens connect to.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot

from app.store import changes, locale

# Which per-kind signal a changed document kind raises.
KIND_SIGNALS = {
    "stock": "stock_changed",
    "order": "orders_changed",
    "receipt": "shipments_changed",
    "picklist": "picklists_changed",
    "package": "packages_changed",
    "setting": "settings_changed",  # the warehouse's time zone, units, cut-off...
}


class AppEvents(QObject):
    """Signals raised after a transaction committed (never before, never for a rollback)."""

    changed = Signal(object)  # a Changes: every kind and id one commit touched
    stock_changed = Signal()
    orders_changed = Signal()
    shipments_changed = Signal()
    picklists_changed = Signal()
    packages_changed = Signal()
    settings_changed = Signal()  # after the zone and units in force were read again
    _arrived = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._arrived.connect(self.on_changes_arrived, Qt.ConnectionType.QueuedConnection)
        self._stop = changes.listen(self._relay)

    def _relay(self, news: changes.Changes) -> None:
        try:
            self._arrived.emit(news)
        except RuntimeError:  # this object is gone (its window closed): stop listening
            self._stop()

    def detach(self) -> None:
        """Stop listening (the window closes)."""
        self._stop()

    @Slot(object)
    def on_changes_arrived(self, news: changes.Changes) -> None:
        if "setting" in news:  # (another station's too) before any screen redraws with them
            locale.load()
        self.changed.emit(news)
        for kind, name in KIND_SIGNALS.items():
            if kind in news:
                getattr(self, name).emit()
