"""Database URLs read one way everywhere: which engine, which SQLite file, which PostgreSQL options.

Opening a database, restoring one and copying one all ask here, so a URL that opens a file
names that same file for a restore (percent-encoding, ``~``, the scheme in any case), and a
URL nobody could open is one clear line (``DatabaseUnavailable``) wherever it is typed.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import parse_qsl, unquote, urlparse

from app.kernel.errors import DatabaseUnavailable

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
_SCHEMES = {"sqlite": SQLITE, "postgresql": POSTGRESQL, "postgres": POSTGRESQL}

# Query options whose value is a secret, hidden by describe() like the URL's password.
_SECRET_OPTIONS = ("password", "sslpassword")
_USER_PASSWORD = re.compile(r"(://[^:/@]*):[^@/]*@")
_SECRET_QUERY = re.compile(r"((?:^|[?&])(?:" + "|".join(_SECRET_OPTIONS) + r")=)[^&]*")


def describe(url: str) -> str:
    """The URL without any password, for status bars and logs."""
    try:
        parsed = urlparse(url)
        password = parsed.password
    except ValueError:  # not a URL urllib can take apart (a broken IPv6 host, say)
        return _SECRET_QUERY.sub(r"\1***", _USER_PASSWORD.sub(r"\1:***@", url))
    if password:
        netloc = parsed.netloc.replace(":" + password + "@", ":***@")
        url = url.replace(parsed.netloc, netloc)
    if parsed.query:
        options = parse_qsl(parsed.query, keep_blank_values=True)
        if any(key in _SECRET_OPTIONS for key, _ in options):
            hidden = "&".join(f"{key}=***" if key in _SECRET_OPTIONS else f"{key}={value}"
                              for key, value in options)
            url = url.replace("?" + parsed.query, "?" + hidden)
    return url


def engine(url: str) -> str:
    """``sqlite`` or ``postgresql`` for a URL of either (the scheme in any case), else ""."""
    scheme = url.strip().split(":", 1)[0].lower() if ":" in url else ""
    return _SCHEMES.get(scheme, "")


def _no_nul(value: str, url: str) -> str:
    if "\x00" in value:
        raise DatabaseUnavailable(f"database URL {describe(url)!r} contains a NUL byte (%00)")
    return value


def sqlite_file(url: str) -> str:
    """The file a ``sqlite:///FILE`` URL names, as the database is opened from it: the path
    percent-decoded, ``~`` expanded (``sqlite:////abs/path.db``, ``sqlite:///relative.db``).

    Raises:
        DatabaseUnavailable: not a SQLite URL, options given, no file named, a NUL byte, or
            ``:memory:`` (a warehouse is a file every station opens, not one process's memory).
    """
    url = url.strip()
    if engine(url) != SQLITE:
        raise DatabaseUnavailable(f"not a SQLite database URL: {describe(url)!r}")
    rest = url.split(":", 1)[1]
    if not rest.startswith("//"):
        raise DatabaseUnavailable(f"no file named in database URL {url!r}")
    rest = rest[2:]
    if "?" in rest:
        raise DatabaseUnavailable(f"SQLite database URLs take no options: {url!r}")
    path = _no_nul(unquote(rest), url)
    if path.startswith("/"):
        path = path[1:]
    if not path:
        raise DatabaseUnavailable(f"no file named in database URL {url!r}")
    if path == ":memory:":
        raise DatabaseUnavailable("sqlite:///:memory: is not a warehouse: name a database file "
                                  "(sqlite:///FILE), which every station opens")
    return os.path.expanduser(path)  # sqlite:///~/prepdesk.db


def postgresql_options(url: str) -> dict[str, Any]:
    """The connection keywords a ``postgresql://`` URL gives psycopg2 (libpq).

    The query's options (``?sslmode=require&application_name=pack1``...) are passed on as
    libpq connection parameters, as peewee's ``playhouse.db_url`` does. Without a password
    in the URL none is passed, so libpq looks in ``~/.pgpass`` (``%APPDATA%\\postgresql\\
    pgpass.conf`` on Windows) or the file ``PGPASSFILE`` names.

    Raises:
        DatabaseUnavailable: no database named, a bad host or port, a NUL byte, or an option
            given twice.
    """
    try:
        parsed = urlparse(url)
        hostname = parsed.hostname
    except ValueError as exc:  # "Invalid IPv6 URL"
        raise DatabaseUnavailable(f"bad database URL {describe(url)!r}: {exc}") from None
    if not parsed.path or parsed.path == "/":
        raise DatabaseUnavailable(f"no database named in URL {describe(url)!r}")
    try:
        port = parsed.port
    except ValueError:
        raise DatabaseUnavailable(f"bad port in database URL {describe(url)!r}") from None
    options: dict[str, Any] = {
        "database": unquote(parsed.path[1:]),
        "user": unquote(parsed.username) if parsed.username else None,
        "password": unquote(parsed.password) if parsed.password else None,
        "host": hostname or None,
        "port": port,
        "connect_timeout": 5,  # a station asks again rather than hang on a dead server
    }
    seen: set[str] = set()
    for key, value in parse_qsl(parsed.query, keep_blank_values=True):
        if key in seen:
            raise DatabaseUnavailable(f"option {key!r} given twice in database URL {describe(url)!r}")
        seen.add(key)
        if key == "dbname":
            key = "database"  # libpq's name for it; peewee's is "database"
        options[key] = value
    for key, value in options.items():
        if isinstance(value, str):
            _no_nul(key + value, url)
    # psycopg2 leaves out a None keyword; libpq then uses its own default (PGUSER, .pgpass...).
    return {key: value for key, value in options.items() if value is not None}
