"""A ReportLab canvas that knows the page count: pages are kept until ``save`` and each is
given its "page n of m" (and whatever else a document's footer says) once the count is known."""

from __future__ import annotations

from typing import Any

from reportlab.pdfgen.canvas import Canvas


class PagedCanvas(Canvas):  # type: ignore[misc]  # ReportLab's Canvas is untyped
    """Subclass and draw the footer in ``finish_page(page, total)``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.finish_page(self._pageNumber, total)
            super().showPage()
        super().save()

    def finish_page(self, page: int, total: int) -> None:
        """Draw what the page can say only once the count is known (the footer)."""
