from django.conf import settings
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

import core.converters  # noqa: F401 - registers <id:…>
from cms.api import api_router
from comments.site_forms import post_comment, report_comment
from comments.unsubscribe import UnsubscribeView
from core.api_errors import api_not_found

handler400 = "core.api_errors.bad_request"
handler404 = "core.api_errors.page_not_found"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/", include("comments.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("comments/post/", post_comment, name="comments-post"),
    path("comments/<id:pk>/report/", report_comment, name="comments-report-page"),
    path("comments/unsubscribe/<str:token>/", UnsubscribeView.as_view(), name="comments-unsubscribe"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    from django.views.static import serve

    # Local media when no object storage is configured; a CDN or nginx serves it in production.
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [
    re_path(r"^api/", api_not_found),
    path("", include(wagtail_urls)),
]
