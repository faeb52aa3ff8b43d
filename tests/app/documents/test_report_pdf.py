"""The reports' PDF: a table's columns are as wide as their longest word at least, so a client
code, an order number or a date is never cut in two by a long column beside it."""

from __future__ import annotations

import io

import pypdf

from app.documents.report_pdf import PdfSection, render_report_pdf

HEADERS = ["Client", "Order", "Status", "Received", "Due", "Hours past due", "Backordered", "ETA"]
ETA = "2026-12-11 (ASN-BLOOM-2001); 2026-12-11 (ASN-BLOOM-2001); 2026-12-14 (ASN-BLOOM-2002)"


def test_no_code_or_date_is_cut_in_two():
    rows = [("BLOOM", f"BL-10{n:02d}", "Partially allocated", "2026-12-05 23:58", "2026-12-08 00:00", "-47.32",
             "BLO-0027x3 BLO-0009x2 BLO-0047x2", ETA) for n in range(30)]
    pdf = render_report_pdf("Supervisor reports", "Last 7 days", [("Late now", "30")],
                            [PdfSection("Late and due orders", HEADERS, rows, numeric=[False] * 5 + [True, False, False])])
    words = {w for page in pypdf.PdfReader(io.BytesIO(pdf)).pages for w in page.extract_text().split()}
    for whole in ("BLOOM", "BL-1029", "2026-12-05", "23:58", "2026-12-08", "Partially", "allocated", "-47.32"):
        assert whole in words
    assert not {"BLO", "OM", "BL-10", "2026-12-"} & words
