"""The statement PDF: many lines run over several pages, each with the header, the column
heads and "page n of m"; names in other scripts stay text."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from app.documents.statement_pdf import StatementData, render_statement_pdf


def _data(lines: int, client: str = "Acme Outdoor Co.") -> StatementData:
    return StatementData(
        number="ST000042", warehouse_name="North Dock Fulfilment", warehouse_address=("12 Quay Road",),
        client_code="ACME", client_name=client, client_address=("1 Elm St", "Boston MA 02134"),
        first=dt.date(2026, 3, 1), last=dt.date(2026, 3, 31), issued=dt.date(2026, 4, 1), currency="EUR",
        lines=tuple((f"fee_{i:03d}", str(i + 1), "0.35", f"{0.35 * (i + 1):.2f}") for i in range(lines)),
        total="1234.56")


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_a_long_statement_repeats_its_header_on_every_page():
    pages = _pages(render_statement_pdf(_data(130)))
    assert len(pages) >= 3
    for n, text in enumerate(pages, 1):
        assert "North Dock Fulfilment" in text and "Statement ST000042" in text
        assert "Period 2026-03-01 to 2026-03-31" in text and "Bill to: Acme Outdoor Co. (ACME)" in text
        assert "Fee Quantity Rate (EUR) Amount (EUR)" in text
        assert f"page {n} of {len(pages)}" in text
    everything = " ".join(pages)
    assert all(f"fee_{i:03d} {i + 1} 0.35 " in everything for i in range(130))
    assert pages[-1].count("TOTAL 1234.56") == 1 and "TOTAL" not in pages[0]


def test_names_in_other_scripts_stay_text():
    text = _pages(render_statement_pdf(_data(2, client="Łódź Sklep ООО Ромашка")))[0]
    assert "Bill to: Łódź Sklep ООО Ромашка (ACME)" in text


def test_the_header_lines_on_the_right_do_not_overlap():
    """Period, issued and "page n of m" each on a line of their own (9 pt type, 11 pt apart)."""
    seen: dict[str, float] = {}

    def visit(text, cm, tm, _font, _size) -> None:
        for key in ("Period", "Issued", "page 1 of"):
            if text.strip().startswith(key):
                seen[key] = tm[5] + cm[5]  # the baseline on the page

    PdfReader(io.BytesIO(render_statement_pdf(_data(3)))).pages[0].extract_text(visitor_text=visit)
    assert seen.keys() == {"Period", "Issued", "page 1 of"}
    assert seen["Period"] - seen["Issued"] >= 10 and seen["Issued"] - seen["page 1 of"] >= 10


def test_long_names_wrap_whole_and_the_header_grows_to_hold_them():
    client = "Nova Gadgets International Trading Company Limited of Greater Auckland and Waikato Region"
    warehouse = "Łódź Fulfilment & Prep Centre — North Logistics Park, Building C and the Overflow Annex"
    data = StatementData(
        number="ST000042", warehouse_name=warehouse,
        warehouse_address=("Unit 4, Rzgowska Industrial Estate, 281/289 Rzgowska Street, Łódź Górna District",),
        client_code="NOVA", client_name=client, client_address=("1 Queen St", "Auckland 1010"),
        first=dt.date(2026, 11, 1), last=dt.date(2026, 12, 6), issued=dt.date(2026, 12, 7), currency="NZD",
        lines=tuple((f"fee_{i:03d}", "1", "0.35", "0.35") for i in range(80)), total="28.00")
    pdf = render_statement_pdf(data)
    pages = _pages(pdf)
    assert len(pages) >= 2
    for text in pages:  # every page: both names whole, nothing cut with "..."
        assert f"Bill to: {client} (NOVA)" in text and warehouse in text and "..." not in text
        assert "Rzgowska Street, Łódź Górna District" in text
    lines: list[tuple[float, float, str]] = []  # (baseline, x, text) of the first page

    def visit(text, cm, tm, _font, _size) -> None:
        if text.strip():
            lines.append((tm[5] + cm[5], tm[4] + cm[4], text.strip()))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    name = sorted({y for y, _x, t in lines if t and t.split()[0] in warehouse.split() and "Statement" not in t},
                  reverse=True)
    bill = sorted({y for y, _x, t in lines if t.startswith("Bill to") or t.split()[0] in ("Region", "Waikato")},
                  reverse=True)
    head = max(y for y, _x, t in lines if t.startswith("Fee"))
    address = min(y for y, _x, t in lines if "District" in t)
    assert len(name) >= 2 and all(a - b >= 14 for a, b in zip(name, name[1:], strict=False))
    assert len(bill) == 2 and bill[0] - bill[1] >= 11  # the client's name on two lines
    assert address - bill[0] >= 20 and bill[-1] - head >= 12  # the address, the rule, bill to, the lines
