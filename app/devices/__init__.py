"""Printers: ZPL over TCP, CUPS queues."""

from __future__ import annotations

from app.devices.printing import (
    DEFAULT_ZPL_PORT,
    PrinterError,
    check_target,
    send_labels,
    send_pdf,
    send_zpl,
)

__all__ = [
    "DEFAULT_ZPL_PORT",
    "PrinterError",
    "check_target",
    "send_labels",
    "send_pdf",
    "send_zpl",
]
