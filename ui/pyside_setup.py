"""PySide6 made ready for the window, right after it loads: imported first by ``ui.window_launch``
(and by the tests' conftest, so the tests run on the same Qt as the stations).

Two things, each done once, when this module is imported:

- **Qt's event classes are created before any event reaches Python.** PySide6 creates a Qt
  class's Python type the first time it is needed. When an event filter or an ``event()``
  written in Python receives an event whose C++ class has no Python type yet, PySide6 looks
  for it by walking the event classes, and creating a type during that walk crashes the
  process (a segmentation fault in shiboken, ``findDerivedType`` → ``Module::get``): seen with
  the settings dialog's scan guard on its first polish event (``QScrollPrepareEvent``,
  ``QWheelEvent``) when nothing had created them before. The order in which modules are
  imported decided whether a station could crash on its first event; now every event class
  of QtCore, QtGui and QtWidgets (63 types, ≈4 ms) exists first, the base classes before the
  classes derived from them. An application-wide event filter is handed Qt's own objects
  as well (the style sheet's style): ``create_style_types`` comes before one is installed
  (``ui.widgets.feedback``), not at start-up (the login dialog needs none).
- **Python's import statement is put back.** Importing PySide6 replaces
  ``builtins.__import__`` with its ``__feature__`` hook (for ``from __feature__ import
  snake_case, true_property``, PySide's optional Python-style names, which PrepDesk does not
  use). As a side effect the hook reads the whole source of every module imported afterwards
  (``inspect.getsource``): on the way to the main window that is over two hundred modules,
  25-30 ms of a station's start (12-15 ms before the login dialog shows). The function PySide6
  kept (``builtins.__orig_import__``, through which its own lazy loading still runs) takes
  its place again. ``tests/ui/test_pyside_setup.py`` checks that no module names
  ``__feature__``.
"""

from __future__ import annotations

import builtins

from PySide6 import QtCore, QtGui, QtWidgets

# The name of PySide6's replacement of the import statement.
FEATURE_IMPORT = "__feature_import__"

# Event classes that other event classes derive from, each after its own base: created first,
# so that creating any other event class never has to create its base on the way.
EVENT_BASES = (
    (QtGui, "QInputEvent"), (QtGui, "QPointerEvent"), (QtGui, "QSinglePointEvent"),
    (QtGui, "QDropEvent"), (QtGui, "QDragMoveEvent"), (QtWidgets, "QGraphicsSceneEvent"),
)
# What a style sheet installs (Qt's internal style-sheet style) is wrapped as one of these.
STYLE_CLASSES = ((QtWidgets, "QStyle"), (QtWidgets, "QCommonStyle"), (QtWidgets, "QProxyStyle"))


def create_event_types() -> None:
    """Create the Python type of every Qt event class now (getting a class makes its type)."""
    for module, name in EVENT_BASES:
        getattr(module, name)
    for module in (QtCore, QtGui, QtWidgets):
        for name in dir(module):
            if name.endswith("Event"):
                getattr(module, name)


def create_style_types() -> None:
    """Create the style classes' Python types now (≈5 ms: their many enums).

    Before an application-wide event filter is installed: it is handed Qt's own objects too,
    the style sheet's style among them, whose class PySide6 looks up among these."""
    for module, name in STYLE_CLASSES:
        getattr(module, name)


def feature_import_active() -> bool:
    """Whether PySide6's ``__feature__`` import hook stands in for the import statement."""
    return getattr(builtins.__import__, "__name__", "") == FEATURE_IMPORT


def skip_feature_scan() -> bool:
    """Put back the import statement PySide6 wrapped; True if it was wrapped.

    Another PySide6 version without the hook, or without the function it kept, is left as it is."""
    kept = getattr(builtins, "__orig_import__", None)
    if kept is None or not feature_import_active():
        return False
    builtins.__import__ = kept
    return True


create_event_types()
skip_feature_scan()
