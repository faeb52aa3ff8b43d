"""Demo data for the packing station: the box types a small warehouse keeps on its shelf."""

from __future__ import annotations

from app import packing
from app.kernel.actor import Actor

# name, inner L x W x H (cm), empty weight (kg), maximum load (kg)
DEMO_BOXES = (
    ("Mailer", (30.0, 22.0, 5.0), 0.08, 2.0),
    ("Small", (25.0, 20.0, 12.0), 0.20, 8.0),
    ("Medium", (35.0, 25.0, 18.0), 0.35, 15.0),
    ("Large", (45.0, 35.0, 30.0), 0.60, 25.0),
    ("X-Large", (60.0, 40.0, 40.0), 0.95, 30.0),
)


def add_demo_documents(*, actor: Actor) -> list[str]:
    """Add the demo box types (skipping names that exist); returns the summary lines."""
    existing = {b.name for b in packing.list_box_types(include_inactive=True)}
    added = []
    for name, (length, width, height), weight, max_weight in DEMO_BOXES:
        if name in existing:
            continue
        packing.add_box_type(name, length_cm=length, width_cm=width, height_cm=height,
                             weight_kg=weight, max_weight_kg=max_weight, actor=actor)
        added.append(name)
    if not added:
        return []
    return [f"packing: {len(added)} box types ({', '.join(added)}); GS1 company prefix "
            f"{packing.gs1_company_prefix()} (placeholder until `setting set gs1_company_prefix ...`)"]
