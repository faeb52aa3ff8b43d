"""What a label printer can be set to, without the printing code (``app.devices.printing``):
the station's settings check these before the login dialog shows."""

from __future__ import annotations

# What a label printer takes: ZPL II (Zebra and compatibles) or a PDF page (PDF-only
# thermal printers such as Rollo or DYMO), and the label format each is rendered as.
LABEL_LANGUAGES = ("zpl", "pdf")
LABEL_FORMAT_FOR_LANGUAGE = {"zpl": "zpl", "pdf": "thermal"}
LABEL_DPIS = (203, 300)
