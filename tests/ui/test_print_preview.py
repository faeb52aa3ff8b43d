"""The print preview prints without the mouse (Ctrl+P, Enter, a scanned %CMD-PRINT), keeps
its Print button in view, refuses other scans visibly, and sends our PDFs as vector pages on
the document's own paper."""

from __future__ import annotations

import io

import pypdf
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication

from app.kernel.commands import command_code
from ui import printing

LETTER = (612, 792)
FOUR_BY_SIX = (288, 432)


def pdf_of(size: tuple[int, int], text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size)
    c.drawString(20, size[1] - 40, text)
    c.rect(20, 20, 60, 60, stroke=0, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


class ScannerClock:
    """A wedge scanner's keys: 5 ms apart (a person needs 100+)."""

    def __init__(self) -> None:
        self.ms = 0

    def __call__(self) -> int:
        self.ms += 5
        return self.ms


@pytest.fixture
def sent(monkeypatch):
    """The final print call, recorded instead of printing: (page size in points, bytes)."""
    calls: list[tuple[tuple[int, int], bytes]] = []

    def fake_print_document(printer, pdf_bytes, title, paint):
        size = printer.pageLayout().fullRectPoints().size()
        calls.append(((size.width(), size.height()), pdf_bytes))
        return "vector"

    monkeypatch.setattr(printing, "print_document", fake_print_document)
    return calls


def run_preview(qtbot, monkeypatch, act):
    """print_pdf with the preview shown and ``act(dialog)`` done in it instead of a person."""
    seen = {}

    def fake_exec(dialog):
        seen["dialog"] = dialog
        dialog.resize(1366, 768 - 40 - 30)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        act(dialog)
        result = dialog.result()
        dialog.hide()
        return result

    monkeypatch.setattr(printing.PrintPreview, "exec", fake_exec)
    return seen


def test_ctrl_p_prints_on_the_documents_paper(qtbot, monkeypatch, sent):
    def ctrl_p(dialog):
        qtbot.keyClick(dialog.scan_field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)

    run_preview(qtbot, monkeypatch, ctrl_p)
    pdf = pdf_of(FOUR_BY_SIX, "CARTON 1")
    assert printing.print_pdf(None, pdf, "Carton label") is True
    assert sent == [(FOUR_BY_SIX, pdf)]


def test_enter_prints(qtbot, monkeypatch, sent):
    def enter(dialog):
        assert dialog.focusWidget() is dialog.scan_field  # where a scan's keys land
        qtbot.keyClick(dialog.scan_field, Qt.Key.Key_Return)

    run_preview(qtbot, monkeypatch, enter)
    assert printing.print_pdf(None, pdf_of(LETTER, "SLIP"), "Packing slip") is True
    assert [size for size, _ in sent] == [LETTER]


def test_the_print_button_is_in_view_at_1366x768(qtbot, monkeypatch, sent):
    def look(dialog):
        button = dialog.print_button
        assert button.isVisible()
        rect = QRect(button.mapTo(dialog, QPoint(0, 0)), button.size())
        assert dialog.rect().contains(rect)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    run_preview(qtbot, monkeypatch, look)
    assert printing.print_pdf(None, pdf_of(LETTER, "SLIP"), "Packing slip") is True
    assert len(sent) == 1


def test_a_scanned_print_command_prints(qtbot, monkeypatch, sent):
    def scan_print(dialog):
        dialog.guard.clock_ms = ScannerClock()
        qtbot.keyClicks(dialog.scan_field, command_code("PRINT"))
        qtbot.keyClick(dialog.scan_field, Qt.Key.Key_Return)

    run_preview(qtbot, monkeypatch, scan_print)
    assert printing.print_pdf(None, pdf_of(FOUR_BY_SIX, "CARTON"), "Carton label") is True
    assert [size for size, _ in sent] == [FOUR_BY_SIX]


def test_another_scan_is_refused_visibly_and_prints_nothing(qtbot, monkeypatch, sent):
    def scan_a_unit(dialog):
        dialog.guard.clock_ms = ScannerClock()
        qtbot.keyClicks(dialog.scan_field, "X001234567")
        qtbot.keyClick(dialog.scan_field, Qt.Key.Key_Return)
        assert "X001234567" in dialog.message.text()
        assert dialog.message.isVisible()
        assert dialog.scan_field.text() == ""  # the burst left nothing behind
        dialog.reject()

    run_preview(qtbot, monkeypatch, scan_a_unit)
    assert printing.print_pdf(None, pdf_of(LETTER, "SLIP"), "Packing slip") is False
    assert sent == []


def test_a_printer_writing_pdf_gets_vector_pages_on_the_documents_paper(qtbot, monkeypatch, tmp_path):
    outs = {}

    def print_to_file(dialog):
        printer = dialog.printer()
        out = tmp_path / f"{len(outs)}.pdf"
        outs[len(outs)] = out
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        qtbot.keyClick(dialog.scan_field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)

    run_preview(qtbot, monkeypatch, print_to_file)
    assert printing.print_pdf(None, pdf_of(LETTER, "PACKING SLIP 1001"), "Packing slip") is True
    assert printing.print_pdf(None, pdf_of(FOUR_BY_SIX, "CARTON LABEL 1001"), "Carton label") is True
    for index, (size, text) in enumerate(((LETTER, "PACKING SLIP 1001"), (FOUR_BY_SIX, "CARTON LABEL 1001"))):
        page = pypdf.PdfReader(outs[index]).pages[0]
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size
        assert text in page.extract_text()  # text, not a picture of it


def test_paint_pdf_to_a_pdf_printer_keeps_the_text(qapp, tmp_path):
    out = tmp_path / "label.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    assert printing.paint_pdf(printer, pdf_of(FOUR_BY_SIX, "CARTON 7"), "Carton label") == 1
    page = pypdf.PdfReader(out).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == FOUR_BY_SIX
    assert "CARTON 7" in page.extract_text()


def test_a_station_printer_gets_the_pdf_straight_without_a_dialog(qtbot, monkeypatch, message_boxes):
    from app.devices.printing import PrinterError

    sent_to = []
    monkeypatch.setattr(printing, "send_pdf", lambda target, pdf, title: sent_to.append((target, title)))
    pdf = pdf_of(LETTER, "PICK LIST")
    assert printing.send_to_station_printer(None, "cups://office", pdf, "Pick list 7") is True
    assert sent_to == [("cups://office", "Pick list 7")]
    assert message_boxes.dialogs == []

    def refuse(target, pdf, title):
        raise PrinterError("printer queue 'office' refused the job: paper out")

    monkeypatch.setattr(printing, "send_pdf", refuse)
    assert printing.send_to_station_printer(None, "cups://office", pdf, "Pick list 7") is False
    assert any("paper out" in text for _kind, _title, text in message_boxes.boxes)


class FakePrinter:
    def __init__(self, name: str) -> None:
        self.name = name

    def outputFormat(self):  # noqa: N802 - QPrinter's name
        return QPrinter.OutputFormat.NativeFormat

    def outputFileName(self) -> str:  # noqa: N802 - QPrinter's name
        return ""

    def printerName(self) -> str:  # noqa: N802 - QPrinter's name
        return self.name


def test_a_cups_printer_gets_the_pdf_unchanged_and_windows_gets_rendered_pages(monkeypatch):
    sent, painted = [], []
    monkeypatch.setattr(printing, "send_pdf", lambda target, pdf, title: sent.append((target, pdf)))
    monkeypatch.setattr(printing.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(printing.sys, "platform", "linux")
    pdf = pdf_of(LETTER, "SLIP")
    assert printing.print_document(FakePrinter("office"), pdf, "Slip", painted.append) == "vector"
    assert sent == [("cups://office", pdf)] and painted == []
    monkeypatch.setattr(printing.sys, "platform", "win32")
    printer = FakePrinter("Office Laser")
    assert printing.print_document(printer, pdf, "Slip", painted.append) == "raster"
    assert painted == [printer] and len(sent) == 1


def test_a_printer_that_will_not_start_prints_nothing_and_says_so(qtbot, monkeypatch):
    """No usable printer: Ctrl+P prints nothing, the preview stays open saying so, and the
    caller hears that nothing was printed."""
    def without_a_printer(printer, pdf_bytes, title, paint):
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # no file, no queue: begin() fails
        printer.setOutputFileName("")
        return real_print_document(printer, pdf_bytes, title, paint)

    real_print_document = printing.print_document
    monkeypatch.setattr(printing, "print_document", without_a_printer)
    seen = {}

    def ctrl_p(dialog):
        qtbot.keyClick(dialog.scan_field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        seen["open"] = dialog.isVisible()
        seen["message"] = dialog.message.text()
        dialog.reject()

    run_preview(qtbot, monkeypatch, ctrl_p)
    assert printing.print_pdf(None, pdf_of(FOUR_BY_SIX, "TENT-1"), "labels-ACM-0001") is False
    assert seen == {"open": True,
                    "message": "Nothing printed: no printer is available on this computer (labels-ACM-0001)"}


def test_a_long_message_keeps_the_preview_on_a_1366_screen(qtbot, monkeypatch, sent):
    """A refused scan's message wraps under the pages: the preview keeps its width (it grew
    past a 1366 px screen, its Print button out of sight)."""
    seen = {}

    def scan_a_long_code(dialog):
        before = dialog.width()
        dialog.guard.clock_ms = ScannerClock()
        qtbot.keyClicks(dialog.scan_field, "ASN-ACME-1001-" + "X" * 60)
        qtbot.keyClick(dialog.scan_field, Qt.Key.Key_Return)
        QApplication.sendPostedEvents()  # the layout asks for its new size
        QApplication.processEvents()
        seen["before"], seen["after"] = before, dialog.width()
        seen["wraps"] = dialog.message.wordWrap()
        seen["print"] = dialog.rect().contains(QRect(dialog.print_button.mapTo(dialog, QPoint(0, 0)),
                                                     dialog.print_button.size()))
        dialog.reject()

    def exec_at_its_own_size(dialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        scan_a_long_code(dialog)
        return dialog.result()

    monkeypatch.setattr(printing.PrintPreview, "exec", exec_at_its_own_size)
    assert printing.print_pdf(None, pdf_of(FOUR_BY_SIX, "TENT-1"), "labels-ACM-0001") is False
    assert seen["after"] == seen["before"] <= 1366
    assert seen["wraps"] and seen["print"]


def test_the_previews_own_print_action_on_a_printer_that_will_not_start(qtbot, monkeypatch, message_boxes):
    def qts_print_action(dialog):
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # no file, no queue: begin() fails
        printer.setOutputFileName("")
        dialog.paintRequested.emit(printer)
        return QPrintPreviewDialog.DialogCode.Accepted  # Qt closes its preview after printing

    monkeypatch.setattr(QPrintPreviewDialog, "exec", qts_print_action)
    assert printing.print_pdf(None, pdf_of(FOUR_BY_SIX, "TENT-1"), "labels-ACM-0001") is False
    assert message_boxes.texts() == ["Nothing printed: no printer is available on this computer (labels-ACM-0001)"]
