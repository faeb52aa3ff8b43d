"""The returns desk's papers: the customer's return authorisation and the disposition sheet."""

from __future__ import annotations

from app.documents.rma import RmaDocument, render_disposition_sheet, render_rma
from app.kernel import clock
from app.returns.common import QUARANTINE_CODE, SCRAP_CODE
from app.returns.queries import rma_detail
from app.store import db
from app.store.settings import get_setting

# The warehouse's address for returned parcels (lines separated by newlines); without it the
# authorisation names the client's own address.
RETURN_ADDRESS_KEY = "return_address"


def rma_document(rma: int | str) -> RmaDocument:
    """What the return authorisation of an RMA prints (plain data)."""
    d = rma_detail(rma)
    names = {ln.sku: ln.name for ln in d.lines}
    setting = (get_setting(RETURN_ADDRESS_KEY, "") or "").strip()
    if setting:
        return_to = tuple(x.strip() for x in setting.splitlines() if x.strip())
    else:
        row = db.execute("SELECT name, address1, address2, city, province, zip, country FROM client WHERE code = ?",
                         (d.client_code,)).fetchone()
        name, a1, a2, city, prov, zip_, country = row
        return_to = tuple(x for x in (name, a1, a2, " ".join(y for y in (city, prov, zip_) if y), country) if x)
    created = clock.local_text(d.created_at, "%Y-%m-%d")  # the warehouse's date
    return RmaDocument(
        number=d.number, client_name=d.client_name, order_number=d.order_number, created=created,
        customer=d.address,
        lines=tuple((ln.sku, names.get(ln.sku, ""), ln.expected, ln.reason, ln.wants) for ln in d.lines),
        replacements=d.replacements, instructions=d.returns_note, return_to=return_to)


def render_rma_pdf(rma: int | str) -> bytes:
    """The return authorisation of an RMA as PDF bytes."""
    return render_rma(rma_document(rma))


def disposition_sheet() -> bytes:
    """The desk's sheet of disposition barcodes (a bin's own label restocks into it)."""
    return render_disposition_sheet(((QUARANTINE_CODE, "inspect later"), (SCRAP_CODE, "write off")))
