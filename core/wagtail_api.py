"""What every Wagtail API v2 viewset of ours adds to Wagtail's: JSON errors in the contract's shape,
bounded pagination, field filters that check their values, and ``find/?id=`` that takes only an id
(``abc``, ``1.5``, ``0x10`` are a 404)."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.api.v2.filters import FieldsFilter
from wagtail.api.v2.utils import BadRequestError

from core.api_errors import JSONErrorsMixin
from core.ids import MAX_ID, parse_id
from core.pagination import BoundedPagination


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


class PublicAPIViewSetMixin(JSONErrorsMixin):
    pagination_class = BoundedPagination

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.filter_backends = [CheckedFieldsFilter if b is FieldsFilter else b for b in cls.filter_backends]

    def find_object(self, queryset, request):
        if "id" in request.GET and parse_id(request.GET["id"]) is None:
            return None  # Wagtail's find_view answers the 404
        return super().find_object(queryset, request)
