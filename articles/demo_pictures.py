"""Pictures drawn locally with Pillow, so demo content and tests never download anything."""

import io
import math

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw


def draw_picture(label, *, size=(1600, 900), hue=0, spots=0, fmt="JPEG"):
    """A soft two-colour gradient with a label, and ``spots`` marked points (for figures), as ``fmt``."""
    width, height = size
    base = Image.new("RGB", size)
    draw = ImageDraw.Draw(base)
    top = _colour(hue, 0.35, 0.92)
    bottom = _colour(hue + 30, 0.55, 0.55)
    for y in range(height):
        t = y / max(height - 1, 1)
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    # A body-like silhouette and marked points, so figures look like figures.
    cx, cy = width // 2, height // 2
    draw.ellipse(
        [cx - width // 10, cy - height // 3, cx + width // 10, cy + height // 3],
        outline=(255, 255, 255),
        width=6,
    )
    for i in range(spots):
        angle = i * 2.4
        x = cx + int(math.cos(angle) * width * 0.06)
        y = cy - height // 4 + int(i * height * 0.5 / max(spots, 1))
        draw.ellipse([x - 14, y - 14, x + 14, y + 14], fill=(200, 30, 40), outline=(255, 255, 255), width=3)
    draw.rectangle([0, height - 90, width, height], fill=(0, 0, 0))
    draw.text((40, height - 70), label, fill=(255, 255, 255), font_size=max(24, height // 24))
    buffer = io.BytesIO()
    base.save(buffer, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    buffer.seek(0)
    return buffer


def image_file(label, name, **kwargs):
    return ImageFile(draw_picture(label, **kwargs), name=name)


def _colour(hue, saturation, value):
    import colorsys

    r, g, b = colorsys.hsv_to_rgb((hue % 360) / 360, saturation, value)
    return int(r * 255), int(g * 255), int(b * 255)
