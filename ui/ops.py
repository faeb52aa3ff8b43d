"""Running a service call from a widget: domain errors become a message box, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QWidget

from app.kernel.actor import Actor
from app.kernel.errors import PermissionDenied, PrepDeskError
from app.store import db, retry
from ui.widgets.ask import tell

log = logging.getLogger(__name__)
T = TypeVar("T")

TITLE = "PrepDesk"

one_line = db.first_line


def show_warning(parent: QWidget | None, message: str) -> None:
    tell(parent, message, title=TITLE)


def show_unexpected(parent: QWidget | None, exc: BaseException) -> None:
    tell(parent, f"Something went wrong: {type(exc).__name__}: {one_line(exc)}\n"
         "Nothing was changed. The details are in the log file.", title=TITLE, critical=True)


def permitted(parent: QWidget | None, actor: Actor, *, action: str) -> bool:
    """Whether ``actor`` may do ``action``; if not, say so (before a form is filled in — the
    service checks again, whatever the UI)."""
    try:
        actor.require_to(action)
    except PermissionDenied as exc:
        show_warning(parent, str(exc))
        return False
    return True


def run_op(parent: QWidget | None, fn: Callable[..., T], *args: Any,
           banner: Callable[[str], None] | None = None, **kwargs: Any) -> T | None:
    """Call ``fn(*args, **kwargs)``; on a failure say it in one line and return None.

    The one error presenter of the window: a refusal (PrepDeskError) shows its message, a
    database failure says what it means, anything else is a bug, logged with its traceback
    while the user sees one line. The message goes to a message box over ``parent``, or to
    ``banner`` (a station's scan banner: ``banner(message)``) where the worker has a scanner
    in hand and no mouse. Each service call is one transaction, so a failure has changed nothing;
    one lost to a deadlock with another station is made again (``retry.retrying``).
    """
    try:
        return retry.retrying(fn, *args, **kwargs)
    except PrepDeskError as exc:
        log.info("%s refused: %s", getattr(fn, "__name__", fn), exc)
        message = one_line(exc)
    except Exception as exc:  # noqa: BLE001 - the user gets one line, the log the traceback
        known = db.failure_message(exc)
        log.exception("%s error in %s", "database" if known else "unexpected",
                      getattr(fn, "__name__", fn))
        if not known and banner is None:
            show_unexpected(parent, exc)
            return None
        message = known or _unexpected_line(exc)
    if banner is not None:
        banner(message)
    else:
        show_warning(parent, message)
    return None


def _unexpected_line(exc: BaseException) -> str:
    return f"Something went wrong: {type(exc).__name__}: {one_line(exc)}. Nothing was changed."


def failure_line(exc: BaseException) -> str:
    """The one line a person reads for a background task's failure, as ``run_op`` says it: a
    refusal as it is, a database failure what it means, anything else (logged) in one line."""
    if isinstance(exc, PrepDeskError):
        return one_line(exc)
    known = db.failure_message(exc)
    log.error("a background task failed", exc_info=exc)
    return known or _unexpected_line(exc)
