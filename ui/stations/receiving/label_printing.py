"""Printing labels at the receiving desk: ask what to print, render it on a worker thread
with a progress bar (the desk keeps scanning), then print, save or send it to the label printer."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QDialog

from app import receiving
from app.catalog import scan
from app.devices import printing as device_printing
from app.documents import label_data
from app.kernel.errors import PrepDeskError
from app.kernel.text import counted
from ui import lazy
from ui.ops import one_line, run_op
from ui.stations.receiving.dialogs import LabelDialog, LabelRequest
from ui.worker import run_task

log = logging.getLogger(__name__)


# Drawing labels (ReportLab) and the print dialogs (QtPdf): loaded when labels are first printed.
RENDER = "app.documents.labels:render"
PRINTING = "ui.printing"


def _render_labels(labs: list[label_data.Label], fmt: str, target: str, progress=None, *,
                   dpi: int = 203) -> bytes:
    """Worker-thread job: render the labels (ZPL for a ``dpi`` printer) and, with a ``target``,
    send them to the printer."""
    data = lazy.attribute(RENDER)(labs, fmt, progress=progress, dpi=dpi)
    if target:
        device_printing.send_labels(target, data, fmt)
    return data


class LabelPrinting:
    """The receiving tab's label printing (mixed into ReceivingTab: it uses the tab's banner,
    scan field, progress bar and the line selected in its table)."""

    def ask_labels(self) -> LabelRequest | None:
        line = self._lines_by_sku.get(self._selected_sku)
        client_id = self.shipment.client_id if self.shipment else None
        dialog = LabelDialog(self._selected_sku, self.ctx.settings.label_printer or "", self,
                             count=line.received if line else 1,
                             shipment=self.shipment.ref if self.shipment else "",
                             shipment_units=sum(x.received for x in self._lines_by_sku.values()),
                             language=self.ctx.settings.label_language,
                             find_product=lambda code: scan.find_product_code(code, client_id=client_id))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.request()

    def print_labels(self) -> bool:
        """Ask what to print, then render (and send) on a worker thread with a progress bar.

        Returns True when a job started; the result arrives in ``_on_labels_done``.
        """
        if self.label_job is not None and not self.label_job.done:
            self._error("labels are still being prepared: wait for the bar to finish")
            return False
        req = self.ask_labels()
        self.scan_field.grab_focus()
        if req is None:
            return False
        client = self.shipment.client_code if self.shipment else None
        if req.kind == "unit":
            labs = run_op(self, receiving.unit_labels, req.sku, req.count, client_code=client, lot=req.lot,
                          expiry=req.expiry, with_lot=bool(req.lot))
        elif req.kind == "shipment" and self.shipment is not None:
            labs = run_op(self, receiving.shipment_labels, self.shipment.id)
        else:
            labs = run_op(self, receiving.bin_labels, req.first_bin, req.last_bin)
        if not labs:
            return False
        target = ""
        if req.destination == "printer":
            checked = run_op(self, device_printing.check_target, self.ctx.settings.label_printer,
                             banner=self._error)
            if checked is None:
                return False
            target = checked
        self.label_progress.setRange(0, len(labs))
        self.label_progress.setValue(0)
        self.label_progress.setVisible(True)
        self.labels_button.setEnabled(False)
        self.banner.show_ok(f"Preparing {counted(len(labs), 'label')}…")
        self.label_job = run_task(
            _render_labels, labs, req.fmt, target, dpi=self.ctx.settings.label_dpi,
            on_done=lambda data: self._on_labels_done(req, labs, target, data),
            on_error=self._on_labels_failed,
            on_progress=self._on_labels_progress)
        return True

    def _on_labels_progress(self, done: int, total: int) -> None:
        self.label_progress.setMaximum(total)
        self.label_progress.setValue(done)

    def _labels_finished(self) -> None:
        self.label_progress.setVisible(False)
        self.labels_button.setEnabled(True)

    def _on_labels_failed(self, exc: BaseException) -> None:
        self._labels_finished()
        if not isinstance(exc, PrepDeskError):
            log.error("labels failed", exc_info=(type(exc), exc, exc.__traceback__))
        self._error(one_line(exc))

    def _on_labels_done(self, req: LabelRequest, labs: list, target: str, data: bytes) -> None:
        self._labels_finished()
        if target:
            self.ctx.feedback.ok()
            self.banner.show_ok(f"{counted(len(labs), 'label')} sent to {target}")
        else:
            name = f"labels-{self.shipment.ref if req.kind == 'shipment' and self.shipment else req.sku or req.first_bin}"
            if req.destination == "save" or req.fmt == "zpl":
                ext, filt = ("zpl", "ZPL files (*.zpl)") if req.fmt == "zpl" else ("pdf", "PDF files (*.pdf)")
                path = lazy.load(PRINTING).save_file(self, data, f"{name}.{ext}", filt)
                if path:  # say where: the clerk has to find the file to print it
                    self.banner.show_ok(f"{counted(len(labs), 'label')} saved to {path}")
                    self.open_folder.show_for(path)
                else:
                    self.banner.show_warning(f"{counted(len(labs), 'label')} not saved")
            elif lazy.load(PRINTING).print_on(self, data, name, self.ctx.settings.document_printer):
                self.banner.show_ok(f"{counted(len(labs), 'label')} printed")
            else:  # the preview closed without printing, or the printer refused (it said why)
                self.banner.show_warning(f"{counted(len(labs), 'label')} not printed")
        self.label_jobs_done += 1
        self.scan_field.grab_focus()
