"""One application-wide events object: services say what changed, widgets listen and reload."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppEvents(QObject):
    """Emitted by whoever changed something (after the transaction committed); no arguments."""

    stock_changed = Signal()
    orders_changed = Signal()
    shipments_changed = Signal()
    picklists_changed = Signal()
    packages_changed = Signal()
