"""The receiving desk's command barcodes (DAMAGED, PUTAWAY, UNDO, QTY n, CANCEL, ACK) done on its tab."""

from __future__ import annotations

from typing import Any

from app.kernel.commands import qty_of


def run_command(tab: Any, name: str) -> None:
    """Do what the command scanned on the desk's sheet asks, as its key or button would."""
    qty = qty_of(name)
    if qty is not None:
        tab.qty.setValue(qty)
        tab.banner.show_ok(f"Qty {qty} for the next scan")
    elif name == "DAMAGED":
        tab.damaged.toggle()
    elif name == "PUTAWAY":
        tab.putaway_mode.toggle()
    elif name == "UNDO":
        tab.undo_last()
    elif name == "ACK":
        tab.banner.acknowledge()
    elif name == "CANCEL":
        tab.damaged.setChecked(False)
        tab.qty.setValue(1)
        tab.putaway_product = None
        tab.banner.acknowledge()
        tab.banner.show_idle("Cancelled: scan again")
    tab.scan_field.grab_focus()
