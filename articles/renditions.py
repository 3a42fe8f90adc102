"""Responsive renditions: every image is offered at the widths and in the modern formats of one setting.

``IMAGE_RENDITION_WIDTHS`` (e.g. 320,640,960,1280,1920) and ``IMAGE_MODERN_FORMATS`` (e.g. webp) decide
the renditions of every image the API and the pages show; a ``Shape`` says how the image is cut where
it is shown (a hero is 1200:630, a card 16:9, a photo square, a body image keeps its own proportions)
and which fixed rendition is its plain ``src``.

Nothing is upscaled: an image gets the configured widths below the largest width its shape allows
(its own width, or its crop's), and then that largest width itself, once. Wagtail's ``fill-`` and
``width-`` operations never enlarge, so the last spec yields the original's (or the crop's) size.

Renditions are Wagtail's own (``Image.get_renditions``). A shape's every spec is known before the
images are (``Shape.specs()``), so ``prefetch_renditions(*shape.specs())`` loads all of them for any
number of images in one query; only what no request made before is generated (once, then stored).
"""

import posixpath
from dataclasses import dataclass
from math import floor

from django.conf import settings

# A rendition's format, from its file's extension (Wagtail names renditions ``….<format>``).
_FORMATS = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".gif": "gif", ".webp": "webp", ".avif": "avif"}


def widths():
    return list(settings.IMAGE_RENDITION_WIDTHS)


def modern_formats():
    return list(settings.IMAGE_MODERN_FORMATS)


@dataclass(frozen=True)
class Shape:
    """Where an image is shown: its fixed ``src`` rendition and how its wider and narrower ones are cut.

    ``ratio`` (width, height) crops around the focal point (``fill-``); None keeps the image's own
    proportions (``width-``).
    """

    name: str
    src: str
    ratio: tuple[int, int] | None = None

    def width_spec(self, width, fmt=None):
        if self.ratio:
            spec = f"fill-{width}x{max(1, round(width * self.ratio[1] / self.ratio[0]))}"
        else:
            spec = f"width-{width}"
        return f"{spec}|format-{fmt}" if fmt else spec

    def specs(self):
        """Every spec an image of this shape may need: what to prefetch."""
        return [self.src] + [self.width_spec(w, fmt) for w in widths() for fmt in (None, *modern_formats())]

    def largest_width(self, image):
        """The widest rendition the image allows in this shape: its own width, or its crop's."""
        if self.ratio:
            return floor(min(image.width, image.height * self.ratio[0] / self.ratio[1]))
        return image.width

    def widths_for(self, image):
        """The configured widths below the image's largest, then the first one reaching it."""
        largest = self.largest_width(image)
        chosen = []
        for width in widths():
            chosen.append(width)
            if width >= largest:  # this spec gives the largest size there is; the rest would repeat it
                break
        return chosen


HERO = Shape("hero", "fill-1200x630", ratio=(1200, 630))
BODY = Shape("body", "max-1200x900")
CARD = Shape("card", "fill-480x270", ratio=(16, 9))
PHOTO = Shape("photo", "fill-160x160", ratio=(1, 1))
SHAPES = {shape.name: shape for shape in (HERO, BODY, CARD, PHOTO)}


def rendition_format(rendition):
    return _FORMATS.get(posixpath.splitext(rendition.file.name)[1].lower(), "")


def responsive_renditions(image, shape):
    """``(src, [(format, [renditions by width]), …])``: the fallback format first, then the modern ones.

    Reads the prefetched renditions; generates (and stores) the ones no request made before. Raises
    Wagtail's ``SourceImageIOError`` when the file is missing.
    """
    chosen = shape.widths_for(image)
    formats = [None, *modern_formats()]
    specs = [shape.src, *(shape.width_spec(width, fmt) for fmt in formats for width in chosen)]
    prefetched = getattr(image, "prefetched_renditions", None)
    if prefetched is not None and not set(specs) <= {rendition.filter_spec for rendition in prefetched}:
        # Prefetched for another shape (or before a rendition was made): Wagtail would take what is not
        # there for missing and generate it again; the cache and the database know better.
        del image.prefetched_renditions
    renditions = image.get_renditions(*specs)
    groups = []
    for fmt in formats:
        group = [renditions[shape.width_spec(width, fmt)] for width in chosen]
        name = fmt or rendition_format(group[0])
        if all(name != seen for seen, _ in groups):  # an original already in a modern format: once
            groups.append((name, _distinct_widths(group)))
    return renditions[shape.src], groups


def _distinct_widths(group):
    """One rendition per width (a crop a pixel short of the last configured width gives no repeat)."""
    seen, kept = set(), []
    for rendition in group:
        if rendition.width not in seen:
            seen.add(rendition.width)
            kept.append(rendition)
    return kept
