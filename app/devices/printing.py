"""Sending labels and documents straight to a printer: ZPL over TCP, the system's printers, CUPS.

Targets are ``zpl://host:port`` (raw TCP, Zebra-type printers: ZPL only),
``printer://NAME`` (a printer installed on this computer, on any platform: PDF, printed
through Qt's QPrinter by the window, which registers it with :func:`use_system_printer`)
or ``cups://QUEUE`` (where CUPS exists: ``lp``, PDF or raw ZPL). Every failure is a
PrepDeskError with one line saying which printer and why.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable
from urllib.parse import unquote, urlparse

# The label printers' settings live in app.devices.label_options (read before the login
# dialog shows); named here too for the modules that print.
from app.devices.label_options import LABEL_DPIS as LABEL_DPIS
from app.devices.label_options import LABEL_FORMAT_FOR_LANGUAGE
from app.devices.label_options import LABEL_LANGUAGES as LABEL_LANGUAGES
from app.kernel.errors import PrepDeskError

DEFAULT_ZPL_PORT = 9100


# Prints a PDF on a printer installed on this computer: (printer name, PDF, title).
SystemPrinter = Callable[[str, bytes, str], None]
_system_printer: SystemPrinter | None = None


def use_system_printer(printer: SystemPrinter | None) -> None:
    """Register how ``printer://NAME`` targets are printed (the window gives a QPrinter one)."""
    global _system_printer
    _system_printer = printer


def label_format(language: str) -> str:
    """The label format (``zpl`` or ``thermal``) for a label printer's language.

    Raises:
        PrinterError: not a language we know.
    """
    try:
        return LABEL_FORMAT_FOR_LANGUAGE[language]
    except KeyError:
        raise PrinterError(f"unknown label printer language {language!r}: zpl or pdf") from None


class PrinterError(PrepDeskError):
    """The printer is not configured, unreachable, or refused the job."""


def _parse(target: str) -> tuple[str, str, int | None]:
    target = (target or "").strip()
    if not target:
        raise PrinterError("no printer configured: set the printer in Settings "
                           "(zpl://host:9100, printer://NAME or cups://queue)")
    parsed = urlparse(target)
    scheme = parsed.scheme.lower()
    if scheme == "zpl":
        if not parsed.hostname:
            raise PrinterError(f"printer {target!r}: no host (use zpl://host:9100)")
        try:
            port = parsed.port or DEFAULT_ZPL_PORT
        except ValueError:
            raise PrinterError(f"printer {target!r}: bad port") from None
        return "zpl", parsed.hostname, port
    if scheme == "cups":
        queue = (parsed.netloc + parsed.path).strip("/")
        if not queue:
            raise PrinterError(f"printer {target!r}: no queue (use cups://QUEUE)")
        return "cups", queue, None
    if scheme == "printer":
        name = unquote(target[len("printer://"):]).strip() if "://" in target else ""
        if not name:
            raise PrinterError(f"printer {target!r}: no name (use printer://NAME)")
        return "system", name, None
    raise PrinterError(f"printer {target!r}: use zpl://host:port, printer://NAME or cups://queue")


def send_zpl(target: str, data: bytes, *, timeout: float = 5.0) -> None:
    """Send ZPL to a network label printer (``zpl://host:port``) or a raw CUPS queue.

    Raises:
        PrinterError: unreachable, timed out, refused, or no such queue.
    """
    kind, where, port = _parse(target)
    if kind == "cups":
        _lp(where, data, raw=True, timeout=timeout)
        return
    if kind == "system":
        raise PrinterError(f"printer {where!r} prints through the system's driver, which takes PDF, "
                           "not ZPL: set the label language to PDF, or use zpl://host:9100 or "
                           "cups://QUEUE for a ZPL printer")
    try:
        with socket.create_connection((where, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
    except TimeoutError:
        raise PrinterError(f"label printer {where}:{port} did not answer within {timeout:g} s") from None
    except socket.gaierror:
        raise PrinterError(f"label printer host {where!r} not found") from None
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise PrinterError(f"label printer {where}:{port} unreachable: {reason}") from None


def send_pdf(target: str, pdf: bytes, *, timeout: float = 30.0, title: str = "PrepDesk") -> None:
    """Print a PDF on a printer of this computer (``printer://NAME``) or a CUPS queue.

    Raises:
        PrinterError: a ZPL-only target, no system printing here (the command line),
            ``lp`` missing, or the printer refused the job.
    """
    kind, where, _ = _parse(target)
    if kind == "zpl":
        raise PrinterError(f"{target} takes ZPL, not PDF: choose the ZPL label format, "
                           "printer://NAME or a CUPS queue")
    if kind == "system":
        if _system_printer is None:
            raise PrinterError(f"printer://{where} prints from the PrepDesk window; here use "
                               "cups://QUEUE or --out FILE")
        _system_printer(where, pdf, title)
        return
    _lp(where, pdf, raw=False, timeout=timeout, title=title)


def _lp(queue: str, data: bytes, *, raw: bool, timeout: float, title: str = "PrepDesk") -> None:
    cmd = ["lp", "-d", queue, "-t", title]
    if raw:
        cmd += ["-o", "raw"]
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError:
        raise PrinterError("cannot print: the 'lp' command (CUPS client) is not installed") from None
    except subprocess.TimeoutExpired:
        raise PrinterError(f"printer queue {queue!r}: lp did not finish within {timeout:g} s") from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PrinterError(f"printer queue {queue!r} refused the job: "
                           f"{err[0] if err else f'lp exit {proc.returncode}'}")


def check_target(target: str) -> str:
    """``target`` if it is a printer address we can send to (checked before any work starts).

    Raises:
        PrinterError: empty or malformed.
    """
    _parse(target)
    return target.strip()


def send_labels(target: str, data: bytes, fmt: str) -> None:
    """Rendered labels to the label printer: ZPL raw, a PDF (thermal or sheet) as a document."""
    if fmt == "zpl":
        send_zpl(target, data)
    else:
        send_pdf(target, data, title="PrepDesk labels")
