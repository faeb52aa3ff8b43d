"""Arguments are named in messages and help as they are typed: a positional by its name in the
usage line (``CODE``), an option by its flag (``--from``), never an option that does not exist."""

from __future__ import annotations

import pytest

from app import cli
from app.store import db
from tests.support.commands import run_cli as run


def _counts() -> tuple[int, ...]:
    return tuple(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                 for table in ("location", "setting", "client", "audit_event", "stock_move"))


@pytest.mark.parametrize(("argv", "said"), [
    (("location", "add", "Q\u200b-1"), "error: CODE contains an invisible character (U+200B): Q\\u200b-1\n"),
    (("setting", "set", "K\u200b", "x"), "error: KEY contains an invisible character (U+200B): K\\u200b\n"),
    (("setting", "set", "units", "us\x07"), "error: VALUE contains a BEL character: us\\x07\n"),
    (("billing", "setting", "warehouse_name", "X\x07"), "error: VALUE contains a BEL character: X\\x07\n"),
    (("user", "add", "A\u200bB", "--role", "packer", "--pin", "5555"),
     "error: NAME contains an invisible character (U+200B): A\\u200bB\n"),
    (("client", "add", "N\u200bC", "--name", "New"), "error: CODE contains an invisible character (U+200B): N\\u200bC\n"),
    (("billing", "statement", "ACME", "--from", "2026-11-01", "--to", "2026-11-30", "--out", "st\x1b.pdf"),
     "error: --out contains an ESC character: st\\x1b.pdf\n"),
    (("billing", "rates", "ACME", "--set", "receive_unit=0.35\x07"),
     "error: --set contains a BEL character: receive_unit=0.35\\x07\n"),
])
@pytest.mark.usefixtures("cli_user")
def test_a_refused_argument_is_named_as_it_is_typed(world, capsys, argv, said):
    before = _counts()
    code, out, err = run(world.db, capsys, *argv)
    assert code in (1, 2) and out == ""
    assert err == said
    assert _counts() == before


@pytest.mark.usefixtures("cli_user")
def test_a_missing_positional_is_named_as_in_the_usage_line(world, capsys):
    with pytest.raises(SystemExit) as stop:
        run(world.db, capsys, "client", "add")
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert err == "error: the following arguments are required: CODE, --name (see 'prepdesk client add --help')\n"


def test_usage_lines_show_positionals_in_capitals(capsys):
    parser = cli.build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["setting", "set", "--help"])
    usage = capsys.readouterr().out.splitlines()[0]
    assert usage == "usage: prepdesk setting set [-h] KEY VALUE"


def test_import_orders_help_says_shopify_is_the_default(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.build_parser().parse_args(["import", "orders", "--help"])
    assert stop.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "shopify: Shopify's order export (the default)" in text
    assert "generic: one row per order line with order_number,sku,qty" in text
