"""Previewing, printing and saving the documents ``app/`` renders (PDF bytes in, paper out)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

log = logging.getLogger(__name__)


def save_file(parent: QWidget | None, data: bytes, suggested_name: str,
              filter: str = "All files (*)") -> str | None:  # noqa: A002 - Qt's word
    """Ask where to save ``data``; returns the path written, or None if cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, "Save as", str(Path.home() / suggested_name), filter)
    if not path:
        return None
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        QMessageBox.warning(parent, "PrepDesk", f"Cannot save {path}: {exc.strerror or exc}")
        return None
    log.info("saved %s (%d bytes)", path, len(data))
    return path


def render_pdf_pages(pdf_bytes: bytes, dpi: int = 150) -> list[QImage]:
    """Every page of a PDF as an image on WHITE (QtPdf paints on transparent by default,
    and barcodes on a transparent page do not scan)."""
    doc, buf = _load(pdf_bytes)
    try:
        return [_render_page(doc, i, dpi) for i in range(doc.pageCount())]
    finally:
        doc.close()
        buf.close()


def _render_page(doc, index: int, dpi: float) -> QImage:
    size_pt = doc.pagePointSize(index)
    size = QSize(max(1, round(size_pt.width() * dpi / 72)), max(1, round(size_pt.height() * dpi / 72)))
    raw = doc.render(index, size)
    page = QImage(size, QImage.Format.Format_ARGB32)
    page.fill(Qt.GlobalColor.white)
    p = QPainter(page)
    p.drawImage(QPoint(0, 0), raw)
    p.end()
    return page


def _load(pdf_bytes: bytes):
    from PySide6.QtPdf import QPdfDocument

    buf = QBuffer()
    buf.setData(QByteArray(pdf_bytes))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    doc.load(buf)
    if doc.status() != QPdfDocument.Status.Ready:
        raise ValueError(f"not a readable PDF ({doc.error().name})")
    return doc, buf


def print_pdf(parent: QWidget | None, pdf_bytes: bytes, title: str, *, printer_name: str = "") -> bool:
    """Show a print preview of a PDF and print it from there; returns True if printed.

    The paper size is the PDF's own (a 4x6 label stays 4x6); ``printer_name`` (a CUPS
    queue, or ``cups://QUEUE`` as kept in the settings) is preselected when given. Pages
    are rendered one at a time at the printer's resolution (at most 300 dpi), on white.
    Without QtPdf (or with a PDF it cannot read) it offers to save the file instead.
    """
    try:
        from PySide6.QtGui import QPageLayout, QPageSize
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        doc, buf = _load(pdf_bytes)
    except Exception as exc:  # noqa: BLE001 - QtPdf missing or bad PDF: saving still works
        log.warning("print preview unavailable: %s", exc)
        return save_file(parent, pdf_bytes, f"{title}.pdf", "PDF files (*.pdf)") is not None

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    if printer_name:
        printer.setPrinterName(printer_name.removeprefix("cups://"))
    if doc.pageCount():
        size = doc.pagePointSize(0)
        printer.setFullPage(True)
        orientation = (QPageLayout.Orientation.Landscape if size.width() > size.height()
                       else QPageLayout.Orientation.Portrait)
        printer.setPageLayout(QPageLayout(QPageSize(size, QPageSize.Unit.Point, title),
                                          orientation, QMarginsF()))
    painted = {"pages": 0}

    def paint(target: QPrinter) -> None:
        painter = QPainter(target)
        dpi = min(300, target.resolution())
        for i in range(doc.pageCount()):
            if i:
                target.newPage()
            image = _render_page(doc, i, dpi)
            area = painter.viewport()
            scaled = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.topLeft(), scaled), image)
        painter.end()
        painted["pages"] = doc.pageCount()

    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"Print — {title}")
    dialog.paintRequested.connect(paint)
    try:
        accepted = dialog.exec() == QPrintPreviewDialog.DialogCode.Accepted
    finally:
        doc.close()
        buf.close()
    return accepted and painted["pages"] > 0
