"""Pictures drawn locally with Pillow, so demo content and tests never download anything.

Illustrations, not captioned slides: a soft background and a figure seen from behind, with no
text drawn in (the page's caption and alt text say what a picture shows). The figure stays well
inside the picture, so the hero's ``fill-1200x630`` and the cards' ``fill-480x270`` crops keep all of
it; ``figure_box`` gives that area as the image's focal point.
"""

import colorsys
import io
import zlib

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFilter

# The hero rendition's shape (articles.representations.HERO): a hero drawn so is never cropped.
HERO_SIZE = (1600, 840)
SUPERSAMPLE = 2


def draw_picture(label, *, size=(1600, 900), hue=0, spots=0, fmt="JPEG", spine=True):
    """A ``size`` illustration in ``fmt``; ``label`` varies its composition, ``spots`` marks that
    many trigger points beside the spine (for figures); ``spine=False`` draws a plain silhouette
    (a portrait)."""
    picture = _background(size, hue, seed=_seed(label))
    # The figure is drawn at twice the size and reduced: smooth edges without a blur.
    big = (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE)
    figure = Image.new("RGBA", big, (0, 0, 0, 0))
    _draw_figure(figure, figure_box(big, label), hue, spots, spine=spine)
    picture.alpha_composite(figure.reduce(SUPERSAMPLE))
    if fmt == "JPEG":
        picture = picture.convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **({"quality": 86} if fmt == "JPEG" else {}))
    buffer.seek(0)
    return buffer


def image_file(label, name, **kwargs):
    return ImageFile(draw_picture(label, **kwargs), name=name)


def figure_box(size, label=""):
    """``(x, y, width, height)`` of the figure in a picture of ``size``: its focal point. ``label``
    places it: centred, or a little to the left or right in a wide picture, at one of two sizes."""
    width, height = size
    seed = _seed(label)
    box_height = int(height * (0.84, 0.74)[(seed >> 4) % 2])
    box_width = min(int(box_height * 0.62), int(width * 0.9))
    shift = (0, -1, 1)[seed % 3] * int(width * 0.2) if width >= height * 1.5 else 0
    return (width - box_width) // 2 + shift, (height - box_height) // 2, box_width, box_height


def _seed(label):
    return zlib.crc32(str(label).encode())


def _colour(hue, saturation, value, alpha=255):
    r, g, b = colorsys.hsv_to_rgb((hue % 360) / 360, saturation, value)
    return int(r * 255), int(g * 255), int(b * 255), alpha


def _background(size, hue, *, seed):
    """A four-corner gradient with a few large blurred discs of light."""
    width, height = size
    corners = Image.new("RGBA", (2, 2))
    corners.putdata(
        [
            _colour(hue, 0.18, 0.97),
            _colour(hue + 15, 0.3, 0.88),
            _colour(hue + 10, 0.35, 0.8),
            _colour(hue + 30, 0.5, 0.6),
        ]
    )
    canvas = corners.resize(size, Image.BILINEAR)
    # The glow is drawn and blurred small, then enlarged: the same soft light, a hundredth of the work.
    small = (max(width // 8, 1), max(height // 8, 1))
    glow = Image.new("RGBA", small, (255, 255, 255, 0))
    draw = ImageDraw.Draw(glow)
    for n in range(5):
        x = (seed >> (n * 5)) % 100 / 100 * small[0]
        y = (seed >> (n * 3 + 2)) % 100 / 100 * small[1]
        r = small[1] * (0.18 + ((seed >> n) % 7) / 30)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 255, 255, 40))
    glow = glow.filter(ImageFilter.GaussianBlur(max(small[1] / 30, 1))).resize(size, Image.BILINEAR)
    return Image.alpha_composite(canvas, glow)


def _draw_figure(canvas, box, hue, spots, *, spine=True):
    """A person seen from behind on the transparent ``canvas``: head, neck, shoulders, torso and
    arms; the spine; red points."""
    x0, y0, w, h = box
    cx = x0 + w / 2
    draw = ImageDraw.Draw(canvas)
    skin = (255, 247, 238, 235)
    shade = _colour(hue + 20, 0.35, 0.62, 200)
    head_r = w * 0.13
    head_cy = y0 + head_r
    draw.ellipse([cx - head_r, head_cy - head_r, cx + head_r, head_cy + head_r], fill=skin)
    draw.rounded_rectangle([cx - w * 0.06, head_cy + head_r * 0.7, cx + w * 0.06, y0 + h * 0.26], w * 0.04, fill=skin)
    bottom = canvas.size[1]  # the figure is cut at the picture's lower edge, as in a portrait
    shoulders, waist, hips = y0 + h * 0.24, y0 + h * 0.66, y0 + h * 0.86
    torso = [
        (cx - w * 0.30, shoulders + h * 0.05),
        (cx + w * 0.30, shoulders + h * 0.05),
        (cx + w * 0.36, shoulders + w * 0.12),
        (cx + w * 0.29, waist),
        (cx + w * 0.33, bottom),
        (cx - w * 0.33, bottom),
        (cx - w * 0.29, waist),
        (cx - w * 0.36, shoulders + w * 0.12),
    ]
    draw.polygon(torso, fill=skin)
    draw.ellipse([cx - w * 0.41, shoulders - h * 0.012, cx + w * 0.41, shoulders + h * 0.2], fill=skin)
    arm = w * 0.12
    for side in (-1, 1):
        joint = (cx + side * w * 0.34, shoulders + h * 0.07)
        elbow = (cx + side * w * 0.42, waist - h * 0.04)
        draw.line([joint, elbow, (cx + side * w * 0.45, bottom)], fill=skin, width=int(arm), joint="curve")
        draw.ellipse([elbow[0] - arm / 2, elbow[1] - arm / 2, elbow[0] + arm / 2, elbow[1] + arm / 2], fill=skin)
        if not spine:
            continue
        # The erector spinae columns, beside the spine.
        inner, outer = sorted([cx + side * w * 0.035, cx + side * w * 0.13])
        draw.rounded_rectangle([inner, shoulders + h * 0.06, outer, hips - h * 0.04], w * 0.05, fill=(*shade[:3], 70))
    if spine:
        draw.line([(cx, shoulders - h * 0.01), (cx, hips - h * 0.02)], fill=shade, width=max(2, int(w * 0.012)))
    dot = w * 0.03
    for i in range(spots):
        side = -1 if i % 2 == 0 else 1
        x = cx + side * w * 0.085
        y = shoulders + h * 0.12 + (i // 2) * (waist - shoulders) / max((spots + 1) // 2, 1)
        draw.ellipse(
            [x - dot, y - dot, x + dot, y + dot], fill=(214, 48, 49, 255), outline=(255, 255, 255, 255), width=3
        )
