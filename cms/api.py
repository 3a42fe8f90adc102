"""The project's API router: apps register their Wagtail API v2 endpoints here."""

from wagtail.api.v2.router import WagtailAPIRouter

from articles.api import (
    PagePreviewAPIViewSet,
    PublicDocumentsAPIViewSet,
    PublicImagesAPIViewSet,
    PublicPagesAPIViewSet,
    TestimonialsAPIViewSet,
)
from cms.redirects_api import RedirectsAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
api_router.register_endpoint("testimonials", TestimonialsAPIViewSet)
api_router.register_endpoint("redirects", RedirectsAPIViewSet)
