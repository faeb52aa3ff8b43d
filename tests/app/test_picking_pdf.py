"""The printed pick list read back with real readers: pypdf (text), pypdfium2 + zxing-cpp (barcode)."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pypdfium2
import pytest
import zxingcpp

from app import picking
from app.documents.picklist_pdf import render_picklist
from app.errors import ValidationError
from tests.app.test_picking import WALK, expected_stops, wave  # noqa: F401 - fixture


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _barcodes(pdf: bytes, page_index: int = 0) -> list[str]:
    doc = pypdfium2.PdfDocument(pdf)
    image = doc[page_index].render(scale=300 / 72, fill_color=(255, 255, 255, 255)).to_pil()
    return [r.text for r in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("page_size", ["letter", "a4"])
def test_pick_list_pdf_text_in_walk_order_and_barcode_decodes(wave, page_size):  # noqa: F811
    ref = picking.create_picklist(actor=wave.actor, picker="Pat Picker")
    pdf = picking.render_pdf(ref.number, page_size=page_size)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == ((612, 792) if page_size == "letter"
                                                                    else (595, 842))
    text = "\n".join(_text(pdf))
    assert f"PICK LIST {ref.number}" in text
    assert "Picker: Pat Picker" in text
    assert "Created: 2026-03-02 09:00" in text
    assert "page 1 of 1" in text
    # stops appear in walk order, each with its quantity and tote split
    positions = [text.index(b) for b in WALK]
    assert positions == sorted(positions)
    lines = [ln.strip() for ln in text.splitlines()]
    for bin_code, sku, total, totes in expected_stops():
        i = lines.index(bin_code)  # a row reads: bin, SKU, name, quantity, tote split
        split = ", ".join(f"T{t} x{q}" for t, q in totes)
        assert lines[i + 1 : i + 5] == [sku, f"Product {sku}", str(total), split]
    assert "Packing: Fragile: bubble wrap" in text
    assert "T1: 1003 (ACME, Customer 1003)" in text
    assert _barcodes(pdf) == [ref.number]


def test_long_pick_list_pages_are_numbered_n_of_m(wave):  # noqa: F811
    ref = picking.create_picklist(actor=wave.actor)
    view = picking.picklist_view(ref.id)
    # the same stops repeated make a long list (layout only: no database involved)
    many = tuple(s.__class__(**{**s.__dict__, "index": i + 1})
                 for i, s in enumerate(view.stops * 20))
    long_view = view.__class__(**{**view.__dict__, "stops": many})
    pdf = render_picklist(long_view, page_size="a4")
    pages = _text(pdf)
    assert len(pages) >= 3
    for n, page in enumerate(pages, start=1):
        assert f"page {n} of {len(pages)}" in page
        assert f"PICK LIST {ref.number}" in page
    assert _barcodes(pdf, len(pages) - 1) == [ref.number]  # every page carries the barcode


def test_bad_page_size_is_refused(wave):  # noqa: F811
    ref = picking.create_picklist(actor=wave.actor)
    with pytest.raises(ValidationError, match="letter or a4"):
        picking.render_pdf(ref.id, page_size="legal")


def test_picklist_pdf_has_created_date(wave, frozen_clock):  # noqa: F811
    frozen_clock.advance(days=1)
    ref = picking.create_picklist(actor=wave.actor)
    assert picking.picklist_view(ref.id).created_at == dt.datetime(2026, 3, 3, 9, 0)
