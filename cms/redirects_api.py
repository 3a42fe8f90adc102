"""``/api/v2/redirects/``: the editors' redirects (wagtail.contrib.redirects) for headless frontends.

A frontend that renders its own URLs answers an unknown path by asking ``find/?path=/old/`` and
redirecting where it says, as Wagtail's ``RedirectMiddleware`` does for the rendered site; a static
build reads the whole listing. A redirect to a page that is not live and public (a draft, an
unpublished or restricted page) is not shown: its answer would give away the page's URL. Responses
are kept by the public cache under ``wagtailredirects.redirect`` (any redirect saved or deleted) and
``pages`` (any page published, unpublished, moved or made private).
"""

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.urls import path as url_path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.v2.utils import BadRequestError
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from core.api_errors import JSONErrorsMixin
from core.cache import tag_request
from core.pagination import MAX_OFFSET

CACHE_TAGS = ("wagtailredirects.redirect", "pages")
DEFAULT_LIMIT = 20


REDIRECT_FIELDS = {
    "old_path": serializers.CharField(help_text="The path redirected, normalised: no trailing slash."),
    "location": serializers.CharField(
        help_text="Where to: the page's path on this site (its full URL on another site), or the URL typed."
    ),
    "is_permanent": serializers.BooleanField(help_text="301 if true, else 302."),
    "page_id": serializers.IntegerField(allow_null=True, help_text="The target page, if it is a page."),
}
REDIRECT = inline_serializer("Redirect", REDIRECT_FIELDS)


def _public_targets(redirects):
    """The redirects whose target can be told: a live public page, or a URL."""
    public_pages = Page.objects.live().public().values("pk")
    return redirects.filter(Q(redirect_page__in=public_pages) | Q(redirect_page__isnull=True) & ~Q(redirect_link=""))


def represent(redirect, request):
    page = redirect.redirect_page
    if page is None:
        location = redirect.redirect_link
    else:
        location = page.get_url(request) or ""
        if redirect.redirect_page_route_path:
            location = location.rstrip("/") + redirect.redirect_page_route_path
    return {
        "old_path": redirect.old_path,
        "location": location,
        "is_permanent": redirect.is_permanent,
        "page_id": redirect.redirect_page_id,
    }


def _int_param(request, name, default, maximum):
    raw = request.GET.get(name, str(default)).strip()
    if not raw.isdigit() or int(raw) > maximum:
        raise BadRequestError(f"{name} must be an integer from 0 to {maximum}")
    return int(raw)


def _only(request, known):
    unknown = sorted(set(request.GET) - set(known))
    if unknown:
        raise BadRequestError(f"query parameter is not an operation or a recognised field: {', '.join(unknown)}")


class _RedirectsView(JSONErrorsMixin, APIView):
    renderer_classes = [JSONRenderer]
    authentication_classes = []
    permission_classes = []

    def public_redirects(self, request):
        tag_request(request, *CACHE_TAGS)
        site = Site.find_for_request(request)
        return _public_targets(Redirect.get_for_site(site)).select_related("redirect_page")


class RedirectListingView(_RedirectsView):
    """Every redirect a frontend may follow, for a static build."""

    @extend_schema(
        operation_id="redirects_list",
        tags=["redirects"],
        summary="List the redirects",
        description="The site's redirects to live public pages and to URLs, ordered by `old_path`.",
        parameters=[
            OpenApiParameter(
                "limit", int, description=f"At most {settings.WAGTAILAPI_LIMIT_MAX}; {DEFAULT_LIMIT} by default."
            ),
            OpenApiParameter("offset", int),
        ],
        responses={
            200: inline_serializer(
                "RedirectListing",
                {
                    "meta": inline_serializer("RedirectListingMeta", {"total_count": serializers.IntegerField()}),
                    "items": type(REDIRECT)(many=True),
                },
            )
        },
    )
    def get(self, request):
        redirects = self.public_redirects(request)
        _only(request, ["limit", "offset"])
        limit = _int_param(request, "limit", DEFAULT_LIMIT, settings.WAGTAILAPI_LIMIT_MAX)
        offset = _int_param(request, "offset", 0, MAX_OFFSET)
        redirects = redirects.order_by("old_path", "-site_id", "pk")
        items = [represent(redirect, request) for redirect in redirects[offset : offset + limit]]
        return Response({"meta": {"total_count": redirects.count()}, "items": items})


class RedirectFindView(_RedirectsView):
    """The redirect for one path, for a frontend answering a path it does not know."""

    @extend_schema(
        operation_id="redirects_find",
        tags=["redirects"],
        summary="Find the redirect for a path",
        description=(
            "The redirect for a path, as the site itself would follow it (with its query string, then without); "
            "a 404 when there is none, or when it leads to a page that is not public."
        ),
        parameters=[OpenApiParameter("path", str, required=True, description="The path asked for, e.g. /old-page/")],
        responses={200: REDIRECT},
    )
    def get(self, request):
        redirects = self.public_redirects(request)
        _only(request, ["path"])
        wanted = request.GET.get("path", "").strip()
        if not wanted:
            raise BadRequestError("path is required: the path to look up, e.g. /old-page/")
        redirect = lookup(request, Redirect.normalise_path(wanted, decode_unicode=False))
        if redirect is None or not redirects.filter(pk=redirect.pk).exists():
            raise Http404
        return Response(represent(redirect, request))


class RedirectsAPIViewSet:
    """Registered on the project's router like Wagtail's viewsets (it asks for ``model`` and ``get_urlpatterns``)."""

    model = Redirect

    @classmethod
    def get_urlpatterns(cls):
        return [
            url_path("", RedirectListingView.as_view(), name="listing"),
            url_path("find/", RedirectFindView.as_view(), name="find"),
        ]


def lookup(request, path):
    """As ``RedirectMiddleware`` finds one: the path as given, then without its query string."""
    redirect = get_redirect(request, path)
    if redirect is None and "?" in path:
        redirect = get_redirect(request, path.split("?", 1)[0])
    return redirect
