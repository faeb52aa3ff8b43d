"""Draws PrepDesk's application icon (resources/prepdesk.png and .ico): a parcel on a desk.

Run with Pillow installed: ``python packaging/make_icon.py``. The drawing is the source;
the images are committed so a build needs no Pillow step.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 512
OUT = Path(__file__).resolve().parents[1] / "resources"


def draw() -> Image.Image:
    img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((16, 16, SIZE - 16, SIZE - 16), radius=96, fill=(31, 78, 121, 255))
    # the parcel: a box with its tape
    d.rectangle((120, 150, 392, 370), fill=(214, 163, 92, 255), outline=(120, 82, 38, 255), width=10)
    d.rectangle((236, 150, 276, 370), fill=(240, 226, 196, 255))
    # a barcode label on its side
    d.rectangle((146, 296, 226, 352), fill=(255, 255, 255, 255))
    for i, w in enumerate((4, 2, 6, 2, 4, 2, 2, 6, 4)):
        x = 152 + i * 8
        d.rectangle((x, 302, x + w, 346), fill=(20, 20, 20, 255))
    # the desk
    d.rectangle((72, 384, 440, 412), fill=(236, 240, 244, 255))
    return img


def main() -> None:
    img = draw()
    img.save(OUT / "prepdesk.png")
    img.save(OUT / "prepdesk.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])


if __name__ == "__main__":
    main()
