"""The one place the window imports a module by name, the first time it is needed.

Start-up pays only for what the first screen shows: the login dialog opens before the main
window's modules are imported, and each tab's module (with what it pulls in: ReportLab,
QtPdf, QtCharts, PIL) is imported when that tab is first shown. A module loaded here is named
by a string (``"ui.stations.packing.tab:PackingTab"``), so nothing on the start-up path
imports it; ``tests/test_layers.py`` checks that no other module of ``app`` or ``ui`` imports
by name.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


def load(module: str) -> ModuleType:
    """The module named ``module`` (``"ui.session"``), imported now if it was not yet."""
    return importlib.import_module(module)


def attribute(spec: str) -> Any:
    """The object a ``"package.module:Name"`` string names, its module imported on first use."""
    module, sep, name = spec.partition(":")
    if not sep or not name:
        raise ValueError(f"{spec!r} is not 'module:Name'")
    return getattr(load(module), name)
