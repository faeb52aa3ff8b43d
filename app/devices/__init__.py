"""Printers: ZPL over TCP, the system's printers, CUPS queues (``app.devices.printing``), and
the label printers' settings (``app.devices.label_options``).

The package re-exports nothing: the station's settings read the label options before the
login dialog shows, without the printing module (sockets, subprocesses)."""
