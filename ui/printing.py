"""Previewing, printing and saving the documents ``app/`` renders (PDF bytes in, paper out).

Printing goes through Qt's QPrinter on every platform (Windows, macOS, Linux: no ``lp``
needed); :func:`print_pdf_to_printer` prints without a dialog on a printer named in the
settings (``printer://NAME``).

Our PDFs reach the printer as the vector PDF they are where possible (:func:`print_document`:
a QPrinter writing a PDF file gets the bytes unchanged, a CUPS queue gets them through
``lp``); elsewhere the pages are rendered at the printer's resolution on white. The paper is
always the document's own (its first page's size), never the printer's default A4/Letter.

The preview (:class:`PrintPreview`) prints with Ctrl+P, Enter, its Print button (always in
view, not in the tool bar's overflow) or a scanned ``%CMD-PRINT``; any other scan while it is
open is refused with a line in the preview, never silently lost.
"""

from __future__ import annotations

import logging
import shutil
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEventLoop,
    QIODevice,
    QMarginsF,
    QPoint,
    QRect,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QShortcut,
)
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QBoxLayout,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from app.devices.printing import PrinterError, send_pdf
from app.kernel.commands import command_code, parse_command
from app.kernel.errors import ValidationError
from ui.widgets.ask import guard_letters, tell
from ui.widgets.file_dialog import ask_save_path
from ui.widgets.open_folder import OpenFolderButton
from ui.widgets.scan_field import ScanBurstGuard
from ui.worker import run_task

log = logging.getLogger(__name__)

# Rendering ~7 ms a thermal label page and ~120 ms a letter page at 300 dpi on a busy
# station: past these, pages are rendered on a worker thread behind a progress dialog.
BACKGROUND_PAGES = 20
BACKGROUND_MEGAPIXELS = 40  # about 5 letter pages at 300 dpi
PROGRESS_EVERY_S = 0.05
SAVED_SHOWN_MS = 60_000  # how long the status bar says where a file was saved

_BLACK, _WHITE = QColor("black").rgba(), QColor("white").rgba()


def save_file(parent: QWidget | None, data: bytes, suggested_name: str,
              filter: str = "All files (*)") -> str | None:  # noqa: A002 - Qt's word
    """Ask where to save ``data`` (:func:`ask_save_path`: the filter's extension is added, a
    scan is kept out) and write it there; returns the path written, or None if cancelled.
    The window's status bar says where the file went."""
    path = ask_save_path(parent, "Save as", suggested_name, filter)
    if not path:
        return None
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        tell(parent, f"Cannot save {path}: {exc.strerror or exc}")
        return None
    log.info("saved %s (%d bytes)", path, len(data))
    window = parent.window() if parent is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(f"Saved {path}", SAVED_SHOWN_MS)
    return path


def show_saved(parent: QWidget | None, text: str, path: str) -> None:
    """Say where a file went, with an Open folder button (a file to print from there)."""
    box = QMessageBox(QMessageBox.Icon.Information, "Saved", text, QMessageBox.StandardButton.Ok, parent)
    folder = OpenFolderButton()
    folder.show_for(path)
    box.addButton(folder, QMessageBox.ButtonRole.ActionRole)
    box.open_folder = folder  # type: ignore[attr-defined]
    try:
        guard_letters(box).exec()
    finally:
        box.deleteLater()


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
    buf = QBuffer()
    buf.setData(QByteArray(pdf_bytes))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    doc.load(buf)
    if doc.status() != QPdfDocument.Status.Ready:
        raise ValueError(f"not a readable PDF ({doc.error().name})")
    return doc, buf


def _is_big(doc, dpi: float) -> bool:
    """Worth a worker thread and a progress dialog (a slip or one label is not)."""
    pages = doc.pageCount()
    if pages > BACKGROUND_PAGES:
        return True
    pixels = sum(doc.pagePointSize(i).width() * doc.pagePointSize(i).height() for i in range(pages))
    return pixels * (dpi / 72) ** 2 > BACKGROUND_MEGAPIXELS * 1e6


def _print_image(doc, index: int, dpi: float) -> QImage:
    """One page for the printer, 1 bit a pixel, black on white.

    Text and bars are rendered without anti-aliasing (crisp edges, like the printer's own
    dots) and greys are dithered. At one bit a pixel 1,000 thermal labels take 33 MB
    instead of 1 GB, and Qt's PDF/CUPS spool writes them as 1-bit images (0.25 s instead
    of ~5 s for the same 1,000 pages in colour). Works in any thread.
    """
    flags = QPdfDocumentRenderOptions.RenderFlag
    options = QPdfDocumentRenderOptions()
    options.setRenderFlags(flags.TextAliased | flags.PathAliased | flags.ImageAliased)
    size_pt = doc.pagePointSize(index)
    size = QSize(max(1, round(size_pt.width() * dpi / 72)), max(1, round(size_pt.height() * dpi / 72)))
    raw = doc.render(index, size, options)
    page = QImage(size, QImage.Format.Format_RGB32)
    page.fill(Qt.GlobalColor.white)  # QtPdf paints on transparent
    p = QPainter(page)
    p.drawImage(QPoint(0, 0), raw)
    p.end()
    mono = page.convertToFormat(QImage.Format.Format_Mono, Qt.ImageConversionFlag.DiffuseDither)
    # Qt's PDF engine takes a 1-bit image as 1-bit only with black first in the table.
    if mono.colorTable() != [_BLACK, _WHITE]:
        mono.invertPixels()
        mono.setColorTable([_BLACK, _WHITE])
    return mono


def render_pages_for_print(pdf_bytes: bytes, dpi: float, cancel: threading.Event,
                           progress: Callable[[int, int], None] | None = None) -> list[QImage] | None:
    """Every page as a 1-bit image for the printer (see ``_print_image``); None when
    ``cancel`` is set. Meant for a worker thread: it opens its own copy of the PDF."""
    doc, buf = _load(pdf_bytes)
    try:
        total = doc.pageCount()
        pages: list[QImage] = []
        reported = 0.0
        for i in range(total):
            if cancel.is_set():
                return None
            pages.append(_print_image(doc, i, dpi))
            now = time.monotonic()
            if progress is not None and (now - reported >= PROGRESS_EVERY_S or i + 1 == total):
                reported = now
                progress(i + 1, total)
        return pages
    finally:
        doc.close()
        buf.close()


def _render_with_progress(parent: QWidget | None, pdf_bytes: bytes, dpi: float, title: str,
                          total: int) -> list[QImage] | None:
    """Render the pages on a worker thread behind a cancellable progress dialog; the
    window keeps repainting meanwhile. None when cancelled or failed (the user was told)."""
    cancel = threading.Event()
    dialog = QProgressDialog(f"Preparing {title} for printing…", "Cancel", 0, total, parent)
    dialog.setWindowTitle("Print")
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)  # no second job meanwhile
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    cancel_button = QPushButton("Cancel")
    cancel_button.setAutoDefault(False)  # a scanner's Enter must not cancel the job
    cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    dialog.setCancelButton(cancel_button)
    dialog.canceled.connect(cancel.set)
    outcome: dict[str, object] = {}
    loop = QEventLoop()

    def finished(pages: object) -> None:
        outcome["pages"] = pages
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    def progressed(done: int, of: int) -> None:
        if not cancel.is_set():
            dialog.setLabelText(f"Preparing {title} for printing: page {done:,} of {of:,}")
            dialog.setValue(done)

    run_task(render_pages_for_print, pdf_bytes, dpi, cancel,
             on_done=finished, on_error=failed, on_progress=progressed)
    dialog.setValue(0)
    dialog.show()
    loop.exec()  # like a modal dialog's exec(): the GUI thread keeps serving events
    cancelled = cancel.is_set()
    dialog.canceled.disconnect(cancel.set)  # closing a progress dialog says "canceled" too
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        exc = outcome["error"]
        log.warning("rendering %s for printing failed: %s", title, exc)
        tell(parent, f"Cannot prepare {title} for printing: {exc}")
        return None
    pages = outcome.get("pages")
    if cancelled or pages is None:
        log.info("printing %s cancelled while preparing pages", title)
        return None
    return pages  # type: ignore[return-value]


def _page_layout(size_pt: QSizeF, title: str):
    """The PDF's own paper. A standard size (letter, A4) keeps its name and turns
    landscape when wider; a label keeps its exact shape (a 2.25" x 1.25" label is that wide,
    as label printers define their media). QPageLayout swaps a landscape-shaped size once
    more when told Landscape, so the size given is always the one that comes out."""
    w, h = size_pt.width(), size_pt.height()
    standard = QPageSize(QSizeF(min(w, h), max(w, h)), QPageSize.Unit.Point, title)
    if standard.id() != QPageSize.PageSizeId.Custom:
        orientation = QPageLayout.Orientation.Landscape if w > h else QPageLayout.Orientation.Portrait
        return QPageLayout(standard, orientation, QMarginsF())
    return QPageLayout(QPageSize(QSizeF(w, h), QPageSize.Unit.Point, title),
                       QPageLayout.Orientation.Portrait, QMarginsF())


def _begin(painter: QPainter, target: QPrinter, title: str) -> None:
    """Start ``painter`` on ``target``.

    Raises:
        PrinterError: the printer will not start (none usable here): nothing was printed.
    """
    if not painter.begin(target):
        name = target.printerName() or target.outputFileName()
        why = f"printer {name!r} cannot start" if name else "no printer is available on this computer"
        raise PrinterError(f"Nothing printed: {why} ({title})")


PRINT_CODE = command_code("PRINT")  # the barcode that prints from an open preview


def print_document(printer: QPrinter, pdf_bytes: bytes, title: str,
                   paint: Callable[[QPrinter], None]) -> str:
    """The final print call of every printing path; returns how it printed.

    A QPrinter writing a PDF file gets the document's bytes unchanged ("vector": its pages,
    sizes and text stay as they were made); a printer of a CUPS system (Linux, macOS) gets
    them through ``lp``, unchanged too; elsewhere (Windows) ``paint`` renders the pages on
    ``printer`` at its resolution on white ("raster").

    Raises:
        PrinterError: the file cannot be written, or the CUPS queue refused the job.
    """
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        try:
            Path(printer.outputFileName()).write_bytes(pdf_bytes)
        except OSError as exc:
            raise PrinterError(f"cannot write {printer.outputFileName()}: {exc.strerror or exc}") from None
        return "vector"
    queue = printer.printerName()
    if queue and sys.platform != "win32" and shutil.which("lp"):
        send_pdf(f"cups://{queue}", pdf_bytes, title=title)
        return "vector"
    paint(printer)
    return "raster"


class PrintPreview(QPrintPreviewDialog):
    """Qt's print preview, printable without the mouse: Ctrl+P, Enter, the Print button
    under the pages (always in view) or a scanned ``%CMD-PRINT``. A scanner burst is told
    from typing by :class:`ScanBurstGuard`; a scan other than PRINT is refused with a line
    under the pages (it is not lost silently: the worker scans it again after closing), and
    a printer that refuses the job (or will not start) says there that nothing was printed.
    The line wraps: a long one never widens the preview past the screen."""

    def __init__(self, printer: QPrinter, parent: QWidget | None, title: str,
                 do_print: Callable[[], None], settings=None) -> None:
        super().__init__(printer, parent)
        self.setWindowTitle(f"Print — {title}")
        self._do_print = do_print
        self.printed = False
        bar = QHBoxLayout()
        self.scan_field = QLineEdit()
        self.scan_field.setPlaceholderText(f"Enter, Ctrl+P or scan {PRINT_CODE} to print")
        bar.addWidget(self.scan_field, 1)
        self.print_button = QPushButton("&Print (Ctrl+P / Enter)")
        self.print_button.setAutoDefault(False)
        self.print_button.clicked.connect(self.print_now)
        bar.addWidget(self.print_button)
        self.message = QLabel("")
        self.message.setObjectName("StatusText")
        self.message.setWordWrap(True)  # a long message must not widen the preview off the screen
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = self.layout()
        if isinstance(layout, QBoxLayout):
            layout.addLayout(bar)
            layout.addWidget(self.message)
        for view in self.findChildren(QGraphicsView):  # keys (a scan) never land in the pages
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.guard = ScanBurstGuard(self, on_scan=self.on_scan, settings=settings).watch_all(self)
        QShortcut(QKeySequence("Ctrl+P"), self, self.print_now)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.scan_field.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        ctrl_p = (event.key() == Qt.Key.Key_P
                  and event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) or ctrl_p:
            event.accept()
            self.print_now()
            return
        super().keyPressEvent(event)

    def on_scan(self, code: str) -> None:
        try:
            command = parse_command(code)
        except ValidationError:
            command = None
        if command == "PRINT":
            self.print_now()
            return
        self.message.setText(f"Scanned {code.strip()} — not used while printing: print "
                             f"(scan {PRINT_CODE}) or close this preview (Esc), then scan it again.")

    def print_now(self) -> None:
        if self.printed:
            return
        try:
            self._do_print()
        except PrinterError as exc:
            self.message.setText(str(exc))
            return
        self.printed = True
        self.accept()


def send_to_station_printer(parent: QWidget | None, target: str, pdf_bytes: bytes, title: str) -> bool:
    """Print straight on the station's printer from the settings (``printer://NAME``,
    ``cups://QUEUE``): no dialog, the PDF as it is. A refusal is one message box."""
    try:
        send_pdf(target, pdf_bytes, title=title)
    except PrinterError as exc:
        log.warning("printing %s on %s failed: %s", title, target, exc)
        tell(parent, f"Cannot print {title}: {exc}")
        return False
    log.info("sent %s to %s", title, target)
    return True


def print_on(parent: QWidget | None, pdf_bytes: bytes, title: str, station_printer: str) -> bool:
    """Print on the station's printer without a dialog when one is set, else in the preview."""
    if station_printer.strip():
        return send_to_station_printer(parent, station_printer.strip(), pdf_bytes, title)
    return bool(print_pdf(parent, pdf_bytes, title))


def print_pdf(parent: QWidget | None, pdf_bytes: bytes, title: str, *, printer_name: str = "",
              settings=None) -> bool:
    """Show a print preview of a PDF and print it from there; returns True if printed.

    The paper size is the PDF's own (a 4x6 label stays 4x6); ``printer_name`` (a CUPS
    queue, ``cups://QUEUE`` or ``printer://NAME`` as kept in the settings) is the printer
    used. A ``printer://NAME`` installed on this computer prints at once, without a dialog.
    Printing sends the PDF itself where it can (:func:`print_document`); otherwise pages are
    rendered at the printer's resolution (at most 300 dpi), on white. A small document
    (a slip, a label) is rendered as it is painted; a big one (a label run, many sheets) is
    rendered first on a worker thread behind a progress dialog that can cancel it (then
    nothing is printed), and the prepared pages are painted for the preview and the printer.
    With a PDF QtPdf cannot read it offers to save the file instead.
    """
    target = printer_name.strip()
    if target.startswith("printer://") and target.removeprefix("printer://") in QPrinterInfo.availablePrinterNames():
        try:
            print_pdf_to_printer(target.removeprefix("printer://"), pdf_bytes, title)
            return True
        except PrinterError as exc:
            log.warning("printing %s on %s failed: %s", title, target, exc)
            tell(parent, str(exc))
            return False
    try:
        doc, buf = _load(pdf_bytes)
    except ValueError as exc:  # a PDF QtPdf cannot read: saving it still works
        log.warning("print preview unavailable: %s", exc)
        return save_file(parent, pdf_bytes, f"{title}.pdf", "PDF files (*.pdf)") is not None

    try:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        if target:
            printer.setPrinterName(target.removeprefix("cups://").removeprefix("printer://"))
        page_count = doc.pageCount()
        if page_count:
            printer.setFullPage(True)
            printer.setPageLayout(_page_layout(doc.pagePointSize(0), title))
        prepared: list[QImage] | None = None
        dpi = min(300, printer.resolution())
        if page_count and _is_big(doc, dpi):
            prepared = _render_with_progress(parent, pdf_bytes, dpi, title, page_count)
            if prepared is None:
                return False
        painted: dict[str, object] = {"pages": 0, "failed": ""}

        def paint(target: QPrinter) -> None:
            painter = QPainter()
            _begin(painter, target, title)
            try:
                for i in range(page_count):
                    if i:
                        target.newPage()
                    area = painter.viewport()
                    painter.fillRect(area, Qt.GlobalColor.white)  # QtPdf and a 1-bit page are see-through
                    image = prepared[i] if prepared is not None else _render_page(doc, i, min(300, target.resolution()))
                    scaled = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                    painter.drawImage(QRect(area.topLeft(), scaled), image)
            finally:
                painter.end()
            painted["pages"], painted["failed"] = page_count, ""

        def on_paint_requested(target: QPrinter) -> None:
            # The pages drawn for the preview, or printed by the preview's own Print action.
            try:
                paint(target)
            except PrinterError as exc:
                log.warning("printing %s failed: %s", title, exc)
                painted["failed"] = str(exc)
                dialog.message.setText(str(exc))

        def do_print() -> None:
            print_document(printer, pdf_bytes, title, paint)
            painted["pages"], painted["failed"] = page_count, ""

        dialog = PrintPreview(printer, parent, title, do_print, settings)
        dialog.paintRequested.connect(on_paint_requested)
        accepted = dialog.exec() == QPrintPreviewDialog.DialogCode.Accepted
        if accepted and painted["failed"]:  # Qt's own Print action closed the preview anyway
            tell(parent, str(painted["failed"]))
        return accepted and painted["pages"] != 0 and not painted["failed"]
    finally:
        doc.close()
        buf.close()


def paint_pdf(printer: QPrinter, pdf_bytes: bytes, title: str) -> int:
    """Print every page of a PDF on ``printer`` (no dialog) on the PDF's own paper; returns
    the pages printed. The PDF goes as it is where it can (:func:`print_document`); else
    pages are rendered at the printer's resolution (at most 300 dpi), 1 bit a pixel.

    Raises:
        PrinterError: a PDF that cannot be read, or a printer that refuses to start.
    """
    try:
        doc, buf = _load(pdf_bytes)
    except ValueError as exc:
        raise PrinterError(f"cannot print {title}: {exc}") from None
    try:
        printer.setDocName(title)
        pages = doc.pageCount()
        if not pages:
            return 0
        printer.setFullPage(True)
        printer.setPageLayout(_page_layout(doc.pagePointSize(0), title))
        dpi = min(300, printer.resolution())

        def paint(target: QPrinter) -> None:  # only where the PDF cannot go as it is
            painter = QPainter()
            _begin(painter, target, title)
            try:
                for i in range(pages):
                    if i:
                        target.newPage()
                    area = painter.viewport()
                    painter.fillRect(area, Qt.GlobalColor.white)  # a 1-bit page's white is see-through
                    image = _print_image(doc, i, dpi)
                    scaled = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                    painter.drawImage(QRect(area.topLeft(), scaled), image)
            finally:
                painter.end()

        print_document(printer, pdf_bytes, title, paint)
        return pages
    finally:
        doc.close()
        buf.close()


def print_pdf_to_printer(printer_name: str, pdf_bytes: bytes, title: str) -> None:
    """Print a PDF without a dialog on a printer installed on this computer (any platform).

    The window registers this for ``printer://NAME`` targets
    (``app.devices.printing.use_system_printer``).

    Raises:
        PrinterError: no such printer here, an unreadable PDF, or the printer refused.
    """
    name = printer_name.strip()
    installed = QPrinterInfo.availablePrinterNames()
    if name not in installed:
        known = ", ".join(installed) if installed else "none"
        raise PrinterError(f"printer {name!r} is not installed on this computer (installed: {known})")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(name)
    pages = paint_pdf(printer, pdf_bytes, title)
    log.info("printed %s on %s (%d pages)", title, name, pages)
