"""``/sitemap.xml``: every live, public page of the request's site (wagtail.contrib.sitemaps), with
the time it was last published. Kept by the public cache under ``pages``, the tag that every publish,
unpublish, move and privacy change bumps (core/invalidation.py), so the sitemap follows at once."""

from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from core.cache import tag_request


def sitemap(request):
    tag_request(request, "pages")
    return wagtail_sitemap(request)
