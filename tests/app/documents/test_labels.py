"""Labels read back with real readers: pypdfium2 renders, zxing-cpp decodes, pypdf extracts."""

from __future__ import annotations

import io
import socket
import threading

import pypdf
import pypdfium2
import pytest
import zxingcpp
from PIL import ImageOps
from reportlab.pdfbase.pdfmetrics import stringWidth

from app import receiving
from app.devices import printing
from app.documents import labels
from app.documents.labels import Label
from app.kernel.errors import NotFound, ValidationError

DPI = 300


def render_pages(pdf: bytes):
    doc = pypdfium2.PdfDocument(pdf)
    try:
        for page in doc:
            w, h = page.get_size()
            yield (w, h), page.render(scale=DPI / 72, fill_color=(255, 255, 255, 255)).to_pil()
    finally:
        doc.close()


def decode(image):
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.Code128)


def centre_points(result) -> tuple[float, float]:
    """Centre of a decoded symbol in PDF points, y from the bottom of the page (height given later)."""
    pos = result.position
    xs = [pos.top_left.x, pos.top_right.x, pos.bottom_left.x, pos.bottom_right.x]
    ys = [pos.top_left.y, pos.top_right.y, pos.bottom_left.y, pos.bottom_right.y]
    return sum(xs) / 4 * 72 / DPI, sum(ys) / 4 * 72 / DPI


def test_sheet_has_30_decodable_labels_at_avery_5160_positions():
    codes = [f"SKU-{i:02d}-X{i * 37 % 100:02d}" for i in range(30)]
    pdf = labels.render_sheet([Label(c, f"A product with a rather long title number {i}", "New")
                               for i, c in enumerate(codes)])
    pages = list(render_pages(pdf))
    assert len(pages) == 1
    (pw, ph), image = pages[0]
    assert (round(pw), round(ph)) == (612, 792)  # US letter
    found = {r.text: r for r in decode(image)}
    assert sorted(found) == sorted(codes)
    for i, code in enumerate(codes):
        x, y_top = centre_points(found[code])
        y = ph - y_top
        col, row = i % 3, i // 3
        left = 0.1875 * 72 + col * (2.625 + 0.125) * 72
        top = ph - 0.5 * 72 - row * 72
        assert left < x < left + 2.625 * 72, (code, x, left)
        assert top - 72 < y < top, (code, y, top)
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for code in codes:
        assert code in text
    assert text.count("New") == 30


def ink_box(image, box_pt, page_h_pt):
    """Bounding box (in points, y from the top) of the ink inside ``box_pt`` = (x0, top, x1,
    bottom) in points from the page's top-left, or None when that area is blank."""

    k = DPI / 72
    x0, t, x1, b = (round(v * k) for v in box_pt)
    area = ImageOps.invert(image.convert("L").crop((x0, t, x1, b))).point(lambda v: 255 if v > 96 else 0)
    bbox = area.getbbox()
    if bbox is None:
        return None
    return (x0 + bbox[0]) / k, (t + bbox[1]) / k, (x0 + bbox[2]) / k, (t + bbox[3]) / k


def test_sheet_ink_stays_inside_each_avery_5160_label():
    """Everything printed for label i lies inside its die-cut (1" x 2-5/8" at 0.5" top and
    3/16" side margins, 1/8" column gaps), with a margin for the die's wander; margins and
    gaps stay blank; each symbol is centred in its label."""
    labs = [Label(f"SKU-{i:02d}-W{i:03d}", "A product title long enough to reach the right edge " * 2)
            for i in range(30)]
    (pw, ph), image = next(render_pages(labels.render_sheet(labs)))
    assert ink_box(image, (0, 0, pw, 0.5 * 72 - 1), ph) is None  # top margin
    assert ink_box(image, (0, ph - 0.5 * 72 + 1, pw, ph), ph) is None  # bottom margin
    assert ink_box(image, (0, 0, 0.1875 * 72 - 1, ph), ph) is None  # left margin
    safety = 0.04 * 72
    for i in range(30):
        col, row = i % 3, i // 3
        left = 0.1875 * 72 + col * (2.625 + 0.125) * 72
        top = 0.5 * 72 + row * 72
        if col < 2:  # the gap to the next column
            assert ink_box(image, (left + 2.625 * 72 + 1, 36, left + 2.75 * 72 - 1, ph - 36), ph) is None
        got = ink_box(image, (left - 4, top + 0.5, left + 2.625 * 72 + 4, top + 72 - 0.5), ph)
        assert got is not None, i
        x0, t, x1, b = got
        assert x0 >= left + safety and x1 <= left + 2.625 * 72 - safety, (i, got, left)
        assert t >= top + safety and b <= top + 72 - safety, (i, got, top)
    for r in decode(image):
        i = int(r.text[4:6])
        centre = 0.1875 * 72 + (i % 3) * 2.75 * 72 + 2.625 * 72 / 2
        assert abs(centre_points(r)[0] - centre) < 3, r.text


def test_sheet_cells_match_avery_5160_geometry():
    x, y, w, h = labels.sheet_cell(0)
    assert (x, 792 - (y + h), w, h) == (13.5, 36.0, 189.0, 72.0)
    x, y, w, h = labels.sheet_cell(29)
    assert (round(x + w, 3), round(y, 3)) == (612 - 13.5, 36.0)


def test_second_sheet_starts_after_30():
    pdf = labels.render_sheet([Label(f"C{i}", "t") for i in range(31)])
    pages = list(render_pages(pdf))
    assert len(pages) == 2
    assert [r.text for r in decode(pages[1][1])] == ["C30"]


def test_thermal_pdf_one_label_per_page_decodes():
    labs = [Label("X00AC00001", "Tent Black with a title far too long to fit on a small label"),
            Label("A-01-01", "Bin A-01-01", ""),
            Label("0012345678905", "Digits only")]
    pdf = labels.render_thermal(labs)
    pages = list(render_pages(pdf))
    assert len(pages) == 3
    for lab, ((w, h), image) in zip(labs, pages, strict=True):
        assert (round(w / 72, 2), round(h / 72, 2)) == (2.25, 1.25)
        assert [r.text for r in decode(image)] == [lab.code]
        # nothing within 1.5 mm of the edge (thermal heads and die-cuts are not exact)
        x0, t, x1, b = ink_box(image, (0, 0, w, h), h)
        edge = 1.5 / 25.4 * 72
        assert x0 >= edge and t >= edge and x1 <= w - edge and b <= h - edge, (lab.code, (x0, t, x1, b))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    first = reader.pages[0].extract_text()
    assert "X00AC00001" in first and "New" in first and "Tent Black" in first
    assert "…" in first  # the title was cut to fit


def test_title_truncation_fits_width():

    cut = labels.fit_text("W" * 200, 100, "Helvetica", 8)
    assert cut.endswith("…") and stringWidth(cut, "Helvetica", 8) <= 100
    assert labels.fit_text("short", 100) == "short"


def test_zpl_structure():
    data = labels.render_zpl([Label("X00AC00001", "Tent ^Black~", "New")] * 3
                             + [Label("SKU-2", "Other")]).decode()
    assert data.startswith("^XA") and data.endswith("^XZ")
    assert data.count("^XA") == data.count("^XZ") == 2
    assert "^BY2^BCN" in data
    assert "^FD X00AC00001^FS".replace(" ", "") in data
    assert "^FDSKU-2^FS" in data
    assert "^PQ3" in data and "^PQ1" in data
    assert "Tent \\5EBlack\\7E" in data  # ZPL control characters escaped
    assert "^PW457" in data and "^LL254" in data  # 2.25" x 1.25" at 203 dpi


def test_bad_labels_rejected():
    with pytest.raises(ValidationError):
        labels.render_sheet([])
    with pytest.raises(ValidationError):
        labels.render([Label("ok")], "png")
    with pytest.raises(ValidationError):
        labels.render_thermal([Label("naïve")])


# --- From the database ----------------------------------------------------------------


def test_unit_labels_use_fnsku_else_sku(world):
    world.product("TENT-1", fnsku="X00TENT001")
    world.product("CUP-2")
    assert receiving.unit_labels("TENT-1", 2) == [Label("X00TENT001", "Product TENT-1", "New")] * 2
    assert receiving.unit_labels("CUP-2", 1, client_code="acme") == [Label("CUP-2", "Product CUP-2", "New")]
    with pytest.raises(NotFound):
        receiving.unit_labels("NOPE", 1)
    with pytest.raises(ValidationError):
        receiving.unit_labels("CUP-2", 0)
    pdf = labels.render_thermal(receiving.unit_labels("TENT-1", 1))
    assert [r.text for r in decode(next(render_pages(pdf))[1])] == ["X00TENT001"]


def test_bin_labels_range(world):
    got = receiving.bin_labels("A-01-01", "A-02-01")
    assert [lab.code for lab in got] == ["A-01-01", "A-01-02", "A-02-01"]
    pdf = labels.render_sheet(got)
    assert sorted(r.text for r in decode(next(render_pages(pdf))[1])) == ["A-01-01", "A-01-02", "A-02-01"]
    with pytest.raises(ValidationError):
        receiving.bin_labels("X-00", "X-99")


# --- Sending to printers --------------------------------------------------------------


def test_send_zpl_to_tcp_listener_arrives_whole():
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    received = bytearray()

    def accept():
        conn, _ = server.accept()
        with conn:
            while chunk := conn.recv(65536):
                received.extend(chunk)

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    data = labels.render_zpl([Label(f"BIN-{i:04d}", "Bin") for i in range(500)])
    printing.send_zpl(f"zpl://127.0.0.1:{port}", data, timeout=5)
    t.join(5)
    server.close()
    assert bytes(received) == data


def test_send_zpl_unreachable_printer_is_one_clear_line():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens here now
    with pytest.raises(printing.PrinterError, match=rf"127.0.0.1:{port} unreachable"):
        printing.send_zpl(f"zpl://127.0.0.1:{port}", b"^XA^XZ", timeout=2)
    for bad in ("", "http://x", "zpl://", "cups://"):
        with pytest.raises(printing.PrinterError):
            printing.send_zpl(bad, b"^XA^XZ")
    with pytest.raises(printing.PrinterError, match="takes ZPL"):
        printing.send_pdf("zpl://127.0.0.1:9100", b"%PDF")


def test_cups_uses_lp_raw(monkeypatch):
    calls = []

    class Done:
        returncode = 0
        stderr = b""

    monkeypatch.setattr(printing.subprocess, "run",
                        lambda cmd, **kw: calls.append((cmd, kw["input"])) or Done())
    printing.send_zpl("cups://zebra1", b"^XA^XZ")
    printing.send_pdf("cups://office", b"%PDF-1.4")
    assert calls[0] == (["lp", "-d", "zebra1", "-t", "PrepDesk", "-o", "raw"], b"^XA^XZ")
    assert calls[1][0][:3] == ["lp", "-d", "office"] and "raw" not in calls[1][0]

    class Failed:
        returncode = 1
        stderr = b"lp: The printer or class does not exist.\n"

    monkeypatch.setattr(printing.subprocess, "run", lambda cmd, **kw: Failed())
    with pytest.raises(printing.PrinterError, match="zebra1' refused the job: lp: The printer"):
        printing.send_zpl("cups://zebra1", b"^XA^XZ")


def test_code_too_long_for_the_label_is_refused_not_overprinted():
    long_code = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789"
    with pytest.raises(ValidationError, match="too long"):
        labels.render_sheet([Label(long_code, "x")])
    ok = "X" * 20  # 20 characters still fit a 5160 label and scan
    pdf = labels.render_sheet([Label(ok, "x")])
    assert [r.text for r in decode(next(render_pages(pdf))[1])] == [ok]


def test_bin_labels_put_the_code_big_on_top_and_still_decode(world):
    """A bin label is read from the aisle: the code is the headline (large bold type above
    the bars), the zone small below; the bars decode to exactly the code."""
    got = receiving.bin_labels("A-01-01", "B-01-01")
    assert got[0] == Label("A-01-01", "Zone A", "", kind="bin")
    for pdf in (labels.render_thermal(got), labels.render_sheet(got)):
        page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
        sizes: dict[str, float] = {}

        def visit(text, cm, tm, font, size, sizes=sizes):
            if text.strip():
                sizes[text.strip()] = size * tm[0]

        page.extract_text(visitor_text=visit)
        assert sizes["A-01-01"] >= 16 and sizes["Zone A"] <= 9, sizes
        _, image = next(render_pages(pdf))
        found = {r.text for r in decode(image)}
        assert "A-01-01" in found
    zpl = labels.render_zpl(got).decode()
    assert zpl.count("^XA") == 4 and "^A0N,64,64^FH\\^FDA-01-01^FS" in zpl
    assert "^FDZone B^FS" in zpl


def test_non_latin_titles_use_a_unicode_font():
    title = "Kubek emaliowany żółty — Двухместная палатка"
    pdf = labels.render_thermal([Label("X00PL00001", title)])
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    fonts = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert any("DejaVu" in f or "Arial" in f for f in fonts), fonts
    assert "Kubek emaliowany żółty" in page.extract_text()
    assert [r.text for r in decode(next(render_pages(pdf))[1])] == ["X00PL00001"]


def test_zpl_uses_automatic_subsets_fits_the_title_and_refuses_invocation_characters():
    long_title = "A very long product title that would run far past the right edge of the label"
    zpl = labels.render_zpl([Label("0012345678905", long_title)]).decode()
    assert "^BCN,130,N,N,N,A^FH" in zpl  # mode A: digit runs packed in subset C, as measured
    title = zpl.split("^FD", 2)[1].split("^FS")[0]

    # ^A0 (a condensed face) at 24 dots is narrower than Helvetica-Bold at 24: measured
    # that way the title fits the 427 dots between the margins (it was measured at 9.5).
    assert title.endswith("…") and stringWidth(title, "Helvetica-Bold", 24) <= 427
    assert len(title) < 45
    with pytest.raises(ValidationError, match="'>'"):
        labels.render_zpl([Label("AB>C")])


def test_shipment_labels_one_per_good_unit(world):

    world.product("TENT-1", barcode="TENT-CODE", fnsku="X00TENT001")
    world.product("CUP-2", barcode="CUP-CODE")
    ship = receiving.create_shipment("ACME", "ASN-L", [("TENT-1", 3), ("CUP-2", 2)], actor=world.actor)
    with pytest.raises(ValidationError, match="nothing received on shipment ASN-L yet"):
        receiving.shipment_labels(ship.id)
    receiving.receive_scan(ship.id, "TENT-CODE", actor=world.actor, qty=2)
    receiving.receive_scan(ship.id, "TENT-CODE", actor=world.actor, damaged=True)
    receiving.receive_scan(ship.id, "CUP-CODE", actor=world.actor)
    assert receiving.shipment_labels(ship.id) == (
        [Label("CUP-2", "Product CUP-2")] + [Label("X00TENT001", "Product TENT-1")] * 2)
    with pytest.raises(NotFound):
        receiving.shipment_labels(999_999)


def test_thermal_bars_sit_on_the_203_dpi_dot_grid_and_scan_as_printed():
    """Rendered at the printer's own 203 dpi and thresholded like a thermal head, every code
    still decodes: modules are whole dots (a 20-character SKU at 1.66 dots a module did not)."""
    labs = [Label("X00AC00001", "t"), Label("0012345678905", "t"), Label("A" * 16, "t"),
            Label("SKU-12345-XL-BLUE-22", "t"), Label("A-01-01-1", "Zone A", "", kind="bin")]
    doc = pypdfium2.PdfDocument(labels.render_thermal(labs))
    try:
        for lab, page in zip(labs, doc, strict=True):
            image = page.render(scale=203 / 72, fill_color=(255, 255, 255, 255)).to_pil()
            head = image.convert("L").point(lambda v: 255 if v > 127 else 0)
            assert [r.text for r in decode(head)] == [lab.code]
    finally:
        doc.close()
