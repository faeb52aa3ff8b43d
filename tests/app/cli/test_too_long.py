"""Values longer than their column: the service names the field and its limit in one line,
on SQLite (which would store them) as on PostgreSQL (which would refuse them), and a
statement the database refuses all the same is one line too, never a traceback."""

from __future__ import annotations

import peewee
import pytest

from app import ledger
from app.catalog import users
from app.cli import core, main
from app.kernel.actor import Actor
from app.store import db
from app.store.models import Location, ProductBarcode, User

TABLES = ('"user"', "location", "product_barcode")


def snapshot() -> tuple[int, ...]:
    """Row counts, and the audit events other than the command's login."""
    counts = [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES]
    events = db.execute("SELECT COUNT(*) FROM audit_event WHERE kind <> 'login'").fetchone()[0]
    return (*counts, events)


@pytest.fixture
def cli(world, capsys, monkeypatch):
    """``cli(*args) -> (exit code, stdout, stderr)`` as the supervisor sue."""
    users.create_user("sue", "supervisor", "2468", actor=Actor.system())
    world.product("TENT", barcode="012345678905")
    monkeypatch.setenv("PREPDESK_USER", "sue")
    monkeypatch.setenv("PREPDESK_PIN", "2468")
    capsys.readouterr()

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", world.db.url, *args])
        db.connect(world.db.url, migrate=False)  # main() closes the connection
        ledger.clear_caches()
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.mark.parametrize(("argv", "code", "said"), [
    (("user", "add", "N" * 101, "--role", "packer", "--pin", "1234"), 1,
     "a user's name is too long: at most 100 characters, not 101"),
    (("user", "add", "Lou", "--role", "packer", "--pin", "1234", "--badge", "B" * 400), 1,
     "the badge is too long: at most 100 characters, not 400"),
    (("user", "set", "sue", "--badge", "B" * 101), 1, "the badge is too long: at most 100 characters, not 101"),
    (("location", "add", "Z-1", "--zone", "Z" * 21, "--seq", "5"), 1,
     "zone is too long: at most 20 characters, not 21"),
    (("product", "set", "ACME", "TENT", "--add-barcode", "7" * 101), 2,
     "a barcode is too long: at most 100 characters, not 101"),
])
def test_an_over_long_value_is_one_line_and_changes_nothing(cli, argv, code, said):
    before = snapshot()
    assert cli(*argv) == (code, "", f"error: {said}\n")
    assert snapshot() == before
    assert not User.select().where(User.name == "N" * 101).exists()
    assert User.get(User.name == "sue").badge_code is None
    assert not ProductBarcode.select().where(ProductBarcode.code == "7" * 101).exists()


def test_an_over_long_zone_or_name_rejects_the_location_file(cli, tmp_path):
    path = tmp_path / "bins.csv"
    path.write_text(f"code,zone,seq,name\nZ-01,Z,10,ok\nZ-02,{'Z' * 21},20,ok\nZ-03,Z,30,{'n' * 101}\n")
    before = snapshot()
    code, out, err = cli("import", "locations", str(path))
    assert (code, out) == (1, "")
    assert err == ("error: location file rejected, nothing imported: line 3: zone is too long: at most 20 "
                   "characters, not 21; line 4: name is too long: at most 100 characters, not 101\n")
    assert snapshot() == before
    assert not Location.select().where(Location.code == "Z-01").exists()


def test_a_statement_the_database_refuses_is_one_line_and_logged(cli, monkeypatch, caplog):
    """The last resort: whatever a service did not check, the database's refusal is one line."""
    def refused(args):
        raise peewee.DataError("value too long for type character varying(20)\n")

    monkeypatch.setattr(core, "cmd_stock", refused)  # the parser is built at each run
    code, out, err = cli("stock")
    assert (code, out) == (1, "")
    assert err == ("error: the database refused the command (value too long for type character varying(20)); "
                   "nothing was changed\n")
    record = next(r for r in caplog.records if r.getMessage() == "database refused stock")
    assert record.exc_info[0] is peewee.DataError  # the traceback goes to the log file


def test_a_refusal_reads_as_one_line_at_a_station(database):
    assert db.failure_message(peewee.IntegrityError("duplicate key value violates unique constraint\nDETAIL: x")) \
        == ("The database refused the change (duplicate key value violates unique constraint). "
            "Nothing was changed.")
    assert db.failure_message(ValueError("a bug")) is None


@pytest.mark.pg
def test_postgresqls_own_refusal_is_one_line(cli, monkeypatch):
    if not db.is_postgres():
        pytest.skip("SQLite stores a value past its column's size")

    def add_unchecked(args):
        with db.write():
            Location.create(code="Z-1", zone="Z" * 21, pick_seq=5, kind="bin", name="")
        return 0

    monkeypatch.setattr(core, "cmd_stock", add_unchecked)  # the parser is built at each run
    code, out, err = cli("stock")
    assert (code, out) == (1, "")
    assert err.startswith("error: the database refused the command (value too long for type character varying(20))")
    assert len(err.splitlines()) == 1
    assert not Location.select().where(Location.code == "Z-1").exists()
