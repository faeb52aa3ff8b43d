"""The window's start takes PySide6's ``__feature__`` import hook out (``ui.pyside_imports``):
the modules it imports afterwards are not read back as source, and Qt works as before."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

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
    out = subprocess.run([sys.executable, "-c", _CHILD], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
                              "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)},
                         check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["before"] == "__feature_import__"  # PySide6 installs it: the test is not vacuous
    assert seen["after"] != "__feature_import__"
    # only the package that brought ui.window_launch in; none of the ~200 modules of the window
    assert seen["scanned"] == ["ui"]
    assert seen["alignment_kept"] is True


def test_no_module_uses_pyside_features():
    # snake_case / true_property would need the hook the window's start takes out
    users = [str(path.relative_to(ROOT)) for folder in ("app", "ui", "tests", "bench")
             for path in (ROOT / folder).rglob("*.py")
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.ImportFrom) and node.module == "__feature__"]
    assert users == []
    assert len(list((ROOT / "ui").rglob("*.py"))) > 50  # the walk saw the program
