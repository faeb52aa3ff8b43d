"""The prepdesk program decides window or command line from its arguments alone, and the
window it opens carries the style sheet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main as cli_main
from ui import launcher, window_launch


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


@pytest.fixture
def app_as_it_was(qapp):
    """The application's style sheet, font and icon put back after the test: opening the
    window styles the one QApplication every later test in this process shares (a status bar
    test then measured its labels in the stations' big type)."""
    style, font, icon = qapp.styleSheet(), qapp.font(), qapp.windowIcon()
    yield qapp
    qapp.setStyleSheet(style)
    qapp.setFont(font)
    qapp.setWindowIcon(icon)


def test_main_opens_the_window_without_a_command(monkeypatch, app_as_it_was):
    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(window_launch.window_app, "run", lambda db_url: calls.append(("window", db_url)) or 0)
    monkeypatch.setattr("app.cli.main", lambda argv: calls.append(("cli", argv)) or 0)
    assert launcher.main(["--db", "sqlite:///x.db"]) == 0
    assert launcher.main(["--db", "sqlite:///x.db", "check"]) == 0
    assert launcher.main(["--help"]) == 0
    assert calls == [("window", "sqlite:///x.db"), ("cli", ["--db", "sqlite:///x.db", "check"]),
                     ("cli", ["--help"])]


def test_the_smoke_option_takes_only_the_database(capsys):
    assert launcher.main(["init", launcher.SMOKE_OPTION]) == 2
    assert "takes only --db" in capsys.readouterr().err


@pytest.mark.gui
def test_the_window_gets_the_style_sheet(app_as_it_was):
    app = window_launch.window_app.application()
    assert app.styleSheet().strip()
    assert "QPushButton" in app.styleSheet() or "{" in app.styleSheet()


@pytest.mark.gui
def test_the_smoke_test_opens_every_tab(tmp_path, capsys, app_as_it_was):
    url = f"sqlite:///{tmp_path}/smoke.db"
    assert cli_main(["--db", url, "init", "--demo"]) == 0
    assert launcher.main(["--db", url, launcher.SMOKE_OPTION]) == 0
    out = capsys.readouterr().out
    assert "smoke test: ok" in out
    assert "Orders & Picking" in out


def test_a_reader_that_leaves_early_is_no_error():
    """``prepdesk stock | head -1``: the command ends quietly with its own exit code, even
    with output still buffered when the reader went (the command line's own handler has
    returned by then; Python would say "Exception ignored" and exit 120)."""
    root = Path(__file__).resolve().parents[2]
    program = (
        "import sys\n"
        "from app import cli\n"
        "from ui import launcher\n"
        "def command(argv):\n"
        "    try:\n"
        "        print('x' * 100)\n"  # buffered: reaches the closed pipe only at the end
        "    except BrokenPipeError:\n"
        "        return 0\n"
        "    return 0\n"
        "cli.main = command\n"
        "sys.exit(launcher.main(['stock']))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # a pipe is buffered
    proc = subprocess.Popen([sys.executable, "-c", program], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # gone before the first line is written (starting takes a second)
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 0, err
    assert "BrokenPipeError" not in err and "Exception ignored" not in err


def test_a_command_never_loads_qt(tmp_path):
    """The command line's start-up and its stderr stay free of Qt (no Qt import, no Qt
    messages before a command's one line)."""
    root = Path(__file__).resolve().parents[2]
    code = ("import sys; from ui import launcher; rc = launcher.main(sys.argv[1:]); "
            "print(sorted(m for m in sys.modules if m.startswith('PySide6'))); sys.exit(rc)")
    out = subprocess.run([sys.executable, "-c", code, "--db", f"sqlite:///{tmp_path}/x.db", "init"],
                         cwd=root, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert out.stderr == ""
