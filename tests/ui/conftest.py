"""UI tests: every test here needs Qt (offscreen) and is marked ``gui``."""

from __future__ import annotations

import pytest

from tests.support.qt import (  # noqa: F401 - fixtures, found by pytest by name
    _quiet,
    make_ctx,
    message_boxes,
    small_world,
    styled,
    ui_ctx,
    ui_settings,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/tests/ui/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.gui)
