"""Presenters: how article content looks in the API and on the rendered pages, built in bulk.

Plain functions that turn model instances into the dicts of docs/api.md (an image object, a page
link, an author, ...); the API and the page templates both read what they return.

Wagtail's stock serialisation resolves every chooser, rendition, embed and rich-text page link one
query at a time. Here each kind costs one query per request, whatever the number of blocks, and the
rendered pages use the same prepared data (see ``templates/articles/article_page.html``).
"""

import logging
import re

from django.utils.safestring import mark_safe
from wagtail.embeds import embeds
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from core.cache import object_tag, page_tag, tag_request
from core.links import absolute_url
from core.sanitize import is_safe_href, sanitize_rich_text

logger = logging.getLogger(__name__)

HERO = "fill-1200x630"
BODY_IMAGE = "max-1200x900"
THUMBNAIL = "fill-480x270"
PHOTO = "fill-160x160"

_SPLIT = "\x00\x1f--rich-text-split--\x1f\x00"
# Pages and images a rich-text value points at, for the response cache's tags.
_RICH_TEXT_REFERENCES = re.compile(r'<(?:a|embed)\b[^>]*?\b(?:linktype|embedtype)="(page|image)"[^>]*?\bid="(\d+)"')


# --- images --------------------------------------------------------------------------------------
def image_object(image, spec, request=None, alt=None):
    """``{url, width, height, alt}`` of a rendition; never an ID the client must resolve."""
    if image is None:
        return None
    tag_request(request, object_tag(image))
    try:
        rendition = image.get_rendition(spec)
    except SourceImageIOError:  # the file is missing from storage: show no image, not an error
        logger.warning("Image %s has no source file", image.pk)
        return None
    return {
        "url": absolute_url(rendition.url, request),
        "width": rendition.width,
        "height": rendition.height,
        "alt": alt or image.default_alt_text,
    }


def load_images(image_ids, spec):
    """Images by ID with the rendition for ``spec`` prefetched: two queries for any number."""
    image_ids = {pk for pk in image_ids if pk}
    if not image_ids:
        return {}
    return get_image_model().objects.filter(pk__in=image_ids).prefetch_renditions(spec).in_bulk()


def _has_prefetched_image(obj, attr):
    field = obj._meta.get_field(attr)
    return field.is_cached(obj) and hasattr(getattr(obj, attr), "prefetched_renditions")


def attach_images(objects, attr, spec):
    """Give every object's ``<attr>`` image its rendition prefetched, in two queries for all.

    Objects whose image was already loaded with prefetched renditions (by the view's queryset)
    are left as they are.
    """
    objects = list(objects)
    missing = [obj for obj in objects if getattr(obj, f"{attr}_id") and not _has_prefetched_image(obj, attr)]
    images = load_images([getattr(obj, f"{attr}_id") for obj in missing], spec)
    for obj in missing:
        setattr(obj, attr, images.get(getattr(obj, f"{attr}_id")))
    return objects


# --- rich text -----------------------------------------------------------------------------------
def _sanitized(html):
    """Expanded rich text, sanitized, as the ``SafeString`` templates print as it is.

    The one place editor HTML is marked safe: right after ``sanitize_rich_text`` cleaned it.
    """
    return mark_safe(sanitize_rich_text(html))  # noqa: S308 - sanitized on this very line


def rich_text_html(source, request=None):
    return rich_texts_html([source], request)[0]


def rich_text_tags(sources):
    """``page:<id>`` and image tags for every page link and image embedded in the sources."""
    tags = set()
    for source in sources:
        for kind, pk in _RICH_TEXT_REFERENCES.findall(source):
            tags.add(page_tag(pk) if kind == "page" else f"wagtailimages.image:{pk}")
    return tags


def rich_texts_html(sources, request=None):
    """Expand many rich-text values at once (page and document links cost one query in all), each
    sanitized and a ``SafeString``."""
    sources = [str(source or "") for source in sources]
    tag_request(request, *rich_text_tags(sources))
    if not sources:
        return []
    if any(_SPLIT in source for source in sources):  # pragma: no cover - defensive
        return [_sanitized(expand_db_html(source)) for source in sources]
    expanded = expand_db_html(_SPLIT.join(sources)).split(_SPLIT)
    if len(expanded) != len(sources):  # pragma: no cover - defensive
        expanded = [expand_db_html(source) for source in sources]
    return [_sanitized(html) for html in expanded]


# --- pages ---------------------------------------------------------------------------------------
def page_link(page, request=None):
    if page is None:
        return None
    tag_request(request, page_tag(page))
    return {"id": page.pk, "title": page.title, "url": page.get_full_url(request)}


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


# --- the body ------------------------------------------------------------------------------------
def embed_html(embed):
    """A stored embed's player HTML as a ``SafeString``, or "" without one.

    It comes from the site's embed finders (``articles/embeds.py``, Wagtail's oEmbed providers), not
    from an editor: Wagtail's own ``EmbedBlock`` marks it safe the same way.
    """
    return mark_safe(embed.html) if embed else ""  # noqa: S308 - a finder's output, not editor input


def _load_embeds(urls):
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


def serialize_body(stream, request=None):
    """The body as ``[{type, id, value}]`` with every chooser resolved."""
    children = list(stream)  # resolves each chooser type in one bulk query

    image_ids, page_ids, embed_urls, rich_sources = [], [], [], []
    for child in children:
        kind, value = child.block_type, child.value
        if kind == "image" and value.get("image") is not None:
            image_ids.append(value["image"].pk)
        elif kind == "links":
            page_ids += [item["page"].pk for item in value["items"] if item.get("page")]
        elif kind == "embed" and value.get("url") is not None:
            embed_urls.append(value["url"].url)
        elif kind == "paragraph":
            rich_sources.append(value.source)
        elif kind == "promo" and value is not None:
            tag_request(request, object_tag(value))
            rich_sources.append(value.body)
            if value.link_page_id:
                page_ids.append(value.link_page_id)
        elif kind == "disclaimer" and value is not None:
            tag_request(request, object_tag(value))
            rich_sources.append(value.body)

    # A linked page that is published, unpublished or moved changes this body.
    tag_request(request, *(page_tag(pk) for pk in page_ids))
    images = load_images(image_ids, BODY_IMAGE)
    public_pages = (
        Page.objects.live().public().filter(pk__in=set(page_ids)).only("pk", "url_path", "path", "depth").in_bulk()
        if page_ids
        else {}
    )
    found_embeds = _load_embeds(set(embed_urls)) if embed_urls else {}
    html = iter(rich_texts_html(rich_sources, request))

    def page_url(page_id):
        page = public_pages.get(page_id)
        return page.get_full_url(request) if page else None

    output = []
    for child in children:
        kind, value = child.block_type, child.value
        if kind == "heading":
            data = {"text": value["text"], "level": int(str(value["level"]).lstrip("h") or 2)}
        elif kind == "paragraph":
            data = next(html)
        elif kind == "image":
            image = images.get(value["image"].pk) if value.get("image") else None
            if image is None:
                continue
            picture = image_object(image, BODY_IMAGE, request, alt=value.get("alt"))
            if picture is None:
                continue
            data = {"image": picture, "caption": value.get("caption") or ""}
        elif kind == "embed":
            url = value["url"].url if value.get("url") else ""
            embed = found_embeds.get(url)
            data = {
                "url": url,
                "html": embed_html(embed),
                "title": value.get("caption") or (embed.title if embed else ""),
                "provider": embed.provider_name if embed else "",
            }
        elif kind == "quote":
            data = {"text": value["text"], "attribution": value.get("attribution") or ""}
        elif kind == "links":
            items = []
            for item in value["items"]:
                url = page_url(item["page"].pk) if item.get("page") else item.get("url")
                if url and is_safe_href(url):  # links to non-public pages or unsafe URLs are left out
                    items.append({"title": item["title"], "url": url})
            data = {"title": value.get("title") or "", "items": items}
        elif kind == "promo":
            if value is None:
                continue
            link = page_url(value.link_page_id) if value.link_page_id else None
            external = value.link_url if is_safe_href(value.link_url) else None
            data = {"title": value.title, "body": next(html), "link": link or external or None}
        elif kind == "disclaimer":
            if value is None:
                continue
            data = {"body": next(html)}
        else:  # pragma: no cover - a new block type must be added above
            continue
        output.append({"type": kind, "id": child.id, "value": data})
    return output
