"""Content endpoints of ``/api/v2/``: pages, testimonials and draft previews.

Wagtail's viewsets are kept, with what is public stated on its own line of each queryset, 404s in
the project's JSON error shape, and listings prefetched so that their cost does not grow with size.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db.models import Prefetch
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from rest_framework import status
from rest_framework.response import Response
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.serializers import TagsField
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.documents.api.v2.serializers import DocumentSerializer
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError
from wagtail.search.query import PlainText
from wagtail_headless_preview.models import HeadlessPreviewMixin, PagePreview

from articles import serializers
from articles.models import ArticlePage, Testimonial
from articles.models.pages import LISTING_TAGS
from cms import schema
from cms.api_errors import not_found_response
from cms.cache import page_tag, tag_request

MAX_SEARCH_LENGTH = 255  # characters of ``?search=``: a search box's worth
MAX_ID = 2**63 - 1  # the largest primary key any of our databases stores


class JSONErrorsMixin:
    """Errors in the project's JSON shape, and a 400 for query text no database can take."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # PostgreSQL refuses a NUL in any string it is sent, so any parameter holding one (a search, a
        # path, a field name) would end in a database error.
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            raise BadRequestError("query parameters must not contain NUL characters")

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            return not_found_response()
        if isinstance(exc, BadRequestError):
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)

    def find_object(self, queryset, request):
        if "id" in request.GET:
            try:
                number = int(request.GET["id"])
            except ValueError:
                raise BadRequestError("id must be an integer") from None
            if not 0 < number <= MAX_ID:
                return None  # no object has it: a 404, not an overflow in the database driver
        return super().find_object(queryset, request)


class PlainTextSearchFilter(SearchFilter):
    """Wagtail's ``?search=``, answered for any text a reader types.

    The text is plain words, never query syntax: the database backend quotes each word for its full-text
    syntax (FTS5 ``MATCH`` on SQLite, a raw ``tsquery`` on PostgreSQL), but SQLite's leaves a ``"``
    inside a word unescaped, so ``a"b`` ended the quoted string early and the query failed with a 500.
    Double quotes are taken out here; the tokenizers of both backends split words at them anyway, so no
    match is lost. Blank text finds nothing (as ``?search=`` does in Wagtail); an unknown
    ``search_operator`` or text longer than a search box is a 400.
    """

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if not getattr(settings, "WAGTAILAPI_SEARCH_ENABLED", True):
            raise BadRequestError("search is disabled")
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError("filtering by tag with a search query is not supported")

        text = request.GET["search"]
        if len(text) > MAX_SEARCH_LENGTH:
            raise BadRequestError(f"search must be at most {MAX_SEARCH_LENGTH} characters")
        operator = request.GET.get("search_operator") or PlainText.DEFAULT_OPERATOR
        if operator.lower() not in PlainText.OPERATORS:
            raise BadRequestError("search_operator must be 'and' or 'or'")
        words = " ".join(text.replace('"', " ").split())
        if not words:
            return queryset.none()

        try:
            return get_search_backend().search(
                PlainText(words, operator=operator),
                queryset,
                order_by_relevance="order" not in request.GET,
            )
        except FilterFieldError as e:
            raise BadRequestError(f"cannot filter by '{e.field_name}' while searching (field is not indexed)") from e
        except OrderByFieldError as e:
            raise BadRequestError(f"cannot order by '{e.field_name}' while searching (field is not indexed)") from e


def plain_text_search(filter_backends):
    return [PlainTextSearchFilter if backend is SearchFilter else backend for backend in filter_backends]


class PublicPagesAPIViewSet(JSONErrorsMixin, PagesAPIViewSet):
    """Live, public pages only (Wagtail's base queryset: ``.live().public()`` for this site)."""

    detail_only_fields = [*PagesAPIViewSet.detail_only_fields, *ArticlePage.api_detail_only_fields]
    filter_backends = plain_text_search(PagesAPIViewSet.filter_backends)

    @schema.pages_listing
    def listing_view(self, request):
        tag_request(request, *LISTING_TAGS)
        return super().listing_view(request)

    @schema.pages_detail
    def detail_view(self, request, pk):
        tag_request(request, page_tag(pk))
        return super().detail_view(request, pk)

    @schema.pages_find
    def find_view(self, request):
        return super().find_view(request)

    def get_queryset(self):
        queryset = super().get_queryset().select_related("locale")  # ``fields=*`` shows each page's locale
        if queryset.model is ArticlePage:
            images = get_image_model().objects
            queryset = (
                queryset.defer_streamfields()
                .select_related("author")
                .prefetch_related(
                    "tags",
                    Prefetch("hero_image", queryset=images.prefetch_renditions(serializers.HERO)),
                    Prefetch("author__photo", queryset=images.prefetch_renditions(serializers.PHOTO)),
                )
            )
        return queryset


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


class PublicImagesAPIViewSet(JSONErrorsMixin, ImagesAPIViewSet):
    base_serializer_class = PublicImageSerializer
    filter_backends = plain_text_search(ImagesAPIViewSet.filter_backends)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags")


class PublicDocumentsAPIViewSet(JSONErrorsMixin, DocumentsAPIViewSet):
    base_serializer_class = PublicDocumentSerializer
    filter_backends = plain_text_search(DocumentsAPIViewSet.filter_backends)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags")


class TestimonialsAPIViewSet(JSONErrorsMixin, BaseAPIViewSet):
    """Live testimonials only: drafts never appear in a listing, a detail or a count."""

    model = Testimonial
    name = "testimonials"
    body_fields = [*BaseAPIViewSet.body_fields, "quote", "name", "role", "photo", "featured"]
    listing_default_fields = [*BaseAPIViewSet.listing_default_fields, "quote", "name", "role", "photo"]

    @schema.testimonials_listing
    def listing_view(self, request):
        tag_request(request, "articles.testimonial", "wagtailimages.image")
        return super().listing_view(request)

    @schema.testimonials_detail
    def detail_view(self, request, pk):
        tag_request(request, "articles.testimonial", "wagtailimages.image")
        return super().detail_view(request, pk)

    @schema.excluded
    def find_view(self, request):
        return super().find_view(request)

    def get_queryset(self):
        images = get_image_model().objects.prefetch_renditions(serializers.PHOTO)
        public = Testimonial.objects.filter(live=True)
        return public.prefetch_related(Prefetch("photo", queryset=images)).order_by("pk")


class PagePreviewAPIViewSet(PublicPagesAPIViewSet):
    """A draft, as the headless frontend's preview route receives it.

    The token comes from wagtail-headless-preview (a ``TimestampSigner`` signature); we check its
    age here, so a leaked preview link stops working after ``PREVIEW_TOKEN_MAX_AGE`` seconds.
    """

    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["content_type", "token"])

    @schema.preview_listing
    def listing_view(self, request):
        self.action = "detail_view"
        page = self.get_object()
        response = Response(self.get_serializer(page).data)
        add_never_cache_headers(response)  # a draft: never in the public cache, nor in a browser's
        return response

    @schema.excluded
    def detail_view(self, request, pk):
        raise Http404

    @schema.excluded
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
        return self._preview_page
