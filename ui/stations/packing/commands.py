"""The packing station's command barcodes (NEXT BOX, CLOSE BOX, PRINT SLIP, PRINT LABEL,
CANCEL) done on its tab; ACK goes the way of the ACK code."""

from __future__ import annotations

from typing import Any


def run_command(tab: Any, name: str) -> None:
    """Do what the command scanned on the station's sheet asks, as its button would."""
    actions = {
        "NEXT BOX": tab.on_next_box_clicked,
        "CLOSE BOX": tab.on_close_clicked,
        "PRINT SLIP": tab.on_slip_clicked,
        "PRINT LABEL": tab.on_label_clicked,
    }
    if name in actions:
        actions[name]()
    elif name == "CANCEL":
        # nothing half-done to take back at packing but a typed weight or a chosen estimate
        tab.weight.setValue(0.0)
        tab.box_panel.use_estimate.setChecked(False)
        tab.status.setText("Cancelled: weigh the box again")
