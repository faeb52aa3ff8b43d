"""The wheel holds everything a station needs (app, ui, resources with their data, the
entry points) and runs from where it is installed, far from this checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# What a wheel is built from: the project's own files, not what running it leaves in a
# checkout (compiled bytecode written meanwhile by the tests in the other worker, a station
# build in build/, the benchmark's data).
SOURCES = ("pyproject.toml", "README.md", "app", "ui", "resources")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the sources (building in the checkout itself read files
    that another test process was writing at the same moment, and failed now and then)."""
    src, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=skip)
        else:
            shutil.copy2(ROOT / name, src / name)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(src)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    (found,) = out.glob("prepdesk-*.whl")
    return found


def test_the_wheel_holds_the_program_and_its_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("ui/launcher.py", "app/cli/__init__.py", "resources/__init__.py",
                   "resources/style.qss", "resources/success.wav", "resources/error.wav",
                   "resources/prepdesk.png", "resources/prepdesk.ico",
                   "resources/fonts/DejaVuSans.ttf", "resources/fonts/LICENSE-DejaVu.txt"):
        assert needed in names, needed
    assert not any(name.startswith(("tests/", "bench/", "packaging/")) for name in names)
    assert "main.py" not in names  # a checkout's entry; the installed one is ui.launcher


def test_the_wheel_declares_both_programs(wheel):
    with zipfile.ZipFile(wheel) as zf:
        info = next(n for n in zf.namelist() if n.endswith(".dist-info/entry_points.txt"))
        entry_points = zf.read(info).decode()
        meta = zf.read(info.replace("entry_points.txt", "METADATA")).decode()
    assert "[console_scripts]\nprepdesk = ui.launcher:main" in entry_points
    assert "[gui_scripts]\nprepdesk-gui = ui.launcher:main" in entry_points
    assert "platformdirs" in meta
    # the PySide6 cap only where 6.12.0 crashes (Python 3.11)
    assert "PySide6-Essentials<6.12,>=6.9; python_version < \"3.12\"" in meta


def test_the_installed_wheel_runs_away_from_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
                    str(wheel)], check=True, capture_output=True, timeout=300)
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen",
           "PREPDESK_SOUND": "off"}
    env.pop("PREPDESK_DB", None)
    code = (
        "import sys, resources, ui.launcher as l; "
        f"assert resources.__file__.startswith({str(site)!r}), resources.__file__; "
        "assert resources.resource('style.qss').read_text().strip(); "
        "sys.exit(l.main(sys.argv[1:]))"
    )

    def prepdesk(*args: str) -> subprocess.CompletedProcess:
        # -P: not the current folder first on the path; the checkout is never on it
        return subprocess.run([sys.executable, "-P", "-c", code, *args], capture_output=True,
                              text=True, cwd=work, env=env, timeout=300)

    help_ = prepdesk("--help")
    assert help_.returncode == 0 and "Without a command the window opens" in help_.stdout, help_.stderr
    demo = prepdesk("--db", "sqlite:///x.db", "init", "--demo")
    assert demo.returncode == 0, demo.stderr
    window = prepdesk("--db", "sqlite:///x.db", "--smoke-test-window")
    assert window.returncode == 0, window.stdout + window.stderr
    assert "smoke test: ok" in window.stdout


def test_every_code_folder_is_a_package():
    """A folder of modules without __init__.py is left out of the wheel's package list and of
    the bundle's collected submodules: the tab it holds would fail on a station only."""
    root = Path(__file__).resolve().parents[2]
    missing = [str(d.relative_to(root)) for top in ("app", "ui") for d in (root / top).rglob("*")
               if d.is_dir() and d.name != "__pycache__" and any(d.glob("*.py"))
               and not (d / "__init__.py").exists()]
    assert missing == []
