"""A client's products from a CSV file (Clients → Import products…), as ``import products``
on the command line does it: all or nothing, on the worker pool behind a progress dialog
(the window keeps drawing), the outcome said in the editor's message line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from app import catalog
from app.kernel.actor import Actor
from app.kernel.text import counted
from ui.ops import failure_line
from ui.worker import Task, run_task


def import_products(parent: QWidget, actor: Actor, client_code: str, path: str,
                    say: Callable[[str, bool], None]) -> Task:
    """Import ``path`` for ``client_code``; ``say(text, error)`` gets the outcome."""
    progress = QProgressDialog(f"Importing {Path(path).name} for {client_code}…", "", 0, 0, parent)
    progress.setWindowTitle("Import products")
    progress.setCancelButton(None)  # all or nothing, in one transaction: it ends by itself
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.show()

    def done(result: catalog.ImportResult) -> None:
        progress.close()
        progress.deleteLater()
        say(f"{client_code}: {counted(result.created, 'product')} added, {result.updated} updated, "
            f"{counted(result.barcodes, 'barcode')} linked from {Path(path).name}.", False)

    def failed(exc: BaseException) -> None:
        progress.close()
        progress.deleteLater()
        line = failure_line(exc)
        say(line[:1].upper() + line[1:], True)

    return run_task(catalog.import_products, path, client_code=client_code, actor=actor, on_done=done,
                    on_error=failed)
