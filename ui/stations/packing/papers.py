"""The packing station's papers, loaded the first time something is printed.

The packing slip, the carton labels and the package manifest are drawn with ReportLab
(``app.packing.papers``, ``app.packing.reprint``, ``app.shipping.manifest``) and previewed or
saved through QtPdf and the print dialogs (``ui.printing``). The station's screen names them
here, through ``ui.lazy``, so it opens without loading any of them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from ui import lazy

PAPERS = "app.packing.papers"
REPRINT = "app.packing.reprint:reprint_papers"
MANIFEST = "app.shipping.manifest:render_manifest"
PRINTING = "ui.printing"


def papers() -> Any:
    """``app.packing.papers``: the slip and labels of an order, drawn and printed."""
    return lazy.load(PAPERS)


def reprint_papers(code: str, **options: Any) -> Any:
    """``app.packing.reprint.reprint_papers``: an order's papers again, shipped ones too."""
    return lazy.attribute(REPRINT)(code, **options)


def render_manifest(order_id: int, **options: Any) -> bytes:
    """``app.shipping.manifest.render_manifest``: a package's contents as PDF."""
    pdf: bytes = lazy.attribute(MANIFEST)(order_id, **options)
    return pdf


def print_pdf(parent: QWidget | None, pdf: bytes, title: str) -> bool:
    """The print preview of ``pdf`` (``ui.printing.print_pdf``); True when printed."""
    printed: bool = lazy.load(PRINTING).print_pdf(parent, pdf, title)
    return printed


def save_file(parent: QWidget | None, data: bytes, name: str, filter: str) -> str | None:  # noqa: A002
    """Ask where to save ``data`` (``ui.printing.save_file``); the path written, or None."""
    path: str | None = lazy.load(PRINTING).save_file(parent, data, name, filter)
    return path
