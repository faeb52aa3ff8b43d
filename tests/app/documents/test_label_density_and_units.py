"""Labels as the printer at hand takes them: ZPL at 203 or 300 dpi (scaled layout, whole-dot
modules, bars that still scan), and the carton label's weight in the warehouse's unit."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest
import zxingcpp
from PIL import Image, ImageDraw

from app.documents import labels
from app.documents.barcode_draw import QUIET_MODULES, code128_modules, gs1_128_modules
from app.documents.carton_label import LabelData, render_carton_label_pdf, render_carton_label_zpl
from app.documents.labels import Label
from app.kernel import units
from app.kernel.errors import ValidationError

SSCC = "006141410000000012"


def carton(**changes) -> LabelData:
    values = dict(ship_from=("Acme Outdoor Co.", "100 Commerce Way", "Springfield, IL 62700", "US"),
                  ship_to=("Jane Doe", "12 Elm Street", "Boston, MA 02134", "US"),
                  order_number="1001", package_number=1, package_count=2, weight_kg=1.0, sscc=SSCC,
                  carrier="UPS", service="Ground")
    values.update(changes)
    return LabelData(**values)


def pdf_text(pdf: bytes) -> str:
    (page,) = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return page.extract_text()


def zpl_field_text(field: str) -> str:
    """Field data as printed: ^FH escapes (``_5E`` in the carton label, ``\\5E`` in unit labels)
    and ^BC's ``>0`` (a literal '>') undone."""
    field = re.sub(r"[_\\]([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), field)
    return field.replace(">0", ">")


def print_zpl_bars(zpl: str) -> tuple[Image.Image, list[tuple[int, int, int]]]:
    """What the printer's ^BC fields put on the label: each symbol's bars (python-barcode's
    encoding of the same data) at its ^FO origin, ^BY dots a module and ^BCN high, on a page of
    ^PW x ^LL dots. Returns the page and, per symbol, (left of its quiet zone, right of its
    quiet zone, module dots)."""
    width = int(re.search(r"\^PW(\d+)", zpl).group(1))
    height = int(re.search(r"\^LL(\d+)", zpl).group(1))
    page = Image.new("L", (width, height), 255)
    pen = ImageDraw.Draw(page)
    spans = []
    for x, y, module, bar_h, data in re.findall(
            r"\^FO(\d+),(\d+)\^BY(\d+)\^BCN,(\d+),N,N,N(?:,A)?(?:\^FH\\?)?\^FD([^^]*)\^FS", zpl):
        x, y, module, bar_h = int(x), int(y), int(module), int(bar_h)
        if data.startswith(">;>8"):
            modules = gs1_128_modules(data[4:])
        else:
            modules = code128_modules(zpl_field_text(data))
        for i, bit in enumerate(modules):
            if bit == "1":
                pen.rectangle((x + i * module, y, x + (i + 1) * module - 1, y + bar_h - 1), fill=0)
        spans.append((x - QUIET_MODULES * module, x + (len(modules) + QUIET_MODULES) * module, module))
    return page, spans


def decoded(page: Image.Image) -> list[str]:
    return sorted(r.text for r in zxingcpp.read_barcodes(page))


def test_a_carton_label_in_lb_shows_the_weight_in_lb():
    units.set_system("us")
    data = carton(weight_kg=1.0)
    assert data.weight_text == "2.20 lb"
    assert "WEIGHT" in pdf_text(render_carton_label_pdf(data)) and "2.20 lb" in pdf_text(render_carton_label_pdf(data))
    zpl = render_carton_label_zpl(data).decode()
    assert "^FD2.20 lb^FS" in zpl and " kg" not in zpl
    estimated = carton(weight_kg=0.7, weight_estimated=True)
    assert "1.54 lb est." in pdf_text(render_carton_label_pdf(estimated))
    assert "^FD- lb^FS" in render_carton_label_zpl(carton(weight_kg=None)).decode()
    units.set_system("metric")
    assert "1.00 kg" in pdf_text(render_carton_label_pdf(data))
    assert "^FD1.00 kg^FS" in render_carton_label_zpl(data).decode()


@pytest.mark.parametrize(("dpi", "pw", "ll", "sscc_module", "order_module"),
                         [(203, 812, 1218, 4, 2), (300, 1200, 1800, 6, 3)])
def test_a_carton_label_in_zpl_at_each_density_fits_4x6_and_its_bars_scan(dpi, pw, ll, sscc_module,
                                                                          order_module):
    zpl = render_carton_label_zpl(carton(order_number="#SHOP-1002>A"), dpi=dpi).decode()
    assert f"^PW{pw}^" in zpl.replace("\n", "^") and f"^LL{ll}^" in zpl.replace("\n", "^")
    assert re.findall(r"\^BY(\d+)", zpl) == [str(order_module), str(sscc_module)]
    # the SSCC's modules stay at least GS1's 0.495 mm and its bars at least 31.75 mm high
    sscc_h = int(re.search(r"\^BCN,(\d+),N,N,N\^FD>;>8", zpl).group(1))
    assert sscc_module * 25.4 / dpi >= 0.495 and sscc_h * 25.4 / dpi >= 31.75
    page, spans = print_zpl_bars(zpl)
    assert all(left >= 0 and right <= pw for left, right, _ in spans), spans  # quiet zones on the label
    assert decoded(page) == sorted(["#SHOP-1002>A", f"(00){SSCC}"])  # GS1-128, AI 00
    # every text field inside the label and its type scaled with the density
    for x, y, size in re.findall(r"\^FO(\d+),(\d+)\^A0N,(\d+),", zpl):
        assert int(x) < pw and int(y) + int(size) <= ll
    assert f"^A0N,{round(60 * dpi / 203)}," in zpl  # "1 of 2"


def test_unit_and_bin_labels_in_zpl_at_300_dpi_fit_and_scan():
    zpl = labels.render_zpl([Label("X00AC00001", "Tent", "New"), Label("A-01-01", "Zone A", kind="bin"),
                             Label("SKU-EXP", "Milk", expiry=dt.date(2027, 5, 1))],
                            dpi=300).decode()
    assert zpl.count("^PW675^LL375") == 3  # 2.25" x 1.25" at 300 dpi
    assert set(re.findall(r"\^BY(\d+)", zpl)) == {"3"}  # 0.25 mm modules: 3 dots at 300 dpi
    for block in zpl.split("^XZ")[:-1]:
        page, spans = print_zpl_bars(block)
        assert all(left >= 0 and right <= 675 for left, right, _ in spans), spans
        assert len(decoded(page)) == 1
    assert "^A0N,95,95^FH\\^FDA-01-01^FS" in zpl  # the bin code, big (64 dots at 203 dpi)
    at_203 = labels.render_zpl([Label("X00AC00001", "Tent", "New")]).decode()
    assert "^PW457^LL254" in at_203 and "^BY2^BCN,130" in at_203


def test_a_density_that_is_not_203_or_300_is_refused():
    with pytest.raises(ValidationError, match="density 600 dpi: use 203 or 300"):
        labels.render_zpl([Label("X1")], dpi=600)
    with pytest.raises(ValidationError, match="use 203 or 300"):
        render_carton_label_zpl(carton(), dpi=150)


@pytest.mark.parametrize(("dpi", "pw", "ll"), [(203, 812, 1218), (300, 1200, 1800)])
def test_long_fields_stay_on_one_line_inside_the_label_at_each_density(dpi, pw, ll):
    from app.documents.carton_label import _zpl_width

    data = carton(ship_to=("Maximiliane Alexandra von Hohenzollern-Sigmaringen", "Schloss Hohenzollern GmbH",
                           "Burgweg 1, Hinterhaus, 3. Obergeschoss links", "72379 Hechingen-Boll", "DE"),
                  order_number="#SHOP-1002345>A^B~C", carrier="Deutsche Post DHL Group",
                  service="Paket International Premium", tracking="JJD0001234567890123456789")
    zpl = render_carton_label_zpl(data, dpi=dpi).decode()
    margin = round(20 * dpi / 203)
    texts = re.findall(r"\^FO(\d+),(\d+)\^A0N,(\d+),\d+(?:\^FB(\d+),1,0,[LCR],0)?(?:\^FH)?\^FD([^^]*)\^FS", zpl)
    assert len(texts) >= 15
    for x, y, size, width, value in texts:
        assert int(y) + int(size) <= ll - margin
        if width:
            assert int(x) + int(width) <= pw - margin and _zpl_width(zpl_field_text(value), int(size)) <= int(width)
    page, spans = print_zpl_bars(zpl)
    assert all(left >= 0 and right <= pw for left, right, _ in spans), spans
    assert decoded(page) == sorted(["#SHOP-1002345>A^B~C", f"(00){SSCC}"])
