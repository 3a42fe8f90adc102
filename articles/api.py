"""Content endpoints of ``/api/v2/``: pages, testimonials and draft previews.

Wagtail's viewsets are kept, with what is public stated on its own line of each queryset, 404s in
the project's JSON error shape, and listings prefetched so that their cost does not grow with size.
"""

import functools

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.http import Http404
from django.urls import NoReverseMatch
from django.utils.cache import add_never_cache_headers
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet
from wagtail.api.v2.serializers import (
    PageHtmlUrlField,
    PageParentField,
    PageSerializer,
    TagsField,
    get_serializer_class,
)
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.documents.api.v2.serializers import DocumentSerializer
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, get_page_models
from wagtail_headless_preview.models import HeadlessPreviewMixin, PagePreview

from articles import api_schema, representations
from articles.models import ArticlePage, Testimonial
from articles.models.pages import LISTING_TAGS
from core import visibility
from core.cache import django_request, page_tag, tag_request
from core.wagtail_api import PublicAPIViewSetMixin


class RequestHtmlUrlField(PageHtmlUrlField):
    """``meta.html_url`` from the request's site root paths: Wagtail's field asks each page for its
    ``full_url``, so the page and its parent each read them from the cache again."""

    def to_representation(self, page):
        try:
            return page.get_full_url(django_request(self.context.get("request")))
        except NoReverseMatch:
            return None


class PublicParentField(PageParentField):
    """``meta.parent``: the parent when it is public, in one query (Wagtail's reads the parent, then asks
    whether the public pages hold it)."""

    def get_attribute(self, instance):
        parent_path = instance.path[: -instance.steplen]
        return self.context["base_queryset"].filter(path=parent_path).first() if parent_path else None

    def to_representation(self, value):
        serializer_class = get_serializer_class(
            value.__class__,
            ["id", "type", "detail_url", "html_url", "title"],
            meta_fields=["type", "detail_url", "html_url"],
            base=PublicPageSerializer,
        )
        return serializer_class(context=self.context).to_representation(value)


class PublicPageSerializer(PageSerializer):
    html_url = RequestHtmlUrlField(read_only=True)
    parent = PublicParentField(read_only=True)


class PublicPagesAPIViewSet(PublicAPIViewSetMixin, PagesAPIViewSet):
    """Live, public pages only (Wagtail's base queryset: ``.live().public()`` for this site)."""

    base_serializer_class = PublicPageSerializer

    detail_only_fields = [*PagesAPIViewSet.detail_only_fields, *ArticlePage.api_detail_only_fields]

    @api_schema.pages_listing
    def listing_view(self, request):
        tag_request(request, *LISTING_TAGS)
        return super().listing_view(request)

    @api_schema.pages_detail
    def detail_view(self, request, pk):
        tag_request(request, page_tag(pk))
        return super().detail_view(request, pk)

    @api_schema.pages_find
    def find_view(self, request):
        return super().find_view(request)

    def get_base_queryset(self):
        """Wagtail's, made once per request (it was made again for the serializer's context), with the
        view restrictions the rest of the request reads too (``core/visibility.py``)."""
        if getattr(self, "_base_queryset", None) is None:
            try:
                self._base_queryset = visibility.api_pages(self.request)
            except ValueError as exc:  # ``?site=`` that names no site
                raise BadRequestError(str(exc)) from exc
        return self._base_queryset

    def get_object(self):
        """The page as its specific model in one query. Wagtail reads the page, then its specific row (an
        article's body JSON with it, which the stored parts make unused); here the detail's queryset
        joins each page type's row to the page's (``get_queryset``), so the specific page is already
        loaded, and an article's body is read only if it has to be built."""
        if not hasattr(self, "_cached_object"):
            self._cached_object = joined_specific(GenericViewSet.get_object(self))
        return self._cached_object

    def get_queryset(self):
        queryset = super().get_queryset().select_related("locale")  # ``fields=*`` shows each page's locale
        if queryset.model is Page and self.action == "detail_view":
            return queryset.select_related(*specific_joins().values()).defer(*DEFERRED_ON_DETAIL)
        if queryset.model is ArticlePage:
            images = get_image_model().objects
            queryset = (
                queryset.defer_streamfields()
                .select_related("author")
                .prefetch_related(
                    "tags",
                    Prefetch("hero_image", queryset=images.prefetch_renditions(*representations.HERO.specs())),
                    Prefetch("author__photo", queryset=images.prefetch_renditions(*representations.PHOTO.specs())),
                )
            )
        return queryset


# What a detail leaves unread until it is needed: the article's body, which its stored parts replace.
DEFERRED_ON_DETAIL = ["articlepage__body"]


@functools.cache
def specific_joins():
    """{page model: the name of its row's relation from ``Page``} for every page type one join away (a
    direct subclass of ``Page``); deeper ones are read as Wagtail does."""
    joins = {}
    for model in get_page_models():
        link = model._meta.parents.get(Page)
        if link is not None and model._meta.get_parent_list() == [Page]:
            joins[model] = link.remote_field.get_accessor_name()
    return joins


def joined_specific(page):
    """The specific page ``page`` was loaded with (``specific_joins``), its locale kept; else Wagtail's
    ``specific`` (another query)."""
    if type(page) is page.specific_class:  # read from its own model already (``?type=``)
        return page
    accessor = specific_joins().get(page.specific_class)
    if accessor is None:
        return page.specific
    try:
        specific = getattr(page, accessor)
    except ObjectDoesNotExist:  # a page whose row of its own type is missing: Wagtail's answer
        return page.specific
    locale = Page._meta.get_field("locale")
    if locale.is_cached(page):
        locale.set_cached_value(specific, locale.get_cached_value(page))
    return specific


class PrefetchedTagsField(TagsField):
    """Wagtail's tags field sorts in SQL, one query per object; this sorts the prefetched tags."""

    def to_representation(self, value):
        return sorted(tag.name for tag in value.all())


class PrefetchedTagsMixin:
    """Tags in listings cost one query for the whole page instead of one per object."""

    def build_property_field(self, field_name, model_class):
        field_class, kwargs = super().build_property_field(field_name, model_class)
        return (PrefetchedTagsField if field_class is TagsField else field_class), kwargs


class PublicImageSerializer(PrefetchedTagsMixin, ImageSerializer):
    pass


class PublicDocumentSerializer(PrefetchedTagsMixin, DocumentSerializer):
    pass


class PublicImagesAPIViewSet(PublicAPIViewSetMixin, ImagesAPIViewSet):
    base_serializer_class = PublicImageSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags")


class PublicDocumentsAPIViewSet(PublicAPIViewSetMixin, DocumentsAPIViewSet):
    base_serializer_class = PublicDocumentSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags")


class TestimonialsAPIViewSet(PublicAPIViewSetMixin, BaseAPIViewSet):
    """Live testimonials only: drafts never appear in a listing, a detail or a count."""

    model = Testimonial
    name = "testimonials"
    body_fields = [*BaseAPIViewSet.body_fields, "quote", "name", "role", "photo", "featured"]
    listing_default_fields = [*BaseAPIViewSet.listing_default_fields, "quote", "name", "role", "photo"]

    @api_schema.testimonials_listing
    def listing_view(self, request):
        tag_request(request, "articles.testimonial", "wagtailimages.image")
        return super().listing_view(request)

    @api_schema.testimonials_detail
    def detail_view(self, request, pk):
        tag_request(request, "articles.testimonial", "wagtailimages.image")
        return super().detail_view(request, pk)

    @api_schema.excluded
    def find_view(self, request):
        return super().find_view(request)

    def get_queryset(self):
        images = get_image_model().objects.prefetch_renditions(*representations.PHOTO.specs())
        public = Testimonial.objects.filter(live=True)
        return public.prefetch_related(Prefetch("photo", queryset=images)).order_by("pk")


class PagePreviewAPIViewSet(PublicPagesAPIViewSet):
    """A draft, as the headless frontend's preview route receives it.

    The token comes from wagtail-headless-preview (a ``TimestampSigner`` signature); we check its
    age here, so a leaked preview link stops working after ``PREVIEW_TOKEN_MAX_AGE`` seconds.
    """

    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["content_type", "token"])

    @api_schema.preview_listing
    def listing_view(self, request):
        self.action = "detail_view"
        page = self.get_object()
        response = Response(self.get_serializer(page).data)
        add_never_cache_headers(response)  # a draft: never in the public cache, nor in a browser's
        return response

    @api_schema.excluded
    def detail_view(self, request, pk):
        raise Http404

    @api_schema.excluded
    def find_view(self, request):
        raise Http404

    def get_object(self):
        if hasattr(self, "_preview_page"):
            return self._preview_page
        token = self.request.GET.get("token", "")
        try:
            app_label, model = self.request.GET.get("content_type", "").split(".")
            content_type = ContentType.objects.get_by_natural_key(app_label, model)
            HeadlessPreviewMixin.get_preview_signer().unsign(token, max_age=settings.PREVIEW_TOKEN_MAX_AGE)
            preview = PagePreview.objects.get(content_type=content_type, token=token)
        except (ValueError, ContentType.DoesNotExist, signing.BadSignature, PagePreview.DoesNotExist):
            raise Http404 from None
        self._preview_page = preview.as_page()
        self.request._request.is_preview = True  # a draft's body: built for this request, never stored
        return self._preview_page
