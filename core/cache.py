"""The public response cache: repeated anonymous reads served from Django's cache, exactly invalidated.

Why our own and not Django's cache middleware or wagtail-cache: both key responses by URL and can only
forget a URL they are told about. What an article shows comes from many objects (its author, the
snippets and images in its body, the pages it links, its neighbours, its comment thread), and the
same objects show up on other URLs (listings, threads, other articles). So every public response
records *tags* while it is built (``tag_request``), and a change bumps the tags it touches
(``invalidate``): an entry is served only when none of its tags was bumped after the request that
built it started. That is exact (a comment approved on one article invalidates that article's
page, its API detail and its thread, nothing else) and safe against a change landing while a
response is being built.

The HTTP caches in front of the app (nginx, a CDN) are purged through Wagtail's frontend-cache
backends (``core.frontend_cache.purge``) with the very same tags: when the app lets a shared cache
keep a response (canonical URLs only, see ``shared_cacheable``), it records the URL under each of
the response's tags (``purge_registry.py``), and ``invalidate`` purges the URLs recorded under the bumped tags.

Rules (docs/architecture.md, "Caching"):
- only GET/HEAD without a session, a messages cookie or an ``Authorization`` header is served from or
  stored in the cache; a response is stored only if the view tagged it, it is a 200 without
  ``Set-Cookie``, and (under ``/api/``) it is JSON;
- every stored response carries a strong ``ETag`` and ``Cache-Control: public, max-age=0,
  must-revalidate`` (browsers revalidate, a 304 costs no database query); canonical URLs also get
  ``s-maxage`` and ``X-Accel-Expires`` for the shared cache;
- public API reads answer ``Access-Control-Allow-Origin: *``: the same bytes for every origin, so a
  shared cache can keep one copy. Writes and the moderation API keep the configured allowlist.
"""

import hashlib
import logging
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.conf import settings
from django.dispatch import Signal
from django.http import HttpResponse, QueryDict
from django.utils.cache import get_conditional_response, patch_cache_control

from core import cache_store, frontend_cache
from core.purge_registry import memory_registry, url_registry
from core.resilient_cache import CACHE_ERRORS

logger = logging.getLogger(__name__)

TAG_KEY = cache_store.TAG_KEY
ENTRY_KEY = "pc:resp:"
_TAGS_ATTR = "_public_cache_tags"
EVERYTHING = "everything"  # a tag on every entry: ``invalidate_everything``
# Outside /api/: pages, and the sitemap and feed (cms/sitemap.py, articles/feeds.py).
_PAGE_CONTENT_TYPES = ("text/html", "application/xml", "application/atom+xml")
# Headers the cache owns or that belong to one requester only: never stored, never replayed.
_SKIPPED_HEADERS = {"set-cookie", "x-cache", "date", "access-control-allow-credentials"}


_cache = cache_store.backend

# Sent by ``invalidate`` with ``tags`` once they are bumped (or could not be): what is kept outside
# this cache from the same tags (``articles/body_store.py``, the stored article bodies) forgets them too.
tags_invalidated = Signal()


def django_request(request):
    """Django's request under DRF's, which keeps attributes set on it for itself: the tags live on the
    Django one, which the middleware holds, and Wagtail keeps the site and its root paths on the object
    it is given, so every part of a response built from the same one reads them once."""
    return getattr(request, "_request", request)


# --- tags --------------------------------------------------------------------------------------------
def object_tag(obj):
    """``app_label.model:pk`` of a model instance, e.g. ``articles.author:3``."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def page_tag(page_or_id):
    return f"page:{getattr(page_or_id, 'pk', page_or_id)}"


def thread_tag(page_or_id):
    return f"thread:{getattr(page_or_id, 'pk', page_or_id)}"


def children_tag(parent_path):
    """The live children of the page at ``parent_path`` (a treebeard path: no query to find it)."""
    return f"children:{parent_path}"


def tag_request(request, *tags):
    """Record what the response being built depends on. A no-op outside a cacheable request."""
    if request is None:
        return
    collected = getattr(django_request(request), _TAGS_ATTR, None)
    if collected is not None:
        collected.update(tag for tag in tags if tag)


def collected_tags(request):
    return getattr(django_request(request), _TAGS_ATTR, None)


@contextmanager
def collecting_tags(request):
    """The tags recorded on ``request`` inside the block, as a set of their own, even on a request the
    cache does not collect for; on exit they are added to the request's own set, if it has one."""
    target = django_request(request)
    outer = getattr(target, _TAGS_ATTR, None)
    inner = set()
    setattr(target, _TAGS_ATTR, inner)
    try:
        yield inner
    finally:
        if outer is None:
            delattr(target, _TAGS_ATTR)
        else:
            outer.update(inner)
            setattr(target, _TAGS_ATTR, outer)


_bumped_since = cache_store.bumped_since


def clear():
    """Drop every entry, tag version and recorded URL (between tests: nothing is purged)."""
    _cache().clear()
    memory_registry.clear()


def invalidate_everything():
    """``manage.py clear_public_cache``: every entry stale, every recorded URL purged; the number purged."""
    return len(invalidate({EVERYTHING, *url_registry().tags()}))


# --- invalidation ---------------------------------------------------------------------------------------
def invalidate(tags, *, retry=True):
    """Make every response that depends on one of ``tags`` stale, here and in the shared cache.

    Call it once the change is committed (``transaction.on_commit``): a request that read the old
    rows and finishes later is refused at store time, because its tags were bumped after it began.

    With Redis down nothing is served from it, but its entries would look fresh again once it is
    back: the invalidation is queued for the task worker (``core.tasks.retry_invalidation``), which
    retries it until Redis answers. The change itself is committed; the caller goes on.
    """
    tags = sorted(set(tags))
    if not tags:
        return set()
    try:
        urls = _bump(tags)
    except CACHE_ERRORS as exc:
        _tell_others(tags)
        if not retry:
            raise
        logger.error("Couldn't invalidate %s (%s); the task worker retries", ", ".join(tags), exc)
        from core.tasks import retry_invalidation  # the task module imports this one

        retry_invalidation.enqueue(tags, first_failed=time.time())
        return set()
    _tell_others(tags)
    if urls and getattr(settings, "WAGTAILFRONTENDCACHE", None):
        # Every configured cache, each for its HOSTNAMES, now rather than queued: a queued purge would
        # let the proxy serve the old response until a worker gets to it. A cache that fails is
        # logged and retried by the task worker (core/frontend_cache.py).
        frontend_cache.purge(sorted(urls))
    logger.info("Invalidated %s; purged %d URL(s)", ", ".join(tags), len(urls))
    return urls


def _tell_others(tags):
    """``tags_invalidated``, after the bump: a body built while the change landed either saw the bump
    (and dropped itself) or was stored before this deletes it. A receiver that fails is logged."""
    for receiver, result in tags_invalidated.send_robust(sender=None, tags=tags):
        if isinstance(result, Exception):
            logger.error("%s couldn't forget %s: %s", receiver, ", ".join(tags), result, exc_info=result)


def _bump(tags):
    cache_store.bump(tags)
    return url_registry().pop(tags)


# --- requests and responses -------------------------------------------------------------------------
def is_public_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def shared_cacheable(request):
    """May a shared cache keep this URL? Only forms it can be told to forget: a page or API detail
    without a query string, and a thread's first page (``/api/comments/?page=<id>``).

    Every other query string (filters, offsets, ``?comment=pending``) is kept by the app's cache
    alone, whose tags reach all of them.
    """
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return True
    if request.path == "/api/comments/":
        key, _, value = query.partition("=")
        return key == "page" and value.isdigit()
    return False


class _RecordingQueryDict(QueryDict):
    """``request.GET`` that remembers which parameters the view read, so that a response built for
    ``?utm_source=<anything>`` (a parameter no view reads) is not stored: anyone could otherwise fill
    the cache with one entry per random value."""

    def __init__(self, query_string=None, mutable=False, encoding=None):
        self.read = set()
        super().__init__(query_string, mutable=mutable, encoding=encoding)
        self.read.clear()  # what QueryDict itself looked at while parsing

    def _read_all(self):
        self.read.update(super().keys())

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def __iter__(self):
        self._read_all()
        return super().__iter__()

    def keys(self):
        self._read_all()
        return super().keys()

    def lists(self):
        self._read_all()
        return super().lists()

    def dict(self):
        self._read_all()
        return super().dict()

    def urlencode(self, safe=None):
        self._read_all()
        return super().urlencode(safe)

    def unread(self):
        return set(super().keys()) - self.read


def _entry_key(request):
    scheme = "https" if request.is_secure() else "http"
    raw = f"{scheme}://{request.get_host()}{request.get_full_path()}"
    return ENTRY_KEY + hashlib.sha256(raw.encode()).hexdigest()


def _storable(request, response, tags):
    if not tags or response.status_code != 200 or response.streaming or response.cookies:
        return False
    if isinstance(request.GET, _RecordingQueryDict) and request.GET.unread():
        return False  # a parameter no view read: the same page under another key
    if len(response.content) > settings.PUBLIC_CACHE_MAX_ENTRY_BYTES:
        return False
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get("Cache-Control", ""):
        return False
    content_type = response.get("Content-Type", "")
    if request.path.startswith("/api/"):
        return content_type.startswith("application/json")
    return content_type.startswith(_PAGE_CONTENT_TYPES)


def _public_headers(request, response, etag, shared):
    response["ETag"] = etag
    control = {"public": True, "max_age": 0, "must_revalidate": True}
    if shared:
        control["s_maxage"] = settings.PUBLIC_CACHE_SHARED_MAX_AGE
        response["X-Accel-Expires"] = str(settings.PUBLIC_CACHE_SHARED_MAX_AGE)
    patch_cache_control(response, **control)
    if request.path.startswith("/api/"):
        response["Access-Control-Allow-Origin"] = "*"
        vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip().lower() not in ("", "origin")]
        if vary:
            response["Vary"] = ", ".join(vary)
        elif response.has_header("Vary"):
            del response["Vary"]


def _replay(request, entry):
    response = HttpResponse(b"" if request.method == "HEAD" else entry["body"], status=entry["status"])
    for name, value in entry["headers"]:
        response.headers[name] = value
    response.headers["X-Cache"] = "HIT"
    return get_conditional_response(request, etag=entry["etag"], response=response)


class PublicCacheMiddleware:
    """First in ``MIDDLEWARE``: a hit runs no other middleware. What the middlewares after it add to a
    response (the security headers, CORS, CSP, X-Frame-Options) is stored with it and replayed on a
    hit; static files (whitenoise, after it) pass through without asking Redis."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = urlsplit(settings.STATIC_URL or "/static/").path

    def __call__(self, request):
        if (
            not settings.PUBLIC_CACHE_ENABLED
            or not is_public_request(request)
            or request.path_info.startswith(self.static_prefix)
        ):
            return self.get_response(request)
        key = _entry_key(request)
        try:
            entry = cache_store.fresh_entry(key)  # one round trip on Redis
        except CACHE_ERRORS:
            return self._bypass(request)
        if entry is not None:
            return _replay(request, entry)

        as_of = cache_store.now()
        setattr(request, _TAGS_ATTR, set())
        request.GET = _RecordingQueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
        response = self.get_response(request)
        tags = sorted(collected_tags(request))
        if not _storable(request, response, tags):
            if tags:  # a public resource answered for this requester only (an error, a cookie)
                patch_cache_control(response, no_cache=True)
            return response
        try:
            return self._store(request, response, key, tags, as_of)
        except CACHE_ERRORS:
            return _uncached(response)

    def _store(self, request, response, key, tags, as_of):
        body = response.content
        etag = f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'
        fresh = not _bumped_since([*tags, EVERYTHING], as_of)
        shared = fresh and shared_cacheable(request)
        _public_headers(request, response, etag, shared)
        if fresh:
            headers = [(k, v) for k, v in response.items() if k.lower() not in _SKIPPED_HEADERS]
            entry = {"status": 200, "headers": headers, "body": body, "etag": etag}
            cache_store.store_entry(key, entry, [*tags, EVERYTHING], as_of, settings.PUBLIC_CACHE_TIMEOUT)
            if shared:
                url_registry().add(request.build_absolute_uri(), tags)
        response["X-Cache"] = "MISS"
        return get_conditional_response(request, etag=etag, response=response)

    def _bypass(self, request):
        """Redis is down: the response is built as for a miss and kept by no cache (no URL of it is
        recorded, so a shared cache could not be told to forget it)."""
        return _uncached(self.get_response(request))


def _uncached(response):
    if response.has_header("X-Accel-Expires"):
        del response["X-Accel-Expires"]  # nginx would believe it before Cache-Control
    control = response.get("Cache-Control", "")
    if "private" not in control and "no-store" not in control:
        response["Cache-Control"] = "no-cache"
    response["X-Cache"] = "BYPASS"
    return response
