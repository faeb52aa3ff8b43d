"""Small pictures for logo tests, made with Pillow: a PNG, a JPEG, and broken ones."""

from __future__ import annotations

import io

from PIL import Image


def png(width: int = 120, height: int = 40, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, format="PNG")
    return buf.getvalue()


def jpeg(width: int = 90, height: int = 30) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (20, 90, 200)).save(buf, format="JPEG", quality=85)
    return buf.getvalue()


def truncated_png() -> bytes:
    """A PNG's header and the first part of its pixels: the magic bytes are right, the rest is gone."""
    data = png(400, 400, (10, 200, 10))
    return data[: len(data) // 2]
