"""The prepdesk program decides window or command line from its arguments alone, and the
window it opens carries the style sheet."""

from __future__ import annotations

import pytest

from ui import launcher


@pytest.mark.parametrize(("argv", "expected"), [
    ([], (True, None)),
    (["--db", "sqlite:///x.db"], (True, "sqlite:///x.db")),
    (["--db=sqlite:///x.db", "--station", "pack1"], (True, "sqlite:///x.db")),
    (["--station=pack1"], (True, None)),
    (["--help"], (False, None)),
    (["-h"], (False, None)),
    (["init", "--demo"], (False, None)),
    (["--db", "sqlite:///x.db", "init"], (False, None)),
    (["--db"], (False, None)),  # the command line says the value is missing
    (["--no-such-option"], (False, None)),
])
def test_window_or_command(argv, expected):
    assert launcher.window_request(argv) == expected


def test_main_opens_the_window_without_a_command(monkeypatch):
    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(launcher.window_app, "run", lambda db_url: calls.append(("window", db_url)) or 0)
    monkeypatch.setattr(launcher.cli, "main", lambda argv: calls.append(("cli", argv)) or 0)
    assert launcher.main(["--db", "sqlite:///x.db"]) == 0
    assert launcher.main(["--db", "sqlite:///x.db", "check"]) == 0
    assert launcher.main(["--help"]) == 0
    assert calls == [("window", "sqlite:///x.db"), ("cli", ["--db", "sqlite:///x.db", "check"]),
                     ("cli", ["--help"])]


def test_the_smoke_option_takes_only_the_database(capsys):
    assert launcher.main(["init", launcher.SMOKE_OPTION]) == 2
    assert "takes only --db" in capsys.readouterr().err


@pytest.mark.gui
def test_the_window_gets_the_style_sheet(qapp):
    app = launcher.window_app.application()
    assert app.styleSheet().strip()
    assert "QPushButton" in app.styleSheet() or "{" in app.styleSheet()


@pytest.mark.gui
def test_the_smoke_test_opens_every_tab(tmp_path, capsys):
    from app.cli import main as cli_main

    url = f"sqlite:///{tmp_path}/smoke.db"
    assert cli_main(["--db", url, "init", "--demo"]) == 0
    assert launcher.main(["--db", url, launcher.SMOKE_OPTION]) == 0
    out = capsys.readouterr().out
    assert "smoke test: ok" in out
    assert "Orders & Picking" in out
