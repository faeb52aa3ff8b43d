"""Moving a single-station SQLite warehouse onto an empty PostgreSQL database, ids and all."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import peewee
import psycopg2
from peewee import AutoField, Database, Model
from psycopg2.extras import execute_batch

from app.kernel.actor import Actor
from app.kernel.errors import ValidationError
from app.kernel.text import counted
from app.store import db, migrations, urls
from app.store.billing_models import BILLING_MODELS
from app.store.count_models import COUNT_MODELS
from app.store.lot_models import LOT_MODELS
from app.store.models import CORE_MODELS, DOCUMENT_MODELS, Client, Location, Product, StockMove
from app.store.totals_models import DERIVED_MODELS

BATCH_ROWS = 1000

# Not copied: the target keeps its own schema version, and the per-product totals are
# rebuilt by the target's triggers as products and balances arrive (then compared).
_NOT_COPIED = ("schema_version", "product_stock")

_sort_models: Callable[[Sequence[type[Model]]], list[type[Model]]] = getattr(  # noqa: B009 - not in the stubs
    peewee, "sort_models")


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int


@dataclass(frozen=True)
class CopyReport:
    tables: tuple[TableCount, ...]

    @property
    def rows(self) -> int:
        return sum(t.target for t in self.tables)


def all_models() -> list[type[Model]]:
    """Every table of the warehouse, in foreign-key order (a table after those it refers to)."""
    models: list[type[Model]] = [*CORE_MODELS, *DOCUMENT_MODELS, *DERIVED_MODELS, *COUNT_MODELS, *LOT_MODELS,
                                  *BILLING_MODELS]
    return _sort_models(models)


def _table(model: type[Model]) -> str:
    return str(model._meta.table_name)


def copy_warehouse(from_url: str, to_url: str, *, actor: Actor,
                   verify: Callable[[], Sequence[str]] | None = None) -> CopyReport:
    """Copy every table of the SQLite warehouse at ``from_url`` (upgraded first) into the empty
    PostgreSQL database at ``to_url`` (its schema made first), keeping ids, in one transaction
    on the target; every sequence then restarts after the largest id copied.

    ``verify`` runs on the target before the commit (the command line passes the ledger
    check): any problem it returns is refused and nothing is kept. On return the database
    proxy is bound to the target.

    Raises:
        PermissionDenied: the actor may not migrate databases.
        ValidationError: the URLs are not a SQLite source and a PostgreSQL target, the target
            already holds a warehouse, a count differs, or ``verify`` found a problem.
        DatabaseUnavailable: either database cannot be opened.
    """
    actor.require_to("migrate databases")
    if urls.engine(from_url) != urls.SQLITE:
        raise ValidationError(f"migrate-db copies from a SQLite file: --from {db.describe(from_url)} is not one")
    if urls.engine(to_url) != urls.POSTGRESQL:
        raise ValidationError(f"migrate-db copies into PostgreSQL: --to {db.describe(to_url)} is not one")
    source = db.open_database(from_url)
    source_counts = {_table(m): _count(source, _table(m)) for m in all_models()}
    target = db.open_database(to_url, create=True)
    try:
        problem = _not_empty(target)
        if problem:
            raise ValidationError(f"{db.describe(to_url)} already holds a warehouse ({problem}): "
                                  "migrate-db copies into an empty database only")
        with db.write():
            _copy_tables(source, target)
            migrations.ensure_system_locations()
            _reset_sequences(target)
            counts = tuple(TableCount(t, n, _count(target, t)) for t, n in source_counts.items()
                           if t != "schema_version")
            for c in counts:
                if c.source != c.target:
                    raise ValidationError(f"table {c.table}: {counted(c.source, 'row')} in the source but {c.target} "
                                          "in the copy; nothing was kept")
            found = list(verify()) if verify is not None else []
            if found:
                raise ValidationError(f"the copy fails the ledger check ({counted(len(found), 'problem')}, first: "
                                      f"{found[0]}); nothing was kept")
    finally:
        source.close()
    return CopyReport(counts)


def _count(database: Database, table: str) -> int:
    return int(database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])


def _not_empty(target: Database) -> str:
    """What in the target is a warehouse already ('' when it is empty but for system rows)."""
    system = [code for code, _, _ in migrations.SYSTEM_LOCATIONS]
    for kind, what in ((Client, "clients"), (Product, "products"), (StockMove, "moves")):
        n = _count(target, _table(kind))
        if n:
            return f"{n} {what}"
    n = Location.select().where(Location.code.not_in(system)).count()
    if n:
        return counted(n, "location")
    for model in all_models():
        table = _table(model)
        if table in _NOT_COPIED or model is Location:
            continue
        n = _count(target, table)
        if n:
            return f"{counted(n, 'row')} in table {table}"
    return ""


def _columns(model: type[Model], source: Database, target: Database) -> list[tuple[str, peewee.Field | None]]:
    """The columns both sides have (a column an old version left in the file is not carried over)."""
    fields = {f.column_name: f for f in model._meta.sorted_fields}
    wanted = {c.name for c in target.get_columns(_table(model))}
    names = [c.name for c in source.get_columns(_table(model)) if c.name in wanted]
    return [(name, fields.get(name)) for name in names]


def _rows(source: Database, model: type[Model], columns: list[tuple[str, peewee.Field | None]]
          ) -> Iterator[list[tuple[Any, ...]]]:
    names = ", ".join(f'"{name}"' for name, _ in columns)
    order = ' ORDER BY "id"' if isinstance(model._meta.primary_key, AutoField) else ""
    cursor = source.execute_sql(f'SELECT {names} FROM "{_table(model)}"{order}')
    try:
        while True:
            batch = cursor.fetchmany(BATCH_ROWS)
            if not batch:
                return
            yield [tuple(_value(field, v) for (_, field), v in zip(columns, row, strict=True))
                   for row in batch]
    finally:
        cursor.close()


def _value(field: peewee.Field | None, value: Any) -> Any:
    """A SQLite value as PostgreSQL takes it (0/1 as a boolean, text as a timestamp...)."""
    if value is None or field is None:
        return value
    if isinstance(field, peewee.ForeignKeyField):
        return value
    return field.python_value(value)


def _copy_tables(source: Database, target: Database) -> None:
    # The target's system locations make way for the source's, which keep their ids.
    target.execute_sql('DELETE FROM "location"')
    cursor = target.cursor()
    try:
        for model in all_models():
            if _table(model) in _NOT_COPIED:
                continue
            columns = _columns(model, source, target)
            names = ", ".join(f'"{name}"' for name, _ in columns)
            marks = ", ".join("%s" for _ in columns)
            sql = f'INSERT INTO "{_table(model)}" ({names}) VALUES ({marks})'
            try:
                for batch in _rows(source, model, columns):
                    execute_batch(cursor, sql, batch, page_size=BATCH_ROWS)
            except psycopg2.Error as exc:
                raise ValidationError(f"cannot copy table {_table(model)}: {db.first_line(exc)}; "
                                      "nothing was kept") from None
    finally:
        cursor.close()


def _reset_sequences(target: Database) -> None:
    """Every table's id sequence continues after the largest id copied (or starts at 1)."""
    for model in all_models():
        if not isinstance(model._meta.primary_key, AutoField):
            continue
        table = _table(model)
        column = model._meta.primary_key.column_name
        target.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
            f'COALESCE(MAX("{column}"), 0) + 1, false) FROM "{table}"')
