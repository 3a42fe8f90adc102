"""What every Wagtail API v2 viewset of ours adds to Wagtail's: JSON errors in the contract's shape,
bounded pagination, field filters that check their values, a search that takes any text as plain
words, and ``find/?id=`` that takes only an integer id (``abc``, ``1.5``, ``0x10`` are a 400, an id
past any key a 404)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.filters import FieldsFilter, SearchFilter
from wagtail.api.v2.utils import BadRequestError
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError
from wagtail.search.query import PlainText

from core.api_errors import JSONErrorsMixin
from core.ids import MAX_ID, parse_id
from core.pagination import BoundedPagination

MAX_SEARCH_LENGTH = 255  # characters of ``?search=``: a search box's worth


class CheckedFieldsFilter(FieldsFilter):
    """Wagtail's ``?field=value`` filters, with every value checked against its field first: a date
    that is not a date, or a number past what the column holds (``?author=`` with 40 digits), is a
    400 rather than an error from the database."""

    def filter_queryset(self, request, queryset, view):
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True))
        for name, value in request.GET.items():
            if name in fields:
                self.check_value(queryset.model, name, value)
        return super().filter_queryset(request, queryset, view)

    @staticmethod
    def check_value(model, name, value):
        try:
            field = model._meta.get_field(name)
        except LookupError:
            return
        if isinstance(field, models.ForeignKey):
            field = field.target_field
        try:
            if isinstance(field, models.IntegerField | models.AutoField):
                if not -MAX_ID <= int(value) <= MAX_ID:
                    raise ValueError("out of range")
            elif isinstance(field, models.Field) and not isinstance(field, models.BooleanField):
                field.to_python(value)
        except (ValueError, ValidationError) as exc:
            raise BadRequestError(f"field filter error. {value!r} is not a valid value for {name}") from exc


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


class CompactJSONRenderer(JSONRenderer):
    """One representation per URL: compact, whatever ``Accept: application/json; indent=N`` asks, since the
    response caches keep one entry per URL. Wagtail's viewsets indent by 4 spaces: a third more bytes, and
    Python's pure encoder instead of its C one (a tenth of an uncached article's CPU)."""

    def get_indent(self, accepted_media_type, renderer_context):
        return None


class PublicAPIViewSetMixin(JSONErrorsMixin):
    pagination_class = BoundedPagination

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        replaced = {FieldsFilter: CheckedFieldsFilter, SearchFilter: PlainTextSearchFilter}
        cls.filter_backends = [replaced.get(backend, backend) for backend in cls.filter_backends]
        cls.renderer_classes = [CompactJSONRenderer if r is JSONRenderer else r for r in cls.renderer_classes]

    def find_object(self, queryset, request):
        if "id" in request.GET:
            try:
                int(request.GET["id"])
            except ValueError:
                raise BadRequestError("id must be an integer") from None
            if parse_id(request.GET["id"]) is None:
                return None  # no object has it: Wagtail's find_view answers the 404
        return super().find_object(queryset, request)
