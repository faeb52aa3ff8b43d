"""Python's own import statement back in place once PySide6 is loaded.

Importing PySide6 replaces ``builtins.__import__`` with its ``__feature_import__``, which
serves ``from __feature__ import snake_case, true_property`` (PySide's optional Python-style
names). As a side effect it reads the whole source of every module imported afterwards
(``inspect.getsource``) to note whether it mentions PySide6: on the way to the main window
that is over two hundred modules, 25-30 ms of a station's start (and 13-15 ms before the
login dialog shows). PrepDesk uses neither feature (``tests/ui/test_startup_imports.py``
checks that no module names ``__feature__``), so the window's start puts back the import
function PySide6 kept (``builtins.__orig_import__``, through which its own lazy loading
still runs) as soon as this module is imported: ``ui.window_launch`` imports it first. Nothing else changes: Qt's classes and enums behave the same without it.
"""

from __future__ import annotations

import builtins

import PySide6.QtCore  # noqa: F401 - loads the hook this module takes out

# The name of PySide6's replacement of the import statement.
FEATURE_IMPORT = "__feature_import__"


def feature_import_active() -> bool:
    """Whether PySide6's ``__feature__`` import hook stands in for the import statement."""
    return getattr(builtins.__import__, "__name__", "") == FEATURE_IMPORT


def skip_feature_scan() -> bool:
    """Put back the import statement PySide6 wrapped; True if it was wrapped.

    Call it once PySide6 is imported (it installs the hook when it loads). Another PySide6
    version without the hook, or without the function it kept, is left as it is."""
    kept = getattr(builtins, "__orig_import__", None)
    if kept is None or not feature_import_active():
        return False
    builtins.__import__ = kept
    return True


# Imported first by the window's start (ui.window_launch): what follows imports unscanned.
skip_feature_scan()
