"""Issued statements as PDF files: where one goes is checked before its number is taken, and
an issued statement can be printed again under its number.

A statement number is taken for good (the numbers have no gaps), so a file that cannot be
written is refused first; one that still fails once the number is taken says so and how to
print that statement again.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import replace
from pathlib import Path

from app.billing.statement import (
    Statement,
    check_issuable,
    issue_statement,
    statement,
    statement_pdf,
)
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, NotFound, PrepDeskError, ValidationError
from app.store.models import AuditEvent, Client

_NUMBER = re.compile(r"ST\d{6,}")
_PERIOD = re.compile(r" (\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2}) total (\S+) ")


class StatementNotSaved(PrepDeskError):
    """The statement was issued (its number is taken) but its PDF could not be written;
    ``pdf`` holds the document, so it may be saved elsewhere."""

    def __init__(self, number: str, path: Path, reason: str, pdf: bytes) -> None:
        self.number, self.path, self.reason, self.pdf = number, path, reason, pdf
        super().__init__(f"statement {number} was issued but cannot be written to {path}: {reason}; "
                         f"print it again with: billing reprint {number} --out FILE.pdf")


def pdf_destination(path: str | Path) -> Path:
    """``path`` as a file a PDF can be written to: not a folder, in a folder that exists and
    may be written, and not a file that may not be overwritten.

    Raises:
        ValidationError: it is none of these, in one line.
    """
    if not str(path).strip():
        raise ValidationError("give the PDF file's name")
    out = Path(path).expanduser()
    if out.is_dir():
        raise ValidationError(f"{out} is a folder: give a file name, e.g. {out / 'statement.pdf'}")
    folder = out.parent
    if not folder.is_dir():
        raise ValidationError(f"cannot write {out}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise ValidationError(f"cannot write {out}: permission denied")
    return out


def save_statement_pdf(client: str, first: dt.date, last: dt.date, path: str | Path, *,
                       actor: Actor) -> Statement:
    """Issue the statement (the next number) and write it to ``path`` as a PDF invoice.

    Raises:
        PermissionDenied: not a supervisor. ValidationError: the period has not ended,
        ``path`` cannot be written, or see ``statement`` (nothing issued). StatementNotSaved:
        issued, but the file failed.
    """
    actor.require_to("issue statements")
    check_issuable(first, last)
    out = pdf_destination(path)
    st = issue_statement(client, first, last, actor=actor)
    _write(out, st)
    return st


def reprint_statement(number: str, path: str | Path, *, actor: Actor) -> Statement:
    """Write the statement issued as ``number`` to ``path`` again: its client and period as
    issued, computed again from the facts, dated the day it was issued.

    Raises:
        PermissionDenied: not a supervisor. ValidationError: not a statement number, or
        ``path`` cannot be written. NotFound: no statement was issued with that number.
        Conflict: the period no longer comes to the total issued (a price or charge changed).
    """
    actor.require_to("issue statements")
    code = (number or "").strip().upper()
    if not _NUMBER.fullmatch(code):
        raise ValidationError(f"{number!r} is not a statement number (e.g. ST000001)")
    out = pdf_destination(path)
    event = (AuditEvent.select().where((AuditEvent.kind == "statement_issued")
                                       & AuditEvent.detail.startswith(code + " "))
             .order_by(AuditEvent.id).first())
    found = _PERIOD.search(event.detail) if event is not None else None
    if event is None or found is None or event.client_id is None:
        raise NotFound(f"no statement {code} was issued")
    client = Client.get_by_id(event.client_id).code
    first, last = dt.date.fromisoformat(found.group(1)), dt.date.fromisoformat(found.group(2))
    st = statement(client, first, last)
    if st.total_text != found.group(3):
        raise Conflict(f"statement {code} ({client}, {first} to {last}) was issued for {found.group(3)} "
                       f"{st.currency}; the period now comes to {st.total_text} (a price or a charge "
                       "changed since): it cannot be printed again as issued")
    st = replace(st, number=code, issued=clock.local_day(event.created_at))
    _write(out, st)
    return st


def _write(out: Path, st: Statement) -> None:
    data = statement_pdf(st)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise StatementNotSaved(st.number, out, str(exc.strerror or exc), data) from None
