"""Versioned schema migrations, applied at start-up; a database made by an older version upgrades.

Each migration is a function of the migrator, run in its own transaction together with the
``schema_version`` row that records it. Migrations only add (tables, columns, indexes), and
each is written so that running it on a database that already has its change is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from peewee import Field
from playhouse.migrate import PostgresqlMigrator, SchemaMigrator, SqliteMigrator, migrate

from app import db as dbmod
from app.db import database

log = logging.getLogger(__name__)

# Locations every database has. Virtual ones stand for the outside world and hold no balance.
SYSTEM_LOCATIONS: list[tuple[str, str, str]] = [
    ("SUPPLIER", "virtual", "Suppliers (inbound)"),
    ("CUSTOMER", "virtual", "Customers (shipped)"),
    ("ADJUSTMENT", "virtual", "Counts and corrections"),
    ("SCRAP", "virtual", "Damaged / disposed"),
    ("RECEIVING", "staging", "Receiving dock"),
    ("PACKING", "staging", "Packing stations"),
    ("RETURNS", "staging", "Returns desk"),
    ("QUARANTINE", "staging", "Quarantine"),
]


def _m1_core(migrator: SchemaMigrator) -> None:
    from app.models import CORE_MODELS

    database.create_tables(CORE_MODELS, safe=True)
    _append_only("stock_move")
    _append_only("status_change")


def _append_only(table: str) -> None:
    """The ledger is corrected by reversing moves, never by UPDATE or DELETE: enforce it."""
    if dbmod.is_sqlite():
        for op in ("UPDATE", "DELETE"):
            database.execute_sql(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    else:
        database.execute_sql(
            "CREATE OR REPLACE FUNCTION prepdesk_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '%% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"
        )
        database.execute_sql(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        database.execute_sql(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION prepdesk_append_only()"
        )


def _m2_documents(migrator: SchemaMigrator) -> None:
    from app.models import DOCUMENT_MODELS

    database.create_tables(DOCUMENT_MODELS, safe=True)


MIGRATIONS: list[tuple[int, str, Callable[[SchemaMigrator], None]]] = [
    (1, "core: clients, products, locations, ledger, users, audit", _m1_core),
    (2, "documents: inbound shipments, orders, allocations, picking, packing, returns", _m2_documents),
]

LATEST = MIGRATIONS[-1][0]


def add_column_if_missing(migrator: SchemaMigrator, table: str, name: str, field: Field) -> None:
    """For later migrations: add a column unless a fresh database already created it."""
    columns = {c.name for c in database.get_columns(table)}
    if name not in columns:
        migrate(migrator.add_column(table, name, field))


def current_version() -> int:
    from app.models import SchemaVersion

    if not database.table_exists(SchemaVersion._meta.table_name):
        return 0
    value = SchemaVersion.select(SchemaVersion.version).order_by(SchemaVersion.version.desc()).scalar()
    return int(value or 0)


def upgrade() -> int:
    """Apply every pending migration; returns the schema version now in force."""
    from app.models import SchemaVersion

    obj = database.obj
    up_to_date = _up_to_date()
    if up_to_date is not None:
        # The usual start: nothing to do, so no write lock (a busy station is not kept waiting).
        return up_to_date
    migrator: SchemaMigrator = (
        SqliteMigrator(obj) if dbmod.is_sqlite(obj) else PostgresqlMigrator(obj)
    )
    with database.atomic():
        if dbmod.is_postgres(obj):
            # Two stations starting at once must not both migrate.
            database.execute_sql("SELECT pg_advisory_xact_lock(815001)")
        database.create_tables([SchemaVersion], safe=True)
        version = current_version()
        if version > LATEST:
            from app.errors import DatabaseUnavailable

            raise DatabaseUnavailable(
                f"database schema version {version} is newer than this program ({LATEST}); update PrepDesk"
            )
        for number, title, fn in MIGRATIONS:
            if number <= version:
                continue
            log.info("applying migration %s: %s", number, title)
            with database.atomic():
                fn(migrator)
                SchemaVersion.create(version=number)
            version = number
        ensure_system_locations()
    return version


def _up_to_date() -> int | None:
    """LATEST when the schema is current and every system location exists, read-only; else None."""
    from app.models import SchemaVersion

    if not database.table_exists(SchemaVersion._meta.table_name):
        return None
    version = current_version()
    if version != LATEST:
        return None  # older: migrate; newer: upgrade() refuses it under the lock
    codes = [c for c, _, _ in SYSTEM_LOCATIONS]
    marks = ", ".join("?" * len(codes))
    found = dbmod.execute(f"SELECT COUNT(*) FROM location WHERE code IN ({marks})", codes).fetchone()[0]
    return version if found == len(codes) else None


def ensure_system_locations() -> None:
    from app.models import Location

    existing = {code for (code,) in Location.select(Location.code).where(
        Location.code.in_([c for c, _, _ in SYSTEM_LOCATIONS])).tuples()}
    for code, kind, name in SYSTEM_LOCATIONS:
        if code not in existing:
            Location.create(code=code, kind=kind, name=name, zone="")
