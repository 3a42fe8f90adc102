import re

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

import core.converters  # noqa: F401 - registers <id:…>
from articles.feeds import ArticlesFeed
from cms.api import api_router
from cms.api_docs import api_docs_view
from cms.sitemap import sitemap
from comments.site_forms import post_comment, report_comment
from comments.unsubscribe import UnsubscribeView
from core.api_errors import api_not_found
from core.favicon import favicon
from core.health import healthz, readyz

handler400 = "core.api_errors.bad_request"
handler404 = "core.api_errors.page_not_found"
handler500 = "core.api_errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/", include("comments.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs_view("api-schema"), name="api-docs"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("feed/", ArticlesFeed(), name="articles-feed"),
    path("comments/post/", post_comment, name="comments-post"),
    path("comments/<id:pk>/report/", report_comment, name="comments-report-page"),
    path("comments/unsubscribe/<str:token>/", UnsubscribeView.as_view(), name="comments-unsubscribe"),
]


# Local media when no object storage is configured (nginx or a CDN serves it in production), except
# documents: only Wagtail's document view serves them, after checking the collection's privacy.
def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.MEDIA_URL.startswith("/"):
    prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [re_path(rf"^{prefix}(?!documents/)(?P<path>.+)$", media)]

urlpatterns += [
    re_path(r"^api/", api_not_found),
    path("", include(wagtail_urls)),
]
