"""The Wagtail site of a request's host, from one cache entry instead of a query per request.

Wagtail looks the site up once per request (``Site.find_for_request``: a query with two ``CASE``
orderings and the root page joined, about a twentieth of an uncached article's CPU) and keeps it on the
request as ``_wagtail_site``. ``SiteMiddleware`` sets that attribute before any view asks, from one
entry of the default cache holding Wagtail's answer for each host already seen (``SITES_KEY``): one
``GET`` shared by every process. A host not in it yet is answered by Wagtail's own lookup, when the
request asks for its site, and the answer added (as plain values, rebuilt into a site and its root
page on each read).

What keeps it right: the entry is dropped when a site is saved or deleted, when a page that is a
site's root is saved or deleted, and when any page is moved (a root, or a page above one), each once
the transaction commits, as every invalidation of the response cache. It also lives at most
``SITES_TTL`` seconds, so that an answer read from the database while such a change was committing
cannot outlive it by more than that. Only hosts that ``ALLOWED_HOSTS`` accepts are kept, and at most
``MAX_HOSTS`` of them, so a client inventing ``Host`` headers cannot grow the entry. With Redis down
the cache answers nothing and stores nothing (``core/resilient_cache.py``, or the errors of a plain
``RedisCache`` caught here): Wagtail's query, as before. A change whose drop failed that way is served
from the entry for at most ``SITES_TTL`` seconds once Redis is back (logged).

Written here rather than taken from a library: wagtail-cache and the other page caches cache
responses, and none keeps the site lookup itself.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Page, Site
from wagtail.signals import post_page_move

from core.resilient_cache import CACHE_ERRORS

logger = logging.getLogger(__name__)

SITES_KEY = "cms:sites-by-host:1"  # the version of what it holds (``_freeze``)
SITES_TTL = 300
MAX_HOSTS = 32


def _host_key(request):
    """``host:port`` as Wagtail matches it, or None for a host ``ALLOWED_HOSTS`` refuses."""
    try:
        request.get_host()
    except DisallowedHost:
        return None
    return f"{split_domain_port(request._get_raw_host())[0]}:{request.get_port()}"


def _freeze(site):
    """The site and its root page as plain values: what a request did with its objects stays out."""
    if site is None:
        return None
    root = site.root_page
    return tuple(
        {field.attname: getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields}
        for obj in (site, root)
    )


def _thaw(frozen):
    if frozen is None:
        return None
    site_values, root_values = frozen
    site = Site.from_db("default", list(site_values), list(site_values.values()))
    root = Page.from_db("default", list(root_values), list(root_values.values()))
    Site._meta.get_field("root_page").set_cached_value(site, root)
    return site


def _known():
    """The cached answers; none when the cache fails (a plain ``RedisCache`` raises when Redis is down)."""
    try:
        return cache.get(SITES_KEY) or {}
    except CACHE_ERRORS:
        return {}


class SiteMiddleware:
    """Sets ``request._wagtail_site`` from the cached answers when they know the host; otherwise
    Wagtail looks it up if the request needs it, and that answer is kept for the next request, from
    any process. A request that never asks for its site costs one cache ``GET`` and no query; a
    static file (a miss of WhiteNoise's, before) not even that."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = urlsplit(settings.STATIC_URL or "/static/").path

    def __call__(self, request):
        key = None if request.path_info.startswith(self.static_prefix) else _host_key(request)
        if key is None:  # a static file, or a host CommonMiddleware answered 400 for
            return self.get_response(request)
        known = _known()
        if key in known:
            request._wagtail_site = _thaw(known[key])
            return self.get_response(request)
        response = self.get_response(request)
        if hasattr(request, "_wagtail_site") and len(known) < MAX_HOSTS:
            try:
                cache.set(SITES_KEY, {**known, key: _freeze(request._wagtail_site)}, SITES_TTL)
            except CACHE_ERRORS:
                pass  # the next request looks it up again
        return response


def _delete():
    try:
        cache.delete(SITES_KEY)
    except CACHE_ERRORS:
        logger.warning("The cached sites could not be dropped: they may be served for up to %d s", SITES_TTL)


def forget_sites():
    """Drop the cached answers once the transaction commits."""
    transaction.on_commit(_delete)


def _page_changed(sender, instance, **kwargs):
    if isinstance(instance, Page):
        known = _known()
        if any(frozen is not None and frozen[0]["root_page_id"] == instance.pk for frozen in known.values()):
            forget_sites()


def _forget(sender, instance, **kwargs):
    """A site saved or deleted, or any page moved (a root, or a page above one)."""
    forget_sites()


def connect():
    """Called from ``CoreConfig.ready``."""
    post_save.connect(_forget, sender=Site, dispatch_uid="core.sites.site_saved")
    post_delete.connect(_forget, sender=Site, dispatch_uid="core.sites.site_deleted")
    post_save.connect(_page_changed, dispatch_uid="core.sites.page_saved")
    post_delete.connect(_page_changed, dispatch_uid="core.sites.page_deleted")
    post_page_move.connect(_forget, dispatch_uid="core.sites.page_moved")
