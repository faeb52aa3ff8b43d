"""Who the command line acts as: --user and its PIN for a change, nobody for reading, the
setting-up supervisor before the first user, and the automation role's limits."""

from __future__ import annotations

import pytest

from app import ledger
from app.catalog import users
from app.cli import main
from app.cli.common import NEEDS_USER, where
from app.kernel.actor import Actor
from app.store import db
from app.store.models import StockMove, User

BOSS = Actor.system()


@pytest.fixture
def cli(database, capsys, monkeypatch):
    """``cli(*args) -> (exit code, stdout, stderr)``, with no user in the environment."""
    monkeypatch.delenv("PREPDESK_USER", raising=False)
    monkeypatch.delenv("PREPDESK_PIN", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", database.url, *args])
        db.connect(database.url, migrate=False)  # main() closes the connection
        ledger.clear_caches()
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def stocked(world):
    """Users of every role (PIN 2468) and 5 TENT in A-01-01."""
    for name, role in (("sue", "supervisor"), ("rex", "receiver"), ("pat", "packer"), ("cron", "automation")):
        users.create_user(name, role, "2468", actor=BOSS)
    p = world.product("TENT", barcode="012345678905")
    world.stock(p.id, "A-01-01", 5)
    return p


def test_a_change_without_a_user_is_refused_and_changes_nothing(cli, stocked):
    code, out, err = cli("transfer", "TENT", "--from", "A-01-01", "--to", "A-01-02", "--qty", "2")
    assert (code, out, err) == (1, "", f"error: {NEEDS_USER}\n")
    assert ledger.on_hand(stocked.id, "A-01-01") == 5
    code, _, err = cli("client", "add", "BETA", "--name", "Beta")
    assert (code, err) == (1, f"error: {NEEDS_USER}\n")


def test_the_right_user_and_pin_act_as_that_user(cli, stocked, monkeypatch):
    monkeypatch.setenv("PREPDESK_PIN", "2468")
    code, out, err = cli("--user", "sue", "transfer", "TENT", "--from", "A-01-01", "--to", "A-01-02", "--qty", "2")
    assert (code, err) == (0, ""), out
    assert ledger.on_hand(stocked.id, "A-01-02") == 2
    move = StockMove.select().order_by(StockMove.id.desc()).get()
    assert (move.user_name, move.station) == ("sue", where("cli"))
    assert move.station.startswith("cli:") and "@" in move.station


def test_the_user_may_come_from_the_environment(cli, stocked, monkeypatch):
    monkeypatch.setenv("PREPDESK_USER", "sue")
    monkeypatch.setenv("PREPDESK_PIN", "2468")
    code, _, err = cli("--station", "office", "adjust", "TENT", "--bin", "A-01-01", "--qty", "-1", "--reason", "lost")
    assert (code, err) == (0, "")
    move = StockMove.select().order_by(StockMove.id.desc()).get()
    assert (move.user_name, move.station) == ("sue", where("office"))


def test_the_pin_is_asked_at_a_terminal(cli, stocked, monkeypatch):
    asked = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or "2468")
    code, _, err = cli("--user", "sue", "adjust", "TENT", "--bin", "A-01-01", "--qty", "1", "--reason", "found")
    assert (code, err, asked) == (0, "", ["PIN for sue: "])
    assert ledger.on_hand(stocked.id, "A-01-01") == 6


def test_ctrl_d_at_the_pin_prompt_is_one_line(cli, stocked, monkeypatch):
    def end_of_input(prompt: str) -> str:
        raise EOFError  # what getpass raises on Ctrl+D

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", end_of_input)
    code, out, err = cli("--user", "sue", "adjust", "TENT", "--bin", "A-01-01", "--qty", "1", "--reason", "found")
    assert (code, out, err) == (1, "", "\nerror: no PIN given for sue: nothing was done\n")
    assert User.get(User.name == "sue").failed_attempts == 0  # no PIN is no wrong PIN
    assert ledger.on_hand(stocked.id, "A-01-01") == 5


def test_no_pin_and_no_terminal_is_one_line(cli, stocked, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _, err = cli("--user", "sue", "adjust", "TENT", "--bin", "A-01-01", "--qty", "1", "--reason", "found")
    assert (code, err) == (1, "error: no PIN for sue: set PREPDESK_PIN or run the command at a terminal\n")
    assert ledger.on_hand(stocked.id, "A-01-01") == 5


def test_a_wrong_pin_is_refused_and_counts_toward_the_lockout(cli, stocked, monkeypatch):
    monkeypatch.setenv("PREPDESK_PIN", "9999")
    for attempt in range(1, users.MAX_FAILED):
        code, _, err = cli("--user", "sue", "adjust", "TENT", "--bin", "A-01-01", "--qty", "1", "--reason", "found")
        assert (code, err) == (1, f"error: {users.LOGIN_REFUSED}\n")
        assert User.get(User.name == "sue").failed_attempts == attempt
    code, _, err = cli("--user", "sue", "adjust", "TENT", "--bin", "A-01-01", "--qty", "1", "--reason", "found")
    assert (code, err) == (1, f"error: {users.LOGIN_REFUSED}\n")
    assert User.get(User.name == "sue").locked_until is not None
    # locked: even the right PIN is refused now, in the same words as for a name nobody has
    monkeypatch.setenv("PREPDESK_PIN", "2468")
    code, _, err = cli("--user", "sue", "adjust", "TENT", "--bin", "A-01-01", "--qty", "1", "--reason", "found")
    assert (code, err) == (1, f"error: {users.LOGIN_REFUSED}\n")
    code, _, err = cli("--user", "nobody", "adjust", "TENT", "--bin", "A-01-01", "--qty", "1", "--reason", "found")
    assert (code, err) == (1, f"error: {users.LOGIN_REFUSED}\n")
    assert ledger.on_hand(stocked.id, "A-01-01") == 5


@pytest.mark.parametrize("command", [
    ("stock",), ("stock", "--csv"), ("client", "list"), ("location", "list"), ("user", "list"), ("check",),
    ("order", "list"), ("backorders",),
])
def test_reading_needs_no_user(cli, stocked, command):
    code, out, err = cli(*command)
    assert (code, err) == (0, ""), (out, err)


def test_a_packer_may_not_move_stock_by_hand(cli, stocked, monkeypatch):
    monkeypatch.setenv("PREPDESK_PIN", "2468")
    code, _, err = cli("--user", "pat", "transfer", "TENT", "--from", "A-01-01", "--to", "A-01-02", "--qty", "1")
    assert (code, err) == (1, "error: pat (packer) may not transfer stock: needs supervisor\n")
    assert ledger.on_hand(stocked.id, "A-01-01") == 5


def test_automation_imports_and_allocates_but_never_moves_stock(cli, stocked, monkeypatch, tmp_path):
    monkeypatch.setenv("PREPDESK_USER", "cron")
    monkeypatch.setenv("PREPDESK_PIN", "2468")
    orders_csv = tmp_path / "orders.csv"
    orders_csv.write_text("order_number,sku,qty,customer_name,address1,city,zip,country\n"
                          "1001,TENT,3,Ann,1 Elm St,Springfield,12345,US\n")
    code, out, err = cli("import", "orders", str(orders_csv), "--client", "ACME", "--format", "generic")
    assert (code, err) == (0, ""), out
    code, out, err = cli("allocate")
    assert (code, err) == (0, ""), out
    assert ledger.reserved(stocked.id, "A-01-01") == 3
    refused = {
        "adjust": ("adjust", "TENT", "--bin", "A-01-01", "--qty", "-1", "--reason", "lost"),
        "transfer": ("transfer", "TENT", "--from", "A-01-01", "--to", "A-01-02", "--qty", "1"),
        "add users": ("user", "add", "eve", "--role", "supervisor", "--pin", "1111"),
    }
    for what, command in refused.items():
        code, _, err = cli(*command)
        assert code == 1 and err.startswith("error: cron (automation) may not "), (what, err)
    assert ledger.on_hand(stocked.id, "A-01-01") == 5
    assert not User.select().where(User.name == "eve").exists()


def test_a_fresh_warehouse_is_set_up_without_a_login(cli, database):
    # its first user is a supervisor: a first packer would leave nobody to manage the others
    code, out, err = cli("user", "add", "Pat Packer", "--role", "packer", "--pin", "3333")
    assert (code, out) == (1, "")
    assert err == "error: the warehouse has no supervisor yet: add a supervisor first, who then adds Pat Packer as packer\n"
    assert User.select().count() == 0
    code, out, err = cli("user", "add", "sue", "--role", "supervisor", "--pin", "2468")
    assert (code, out, err) == (0, "user sue (supervisor) added\n", "")
    # the first user ends the setting up: the second needs a login
    code, _, err = cli("user", "add", "rex", "--role", "receiver", "--pin", "1357")
    assert (code, err) == (1, f"error: {NEEDS_USER}\n")
    code, _, err = cli("--user", "sue", "user", "add", "rex", "--role", "receiver", "--pin", "1357")
    assert code == 1 and "PIN" in err  # no PIN given and no terminal


def test_init_demo_on_a_fresh_file_prints_the_demo_users(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("PREPDESK_USER", raising=False)
    monkeypatch.delenv("PREPDESK_PIN", raising=False)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["--db", url, "init", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "PIN" in out
    db.open_database(url)
    try:
        assert User.select().count() >= 2
        assert not ledger.check().problems
    finally:
        db.close()


def test_only_a_supervisor_restores_a_backup(cli, stocked, database, monkeypatch, tmp_path):
    if not database.url.startswith("sqlite"):
        pytest.skip("restore replaces a SQLite file")
    code, out, err = cli("backup", "--out", str(tmp_path / "copy.db"))
    assert code == 0, err
    monkeypatch.setenv("PREPDESK_PIN", "2468")
    code, _, err = cli("restore", str(tmp_path / "copy.db"))
    assert (code, err) == (1, f"error: {NEEDS_USER}\n")
    code, _, err = cli("--user", "cron", "restore", str(tmp_path / "copy.db"))
    assert (code, err) == (1, "error: cron (automation) may not restore backups: needs supervisor\n")
    db.close()
    code, out, err = cli("--user", "sue", "restore", str(tmp_path / "copy.db"))
    assert (code, err) == (0, ""), out


def test_user_set_and_pin_from_the_command_line(cli, stocked, monkeypatch):
    """A supervisor changes a role, a badge, who may log in and a forgotten PIN; nobody else may."""
    monkeypatch.setenv("PREPDESK_PIN", "2468")
    assert cli("--user", "sue", "user", "set", "pat", "--role", "receiver", "--badge", "BADGE-PAT") == (
        0, "user pat: receiver, badge, may log in\n", "")
    assert users.login_badge("BADGE-PAT").role == "receiver"
    assert cli("--user", "sue", "user", "pin", "pat", "--new-pin", "1357") == (0, "user pat: new PIN set\n", "")
    assert users.login("pat", "1357").name == "pat"
    code, out, err = cli("--user", "sue", "user", "set", "pat", "--active", "no")
    assert (code, out) == (0, "user pat: receiver, badge, may not log in\n")
    code, out, _err = cli("user", "list")
    assert "pat\treceiver\tbadge\tmay not log in\n" in out
    code, out, err = cli("--user", "sue", "user", "set", "pat")
    assert (code, out, err) == (1, "", "error: say what to change: --role, --badge or --active\n")
    code, out, err = cli("--user", "sue", "user", "pin", "rex", "--new-pin", "12")
    assert (code, out, err) == (1, "", "error: a PIN is 4 to 12 digits\n")
    code, out, err = cli("--user", "rex", "user", "set", "sue", "--active", "no")
    assert code == 1 and "supervisor" in err and User.get(User.name == "sue").active
    code, out, err = cli("--user", "sue", "user", "set", "sue", "--role", "packer")
    assert (code, err) == (1, "error: sue is the only active supervisor: give another user the supervisor "
                              "role first\n")


def test_a_bin_closed_and_opened_from_the_command_line(cli, stocked, monkeypatch):
    monkeypatch.setenv("PREPDESK_PIN", "2468")
    code, out, err = cli("--user", "sue", "location", "close", "A-01-01")  # it holds the 5 TENT
    assert (code, out) == (1, "") and err.startswith("error: A-01-01 holds 5 units")
    assert cli("--user", "sue", "location", "close", "a-01-02") == (0, "bin A-01-02 is closed\n", "")
    assert "\tA-01-02\tbin\tA\tclosed\n" in cli("location", "list")[1]
    assert cli("--user", "pat", "location", "open", "A-01-02")[0] == 1  # a packer may not
    assert cli("--user", "sue", "location", "open", "A-01-02") == (0, "bin A-01-02 is open\n", "")


@pytest.mark.parametrize(("command", "why"), [
    (("billing", "statement", "ACME", "--from", "2026-03-01", "--to", "2026-03-01", "--csv"),
     "a client's bill is shown to a supervisor"),
    (("count", "show", "CNT000001"), "a count's expected quantities are shown to a supervisor"),
])
def test_reading_a_supervisors_figures_says_why_a_user_is_needed(cli, stocked, command, why):
    code, out, err = cli(*command)
    assert (code, out) == (1, "")
    assert err == f"error: {why}: give --user NAME (and the PIN)\n"  # not "this command changes the warehouse"
