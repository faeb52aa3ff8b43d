"""Start-up benchmark: process start to the main window shown (after an automatic login), to
the login dialog shown and to the login dialog ready (the database open and the users' names
loaded, which happens right after the dialog is drawn), each next to a bare PySide6 process showing a 4-tab window, measured in
the same run (alternating, fresh processes, median); and what a person waits for once the PIN
is typed: Enter on the PIN to the main window shown (the window's modules having loaded while
the person typed), next to the same bare process.

    .venv/bin/python -m bench.bench_startup [--repeat 7] [--against OTHER_CHECKOUT]

Every process starts with ``QT_QPA_PLATFORM=offscreen``; "shown" is after ``show()`` and
one pass of the event loop. Beside the wall-clock rows, the CPU time each process used up to
then (its user and system time, read when it exits right after showing): on a shared VM the
wall clock of a 0.1-0.4 s process swings by a third from run to run, its CPU time much less. The database is a small new SQLite file with one supervisor.
Modules run from compiled bytecode, as at every start after a station's first (an installed
wheel ships it; a checkout writes ``__pycache__`` on its first run): the children write it
into a cache of their own (``PYTHONPYCACHEPREFIX``) on an untimed first run, whatever
``PYTHONDONTWRITEBYTECODE`` says.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.catalog.users import create_user
from app.kernel.actor import Actor
from app.store import db
from bench.harness import Table

ROOT = Path(__file__).resolve().parent.parent

# The child prints the wall-clock time at which the window (or dialog) is on screen, then exits.
_APP_CHILD = """
import os, sys, time
from PySide6.QtWidgets import QApplication
import main as entry
from ui import window_launch  # noqa: F401 - the program's first module of the window, imported first

def shown(self, *args):
    self.show()
    QApplication.processEvents()
    print(time.time(), flush=True)
    os._exit(0)

def ready(self):
    print(time.time(), flush=True)
    os._exit(0)

# Only the module whose window is timed is imported ahead (the program imports it anyway).
if sys.argv[1] == "window":
    from ui import main_window
    main_window.MainWindow.showMaximized = shown
elif sys.argv[1] == "ready":
    from ui.dialogs import login
    login.LoginDialog.ready_for_pin = ready  # called once the PIN can be checked
elif sys.argv[1] == "submit":  # the person typed name and PIN, and presses Enter
    from ui import main_window
    from ui.dialogs import login

    def typed(self):
        self.show()
        while not self._ready:
            QApplication.processEvents()
        typing_until = time.time() + 1.5  # what loads while the person types
        while time.time() < typing_until:
            QApplication.processEvents()
        self.name.setText(sys.argv[3])
        self.pin.setText(sys.argv[4])
        print(time.time(), flush=True)
        self.try_login()
        return self.result()

    login.LoginDialog.exec = typed
    main_window.MainWindow.showMaximized = shown
else:
    from ui.dialogs import login
    login.LoginDialog.exec = shown
entry.main(["--db", sys.argv[2]])
"""

_BARE_CHILD = """
import os, time
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget
app = QApplication([])
w = QMainWindow()
tabs = QTabWidget()
for title in ("Receiving", "Inventory", "Orders", "Packing"):
    tabs.addTab(QLabel(title), title)
w.setCentralWidget(tabs)
w.show()
QApplication.processEvents()
print(time.time(), flush=True)
os._exit(0)
"""


def _times(code: str, *args: str, env: dict[str, str], root: Path = ROOT) -> tuple[float, list[float], float]:
    """When the child started (in the checkout ``root``), the times it printed, and the CPU
    time it used (user + system, both threads) by the time it exited (right after its last time)."""
    started = time.time()
    child = subprocess.Popen([sys.executable, "-c", code, *args], cwd=root, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        out, err = child.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        child.kill()
        raise
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every child waited for so far ...
    cpu = usage.ru_utime + usage.ru_stime - _cpu_before.pop()  # ... less those before this one
    _cpu_before.append(usage.ru_utime + usage.ru_stime)
    lines = out.strip().splitlines()
    if child.returncode != 0 or not lines:
        raise RuntimeError(f"start-up child failed: {err.strip()[-500:]}")
    return started, [float(line) for line in lines], cpu


# The CPU time of the children waited for before the one being measured.
_cpu_before = [0.0]


def _time(code: str, *args: str, env: dict[str, str], cpu: list[float] | None = None,
          root: Path = ROOT) -> float:
    """Process start to the child's last time printed (its CPU time appended to ``cpu``)."""
    started, marks, used = _times(code, *args, env=env, root=root)
    if cpu is not None:
        cpu.append(used)
    return marks[-1] - started


def _between(code: str, *args: str, env: dict[str, str]) -> float:
    """From the child's first time printed to its last."""
    _started, marks, _cpu = _times(code, *args, env=env)
    return marks[-1] - marks[0]


def _scratch(tmp: str) -> tuple[str, dict[str, str]]:
    """A small new SQLite database in ``tmp`` with one supervisor (``bench``, PIN 4321), and the
    children's environment: offscreen, settings and data in ``tmp``, bytecode written."""
    url = f"sqlite:///{tmp}/startup.db"
    db.open_database(url, create=True)
    create_user("bench", "supervisor", "4321", actor=Actor.system())
    db.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": tmp, "XDG_DATA_HOME": tmp}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return url, env


def run(*, repeat: int = 7) -> Table:
    table = Table(f"Start-up (fresh processes, offscreen; median of {repeat})", bare_label="bare 4-tab window")
    with tempfile.TemporaryDirectory(prefix="prepdesk-bench-startup-") as tmp:
        url, base = _scratch(tmp)
        env = {**base, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache")}
        auto = {**env, "PREPDESK_AUTOLOGIN": "bench:4321"}
        for code, what, child_env in ((_BARE_CHILD, (), env), (_APP_CHILD, ("window", url), auto),
                                      (_APP_CHILD, ("login", url), env),
                                      (_APP_CHILD, ("submit", url, "bench", "4321"), env)):
            _time(code, *what, env=child_env)  # untimed: writes the compiled bytecode
        window, dialog, ready, submit, bare = [], [], [], [], []
        window_cpu: list[float] = []
        dialog_cpu: list[float] = []
        bare_cpu: list[float] = []
        for _ in range(repeat):
            bare.append(_time(_BARE_CHILD, env=env, cpu=bare_cpu))
            window.append(_time(_APP_CHILD, "window", url, env=auto, cpu=window_cpu))
            dialog.append(_time(_APP_CHILD, "login", url, env=env, cpu=dialog_cpu))
            ready.append(_time(_APP_CHILD, "ready", url, env=env))
            submit.append(_between(_APP_CHILD, "submit", url, "bench", "4321", env=env))
        b = statistics.median(bare)
        table.row("process start to the main window shown (automatic login)", statistics.median(window), b,
                  "< 2x")
        c = statistics.median(bare_cpu)
        table.row("  CPU time of those processes (user + system, both threads)", statistics.median(window_cpu), c,
                  "")
        table.row("process start to the login dialog shown", statistics.median(dialog), b, "< 1.5x")
        table.row("  CPU time of those processes", statistics.median(dialog_cpu), c, "")
        table.row("process start to the login dialog ready for the PIN (database open)",
                  statistics.median(ready), b, "")
        table.row("Enter on the PIN to the main window shown (its modules loaded while the person typed)",
                  statistics.median(submit), b, "")
    return table


def compare(other: Path, *, repeat: int = 7) -> Table:
    """This checkout's main window (automatic login) and login dialog against another
    checkout's (``other``, e.g. a worktree of an earlier commit), the two alternated with the
    bare window in one run: what a change did to start-up, on a machine whose speed drifts."""
    table = Table(f"Start-up, this checkout against {other} (alternated; median of {repeat})",
                  bare_label="bare 4-tab window")
    with tempfile.TemporaryDirectory(prefix="prepdesk-bench-startup-") as tmp:
        url, base = _scratch(tmp)
        trees = {"this checkout": ROOT, f"{other.name}": other}
        envs = {name: {**base, "PYTHONPATH": str(root), "PYTHONPYCACHEPREFIX": str(Path(tmp) / f"pycache{i}")}
                for i, (name, root) in enumerate(trees.items())}
        for name, root in trees.items():  # untimed: each tree's compiled bytecode
            for what, extra in (("window", {"PREPDESK_AUTOLOGIN": "bench:4321"}), ("login", {})):
                _time(_APP_CHILD, what, url, env={**envs[name], **extra}, root=root)
        _time(_BARE_CHILD, env=envs["this checkout"])
        bare: list[float] = []
        bare_cpu: list[float] = []
        walls: dict[tuple[str, str], list[float]] = {}
        cpus: dict[tuple[str, str], list[float]] = {}
        for _ in range(repeat):
            bare.append(_time(_BARE_CHILD, env=envs["this checkout"], cpu=bare_cpu))
            for name, root in trees.items():
                for what, extra in (("window", {"PREPDESK_AUTOLOGIN": "bench:4321"}), ("login", {})):
                    walls.setdefault((name, what), []).append(
                        _time(_APP_CHILD, what, url, env={**envs[name], **extra}, root=root,
                              cpu=cpus.setdefault((name, what), [])))
        b, c = statistics.median(bare), statistics.median(bare_cpu)
        for what, label, target in (("window", "process start to the main window shown (automatic login)", "< 2x"),
                                    ("login", "process start to the login dialog shown", "< 1.5x")):
            for name in trees:
                table.row(f"{label}: {name}", statistics.median(walls[(name, what)]), b, target)
                table.row("  CPU time of those processes", statistics.median(cpus[(name, what)]), c, "")
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="start-up benchmark")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--against", type=Path, metavar="CHECKOUT",
                    help="compare with another checkout of PrepDesk (e.g. a git worktree of an earlier commit)")
    args = ap.parse_args(argv)
    if args.against is not None:
        if not (args.against / "main.py").is_file():
            ap.error(f"{args.against} is not a PrepDesk checkout (no main.py)")
        table = compare(args.against.resolve(), repeat=args.repeat)
        table.print()
        return 0
    table = run(repeat=args.repeat)
    table.print()
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
