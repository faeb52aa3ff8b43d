"""Printing helpers: PDF pages rendered on white, files saved where the user said."""

from __future__ import annotations

import io

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMainWindow

from ui import printing
from ui.widgets.file_dialog import FileDialog


def one_page_pdf() -> bytes:
    from reportlab.lib.pagesizes import A6
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A6)
    c.rect(20, 20, 60, 60, stroke=0, fill=1)  # black square near the bottom left
    c.drawString(20, 200, "PACKING SLIP")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_pages_render_on_white(qapp):
    pages = printing.render_pdf_pages(one_page_pdf(), dpi=72)
    assert len(pages) == 1
    page = pages[0]
    assert (page.width(), page.height()) == (298, 420)  # A6 in points
    assert page.pixelColor(5, 5) == QColor("white")  # not transparent
    assert page.pixelColor(50, page.height() - 50) == QColor("black")


def test_bad_pdf_is_refused(qapp):
    with pytest.raises(ValueError):
        printing.render_pdf_pages(b"not a pdf")


def test_save_file(qtbot, tmp_path, monkeypatch):
    target = tmp_path / "slip.pdf"
    monkeypatch.setattr(FileDialog, "chosen", lambda self: str(target))
    assert printing.save_file(None, b"%PDF-1.4 test", "slip.pdf", "PDF files (*.pdf)") == str(target)
    assert target.read_bytes() == b"%PDF-1.4 test"
    monkeypatch.setattr(FileDialog, "chosen", lambda self: None)
    assert printing.save_file(None, b"x", "slip.pdf") is None


def test_the_window_says_where_a_file_was_saved(qtbot, tmp_path, monkeypatch):
    window = QMainWindow()
    qtbot.addWidget(window)
    target = tmp_path / "manifest.pdf"
    monkeypatch.setattr(FileDialog, "chosen", lambda self: str(target))
    assert printing.save_file(window, b"%PDF-1.4 test", "manifest.pdf", "PDF files (*.pdf)") == str(target)
    assert window.statusBar().currentMessage() == f"Saved {target}"


def test_print_preview_cancelled_prints_nothing(qtbot, message_boxes):
    assert printing.print_pdf(None, one_page_pdf(), "Packing slip 1001") is False
    assert message_boxes.dialogs == ["PrintPreview"]


def test_print_uses_the_pdfs_paper_and_paints_on_white(qtbot, monkeypatch, tmp_path):
    import pypdfium2
    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    out = tmp_path / "printed.pdf"
    seen = {}

    def preview(dialog):
        printer = dialog.printer()
        layout = printer.pageLayout()
        seen["size_pt"] = layout.pageSize().sizePoints()
        seen["orientation"] = layout.orientation()
        printer.setOutputFileName(str(out))  # paper -> a file we can read back
        dialog.paintRequested.emit(printer)
        return QPrintPreviewDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintPreviewDialog, "exec", preview)
    assert printing.print_pdf(None, one_page_pdf(), "Label", printer_name="cups://zebra")
    assert (seen["size_pt"].width(), seen["size_pt"].height()) == (297, 420)  # A6, not Letter
    assert seen["orientation"] == QPageLayout.Orientation.Portrait
    pdf = pypdfium2.PdfDocument(str(out))
    assert len(pdf) == 1
    image = pdf[0].render(scale=1, fill_color=(255, 0, 0, 255)).to_pil().convert("RGB")
    w, h = image.size
    assert image.getpixel((5, 5)) == (255, 255, 255)  # our white, not the red fill behind
    assert image.getpixel((50 * w // 298, h - 50 * h // 420)) == (0, 0, 0)


def label_run(count: int) -> bytes:
    """``count`` 2.25" x 1.25" thermal unit labels, one a page (a receiving label run)."""
    from app.documents import labels

    return labels.render_thermal([labels.Label(f"X00{i:07d}", f"Item {i}") for i in range(count)])


def print_to_file(monkeypatch, out):
    """The preview 'prints' to a PDF file we can read back, without blocking."""
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    def preview(dialog):
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        dialog.paintRequested.emit(printer)
        return QPrintPreviewDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintPreviewDialog, "exec", preview)


def progress_dialogs():
    from PySide6.QtWidgets import QApplication, QProgressDialog

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def test_a_label_run_renders_on_a_worker_while_the_window_keeps_running(qtbot, monkeypatch, tmp_path):
    import threading

    import pypdfium2
    import zxingcpp
    from PySide6.QtCore import QTimer

    pages = 300
    out = tmp_path / "labels.pdf"
    print_to_file(monkeypatch, out)
    seen: list[tuple[int, int]] = []  # (value, maximum) of the progress dialog at each tick
    gui_showed_progress = threading.Event()
    render_page = printing._print_image

    def render_waiting_halfway(doc, index, dpi):
        # Halfway, the worker waits until the GUI thread has shown its progress: the run can
        # only finish if the window kept serving events meanwhile (no timing luck involved).
        if index == pages // 2 and not gui_showed_progress.wait(60):
            raise RuntimeError("the window showed no progress while the worker rendered")
        return render_page(doc, index, dpi)

    monkeypatch.setattr(printing, "_print_image", render_waiting_halfway)

    def tick():
        for dialog in progress_dialogs():
            seen.append((dialog.value(), dialog.maximum()))
            if 0 < dialog.value() < pages:
                gui_showed_progress.set()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(5)
    try:
        assert printing.print_pdf(None, label_run(pages), "Unit labels") is True
    finally:
        timer.stop()
    # the GUI thread served its timer while the worker rendered, and showed how far it got
    assert any(0 < value < pages for value, _ in seen), seen[:5]
    assert {maximum for _, maximum in seen} == {pages}
    assert not progress_dialogs()
    pdf = pypdfium2.PdfDocument(str(out))
    assert len(pdf) == pages
    assert [round(x) for x in pdf[0].get_size()] == [162, 90]  # 2.25" x 1.25", still landscape
    for index in (0, 137, pages - 1):
        image = pdf[index].render(scale=300 / 72, fill_color=(255, 255, 255, 255)).to_pil()
        assert [b.text for b in zxingcpp.read_barcodes(image)] == [f"X00{index:07d}"]
        red = pdf[index].render(scale=1, fill_color=(255, 0, 0, 255)).to_pil().convert("RGB")
        assert red.getpixel((2, 2)) == (255, 255, 255)  # the page is painted white, not see-through


def test_cancelling_the_preparation_prints_nothing(qtbot, monkeypatch, message_boxes):
    import threading

    from PySide6.QtCore import QTimer

    clicked = []
    cancelled = threading.Event()
    render_page = printing._print_image

    def render_waiting_for_the_cancel(doc, index, dpi):
        if index == 200:  # the run cannot end before the packer's cancel is in
            cancelled.wait(60)
        return render_page(doc, index, dpi)

    monkeypatch.setattr(printing, "_print_image", render_waiting_for_the_cancel)

    def cancel_midway():
        for dialog in progress_dialogs():
            if dialog.value() > 0 and not clicked:
                clicked.append(dialog.value())
                dialog.findChild(printing.QPushButton).click()
                cancelled.set()

    timer = QTimer()
    timer.timeout.connect(cancel_midway)
    timer.start(5)
    try:
        assert printing.print_pdf(None, label_run(400), "Unit labels") is False
    finally:
        timer.stop()
    assert clicked and clicked[0] < 400
    assert message_boxes.dialogs == []  # no preview after a cancel
    assert not progress_dialogs()


def test_a_small_document_prints_at_once_without_a_worker(qtbot, monkeypatch, tmp_path):
    import pypdfium2

    def no_worker(*args, **kwargs):
        raise AssertionError("a one-label job must not wait for a worker")

    monkeypatch.setattr(printing, "run_task", no_worker)
    out = tmp_path / "one.pdf"
    print_to_file(monkeypatch, out)
    assert printing.print_pdf(None, label_run(1), "Unit label") is True
    pdf = pypdfium2.PdfDocument(str(out))
    assert len(pdf) == 1 and [round(x) for x in pdf[0].get_size()] == [162, 90]


def test_a_scanners_enter_does_not_cancel_the_preparation(qtbot, monkeypatch, tmp_path):
    from PySide6.QtCore import QTimer

    out = tmp_path / "labels.pdf"
    print_to_file(monkeypatch, out)
    pressed = []

    def scan_into_dialog():
        for dialog in progress_dialogs():
            if not pressed:
                pressed.append(True)
                qtbot.keyClicks(dialog, "1001")
                qtbot.keyClick(dialog, Qt.Key.Key_Return)

    timer = QTimer()
    timer.timeout.connect(scan_into_dialog)
    timer.start(5)
    try:
        assert printing.print_pdf(None, label_run(200), "Unit labels") is True
    finally:
        timer.stop()
    assert pressed


# --- printers as they are (issue "Installable") -------------------------------------------

def test_paint_pdf_prints_every_page_on_its_own_paper(qapp, tmp_path):
    import pypdf
    from PySide6.QtPrintSupport import QPrinter

    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    assert printing.paint_pdf(printer, label_run(3), "Labels") == 3
    pages = pypdf.PdfReader(out).pages
    assert len(pages) == 3
    # a 2.25" x 1.25" thermal label stays that size (162 x 90 pt)
    assert (round(float(pages[0].mediabox.width)), round(float(pages[0].mediabox.height))) == (162, 90)


def test_an_unknown_printer_is_one_clear_line(qapp):
    from app.devices.printing import PrinterError

    with pytest.raises(PrinterError, match="'No Such Printer' is not installed on this computer"):
        printing.print_pdf_to_printer("No Such Printer", one_page_pdf(), "Slip")
    with pytest.raises(PrinterError, match="cannot print Slip"):
        printing.paint_pdf(printing.QPrinter(), b"not a pdf", "Slip")


def test_system_printer_targets_go_through_the_registered_printer(monkeypatch):
    from app.devices import printing as devices

    sent = []
    monkeypatch.setattr(devices, "_system_printer", None)
    with pytest.raises(devices.PrinterError, match="prints from the PrepDesk window"):
        devices.send_pdf("printer://Office Laser", b"%PDF-1.4")
    devices.use_system_printer(lambda name, data, title: sent.append((name, data, title)))
    devices.send_pdf("printer://Office Laser", b"%PDF-1.4", title="Slip")
    devices.send_labels("printer://Rollo", b"%PDF-thermal", "thermal")
    assert sent == [("Office Laser", b"%PDF-1.4", "Slip"), ("Rollo", b"%PDF-thermal", "PrepDesk labels")]
    # a system printer's driver takes PDF: ZPL is refused with the way out
    with pytest.raises(devices.PrinterError, match="set the label language to PDF"):
        devices.send_zpl("printer://Rollo", b"^XA^XZ")
    with pytest.raises(devices.PrinterError, match="no name"):
        devices.check_target("printer://")
    assert devices.check_target(" printer://Rollo ") == "printer://Rollo"


def test_the_label_language_picks_the_format():
    from app.devices import printing as devices

    assert devices.label_format("zpl") == "zpl"
    assert devices.label_format("pdf") == "thermal"  # a PDF-only thermal printer gets the thermal PDF
    with pytest.raises(devices.PrinterError):
        devices.label_format("epl")


def test_label_printer_settings(tmp_path):
    from ui.settings import Settings

    settings = Settings.from_file(str(tmp_path / "s.ini"))
    assert (settings.label_language, settings.label_dpi) == ("zpl", 203)
    settings.label_language, settings.label_dpi = "pdf", 300
    settings.sync()
    again = Settings.from_file(str(tmp_path / "s.ini"))
    assert (again.label_language, again.label_dpi) == ("pdf", 300)
    with pytest.raises(ValueError):
        again.label_dpi = 600
    with pytest.raises(ValueError):
        again.label_language = "epl"


def test_station_settings_live_in_the_platforms_config_folder(monkeypatch, tmp_path):
    from ui import settings as settings_module

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert settings_module.config_file() == tmp_path / "prepdesk" / "prepdesk.ini"
    station = settings_module.Settings()
    station.label_printer = "zpl://10.0.0.9:9100"
    station.sync()
    assert "zpl://10.0.0.9:9100" in (tmp_path / "prepdesk" / "prepdesk.ini").read_text()
