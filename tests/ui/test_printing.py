"""Printing helpers: PDF pages rendered on white, files saved where the user said."""

from __future__ import annotations

import io

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog

from ui import printing

pytestmark = pytest.mark.gui


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
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PDF files (*.pdf)")))
    assert printing.save_file(None, b"%PDF-1.4 test", "slip.pdf", "PDF files (*.pdf)") == str(target)
    assert target.read_bytes() == b"%PDF-1.4 test"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert printing.save_file(None, b"x", "slip.pdf") is None


def test_print_preview_cancelled_prints_nothing(qtbot, message_boxes):
    assert printing.print_pdf(None, one_page_pdf(), "Packing slip 1001") is False
    assert message_boxes.dialogs == ["QPrintPreviewDialog"]


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
