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
