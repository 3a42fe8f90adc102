"""The rendered site's redirects, without giving away a page that is not public.

Wagtail's ``RedirectMiddleware`` answers a redirect to a draft, unpublished or restricted page with
that page's URL in ``Location``: a reader typing the old path learns the hidden page's slug. Here a
redirect whose target page is not live and public is not followed (the reader keeps the 404), as the
headless API's ``/api/v2/redirects/`` does (``cms.redirects_api``).
"""

from urllib.parse import urlparse

from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page


class PublicRedirectMiddleware(RedirectMiddleware):
    def process_response(self, request, response):
        redirected = super().process_response(request, response)
        if redirected is response:
            return response
        # The redirect the parent followed, found the same way (the full path, then without the query).
        path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
        redirect = get_redirect(request, path) or get_redirect(request, urlparse(path).path)
        if redirect is not None and redirect.redirect_page_id is not None:
            if not Page.objects.live().public().filter(pk=redirect.redirect_page_id).exists():
                return response
        return redirected
