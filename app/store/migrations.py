"""Versioned schema migrations, applied at start-up; a database made by an older version upgrades.

Each migration is a function of the migrator, run in its own transaction together with the
``schema_version`` row that records it. Migrations add (tables, columns, indexes) or, once,
convert a column to the type it should have had (money as a decimal); each is written so that
running it on a database that already has its change is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from peewee import SQL, BooleanField, Field, IntegerField
from playhouse.migrate import PostgresqlMigrator, SchemaMigrator, SqliteMigrator, migrate

from app.kernel.errors import DatabaseUnavailable
from app.store.billing_models import BILLING_MODELS
from app.store.check_models import LedgerCheckState
from app.store.connection import database, execute, is_postgres, is_sqlite
from app.store.count_models import COUNT_MODELS
from app.store.lot_models import LOT_MODELS
from app.store.models import (
    CORE_MODELS,
    DOCUMENT_MODELS,
    Location,
    Return,
    ReturnLine,
    SchemaVersion,
)
from app.store.totals_models import ProductStock

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
    database.create_tables(CORE_MODELS, safe=True)
    _append_only("stock_move")
    _append_only("status_change")


def _append_only(table: str) -> None:
    """The ledger is corrected by reversing moves, never by UPDATE or DELETE: enforce it."""
    if is_sqlite():
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
    database.create_tables(DOCUMENT_MODELS, safe=True)


# Which ProductStock column a balance in a location adds to: (condition on the location
# ``l``, columns). Bins feed three columns; each staging area one.
_TOTALS = (
    ("l.kind = 'bin'", ("on_hand", "reserved", "available")),
    ("l.code = 'RECEIVING'", ("receiving",)),
    ("l.code = 'QUARANTINE'", ("quarantine",)),
    ("l.kind = 'staging' AND l.code NOT IN ('RECEIVING', 'QUARANTINE')", ("elsewhere",)),
)
TOTAL_COLUMNS = ("on_hand", "reserved", "available", "receiving", "quarantine", "elsewhere")


def product_totals_sql() -> str:
    """SELECT product_id and the six totals, added up from stock_level (backfill and check)."""

    def term(column: str) -> str:
        value = {"reserved": "sl.reserved", "available": "sl.on_hand - sl.reserved"}.get(column, "sl.on_hand")
        cond = next(c for c, cols in _TOTALS if column in cols)
        return f"SUM(CASE WHEN {cond} THEN {value} ELSE 0 END) AS {column}"

    return ("SELECT sl.product_id, " + ", ".join(term(c) for c in TOTAL_COLUMNS)
            + " FROM stock_level sl JOIN location l ON l.id = sl.location_id GROUP BY sl.product_id")


def _m3_product_totals(migrator: SchemaMigrator) -> None:
    database.create_tables([ProductStock], safe=True)
    cols = ", ".join(TOTAL_COLUMNS)
    database.execute_sql(
        f"INSERT INTO product_stock (product_id, {cols}) "
        f"SELECT p.id, {', '.join(f'COALESCE(s.{c}, 0)' for c in TOTAL_COLUMNS)} FROM product p "
        f"LEFT JOIN ({product_totals_sql()}) s ON s.product_id = p.id "
        "WHERE NOT EXISTS (SELECT 1 FROM product_stock ps WHERE ps.product_id = p.id)"
    )
    zeros = ", ".join("0" for _ in TOTAL_COLUMNS)
    if is_sqlite():
        database.execute_sql(
            "CREATE TRIGGER IF NOT EXISTS product_stock_row AFTER INSERT ON product BEGIN "
            f"INSERT OR IGNORE INTO product_stock (product_id, {cols}) VALUES (NEW.id, {zeros}); END")
        database.execute_sql(
            "CREATE TRIGGER IF NOT EXISTS stock_level_keys_fixed BEFORE UPDATE OF product_id, location_id "
            "ON stock_level WHEN NEW.product_id <> OLD.product_id OR NEW.location_id <> OLD.location_id "
            "BEGIN SELECT RAISE(ABORT, 'a stock_level row keeps its product and location'); END")
        # One trigger per operation and kind of location: each touches only its own columns
        # (and so only their indexes), and only when a quantity changed.
        for n, (cond, columns) in enumerate(_TOTALS):
            where_loc = cond.replace("l.", "")
            for op, row, d_on, d_res in (
                ("INSERT", "NEW", "NEW.on_hand", "NEW.reserved"),
                ("UPDATE OF on_hand, reserved", "NEW", "NEW.on_hand - OLD.on_hand", "NEW.reserved - OLD.reserved"),
                ("DELETE", "OLD", "-OLD.on_hand", "-OLD.reserved"),
            ):
                delta = {"reserved": f"({d_res})", "available": f"({d_on}) - ({d_res})"}
                sets = ", ".join(f"{c} = {c} + {delta.get(c, f'({d_on})')}" for c in columns)
                changed = f"({d_on}) <> 0" + (f" OR ({d_res}) <> 0" if "reserved" in columns else "")
                name = f"product_stock_{op.split()[0].lower()}_{n}"
                database.execute_sql(
                    f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {op} ON stock_level "
                    f"WHEN ({changed}) AND EXISTS (SELECT 1 FROM location WHERE id = {row}.location_id "
                    f"AND {where_loc}) "
                    f"BEGIN UPDATE product_stock SET {sets} WHERE product_id = {row}.product_id; END")
    else:
        database.execute_sql(
            "CREATE OR REPLACE FUNCTION prepdesk_product_stock_row() RETURNS trigger AS $$ BEGIN "
            f"INSERT INTO product_stock (product_id, {cols}) VALUES (NEW.id, {zeros}) "
            "ON CONFLICT DO NOTHING; RETURN NULL; END; $$ LANGUAGE plpgsql")
        database.execute_sql("DROP TRIGGER IF EXISTS product_stock_row ON product")
        database.execute_sql(
            "CREATE TRIGGER product_stock_row AFTER INSERT ON product "
            "FOR EACH ROW EXECUTE FUNCTION prepdesk_product_stock_row()")
        database.execute_sql(
            "CREATE OR REPLACE FUNCTION prepdesk_product_stock() RETURNS trigger AS $$\n"
            "DECLARE loc_kind text; loc_code text; d_on integer; d_res integer; pid integer;\n"
            "BEGIN\n"
            "  IF TG_OP = 'DELETE' THEN\n"
            "    pid := OLD.product_id; d_on := -OLD.on_hand; d_res := -OLD.reserved;\n"
            "    SELECT kind, code INTO loc_kind, loc_code FROM location WHERE id = OLD.location_id;\n"
            "  ELSE\n"
            "    pid := NEW.product_id; d_on := NEW.on_hand; d_res := NEW.reserved;\n"
            "    IF TG_OP = 'UPDATE' THEN\n"
            "      IF NEW.product_id <> OLD.product_id OR NEW.location_id <> OLD.location_id THEN\n"
            "        RAISE EXCEPTION 'a stock_level row keeps its product and location';\n"
            "      END IF;\n"
            "      d_on := NEW.on_hand - OLD.on_hand; d_res := NEW.reserved - OLD.reserved;\n"
            "    END IF;\n"
            "    SELECT kind, code INTO loc_kind, loc_code FROM location WHERE id = NEW.location_id;\n"
            "  END IF;\n"
            "  IF d_on = 0 AND d_res = 0 THEN RETURN NULL; END IF;\n"
            "  IF loc_kind = 'bin' THEN\n"
            "    UPDATE product_stock SET on_hand = on_hand + d_on, reserved = reserved + d_res,\n"
            "      available = available + d_on - d_res WHERE product_id = pid;\n"
            "  ELSIF loc_code = 'RECEIVING' THEN\n"
            "    UPDATE product_stock SET receiving = receiving + d_on WHERE product_id = pid;\n"
            "  ELSIF loc_code = 'QUARANTINE' THEN\n"
            "    UPDATE product_stock SET quarantine = quarantine + d_on WHERE product_id = pid;\n"
            "  ELSIF loc_kind = 'staging' THEN\n"
            "    UPDATE product_stock SET elsewhere = elsewhere + d_on WHERE product_id = pid;\n"
            "  END IF;\n"
            "  RETURN NULL;\n"
            "END; $$ LANGUAGE plpgsql")
        database.execute_sql("DROP TRIGGER IF EXISTS product_stock_totals ON stock_level")
        database.execute_sql(
            "CREATE TRIGGER product_stock_totals AFTER INSERT OR UPDATE OR DELETE ON stock_level "
            "FOR EACH ROW EXECUTE FUNCTION prepdesk_product_stock()")


def _m5_counts(migrator: SchemaMigrator) -> None:
    database.create_tables(COUNT_MODELS, safe=True)


def _m6_returns(migrator: SchemaMigrator) -> None:
    for name in ("note", "exchange_order_id"):
        add_column_if_missing(migrator, "return", name, Return._meta.columns[name])
    for name in ("wants", "note", "qty_restocked", "qty_quarantined", "qty_scrapped"):
        add_column_if_missing(migrator, "return_line", name, ReturnLine._meta.columns[name])


def _m4_lots(migrator: SchemaMigrator) -> None:
    database.create_tables(LOT_MODELS, safe=True)
    # Plain ALTERs with a default: the migrator's backfill UPDATE would trip stock_move's
    # append-only trigger, and a column default fills existing rows without one.
    for table, column, ddl in (
        ("stock_level", "lot", "VARCHAR(100) NOT NULL DEFAULT ''"),
        ("stock_move", "lot", "VARCHAR(100) NOT NULL DEFAULT ''"),
        ("allocation", "lot", "VARCHAR(100) NOT NULL DEFAULT ''"),
        ("product", "track_lot", "BOOLEAN NOT NULL DEFAULT FALSE"),
        ("product", "track_expiry", "BOOLEAN NOT NULL DEFAULT FALSE"),
        ("client", "min_shelf_life_days", "INTEGER NOT NULL DEFAULT 0"),
    ):
        if column not in {c.name for c in database.get_columns(table)}:
            database.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN {column} {ddl}')
    # A balance is per product, location and lot: the unique key (and apply_move's ON
    # CONFLICT target) takes the lot in.
    database.execute_sql("CREATE UNIQUE INDEX IF NOT EXISTS stock_level_product_id_location_id_lot "
                         "ON stock_level (product_id, location_id, lot)")
    database.execute_sql("DROP INDEX IF EXISTS stock_level_product_id_location_id")


def _m7_estimated_weight(migrator: SchemaMigrator) -> None:
    add_column_if_missing(migrator, "package", "weight_estimated",
                          BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")]))


# The walk order of a wave's stops: bin pick sequence, bin code, SKU. A pick line's walk_seq is
# its stop's rank in that order; the next stop is then the open line with the lowest rank.
WALK_ORDER = "l.pick_seq, l.code, p.sku"


def _m8_speed(migrator: SchemaMigrator) -> None:
    add_column_if_missing(migrator, "pick_line", "walk_seq", IntegerField(default=0))
    # Existing waves get their ranks once (later waves are ranked when they are made).
    execute(
        "UPDATE pick_line SET walk_seq = r.seq FROM (SELECT x.id, DENSE_RANK() OVER "
        f"(PARTITION BY x.picklist_id ORDER BY {WALK_ORDER}) AS seq FROM pick_line x "
        "JOIN location l ON l.id = x.location_id JOIN product p ON p.id = x.product_id) r "
        "WHERE r.id = pick_line.id AND pick_line.walk_seq = 0"
    )
    execute("CREATE INDEX IF NOT EXISTS pick_line_walk ON pick_line (picklist_id, status, walk_seq)")
    # A bin's open lines for a scan there, without reading the rest of the wave.
    execute("CREATE INDEX IF NOT EXISTS pick_line_bin ON pick_line (picklist_id, location_id, status)")
    # The ledger check adds up each balance's (product, location, lot) moves in and out from
    # these (covering) indexes.
    execute("CREATE INDEX IF NOT EXISTS stock_move_in ON stock_move (product_id, to_location_id, lot, qty)")
    execute("CREATE INDEX IF NOT EXISTS stock_move_out ON stock_move (product_id, from_location_id, lot, qty)")
    database.create_tables([LedgerCheckState], safe=True)


def add_columns(columns: tuple[tuple[str, str, str], ...]) -> None:
    """Plain ``ALTER TABLE ... ADD COLUMN`` with a default (no table rebuild, no backfill
    UPDATE): for columns later migrations add to tables other rows point at."""
    for table, column, ddl in columns:
        if column not in {c.name for c in database.get_columns(table)}:
            database.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN {column} {ddl}')


def _m9_accounts(migrator: SchemaMigrator) -> None:
    blob = "BLOB" if is_sqlite() else "BYTEA"
    add_columns((
        ("client", "logo", f"{blob} NULL"),
        ("client", "contact", "VARCHAR(200) NOT NULL DEFAULT ''"),
        ("client", "gs1_company_prefix", "VARCHAR(12) NOT NULL DEFAULT ''"),
        ("client", "default_carrier", "VARCHAR(60) NOT NULL DEFAULT ''"),
        ("client", "default_service", "VARCHAR(60) NOT NULL DEFAULT ''"),
        ("product", "prep_services", "VARCHAR(200) NOT NULL DEFAULT ''"),
        ("product", "unit_cost", "NUMERIC(12, 2) NULL"),
    ))


def _m10_fefo(migrator: SchemaMigrator) -> None:
    add_columns((
        ("pick_line", "lot", "VARCHAR(100) NOT NULL DEFAULT ''"),
        ("count_line", "lot", "VARCHAR(100) NOT NULL DEFAULT ''"),
    ))
    # A count line is per product and lot in a bin of a task.
    execute("CREATE UNIQUE INDEX IF NOT EXISTS count_line_task_id_location_id_product_id_lot "
            "ON count_line (task_id, location_id, product_id, lot)")
    execute("DROP INDEX IF EXISTS count_line_task_id_location_id_product_id")
LINE_STAGES = ("allocated", "picked", "packed", "shipped")


def _m11_line_stages(migrator: SchemaMigrator) -> None:
    stamp = "DATETIME" if is_sqlite() else "TIMESTAMP"
    add_columns(tuple(("order_line", f"{s}_at", f"{stamp} NULL") for s in LINE_STAGES))
    # Lines of orders that reached a stage as a whole reached it no later than the order did.
    for s in LINE_STAGES:
        execute(f"UPDATE order_line SET {s}_at = (SELECT o.{s}_at FROM \"order\" o WHERE o.id = order_line.order_id) "
                f"WHERE {s}_at IS NULL AND order_id IN (SELECT id FROM \"order\" WHERE {s}_at IS NOT NULL)")
    # The reports read the orders received in a period, and the units of a line's shipped packages.
    execute('CREATE INDEX IF NOT EXISTS order_received_at ON "order" (received_at)')
    execute("CREATE INDEX IF NOT EXISTS package_line_order_line ON package_line (order_line_id)")


def _m12_billing(migrator: SchemaMigrator) -> None:
    database.create_tables(BILLING_MODELS, safe=True)
    # Undone moves are looked up by what they reverse (billing skips undone scans, undo refuses
    # a second undo) through stock_move_reverses_id, the index peewee made with the table.
    execute("DROP INDEX IF EXISTS stock_move_reverses")  # a duplicate of it


def _m13_report_indexes(migrator: SchemaMigrator) -> None:
    # Report "stock": each product's last shipment, read from the index alone.
    execute("CREATE INDEX IF NOT EXISTS stock_move_kind ON stock_move (kind, product_id, created_at)")
    # Report "productivity": a period's packing scans by user, read from the index alone.
    execute("CREATE INDEX IF NOT EXISTS pack_scan_time ON pack_scan (created_at, user_name, result)")


def _m14_move_index(migrator: SchemaMigrator) -> None:
    # Every lookup of a product's moves goes through an index that begins with the product
    # ((product, created_at), the covering per-location ones): its own index only cost a
    # write on every move.
    execute("DROP INDEX IF EXISTS stock_move_product_id")


CENT = Decimal("0.01")


def _m15_package_cost(migrator: SchemaMigrator) -> None:
    # A package's shipping cost is money: a decimal to the cent, not a float (0.285 was kept
    # as 0.28499... and added up as 0.28). Each cost on file is the amount typed (the shortest
    # decimal of its float), kept to the cent half up: 0.285 is 0.29.
    kind = {c.name: c.data_type.lower() for c in database.get_columns("package")}["cost"]
    if not kind.startswith(("real", "double", "float")):
        return  # made with the decimal column
    if is_postgres():
        execute("ALTER TABLE package ALTER COLUMN cost TYPE NUMERIC(12, 2) USING ROUND(cost::numeric, 2)")
        return
    # SQLite changes no column's type: the costs move to a new column of the decimal type.
    execute("ALTER TABLE package RENAME COLUMN cost TO cost_float")
    execute("ALTER TABLE package ADD COLUMN cost DECIMAL(12, 2) NULL")
    for package_id, cost in execute("SELECT id, cost_float FROM package WHERE cost_float IS NOT NULL").fetchall():
        cents = Decimal(repr(float(cost))).quantize(CENT, rounding=ROUND_HALF_UP)
        execute("UPDATE package SET cost = ? WHERE id = ?", (str(cents), package_id))
    execute("ALTER TABLE package DROP COLUMN cost_float")


MIGRATIONS: list[tuple[int, str, Callable[[SchemaMigrator], None]]] = [
    (1, "core: clients, products, locations, ledger, users, audit", _m1_core),
    (2, "documents: inbound shipments, orders, allocations, picking, packing, returns", _m2_documents),
    (3, "product totals: per-product stock kept by triggers (stock table sorted by a quantity)",
     _m3_product_totals),
    (4, "lots and expiry dates: balances and moves per lot, lot expiry, shelf-life minimum",
     _m4_lots),
    (5, "cycle counts: count tasks, their bins and counted lines", _m5_counts),
    (6, "returns: RMA notes and exchange orders, per-line wishes, notes and dispositions", _m6_returns),
    (7, "packages: a weight that is an estimate says so", _m7_estimated_weight),
    (8, "walk order: pick lines ranked on the walk; the ledger check's state and indexes", _m8_speed),
    (9, "client accounts: logo, contact, own GS1 prefix, default carrier; product prep services, unit cost",
     _m9_accounts),
    (10, "first expired, first out: pick lines and count lines per lot", _m10_fefo),
    (11, "stage times per order line (allocated, picked, packed, shipped); orders by time received",
     _m11_line_stages),
    (12, "billing: rate cards with effective dates, manual charges", _m12_billing),
    (13, "report indexes: moves by kind and product, packing scans by time and user", _m13_report_indexes),
    (14, "moves: no index of their own on the product (the indexes that begin with it serve)", _m14_move_index),
    (15, "packages: the shipping cost is money (a decimal to the cent), not a float", _m15_package_cost),
]

LATEST = MIGRATIONS[-1][0]


def add_column_if_missing(migrator: SchemaMigrator, table: str, name: str, field: Field) -> None:
    """For later migrations: add a column unless a fresh database already created it."""
    columns = {c.name for c in database.get_columns(table)}
    if name not in columns:
        migrate(migrator.add_column(table, name, field))


def current_version() -> int:
    if not database.table_exists(SchemaVersion._meta.table_name):
        return 0
    value = SchemaVersion.select(SchemaVersion.version).order_by(SchemaVersion.version.desc()).scalar()
    return int(value or 0)


def upgrade() -> int:
    """Apply every pending migration; returns the schema version now in force."""
    obj = database.obj
    up_to_date = _up_to_date()
    if up_to_date is not None:
        # The usual start: nothing to do, so no write lock (a busy station is not kept waiting).
        return up_to_date
    migrator: SchemaMigrator = (
        SqliteMigrator(obj) if is_sqlite(obj) else PostgresqlMigrator(obj)
    )
    with database.atomic():
        if is_postgres(obj):
            # Two stations starting at once must not both migrate.
            database.execute_sql("SELECT pg_advisory_xact_lock(815001)")
        database.create_tables([SchemaVersion], safe=True)
        version = current_version()
        if version > LATEST:
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
    if not database.table_exists(SchemaVersion._meta.table_name):
        return None
    version = current_version()
    if version != LATEST:
        return None  # older: migrate; newer: upgrade() refuses it under the lock
    codes = [c for c, _, _ in SYSTEM_LOCATIONS]
    marks = ", ".join("?" * len(codes))
    found = execute(f"SELECT COUNT(*) FROM location WHERE code IN ({marks})", codes).fetchone()[0]
    return version if found == len(codes) else None


def ensure_system_locations() -> None:
    existing = {loc.code for loc in Location.select(Location.code).where(
        Location.code.in_([c for c, _, _ in SYSTEM_LOCATIONS]))}
    for code, kind, name in SYSTEM_LOCATIONS:
        if code not in existing:
            Location.create(code=code, kind=kind, name=name, zone="")
