"""PySide6 made ready for the window (``ui.pyside_setup``): every event class exists before an
event reaches Python, and the ``__feature__`` import hook is out, so the modules imported
afterwards are not read back as source; Qt works as before."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6 import QtWidgets

from ui import pyside_setup
from ui.widgets.feedback import ScanBanner

ROOT = Path(__file__).resolve().parents[2]

# Loads PySide6 as the program does (QtWidgets first), then the window's first module and the
# main window's modules; prints which of ours PySide6 read the source of, and whether its hook
# is still the import statement.
_CHILD = """
import builtins, json, sys
from PySide6.QtWidgets import QApplication, QLabel
hooked_before = builtins.__import__.__name__
from ui import window_launch
import ui.session
from PySide6.QtCore import Qt
app = QApplication([])
label = QLabel("x")
label.setAlignment(Qt.AlignmentFlag.AlignRight)
scanned = sys.modules["shibokensupport.feature"].pyside_feature_dict
print(json.dumps({
    "before": hooked_before,
    "after": builtins.__import__.__name__,
    "scanned": sorted(m for m in scanned if m.split(".")[0] in ("app", "ui")),
    "alignment_kept": label.alignment() == Qt.AlignmentFlag.AlignRight,
}))
"""


def test_the_window_s_modules_import_without_pyside_reading_their_source(tmp_path):
    seen = _child(_CHILD, tmp_path)
    assert seen["before"] == "__feature_import__"  # PySide6 installs it: the test is not vacuous
    assert seen["after"] != "__feature_import__"
    # only the package that brought ui.window_launch in; none of the ~200 modules of the window
    assert seen["scanned"] == ["ui"]
    assert seen["alignment_kept"] is True


# PySide6 creates a class's Python type on first use (``vars(module)`` holds the types made so far):
# after the window's first module, every event class of the three modules exists.
_EVENTS_CHILD = """
import json
from PySide6 import QtCore, QtGui, QtWidgets
made_before = sorted(n for n in vars(QtGui) if n.endswith("Event"))
from ui import window_launch
print(json.dumps({
    "before": made_before,
    "missing": sorted(f"{m.__name__}.{n}" for m in (QtCore, QtGui, QtWidgets) for n in dir(m)
                      if n.endswith("Event") and n not in vars(m)),
    "events": sum(n.endswith("Event") for m in (QtCore, QtGui, QtWidgets) for n in vars(m)),
}))
"""


def _child(code: str, tmp_path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
                              "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)},
                         check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_every_event_class_exists_before_an_event_reaches_python(tmp_path):
    seen = _child(_EVENTS_CHILD, tmp_path)
    assert "QWheelEvent" not in seen["before"]  # lazily made: the test is not vacuous
    assert seen["missing"] == []
    assert seen["events"] >= 60


def test_the_style_classes_exist_before_an_application_wide_filter_is_installed(qtbot, qapp, monkeypatch):
    # the scan banner's filter (a key anywhere dismisses a sticky message) is handed Qt's own
    # objects too, the style sheet's style among them
    calls: list[str] = []
    real = pyside_setup.create_style_types
    monkeypatch.setattr(pyside_setup, "create_style_types", lambda: calls.append("style types") or real())
    monkeypatch.setattr(qapp, "installEventFilter", lambda obj: calls.append("app filter"))
    banner = ScanBanner()
    qtbot.addWidget(banner)
    banner._install_filter()
    assert calls == ["style types", "app filter"]
    assert {"QStyle", "QCommonStyle", "QProxyStyle"} <= set(vars(QtWidgets))


def test_the_settings_dialog_test_passes_alone_in_a_fresh_process():
    # It crashed there (shiboken making QScrollPrepareEvent's type while PySide6 looked for
    # the polish event's class for the scan guard), and passed only after other tests.
    test = "tests/ui/dialogs/test_settings_dialog.py::test_only_a_supervisor_opens_it"
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                          test], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, check=False)
    assert out.returncode == 0, (out.stdout + out.stderr)[-2000:]
    assert "1 passed" in out.stdout


def test_no_module_uses_pyside_features():
    # snake_case / true_property would need the hook the window's start takes out
    users = [str(path.relative_to(ROOT)) for folder in ("app", "ui", "tests", "bench")
             for path in (ROOT / folder).rglob("*.py")
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.ImportFrom) and node.module == "__feature__"]
    assert users == []
    assert len(list((ROOT / "ui").rglob("*.py"))) > 50  # the walk saw the program
