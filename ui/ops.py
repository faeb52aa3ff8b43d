"""Running a service call from a widget: domain errors become a message box, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from peewee import DatabaseError, InterfaceError, OperationalError
from PySide6.QtWidgets import QMessageBox, QWidget

from app.actor import Actor
from app.errors import PermissionDenied, PrepDeskError

# The database went away under us (server restarted, network, file locked too long).
CONNECTION_ERRORS = (OperationalError, InterfaceError)

log = logging.getLogger(__name__)
T = TypeVar("T")

TITLE = "PrepDesk"


def one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def database_lost_message(exc: BaseException) -> str:
    """What a station says when the database stops answering (server restart, network)."""
    return (f"The database did not answer ({one_line(exc)}). Nothing was changed: "
            "try again in a moment (PrepDesk reconnects by itself).")


def damaged_file(exc: BaseException) -> bool:
    """SQLite found a damaged page (a large file is not fully checked at start-up)."""
    text = str(exc).lower()
    return "malformed" in text or "file is not a database" in text


def damaged_message(exc: BaseException) -> str:
    return (f"The database file is damaged ({one_line(exc)}). Nothing was changed. "
            "Stop work at this station and restore the last backup "
            "(python main.py restore FILE); 'python main.py check' lists the damage.")


def show_warning(parent: QWidget | None, message: str) -> None:
    QMessageBox.warning(parent, TITLE, message)


def show_unexpected(parent: QWidget | None, exc: BaseException) -> None:
    QMessageBox.critical(
        parent, TITLE,
        f"Something went wrong: {type(exc).__name__}: {one_line(exc)}\n"
        "Nothing was changed. The details are in the log file.",
    )


def permitted(parent: QWidget | None, actor: Actor, *, action: str) -> bool:
    """Whether ``actor`` may do ``action``; if not, say so (before a form is filled in — the
    service checks again, whatever the UI)."""
    try:
        actor.require(action=action)
    except PermissionDenied as exc:
        show_warning(parent, str(exc))
        return False
    return True


def run_op(parent: QWidget | None, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Call ``fn(*args, **kwargs)``; on a PrepDeskError show its one-line message and return None.

    Anything else is a bug: it is logged with its traceback and the user sees one line.
    Each service call is one transaction, so a failure has changed nothing.
    """
    try:
        return fn(*args, **kwargs)
    except PrepDeskError as exc:
        log.info("%s refused: %s", getattr(fn, "__name__", fn), exc)
        show_warning(parent, one_line(exc))
    except CONNECTION_ERRORS as exc:
        log.exception("database error in %s", getattr(fn, "__name__", fn))
        show_warning(parent, database_lost_message(exc))
    except DatabaseError as exc:
        log.exception("database error in %s", getattr(fn, "__name__", fn))
        if damaged_file(exc):
            show_warning(parent, damaged_message(exc))
        else:
            show_unexpected(parent, exc)
    except Exception as exc:  # noqa: BLE001 - the user gets one line, the log the traceback
        log.exception("unexpected error in %s", getattr(fn, "__name__", fn))
        show_unexpected(parent, exc)
    return None
