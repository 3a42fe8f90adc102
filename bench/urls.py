"""The benchmark's URLs: the project's, plus the stock peers it is compared with (bench settings only).

- ``/bench/stock/api/v2/pages/<id>/``: Wagtail's own ``PagesAPIViewSet`` on its own router, with none
  of the project's queryset work, and the body serialized the way Wagtail serializes a StreamField (its
  own field, every block's representation built on every request) instead of read from the body stored
  per revision (``articles/body_store.py``). The model's other ``api_fields`` are the same, so the JSON
  is the same.
- ``/bench/xtd/api/<app_label>-<model>/<object_pk>/``: django-comments-xtd's ``CommentList`` as its
  ``urls`` module mounts it (every public comment of the object, unpaginated), with the
  django-contrib-comments URLs its permalinks reverse.
- ``/bench/cache-page/<any project URL>``: the project's own view for that URL (the API detail, the
  rendered page) under Django's ``cache_page``, on the same Redis (the default cache): what a user would
  pick instead of the app's tagged cache. wagtail-cache, the other obvious peer, cannot be installed:
  its latest release (3.0.0) requires ``wagtail<8.0``.
"""

from django.urls import include, path, resolve
from django.views.decorators.cache import cache_page
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from articles.api_fields import RevisionPartField
from cms import urls as project_urls


class StockPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's viewset over the same model and fields, without what the project stores per revision:
    the body is Wagtail's StreamField field and the author, hero image and tags their own fields, each
    built on every request (articles/body_store.py is never read or written here)."""

    @classmethod
    def get_field_serializer_overrides(cls, model):
        overrides = {
            name: field.field if isinstance(field, RevisionPartField) else field
            for name, field in super().get_field_serializer_overrides(model).items()
        }
        overrides.pop("body", None)
        return overrides


stock_router = WagtailAPIRouter("benchstockapi")
stock_router.register_endpoint("pages", StockPagesAPIViewSet)


@cache_page(24 * 3600, key_prefix="bench-cache-page")
def cache_page_peer(request, rest):
    match = resolve("/" + rest)
    return match.func(request, *match.args, **match.kwargs)


urlpatterns = [
    path("bench/cache-page/<path:rest>", cache_page_peer),
    path("bench/stock/api/v2/", stock_router.urls),
    path("bench/xtd/", include("django_comments_xtd.urls")),
    *project_urls.urlpatterns,
]

handler404 = project_urls.handler404
