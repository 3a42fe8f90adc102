"""Wagtail API v2 pagination with bounds: ``offset`` and ``limit`` past any real listing are a JSON 400.

Wagtail's own pagination takes any integer, and ``?offset=9223372036854775808`` overflows the
database driver (a 500).
"""

from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError

MAX_OFFSET = 10**9


class BoundedPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        for name in ("offset", "limit"):
            value = request.GET.get(name, "0").strip()
            if value.isdigit() and int(value) > MAX_OFFSET:
                raise BadRequestError(f"{name} cannot be higher than {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)
