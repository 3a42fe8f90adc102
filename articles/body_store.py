"""An article's body, hero image, author and tags built once per published revision, kept in the database,
read by the API and the page.

What a body shows changes only when the article is published again or when something it points at
changes (an image, a promo or disclaimer snippet, a linked page published, moved or made private). So
the first public read of a revision builds the body's API representation (``ArticleBodyBlock``: the
one bulk prefetch, rich text expanded, renditions made), and beside it the other parts only a new
revision changes (the hero image and the author with their renditions, the tags with their ids, the
editor's picks of related posts and testimonials), and stores them
as a ``StoredBody`` row with the cache tags they recorded while being built; every later read of that
revision is one query. The comment count, neighbours, related posts, testimonials and disclaimer
around them are still built per request: they change without the article changing (of the picks, which
are live and public is read per request; the related posts by shared tags use the stored tag ids).

How it stays correct: the tags are those the response cache is invalidated by (``core/invalidation``
names what each change touches), so every change that makes a cached response of the article stale
deletes its stored body too (``forget``, on ``core.cache.tags_invalidated``), and a new revision
reads a new row (the key is the live revision). A body being built while such a change lands is
checked against the bumped tags after it is written, as the response cache does, and deleted if it
could have read the old rows. ``tests/articles/test_body_store.py`` has a case per kind of change.

Not stored, built per request as before: a draft or preview (not the live revision), a request
without an origin the site serves (URLs are made absolute from the request's host, so a row per
origin, and only for hosts named in ``ALLOWED_HOSTS``), and any request while Redis cannot confirm
the build was fresh.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import JSONField, OuterRef, Subquery, Value

from articles import representations
from articles.models.stored import StoredBody, StoredBodyTag  # not the package: it imports this module
from articles.prefetch import SANITIZED_KEY
from core import cache, cache_store
from core.resilient_cache import CACHE_ERRORS

logger = logging.getLogger(__name__)


def parts(page, request=None, build=None):
    """What of ``page`` only a new revision changes, as ``{name: representation}`` (``body``, the hero
    image, the author, the tags: ``ArticlePage.build_revision_parts``): the stored row of its live
    revision, else built (``build(page, request)``) and stored."""
    build = build or type(page).build_revision_parts
    origin = _origin(page, request)
    if origin is None:
        return build(page, request)
    revision = page.live_revision_id or 0
    found = StoredBody.objects.filter(page_id=page.pk, revision=revision, origin=origin).values_list("data", "tags")
    for data, tags in found[:1]:
        cache.tag_request(request, *tags)
        return data
    as_of = cache_store.now()
    with cache.collecting_tags(request) as tags:
        data = build(page, request)
    tags.add(cache.page_tag(page))  # published again, unpublished or moved: the row is dropped
    _store(page, revision, origin, data, sorted(tags), as_of)
    return data


def summary_with_tags(page, request):
    """``{"value": page's related-post summary, "tags": what it shows}``, stored with its row."""
    with cache.collecting_tags(request) as tags:
        value = representations.page_summaries([page], request)[0]
    return {"value": value, "tags": sorted(tags)}


def with_summaries(articles, request):
    """``articles`` (a queryset), each with ``stored_summary``: the summary stored with its live revision
    for this request's origin, or None (not stored yet, or a request no row is kept for)."""
    origin = request_origin(request)
    if origin is None:
        return articles.annotate(stored_summary=Value(None, output_field=JSONField()))
    rows = StoredBody.objects.filter(page=OuterRef("pk"), revision=OuterRef("live_revision_id"), origin=origin)
    return articles.annotate(stored_summary=Subquery(rows.values("data__summary")[:1]))


def summaries(articles, request, build):
    """The related-post summaries of ``articles`` (from ``with_summaries``), in their order: the stored
    ones, the others built (``build(pages, request)``), not stored: a row is the whole article's, built
    when the article itself is read."""
    found = {}
    for page in articles:
        if page.stored_summary:  # None, or a row stored before summaries were
            cache.tag_request(request, *page.stored_summary["tags"])
            found[page.pk] = page.stored_summary["value"]
    if missing := [page for page in articles if page.pk not in found]:
        found.update((summary["id"], summary) for summary in build(missing, request))
    return [found[page.pk] for page in articles if page.pk in found]


def build_body(page, request):
    """The body's API representation (``ArticleBodyBlock``): one bulk prefetch for all its blocks."""
    context = {"request": request, SANITIZED_KEY: page.rich_text_sanitized}
    return page.body.stream_block.get_api_representation(page.body, context)


def _origin(page, request):
    """``scheme://host`` of a request for the live page on a host of ``ALLOWED_HOSTS``, else None."""
    if page.pk is None or not page.live:
        return None
    return request_origin(request)


def request_origin(request):
    """``scheme://host`` of a request that is not a preview, on a host of ``ALLOWED_HOSTS``, else None."""
    if request is None or getattr(request, "is_preview", False):
        return None
    if getattr(getattr(request, "_request", None), "is_preview", False):
        return None
    host = request.get_host()
    if host.split(":")[0] not in [name for name in settings.ALLOWED_HOSTS if name != "*" and name[:1] != "."]:
        return None  # a wildcard host setting: one row per invented Host header would have no end
    return f"{request.scheme}://{host}"


def _store(page, revision, origin, data, tags, as_of):
    try:
        with transaction.atomic():
            stored = StoredBody.objects.create(page_id=page.pk, revision=revision, origin=origin, data=data, tags=tags)
            StoredBodyTag.objects.bulk_create([StoredBodyTag(body=stored, tag=tag) for tag in tags])
    except IntegrityError:  # another request stored the same revision first: theirs is as good
        return
    try:
        stale = cache_store.bumped_since([*tags, cache.EVERYTHING], as_of)
    except CACHE_ERRORS:
        stale = True  # nothing can say whether a change landed while it was built
    if stale:
        StoredBody.objects.filter(pk=stored.pk).delete()


def forget(tags, **kwargs):
    """Delete every stored body that shows one of ``tags`` (all of them for ``everything``)."""
    tags = set(tags)
    if cache.EVERYTHING in tags:
        bodies = StoredBody.objects.all()
    else:
        bodies = StoredBody.objects.filter(pk__in=StoredBodyTag.objects.filter(tag__in=tags).values("body_id"))
    _, deleted = bodies.delete()
    if count := deleted.get(StoredBody._meta.label):
        logger.info("Forgot %d stored article body rows for %s", count, ", ".join(sorted(tags)))


def connect():
    cache.tags_invalidated.connect(forget, dispatch_uid="articles.body_store.forget")
