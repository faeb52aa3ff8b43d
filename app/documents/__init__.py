"""Documents: Qt-free functions from plain data to bytes (PDF via ReportLab, ZPL as text)."""
