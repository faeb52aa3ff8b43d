"""The one database proxy every model and query goes through, and raw SQL on it.

It sits below the models, the migrations and the location lookups so that the start-up
path (``app.store.db.open_database``) can import all of them without a loop.
"""

from __future__ import annotations

from typing import Any

from peewee import Database, DatabaseProxy, PostgresqlDatabase, SqliteDatabase

database = DatabaseProxy()


def is_sqlite(db: Database | None = None) -> bool:
    db = db if db is not None else database.obj
    return isinstance(db, SqliteDatabase)


def for_update() -> str:
    """Suffix that row-locks the rows selected on PostgreSQL (SQLite holds the write lock)."""
    return "" if is_sqlite() else " FOR UPDATE"


def is_postgres(db: Database | None = None) -> bool:
    db = db if db is not None else database.obj
    return isinstance(db, PostgresqlDatabase)


def execute(sql: str, params: tuple[Any, ...] | list[Any] = ()) -> Any:  # raw SQL for hot paths; '?' placeholders
    # returns the DB-API cursor (sqlite3 or psycopg2): fetchone(), fetchall(), rowcount
    db = database.obj
    if not is_sqlite(db):
        sql = sql.replace("?", "%s")
    return db.execute_sql(sql, params)
