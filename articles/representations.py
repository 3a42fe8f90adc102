"""Presenters: how article content looks in the API and on the rendered pages, built in bulk.

Plain functions that turn model instances into the dicts of docs/api.md (an image object, a page
link, an author, ...); the API and the page templates both read what they return.

Wagtail's stock serialisation resolves every chooser, rendition, embed and rich-text page link one
query at a time. Here each kind costs one query per request, whatever the number of objects: the
helpers take lists (``attach_images``, ``rich_texts_html``, ``load_embeds``), and an article body's
blocks are fed by one pass over the whole body (``articles/prefetch.py``, ``articles/blocks.py``).
"""

import logging
import re
from urllib.parse import urlsplit

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.embeds import embeds
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError
from wagtail.rich_text import expand_db_html

from articles import renditions
from core.cache import django_request, object_tag, page_tag, tag_request
from core.links import absolute_url
from core.sanitize import sanitize_rich_text

logger = logging.getLogger(__name__)

# Where images are shown (``articles/renditions.py``): each gives the set of widths and formats.
HERO = renditions.HERO
BODY_IMAGE = renditions.BODY
THUMBNAIL = renditions.CARD
PHOTO = renditions.PHOTO

_SPLIT = "\x00\x1f--rich-text-split--\x1f\x00"
# Pages and images a rich-text value points at, for the response cache's tags.
_IFRAME_TAG = re.compile(r"<iframe\b[^>]*>", re.IGNORECASE)
_TITLE_ATTRIBUTE = re.compile(r"""\stitle\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_RICH_TEXT_REFERENCES = re.compile(r'<(?:a|embed)\b[^>]*?\b(?:linktype|embedtype)="(page|image)"[^>]*?\bid="(\d+)"')


# --- images --------------------------------------------------------------------------------------
def image_object(image, shape, request=None, alt=None):
    """An image as its renditions for ``shape``, never an ID the client must resolve (docs/api.md):

    ``{url, width, height, alt, srcset: [{url, width, height, format}, …], sources: [{type, srcset}]}``:
    ``url`` is the shape's fixed rendition (an ``<img src>``), ``srcset`` the configured widths in the
    original's format, each of ``sources`` the same widths in a modern format, narrowest first.
    """
    if image is None:
        return None
    tag_request(request, object_tag(image))
    try:
        src, groups = renditions.responsive_renditions(image, shape)
    except SourceImageIOError:  # the file is missing from storage: show no image, not an error
        logger.warning("Image %s has no source file", image.pk)
        return None
    (_, fallback), *modern = groups
    return {
        "url": absolute_url(src.url, request),
        "width": src.width,
        "height": src.height,
        "alt": alt or image.default_alt_text,
        "srcset": _rendition_list(fallback, request),
        "sources": [{"type": f"image/{fmt}", "srcset": _rendition_list(group, request)} for fmt, group in modern],
    }


def _rendition_list(group, request):
    return [
        {
            "url": absolute_url(rendition.url, request),
            "width": rendition.width,
            "height": rendition.height,
            "format": renditions.rendition_format(rendition),
        }
        for rendition in group
    ]


def load_images(image_ids, shape):
    """Images by ID with every rendition of ``shape`` prefetched: two queries for any number."""
    image_ids = {pk for pk in image_ids if pk}
    if not image_ids:
        return {}
    return get_image_model().objects.filter(pk__in=image_ids).prefetch_renditions(*shape.specs()).in_bulk()


def _has_prefetched_image(obj, attr):
    field = obj._meta.get_field(attr)
    return field.is_cached(obj) and hasattr(getattr(obj, attr), "prefetched_renditions")


def attach_images(objects, attr, shape):
    """Give every object's ``<attr>`` image its renditions of ``shape`` prefetched: two queries for all,
    one when the images came with the objects (``select_related``).

    Objects whose image was already loaded with prefetched renditions (by the view's queryset)
    are left as they are.
    """
    objects = list(objects)
    joined, loaded = [], []
    for obj in objects:
        if getattr(obj, f"{attr}_id") and not _has_prefetched_image(obj, attr):
            came_with_it = obj._meta.get_field(attr).is_cached(obj) and getattr(obj, attr) is not None
            (joined if came_with_it else loaded).append(obj)
    if joined:
        images = [getattr(obj, attr) for obj in joined]
        renditions_of_shape = images[0].get_rendition_model().objects.filter(filter_spec__in=shape.specs())
        prefetch_related_objects(
            images, Prefetch("renditions", queryset=renditions_of_shape, to_attr="prefetched_renditions")
        )
    images = load_images([getattr(obj, f"{attr}_id") for obj in loaded], shape)
    for obj in loaded:
        setattr(obj, attr, images.get(getattr(obj, f"{attr}_id")))
    return objects


# --- rich text -----------------------------------------------------------------------------------
def _sanitized(html):
    """Expanded rich text, sanitized, as the ``SafeString`` templates print as it is.

    One of the two places editor HTML is marked safe: right after ``sanitize_rich_text`` cleaned it.
    """
    return mark_safe(sanitize_rich_text(html))  # noqa: S308 - sanitized on this very line


def _expanded(html):
    """Expanded rich text that was sanitized when saved, as a ``SafeString``: nothing to clean again."""
    return mark_safe(html)  # noqa: S308 - sanitize_stored_rich_text ran on its source when it was saved


def rich_text_html(source, request=None, sanitized=False):
    return rich_texts_html([source], request, [sanitized])[0]


def rich_text_tags(sources):
    """``page:<id>`` and image tags for every page link and image embedded in the sources."""
    tags = set()
    for source in sources:
        for kind, pk in _RICH_TEXT_REFERENCES.findall(source):
            tags.add(page_tag(pk) if kind == "page" else f"wagtailimages.image:{pk}")
    return tags


def rich_texts_html(sources, request=None, sanitized=None):
    """Expand many rich-text values at once (page and document links cost one query in all), each
    sanitized and a ``SafeString``.

    ``sanitized`` says, source by source, which were sanitized when saved
    (``core.rich_text_on_save``): those are only expanded, what Wagtail's handlers add being
    made from the linked objects; the rest (saved before, or a draft's) are sanitized here.
    """
    sources = [str(source or "") for source in sources]
    done = list(sanitized or ()) + [False] * (len(sources) - len(sanitized or ()))
    tag_request(request, *rich_text_tags(sources))
    if not sources:
        return []
    if any(_SPLIT in source for source in sources):  # pragma: no cover - defensive
        expanded = [expand_db_html(source) for source in sources]
    else:
        expanded = expand_db_html(_SPLIT.join(sources)).split(_SPLIT)
    if len(expanded) != len(sources):  # pragma: no cover - defensive
        expanded = [expand_db_html(source) for source in sources]
    return [_expanded(html) if clean else _sanitized(html) for html, clean in zip(expanded, done, strict=True)]


# --- pages ---------------------------------------------------------------------------------------
def page_link(page, request=None):
    if page is None:
        return None
    tag_request(request, page_tag(page))
    return {"id": page.pk, "title": page.title, "url": page.get_full_url(django_request(request))}


def page_summaries(pages, request=None):
    pages = attach_images(pages, "hero_image", THUMBNAIL)
    return [
        {
            **page_link(page, request),
            "intro": page.intro,
            "date": page.date.isoformat() if page.date else None,
            "thumbnail": image_object(page.hero_image, THUMBNAIL, request),
        }
        for page in pages
    ]


def author_object(author, request=None):
    if author is None:
        return None
    tag_request(request, object_tag(author))
    attach_images([author], "photo", PHOTO)
    return {
        "id": author.pk,
        "name": author.name,
        "bio": author.bio,
        "photo": image_object(author.photo, PHOTO, request),
    }


def testimonial_objects(testimonials, request=None):
    testimonials = attach_images(testimonials, "photo", PHOTO)
    tag_request(request, *(object_tag(item) for item in testimonials))
    return [
        {
            "id": item.pk,
            "quote": item.quote,
            "name": item.name,
            "role": item.role,
            "photo": image_object(item.photo, PHOTO, request),
        }
        for item in testimonials
    ]


# --- embeds --------------------------------------------------------------------------------------
def embed_title(embed, url, caption=""):
    """What a player is called for screen readers: the provider's title of the video, else the
    editor's caption, else "Video: <host>" (never one generic name for every video on a page)."""
    host = urlsplit(url or "").hostname or ""
    return (embed.title if embed else "") or caption or (f"Video: {host}" if host else "Video")


def embed_html(embed, title=""):
    """A stored embed's player HTML as a ``SafeString``, or "" without one; with ``title``, its
    ``<iframe>`` is titled so (an iframe's accessible name).

    It comes from the site's embed finders (``articles/embeds.py``, Wagtail's oEmbed providers), not
    from an editor: Wagtail's own ``EmbedBlock`` marks it safe the same way. The title is escaped.
    A regular expression, not an HTML parser: the markup is a finder's single ``<iframe>`` tag.
    """
    if not embed:
        return ""
    html = embed.html or ""
    if title:

        def retitle(match):
            tag = _TITLE_ATTRIBUTE.sub("", match.group(0))
            return tag[: len("<iframe")] + format_html(' title="{}"', title) + tag[len("<iframe") :]

        html = _IFRAME_TAG.sub(retitle, html, count=1)
    return mark_safe(html)  # noqa: S308 - a finder's output, not editor input; the title escaped above


def load_embeds(urls):
    """Stored embeds by URL in one query; a URL seen for the first time goes to the finders."""
    hashes = {url: embeds.get_embed_hash(url) for url in urls}
    stored = {embed.hash: embed for embed in Embed.objects.filter(hash__in=hashes.values())}
    found = {}
    for url, digest in hashes.items():
        embed = stored.get(digest)
        if embed is None:
            try:
                embed = embeds.get_embed(url)
            except Exception:  # noqa: BLE001 - a provider being down must not break the article
                embed = None
        found[url] = embed
    return found
