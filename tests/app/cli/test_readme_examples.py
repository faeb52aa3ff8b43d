"""The README's command-line examples run as written, in order, on a new demo warehouse; the
packaging files name only make targets that exist."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from pathlib import Path

import pytest

from app import ledger
from app.cli import main
from app.kernel import clock
from app.store import db
from tests.support import images

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# Lines whose values stand for the reader's own lot-tracked product (the demo has none).
PLACEHOLDERS = ("--bin BIN", "--lot LOT ", "--from BIN")


def _block(after: str, language: str = "sh", nth: int = 1) -> str:
    """The nth fenced block of that language after a heading or phrase of the README."""
    rest = README[README.index(after):]
    blocks = re.findall(rf"```{language}\n(.*?)```", rest, flags=re.S)
    return blocks[nth - 1]


def _commands(block: str) -> list[str]:
    """The block's lines, continuation lines joined and comment lines left out."""
    joined = re.sub(r"\\\n\s*", " ", block)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _argv(command: str) -> list[list[str]]:
    """What a shell would run: each ``;``-separated ``python main.py`` command's arguments,
    optional ``[...]`` parts left out and the first of ``a|b`` taken."""
    words = shlex.split(command, comments=True)
    runs: list[list[str]] = [[]]
    depth = 0
    for word in words:
        if word == ";":
            runs.append([])
            continue
        if word.startswith("["):
            depth += 1
        if depth:
            depth -= word.count("]") if word.endswith("]") else 0
            continue
        runs[-1].append(word.split("|")[0])
    argvs = []
    for run in runs:
        assert run[:2] == ["python", "main.py"], command
        argvs.append(run[2:])
    return argvs


def _files(folder: Path) -> None:
    """The files the examples read: the README's own product sample, and the reader's others."""
    (folder / "products.csv").write_text(_block("**Products**", "csv"), encoding="utf-8")
    (folder / "asn.csv").write_text("sku,qty\nACM-0001,10\n", encoding="utf-8")
    (folder / "orders_export.csv").write_text(
        "Name,Email,Created at,Financial Status,Fulfillment Status,Lineitem quantity,Lineitem name,"
        "Lineitem sku,Shipping Name,Shipping Address1,Shipping City,Shipping Zip,Shipping Country\n"
        "#1001,zoe@example.com,2026-03-01 10:00:00 -0500,paid,unfulfilled,1,Tent,ACM-0001,Zoe Z,1 Main St,"
        "Boston,'02134,US\n", encoding="utf-8")
    (folder / "export.csv").write_text(
        "order_number,sku,qty,customer_name,address1,city,country\nG-2001,ACM-0004,1,Ann Lee,5 Elm St,Austin,US\n",
        encoding="utf-8")
    (folder / "acme.png").write_bytes(images.png())
    (folder / "outbox").mkdir()


@pytest.fixture
def december():
    """A Monday after the examples' dates (November's reports and statement, the ASN due on the 3rd)."""
    clock.set_clock(clock.FrozenClock(dt.datetime(2026, 12, 7, 15, 0, 0)))
    yield
    clock.set_clock(None)


@pytest.fixture
def shell(tmp_path, monkeypatch, december):
    """Runs README lines in a folder of their own, as a shell would: ``export`` sets variables."""
    for name in ("PREPDESK_USER", "PREPDESK_PIN", "PREPDESK_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    _files(tmp_path)
    url = f"sqlite:///{tmp_path / 'wh.db'}"
    failures: list[str] = []

    def run(command: str) -> None:
        if command.startswith("export "):
            for name, value in re.findall(r'(\w+)=("[^"]*"|\S+)', command):
                if name != "PREPDESK_DB":  # the test's own file
                    monkeypatch.setenv(name, value.strip('"'))
            return
        for part in command.split(" && "):  # the next runs only if this one did
            if not _run_part(part):
                failures.append(f"{part!r}: failed")
                return

    def _run_part(part: str) -> bool:
        given = dict(re.findall(r"(PREPDESK_\w+)=(\S+) ", part.split("python")[0]))
        with monkeypatch.context() as env:
            for name, value in given.items():
                env.setenv(name, value)
            for argv in _argv(part[part.index("python"):]):
                if "--db" in argv:  # a README file name, in the test's folder
                    argv[argv.index("--db") + 1] = argv[argv.index("--db") + 1].replace("sqlite:///", f"sqlite:///{tmp_path}/")
                if main(argv if "--db" in argv else ["--db", url, *argv]) != 0:
                    return False
        return True

    yield run, failures
    db.open_database(url)
    try:
        assert ledger.check().ok
    finally:
        db.close()


def test_the_command_line_examples_run_in_order_on_the_demo(shell, capsys):
    run, failures = shell
    commands = _commands(_block("## Command line"))
    assert [shlex.split(command, comments=True) for command in commands[:4]] == [
        ["export", "PREPDESK_DB=sqlite:///wh.db"], ["python", "main.py", "init"],
        ["python", "main.py", "init", "--demo"], ["export", "PREPDESK_USER=Sam Supervisor", "PREPDESK_PIN=1111"]]
    skipped = []
    for command in commands:
        if any(mark in command for mark in PLACEHOLDERS):
            skipped.append(command.split()[2])
            continue
        run(command)
    assert failures == []
    assert skipped == ["picklist", "transfer"]
    out = capsys.readouterr().out
    for printed in ("PL000012\n", "RMA000001 for order AC-1016", "CNT000001 awaiting approval",
                    "statement ST000001", "exception 3 resolved", "order AC-1016 shipped"):
        assert printed in out


def test_the_users_and_nightly_job_examples_run(shell, capsys):
    run, failures = shell
    run("python main.py init --demo")
    for command in _commands(_block("### Users and the command line")):
        if "asks the PIN" in command:
            command = "PREPDESK_PIN=1111 " + command
        run(command)
    for command in _commands(_block("A nightly job")):
        run(command)
    assert failures == []
    out = capsys.readouterr().out
    assert "user Sam Supervisor (supervisor) added" in out
    assert "imported 1 order (1 line)" in out


def test_packaging_names_only_make_targets_that_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rules = set(re.findall(r"^([\w.-]+):", makefile, flags=re.M))
    phony = re.search(r"^\.PHONY:(.*)$", makefile, flags=re.M)
    assert phony is not None
    assert [target for target in phony.group(1).split() if target not in rules] == []
    for text in (README, (ROOT / "packaging" / "prepdesk.desktop").read_text(encoding="utf-8")):
        named = set(re.findall(r"(?:^|[`(]|sudo )make ([a-z][\w-]*)", text, flags=re.M))
        assert named - rules == set()
