"""The picking station's command barcodes (QTY n, CANCEL, ACK) done on its panel."""

from __future__ import annotations

from typing import Any

from app.kernel.commands import qty_of


def run_command(panel: Any, name: str) -> None:
    """Do what the command scanned on the station's sheet asks, as its key would."""
    qty = qty_of(name)
    if qty is not None:
        panel.qty.setValue(qty)
        panel.banner.show_ok(f"Qty {qty}")
    elif name == "ACK":
        panel.banner.acknowledge()
    elif name == "CANCEL":
        panel.banner.acknowledge()
        panel.restart_stop()
