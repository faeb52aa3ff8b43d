"""Sending labels and documents straight to a printer: ZPL over TCP (port 9100) or a CUPS queue.

Targets are ``zpl://host:port`` (raw TCP, Zebra-type printers) or ``cups://queue`` (``lp``).
Every failure is a PrepDeskError with one line saying which printer and why.
"""

from __future__ import annotations

import socket
import subprocess
from urllib.parse import urlparse

from app.kernel.errors import PrepDeskError

DEFAULT_ZPL_PORT = 9100


class PrinterError(PrepDeskError):
    """The printer is not configured, unreachable, or refused the job."""


def _parse(target: str) -> tuple[str, str, int | None]:
    target = (target or "").strip()
    if not target:
        raise PrinterError("no printer configured: set the label printer in Settings "
                           "(zpl://host:9100 or cups://queue)")
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
    raise PrinterError(f"printer {target!r}: use zpl://host:port or cups://queue")


def send_zpl(target: str, data: bytes, *, timeout: float = 5.0) -> None:
    """Send ZPL to a network label printer (``zpl://host:port``) or a raw CUPS queue.

    Raises:
        PrinterError: unreachable, timed out, refused, or no such queue.
    """
    kind, where, port = _parse(target)
    if kind == "cups":
        _lp(where, data, raw=True, timeout=timeout)
        return
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
    """Print a PDF on a CUPS queue (``cups://queue``).

    Raises:
        PrinterError: not a CUPS target, ``lp`` missing, or the queue refused the job.
    """
    kind, where, _ = _parse(target)
    if kind != "cups":
        raise PrinterError(f"{target} takes ZPL, not PDF: choose the ZPL label format or a CUPS queue")
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
    """Rendered labels to the label printer: ZPL raw, a PDF through its CUPS queue."""
    if fmt == "zpl":
        send_zpl(target, data)
    else:
        send_pdf(target, data, title="PrepDesk labels")
