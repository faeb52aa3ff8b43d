"""Creating a shipment at the receiving desk: typed lines at once, or an ASN file imported on
a worker thread (a big file takes seconds; the desk keeps scanning)."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QDialog

from app import catalog, receiving
from app.kernel.errors import ImportRejected, PrepDeskError
from app.kernel.text import counted
from ui.ops import one_line, run_op, show_warning
from ui.stations.receiving.dialogs import NewShipmentDialog, NewShipmentRequest
from ui.worker import run_task

log = logging.getLogger(__name__)


class NewShipment:
    """The receiving tab's New shipment (mixed into ReceivingTab: it uses the tab's banner,
    scan field and New shipment button, and opens the shipment it made)."""

    def ask_new_shipment(self) -> NewShipmentRequest | None:
        dialog = NewShipmentDialog([c.code for c in catalog.list_clients()], self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.request()

    def new_shipment(self) -> receiving.ShipmentRef | None:
        """Create a shipment from typed lines (at once), or import an ASN file on a worker
        thread (a big file takes seconds; the desk keeps scanning): the new shipment opens
        when the import is done. Returns the typed shipment, None for a file or a refusal."""
        req = self.ask_new_shipment()
        self.scan_field.grab_focus()
        if req is None:
            return None
        if req.csv_path:
            self.new_button.setEnabled(False)
            self.banner.show_ok(f"Importing {req.csv_path}…")
            self.import_job = run_task(
                receiving.import_asn, req.csv_path, client_code=req.client_code, ref=req.ref,
                actor=self.ctx.actor, expected_date=req.expected_date, carrier=req.carrier,
                tracking=req.tracking, on_done=self._on_asn_imported, on_error=self._on_asn_failed)
            return None
        lines = run_op(self, receiving.parse_lines, req.lines_text)
        ref = None
        if lines is not None:
            ref = run_op(self, receiving.create_shipment, req.client_code, req.ref, lines,
                         actor=self.ctx.actor, expected_date=req.expected_date,
                         carrier=req.carrier, tracking=req.tracking)
        if ref is None:
            return None
        self.open_shipment(ref.id)
        return ref

    def _on_asn_imported(self, res: receiving.ImportAsnResult) -> None:
        self.new_button.setEnabled(True)
        self.open_shipment(res.shipment.id)
        created = f", {res.products_created} new products" if res.products_created else ""
        self.banner.show_ok(f"Shipment {res.shipment.ref} imported: {counted(res.lines, 'line')}, "
                            f"{counted(res.units, 'unit')}{created} — scan units")
        self.scan_field.grab_focus()

    def _on_asn_failed(self, exc: BaseException) -> None:
        self.new_button.setEnabled(True)
        if isinstance(exc, ImportRejected):
            # every line-numbered reason, so the file can be fixed in one go
            shown = exc.errors[:25]
            more = f"\n… and {len(exc.errors) - 25} more" if len(exc.errors) > 25 else ""
            show_warning(self, "ASN file rejected, nothing imported:\n" + "\n".join(shown) + more)
        elif not isinstance(exc, PrepDeskError):
            log.error("ASN import failed", exc_info=(type(exc), exc, exc.__traceback__))
        self._error(one_line(exc))
