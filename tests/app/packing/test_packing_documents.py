"""Packing documents read back with real readers: pypdf text, pypdfium2 + zxing-cpp barcodes,
and ZPL received whole by a TCP listener standing in for a label printer."""

from __future__ import annotations

import io
import socket
import threading

import pypdf
import pypdfium2
import pytest
import zxingcpp

from app import packing, shipping
from app.documents.packing_slip import SlipData, SlipLine, render_packing_slip
from app.kernel.barcodes import gs1_check_digit
from app.kernel.errors import InvalidTransition
from app.packing import papers
from app.shipping import manifest
from app.store import db
from app.store.models import Client
from tests.support.packing import PACKER, make_products, picked_order


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def pdf_rows(pdf: bytes, page: int = 0) -> list[list[str]]:
    """The page's text laid out as on paper, one list of words per printed row."""
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[page].extract_text(extraction_mode="layout")
    return [line.split() for line in text.splitlines() if line.strip()]


def barcodes(pdf: bytes, page: int = 0):
    doc = pypdfium2.PdfDocument(pdf)
    image = doc[page].render(scale=300 / 72, fill_color=(255, 255, 255, 255)).to_pil()
    return zxingcpp.read_barcodes(image)


@pytest.fixture
def shipped_two_boxes(world, frozen_clock):
    """Order 1001 (TENT x2, LAMP x1, CUP x3 of 4 ordered) verified into two closed boxes."""
    prods = make_products(world, [("TENT-GRN", "012345678905"), ("LAMP-9", "LAMP-9"), ("CUP-3", "CUP-3")])
    order = picked_order(world, "1001", [("TENT-GRN", 2, 2), ("LAMP-9", 1, 1), ("CUP-3", 4, 3)],
                         products=prods)
    for code in ("012345678905", "012345678905", "LAMP-9"):
        packing.verify_scan(order.id, code, actor=PACKER)
    packing.close_package(order.id, weight_kg=2.5, final=False, actor=PACKER)
    for code in ("CUP-3", "CUP-3", "CUP-3"):
        packing.verify_scan(order.id, code, actor=PACKER)
    packing.close_package(order.id, weight_kg=1.25, final=True, actor=PACKER)
    return order


def test_slip_text_and_order_barcode(shipped_two_boxes):
    pdf = papers.render_slip(shipped_two_boxes.id)
    (text,) = pdf_text(pdf)
    for expected in ("PACKING SLIP", "Acme Outdoor Co.", "Order 1001", "Order date: 2026-03-02",
                     "Jane Doe", "12 Elm Street", "Apt 4", "Boston, MA 02134", "US",
                     "Leave at the back door, please.", "Page 1 of 1"):
        assert expected in text
    rows = pdf_rows(pdf)
    # SKU, then description, ordered, shipped, back-ordered on the row
    assert ["TENT-GRN", "Product", "TENT-GRN", "2", "2", "0"] in rows
    assert ["LAMP-9", "Product", "LAMP-9", "1", "1", "0"] in rows
    assert ["CUP-3", "Product", "CUP-3", "4", "3", "1"] in rows
    assert "Back-ordered items" in text
    (code,) = barcodes(pdf)
    assert code.format == zxingcpp.BarcodeFormat.Code128 and code.text == "1001"
    assert text.count("Page 1 of 1") == 1 and "Ship via" not in text
    shipping.ship_order(shipped_two_boxes.id, tracking="1Z999AA10123456784", carrier="UPS", service="Ground",
                       actor=PACKER)
    assert "Ship via: UPS Ground" in pdf_text(papers.render_slip(shipped_two_boxes.id))[0]


def test_slip_shows_client_logo_and_returns_note(shipped_two_boxes, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), (20, 120, 60)).save(logo)
    with db.write():
        Client.update(logo_path=str(logo), returns_note="Return within 30 days to Acme.").execute()
    pdf = papers.render_slip(shipped_two_boxes.id)
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 1
    assert "Return within 30 days to Acme." in page.extract_text()
    with db.write():  # a logo file that went missing is skipped, not an error
        Client.update(logo_path=str(tmp_path / "gone.png")).execute()
    assert len(pypdf.PdfReader(io.BytesIO(papers.render_slip(shipped_two_boxes.id))).pages[0].images) == 0


def _slip(lines: int) -> SlipData:
    return SlipData(
        client_name="Acme Outdoor Co.", logo_path="", ship_from=("Acme Outdoor Co.", "1 Way"),
        ship_to=("Jane Doe", "12 Elm Street", "Boston, MA 02134", "US"), order_number="LONG-77",
        order_date="2026-03-02",
        lines=tuple(SlipLine(f"SKU-{i:03d}", f"Item {i} with a description long enough to wrap "
                             "onto a second line of the description column", 2, 1, 1) for i in range(lines)),
        notes="Gift: no prices please.", returns_note="Returns within 30 days.")


def test_long_slip_repeats_header_on_every_page():
    pdf = render_packing_slip(_slip(70))
    pages = pdf_text(pdf)
    assert len(pages) >= 3
    for n, text in enumerate(pages, start=1):
        assert "Order LONG-77" in text and "SHIP TO" in text and "Jane Doe" in text
        assert f"Page {n} of {len(pages)}" in text
    every = "\n".join(pages)
    assert all(f"SKU-{i:03d}" in every for i in range(70))
    assert "Gift: no prices please." in pages[-1]
    assert [c.text for c in barcodes(pdf, page=len(pages) - 1)] == ["LONG-77"]


def test_carton_label_pdf_gs1_128_decodes_to_sscc(shipped_two_boxes):
    pkg = packing.package_view(shipped_two_boxes.id, 2)
    sscc = pkg.sscc
    assert len(sscc) == 18 and sscc.isdigit() and int(sscc[-1]) == gs1_check_digit(sscc[:-1])
    pdf = papers.render_carton_label(shipped_two_boxes.id, seq=2, fmt="pdf")
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (288.0, 432.0)  # 4" x 6"
    text = page.extract_text()
    for expected in ("2 of 2", "1.25 kg", "Jane Doe", "Boston, MA 02134", "Acme Outdoor Co.", "1001",
                     f"(00) {sscc}"):
        assert expected in text
    found = barcodes(pdf)
    gs1 = [c for c in found if c.content_type == zxingcpp.ContentType.GS1]
    assert len(gs1) == 1
    assert gs1[0].format == zxingcpp.BarcodeFormat.Code128
    assert gs1[0].text == f"(00){sscc}"
    assert gs1[0].bytes.decode() == "00" + sscc  # the element string: AI 00 + SSCC-18
    assert sorted(c.text for c in found) == sorted([f"(00){sscc}", "1001"])  # and the order number


class _Received(list):
    """Jobs a test printer received; ``wait_for(n)`` blocks until n have arrived (no polling)."""

    def __init__(self) -> None:
        super().__init__()
        self.cond = threading.Condition()

    def add(self, job: bytes) -> None:
        with self.cond:
            self.append(job)
            self.cond.notify_all()

    def wait_for(self, n: int, timeout: float = 10) -> None:
        with self.cond:
            self.cond.wait_for(lambda: len(self) >= n, timeout)


def _listener():
    """A one-shot 'label printer' on 127.0.0.1 that records every byte it receives."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(10)
    received = _Received()

    def serve() -> None:
        for _ in range(4):
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                chunks = []
                while data := conn.recv(65536):
                    chunks.append(data)
                received.add(b"".join(chunks))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return server, thread, received


def test_zpl_label_arrives_whole_at_a_tcp_printer(shipped_two_boxes):
    from app.devices import printing

    zpl = papers.render_carton_label(shipped_two_boxes.id, seq=1, fmt="zpl")
    sscc = packing.package_view(shipped_two_boxes.id, 1).sscc
    text = zpl.decode("utf-8")
    assert text.startswith("^XA") and text.rstrip().endswith("^XZ")
    assert f"^BCN,260,N,N,N^FD>;>800{sscc}^FS" in text  # GS1-128: subset C, FNC1, AI 00
    assert f"(00) {sscc}" in text and "1 of 2" in text
    server, thread, received = _listener()
    port = server.getsockname()[1]
    try:
        printing.send_zpl(f"zpl://127.0.0.1:{port}", zpl)
        received.wait_for(1)
    finally:
        server.close()
        thread.join(5)
    assert received == [zpl]
    assert received[0].startswith(b"^XA") and received[0].rstrip().endswith(b"^XZ")


def test_print_documents_sends_every_label(shipped_two_boxes):
    server, thread, received = _listener()
    port = server.getsockname()[1]
    try:
        result = papers.print_documents(shipped_two_boxes.id, label_target=f"zpl://127.0.0.1:{port}",
                                         actor=PACKER)
        received.wait_for(2)
    finally:
        server.close()
        thread.join(5)
    assert len(result.sent) == 2
    assert received == [papers.render_carton_label(shipped_two_boxes.id, seq=s, fmt="zpl") for s in (1, 2)]


def test_manifest_lists_one_package(shipped_two_boxes):
    pdf = manifest.render_manifest(shipped_two_boxes.id, seq=2)
    (text,) = pdf_text(pdf)
    assert "PACKAGE CONTENTS" in text and "package 2 of 2" in text and "1.25 kg" in text
    assert "Status: Closed" in text  # the package's status in words, as on the screen
    assert "CUP-3" in text and "TENT-GRN" not in text
    assert ["CUP-3", "Product", "CUP-3", "3"] in pdf_rows(pdf)
    sscc = packing.package_view(shipped_two_boxes.id, 2).sscc
    assert [c.text for c in barcodes(pdf)] == [f"(00){sscc}"]


def test_void_package_has_no_label_and_numbers_close_up(shipped_two_boxes):
    packing.void_package(shipped_two_boxes.id, seq=1, actor=PACKER)
    with pytest.raises(InvalidTransition):
        papers.render_carton_label(shipped_two_boxes.id, seq=1)
    assert "1 of 1" in pdf_text(papers.render_carton_label(shipped_two_boxes.id, seq=2))[0]
    assert papers.label_data(shipped_two_boxes.id, 2).package_count == 1


def test_non_latin_names_print_as_text_not_boxes():
    from app.documents.carton_label import LabelData, render_carton_label_pdf

    data = _slip(2)
    data = SlipData(**{**data.__dict__, "ship_to": ("Łukasz Żółć", "ул. Ленина 5", "Kraków", "PL")})
    (text,) = pdf_text(render_packing_slip(data))
    assert "Łukasz Żółć" in text and "ул. Ленина 5" in text and "■" not in text
    label = LabelData(("Acme",), data.ship_to, "LONG-77", 1, 1, 2.0, "006141410000000012")
    (text,) = pdf_text(render_carton_label_pdf(label))
    assert "Łukasz Żółć" in text and "ул. Ленина 5" in text


def _long_label(**changes):
    from app.documents.carton_label import LabelData

    values = dict(
        ship_from=("Acme Outdoor Company International Trading Limited", "100 Commerce Way", "Springfield, IL 62700",
                   "US"),
        ship_to=("Maximiliane Alexandra von Hohenzollern-Sigmaringen", "Schloss Hohenzollern Verwaltung GmbH",
                 "Burgweg 1, Hinterhaus, 3. Obergeschoss links", "72379 Hechingen-Boll", "DE"),
        order_number="#SHOP-1002345>A^B~C", package_number=10, package_count=12, weight_kg=123.456,
        sscc="006141410000000012", carrier="Deutsche Post DHL Group", service="Paket International Premium",
        tracking="JJD0001234567890123456789")
    values.update(changes)
    return LabelData(**values)


def test_zpl_fields_stay_on_the_label_and_escape_zpl_characters():
    """Read the ZPL back like the printer would place it (812 x 1218 dots at 203 dpi):
    every text field on one line inside the label, bar codes with their quiet zones, the
    order number's '>' escaped for ^BC and no '^' or '~' inside field data."""
    import re

    from app.documents.carton_label import _zpl_width, render_carton_label_zpl

    zpl = render_carton_label_zpl(_long_label()).decode()
    assert zpl.startswith("^XA\n") and zpl.endswith("^XZ\n") and zpl.count("^XA") == zpl.count("^XZ") == 1
    texts = re.findall(r"\^FO(\d+),(\d+)\^A0N,(\d+),\d+(?:\^FB(\d+),1,0,[LCR],0)?(?:\^FH)?\^FD([^^]*)\^FS", zpl)
    assert len(texts) >= 15
    for x, y, h, width, value in texts:
        x, y, h = int(x), int(y), int(h)
        assert "~" not in value and y + h <= 1218 - 20
        value = re.sub("_([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), value)  # ^FH escapes
        if width:
            assert x + int(width) <= 812 - 20 and _zpl_width(value, h) <= int(width), (value, h, width)
    bars = re.findall(r"\^FO(\d+),(\d+)\^BY(\d)\^BCN,(\d+),N,N,N(?:\^FH)?\^FD([^^]*)\^FS", zpl)
    assert len(bars) == 2
    (ox, _, oby, _, odata), (sx, sy, sby, sh, sdata) = bars
    # '>' is '>0' for ^BC (code value 30); ^ and ~ (which would start commands) are ^FH hex
    # escapes. Checked against a ZPL emulator (zplkit): the symbol decodes to the order number.
    assert odata == "#SHOP-1002345>0A_5EB_7EC" and "^FH^FD#SHOP" in zpl
    modules = 11 * (len(odata.replace(">0", ">").replace("_5E", "^").replace("_7E", "~")) + 2) + 13
    assert int(ox) + modules * int(oby) <= 812 - 10 * int(oby)
    assert sdata == ">;>800006141410000000012"
    sscc_modules = 11 + 11 + 10 * 11 + 11 + 13  # start C, FNC1, 10 digit pairs, check, stop
    assert int(sx) >= 10 * int(sby) and int(sx) + sscc_modules * int(sby) <= 812 - 10 * int(sby)
    assert int(sby) * 25.4 / 203 >= 0.495 and int(sh) * 25.4 / 203 >= 31.75  # GS1 logistic label minimums
    assert "(00) 006141410000000012" in zpl and "10 of 12" in zpl and "123.46 kg" in zpl


def test_label_pdf_long_and_cjk_addresses_print_as_text_and_still_scan():
    from app.documents.carton_label import render_carton_label_pdf

    pdf = render_carton_label_pdf(_long_label())
    (text,) = pdf_text(pdf)
    assert "Maximiliane Alexandra von" in text and "10 of 12" in text
    assert sorted(c.text for c in barcodes(pdf)) == sorted(["(00)006141410000000012", "#SHOP-1002345>A^B~C"])
    cjk = _long_label(ship_to=("山田 太郎", "東京都千代田区丸の内1-1", "千代田区, 13 100-0005", "JP"),
                      order_number="AC-1013")
    pdf = render_carton_label_pdf(cjk)
    (text,) = pdf_text(pdf)
    assert "山田" in text and "丸の内" in text and "100-0005" in text
    assert "(00)006141410000000012" in [c.text for c in barcodes(pdf)]


def test_descriptions_without_spaces_wrap_inside_their_column():
    from app.documents.text import text_width, wrap_text

    desc = "防水登山用ジャケット男性用大きいサイズ青色" * 3
    lines = wrap_text(desc, "Helvetica", 9.5, 150)
    assert len(lines) > 1 and "".join(lines) == desc
    assert all(text_width(line, "Helvetica", 9.5) <= 150 for line in lines)
    sku = "X" * 60
    assert all(text_width(line, "Helvetica", 9.5) <= 150 for line in wrap_text(sku, "Helvetica", 9.5, 150))
    data = _slip(2)
    data = SlipData(**{**data.__dict__, "lines": (SlipLine("JP-1", desc, 1, 1, 0),)})
    (text,) = pdf_text(render_packing_slip(data))
    assert "防水登山用" in text and "JP-1" in text


def test_label_text_keeps_out_of_the_order_bar_code_quiet_zone():
    """Printed, the text left of the order's Code 128 ends at least 10 modules before its
    first bar (long carrier, tracking and order number included)."""
    from app.documents.carton_label import DOT, render_carton_label_pdf

    pdf = render_carton_label_pdf(_long_label())
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=300 / 72, fill_color=(255, 255, 255, 255)).to_pil()
    (bar,) = [b for b in zxingcpp.read_barcodes(image) if b.text == "#SHOP-1002345>A^B~C"]
    top = min(bar.position.top_left.y, bar.position.top_right.y)
    bottom = max(bar.position.bottom_left.y, bar.position.bottom_right.y)
    gray = image.convert("L")
    bar_left = min(bar.position.top_left.x, bar.position.bottom_left.x)
    while gray.getpixel((bar_left - 1, (top + bottom) // 2)) < 128:  # zxing's corner may sit inside a bar
        bar_left -= 1
    ink = [x for x in range(0, bar_left) for y in range(top, bottom + 1, 2) if gray.getpixel((x, y)) < 128]
    assert ink, "the order number, carrier and tracking print left of the bar code"
    module_px = 2 * DOT / 72 * 300
    assert bar_left - max(ink) >= 10 * module_px - 1


def test_label_of_a_box_not_yet_weighed_shows_an_estimated_weight(world, frozen_clock):
    prods = make_products(world, [("MUG", "MUG-1")], weight_kg=0.35)
    order = picked_order(world, "2010", [("MUG", 2, 2)], products=prods)
    packing.verify_scan(order.id, "MUG-1", actor=PACKER)
    packing.verify_scan(order.id, "MUG-1", actor=PACKER)  # the moment auto-print fires: box still open
    assert "0.70 kg est." in pdf_text(papers.render_carton_label(order.id))[0]
    assert b"0.70 kg est." in papers.render_carton_label(order.id, fmt="zpl")
    packing.close_package(order.id, weight_kg=0.9, final=True, actor=PACKER)
    (text,) = pdf_text(papers.render_carton_label(order.id))
    assert "0.90 kg" in text and "est." not in text


def _embedded_fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_japanese_slip_is_set_in_the_fonts_shipped_with_the_program(monkeypatch):
    """A slip for a Japanese address reads back as text, in the fonts from resources/fonts:
    no system font is ever looked up, so a fresh machine prints the same document."""
    from importlib.resources import files

    font_dir = files("resources").joinpath("fonts")
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DroidSansFallbackFull.ttf"):
        assert font_dir.joinpath(name).is_file()
    assert font_dir.joinpath("LICENSE-DejaVu.txt").is_file()
    assert font_dir.joinpath("LICENSE-DroidSansFallback.txt").is_file()
    data = SlipData(**{**_slip(1).__dict__, "ship_to": ("山田 太郎", "東京都千代田区丸の内1-1", "100-0005", "JP"),
                       "client_name": "Łódź Outfitters"})
    pdf = render_packing_slip(data)
    (text,) = pdf_text(pdf)
    # each script is its own run of text, which pypdf reads back as its own line
    assert "山田" in text and "太郎" in text and "東京都千代田区丸の内" in text and "Łódź Outfitters" in text
    fonts = _embedded_fonts(pdf)
    assert any(name.endswith("DroidSansFallback") or "DroidSans" in name for name in fonts), fonts
    assert any("DejaVuSans" in name for name in fonts), fonts
