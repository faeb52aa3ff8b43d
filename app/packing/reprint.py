"""Papers of an order printed again at the packing station, shipped orders included."""

from __future__ import annotations

from dataclasses import dataclass

from app.catalog.scan import resolve
from app.kernel.barcodes import clean_scan
from app.kernel.errors import NotFound, UnknownBarcode, ValidationError
from app.kernel.states import PackageStatus
from app.kernel.text import counted
from app.packing.papers import render_carton_label, render_slip
from app.packing.view import packages_of


@dataclass(frozen=True)
class Reprint:
    """An order's slip and its live packages' carton labels, rendered again."""

    order_id: int
    number: str
    slip_pdf: bytes
    labels: tuple[tuple[int, bytes], ...]  # (package number, PDF or ZPL)

    @property
    def message(self) -> str:
        return f"order {self.number}: slip and {counted(len(self.labels), 'label')} ready to print again"


def reprint_papers(order_code: str, *, label_format: str = "pdf", dpi: int = 203) -> Reprint:
    """The papers of the order scanned or typed (any status: a shipped order's label torn
    off in the truck is printed again). Read-only.

    Raises:
        NotFound: no such order. ValidationError: nothing typed; the number is several
            clients'; a bad label format.
    """
    code = clean_scan(order_code or "")
    if not code:
        raise ValidationError("scan or type the order number to reprint")
    try:
        match = resolve(code, kinds=("order",))
    except UnknownBarcode:
        raise NotFound(f"no order {code}") from None
    labels = tuple((p.number, render_carton_label(match.id, seq=p.seq, fmt=label_format, dpi=dpi))
                   for p in packages_of(match.id) if p.status != PackageStatus.VOID)
    return Reprint(match.id, match.label, render_slip(match.id), labels)
