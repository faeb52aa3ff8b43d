"""The printed pick list read back with real readers: pypdf (text), pypdfium2 + zxing-cpp (barcode)."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pypdfium2
import pytest
import zxingcpp

from app import ledger, picking
from app.documents.picklist_pdf import render_picklist
from app.kernel.errors import ValidationError
from tests.app.picking.test_picking import WALK, expected_stops, wave  # noqa: F401 - fixture


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
        i = lines.index(bin_code)  # a row reads: bin, SKU, name, [packing], quantity, one line per tote
        note = ["Packing: Fragile: bubble wrap"] if sku == "SKU-F" else []
        row = [sku, f"Product {sku}", *note, str(total), *(f"T{t} × {q}" for t, q in totes)]
        assert lines[i + 1 : i + 1 + len(row)] == row
    # the cart's tote labels come before the first stop
    assert text.index("T1  1003  ACME · Customer 1003") < text.index(WALK[0])
    assert _barcodes(pdf) == [ref.number]
    # one check box per tote line (and one write-in box per stop for a short)
    boxes = _boxes(pdf)
    assert boxes.count("tote") == sum(len(t) for *_, t in expected_stops())
    assert boxes.count("short") == len(WALK)


def _boxes(pdf: bytes) -> list[str]:
    """The stroked rectangles of page 1: 10x10 pt check boxes ('tote'), wider ones ('short')."""
    import re

    content = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    out = []
    for w, h in re.findall(r"[-\d.]+ [-\d.]+ ([-\d.]+) ([-\d.]+) re S", content):
        out.append("tote" if (float(w), float(h)) == (10, 10) else "short")
    return out


def test_barcode_is_crisp_with_quiet_zones_and_decodes_at_printer_resolution(wave):  # noqa: F811
    """0.33 mm modules, 10-module quiet zones inside the page, read at 203 dpi (a thermal or a
    cheap laser) as well as 300."""
    from reportlab.lib.units import mm

    from app.documents.barcode_draw import (
        QUIET_MODULES,
        code128_modules,
        fit_module_width,
        symbol_width,
    )
    from app.documents.picklist_pdf import BAR_MODULE, MARGIN

    ref = picking.create_picklist(actor=wave.actor)
    modules = code128_modules(ref.number)
    width = fit_module_width(modules, 80 * mm, preferred=BAR_MODULE)
    assert width == pytest.approx(0.33 * mm)
    assert symbol_width(modules, width) <= 80 * mm and QUIET_MODULES >= 10
    assert MARGIN >= 10 * mm  # the right quiet zone never runs off the sheet
    pdf = picking.render_pdf(ref.id, page_size="a4")
    doc = pypdfium2.PdfDocument(pdf)
    for dpi in (203, 300):
        image = doc[0].render(scale=dpi / 72, fill_color=(255, 255, 255, 255)).to_pil()
        assert [r.text for r in zxingcpp.read_barcodes(image)] == [ref.number]


def test_names_outside_latin_1_print_as_text_not_boxes(wave):  # noqa: F811
    """A Japanese customer and a Polish product name come out as themselves."""
    from app import orders
    from app.store.models import Order, Product

    Order.update(customer_name="山田 太郎").where(Order.number == "1003").execute()
    Product.update(name="Łódź żółty").where(Product.sku == "SKU-A").execute()
    assert orders  # imported for the fixture's world
    ref = picking.create_picklist(actor=wave.actor)
    text = "\n".join(_text(picking.render_pdf(ref.id)))
    assert "Łódź żółty" in text
    # drawn run by run (Helvetica, then the CJK font): the extractor splits the runs
    legend = text[text.index("T1  1003") : text.index("T2  1001")]
    assert "山田" in legend and "太郎" in legend and "?" not in legend


def test_long_pick_list_pages_are_numbered_n_of_m(wave):  # noqa: F811
    ref = picking.create_picklist(actor=wave.actor)
    view = picking.picklist_view(ref.id)
    # the same stops repeated make a long list (layout only: no database involved)
    many = tuple(s.__class__(**{**s.__dict__, "index": i + 1})
                 for i, s in enumerate(view.stops * 20))
    long_view = view.__class__(**{**view.__dict__, "stops": many})
    pdf = render_picklist(picking.sheet(long_view), page_size="a4")
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


def test_a_reprint_mid_walk_shows_what_is_done(wave):  # noqa: F811
    ref = picking.create_picklist(actor=wave.actor)
    picking.confirm_pick(ref.id, bin_code="C-01-01", scan_code="SKU-H", qty=2, tote=1, actor=wave.actor)
    picking.short_pick(ref.id, bin_code="C-01-01", product="SKU-H", qty_short=1, reason="blocked",
                       actor=wave.actor)
    pdf = picking.render_pdf(ref.id)
    text = "\n".join(_text(pdf))
    assert "Done: 1 of 8 stops" in text
    lines = [ln.strip() for ln in text.splitlines()]
    i = lines.index("C-01-01")
    assert lines[i + 1 : i + 7] == ["SKU-H", "Product SKU-H", "3", "T1 × 2", "T2 × 1", "-1"]
    content = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    assert content.count("1.6 w") == 1  # one tick: tote 1 got its 2; tote 2's unit was short


def test_a_re_routed_short_is_counted_once_in_the_units(wave):  # noqa: F811
    ref = picking.create_picklist(actor=wave.actor)
    before = picking.picklist_view(ref.id).units
    assert before == ref.units == 29
    wave.world.stock(wave.pid("SKU-B"), "C-01-01", 10)  # SKU-B also lies in the first bin
    res = picking.short_pick(ref.number, bin_code="A-02-01", product="BC-SKU-B", qty_short=3,
                             reason="short", actor=wave.actor)
    assert sum(r.qty for r in res.rerouted) == 3
    view = picking.picklist_view(ref.id)
    assert sum(s.qty for s in view.stops) == 32  # the shorted stop and the stop it was re-routed to
    assert view.units == 29
    assert "Units: 29 " in "\n".join(_text(picking.render_pdf(ref.id)))
    assert ledger.check().ok
