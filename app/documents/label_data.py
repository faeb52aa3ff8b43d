"""What a label carries (``Label``) and the limits of a batch, without the drawing.

``app.documents.labels`` draws them (ReportLab); a service or a screen that only builds or
counts labels imports this module, so it does not load ReportLab before anything is printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

FORMATS = ("sheet", "thermal", "zpl")
MAX_LABELS = 10_000

Progress = Callable[[int, int], None]  # (labels done, labels in all)


@dataclass(frozen=True)
class Label:
    code: str  # what the barcode carries, exactly
    title: str = ""
    condition: str = "New"
    kind: str = "unit"  # "bin": the code itself is the headline, big enough to read from the aisle
    expiry: dt.date | None = None
    lot: str = ""  # printed beside the expiry when given

    @property
    def expiry_line(self) -> str:
        """The expiry as marketplaces require it, with the lot when the label carries one."""
        parts = [f"EXP {self.expiry:%m-%d-%Y}"] if self.expiry else []
        if self.lot:
            parts.append(f"LOT {self.lot}")
        return "  ".join(parts)
