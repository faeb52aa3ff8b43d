"""app/ is the whole business and never imports Qt: the GUI, the CLI and tests call it alike."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
QT_ROOTS = {"PySide6", "PySide2", "PyQt5", "PyQt6", "shiboken6", "shiboken2", "qtpy", "ui"}


def qt_imports(path: Path, root: Path = APP.parent) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            names = [str(node.args[0].value)]
        for name in names:
            if name.split(".")[0] in QT_ROOTS or name.startswith("Qt"):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {name}")
    return found


def test_app_never_imports_qt():
    files = sorted(APP.rglob("*.py"))
    assert len(files) > 10
    problems = [p for f in files for p in qt_imports(f)]
    assert problems == []


def test_the_check_sees_a_qt_import(tmp_path):
    bad = tmp_path / "app" / "bad.py"
    bad.parent.mkdir()
    bad.write_text("import os\nfrom PySide6.QtCore import QObject\nimport PyQt6\n"
                   "from ui.widgets.scan_field import ScanField\nimport importlib\n"
                   "importlib.import_module('PySide6.QtGui')\n")
    assert qt_imports(bad, tmp_path) == [
        "app/bad.py:2: PySide6.QtCore", "app/bad.py:3: PyQt6", "app/bad.py:4: ui.widgets.scan_field",
        "app/bad.py:6: PySide6.QtGui"]
