"""Throw-away PostgreSQL databases for the tests (a run's own, an empty one, a migration target)."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import psycopg2

from app.store import db


@contextlib.contextmanager
def throwaway_pg_database(admin_url: str, prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database beside ``admin_url``'s, named ``prefix`` and a unique
    tail; its URL. Dropped afterwards, the connections to it ended first."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(admin_url, connect_timeout=5)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        db.close()
        with admin.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
