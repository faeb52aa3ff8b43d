"""PrepDesk's data files (document fonts, sounds, style sheet, icons, sample imports).

A package so that they travel inside the wheel and a bundle, and are found through
``importlib.resources`` wherever the program is installed.
"""

from __future__ import annotations

from contextlib import ExitStack
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

_kept = ExitStack()  # files extracted from a zip stay until the process ends


def resource(*parts: str) -> Traversable:
    """The resource at ``parts`` (e.g. ``resource("fonts", "DejaVuSans.ttf")``)."""
    return files(__name__).joinpath(*parts)


def resource_path(*parts: str) -> Path:
    """A real file path for the resource (for libraries that open files by name)."""
    return _kept.enter_context(as_file(resource(*parts)))
